/*
 * unknown_dep.c — test fixture: plugin "test-unknown-dep", which depends on a plugin that
 * does not exist ("no-such-plugin"). The host must refuse to start, naming both.
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


/* The unresolvable dependency; static, like everything the descriptor points to. */
static const ia_str dependencies[] = { IA_STR_INIT("no-such-plugin") };

/* The descriptor, valid for the life of the process. */
static const ia_plugin_descriptor descriptor = {
    .struct_size = sizeof(ia_plugin_descriptor),
    .abi_major = IA_ABI_MAJOR,
    .abi_minor = IA_ABI_MINOR,
    .build_signature = IA_BUILD_SIGNATURE,
    .name = IA_STR_INIT("test-unknown-dep"),
    .version = IA_STR_INIT("1.0.0"),
    .dependencies = dependencies,
    .dependency_count = sizeof dependencies / sizeof dependencies[0],
    .init = fixture_init,
};

/* The exported entry point: hands out the descriptor. */
__attribute__((visibility("default")))
const ia_plugin_descriptor *imageapp_plugin_entry(const ia_host_info *host) {
    (void)host;
    return &descriptor;
}
