/* test-abi-hygiene: a fixture for the ABI 1.8 hygiene rules, driven over HTTP and by settings.
 *
 * Setting `mode` picks one bad registration for init to make, which the host must refuse:
 *   route-flags, middleware-flags, cli-flags, command-flags, event-flags, job-flags,
 *   blob-flags (a flag bit no header defines), small-route, small-event (a struct_size below
 *   the struct's first size). Environment variable TEST_ABI_HYGIENE_DESCRIPTOR_FLAGS puts an
 *   unknown bit into the descriptor's flags instead.
 * Without a mode it loads, and:
 *   GET /api/v1/test/hygiene/state          {"metric_in_init":bool,"metric_in_start_null":bool}
 *   GET /api/v1/test/hygiene/grown          registered through a struct grown past this header
 *   GET /api/v1/test/hygiene/complete-twice completes itself, then uses the handle again
 *   GET /api/v1/test/hygiene/hang           IA_PENDING, never completed (the host times out)
 *   GET /api/v1/test/hygiene/late           what the stale handles of the two above answer now
 *   GET /api/v1/test/hygiene/out-null       whether failing slots left their out-pointers NULL
 *   GET /api/v1/test/hygiene/redis-error    the status and reply of an error reply (declares 1.8) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imageapp_plugin.h"

#define UNKNOWN_FLAG (1u << 20)

static const ia_host_api *api;
static ia_host *host_handle;
static int metric_in_init;
static int metric_in_start_null = -1;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static ia_request *completed;   /* the handle of the last complete-twice request */
static ia_request *hung;        /* the handle of the last hang request */
static char twice_result[256] = "{}";

static void json_reply(ia_request *req, int32_t status, const char *body) {
    api->response_set_status(req, status);
    api->response_add_header(req, IA_STR("Content-Type"), IA_STR("application/json"));
    api->response_set_body(req, body, strlen(body));
}

static ia_status state_route(void *user_data, ia_request *req) {
    (void)user_data;
    char body[128];
    snprintf(body, sizeof body, "{\"metric_in_init\":%s,\"metric_in_start_null\":%s}",
             metric_in_init ? "true" : "false", metric_in_start_null == 1 ? "true" : "false");
    json_reply(req, 200, body);
    return IA_OK;
}

static ia_status grown_route(void *user_data, ia_request *req) {
    (void)user_data;
    json_reply(req, 200, "{\"grown\":true}");
    return IA_OK;
}

/* Completes the request, then keeps using its handle: every call must answer IA_ERR_STATE. */
static ia_status complete_twice(void *user_data, ia_request *req) {
    (void)user_data;
    json_reply(req, 200, "{\"done\":true}");
    ia_status first = api->request_complete(req);
    ia_status second = api->request_complete(req);
    ia_status set_status = api->response_set_status(req, 500);
    ia_str path = IA_STR("");
    ia_status read_path = api->request_path(req, &path);
    size_t header_count = api->request_header_count(req);
    int32_t can_block = api->request_can_block(req);
    api->request_log(req, IA_LOG_INFO, IA_STR("logging through a completed request"));
    pthread_mutex_lock(&lock);
    completed = req;
    snprintf(twice_result, sizeof twice_result,
             "{\"first\":%d,\"second\":%d,\"set_status\":%d,\"path\":%d,\"header_count\":%zu,\"can_block\":%d}",
             (int)first, (int)second, (int)set_status, (int)read_path, header_count, (int)can_block);
    pthread_mutex_unlock(&lock);
    return IA_PENDING;
}

static ia_status hang_route(void *user_data, ia_request *req) {
    (void)user_data;
    pthread_mutex_lock(&lock);
    hung = req;
    pthread_mutex_unlock(&lock);
    return IA_PENDING;
}

/* Uses the stale handles of earlier requests while this one is live (it may well occupy the slot
 * one of them had): they must answer IA_ERR_STATE and leave this request alone. */
