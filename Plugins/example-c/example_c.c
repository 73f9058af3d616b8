/*
 * example_c.c — the example Image App plugin, written in plain C11.
 *
 * It is the model C plugin (see docs/PLUGINS.md) and what the tests and the benchmark load.
 * It shows the whole life of a plugin:
 *   - the handshake: one exported symbol, `imageapp_plugin_entry`, returning a static
 *     descriptor; everything else in the file is `static`;
 *   - `init`: reading a setting, registering a metric and two routes with OpenAPI metadata;
 *   - a NONBLOCKING hot-path handler that allocates nothing per request
 *     (GET /api/v1/examples/c/hello);
 *   - a handler that reads every part of the request and builds a JSON answer in a growable
 *     buffer (POST /api/v1/examples/c/echo/{name}).
 *
 * Settings (section [example-c] of plugins.conf):
 *   greeting = "Hello"   the word the hello route greets the world with.
 *
 * State: `init` allocates one `example_state` and hands it to both routes as their
 * `user_data`, instead of keeping it in globals. One process may run several hosts (the test
 * suite does, each with its own configuration and metrics), and the library is loaded only
 * once, so per-`init` state keeps them apart. The state is read-only once `init` returns, so
 * handlers may read it from any thread without locking. It is never freed: route user_data
 * must outlive the process.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imageapp_plugin.h"

/* ------------------------------------------------------------------------------------------
 * Growable JSON buffer
 * ---------------------------------------------------------------------------------------- */

/* A byte buffer that grows with realloc. An allocation failure is sticky: later appends do
 * nothing and `failed` stays set, so builders append unconditionally and check once. */
typedef struct json_buf {
    char *data;
    size_t len;
    size_t cap;
    int failed;
} json_buf;

/* Makes room for `extra` more bytes; returns 0 (and marks the buffer failed) when it cannot. */
static int buf_reserve(json_buf *b, size_t extra) {
    if (b->failed) return 0;
    if (extra <= b->cap - b->len) return 1;
    if (extra > SIZE_MAX / 2 - b->len) {
        b->failed = 1;
        return 0;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < extra) cap *= 2;
    char *grown = realloc(b->data, cap);
    if (grown == NULL) {
        b->failed = 1;
        return 0;
    }
    b->data = grown;
    b->cap = cap;
    return 1;
}

/* Appends `len` raw bytes. */
static void buf_append(json_buf *b, const char *bytes, size_t len) {
    if (len == 0 || !buf_reserve(b, len)) return;
    memcpy(b->data + b->len, bytes, len);
    b->len += len;
}

/* Appends a NUL-terminated string of raw JSON (keys, punctuation, literals). */
static void buf_append_raw(json_buf *b, const char *text) {
    buf_append(b, text, strlen(text));
}

/* Appends `bytes` as the inside of a JSON string: '"' and '\' are backslash-escaped, control
 * characters (< 0x20) become \u00XX, and every other byte (UTF-8 included) passes through.
 * Runs of plain bytes are copied in one go. An empty view may have NULL data. */
static void buf_append_escaped(json_buf *b, const char *bytes, size_t len) {
    static const char hex[] = "0123456789abcdef";
    if (len == 0) return;
    size_t run_start = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        buf_append(b, bytes + run_start, i - run_start);
        if (c == '"' || c == '\\') {
            char escape[2] = { '\\', (char)c };
            buf_append(b, escape, sizeof escape);
        } else {
            char escape[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0x0f] };
            buf_append(b, escape, sizeof escape);
        }
        run_start = i + 1;
    }
    buf_append(b, bytes + run_start, len - run_start);
}

/* Appends `bytes` as a quoted JSON string. */
static void buf_append_string(json_buf *b, const char *bytes, size_t len) {
    buf_append(b, "\"", 1);
    buf_append_escaped(b, bytes, len);
    buf_append(b, "\"", 1);
}

/* Appends a quoted JSON string, or `null` when `value` is NULL (an absent optional). */
static void buf_append_string_or_null(json_buf *b, const ia_str *value) {
    if (value == NULL) {
        buf_append_raw(b, "null");
    } else {
        buf_append_string(b, value->data, value->len);
    }
}

/* Appends an unsigned integer in decimal. */
static void buf_append_uint(json_buf *b, uint64_t value) {
    char digits[21];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)value);
    buf_append(b, digits, (size_t)n);
}

/* ------------------------------------------------------------------------------------------
 * Plugin state
 * ---------------------------------------------------------------------------------------- */

