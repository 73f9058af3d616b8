/* test-redis: a fixture for the Redis slots of ABI 1.5 — argv commands (binary-safe),
 * pipelining, error replies, the tag-invalidated cache and pub/sub — and for the non-blocking
 * fast path of ABI 1.7 (IA_WOULD_BLOCK, request_can_block, cache_peek), driven over HTTP. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imageapp_plugin.h"

static const ia_host_api *api;
static ia_host *host_handle;
static pthread_mutex_t messages_lock = PTHREAD_MUTEX_INITIALIZER;
static char messages[8192] = "[";

static void json_reply(ia_request *req, int32_t status, const char *body) {
    api->response_set_status(req, status);
    api->response_add_header(req, IA_STR("Content-Type"), IA_STR("application/json"));
    api->response_set_body(req, body, strlen(body));
}

/* SET key <body>; GET key -> body; three INCRs pipelined (X-Incr: the last); an unknown
 * command's reply type (X-Error-Type). */
static ia_status roundtrip(void *user_data, ia_request *req) {
    (void)user_data;
    ia_str key;
    if (api->request_query_param(req, IA_STR("key"), &key) != IA_OK) { json_reply(req, 400, "{}"); return IA_OK; }
    const void *data = NULL;
    size_t len = 0;
    api->request_body(req, &data, &len);
    ia_error error = { .struct_size = sizeof error };
    ia_str set[] = { IA_STR("SET"), key, { data, len } };
    ia_redis_reply *reply = NULL;
    if (api->redis_command(host_handle, 3, set, &reply, &error) != IA_OK) { json_reply(req, 503, "{}"); return IA_OK; }
    api->redis_reply_free(reply);
    ia_str get[] = { IA_STR("GET"), key };
    if (api->redis_command(host_handle, 2, get, &reply, &error) != IA_OK) { json_reply(req, 503, "{}"); return IA_OK; }
    ia_str value = IA_STR("");
    api->redis_reply_string(reply, &value);

    char counter[600];
    snprintf(counter, sizeof counter, "%.*s:counter", (int)key.len, key.data);
    ia_str incr[] = { IA_STR("INCR"), ia_str_from_cstr(counter), IA_STR("INCR"), ia_str_from_cstr(counter), IA_STR("INCR"), ia_str_from_cstr(counter) };
    size_t counts[] = { 2, 2, 2 };
    ia_redis_reply *replies[3] = { NULL, NULL, NULL };
    char text[32] = "0";
    if (api->redis_pipeline(host_handle, 3, counts, incr, replies, &error) == IA_OK) {
        snprintf(text, sizeof text, "%lld", (long long)api->redis_reply_integer(replies[2]));
        for (int i = 0; i < 3; i++) api->redis_reply_free(replies[i]);
    }
    /* An error reply: IA_ERR_REDIS_REPLY for this plugin (it declares ABI 1.8), the reply handed out. */
    ia_str bogus[] = { IA_STR("NOSUCHCOMMAND") };
    ia_redis_reply *bad = NULL;
    char type[16] = "none";
    char bad_status[16];
    ia_status bogus_status = api->redis_command(host_handle, 1, bogus, &bad, &error);
    snprintf(bad_status, sizeof bad_status, "%d", (int)bogus_status);
    if (bad != NULL) {
        snprintf(type, sizeof type, "%d", api->redis_reply_type(bad));
        api->redis_reply_free(bad);
    }
    api->response_add_header(req, IA_STR("X-Incr"), ia_str_from_cstr(text));
    api->response_add_header(req, IA_STR("X-Error-Type"), ia_str_from_cstr(type));
    api->response_add_header(req, IA_STR("X-Error-Status"), ia_str_from_cstr(bad_status));
    api->response_set_body(req, value.data, value.len);
    api->redis_reply_free(reply);
    return IA_OK;
}