static ia_status late_route(void *user_data, ia_request *req) {
    (void)user_data;
    pthread_mutex_lock(&lock);
    ia_request *old_hung = hung;
    ia_request *old_completed = completed;
    char twice[256];
    memcpy(twice, twice_result, sizeof twice);
    pthread_mutex_unlock(&lock);
    if (old_hung == NULL || old_completed == NULL) { json_reply(req, 409, "{}"); return IA_OK; }
    ia_str view;
    ia_status hung_complete = api->request_complete(old_hung);
    ia_status hung_body = api->response_set_body(old_hung, "late", 4);
    ia_status hung_path = api->request_path(old_hung, &view);
    ia_status completed_status = api->response_set_status(old_completed, 418);
    ia_status completed_path = api->request_path(old_completed, &view);
    char body[512];
    snprintf(body, sizeof body,
             "{\"hung_complete\":%d,\"hung_body\":%d,\"hung_path\":%d,\"completed_status\":%d,"
             "\"completed_path\":%d,\"twice\":%s}",
             (int)hung_complete, (int)hung_body, (int)hung_path, (int)completed_status, (int)completed_path, twice);
    json_reply(req, 200, body);
    return IA_OK;
}

/* Every slot below fails (no blob store, no Redis, bad key, unknown command); each out-pointer
 * starts as a non-NULL sentinel and must come back NULL. */
static ia_status out_null(void *user_data, ia_request *req) {
    (void)user_data;
    ia_buffer *const sentinel = (ia_buffer *)(uintptr_t)0x10;
    ia_redis_reply *const reply_sentinel = (ia_redis_reply *)(uintptr_t)0x10;
    char body[1024];
    size_t used = 0;
    ia_error error = { .struct_size = sizeof error };
#define REPORT(name, status, pointer)                                                               \
    used += (size_t)snprintf(body + used, sizeof body - used, "%s\"%s\":{\"status\":%d,\"null\":%s}", \
                             used == 1 ? "" : ",", name, (int)(status), (pointer) == NULL ? "true" : "false")
    body[0] = '{';
    used = 1;

    ia_buffer *result = sentinel;
    ia_status status = api->dispatch_command(host_handle, IA_STR("test-abi-hygiene.no-such-command"), IA_STR("{}"), &result, &error);
    REPORT("dispatch_command", status, result);

    ia_buffer *blob = sentinel;
    status = api->blob_get(host_handle, IA_STR("../escape"), &blob, &error);
    REPORT("blob_get", status, blob);

    blob = sentinel;
    status = api->blob_url(host_handle, IA_STR("some/key"), &blob, &error);
    REPORT("blob_url", status, blob);

    blob = sentinel;
    status = api->blob_put(host_handle, IA_STR("some/"), "x", 1, IA_STR("text/plain"), &blob, &error);
    REPORT("blob_put", status, blob);

    blob = sentinel;
    status = api->cache_get(host_handle, IA_STR("test-abi-hygiene:k"), &blob, &error);
    REPORT("cache_get", status, blob);

    blob = sentinel;
    status = api->cache_peek(host_handle, IA_STR("test-abi-hygiene:k"), &blob);
    REPORT("cache_peek", status, blob);

    ia_redis_reply *reply = reply_sentinel;
    ia_str ping[] = { IA_STR("PING") };
    status = api->redis_command(host_handle, 1, ping, &reply, &error);
    REPORT("redis_command", status, reply);

    ia_redis_reply *replies[2] = { reply_sentinel, reply_sentinel };
    size_t counts[] = { 1, 1 };
    ia_str argv[] = { IA_STR("PING"), IA_STR("PING") };
    status = api->redis_pipeline(host_handle, 2, counts, argv, replies, &error);
    REPORT("redis_pipeline", status, replies[0] == NULL && replies[1] == NULL ? NULL : reply_sentinel);
#undef REPORT
    snprintf(body + used, sizeof body - used, "}");
    json_reply(req, 200, body);
    return IA_OK;
}

/* An error reply and a pipeline holding one: with ABI 1.8 declared, IA_ERR_REDIS_REPLY and the
 * replies still handed out. */
