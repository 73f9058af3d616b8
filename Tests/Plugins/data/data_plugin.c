/*
 * test-data: a fixture plugin for the data services of ABI 1.1 — migrations, commands in one
 * transaction (commit, rollback, refusal, retry on serialization failure) and queries — driven
 * by the integration tests through HTTP routes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "imageapp_plugin.h"

typedef struct plugin_state {
    const ia_host_api *api;
    ia_host *host;
    int64_t job_sleep_ms;
} plugin_state;

/* ---- helpers ---------------------------------------------------------------------------- */

/* Runs `sql` with text parameters and, when `out` is given, returns the first value of the
 * first row as a malloc'd string (NULL for no row or SQL NULL). */
static ia_status run_sql(const ia_host_api *api, ia_db *db, const char *sql, const char *const *params,
                         size_t count, char **out, ia_error *error) {
    ia_db_param values[4];
    for (size_t i = 0; i < count && i < 4; i++) {
        values[i].type = params[i] ? IA_DB_TEXT : IA_DB_NULL;
        values[i].reserved = 0;
        values[i].value = ia_str_from_cstr(params[i]);
    }
    ia_db_result *result = NULL;
    ia_status status = api->db_execute(db, ia_str_from_cstr(sql), values, count, out ? &result : NULL, error);
    if (status != IA_OK || out == NULL) return status;
    *out = NULL;
    ia_str value;
    if (api->db_result_rows(result) > 0 && api->db_result_value(result, 0, 0, &value) == IA_OK) {
        *out = malloc(value.len + 1);
        if (*out) {
            memcpy(*out, value.data, value.len);
            (*out)[value.len] = '\0';
        }
    }
    api->db_result_free(result);
    return IA_OK;
}

/* Copies a view into a NUL-terminated malloc'd string. */
static char *copy_view(ia_str view) {
    char *text = malloc(view.len + 1);
    if (text) {
        if (view.len) memcpy(text, view.data, view.len);
        text[view.len] = '\0';
    }
    return text;
}

/* ---- commands and queries --------------------------------------------------------------- */

/* test-data.create-note: {"body": "..."}. "reject" is refused (422); "fail-after-insert..."
 * inserts and then fails (so the insert must roll back); a duplicate body is refused (409). */
static ia_status create_note(void *user_data, ia_command *command) {
    plugin_state *state = user_data;
    const ia_host_api *api = state->api;
    ia_db *db = api->command_db(command);
    ia_str payload;
    api->command_payload(command, &payload);
    char *json = copy_view(payload);
    if (!json) return IA_ERR_INTERNAL;

    ia_error error = { .struct_size = sizeof(ia_error) };
    char *body = NULL;
    const char *extract[] = { json };
    ia_status status = run_sql(api, db, "SELECT $1::jsonb->>'body'", extract, 1, &body, &error);
    free(json);
    if (status != IA_OK) {
        api->command_fail(command, 400, IA_STR("invalid_json"), IA_STR("The payload is not valid JSON."));
        return IA_ERR_REJECTED;
    }
    if (body == NULL || strcmp(body, "reject") == 0) {
        free(body);
        api->command_fail(command, 422, IA_STR("body_rejected"), IA_STR("This body is not accepted."));
        return IA_ERR_REJECTED;
    }

    char *id = NULL;
    const char *insert[] = { body };
    status = run_sql(api, db, "INSERT INTO test_data_notes (body) VALUES ($1) RETURNING id", insert, 1, &id, &error);
    if (status == IA_ERR_CONFLICT) {
        free(body);
        api->command_fail(command, 409, IA_STR("duplicate_note"), IA_STR("A note with this body exists."));
        return IA_ERR_REJECTED;
    }
    if (status != IA_OK) {
        free(body);
        return status;
    }
    int fail_after = strncmp(body, "fail-after-insert", 17) == 0;
    int poison = strcmp(body, "poison") == 0;

    /* The event goes to the outbox in this transaction: delivered only if it commits. */
    char *event = NULL;
    const char *build_event[] = { id, body };
    status = run_sql(api, db, "SELECT json_build_object('id', $1::text, 'body', $2::text)::text", build_event, 2, &event, &error);
    free(body);
    if (status != IA_OK || event == NULL) {
        free(id);
        free(event);
        return status == IA_OK ? IA_ERR_INTERNAL : status;
    }
    api->event_raise(command, poison ? IA_STR("test.poison") : IA_STR("test.note_created"), ia_str_from_cstr(event));
    free(event);
    if (fail_after) {
        free(id);
        return IA_ERR_INTERNAL; /* the insert and the event above must not survive */
    }

    char attempt[16];
    snprintf(attempt, sizeof attempt, "%u", api->command_attempt(command));
    char *result = NULL;
    const char *build[] = { id, attempt };
    status = run_sql(api, db, "SELECT json_build_object('id', $1::text, 'attempt', $2::int)::text", build, 2, &result, &error);
    free(id);
    if (status == IA_OK && result) api->command_set_result(command, ia_str_from_cstr(result));
    free(result);
    return status;
}