static ia_status cache_put(void *user_data, ia_request *req) {
    (void)user_data;
    ia_str key, tag;
    if (api->request_query_param(req, IA_STR("key"), &key) != IA_OK || api->request_query_param(req, IA_STR("tag"), &tag) != IA_OK) {
        json_reply(req, 400, "{}");
        return IA_OK;
    }
    ia_str ttl_text = IA_STR("60000");
    api->request_query_param(req, IA_STR("ttl"), &ttl_text);
    const void *data = NULL;
    size_t len = 0;
    api->request_body(req, &data, &len);
    ia_error error = { .struct_size = sizeof error };
    ia_status status = api->cache_set(host_handle, key, data, len, atoll(ttl_text.data), &tag, 1, &error);
    json_reply(req, status == IA_OK ? 204 : 503, status == IA_OK ? "" : "{}");
    return IA_OK;
}

static ia_status cache_read(void *user_data, ia_request *req) {
    (void)user_data;
    ia_str key;
    if (api->request_query_param(req, IA_STR("key"), &key) != IA_OK) { json_reply(req, 400, "{}"); return IA_OK; }
    ia_buffer *value = NULL;
    ia_error error = { .struct_size = sizeof error };
    ia_status status = api->cache_get(host_handle, key, &value, &error);
    if (status == IA_ERR_NOT_FOUND) { json_reply(req, 404, "{\"error\":{\"code\":\"not_found\",\"message\":\"miss\",\"details\":{}}}"); return IA_OK; }
    if (status != IA_OK) { json_reply(req, 503, "{}"); return IA_OK; }
    ia_str bytes;
    api->buffer_view(value, &bytes);
    api->response_set_body(req, bytes.data, bytes.len);
    api->buffer_free(value);
    return IA_OK;
}

static ia_status cache_invalidate(void *user_data, ia_request *req) {
    (void)user_data;
    ia_str tag;
    if (api->request_query_param(req, IA_STR("tag"), &tag) != IA_OK) { json_reply(req, 400, "{}"); return IA_OK; }
    ia_error error = { .struct_size = sizeof error };
    ia_status status = api->cache_invalidate_tag(host_handle, tag, &error);
    api->response_set_status(req, status == IA_OK ? 204 : 503);
    return IA_OK;
}

/* ABI 1.7: a NONBLOCKING route that answers from this process's memory when it can and asks for
 * a worker thread otherwise. X-Served: memory or redis; X-Can-Block: what request_can_block said;
 * X-Middleware-Thread: where the fixture's middleware ran. */
static ia_status cache_peek_route(void *user_data, ia_request *req) {
    (void)user_data;
    ia_str key;
    if (api->request_query_param(req, IA_STR("key"), &key) != IA_OK) { json_reply(req, 400, "{}"); return IA_OK; }
    int32_t can_block = api->request_can_block(req);
    ia_buffer *value = NULL;
    const char *served = "memory";
    ia_status status = api->cache_peek(host_handle, key, &value);
    if (status == IA_ERR_NOT_FOUND) {
        if (!can_block) return IA_WOULD_BLOCK;
        ia_error error = { .struct_size = sizeof error };
        status = api->cache_get(host_handle, key, &value, &error);
        served = "redis";
    }
    if (status == IA_ERR_NOT_FOUND) { json_reply(req, 404, "{\"error\":{\"code\":\"not_found\",\"message\":\"miss\",\"details\":{}}}"); return IA_OK; }
    if (status != IA_OK) { json_reply(req, 503, "{}"); return IA_OK; }
    ia_str bytes, thread = IA_STR("none");
    api->buffer_view(value, &bytes);
    api->request_attribute(req, IA_STR("test.middleware_thread"), &thread);
    api->response_add_header(req, IA_STR("X-Served"), (ia_str){ served, strlen(served) });
    api->response_add_header(req, IA_STR("X-Can-Block"), can_block ? IA_STR("1") : IA_STR("0"));
    api->response_add_header(req, IA_STR("X-Middleware-Thread"), thread);
    api->response_set_body(req, bytes.data, bytes.len);
    api->buffer_free(value);
    return IA_OK;
}