static ia_status redis_error(void *user_data, ia_request *req) {
    (void)user_data;
    ia_error error = { .struct_size = sizeof error };
    ia_str bogus[] = { IA_STR("NOSUCHCOMMAND") };
    ia_redis_reply *reply = NULL;
    ia_status status = api->redis_command(host_handle, 1, bogus, &reply, &error);
    int type = reply ? api->redis_reply_type(reply) : 0;
    ia_str text = IA_STR("");
    if (reply) api->redis_reply_string(reply, &text);
    int text_ok = text.len > 0 && error.message[0] != '\0';
    if (reply) api->redis_reply_free(reply);

    ia_redis_reply *replies[2] = { NULL, NULL };
    size_t counts[] = { 1, 1 };
    ia_str argv[] = { IA_STR("PING"), IA_STR("NOSUCHCOMMAND") };
    ia_status pipeline = api->redis_pipeline(host_handle, 2, counts, argv, replies, &error);
    int first = replies[0] ? api->redis_reply_type(replies[0]) : 0;
    int second = replies[1] ? api->redis_reply_type(replies[1]) : 0;
    for (int i = 0; i < 2; i++) if (replies[i]) api->redis_reply_free(replies[i]);

    char body[256];
    snprintf(body, sizeof body,
             "{\"status\":%d,\"type\":%d,\"text\":%s,\"pipeline\":%d,\"pipeline_types\":[%d,%d]}",
             (int)status, type, text_ok ? "true" : "false", (int)pipeline, first, second);
    json_reply(req, 200, body);
    return IA_OK;
}

static ia_status middleware_run(void *user_data, ia_request *req) {
    (void)user_data;
    (void)req;
    return IA_OK;
}

static int32_t cli_run(void *user_data, const ia_host_api *host_api, ia_host *host, int32_t argc, const char *const *argv) {
    (void)user_data; (void)host_api; (void)host; (void)argc; (void)argv;
    return 0;
}

static ia_status command_run(void *user_data, ia_command *command) {
    (void)user_data; (void)command;
    return IA_OK;
}

static ia_status event_run(void *user_data, const ia_event *event, ia_error *error) {
    (void)user_data; (void)event; (void)error;
    return IA_OK;
}

static ia_status job_run(void *user_data, const ia_job_run *run, ia_error *error) {
    (void)user_data; (void)run; (void)error;
    return IA_OK;
}

static ia_status blob_get_fn(void *user_data, ia_str key, ia_buffer **out, ia_error *error) {
    (void)user_data; (void)key; (void)out; (void)error;
    return IA_ERR_NOT_FOUND;
}

/* The one bad registration `mode` asks for; IA_OK when `mode` names none. */
static ia_status register_bad(ia_host *host, ia_str mode) {
#define MODE(text) (mode.len == sizeof(text) - 1 && memcmp(mode.data, text, mode.len) == 0)
    if (MODE("route-flags") || MODE("small-route")) {
        ia_route_def route = {
            .struct_size = MODE("small-route") ? 8 : sizeof route,
            .flags = MODE("route-flags") ? UNKNOWN_FLAG : 0,
            .method = IA_STR("GET"), .path = IA_STR("/api/v1/test/hygiene/bad"), .handler = grown_route,
        };
        return api->register_route(host, &route);
    }
    if (MODE("middleware-flags")) {
        ia_middleware_def middleware = {
            .struct_size = sizeof middleware, .flags = UNKNOWN_FLAG, .order = 10,
            .name = IA_STR("test-abi-hygiene.bad"), .run = middleware_run,
        };
        return api->register_middleware(host, &middleware);
    }
    if (MODE("cli-flags")) {
        ia_cli_command_def command = {
            .struct_size = sizeof command, .flags = UNKNOWN_FLAG, .name = IA_STR("hygiene-bad"), .run = cli_run,
        };
        return api->register_cli_command(host, &command);
    }
    if (MODE("command-flags")) {
        ia_command_def command = {
            .struct_size = sizeof command, .flags = UNKNOWN_FLAG, .name = IA_STR("test-abi-hygiene.bad"), .run = command_run,
        };
        return api->register_command(host, &command);
    }
    if (MODE("event-flags") || MODE("small-event")) {
        ia_event_handler_def handler = {
            .struct_size = MODE("small-event") ? 16 : sizeof handler,
            .flags = MODE("event-flags") ? UNKNOWN_FLAG : 0,
            .name = IA_STR("bad"), .event_type = IA_STR("*"), .handle = event_run,
        };
        return api->register_event_handler(host, &handler);
    }
    if (MODE("job-flags")) {
        ia_job_def job = {
            .struct_size = sizeof job, .flags = UNKNOWN_FLAG, .name = IA_STR("bad"), .interval_ms = 1000, .run = job_run,
        };
        return api->register_job(host, &job);
    }
    if (MODE("blob-flags")) {
        ia_blob_store_def store = {
            .struct_size = sizeof store, .flags = UNKNOWN_FLAG, .name = IA_STR("hygiene-bad"), .get = blob_get_fn,
        };
        return api->register_blob_store(host, &store);
    }
#undef MODE
    return IA_OK;
}