/* test-data.increment (SERIALIZABLE): read, wait, write — two at once conflict, and the host
 * retries the loser. */
static ia_status increment(void *user_data, ia_command *command) {
    plugin_state *state = user_data;
    const ia_host_api *api = state->api;
    ia_db *db = api->command_db(command);
    ia_error error = { .struct_size = sizeof(ia_error) };
    char *value = NULL;
    ia_status status = run_sql(api, db, "SELECT value FROM test_data_counters WHERE name = 'c'", NULL, 0, &value, &error);
    if (status != IA_OK) return status;
    long long next = (value ? atoll(value) : 0) + 1;
    free(value);
    status = run_sql(api, db, "SELECT pg_sleep(0.3)", NULL, 0, NULL, &error);
    if (status != IA_OK) return status;
    char next_text[32], attempt[16];
    snprintf(next_text, sizeof next_text, "%lld", next);
    snprintf(attempt, sizeof attempt, "%u", api->command_attempt(command));
    const char *update[] = { next_text };
    status = run_sql(api, db, "UPDATE test_data_counters SET value = $1 WHERE name = 'c'", update, 1, NULL, &error);
    if (status != IA_OK) return status;
    char *result = NULL;
    const char *build[] = { next_text, attempt };
    status = run_sql(api, db, "SELECT json_build_object('value', $1::int8, 'attempt', $2::int)::text", build, 2, &result, &error);
    if (status == IA_OK && result) api->command_set_result(command, ia_str_from_cstr(result));
    free(result);
    return status;
}

/* Runs `sql` with the command's JSON payload as $1 (the statement unpacks it with jsonb). */
static ia_status insert_from_payload(void *user_data, ia_command *command, const char *sql) {
    plugin_state *state = user_data;
    const ia_host_api *api = state->api;
    ia_str payload;
    api->command_payload(command, &payload);
    char *json = copy_view(payload);
    if (!json) return IA_ERR_INTERNAL;
    ia_error error = { .struct_size = sizeof(ia_error) };
    const char *params[] = { json };
    ia_status status = run_sql(api, api->command_db(command), sql, params, 1, NULL, &error);
    free(json);
    return status;
}

/* test-data.record-delivery: {"handler","event_id","type","attempt","worker_pid","payload"} — one row per
 * delivery, so tests can count them. */
static ia_status record_delivery(void *user_data, ia_command *command) {
    return insert_from_payload(user_data, command,
                               "INSERT INTO test_data_deliveries (handler, event_id, type, body, attempt, pid) "
                               "SELECT j->>'handler', j->>'event_id', j->>'type', j->'payload'->>'body', (j->>'attempt')::int, "
                               "(j->>'worker_pid')::int FROM (SELECT $1::jsonb AS j) AS p");
}

/* Records a delivery through a command (handlers reach the database only through commands). */
static ia_status record_event(plugin_state *state, const char *handler, const ia_event *event, ia_error *error) {
    const ia_host_api *api = state->api;
    char *payload = copy_view(event->payload);
    char *id = copy_view(event->id);
    char *type = copy_view(event->type);
    char *json = NULL;
    ia_status status = IA_ERR_INTERNAL;
    if (payload && id && type) {
        size_t size = strlen(payload) + strlen(id) + strlen(type) + strlen(handler) + 128;
        json = malloc(size);
        if (json) {
            /* The payload is JSON already: nest it as is; the command reads payload->body. */
            snprintf(json, size, "{\"handler\":\"%s\",\"event_id\":\"%s\",\"type\":\"%s\",\"attempt\":%u,\"worker_pid\":%d,\"payload\":%s}",
                     handler, id, type, event->attempt, (int)getpid(), payload);
            ia_buffer *result = NULL;
            status = api->dispatch_command(state->host, IA_STR("test-data.record-delivery"), ia_str_from_cstr(json), &result, error);
            api->buffer_free(result);
        }
    }
    free(payload);
    free(id);
    free(type);
    free(json);
    return status;
}

