/*
 * bench-data: the benchmark plugin for the data services (Benchmarks/data-services.sh).
 *
 *   image-app bench-inserts --config FILE [COUNT] [THREADS]
 *       dispatches COUNT trivial insert commands from THREADS threads and prints commands/s;
 *   image-app bench-events --config FILE [COUNT] [PER_SECOND]
 *       dispatches COUNT commands that each raise an event, at PER_SECOND, waits until a worker
 *       process (image-app serve --role worker) has handled them all, and prints the latency
 *       from commit to the worker's handler (p50, p99, max).
 */
#define _GNU_SOURCE /* memmem */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "imageapp_plugin.h"

typedef struct state {
    const ia_host_api *api;
    ia_host *host;
} state;

static long long now_micros(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000000LL + tv.tv_usec;
}

/* Runs one statement with up to two text parameters; optional first value out (malloc'd). */
static ia_status sql(state *s, ia_db *db, const char *text, const char *p1, const char *p2, char **out) {
    ia_db_param params[2] = {
        { .type = IA_DB_TEXT, .value = ia_str_from_cstr(p1) },
        { .type = IA_DB_TEXT, .value = ia_str_from_cstr(p2) },
    };
    size_t count = p2 ? 2 : p1 ? 1 : 0;
    ia_error error = { .struct_size = sizeof error };
    ia_db_result *result = NULL;
    ia_status status = s->api->db_execute(db, ia_str_from_cstr(text), params, count, out ? &result : NULL, &error);
    if (status != IA_OK || !out) return status;
    ia_str value;
    *out = NULL;
    if (s->api->db_result_rows(result) > 0 && s->api->db_result_value(result, 0, 0, &value) == IA_OK) {
        *out = malloc(value.len + 1);
        if (*out) { memcpy(*out, value.data, value.len); (*out)[value.len] = '\0'; }
    }
    s->api->db_result_free(result);
    return IA_OK;
}

static char *payload_text(state *s, ia_command *command) {
    ia_str payload;
    s->api->command_payload(command, &payload);
    char *text = malloc(payload.len + 1);
    if (text) { memcpy(text, payload.data, payload.len); text[payload.len] = '\0'; }
    return text;
}

/* bench-data.insert: the trivial command — one INSERT in its own transaction. */
static ia_status insert_command(void *user_data, ia_command *command) {
    state *s = user_data;
    char *value = payload_text(s, command);
    ia_status status = sql(s, s->api->command_db(command), "INSERT INTO bench_inserts (v) VALUES ($1)", value ? value : "0", NULL, NULL);
    free(value);
    return status;
}

/* bench-data.ping: raises bench.ping stamped just before commit. */
static ia_status ping_command(void *user_data, ia_command *command) {
    state *s = user_data;
    char payload[64];
    snprintf(payload, sizeof payload, "{\"t\":%lld}", now_micros());
    return s->api->event_raise(command, IA_STR("bench.ping"), ia_str_from_cstr(payload));
}

/* bench-data.record-latency: {"event_id": "...", "micros": n} */
static ia_status record_latency(void *user_data, ia_command *command) {
    state *s = user_data;
    char *json = payload_text(s, command);
    ia_status status = sql(s, s->api->command_db(command),
                           "INSERT INTO bench_latency (event_id, micros) SELECT $1::jsonb->>'event_id', ($1::jsonb->>'micros')::int8 "
                           "ON CONFLICT (event_id) DO NOTHING",
                           json ? json : "{}", NULL, NULL);
    free(json);
    return status;
}

/* bench-data.latency-stats: count, p50, p99, max in milliseconds. */
static ia_status latency_stats(void *user_data, ia_command *command) {
    state *s = user_data;
    char *result = NULL;
    ia_status status = sql(s, s->api->command_db(command),
                           "SELECT json_build_object('count', count(*), "
                           "'p50_ms', round((percentile_cont(0.5) WITHIN GROUP (ORDER BY micros) / 1000.0)::numeric, 2), "
                           "'p99_ms', round((percentile_cont(0.99) WITHIN GROUP (ORDER BY micros) / 1000.0)::numeric, 2), "
                           "'max_ms', round((max(micros) / 1000.0)::numeric, 2))::text FROM bench_latency",
                           NULL, NULL, &result);
    if (status == IA_OK && result) s->api->command_set_result(command, ia_str_from_cstr(result));
    free(result);
    return status;
}