/* A route definition as a newer header might lay it out: this header's fields, then more. */
typedef struct grown_route_def {
    ia_route_def known;
    uint64_t future[4];
} grown_route_def;

static ia_status hygiene_init(const ia_host_api *host_api, ia_host *host, void *unused, ia_error *error) {
    (void)unused;
    api = host_api;
    host_handle = host;
    ia_str mode = IA_STR("");
    api->config_string(host, IA_STR("mode"), &mode);
    ia_status status = register_bad(host, mode);
    if (status != IA_OK) {
        ia_error_set(error, status, "test-abi-hygiene: the host refused the registration (as it should)");
        return status;
    }

    ia_metric_def counter = {
        .struct_size = sizeof counter, .kind = IA_METRIC_COUNTER,
        .name = IA_STR("test_abi_hygiene_total"), .help = IA_STR("A test counter."),
    };
    metric_in_init = api->metric_register(host, &counter) != NULL;

    grown_route_def grown = {
        .known = { .struct_size = sizeof grown, .method = IA_STR("GET"), .path = IA_STR("/api/v1/test/hygiene/grown"), .handler = grown_route },
        .future = { 0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef },
    };
    if ((status = api->register_route(host, &grown.known)) != IA_OK) return status;

    ia_route_def routes[] = {
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("GET"), .path = IA_STR("/api/v1/test/hygiene/state"), .handler = state_route },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("GET"), .path = IA_STR("/api/v1/test/hygiene/complete-twice"), .handler = complete_twice },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("GET"), .path = IA_STR("/api/v1/test/hygiene/hang"), .handler = hang_route },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("GET"), .path = IA_STR("/api/v1/test/hygiene/late"), .handler = late_route },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("GET"), .path = IA_STR("/api/v1/test/hygiene/out-null"), .handler = out_null },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("GET"), .path = IA_STR("/api/v1/test/hygiene/redis-error"), .handler = redis_error },
    };
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if ((status = api->register_route(host, &routes[i])) != IA_OK) return status;
    }
    return IA_OK;
}

/* metric_register outside init must return NULL (and be logged), not register. */
static ia_status hygiene_start(const ia_host_api *host_api, ia_host *host, void *unused, ia_error *error) {
    (void)unused; (void)error;
    ia_metric_def late = {
        .struct_size = sizeof late, .kind = IA_METRIC_COUNTER,
        .name = IA_STR("test_abi_hygiene_late_total"), .help = IA_STR("Registered too late."),
    };
    metric_in_start_null = host_api->metric_register(host, &late) == NULL ? 1 : 0;
    return IA_OK;
}

static ia_plugin_descriptor descriptor = {
    .struct_size = sizeof(ia_plugin_descriptor),
    .abi_major = IA_ABI_MAJOR,
    .abi_minor = IA_ABI_MINOR,
    .build_signature = IA_BUILD_SIGNATURE,
    .name = IA_STR_INIT("test-abi-hygiene"),
    .version = IA_STR_INIT("1.0.0"),
    .init = hygiene_init,
    .start = hygiene_start,
};

IA_PLUGIN_EXPORT const ia_plugin_descriptor *imageapp_plugin_entry(const ia_host_info *host) {
    (void)host;
    if (getenv("TEST_ABI_HYGIENE_DESCRIPTOR_FLAGS") != NULL) descriptor.flags = 1u << 7;
    return &descriptor;
}