/* Worker handler: records every test.* delivery; test.poison always fails afterwards. */
static ia_status on_test_event(void *user_data, const ia_event *event, ia_error *error) {
    ia_status status = record_event(user_data, "recorder", event, error);
    if (status != IA_OK) return status;
    if (event->type.len == 11 && memcmp(event->type.data, "test.poison", 11) == 0) {
        ia_error_set(error, IA_ERR_INTERNAL, "poison events always fail (test fixture)");
        return IA_ERR_INTERNAL;
    }
    return IA_OK;
}

/* In-process handler: records note_created events in the committing process. */
static ia_status on_note_in_process(void *user_data, const ia_event *event, ia_error *error) {
    return record_event(user_data, "inproc", event, error);
}

/* test-data.record-job-run: {"pid", "started_ms", "finished_ms"}. */
static ia_status record_job_run(void *user_data, ia_command *command) {
    return insert_from_payload(user_data, command,
                               "INSERT INTO test_data_job_runs (pid, started_ms, finished_ms) "
                               "SELECT (j->>'pid')::int, (j->>'started_ms')::int8, (j->>'finished_ms')::int8 "
                               "FROM (SELECT $1::jsonb AS j) AS p");
}

/* The "ticker" job: sleeps job_sleep_ms, then records its run (process, start, end). */
static ia_status ticker(void *user_data, const ia_job_run *run, ia_error *error) {
    plugin_state *state = user_data;
    struct timespec pause = { state->job_sleep_ms / 1000, (state->job_sleep_ms % 1000) * 1000000L };
    nanosleep(&pause, NULL);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long long finished = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    char json[160];
    snprintf(json, sizeof json, "{\"pid\":%d,\"started_ms\":%lld,\"finished_ms\":%lld}", (int)getpid(), (long long)run->started_at_ms, finished);
    ia_buffer *result = NULL;
    ia_status status = state->api->dispatch_command(state->host, IA_STR("test-data.record-job-run"), ia_str_from_cstr(json), &result, error);
    state->api->buffer_free(result);
    return status;
}

/* test-data.list: every note, oldest first. */
static ia_status list_notes(void *user_data, ia_command *command) {
    plugin_state *state = user_data;
    const ia_host_api *api = state->api;
    ia_error error = { .struct_size = sizeof(ia_error) };
    char *result = NULL;
    ia_status status = run_sql(api, api->command_db(command),
                               "SELECT json_build_object('items', coalesce(json_agg(body ORDER BY id), '[]'::json))::text "
                               "FROM test_data_notes",
                               NULL, 0, &result, &error);
    if (status == IA_OK && result) api->command_set_result(command, ia_str_from_cstr(result));
    free(result);
    return status;
}

/* test-data.echo: answers {"echo":true} without a statement (a query served from a cache). */
static ia_status echo(void *user_data, ia_command *command) {
    plugin_state *state = user_data;
    state->api->command_set_result(command, IA_STR("{\"echo\":true}"));
    return IA_OK;
}

/* test-data.hold: holds its connection until advisory lock {"lock": N} is free (a query as slow as the test wants). */
static ia_status hold(void *user_data, ia_command *command) {
    plugin_state *state = user_data;
    const ia_host_api *api = state->api;
    ia_error error = { .struct_size = sizeof(ia_error) };
    ia_str payload = IA_STR("{}");
    api->command_payload(command, &payload);
    char *text = copy_view(payload);
    const char *params[] = { text };
    ia_status status = run_sql(api, api->command_db(command), "SELECT pg_advisory_xact_lock(($1::jsonb->>'lock')::bigint)", params, 1, NULL, &error);
    free(text);
    if (status == IA_OK) api->command_set_result(command, IA_STR("{\"held\":true}"));
    return status;
}

/* test-data.broken: a statement that fails (division by zero). */
static ia_status broken_run(void *user_data, ia_command *command) {
    plugin_state *state = user_data;
    ia_error error = { .struct_size = sizeof(ia_error) };
    return run_sql(state->api, state->api->command_db(command), "SELECT 1 / 0", NULL, 0, NULL, &error);
}