/* The worker's handler: latency from the stamp to now, then recorded through a command. */
static ia_status on_ping(void *user_data, const ia_event *event, ia_error *error) {
    state *s = user_data;
    long long arrived = now_micros();
    const char *t = memchr(event->payload.data, ':', event->payload.len);
    long long stamped = t ? atoll(t + 1) : arrived;
    char json[160];
    snprintf(json, sizeof json, "{\"event_id\":\"%.*s\",\"micros\":%lld}", (int)event->id.len, event->id.data, arrived - stamped);
    ia_buffer *result = NULL;
    ia_status status = s->api->dispatch_command(s->host, IA_STR("bench-data.record-latency"), ia_str_from_cstr(json), &result, error);
    s->api->buffer_free(result);
    return status;
}

/* ---- command-line commands ---- */

typedef struct worker_args {
    state *s;
    int count;
    int failures;
} worker_args;

static void *insert_worker(void *arg) {
    worker_args *w = arg;
    for (int i = 0; i < w->count; i++) {
        ia_error error = { .struct_size = sizeof error };
        char payload[24];
        snprintf(payload, sizeof payload, "%d", i);
        if (w->s->api->dispatch_command(w->s->host, IA_STR("bench-data.insert"), ia_str_from_cstr(payload), NULL, &error) != IA_OK)
            w->failures++;
    }
    return NULL;
}

static int32_t bench_inserts(void *user_data, const ia_host_api *api, ia_host *host, int32_t argc, const char *const *argv) {
    (void)api;
    (void)host;
    state *s = user_data;
    int count = argc > 0 ? atoi(argv[0]) : 20000;
    int threads = argc > 1 ? atoi(argv[1]) : 16;
    if (count <= 0 || threads <= 0 || threads > 256) {
        fprintf(stderr, "usage: image-app bench-inserts --config FILE [COUNT] [THREADS]\n");
        return 64;
    }
    pthread_t ids[256];
    worker_args args[256];
    long long started = now_micros();
    for (int i = 0; i < threads; i++) {
        args[i] = (worker_args){ .s = s, .count = count / threads };
        pthread_create(&ids[i], NULL, insert_worker, &args[i]);
    }
    int failures = 0, done = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
        failures += args[i].failures;
        done += args[i].count;
    }
    double seconds = (now_micros() - started) / 1e6;
    printf("insert commands: %d in %.2f s = %.0f commands/s (%d threads, %d failed)\n", done, seconds, done / seconds, threads, failures);
    return failures == 0 ? 0 : 1;
}

static int32_t bench_events(void *user_data, const ia_host_api *api, ia_host *host, int32_t argc, const char *const *argv) {
    state *s = user_data;
    int count = argc > 0 ? atoi(argv[0]) : 2000;
    int per_second = argc > 1 ? atoi(argv[1]) : 200;
    if (count <= 0 || per_second <= 0) {
        fprintf(stderr, "usage: image-app bench-events --config FILE [COUNT] [PER_SECOND]\n");
        return 64;
    }
    long long started = now_micros();
    for (int i = 0; i < count; i++) {
        ia_error error = { .struct_size = sizeof error };
        if (api->dispatch_command(host, IA_STR("bench-data.ping"), IA_STR("{}"), NULL, &error) != IA_OK) {
            fprintf(stderr, "ping failed: %s\n", error.message);
            return 1;
        }
        long long due = started + (long long)(i + 1) * 1000000LL / per_second;
        long long wait = due - now_micros();
        if (wait > 0) usleep((useconds_t)wait);
    }
    /* Wait for the worker to have handled every event (up to a minute). */
    for (int tries = 0; tries < 600; tries++) {
        ia_buffer *result = NULL;
        ia_error error = { .struct_size = sizeof error };
        if (api->dispatch_query(s->host, IA_STR("bench-data.latency-stats"), IA_STR("{}"), &result, &error) == IA_OK && result) {
            ia_str view;
            api->buffer_view(result, &view);
            char needle[40];
            snprintf(needle, sizeof needle, "\"count\" : %d,", count);
            if (memmem(view.data, view.len, needle, strlen(needle))) {
                printf("event latency, commit to worker handler, %d events at %d/s: %.*s\n", count, per_second, (int)view.len, view.data);
                api->buffer_free(result);
                return 0;
            }
            api->buffer_free(result);
        }
        usleep(100000);
    }
    fprintf(stderr, "the worker did not handle every event within a minute (is `image-app serve --role worker` running?)\n");
    return 1;
}