/* Everything the handlers need, built once by init (see the file comment). */
typedef struct example_state {
    const ia_host_api *api;       /* the host's function table, for the handlers */
    ia_metric *hello_requests;    /* example_c_hello_requests_total */
    char *hello_body;             /* {"message":"<greeting>, world!"}, plugin-owned */
    size_t hello_body_len;
} example_state;

/* ------------------------------------------------------------------------------------------
 * Routes
 * ---------------------------------------------------------------------------------------- */

/* GET /api/v1/examples/c/hello — the benchmark's hot path. May run on an event loop
 * (IA_ROUTE_NONBLOCKING), so it only copies the body precomputed in init: no allocation, no
 * formatting, no locks. */
static ia_status hello_handler(void *user_data, ia_request *req) {
    const example_state *state = user_data;
    const ia_host_api *api = state->api;

    api->metric_add(state->hello_requests, 1.0);
    ia_status status = api->response_set_status(req, 200);
    if (status == IA_OK) {
        status = api->response_add_header(req, IA_STR("Content-Type"), IA_STR("application/json"));
    }
    if (status == IA_OK) {
        status = api->response_set_body(req, state->hello_body, state->hello_body_len);
    }
    return status;
}

/* Looks up an optional request value: returns IA_OK with *present set to 1 or 0 (the value
 * is absent: IA_ERR_NOT_FOUND), or passes any other error on. */
static ia_status optional_value(ia_status lookup, int *present) {
    *present = (lookup == IA_OK);
    return lookup == IA_ERR_NOT_FOUND ? IA_OK : lookup;
}

/* Builds the echo body into `b`: every part of the request, as the host handed it over.
 * Returns IA_OK or the first error reported by the host. */
static ia_status build_echo(const ia_host_api *api, ia_request *req, json_buf *b) {
    ia_str method, path, name, query, q, x_echo, peer, request_id;
    const void *body = NULL;
    size_t body_len = 0;
    int has_q, has_x_echo;
    ia_status status;

    if ((status = api->request_method(req, &method)) != IA_OK) return status;
    if ((status = api->request_path(req, &path)) != IA_OK) return status;
    if ((status = api->request_path_param(req, IA_STR("name"), &name)) != IA_OK) return status;
    if ((status = api->request_query(req, &query)) != IA_OK) return status;
    status = optional_value(api->request_query_param(req, IA_STR("q"), &q), &has_q);
    if (status != IA_OK) return status;
    status = optional_value(api->request_header(req, IA_STR("X-Echo"), &x_echo), &has_x_echo);
    if (status != IA_OK) return status;
    if ((status = api->request_body(req, &body, &body_len)) != IA_OK) return status;
    if ((status = api->request_peer(req, &peer)) != IA_OK) return status;
    if ((status = api->request_id(req, &request_id)) != IA_OK) return status;
    size_t header_count = api->request_header_count(req);
    /* ABI 1.9: the route the router matched, e.g. the pattern with {name} (guarded by IA_HAS, as a
     * plugin declaring an older minor would). */
    ia_str route = { 0 };
    int has_route = 0;
    if (IA_HAS(api, request_route)) {
        if ((status = api->request_route(req, &route, NULL, NULL)) != IA_OK) return status;
        has_route = 1;
    }

    buf_append_raw(b, "{\"method\":");
    buf_append_string(b, method.data, method.len);
    buf_append_raw(b, ",\"path\":");
    buf_append_string(b, path.data, path.len);
    buf_append_raw(b, ",\"name\":");
    buf_append_string(b, name.data, name.len);
    buf_append_raw(b, ",\"query\":");
    buf_append_string(b, query.data, query.len);
    buf_append_raw(b, ",\"q\":");
    buf_append_string_or_null(b, has_q ? &q : NULL);
    buf_append_raw(b, ",\"x_echo\":");
    buf_append_string_or_null(b, has_x_echo ? &x_echo : NULL);
    buf_append_raw(b, ",\"header_count\":");
    buf_append_uint(b, header_count);
    buf_append_raw(b, ",\"body\":");
    buf_append_string(b, body, body_len);
    buf_append_raw(b, ",\"body_length\":");
    buf_append_uint(b, body_len);
    buf_append_raw(b, ",\"peer\":");
    buf_append_string(b, peer.data, peer.len);
    buf_append_raw(b, ",\"request_id\":");
    buf_append_string(b, request_id.data, request_id.len);
    buf_append_raw(b, ",\"route\":");
    buf_append_string_or_null(b, has_route ? &route : NULL);
    buf_append_raw(b, "}");
    return b->failed ? IA_ERR_INTERNAL : IA_OK;
}

