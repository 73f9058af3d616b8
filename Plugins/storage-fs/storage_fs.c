/*
 * storage-fs: the default blob storage backend — a local directory.
 *
 * Blobs are files under `root`. A put to a prefix names the blob by its content (SHA-256, so
 * identical uploads share one file) or randomly (setting `naming`). Writes are atomic: a
 * temporary file in the same filesystem, fsync'd, then renamed into place. Files are served at
 * GET /media/{key...} with an ETag, `Cache-Control: immutable` (a key never changes content),
 * conditional requests and byte ranges.
 *
 * Settings: root (".local/media"), public_base_url ("/media"), naming ("content" or "random"),
 * max_age_seconds (31536000).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "imageapp_plugin.h"

typedef struct fs_state {
    const ia_host_api *api;
    char *root;        /* no trailing slash */
    char *base_url;    /* no trailing slash */
    int random_names;
    long long max_age;
} fs_state;

/* ---- keys and paths ---------------------------------------------------------------------- */

/* Same rules as the host: [A-Za-z0-9._/-], relative, no "." / ".." segments, no "//". The
 * route's parameter arrives percent-decoded, so "%2e%2e" is caught here too. */
static int key_is_safe(const char *key, size_t len) {
    if (len == 0 || len > 512 || key[0] == '/' || key[len - 1] == '/') return 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || key[i] == '/') {
            size_t n = i - start;
            if (n == 0) return 0;
            if (n == 1 && key[start] == '.') return 0;
            if (n == 2 && key[start] == '.' && key[start + 1] == '.') return 0;
            start = i + 1;
            continue;
        }
        char c = key[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok) return 0;
    }
    return 1;
}

static char *join_path(const fs_state *s, const char *key, size_t len) {
    size_t size = strlen(s->root) + len + 2;
    char *path = malloc(size);
    if (path) snprintf(path, size, "%s/%.*s", s->root, (int)len, key);
    return path;
}

/* mkdir -p for the directories of `path` (not the last component). */
static int make_parents(char *path) {
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        int failed = mkdir(path, 0755) != 0 && errno != EEXIST;
        *p = '/';
        if (failed) return -1;
    }
    return 0;
}