/* A NONBLOCKING middleware that, for requests with "X-Test-Block: 1", must block: on an event
 * loop it answers IA_WOULD_BLOCK and runs again on a worker thread. */
static ia_status blocking_middleware(void *user_data, ia_request *req) {
    (void)user_data;
    ia_str flag;
    int32_t can_block = api->request_can_block(req);
    if (api->request_header(req, IA_STR("X-Test-Block"), &flag) == IA_OK && !can_block) return IA_WOULD_BLOCK;
    api->request_set_attribute(req, IA_STR("test.middleware_thread"), can_block ? IA_STR("worker") : IA_STR("loop"));
    return IA_OK;
}

/* Pub/sub: payloads received so far, as a JSON array of strings (test payloads are plain). */
static void on_message(void *user_data, ia_str channel, ia_str payload) {
    (void)user_data;
    (void)channel;
    pthread_mutex_lock(&messages_lock);
    size_t used = strlen(messages);
    if (used + payload.len + 4 < sizeof messages) {
        snprintf(messages + used, sizeof messages - used, "%s\"%.*s\"", used > 1 ? "," : "", (int)payload.len, payload.data);
    }
    pthread_mutex_unlock(&messages_lock);
}

static ia_status messages_route(void *user_data, ia_request *req) {
    (void)user_data;
    char body[sizeof messages + 2];
    pthread_mutex_lock(&messages_lock);
    snprintf(body, sizeof body, "%s]", messages);
    pthread_mutex_unlock(&messages_lock);
    json_reply(req, 200, body);
    return IA_OK;
}

static ia_status redis_init(const ia_host_api *host_api, ia_host *host, void *unused, ia_error *error) {
    (void)unused;
    api = host_api;
    host_handle = host;
    if (!IA_HAS(api, cache_peek)) {
        ia_error_set(error, IA_ERR_UNSUPPORTED, "test-redis needs plugin ABI 1.7");
        return IA_ERR_UNSUPPORTED;
    }
    ia_middleware_def middleware = {
        .struct_size = sizeof middleware, .flags = IA_MIDDLEWARE_NONBLOCKING, .order = 150,
        .name = IA_STR("test-redis.blocking"), .run = blocking_middleware,
    };
    ia_status registered = api->register_middleware(host, &middleware);
    if (registered != IA_OK) return registered;
    ia_str channel;
    if (api->config_string(host, IA_STR("channel"), &channel) == IA_OK) {
        ia_status status = api->redis_subscribe(host, channel, 0, on_message, NULL);
        if (status != IA_OK) return status;
    }
    ia_route_def routes[] = {
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("POST"), .path = IA_STR("/api/v1/test/redis/roundtrip"), .handler = roundtrip },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("POST"), .path = IA_STR("/api/v1/test/redis/cache"), .handler = cache_put },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("GET"), .path = IA_STR("/api/v1/test/redis/cache"), .handler = cache_read },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("POST"), .path = IA_STR("/api/v1/test/redis/invalidate"), .handler = cache_invalidate },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("GET"), .path = IA_STR("/api/v1/test/redis/messages"), .handler = messages_route },
        { .struct_size = sizeof(ia_route_def), .flags = IA_ROUTE_NONBLOCKING, .method = IA_STR("GET"), .path = IA_STR("/api/v1/test/redis/peek"), .handler = cache_peek_route },
    };
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        ia_status status = api->register_route(host, &routes[i]);
        if (status != IA_OK) return status;
    }
    return IA_OK;
}

static const ia_plugin_descriptor descriptor = {
    .struct_size = sizeof(ia_plugin_descriptor),
    .abi_major = IA_ABI_MAJOR,
    .abi_minor = IA_ABI_MINOR,
    .build_signature = IA_BUILD_SIGNATURE,
    .name = IA_STR_INIT("test-redis"),
    .version = IA_STR_INIT("1.0.0"),
    .init = redis_init,
};

const ia_plugin_descriptor *imageapp_plugin_entry(const ia_host_info *host) {
    (void)host;
    return &descriptor;
}