/* POST /api/v1/examples/c/echo/{name} — answers with a JSON picture of the request. Runs on
 * a worker thread. The body is built in a heap buffer, copied by the host in
 * response_set_body, then freed. */
static ia_status echo_handler(void *user_data, ia_request *req) {
    const example_state *state = user_data;
    const ia_host_api *api = state->api;
    json_buf b = { 0 };

    ia_status status = build_echo(api, req, &b);
    if (status == IA_OK) status = api->response_set_status(req, 200);
    if (status == IA_OK) {
        status = api->response_add_header(req, IA_STR("Content-Type"), IA_STR("application/json"));
    }
    if (status == IA_OK) status = api->response_set_body(req, b.data, b.len);
    free(b.data);
    return status;
}

/* JSON Schemas of the two success bodies, for GET /api/v1/openapi.json. */
static const char hello_response_schema[] =
    "{\"type\":\"object\","
    "\"properties\":{\"message\":{\"type\":\"string\"}},"
    "\"required\":[\"message\"],"
    "\"additionalProperties\":false}";

static const char echo_response_schema[] =
    "{\"type\":\"object\","
    "\"properties\":{"
    "\"method\":{\"type\":\"string\"},"
    "\"path\":{\"type\":\"string\",\"description\":\"as sent, still percent-encoded\"},"
    "\"name\":{\"type\":\"string\",\"description\":\"the {name} path parameter, decoded\"},"
    "\"query\":{\"type\":\"string\",\"description\":\"the raw query string\"},"
    "\"q\":{\"type\":[\"string\",\"null\"],\"description\":\"query parameter q\"},"
    "\"x_echo\":{\"type\":[\"string\",\"null\"],\"description\":\"header X-Echo\"},"
    "\"header_count\":{\"type\":\"integer\",\"minimum\":0},"
    "\"body\":{\"type\":\"string\"},"
    "\"body_length\":{\"type\":\"integer\",\"minimum\":0},"
    "\"peer\":{\"type\":\"string\"},"
    "\"request_id\":{\"type\":\"string\"},"
    "\"route\":{\"type\":[\"string\",\"null\"],\"description\":\"the matched route's pattern (ABI 1.9)\"}},"
    "\"required\":[\"method\",\"path\",\"name\",\"query\",\"q\",\"x_echo\",\"header_count\","
    "\"body\",\"body_length\",\"peer\",\"request_id\",\"route\"],"
    "\"additionalProperties\":false}";

/* ------------------------------------------------------------------------------------------
 * Lifecycle
 * ---------------------------------------------------------------------------------------- */

/* Fails init: fills `error` with "<what> (status N)" and returns `status`. */
static ia_status fail(ia_error *error, ia_status status, const char *what) {
    char message[sizeof error->message];
    snprintf(message, sizeof message, "%s (status %d)", what, (int)status);
    ia_error_set(error, status, message);
    return status;
}

/* Reads the greeting setting and precomputes the hello body into plugin-owned memory, so
 * the hot path never touches host memory or formats anything. */
static ia_status build_hello_body(const ia_host_api *api, ia_host *host, example_state *state,
                                  ia_error *error) {
    ia_str greeting;
    ia_status status = api->config_string(host, IA_STR("greeting"), &greeting);
    if (status == IA_ERR_NOT_FOUND) {
        greeting = IA_STR("Hello");
    } else if (status == IA_ERR_TYPE) {
        return fail(error, status, "example-c: setting 'greeting' must be a string");
    } else if (status != IA_OK) {
        return fail(error, status, "example-c: cannot read setting 'greeting'");
    }

    json_buf b = { 0 };
    buf_append_raw(&b, "{\"message\":\"");
    buf_append_escaped(&b, greeting.data, greeting.len);
    buf_append_raw(&b, ", world!\"}");
    if (b.failed) {
        free(b.data);
        return fail(error, IA_ERR_INTERNAL, "example-c: out of memory building the hello body");
    }
    state->hello_body = b.data;
    state->hello_body_len = b.len;
    return IA_OK;
}