static const char *extension_for(ia_str content_type) {
    struct { const char *type, *ext; } map[] = {
        { "image/jpeg", ".jpg" }, { "image/png", ".png" }, { "image/webp", ".webp" }, { "image/gif", ".gif" },
        { "image/avif", ".avif" }, { "application/json", ".json" }, { "text/plain", ".txt" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        size_t n = strlen(map[i].type);
        if (content_type.len >= n && memcmp(content_type.data, map[i].type, n) == 0) return map[i].ext;
    }
    return ".bin";
}

static const char *type_for(const char *key) {
    const char *dot = strrchr(key, '.');
    if (!dot) return "application/octet-stream";
    if (!strcmp(dot, ".jpg") || !strcmp(dot, ".jpeg")) return "image/jpeg";
    if (!strcmp(dot, ".png")) return "image/png";
    if (!strcmp(dot, ".webp")) return "image/webp";
    if (!strcmp(dot, ".gif")) return "image/gif";
    if (!strcmp(dot, ".avif")) return "image/avif";
    if (!strcmp(dot, ".json")) return "application/json";
    if (!strcmp(dot, ".txt")) return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

static void to_hex(const unsigned char *bytes, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

/* ---- the backend ---------------------------------------------------------------------------- */

static ia_status fs_put(void *user_data, ia_str key, const void *data, size_t len, ia_str content_type,
                        ia_buffer **key_out, ia_error *error) {
    fs_state *s = user_data;
    char name[700];
    if (key.len == 0 || key.data[key.len - 1] == '/') {
        char id[65];
        if (s->random_names) {
            unsigned char random[16];
            if (getrandom(random, sizeof random, 0) != sizeof random) {
                ia_error_set(error, IA_ERR_INTERNAL, "storage-fs: no randomness available");
                return IA_ERR_INTERNAL;
            }
            to_hex(random, sizeof random, id);
        } else {
            unsigned char digest[32];
            unsigned int digest_len = 0;
            if (!EVP_Digest(data, len, digest, &digest_len, EVP_sha256(), NULL)) {
                ia_error_set(error, IA_ERR_INTERNAL, "storage-fs: SHA-256 failed");
                return IA_ERR_INTERNAL;
            }
            to_hex(digest, 32, id);
        }
        snprintf(name, sizeof name, "%.*s%s%s", (int)key.len, key.data, id, extension_for(content_type));
    } else {
        snprintf(name, sizeof name, "%.*s", (int)key.len, key.data);
    }
    if (!key_is_safe(name, strlen(name))) {
        ia_error_set(error, IA_ERR_INVALID_ARGUMENT, "storage-fs: unsafe key");
        return IA_ERR_INVALID_ARGUMENT;
    }
    char *path = join_path(s, name, strlen(name));
    size_t tmp_size = strlen(s->root) + 64;
    char *tmp = malloc(tmp_size);
    if (!path || !tmp) { free(path); free(tmp); return IA_ERR_INTERNAL; }

    ia_status status = IA_OK;
    struct stat existing;
    int content_named = !s->random_names && (key.len == 0 || key.data[key.len - 1] == '/');
    if (content_named && stat(path, &existing) == 0 && (size_t)existing.st_size == len) goto done; /* same content */

    unsigned char random[8];
    char suffix[17];
    if (getrandom(random, sizeof random, 0) != sizeof random) { status = IA_ERR_INTERNAL; goto done; }
    to_hex(random, sizeof random, suffix);
    snprintf(tmp, tmp_size, "%s/.tmp/%s", s->root, suffix);
    if (make_parents(tmp) != 0 || make_parents(path) != 0) {
        ia_error_set(error, IA_ERR_INTERNAL, "storage-fs: cannot create directories under root");
        status = IA_ERR_INTERNAL;
        goto done;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) { ia_error_set(error, IA_ERR_INTERNAL, "storage-fs: cannot create a file under root"); status = IA_ERR_INTERNAL; goto done; }
    const unsigned char *bytes = data;
    size_t written = 0;
    while (written < len) {
        ssize_t n = write(fd, bytes + written, len - written);
        if (n < 0) { if (errno == EINTR) continue; break; }
        written += (size_t)n;
    }
    int ok = written == len && fsync(fd) == 0;
    close(fd);
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        ia_error_set(error, IA_ERR_INTERNAL, "storage-fs: writing the blob failed");
        status = IA_ERR_INTERNAL;
        goto done;
    }
done:
    if (status == IA_OK && key_out) *key_out = s->api->buffer_create(name, strlen(name));
    free(path);
    free(tmp);
    return status;
}

/* Reads [offset, offset+len) of a file into a malloc'd buffer. */
static unsigned char *read_range(int fd, off_t offset, size_t len) {
    unsigned char *buffer = malloc(len ? len : 1);
    if (!buffer) return NULL;
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(fd, buffer + done, len - done, offset + (off_t)done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) { free(buffer); return NULL; }
        done += (size_t)n;
    }
    return buffer;
}

static ia_status fs_get(void *user_data, ia_str key, ia_buffer **out, ia_error *error) {
    fs_state *s = user_data;
    char *path = join_path(s, key.data, key.len);
    if (!path) return IA_ERR_INTERNAL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    free(path);
    if (fd < 0) {
        if (errno == ENOENT) return IA_ERR_NOT_FOUND;
        ia_error_set(error, IA_ERR_INTERNAL, "storage-fs: cannot open the blob");
        return IA_ERR_INTERNAL;
    }
    struct stat info;
    unsigned char *bytes = NULL;
    if (fstat(fd, &info) == 0) bytes = read_range(fd, 0, (size_t)info.st_size);
    close(fd);
    if (!bytes) { ia_error_set(error, IA_ERR_INTERNAL, "storage-fs: reading the blob failed"); return IA_ERR_INTERNAL; }
    if (out) *out = s->api->buffer_create(bytes, (size_t)info.st_size);
    free(bytes);
    return IA_OK;
}

static ia_status fs_remove(void *user_data, ia_str key, ia_error *error) {
    fs_state *s = user_data;
    char *path = join_path(s, key.data, key.len);
    if (!path) return IA_ERR_INTERNAL;
    int failed = unlink(path) != 0 && errno != ENOENT;
    free(path);
    if (failed) { ia_error_set(error, IA_ERR_INTERNAL, "storage-fs: deleting the blob failed"); return IA_ERR_INTERNAL; }
    return IA_OK;
}

static ia_status fs_url(void *user_data, ia_str key, ia_buffer **out, ia_error *error) {
    (void)error;
    fs_state *s = user_data;
    char url[1200];
    int n = snprintf(url, sizeof url, "%s/%.*s", s->base_url, (int)key.len, key.data);
    if (out) *out = s->api->buffer_create(url, (size_t)n);
    return IA_OK;
}

/* ---- GET /media/{key...} ---------------------------------------------------------------- */

static void plain_error(const ia_host_api *api, ia_request *req, int32_t status, const char *code, const char *message) {
    char body[256];
    int n = snprintf(body, sizeof body, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\",\"details\":{}}}", code, message);
    api->response_set_status(req, status);
    api->response_add_header(req, IA_STR("Content-Type"), IA_STR("application/json"));
    api->response_set_body(req, body, (size_t)n);
}

/* Parses a single "bytes=" range against `size`. Returns 1 with [*first, *last], 0 for no or an
 * unsupported (multi-)range (serve everything), -1 for an unsatisfiable one. */
static int parse_range(ia_str header, long long size, long long *first, long long *last) {
    char text[128];
    if (header.len >= sizeof text || header.len < 7 || memcmp(header.data, "bytes=", 6) != 0) return 0;
    memcpy(text, header.data + 6, header.len - 6);
    text[header.len - 6] = '\0';
    if (strchr(text, ',')) return 0;
    char *dash = strchr(text, '-');
    if (!dash) return 0;
    *dash = '\0';
    char *end = NULL;
    if (text[0] == '\0') { /* suffix: the last N bytes */
        long long n = strtoll(dash + 1, &end, 10);
        if (*end || n <= 0) return n == 0 && !*end ? -1 : 0;
        if (size == 0) return -1;
        *first = n >= size ? 0 : size - n;
        *last = size - 1;
        return 1;
    }
    long long a = strtoll(text, &end, 10);
    if (*end || a < 0) return 0;
    long long b = size - 1;
    if (dash[1] != '\0') {
        b = strtoll(dash + 1, &end, 10);
        if (*end || b < a) return 0;
        if (b > size - 1) b = size - 1;
    }
    if (a >= size) return -1;
    *first = a;
    *last = b;
    return 1;
}

static ia_status media_route(void *user_data, ia_request *req) {
    fs_state *s = user_data;
    const ia_host_api *api = s->api;
    ia_str key;
    if (api->request_path_param(req, IA_STR("key"), &key) != IA_OK || !key_is_safe(key.data, key.len)) {
        plain_error(api, req, 404, "not_found", "No such media.");
        return IA_OK;
    }
    char *path = join_path(s, key.data, key.len);
    int fd = path ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
    free(path);
    struct stat info;
    if (fd < 0 || fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        if (fd >= 0) close(fd);
        plain_error(api, req, 404, "not_found", "No such media.");
        return IA_OK;
    }
    long long size = (long long)info.st_size;
    char etag[64], cache[64], length[32];
    snprintf(etag, sizeof etag, "\"%llx-%llx\"", size, (long long)info.st_mtim.tv_sec * 1000000000LL + info.st_mtim.tv_nsec);
    snprintf(cache, sizeof cache, "public, max-age=%lld, immutable", s->max_age);
    char key_text[600];
    snprintf(key_text, sizeof key_text, "%.*s", (int)key.len, key.data);
    api->response_add_header(req, IA_STR("ETag"), ia_str_from_cstr(etag));
    api->response_add_header(req, IA_STR("Cache-Control"), ia_str_from_cstr(cache));
    api->response_add_header(req, IA_STR("Accept-Ranges"), IA_STR("bytes"));
    api->response_add_header(req, IA_STR("X-Content-Type-Options"), IA_STR("nosniff"));

    ia_str condition;
    if (api->request_header(req, IA_STR("If-None-Match"), &condition) == IA_OK &&
        ((condition.len == strlen(etag) && memcmp(condition.data, etag, condition.len) == 0) ||
         (condition.len == 1 && condition.data[0] == '*'))) {
        close(fd);
        api->response_set_status(req, 304);
        return IA_OK;
    }
    api->response_add_header(req, IA_STR("Content-Type"), ia_str_from_cstr(type_for(key_text)));

    long long first = 0, last = size - 1;
    ia_str range;
    int ranged = 0;
    if (api->request_header(req, IA_STR("Range"), &range) == IA_OK) {
        /* If-Range with another validator means: send the whole (changed) file. */
        ia_str if_range;
        int valid = api->request_header(req, IA_STR("If-Range"), &if_range) != IA_OK ||
                    (if_range.len == strlen(etag) && memcmp(if_range.data, etag, if_range.len) == 0);
        ranged = valid ? parse_range(range, size, &first, &last) : 0;
    }
    if (ranged < 0) {
        close(fd);
        snprintf(length, sizeof length, "bytes */%lld", size);
        api->response_add_header(req, IA_STR("Content-Range"), ia_str_from_cstr(length));
        plain_error(api, req, 416, "range_not_satisfiable", "The requested range is outside the file.");
        return IA_OK;
    }
    uint64_t count = size == 0 ? 0 : (uint64_t)(last - first + 1);
    if (ranged > 0) {
        char content_range[96];
        snprintf(content_range, sizeof content_range, "bytes %lld-%lld/%lld", first, last, size);
        api->response_add_header(req, IA_STR("Content-Range"), ia_str_from_cstr(content_range));
        api->response_set_status(req, 206);
    } else {
        api->response_set_status(req, 200);
    }
    /* Streamed from disk by the host as the client reads (ABI 1.10); the host owns fd from here. */
    return api->response_send_file(req, fd, (uint64_t)first, count);
}

/* ---- lifecycle ------------------------------------------------------------------------------ */

static char *setting(const ia_host_api *api, ia_host *host, const char *key, const char *fallback) {
    ia_str value;
    const char *text = fallback;
    size_t len = strlen(fallback);
    if (api->config_string(host, ia_str_from_cstr(key), &value) == IA_OK) { text = value.data; len = value.len; }
    while (len > 1 && text[len - 1] == '/') len--; /* no trailing slash */
    char *copy = malloc(len + 1);
    if (copy) { memcpy(copy, text, len); copy[len] = '\0'; }
    return copy;
}

static ia_status fs_init(const ia_host_api *api, ia_host *host, void *unused, ia_error *error) {
    (void)unused;
    if (!IA_HAS(api, blob_url)) {
        ia_error_set(error, IA_ERR_UNSUPPORTED, "storage-fs needs plugin ABI 1.4");
        return IA_ERR_UNSUPPORTED;
    }
    fs_state *s = calloc(1, sizeof *s);
    if (!s) return IA_ERR_INTERNAL;
    s->api = api;
    s->root = setting(api, host, "root", ".local/media");
    s->base_url = setting(api, host, "public_base_url", "/media");
    char *naming = setting(api, host, "naming", "content");
    if (!s->root || !s->base_url || !naming) return IA_ERR_INTERNAL;
    if (strcmp(naming, "content") != 0 && strcmp(naming, "random") != 0) {
        ia_error_set(error, IA_ERR_INVALID_ARGUMENT, "storage-fs: setting 'naming' must be \"content\" or \"random\"");
        free(naming);
        return IA_ERR_INVALID_ARGUMENT;
    }
    s->random_names = strcmp(naming, "random") == 0;
    free(naming);
    int64_t max_age = 31536000;
    api->config_int(host, IA_STR("max_age_seconds"), &max_age);
    s->max_age = max_age;

    ia_blob_store_def store = { .struct_size = sizeof store, .name = IA_STR("fs"), .put = fs_put, .get = fs_get,
                                .remove = fs_remove, .public_url = fs_url, .user_data = s };
    ia_status status = api->register_blob_store(host, &store);
    if (status != IA_OK) return status;
    ia_route_def media = {
        .struct_size = sizeof media, .method = IA_STR("GET"), .path = IA_STR("/media/{key...}"),
        .handler = media_route, .user_data = s, .summary = IA_STR("A stored media file (ETag, immutable caching, byte ranges)"),
        .tag = IA_STR("media"),
        /* Static, immutable files, the bulk of a page's requests: a feed page shows 20 of them, so they must not
         * spend the API's request budget (rate limits are for work, and a CDN or nginx usually serves these). */
        .metadata = IA_STR("{\"rate_limit\":\"none\"}"),
    };
    return api->register_route(host, &media);
}

static const ia_plugin_descriptor descriptor = {
    .struct_size = sizeof(ia_plugin_descriptor),
    .abi_major = IA_ABI_MAJOR,
    .abi_minor = IA_ABI_MINOR,
    .build_signature = IA_BUILD_SIGNATURE,
    .name = IA_STR_INIT("storage-fs"),
    .version = IA_STR_INIT("1.0.0"),
    .init = fs_init,
};

const ia_plugin_descriptor *imageapp_plugin_entry(const ia_host_info *host) {
    (void)host;
    return &descriptor;
}
