/*
 * abi_v1_7_plugin.c — test fixture: plugin "test-abi-v1-7", built against the FROZEN v1.7
 * header (frozen/imageapp_plugin.h, a byte copy of the header as ABI 1.7 shipped), never the
 * live one. It stands for a plugin binary built before ABI 1.8: the host must keep loading it
 * and keep its 1.7 behaviour (a Redis error reply is IA_OK with a reply of type IA_REDIS_ERROR).
 *
 * Routes:
 *   GET  /api/v1/test/abi17/info  {"redis_status":N,"redis_type":T,"has_cache_peek":bool,
 *                                  "can_block":0|1} and the header `X-ABI: 1.7` (worker pool)
 *   GET  /api/v1/test/abi17/fast  IA_ROUTE_NONBLOCKING: on the event loop it peeks at the cache
 *                                  (1.7), misses and answers IA_WOULD_BLOCK; the host runs it again
 *                                  on a worker, where it answers {"can_block":1,"peek":N}
 *   POST /api/v1/test/abi17/form  documented with request_content_type (a 1.7 field)
 */
#include <stdio.h>
#include <string.h>

#include "frozen/imageapp_plugin.h"

static const ia_host_api *api;
static ia_host *host_handle;

static void json_reply(ia_request *req, int32_t status, const char *body) {
    api->response_set_status(req, status);
    api->response_add_header(req, IA_STR("Content-Type"), IA_STR("application/json"));
    api->response_set_body(req, body, strlen(body));
}

static ia_status info_route(void *user_data, ia_request *req) {
    (void)user_data;
    int redis_status = 1, redis_type = 0;
    if (IA_HAS(api, redis_command) && IA_HAS(api, redis_reply_type) && IA_HAS(api, redis_reply_free)) {
        ia_error error = { .struct_size = sizeof error };
        ia_str bogus[] = { IA_STR("NOSUCHCOMMAND") };
        ia_redis_reply *reply = NULL;
        redis_status = api->redis_command(host_handle, 1, bogus, &reply, &error);
        if (reply != NULL) {
            redis_type = api->redis_reply_type(reply);
            api->redis_reply_free(reply);
        }
    }
    int can_block = IA_HAS(api, request_can_block) ? api->request_can_block(req) : -1;
    char body[256];
    snprintf(body, sizeof body, "{\"redis_status\":%d,\"redis_type\":%d,\"has_cache_peek\":%s,\"can_block\":%d}",
             redis_status, redis_type, IA_HAS(api, cache_peek) ? "true" : "false", can_block);
    api->response_add_header(req, IA_STR("X-ABI"), IA_STR("1.7"));
    json_reply(req, 200, body);
    return IA_OK;
}

static ia_status fast_route(void *user_data, ia_request *req) {
    (void)user_data;
    ia_buffer *value = NULL;
    ia_status peek = api->cache_peek(host_handle, IA_STR("test-abi-v1-7:never-set"), &value);
    if (value != NULL) api->buffer_free(value);
    if (peek == IA_ERR_NOT_FOUND && !api->request_can_block(req)) return IA_WOULD_BLOCK;
    char body[64];
    snprintf(body, sizeof body, "{\"can_block\":%d,\"peek\":%d}", (int)api->request_can_block(req), (int)peek);
    json_reply(req, 200, body);
    return IA_OK;
}

static ia_status form_route(void *user_data, ia_request *req) {
    (void)user_data;
    json_reply(req, 200, "{}");
    return IA_OK;
}

static ia_status abi17_init(const ia_host_api *host_api, ia_host *host, void *unused, ia_error *error) {
    (void)unused;
    api = host_api;
    host_handle = host;
    ia_route_def routes[] = {
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("GET"), .path = IA_STR("/api/v1/test/abi17/info"), .handler = info_route },
        { .struct_size = sizeof(ia_route_def), .flags = IA_ROUTE_NONBLOCKING, .method = IA_STR("GET"),
          .path = IA_STR("/api/v1/test/abi17/fast"), .handler = fast_route },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("POST"), .path = IA_STR("/api/v1/test/abi17/form"), .handler = form_route,
          .request_schema = IA_STR("{\"type\":\"object\"}"), .request_content_type = IA_STR("application/x-www-form-urlencoded") },
    };
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        ia_status status = api->register_route(host, &routes[i]);
        if (status != IA_OK) {
            ia_error_set(error, status, "test-abi-v1-7: a route was refused");
            return status;
        }
    }
    return IA_OK;
}

/* The descriptor, as a 1.7 plugin fills it in: it declares ABI 1.7. */
static const ia_plugin_descriptor descriptor = {
    .struct_size = sizeof(ia_plugin_descriptor),
    .abi_major = IA_ABI_MAJOR,
    .abi_minor = IA_ABI_MINOR,
    .build_signature = IA_BUILD_SIGNATURE,
    .name = IA_STR_INIT("test-abi-v1-7"),
    .version = IA_STR_INIT("1.7.0"),
    .init = abi17_init,
};

_Static_assert(IA_ABI_MINOR == 7, "this fixture must be built against the frozen 1.7 header");

IA_PLUGIN_EXPORT const ia_plugin_descriptor *imageapp_plugin_entry(const ia_host_info *host) {
    (void)host;
    return &descriptor;
}
