/*
 * dup_route.c — test fixture: plugin "test-dup-route", which registers
 * GET /api/v1/examples/c/hello, a route example-c registers too. When both are enabled, the
 * one loaded second must be refused (IA_ERR_CONFLICT) with a message naming the route.
 */
#include <stdio.h>

#include "imageapp_plugin.h"

/* Handler of the clashing route: an empty 200 (it is never meant to be reached). */
static ia_status clashing_handler(void *user_data, ia_request *req) {
    (void)user_data;
    (void)req;
    return IA_OK;
}

/* Registers the clashing route and returns what the host said about it. */
static ia_status fixture_init(const ia_host_api *api, ia_host *host, void *user_data,
                              ia_error *error) {
    (void)user_data;
    ia_route_def route = {
        .struct_size = sizeof(ia_route_def),
        .method = IA_STR("GET"),
        .path = IA_STR("/api/v1/examples/c/hello"),
        .handler = clashing_handler,
    };
    ia_status status = api->register_route(host, &route);
    if (status != IA_OK) {
        char message[sizeof error->message];
        snprintf(message, sizeof message,
                 "test-dup-route: cannot register GET /api/v1/examples/c/hello (status %d)",
                 (int)status);
        ia_error_set(error, status, message);
    }
    return status;
}


/* The descriptor, valid for the life of the process. */
static const ia_plugin_descriptor descriptor = {
    .struct_size = sizeof(ia_plugin_descriptor),
    .abi_major = IA_ABI_MAJOR,
    .abi_minor = IA_ABI_MINOR,
    .build_signature = IA_BUILD_SIGNATURE,
    .name = IA_STR_INIT("test-dup-route"),
    .version = IA_STR_INIT("1.0.0"),
    .init = fixture_init,
};

/* The exported entry point: hands out the descriptor. */
__attribute__((visibility("default")))
const ia_plugin_descriptor *imageapp_plugin_entry(const ia_host_info *host) {
    (void)host;
    return &descriptor;
}
