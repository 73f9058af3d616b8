/*
 * abi_major.c — test fixture: plugin "test-abi-major", which claims to be built against the
 * NEXT ABI major (IA_ABI_MAJOR + 1). The host must refuse it before calling its init.
 */
#include "imageapp_plugin.h"

/* Trivial init: registers nothing. A correct host never calls it. */
static ia_status fixture_init(const ia_host_api *api, ia_host *host, void *user_data,
                              ia_error *error) {
    (void)api;
    (void)host;
    (void)user_data;
    (void)error;
    return IA_OK;
}


/* The descriptor, valid for the life of the process; abi_major is the point of the fixture. */
static const ia_plugin_descriptor descriptor = {
    .struct_size = sizeof(ia_plugin_descriptor),
    .abi_major = IA_ABI_MAJOR + 1,
    .abi_minor = IA_ABI_MINOR,
    .build_signature = IA_BUILD_SIGNATURE,
    .name = IA_STR_INIT("test-abi-major"),
    .version = IA_STR_INIT("1.0.0"),
    .init = fixture_init,
};

/* The exported entry point: hands out the descriptor. */
__attribute__((visibility("default")))
const ia_plugin_descriptor *imageapp_plugin_entry(const ia_host_info *host) {
    (void)host;
    return &descriptor;
}
