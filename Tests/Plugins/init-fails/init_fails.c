/*
 * init_fails.c — test fixture: plugin "test-init-fails", whose init always fails with a
 * message. The host must refuse to start and show that message, naming the plugin.
 */
#include "imageapp_plugin.h"

/* Fails the way a plugin that cannot reach a backend would. */
static ia_status fixture_init(const ia_host_api *api, ia_host *host, void *user_data,
                              ia_error *error) {
    (void)api;
    (void)host;
    (void)user_data;
    ia_error_set(error, IA_ERR_INTERNAL,
                 "cannot reach the example service at 192.0.2.1:9 (test fixture)");
    return IA_ERR_INTERNAL;
}


/* The descriptor, valid for the life of the process. */
static const ia_plugin_descriptor descriptor = {
    .struct_size = sizeof(ia_plugin_descriptor),
    .abi_major = IA_ABI_MAJOR,
    .abi_minor = IA_ABI_MINOR,
    .build_signature = IA_BUILD_SIGNATURE,
    .name = IA_STR_INIT("test-init-fails"),
    .version = IA_STR_INIT("1.0.0"),
    .init = fixture_init,
};

/* The exported entry point: hands out the descriptor. */
__attribute__((visibility("default")))
const ia_plugin_descriptor *imageapp_plugin_entry(const ia_host_info *host) {
    (void)host;
    return &descriptor;
}