/* Dispatches query `name` from inside a handler; the result is freed. */
static ia_status nested_query(plugin_state *state, const char *name) {
    ia_buffer *result = NULL;
    ia_error error = { .struct_size = sizeof(ia_error) };
    ia_status status = state->api->dispatch_query(state->host, ia_str_from_cstr(name), IA_STR("{}"), &result, &error);
    if (result) state->api->buffer_free(result);
    return status;
}

/* test-data.list-around-failure: a query nested in a query: list (succeeds), broken (fails, and must not abort this
 * transaction), then a statement of its own. */
static ia_status list_around_failure(void *user_data, ia_command *command) {
    plugin_state *state = user_data;
    if (nested_query(state, "test-data.list") != IA_OK) return IA_ERR_INTERNAL;
    if (nested_query(state, "test-data.broken") == IA_OK) return IA_ERR_INTERNAL;
    return list_notes(user_data, command);
}

/* test-data.nested: a command that inserts, runs queries nested one and two deep around failing ones, and inserts
 * again: both inserts must commit. */
static ia_status nested_run(void *user_data, ia_command *command) {
    plugin_state *state = user_data;
    const ia_host_api *api = state->api;
    ia_db *db = api->command_db(command);
    ia_error error = { .struct_size = sizeof(ia_error) };
    ia_status status = run_sql(api, db, "INSERT INTO test_data_notes (body) VALUES ('nested-before')", NULL, 0, NULL, &error);
    if (status != IA_OK) return status;
    if (nested_query(state, "test-data.list") != IA_OK) return IA_ERR_INTERNAL;
    if (nested_query(state, "test-data.broken") == IA_OK) return IA_ERR_INTERNAL;
    if (nested_query(state, "test-data.list-around-failure") != IA_OK) return IA_ERR_INTERNAL;
    status = run_sql(api, db, "INSERT INTO test_data_notes (body) VALUES ('nested-after')", NULL, 0, NULL, &error);
    if (status != IA_OK) return status;
    return list_notes(user_data, command);
}

/* ---- routes ----------------------------------------------------------------------------- */

/* Answers an HTTP request with the outcome of a dispatch. */
static void respond(const ia_host_api *api, ia_request *req, ia_status status, int32_t success,
                    ia_buffer *result, const ia_error *error) {
    ia_str body = IA_STR("{}");
    if (result) api->buffer_view(result, &body);
    api->response_add_header(req, IA_STR("Content-Type"), IA_STR("application/json"));
    if (status == IA_OK) {
        api->response_set_status(req, success);
        api->response_set_body(req, body.data, body.len);
    } else if (status == IA_ERR_REJECTED) {
        api->response_set_status(req, error->code);
        api->response_set_body(req, body.data, body.len);
    } else {
        char text[512];
        const char *code = status == IA_ERR_UNAVAILABLE ? "unavailable" : "internal_error";
        if (status == IA_ERR_UNAVAILABLE) api->response_add_header(req, IA_STR("Retry-After"), IA_STR("1"));
        api->response_set_status(req, status == IA_ERR_UNAVAILABLE ? 503 : 500);
        int n = snprintf(text, sizeof text, "{\"error\":{\"code\":\"%s\",\"message\":\"The command failed.\",\"details\":{\"status\":\"%d\",\"sqlstate\":\"%s\"}}}",
                         code, status, error->sqlstate);
        api->response_set_body(req, text, (size_t)n);
    }
    api->buffer_free(result);
}

static ia_status dispatch_route(plugin_state *state, ia_request *req, const char *name, int query, int32_t success) {
    const ia_host_api *api = state->api;
    const void *data = NULL;
    size_t len = 0;
    api->request_body(req, &data, &len);
    ia_str payload = { data, len };
    ia_buffer *result = NULL;
    ia_error error = { .struct_size = sizeof(ia_error) };
    ia_status status = query ? api->dispatch_query(state->host, ia_str_from_cstr(name), payload, &result, &error)
                             : api->dispatch_command(state->host, ia_str_from_cstr(name), payload, &result, &error);
    if (status != IA_OK && status != IA_ERR_REJECTED) api->request_log(req, IA_LOG_ERROR, ia_str_from_cstr(error.message));
    respond(api, req, status, success, result, &error);
    return IA_OK;
}

