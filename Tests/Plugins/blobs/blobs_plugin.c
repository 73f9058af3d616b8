/* test-blobs: a fixture that stores, reads and deletes blobs through the host's blob API
 * (ABI 1.4), whatever backend is active, driven over HTTP by the tests. */
#include <stdio.h>
#include <string.h>

#include "imageapp_plugin.h"

static const ia_host_api *api;
static ia_host *host_handle;

static void reply_error(ia_request *req, ia_status status, const ia_error *error) {
    int32_t http = status == IA_ERR_INVALID_ARGUMENT ? 422 : status == IA_ERR_NOT_FOUND ? 404 : status == IA_ERR_UNAVAILABLE ? 503 : 500;
    const char *code = status == IA_ERR_INVALID_ARGUMENT ? "invalid_key" : status == IA_ERR_NOT_FOUND ? "not_found"
                     : status == IA_ERR_UNAVAILABLE ? "unavailable" : "internal_error";
    char body[512];
    int n = snprintf(body, sizeof body, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\",\"details\":{}}}", code,
                     status == IA_ERR_INVALID_ARGUMENT ? error->message : "The blob operation failed.");
    api->response_set_status(req, http);
    api->response_add_header(req, IA_STR("Content-Type"), IA_STR("application/json"));
    api->response_set_body(req, body, (size_t)n);
}

static ia_status put_route(void *user_data, ia_request *req) {
    (void)user_data;
    ia_str key = IA_STR(""), type = IA_STR("application/octet-stream");
    api->request_query_param(req, IA_STR("key"), &key);
    api->request_header(req, IA_STR("Content-Type"), &type);
    const void *data = NULL;
    size_t len = 0;
    api->request_body(req, &data, &len);
    ia_buffer *final_key = NULL, *url = NULL;
    ia_error error = { .struct_size = sizeof error };
    ia_status status = api->blob_put(host_handle, key, data, len, type, &final_key, &error);
    if (status != IA_OK) { reply_error(req, status, &error); return IA_OK; }
    ia_str key_view;
    api->buffer_view(final_key, &key_view);
    status = api->blob_url(host_handle, key_view, &url, &error);
    ia_str url_view = IA_STR("");
    if (status == IA_OK) api->buffer_view(url, &url_view);
    char body[2048];
    int n = snprintf(body, sizeof body, "{\"key\":\"%.*s\",\"url\":\"%.*s\"}", (int)key_view.len, key_view.data, (int)url_view.len, url_view.data);
    api->buffer_free(final_key);
    api->buffer_free(url);
    api->response_set_status(req, 201);
    api->response_add_header(req, IA_STR("Content-Type"), IA_STR("application/json"));
    api->response_set_body(req, body, (size_t)n);
    return IA_OK;
}

static ia_status get_route(void *user_data, ia_request *req) {
    (void)user_data;
    ia_str key;
    api->request_path_param(req, IA_STR("key"), &key);
    ia_buffer *blob = NULL;
    ia_error error = { .struct_size = sizeof error };
    ia_status status = api->blob_get(host_handle, key, &blob, &error);
    if (status != IA_OK) { reply_error(req, status, &error); return IA_OK; }
    ia_str bytes;
    api->buffer_view(blob, &bytes);
    api->response_set_body(req, bytes.data, bytes.len);
    api->buffer_free(blob);
    return IA_OK;
}

static ia_status delete_route(void *user_data, ia_request *req) {
    (void)user_data;
    ia_str key;
    api->request_path_param(req, IA_STR("key"), &key);
    ia_error error = { .struct_size = sizeof error };
    ia_status status = api->blob_delete(host_handle, key, &error);
    if (status != IA_OK) { reply_error(req, status, &error); return IA_OK; }
    api->response_set_status(req, 204);
    return IA_OK;
}

static ia_status blobs_init(const ia_host_api *host_api, ia_host *host, void *unused, ia_error *error) {
    (void)unused;
    (void)error;
    api = host_api;
    host_handle = host;
    ia_route_def routes[] = {
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("POST"), .path = IA_STR("/api/v1/test/blobs"), .handler = put_route,
          .max_body_bytes = 32u << 20 },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("GET"), .path = IA_STR("/api/v1/test/blobs/{key...}"), .handler = get_route },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("DELETE"), .path = IA_STR("/api/v1/test/blobs/{key...}"), .handler = delete_route },
    };
    for (size_t i = 0; i < 3; i++) {
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
    .name = IA_STR_INIT("test-blobs"),
    .version = IA_STR_INIT("1.0.0"),
    .init = blobs_init,
};

const ia_plugin_descriptor *imageapp_plugin_entry(const ia_host_info *host) {
    (void)host;
    return &descriptor;
}