/* ---- lifecycle ---- */

static ia_status bench_init(const ia_host_api *api, ia_host *host, void *unused, ia_error *error) {
    (void)unused;
    state *s = calloc(1, sizeof *s);
    if (!s) return IA_ERR_INTERNAL;
    s->api = api;
    s->host = host;
    ia_migration_def migration = {
        .struct_size = sizeof migration, .version = 1, .name = IA_STR("create_bench_tables"),
        .sql = IA_STR("CREATE TABLE bench_inserts (id bigserial PRIMARY KEY, v int8 NOT NULL);"
                      "CREATE TABLE bench_latency (event_id text PRIMARY KEY, micros int8 NOT NULL)"),
    };
    ia_command_def commands[] = {
        { .struct_size = sizeof(ia_command_def), .name = IA_STR("bench-data.insert"), .run = insert_command, .user_data = s },
        { .struct_size = sizeof(ia_command_def), .name = IA_STR("bench-data.ping"), .run = ping_command, .user_data = s },
        { .struct_size = sizeof(ia_command_def), .name = IA_STR("bench-data.record-latency"), .run = record_latency, .user_data = s },
    };
    ia_command_def stats = { .struct_size = sizeof stats, .name = IA_STR("bench-data.latency-stats"), .run = latency_stats, .user_data = s };
    ia_event_handler_def handler = { .struct_size = sizeof handler, .name = IA_STR("latency"), .event_type = IA_STR("bench.ping"),
                                     .handle = on_ping, .user_data = s };
    ia_cli_command_def inserts = { .struct_size = sizeof inserts, .name = IA_STR("bench-inserts"), .summary = IA_STR("Insert commands per second"),
                                   .usage = IA_STR("[COUNT] [THREADS]"), .run = bench_inserts, .user_data = s };
    ia_cli_command_def events = { .struct_size = sizeof events, .name = IA_STR("bench-events"), .summary = IA_STR("Event latency to a worker"),
                                  .usage = IA_STR("[COUNT] [PER_SECOND]"), .run = bench_events, .user_data = s };
    if (api->register_migration(host, &migration) != IA_OK || api->register_query(host, &stats) != IA_OK ||
        api->register_event_handler(host, &handler) != IA_OK || api->register_cli_command(host, &inserts) != IA_OK ||
        api->register_cli_command(host, &events) != IA_OK) {
        ia_error_set(error, IA_ERR_CONFLICT, "bench-data: a registration was refused");
        return IA_ERR_CONFLICT;
    }
    for (size_t i = 0; i < 3; i++) {
        if (api->register_command(host, &commands[i]) != IA_OK) return IA_ERR_CONFLICT;
    }
    return IA_OK;
}

static const ia_plugin_descriptor descriptor = {
    .struct_size = sizeof(ia_plugin_descriptor),
    .abi_major = IA_ABI_MAJOR,
    .abi_minor = IA_ABI_MINOR,
    .build_signature = IA_BUILD_SIGNATURE,
    .name = IA_STR_INIT("bench-data"),
    .version = IA_STR_INIT("1.0.0"),
    .init = bench_init,
};

const ia_plugin_descriptor *imageapp_plugin_entry(const ia_host_info *host) {
    (void)host;
    return &descriptor;
}