static ia_status create_route(void *user_data, ia_request *req) {
    return dispatch_route(user_data, req, "test-data.create-note", 0, 201);
}
static ia_status increment_route(void *user_data, ia_request *req) {
    return dispatch_route(user_data, req, "test-data.increment", 0, 200);
}
static ia_status list_route(void *user_data, ia_request *req) {
    return dispatch_route(user_data, req, "test-data.list", 1, 200);
}
static ia_status nested_route(void *user_data, ia_request *req) {
    return dispatch_route(user_data, req, "test-data.nested", 0, 200);
}
static ia_status list_around_failure_route(void *user_data, ia_request *req) {
    return dispatch_route(user_data, req, "test-data.list-around-failure", 1, 200);
}
static ia_status echo_route(void *user_data, ia_request *req) {
    return dispatch_route(user_data, req, "test-data.echo", 1, 200);
}
static ia_status hold_route(void *user_data, ia_request *req) {
    return dispatch_route(user_data, req, "test-data.hold", 1, 200);
}

/* ---- lifecycle -------------------------------------------------------------------------- */

static ia_status data_init(const ia_host_api *api, ia_host *host, void *unused, ia_error *error) {
    (void)unused;
    plugin_state *state = calloc(1, sizeof *state);
    if (!state) return IA_ERR_INTERNAL;
    state->api = api;
    state->host = host;
    if (!IA_HAS(api, buffer_free)) {
        ia_error_set(error, IA_ERR_UNSUPPORTED, "test-data needs plugin ABI 1.1");
        return IA_ERR_UNSUPPORTED;
    }

    ia_migration_def migrations[] = {
        { .struct_size = sizeof(ia_migration_def), .version = 1, .name = IA_STR("create_notes"),
          .sql = IA_STR("CREATE TABLE test_data_notes (id bigserial PRIMARY KEY, body text NOT NULL UNIQUE)") },
        { .struct_size = sizeof(ia_migration_def), .version = 2, .name = IA_STR("create_counters"),
          .sql = IA_STR("CREATE TABLE test_data_counters (name text PRIMARY KEY, value int8 NOT NULL);"
                        "INSERT INTO test_data_counters VALUES ('c', 0)") },
        { .struct_size = sizeof(ia_migration_def), .version = 3, .name = IA_STR("create_deliveries"),
          .sql = IA_STR("CREATE TABLE test_data_deliveries (handler text, event_id text, type text, body text, "
                        "attempt int, pid int, at timestamptz DEFAULT clock_timestamp())") },
        { .struct_size = sizeof(ia_migration_def), .version = 4, .name = IA_STR("create_job_runs"),
          .sql = IA_STR("CREATE TABLE test_data_job_runs (pid int, started_ms int8, finished_ms int8)") },
    };
    for (size_t i = 0; i < 4; i++) {
        ia_status status = api->register_migration(host, &migrations[i]);
        if (status != IA_OK) return status;
    }
    int32_t broken = 0;
    if (api->config_bool(host, IA_STR("broken_migration"), &broken) == IA_OK && broken) {
        ia_migration_def bad = { .struct_size = sizeof bad, .version = 5, .name = IA_STR("broken"),
                                 .sql = IA_STR("CREATE TABLE test_data_half (a int); SELEKT nonsense") };
        api->register_migration(host, &bad);
    }

    ia_command_def create = { .struct_size = sizeof create, .name = IA_STR("test-data.create-note"), .run = create_note, .user_data = state };
    ia_command_def inc = { .struct_size = sizeof inc, .flags = IA_COMMAND_SERIALIZABLE, .name = IA_STR("test-data.increment"), .run = increment, .user_data = state };
    ia_command_def list = { .struct_size = sizeof list, .name = IA_STR("test-data.list"), .run = list_notes, .user_data = state };
    ia_command_def echo_query = { .struct_size = sizeof echo_query, .name = IA_STR("test-data.echo"), .run = echo, .user_data = state };
    ia_command_def hold_query = { .struct_size = sizeof hold_query, .name = IA_STR("test-data.hold"), .run = hold, .user_data = state };
    ia_command_def broken_query = { .struct_size = sizeof broken_query, .name = IA_STR("test-data.broken"), .run = broken_run, .user_data = state };
    ia_command_def around_query = { .struct_size = sizeof around_query, .name = IA_STR("test-data.list-around-failure"), .run = list_around_failure, .user_data = state };
    ia_command_def nested_command = { .struct_size = sizeof nested_command, .name = IA_STR("test-data.nested"), .run = nested_run, .user_data = state };
    ia_command_def record = { .struct_size = sizeof record, .name = IA_STR("test-data.record-delivery"), .run = record_delivery, .user_data = state };
    ia_command_def job_run = { .struct_size = sizeof job_run, .name = IA_STR("test-data.record-job-run"), .run = record_job_run, .user_data = state };
    if (api->register_command(host, &job_run) != IA_OK) return IA_ERR_CONFLICT;

    /* The ticker job only when the test asks for it (job_interval_ms). */
    int64_t interval = 0;
    if (api->config_int(host, IA_STR("job_interval_ms"), &interval) == IA_OK) {
        if (api->config_int(host, IA_STR("job_sleep_ms"), &state->job_sleep_ms) != IA_OK) state->job_sleep_ms = 0;
        ia_job_def job = { .struct_size = sizeof job, .name = IA_STR("ticker"), .interval_ms = interval, .run = ticker, .user_data = state };
        ia_status status = api->register_job(host, &job);
        if (status != IA_OK) return status;
    }
    if (api->register_command(host, &create) != IA_OK || api->register_command(host, &inc) != IA_OK ||
        api->register_command(host, &record) != IA_OK || api->register_query(host, &list) != IA_OK ||
        api->register_query(host, &echo_query) != IA_OK || api->register_query(host, &hold_query) != IA_OK ||
        api->register_query(host, &broken_query) != IA_OK || api->register_query(host, &around_query) != IA_OK ||
        api->register_command(host, &nested_command) != IA_OK)
        return IA_ERR_CONFLICT;

    ia_event_handler_def recorder = { .struct_size = sizeof recorder, .name = IA_STR("recorder"),
                                      .event_type = IA_STR("test.*"), .handle = on_test_event, .user_data = state };
    ia_event_handler_def inproc = { .struct_size = sizeof inproc, .flags = IA_EVENT_IN_PROCESS, .name = IA_STR("inproc"),
                                    .event_type = IA_STR("test.note_created"), .handle = on_note_in_process, .user_data = state };
    if (api->register_event_handler(host, &recorder) != IA_OK || api->register_event_handler(host, &inproc) != IA_OK)
        return IA_ERR_CONFLICT;

    ia_route_def routes[] = {
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("POST"), .path = IA_STR("/api/v1/test/data/notes"),
          .handler = create_route, .user_data = state, .success_status = 201 },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("GET"), .path = IA_STR("/api/v1/test/data/notes"),
          .handler = list_route, .user_data = state },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("POST"), .path = IA_STR("/api/v1/test/data/increment"),
          .handler = increment_route, .user_data = state },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("POST"), .path = IA_STR("/api/v1/test/data/echo"),
          .handler = echo_route, .user_data = state },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("POST"), .path = IA_STR("/api/v1/test/data/hold"),
          .handler = hold_route, .user_data = state },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("POST"), .path = IA_STR("/api/v1/test/data/nested"),
          .handler = nested_route, .user_data = state },
        { .struct_size = sizeof(ia_route_def), .method = IA_STR("GET"), .path = IA_STR("/api/v1/test/data/around-failure"),
          .handler = list_around_failure_route, .user_data = state },
    };
    for (size_t i = 0; i < 7; i++) {
        ia_status status = api->register_route(host, &routes[i]);
        if (status != IA_OK) return status;
    }
    return IA_OK;
}

static const ia_str no_dependencies[1] = { IA_STR_INIT("") };

static const ia_plugin_descriptor descriptor = {
    .struct_size = sizeof(ia_plugin_descriptor),
    .abi_major = IA_ABI_MAJOR,
    .abi_minor = IA_ABI_MINOR,
    .build_signature = IA_BUILD_SIGNATURE,
    .name = IA_STR_INIT("test-data"),
    .version = IA_STR_INIT("1.0.0"),
    .dependencies = no_dependencies,
    .dependency_count = 0,
    .init = data_init,
};

const ia_plugin_descriptor *imageapp_plugin_entry(const ia_host_info *host) {
    (void)host;
    return &descriptor;
}