/* Registers the two routes, handing each the shared state as user_data. */
static ia_status register_routes(const ia_host_api *api, ia_host *host, example_state *state,
                                 ia_error *error) {
    ia_route_def hello = {
        .struct_size = sizeof(ia_route_def),
        .flags = IA_ROUTE_NONBLOCKING,
        .method = IA_STR("GET"),
        .path = IA_STR("/api/v1/examples/c/hello"),
        .handler = hello_handler,
        .user_data = state,
        .success_status = 200,
        .summary = IA_STR("Greets the world (C example plugin)"),
        .description = IA_STR("Answers {\"message\":\"<greeting>, world!\"}; the greeting is the "
                              "plugin's `greeting` setting (default \"Hello\")."),
        .tag = IA_STR("examples"),
        .response_schema = { hello_response_schema, sizeof hello_response_schema - 1 },
    };
    ia_status status = api->register_route(host, &hello);
    if (status != IA_OK) {
        return fail(error, status, "example-c: cannot register GET /api/v1/examples/c/hello");
    }

    ia_route_def echo = {
        .struct_size = sizeof(ia_route_def),
        .flags = 0,
        .method = IA_STR("POST"),
        .path = IA_STR("/api/v1/examples/c/echo/{name}"),
        .handler = echo_handler,
        .user_data = state,
        .success_status = 200,
        .summary = IA_STR("Echoes the request back as JSON (C example plugin)"),
        .description = IA_STR("Answers with the method, path, path parameter, query, query "
                              "parameter q, header X-Echo, header count, body, peer and request "
                              "ID exactly as the plugin received them."),
        .tag = IA_STR("examples"),
        .response_schema = { echo_response_schema, sizeof echo_response_schema - 1 },
    };
    status = api->register_route(host, &echo);
    if (status != IA_OK) {
        return fail(error, status, "example-c: cannot register POST /api/v1/examples/c/echo/{name}");
    }
    return IA_OK;
}

/* init: builds the state, registers the metric and the routes. Starts nothing, so it is safe
 * for `image-app plugins` and `check-config`. */
static ia_status example_init(const ia_host_api *api, ia_host *host, void *user_data,
                              ia_error *error) {
    (void)user_data;
    example_state *state = calloc(1, sizeof *state);
    if (state == NULL) {
        return fail(error, IA_ERR_INTERNAL, "example-c: out of memory");
    }
    state->api = api;

    ia_status status = build_hello_body(api, host, state, error);
    if (status != IA_OK) {
        free(state);
        return status;
    }

    ia_metric_def counter = {
        .struct_size = sizeof(ia_metric_def),
        .kind = IA_METRIC_COUNTER,
        .name = IA_STR("example_c_hello_requests_total"),
        .help = IA_STR("Requests answered by GET /api/v1/examples/c/hello."),
    };
    state->hello_requests = api->metric_register(host, &counter);
    if (state->hello_requests == NULL) {
        free(state->hello_body);
        free(state);
        return fail(error, IA_ERR_INTERNAL,
                    "example-c: cannot register metric example_c_hello_requests_total");
    }

    /* From here on the host may hold `state` (a route registered before a later refusal), so
     * it is never freed. */
    status = register_routes(api, host, state, error);
    if (status != IA_OK) return status;

    api->log(host, IA_LOG_DEBUG, IA_STR("registered GET /api/v1/examples/c/hello and "
                                        "POST /api/v1/examples/c/echo/{name}"));
    return IA_OK;
}

/* ------------------------------------------------------------------------------------------
 * Handshake
 * ---------------------------------------------------------------------------------------- */


/* The descriptor: static, so it stays valid and unchanged for the life of the process. */
static const ia_plugin_descriptor descriptor = {
    .struct_size = sizeof(ia_plugin_descriptor),
    .abi_major = IA_ABI_MAJOR,
    .abi_minor = IA_ABI_MINOR,
    .build_signature = IA_BUILD_SIGNATURE,
    .flags = 0,
    .name = IA_STR_INIT("example-c"),
    .version = IA_STR_INIT("1.0.0"),
    .dependencies = NULL,
    .dependency_count = 0,
    .user_data = NULL,
    .init = example_init,
    .start = NULL,
    .stop = NULL,
    /* .toolchain stays empty: it names the Swift toolchain of Swift plugins only. */
};

/* The one exported symbol. The host checks ABI versions and the build signature itself, so
 * the plugin accepts every host. */
__attribute__((visibility("default")))
const ia_plugin_descriptor *imageapp_plugin_entry(const ia_host_info *host) {
    (void)host;
    return &descriptor;
}

/* Compile-time check that the entry point has exactly the signature the host calls. */
_Static_assert(_Generic(&imageapp_plugin_entry, ia_plugin_entry_fn: 1, default: 0),
               "imageapp_plugin_entry must match ia_plugin_entry_fn");
