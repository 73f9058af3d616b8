/*
 * imageapp_plugin.h — the Image App plugin ABI.
 *
 * This header IS the contract between the Image App host and its plugins. A plugin is a
 * shared library that exports exactly one symbol, `imageapp_plugin_entry`, and talks to the
 * host only through the function table (`ia_host_api`) it is handed in `init`.
 *
 * Stability rules (see docs/PLUGINS.md):
 *   - ABI major 1 is frozen: structs and the function table only ever grow at the END.
 *     Nothing is reordered, retyped or removed. A new capability is a new slot; test for it
 *     with IA_HAS(api, slot) before calling it.
 *   - Every struct that crosses the boundary starts with `struct_size`, set by whoever fills
 *     it in to sizeof() as *they* compiled it (Swift: MemoryLayout<T>.stride, which counts
 *     tail padding as sizeof does). The reader only looks at fields that lie inside that size;
 *     fields beyond it read as zero, and fields beyond what the reader knows are ignored. A
 *     plugin struct smaller than the struct's size in the minor that introduced it (1.0 for
 *     most) is refused with a message; growing a struct never makes a host refuse an older
 *     plugin.
 *   - Flags fields: bits this header does not define are reserved. A host refuses a
 *     registration (or descriptor) that sets a bit it does not know, naming the plugin, the
 *     struct and the bits (hosts since ABI 1.8).
 *   - Owned pointers handed out through an out-parameter (ia_buffer **, ia_db_result **,
 *     ia_redis_reply **, key_out, replies[]): the host sets every one of them to NULL on
 *     entry, so on any failure they are NULL and there is nothing to free; the exceptions
 *     (a refusal's body from dispatch_command, a Redis error reply) are written on their slot
 *     (hosts since ABI 1.8; older hosts left them untouched on some failures).
 *   - Only C types cross. Plugins see opaque handles (ia_host, ia_request, ia_metric) and
 *     never allocate, copy or embed host structures.
 *   - Strings cross as UTF-8 views (ia_str: pointer + length). A view handed OUT by the host
 *     is also NUL-terminated for the convenience of C code. A view handed IN by the plugin
 *     need not be; the host copies what it keeps before the call returns.
 *   - Nothing unwinds across the boundary: no C++ exceptions, no longjmp, no Swift `throws`.
 *     Errors are ia_status codes, plus an ia_error message buffer where one is passed.
 *     A crash (abort, fatalError, segfault) in a plugin takes the whole host process down.
 *   - Libraries are opened with RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE and never unloaded.
 *
 * Threading vocabulary used on every function below:
 *   [lifecycle thread]  the single thread that runs entry/init/start/stop, one plugin at a time.
 *   [init only]         only while this plugin's `init` callback is running.
 *   [handler thread]    the thread running the route handler or middleware that received the
 *                       request; after a handler returns IA_PENDING, any ONE thread at a time.
 *   [any thread]        thread-safe; may be called concurrently from any thread.
 */
#ifndef IMAGEAPP_PLUGIN_H
#define IMAGEAPP_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------
 * Versions
 * ---------------------------------------------------------------------------------------- */

/** ABI major: a host refuses plugins built against another major. */
#define IA_ABI_MAJOR 1
/** ABI minor: grows when slots or fields are appended. A host refuses a plugin that declares a
 *  minor newer than its own (the plugin may call slots the host does not have). */
#define IA_ABI_MINOR 14

/** The one symbol a plugin exports (see ia_plugin_entry_fn). */
#define IA_ENTRY_SYMBOL "imageapp_plugin_entry"

/** Pointer width and byte order the plugin was compiled with; the host refuses a mismatch. */
#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define IA_BUILD_SIGNATURE ((uint32_t)(0x49410000u | ((uint32_t)sizeof(void *) << 8) | 0x02u))
#else
#define IA_BUILD_SIGNATURE ((uint32_t)(0x49410000u | ((uint32_t)sizeof(void *) << 8) | 0x01u))
#endif

/* ------------------------------------------------------------------------------------------
 * Basic types
 * ---------------------------------------------------------------------------------------- */

/** A UTF-8 string view: `len` bytes at `data`. `data` may be NULL when `len` is 0. */
typedef struct ia_str {
    const char *data;
    size_t len;
} ia_str;

/** Builds an ia_str from a string literal (an expression, for calls). */
#define IA_STR(literal) ((ia_str){ (literal), sizeof(literal) - 1 })
/** The same as a brace initialiser, for static storage (descriptors, dependency arrays). */
#define IA_STR_INIT(literal) { (literal), sizeof(literal) - 1 }
/** Builds an ia_str from a NUL-terminated C string (NULL gives the empty view). */
static inline ia_str ia_str_from_cstr(const char *s) {
    ia_str v = { s, s ? strlen(s) : 0 };
    return v;
}

/** Status codes. Negative values are errors; append-only; tolerate unknown values. */
typedef int32_t ia_status;
#define IA_OK 0                    /* success; for middleware: continue with the next one */
#define IA_PENDING 1               /* handler: the response will be finished by request_complete */
#define IA_DONE 2                  /* middleware: it wrote the response; stop the chain */
#define IA_WOULD_BLOCK 3           /* ABI 1.7: a middleware or handler running where it must not block
                                      (request_can_block is 0) needs to block: the host runs the same step
                                      again on a worker thread. Return it before writing the response or
                                      setting anything; hosts before 1.7 answer it with 500 */
#define IA_ERR_INVALID_ARGUMENT (-1)
#define IA_ERR_NOT_FOUND (-2)
#define IA_ERR_CONFLICT (-3)       /* e.g. a route or name already registered */
#define IA_ERR_STATE (-4)          /* called in the wrong lifecycle phase or after completion */
#define IA_ERR_UNSUPPORTED (-5)
#define IA_ERR_INTERNAL (-6)
#define IA_ERR_TOO_LARGE (-7)
#define IA_ERR_TYPE (-8)           /* a setting exists but has another type */
/* ABI 1.1 */
#define IA_ERR_DATABASE (-9)       /* the database refused a statement; ia_error has the SQLSTATE */
#define IA_ERR_UNAVAILABLE (-10)   /* a dependency is down, or a transient failure outlasted the
                                      retries: try again later (HTTP 503) */
#define IA_ERR_REJECTED (-11)      /* a command or query refused its input (command_fail) */
/* ABI 1.8 */
#define IA_ERR_REDIS_REPLY (-12)   /* redis_command/redis_pipeline: the server answered with an error
                                      reply. The reply (type IA_REDIS_ERROR) is still handed out, so
                                      its text can be read; free it as usual. Returned only to plugins
                                      whose descriptor declares abi_minor >= 8: older ones get IA_OK
                                      and the error reply, as before. */

/** Log levels (the swift-log levels). */
#define IA_LOG_TRACE 0
#define IA_LOG_DEBUG 1
#define IA_LOG_INFO 2
#define IA_LOG_NOTICE 3
#define IA_LOG_WARNING 4
#define IA_LOG_ERROR 5
#define IA_LOG_CRITICAL 6

/** Opaque handles. Owned by the host; never freed by a plugin. */
typedef struct ia_host ia_host;       /* one per loaded plugin; valid for the process lifetime */
typedef struct ia_request ia_request; /* one per HTTP exchange; valid until it is completed.
                                         Hosts since ABI 1.8 detect a handle used after completion
                                         (request_complete, or the host's own answer: timeout,
                                         overload): the call returns IA_ERR_STATE (count and flag
                                         slots return 0, request_log does nothing) and the host
                                         logs it. Older hosts may crash. */
typedef struct ia_metric ia_metric;   /* valid for the process lifetime */

/** An error message buffer OWNED BY THE CALLER — the host for lifecycle callbacks and
 *  handlers, the plugin for the host calls that take one — zero-filled, with struct_size set
 *  to the caller's sizeof. The callee writes a NUL-terminated human sentence into `message`
 *  (truncating as needed) and sets `code`: the ia_status it returns, except where a slot says
 *  otherwise (dispatch_command puts the HTTP status of a refusal there). Use ia_error_set. */
typedef struct ia_error {
    uint32_t struct_size;
    int32_t code;
    char message[256];
    /* ABI 1.1 */
    char sqlstate[8];          /* database errors: the SQLSTATE ("23505"), NUL-terminated; else "" */
} ia_error;

/** Writes `message` into `error` (truncated, NUL-terminated) and sets its code. NULL-safe. */
static inline void ia_error_set(ia_error *error, int32_t code, const char *message) {
    if (error == NULL) return;
    error->code = code;
    if (message == NULL) { error->message[0] = '\0'; return; }
    size_t n = strlen(message);
    if (n >= sizeof(error->message)) n = sizeof(error->message) - 1;
    memcpy(error->message, message, n);
    error->message[n] = '\0';
}

/* ------------------------------------------------------------------------------------------
 * Handshake
 * ---------------------------------------------------------------------------------------- */

/** What the host tells the plugin about itself. OWNED BY THE HOST; valid for the call. */
typedef struct ia_host_info {
    uint32_t struct_size;
    uint16_t abi_major;        /* the host's IA_ABI_MAJOR */
    uint16_t abi_minor;        /* the host's IA_ABI_MINOR */
    ia_str host_version;       /* e.g. "0.1.0" */
    ia_str toolchain;          /* "swift-X.Y": the Swift release the host was built with */
} ia_host_info;

typedef struct ia_host_api ia_host_api;

/** `init`: register routes, middleware, commands and metrics; read settings. [lifecycle thread]
 *  Must not start threads or open connections (use `start`): `image-app plugins` and
 *  `check-config` run `init` without `start`. Return IA_OK, or an error with `error` filled. */
typedef ia_status (*ia_init_fn)(const ia_host_api *api, ia_host *host, void *user_data, ia_error *error);
/** `start`: all plugins are initialised; acquire resources. [lifecycle thread] */
typedef ia_status (*ia_start_fn)(const ia_host_api *api, ia_host *host, void *user_data, ia_error *error);
/** `stop`: the server has drained in-flight requests; release resources. Called in reverse
 *  load order, only for plugins whose `start` succeeded. [lifecycle thread] */
typedef void (*ia_stop_fn)(const ia_host_api *api, ia_host *host, void *user_data);

/** The plugin's half of the handshake. OWNED BY THE PLUGIN: it must stay valid and unchanged
 *  for the life of the process (use static storage). The host reads it before calling any
 *  other plugin code. */
typedef struct ia_plugin_descriptor {
    uint32_t struct_size;      /* sizeof(ia_plugin_descriptor) as the plugin compiled it */
    uint16_t abi_major;        /* IA_ABI_MAJOR the plugin was built against */
    uint16_t abi_minor;        /* the lowest host minor the plugin needs: normally IA_ABI_MINOR.
                                  A plugin that guards newer slots with IA_HAS may declare a
                                  lower minor so that older hosts accept it. The host also uses
                                  it to keep older behaviour for older plugins (IA_ERR_REDIS_REPLY
                                  is returned only when it is >= 8). */
    uint32_t build_signature;  /* IA_BUILD_SIGNATURE */
    uint32_t flags;            /* reserved; 0 (a host since 1.8 refuses unknown bits) */
    ia_str name;               /* 1-64 chars of [a-z0-9-]; must match its plugins.conf section */
    ia_str version;            /* the plugin's own version, e.g. "1.2.0" */
    const ia_str *dependencies;/* names of plugins that must be loaded (and started) first */
    size_t dependency_count;
    void *user_data;           /* passed back to init/start/stop */
    ia_init_fn init;           /* required */
    ia_start_fn start;         /* optional (NULL) */
    ia_stop_fn stop;           /* optional (NULL) */
    ia_str toolchain;          /* Swift plugins: "swift-X.Y.Z" they were built with; C: empty.
                                  The host refuses a different X.Y than its own (Swift has no
                                  stable ABI on Linux). */
} ia_plugin_descriptor;

/** The entry point every plugin exports as `imageapp_plugin_entry`. [lifecycle thread]
 *  `host` is OWNED BY THE HOST and valid for the call. Return the plugin's descriptor, or NULL
 *  to decline this host (the host then refuses to start, naming the plugin). */
typedef const ia_plugin_descriptor *(*ia_plugin_entry_fn)(const ia_host_info *host);

/** Marks the entry point as exported from the shared library. */
#define IA_PLUGIN_EXPORT __attribute__((visibility("default")))

#ifndef IA_NO_ENTRY_PROTOTYPE
/** The prototype C plugins implement (define IA_NO_ENTRY_PROTOTYPE to leave it out). */
IA_PLUGIN_EXPORT const ia_plugin_descriptor *imageapp_plugin_entry(const ia_host_info *host);
#endif

/* ------------------------------------------------------------------------------------------
 * Multipart (ABI 1.8): the parts of a multipart/form-data body, for IA_ROUTE_MULTIPART routes
 * ---------------------------------------------------------------------------------------- */

#define IA_PART_HAS_FILENAME (1u << 0) /* the part's Content-Disposition had a filename */
#define IA_PART_SPOOLED      (1u << 1) /* the part is in a file (`path`), not in memory (`data`) */

/** One part, as request_part_at fills it. The CALLER owns the struct (set struct_size to its
 *  sizeof; the host fills fields up to it); every view and pointer the host puts in it is
 *  OWNED BY THE HOST and lives until the request completes. */
typedef struct ia_multipart_part {
    uint32_t struct_size;
    uint32_t flags;            /* IA_PART_* */
    ia_str name;               /* the form field: Content-Disposition's `name` */
    ia_str filename;           /* the file name as sent (UTF-8; `filename*` decoded); empty unless
                                  IA_PART_HAS_FILENAME. Never trust it as a path */
    ia_str content_type;       /* the part's Content-Type as sent; empty when it had none */
    uint64_t size;             /* bytes in the part's body */
    const void *data;          /* in memory: the bytes (NULL when size is 0); spooled: NULL (use
                                  request_part_bytes, or read `path`) */
    ia_str path;               /* IA_PART_SPOOLED: an absolute path of a file holding the bytes,
                                  removed by the host when the request completes (also on timeout,
                                  error or disconnect); empty otherwise. Read it, do not move it */
} ia_multipart_part;

/* ------------------------------------------------------------------------------------------
 * Registration structs (all OWNED BY THE PLUGIN, read during the call; the host copies
 * every string and array it keeps)
 * ---------------------------------------------------------------------------------------- */

/** A route handler. Runs on a host worker thread (or an event-loop thread for
 *  IA_ROUTE_NONBLOCKING routes). Read the request and write the response through the API,
 *  then return:
 *    IA_OK       the response is complete (status defaults to 200, body to empty);
 *    IA_PENDING  the plugin will finish it later with api->request_complete(req), from any
 *                thread, exactly once — the worker thread is released meanwhile;
 *    any error   the host answers 500 `internal_error` (nothing is leaked to the client). */
typedef ia_status (*ia_handler_fn)(void *user_data, ia_request *req);

/** Route flags. */
#define IA_ROUTE_NONBLOCKING   (1u << 0) /* never blocks: the host may run it on an event loop */
#define IA_ROUTE_REQUIRE_USER  (1u << 1) /* host answers 401 unless middleware set a principal */
#define IA_ROUTE_REQUIRE_ADMIN (1u << 2) /* host answers 401/403 unless the principal is admin */
#define IA_ROUTE_HIDDEN        (1u << 3) /* left out of the OpenAPI document */
#define IA_ROUTE_MULTIPART     (1u << 4) /* ABI 1.8: the host parses a multipart/form-data body itself and
                                            hands the handler its parts (request_part_*); request_body is
                                            then empty. See "Multipart uploads" in docs/PLUGINS.md */
#define IA_ROUTE_FORM_OR_BODY  (1u << 5) /* ABI 1.13, only with IA_ROUTE_MULTIPART (else the route is refused):
                                            the route also takes a plain body. A request whose Content-Type's
                                            media type is multipart/form-data (case-insensitive, parameters
                                            aside) is read as a form, exactly as without this flag; any other
                                            request (JSON, or no body at all) is read whole into request_body,
                                            within host.body_limit_bytes (413 beyond, before reading when
                                            Content-Length announces it), and request_part_count gives IA_OK
                                            and 0 parts. The same handler runs either way: tell the two apart
                                            by that Content-Type rule. OpenAPI lists both bodies: the form
                                            (request_schema) and application/json (body_schema). See "Routes
                                            that take a form or a body" in docs/PLUGINS.md */

/** A route. `path` is literal segments and `{name}` parameters, e.g. `/api/v1/users/{handle}`;
 *  a last segment `{name...}` captures the rest of the path. Two routes with the same method and
 *  the same shape (parameter names aside) collide and the second plugin is refused. */
typedef struct ia_route_def {
    uint32_t struct_size;
    uint32_t flags;            /* IA_ROUTE_*; other bits are refused */
    ia_str method;             /* GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS */
    ia_str path;
    ia_handler_fn handler;     /* required */
    void *user_data;           /* passed to handler; OWNED BY THE PLUGIN, must outlive the process.
                                  Keep per-plugin state (including `api`) here rather than in
                                  globals: tests may run several hosts in one process. */
    uint64_t max_body_bytes;   /* 0: the host's body_limit; otherwise this route's limit */
    int32_t success_status;    /* documented success status (OpenAPI); 0 means 200 */
    uint32_t reserved;         /* 0 */
    /* Optional metadata for GET /api/v1/openapi.json; empty views are left out. */
    ia_str summary;
    ia_str description;
    ia_str tag;
    ia_str request_schema;     /* JSON Schema (JSON text) of the body (application/json unless below) */
    ia_str response_schema;    /* JSON Schema (JSON text) of the success body */
    /* ABI 1.7 (read only when struct_size covers it): */
    ia_str request_content_type; /* the body's media type for OpenAPI, e.g. "multipart/form-data"
                                    (request_schema then describes the form's fields); empty means
                                    application/json */
    /* ABI 1.8 (read only when struct_size covers them; only for IA_ROUTE_MULTIPART routes, whose
       total size limit is max_body_bytes, 0 meaning host.multipart_max_total_bytes): */
    uint32_t multipart_max_parts;      /* most parts; 0: host.multipart_max_parts */
    uint32_t reserved2;                /* 0 */
    uint64_t multipart_max_part_bytes; /* largest part body; 0: host.multipart_max_part_bytes */
    /* ABI 1.11 (read only when struct_size covers it): facts about the route for middleware, as a
     * JSON object of string values, e.g. {"rate_limit":"uploads"} (copied; empty = none; anything
     * else refuses the route). Middleware reads them with request_route_metadata. */
    ia_str metadata;
    /* ABI 1.13 (read only when struct_size covers it; only for IA_ROUTE_FORM_OR_BODY routes): the JSON
     * Schema (JSON text) of the plain body, documented as application/json beside the form; empty
     * documents the plain body without a schema. Not an object: the route is refused. */
    ia_str body_schema;
} ia_route_def;

/** Middleware: runs before the handler of every matched route, in ascending `order` (ties:
 *  plugin load order, then registration order), on the handler's thread. Return IA_OK to go
 *  on, IA_DONE after writing a response to stop the chain; an error gives a 500.
 *
 *  The request body (ABI 1.10): the host reads it just before the first middleware WITHOUT
 *  IA_MIDDLEWARE_BEFORE_BODY, or before the handler when every middleware has the flag;
 *  middleware that runs earlier sees an empty request_body. When every middleware has it, a
 *  route's REQUIRE_USER/ADMIN is also checked before the body is read, so a refused caller's
 *  upload is never taken in. Set it on every middleware that does not call request_body.
 *
 *  Pending (ABI 1.11): middleware may return IA_PENDING after starting something asynchronous
 *  (redis_command_async); it must then call request_resume exactly once, from any thread, with
 *  IA_OK to go on, IA_DONE after writing a response, or an error for a 500. The chain continues
 *  on an event loop when the request could run inline, else on a worker thread. A host timeout
 *  (request_timeout_seconds) answers 504 meanwhile; request_resume then returns IA_ERR_STATE. */
typedef ia_status (*ia_middleware_fn)(void *user_data, ia_request *req);

#define IA_MIDDLEWARE_NONBLOCKING (1u << 0) /* never blocks: allows inline NONBLOCKING routes */
#define IA_MIDDLEWARE_BEFORE_BODY (1u << 1) /* ABI 1.10: never calls request_body: may run before it is read */

typedef struct ia_middleware_def {
    uint32_t struct_size;
    uint32_t flags;            /* IA_MIDDLEWARE_*; other bits are refused */
    int32_t order;             /* lower runs first; e.g. rate limit 100, auth 200 */
    uint32_t reserved;         /* 0 */
    ia_str name;               /* unique across all plugins */
    ia_middleware_fn run;      /* required */
    void *user_data;
} ia_middleware_def;

/** A command-line subcommand: `image-app NAME --config FILE [args...]`. Runs on the main
 *  thread after every enabled plugin has been initialised and started; `argv` holds the
 *  arguments after NAME with `--config FILE` removed (NUL-terminated C strings OWNED BY THE
 *  HOST, valid for the call). The plugin may read stdin and write stdout/stderr. Returns the process exit code. */
typedef int32_t (*ia_cli_fn)(void *user_data, const ia_host_api *api, ia_host *host,
                             int32_t argc, const char *const *argv);

typedef struct ia_cli_command_def {
    uint32_t struct_size;
    uint32_t flags;            /* reserved; 0 (nonzero bits are refused) */
    ia_str name;               /* [a-z0-9-]; unique; not a built-in command */
    ia_str summary;            /* one line for `image-app plugins` and help */
    ia_str usage;              /* e.g. "--handle H --email E (password on stdin)" */
    ia_cli_fn run;             /* required */
    void *user_data;
} ia_cli_command_def;

/* ---- ABI 1.1: data services (see docs/PLUGINS.md, "Data") ---- */

typedef struct ia_command ia_command;     /* one running command or query; valid during its handler */
typedef struct ia_db ia_db;               /* its database session; valid during the handler */
typedef struct ia_db_result ia_db_result; /* rows; OWNED BY THE PLUGIN; free with db_result_free */
typedef struct ia_buffer ia_buffer;       /* bytes from the host; OWNED BY THE PLUGIN; free with buffer_free */

/** A migration: SQL that brings this plugin's tables to `version`. The host applies pending
 *  migrations in version order at start-up (and with `image-app migrate`), each in its own
 *  transaction, under a PostgreSQL advisory lock so that hosts starting together do not race,
 *  and records them per plugin. A failing migration is rolled back and stops start-up. */
typedef struct ia_migration_def {
    uint32_t struct_size;
    uint32_t reserved;         /* 0 */
    int64_t version;           /* > 0; strictly increasing in registration order */
    ia_str name;               /* short, e.g. "create_notes" */
    ia_str sql;                /* one or more statements; no BEGIN/COMMIT */
} ia_migration_def;

/** A command or query handler. Read the payload with command_payload, use the database through
 *  command_db, set a JSON result with command_set_result, and return IA_OK; or call command_fail
 *  and return IA_ERR_REJECTED for a refusal the caller should see (e.g. 409 handle_taken); any
 *  other error rolls back and is reported as internal. A command's handler runs inside one
 *  transaction that commits only if it returns IA_OK, and may run more than once: the host
 *  retries it from the start on serialization failures, deadlocks and lost connections, so it
 *  must not have effects outside the database (see command_attempt). [the dispatching thread] */
typedef ia_status (*ia_command_fn)(void *user_data, ia_command *command);

#define IA_COMMAND_SERIALIZABLE (1u << 0) /* run the transaction at SERIALIZABLE isolation */
/** ABI 1.13: a service command (commands only; not with IA_COMMAND_SERIALIZABLE): an in-process call
 *  between plugins for work that is not a database write (processing an image, calling out). The
 *  host runs the handler once on the dispatching thread, WITHOUT taking a database connection or
 *  opening a transaction, so it works with no host.database_url and while the pool is busy, and
 *  never retries it. command_payload, command_set_result, command_fail(_details) work as for other
 *  commands (the dispatcher gets the same IA_OK / IA_ERR_REJECTED / error outcomes); command_attempt
 *  is 1; command_db gives a session on which db_execute fails with IA_ERR_STATE; event_raise fails
 *  with IA_ERR_STATE (raise events from a data command it dispatches). The handler may block and
 *  may dispatch other commands, each in its own transaction. Older hosts refuse the bit (since 1.8). */
#define IA_COMMAND_NO_TRANSACTION (1u << 1)

/** A command (a write in one transaction) or a query (a read outside write transactions). */
typedef struct ia_command_def {
    uint32_t struct_size;
    uint32_t flags;            /* IA_COMMAND_* (commands only; IA_COMMAND_NO_TRANSACTION on a query
                                  is refused); other bits are refused */
    ia_str name;               /* "<plugin>.<verb>", e.g. "notes.create"; unique across plugins */
    ia_command_fn run;         /* required */
    void *user_data;           /* OWNED BY THE PLUGIN; must outlive the process */
} ia_command_def;

/** Statement parameters. Values never become part of the SQL text. */
#define IA_DB_NULL 0
#define IA_DB_TEXT 1   /* UTF-8 text; PostgreSQL converts it to the parameter's type ("42", "t") */
#define IA_DB_BYTES 2  /* raw bytes, sent in binary (bytea) */

/** One parameter ($1, $2, ...). A plain 24-byte struct, frozen: arrays of it cross the ABI. */
typedef struct ia_db_param {
    int32_t type;              /* IA_DB_* */
    uint32_t reserved;         /* 0 */
    ia_str value;              /* ignored for IA_DB_NULL; copied during the call */
} ia_db_param;

/* ---- ABI 1.2: events ---- */

/** An event, as delivered to a handler. OWNED BY THE HOST; views live during the call. */
typedef struct ia_event {
    uint32_t struct_size;
    uint32_t attempt;          /* 1 on the first delivery to this handler, 2 on the first retry */
    ia_str id;                 /* unique and time-sortable: use it to make the handler idempotent */
    ia_str type;               /* e.g. "user.deleted" */
    ia_str payload;            /* JSON */
    ia_str occurred_at;        /* RFC 3339, UTC: when the raising command was about to commit */
    ia_str source;             /* the plugin whose command raised it */
} ia_event;

/** An event handler. Return IA_OK when done; anything else (with `error` filled) means "try
 *  again later": the host retries with backoff and, after max_attempts, moves the event to the
 *  dead-letter stream. Delivery is AT LEAST ONCE: the same event may arrive again (a crash
 *  between handling and acknowledging, a reclaimed delivery), so handlers must be idempotent —
 *  e.g. record event ids under a unique key in the same command as the effect.
 *  [a worker thread of the host; may block and may dispatch commands] */
typedef ia_status (*ia_event_fn)(void *user_data, const ia_event *event, ia_error *error);

/** Deliver in the process whose relay publishes the event — normally the one whose command
 *  committed it, right after the commit; another instance's relay when that process died or
 *  its poll came first — instead of through a consumer group on worker processes. No
 *  retries; for cache refreshes and pushes that are useless later. Without host.redis_url,
 *  events reach only these handlers. */
#define IA_EVENT_IN_PROCESS (1u << 0)

typedef struct ia_event_handler_def {
    uint32_t struct_size;
    uint32_t flags;            /* IA_EVENT_*; other bits are refused */
    ia_str name;               /* unique within the plugin; the consumer group is "<plugin>.<name>" */
    ia_str event_type;         /* an exact type, "prefix.*", or "*" */
    ia_event_fn handle;        /* required */
    void *user_data;           /* OWNED BY THE PLUGIN; must outlive the process */
    uint32_t max_attempts;     /* deliveries before dead-lettering; 0: the host's default */
    uint32_t reserved;         /* 0 */
} ia_event_handler_def;

/* ---- ABI 1.3: periodic jobs ---- */

/** One run of a job. OWNED BY THE HOST; valid during the call. */
typedef struct ia_job_run {
    uint32_t struct_size;
    uint32_t reserved;
    ia_str job;                /* "<plugin>.<name>" */
    int64_t started_at_ms;     /* Unix time in milliseconds */
    int64_t interval_ms;       /* the job's interval */
} ia_job_run;

/** A job's work. Runs on a host thread of ONE process at a time across all instances (a lock
 *  with expiry in Redis, renewed while the job runs); it may block and dispatch commands.
 *  Return IA_OK, or an error with `error` filled (logged and counted; the next run comes at
 *  the next interval). [a host job thread] */
typedef ia_status (*ia_job_fn)(void *user_data, const ia_job_run *run, ia_error *error);

typedef struct ia_job_def {
    uint32_t struct_size;
    uint32_t flags;            /* reserved; 0 (nonzero bits are refused) */
    ia_str name;               /* unique within the plugin, [a-z0-9-] */
    int64_t interval_ms;       /* >= 100: time from one run's start to the next one's */
    ia_job_fn run;             /* required */
    void *user_data;           /* OWNED BY THE PLUGIN; must outlive the process */
} ia_job_def;

/* ---- ABI 1.4: blob storage ---- */

/** A blob storage backend (a storage plugin registers one; host.blob_store picks the active
 *  one). Keys are 1-512 bytes of [A-Za-z0-9._/-], relative, without "." or ".." segments or
 *  "//"; the host checks them before calling the backend. Every function may block and is
 *  called from worker threads, concurrently. */
typedef struct ia_blob_store_def {
    uint32_t struct_size;
    uint32_t flags;            /* reserved; 0 (nonzero bits are refused) */
    ia_str name;               /* e.g. "fs"; unique */
    /** Stores `len` bytes. A `key` ending in '/' (or empty) is a prefix: the backend names the
     *  blob (content-addressed or random, its choice) under it. The final key goes to
     *  `*key_out`, made with api->buffer_create. Writes are atomic: a reader sees the old blob or
     *  the whole new one. */
    ia_status (*put)(void *user_data, ia_str key, const void *data, size_t len, ia_str content_type,
                     ia_buffer **key_out, ia_error *error);
    /** Reads a blob into `*out` (api->buffer_create). IA_ERR_NOT_FOUND when absent. */
    ia_status (*get)(void *user_data, ia_str key, ia_buffer **out, ia_error *error);
    /** Deletes a blob; deleting an absent blob is IA_OK. */
    ia_status (*remove)(void *user_data, ia_str key, ia_error *error);
    /** The public URL (absolute, or a path on this host such as /media/KEY) into `*out`. */
    ia_status (*public_url)(void *user_data, ia_str key, ia_buffer **out, ia_error *error);
    void *user_data;           /* OWNED BY THE PLUGIN; must outlive the process */
} ia_blob_store_def;

/* ---- ABI 1.5: Redis and the cache ---- */

typedef struct ia_redis_reply ia_redis_reply; /* OWNED BY THE CALLER of redis_command: free with
                                                 redis_reply_free; elements belong to it */

/** Reply types; append-only. */
#define IA_REDIS_STRING 1   /* bulk string (binary-safe) */
#define IA_REDIS_INTEGER 2
#define IA_REDIS_ARRAY 3    /* also RESP3 maps, sets and pushes, flattened */
#define IA_REDIS_NIL 4
#define IA_REDIS_STATUS 5   /* e.g. "OK" */
#define IA_REDIS_ERROR 6    /* the server refused the command; the text says why */
#define IA_REDIS_DOUBLE 7
#define IA_REDIS_BOOL 8

/** A pub/sub message: channel and payload views live during the call. [the subscriber thread;
 *  keep it short — the next message waits] */
typedef void (*ia_message_fn)(void *user_data, ia_str channel, ia_str payload);

/** The completion of an asynchronous Redis command (ABI 1.11), called exactly once [on the host's
 *  Redis pipeline thread, or on the calling thread when the command could not even be queued;
 *  never block in it: every other asynchronous command waits]. `status`: IA_OK with the reply;
 *  IA_ERR_REDIS_REPLY with the server's error reply (read its text with redis_reply_string);
 *  IA_ERR_UNAVAILABLE with `reply` NULL when Redis is unreachable, not configured, the queue is
 *  full or the host is stopping. `reply` is the HOST'S and lives during the call only: do not
 *  free it; copy what you keep. */
typedef void (*ia_redis_async_fn)(void *user_data, ia_status status, const ia_redis_reply *reply);

/** The authenticated caller, set by middleware. Passed by pointer; the host copies it. When
 *  the host fills one for a plugin, the string views live until the request completes. */
typedef struct ia_principal {
    uint32_t struct_size;
    uint32_t flags;            /* reserved; 0 */
    int64_t user_id;
    ia_str handle;
    ia_str role;               /* "user" or "admin" */
} ia_principal;

#define IA_METRIC_COUNTER 1
#define IA_METRIC_GAUGE 2
#define IA_METRIC_HISTOGRAM 3

/** A Prometheus metric with fixed label values. Registering the same name, kind and labels
 *  again returns the same handle; the same name with another kind or label names fails. */
typedef struct ia_metric_def {
    uint32_t struct_size;
    int32_t kind;              /* IA_METRIC_* */
    ia_str name;               /* [a-zA-Z_:][a-zA-Z0-9_:]* */
    ia_str help;
    const ia_str *label_names; /* label_count entries */
    const ia_str *label_values;/* label_count entries */
    size_t label_count;
    const double *buckets;     /* histogram upper bounds, ascending; NULL for the defaults */
    size_t bucket_count;
} ia_metric_def;

/* ------------------------------------------------------------------------------------------
 * ABI 1.12: long-lived streams (server-sent events) and channels across instances
 * ---------------------------------------------------------------------------------------- */

typedef struct ia_stream ia_stream;   /* one open stream; a checked handle like ia_request: valid
                                         until its close callback has run, IA_ERR_STATE after */

/** Stream kinds for stream_open. */
#define IA_STREAM_SSE 1               /* text/event-stream response */
#define IA_STREAM_WEBSOCKET 2         /* WebSocket upgrade of a request that asks for one; hosts
                                         without WebSocket support answer IA_ERR_UNSUPPORTED */

/** Called exactly once when a stream ends, for any reason: "closed" (stream_close, with the
 *  reason you gave), "client_gone", "slow_consumer" (its queue overflowed), "write_timeout",
 *  "ping_timeout" (a WebSocket that stopped answering pings), "shutdown", or the reason given to
 *  channel_close. `reason` lives during the call; the stream
 *  handle is already stale (every stream_* slot answers IA_ERR_STATE) and its channel
 *  subscriptions are gone. [any host thread (an event loop or the subscriber thread); keep it
 *  short and never block] */
typedef void (*ia_stream_closed_fn)(void *user_data, ia_stream *stream, ia_str reason);

/* ------------------------------------------------------------------------------------------
 * The host API table. OWNED BY THE HOST; valid for the process lifetime; never modified.
 * APPEND-ONLY. Check a slot with IA_HAS before using anything newer than ABI 1.0.
 * ---------------------------------------------------------------------------------------- */

struct ia_host_api {
    uint32_t struct_size;      /* sizeof(ia_host_api) as the HOST compiled it */
    uint16_t abi_major;
    uint16_t abi_minor;

    /* ---- ABI 1.0: logging [any thread] ---- */

    /** Logs `message` (copied) at `level`, tagged with the plugin's name. To tag a line with a
     *  request ID as well, use request_log. */
    void (*log)(ia_host *host, int32_t level, ia_str message);
    /** Nonzero when `level` would be logged; lets a plugin skip building costly messages. */
    int32_t (*log_enabled)(ia_host *host, int32_t level);

    /* ---- ABI 1.0: settings from this plugin's plugins.conf section [any thread] ----
     * `key` is a dotted path inside the section ("smtp.port"). An environment variable
     * IMAGEAPP_PLUGIN_<PLUGIN>__<KEY> (upper case, '-' and '.' as '_') overrides the file; such
     * values are text, which the int/double/bool getters parse.
     * Results: IA_OK, IA_ERR_NOT_FOUND, or IA_ERR_TYPE when the value has another type. */

    /** `*out` views host memory valid for the process lifetime. */
    ia_status (*config_string)(ia_host *host, ia_str key, ia_str *out);
    ia_status (*config_int)(ia_host *host, ia_str key, int64_t *out);
    ia_status (*config_double)(ia_host *host, ia_str key, double *out);
    ia_status (*config_bool)(ia_host *host, ia_str key, int32_t *out);
    /** The whole section (overrides applied) as a JSON object; view valid for the process. */
    ia_status (*config_json)(ia_host *host, ia_str *out);

    /* ---- ABI 1.0: registration [init only] ----
     * Refusals (IA_ERR_CONFLICT, IA_ERR_INVALID_ARGUMENT, IA_ERR_STATE) are also remembered
     * by the host, which refuses to load the plugin with that message even if init ignores it. */

    ia_status (*register_route)(ia_host *host, const ia_route_def *route);
    ia_status (*register_middleware)(ia_host *host, const ia_middleware_def *middleware);
    ia_status (*register_cli_command)(ia_host *host, const ia_cli_command_def *command);

    /* ---- ABI 1.0: reading the request [handler thread] ----
     * Views point into host memory that lives until the request is completed. */

    ia_status (*request_method)(ia_request *req, ia_str *out);
    /** The path as sent, without the query string (still percent-encoded). */
    ia_status (*request_path)(ia_request *req, ia_str *out);
    /** The raw query string without '?', empty when there is none. */
    ia_status (*request_query)(ia_request *req, ia_str *out);
    /** The first value of query parameter `name`, percent-decoded; IA_ERR_NOT_FOUND if absent. */
    ia_status (*request_query_param)(ia_request *req, ia_str name, ia_str *out);
    /** Path parameter `name` of the matched route, percent-decoded. */
    ia_status (*request_path_param)(ia_request *req, ia_str name, ia_str *out);
    /** The first header named `name` (case-insensitive). */
    ia_status (*request_header)(ia_request *req, ia_str name, ia_str *out);
    size_t (*request_header_count)(ia_request *req);
    ia_status (*request_header_at)(ia_request *req, size_t index, ia_str *name, ia_str *value);
    /** The whole request body (already size-checked against the route's limit). */
    ia_status (*request_body)(ia_request *req, const void **data, size_t *len);
    /** The client address (IP text) the host trusts for this request. */
    ia_status (*request_peer)(ia_request *req, ia_str *out);
    /** The request ID, also sent back in the X-Request-Id response header. */
    ia_status (*request_id)(ia_request *req, ia_str *out);
    /** The principal set by middleware; IA_ERR_NOT_FOUND when the request is anonymous. The
     *  host fills fields up to out->struct_size. */
    ia_status (*request_principal)(ia_request *req, ia_principal *out);
    /** Sets (copies) the principal; NULL makes the request anonymous again. Meant for
     *  authentication middleware. */
    ia_status (*request_set_principal)(ia_request *req, const ia_principal *principal);
    /** Request-scoped string attributes for middleware to pass facts to handlers of any
     *  plugin (e.g. "auth.session_id"). Values are copied. */
    ia_status (*request_set_attribute)(ia_request *req, ia_str key, ia_str value);
    ia_status (*request_attribute)(ia_request *req, ia_str key, ia_str *out);
    /** Logs with the request ID and the plugin's name attached. */
    void (*request_log)(ia_request *req, int32_t level, ia_str message);

    /* ---- ABI 1.0: writing the response [handler thread] ---- */

    /** Sets the HTTP status (100-599; default 200). */
    ia_status (*response_set_status)(ia_request *req, int32_t status);
    /** Adds a header (copied). Content-Length, Transfer-Encoding and Connection are the host's
     *  to set (IA_ERR_INVALID_ARGUMENT), as are invalid names or values. */
    ia_status (*response_add_header)(ia_request *req, ia_str name, ia_str value);
    /** Replaces the body with a copy of `len` bytes. */
    ia_status (*response_set_body)(ia_request *req, const void *data, size_t len);
    /** Appends a copy of `len` bytes to the body. */
    ia_status (*response_append_body)(ia_request *req, const void *data, size_t len);
    /** Finishes a request whose handler returns IA_PENDING. [any thread], exactly once. It may
     *  be called before the handler has returned (e.g. from a callback that fires at once).
     *  Afterwards `req` and every view obtained from it are invalid. If the host already
     *  answered (handler timeout, client gone), returns IA_ERR_STATE and still frees `req`.
     *  Calling it (or any request slot) again with the same `req` returns IA_ERR_STATE and
     *  is logged (hosts since 1.8): the handle is checked, never dereferenced blindly. */
    ia_status (*request_complete)(ia_request *req);

    /* ---- ABI 1.0: metrics (served at GET /metrics) ---- */

    /** Registers a metric. [init only] Returns NULL on a bad definition, a clash, or a call
     *  outside `init` (hosts since 1.8); the host logs the reason under the plugin's name. */
    ia_metric *(*metric_register)(ia_host *host, const ia_metric_def *metric);
    /** Counter: adds `value` (>= 0). Gauge: adds `value` (may be negative). [any thread] */
    void (*metric_add)(ia_metric *metric, double value);
    /** Gauge only: sets the value. [any thread] */
    void (*metric_set)(ia_metric *metric, double value);
    /** Histogram only: records one observation. [any thread] */
    void (*metric_observe)(ia_metric *metric, double value);

    /* ---- ABI 1.1: data services ---- */

    /** Registers a migration. [init only] Versions must increase. */
    ia_status (*register_migration)(ia_host *host, const ia_migration_def *migration);
    /** Registers a command (runs in a transaction; a service command, IA_COMMAND_NO_TRANSACTION,
     *  ABI 1.13, without one). [init only] Names are unique. */
    ia_status (*register_command)(ia_host *host, const ia_command_def *command);
    /** Registers a query (runs outside write transactions, possibly on a read replica). [init only] */
    ia_status (*register_query)(ia_host *host, const ia_command_def *query);

    /** Runs command `name` with a JSON payload and waits for it. [a worker thread: a blocking
     *  route's handler, a command line command, a job — never an event loop] On IA_OK,
     *  `*result` (if not NULL) receives the handler's JSON result (OWNED BY THE CALLER; NULL when
     *  it set none). On IA_ERR_REJECTED, `*result` holds the refusal as
     *  {"error":{"code","message","details"}} and error->code its HTTP status; on every other
     *  failure `*result` is NULL. IA_ERR_NOT_FOUND:
     *  no such command; IA_ERR_UNAVAILABLE: retries exhausted or no database. A command runs in
     *  its own transaction even when dispatched from inside another command. A service command
     *  (IA_COMMAND_NO_TRANSACTION) runs once, on this thread, with no database connection: it
     *  never answers IA_ERR_UNAVAILABLE for a missing or busy database on its own account. */
    ia_status (*dispatch_command)(ia_host *host, ia_str name, ia_str payload, ia_buffer **result, ia_error *error);
    /** Runs query `name` the same way. */
    ia_status (*dispatch_query)(ia_host *host, ia_str name, ia_str payload, ia_buffer **result, ia_error *error);

    /** The JSON payload; the view lives during the handler. [handler thread] */
    ia_status (*command_payload)(ia_command *command, ia_str *out);
    /** Sets (copies) the JSON result handed back to the dispatcher. [handler thread] */
    ia_status (*command_set_result)(ia_command *command, ia_str json);
    /** Records a refusal: HTTP status (400-599), snake_case code and message (all copied). Return
     *  IA_ERR_REJECTED from the handler afterwards; the transaction is rolled back. */
    ia_status (*command_fail)(ia_command *command, int32_t http_status, ia_str code, ia_str message);
    /** 1 on the first run of a command, 2 on its first retry, ... (always 1 for a service command,
     *  IA_COMMAND_NO_TRANSACTION, which is never retried). [handler thread] */
    uint32_t (*command_attempt)(ia_command *command);
    /** The command's transaction or the query's connection. A service command
     *  (IA_COMMAND_NO_TRANSACTION, ABI 1.13) has neither: its session answers every db_execute with
     *  IA_ERR_STATE and a message saying so. [handler thread] */
    ia_db *(*command_db)(ia_command *command);

    /** Runs one statement with parameters $1..$n and returns its rows in `*result` (OWNED BY THE
     *  CALLER: free it with db_result_free; pass NULL to discard; NULL on failure). Errors: IA_ERR_DATABASE with
     *  error->sqlstate set; IA_ERR_CONFLICT for an integrity violation (SQLSTATE class 23,
     *  e.g. a unique key taken); IA_ERR_UNAVAILABLE when the connection is lost; IA_ERR_STATE in a
     *  service command (IA_COMMAND_NO_TRANSACTION), which has no database. After an error
     *  inside a command, return it: the transaction can run no further statements.
     *  [handler thread] */
    ia_status (*db_execute)(ia_db *db, ia_str sql, const ia_db_param *params, size_t param_count,
                            ia_db_result **result, ia_error *error);
    /* The db_result_* calls may come from any thread, but one thread at a time per result. */
    size_t (*db_result_rows)(const ia_db_result *result);
    size_t (*db_result_columns)(const ia_db_result *result);
    /** Column name; the view lives as long as the result. */
    ia_status (*db_result_column_name)(const ia_db_result *result, size_t column, ia_str *out);
    /** A value as text (bytea: the raw bytes); IA_ERR_NOT_FOUND for SQL NULL or out of range.
     *  The view lives as long as the result. */
    ia_status (*db_result_value)(const ia_db_result *result, size_t row, size_t column, ia_str *out);
    /** Rows changed by INSERT, UPDATE or DELETE. */
    uint64_t (*db_result_affected)(const ia_db_result *result);
    /** Frees a result. [any thread] */
    void (*db_result_free)(ia_db_result *result);

    /** The bytes of a host buffer; the view lives until buffer_free. [any thread] */
    ia_status (*buffer_view)(const ia_buffer *buffer, ia_str *out);
    /** Frees a host buffer (NULL is fine). [any thread] */
    void (*buffer_free)(ia_buffer *buffer);

    /* ---- ABI 1.2: events ---- */

    /** Raises an event from inside a command: it is written to the outbox in the command's
     *  transaction, so it is delivered if and only if the command commits (a retried attempt's
     *  events are discarded with its rollback). `type` is "<noun>.<past-tense verb>" (1-200
     *  bytes), `payload` JSON; both copied. A query cannot raise events, nor can a service command
     *  (IA_COMMAND_NO_TRANSACTION), which has no transaction: IA_ERR_STATE.
     *  [the command's handler thread] */
    ia_status (*event_raise)(ia_command *command, ia_str type, ia_str payload);
    /** Subscribes a handler to events of every plugin. [init only] Worker handlers (the default)
     *  run in processes started with --role worker or all. */
    ia_status (*register_event_handler)(ia_host *host, const ia_event_handler_def *handler);

    /* ---- ABI 1.3: periodic jobs ---- */

    /** Registers a periodic job. [init only] Jobs run in processes started with --role worker or
     *  all, and need host.redis_url (the cross-instance lock). */
    ia_status (*register_job)(ia_host *host, const ia_job_def *job);

    /* ---- ABI 1.4: blob storage ---- */

    /** Registers a blob storage backend. [init only] */
    ia_status (*register_blob_store)(ia_host *host, const ia_blob_store_def *store);
    /** A host buffer holding a copy of `len` bytes (OWNED BY THE CALLER: buffer_free), for
     *  handing bytes to the host, e.g. from a blob store; NULL when data is NULL and len is not
     *  0. [any thread] */
    ia_buffer *(*buffer_create)(const void *data, size_t len);
    /** Stores bytes through the active backend (see ia_blob_store_def.put for `key`); the final
     *  key into `*key_out` (OWNED BY THE CALLER; NULL on failure, even if the backend set it:
     *  the host frees it). IA_ERR_UNAVAILABLE: no backend is configured;
     *  IA_ERR_INVALID_ARGUMENT: a bad key. [worker thread; blocks] */
    ia_status (*blob_put)(ia_host *host, ia_str key, const void *data, size_t len, ia_str content_type,
                          ia_buffer **key_out, ia_error *error);
    /** Reads a blob into `*out` (OWNED BY THE CALLER; NULL on failure). [worker thread; blocks] */
    ia_status (*blob_get)(ia_host *host, ia_str key, ia_buffer **out, ia_error *error);
    /** Deletes a blob. [worker thread; blocks] */
    ia_status (*blob_delete)(ia_host *host, ia_str key, ia_error *error);
    /** The blob's public URL into `*out` (OWNED BY THE CALLER; NULL on failure). [worker thread] */
    ia_status (*blob_url)(ia_host *host, ia_str key, ia_buffer **out, ia_error *error);

    /* ---- ABI 1.5: Redis and the cache (all need host.redis_url: else IA_ERR_UNAVAILABLE) ---- */

    /** Runs one command in argv form (binary-safe; arguments copied); the reply into `*out`
     *  (OWNED BY THE CALLER: redis_reply_free). A Redis error reply: IA_ERR_REDIS_REPLY for
     *  plugins declaring abi_minor >= 8 (IA_OK for older ones), and `*out` holds the reply of
     *  type IA_REDIS_ERROR in both cases. IA_ERR_UNAVAILABLE means no connection. On every other
     *  failure `*out` is NULL. Prefix your keys with your plugin's name. [worker thread; blocks] */
    ia_status (*redis_command)(ia_host *host, size_t argc, const ia_str *argv, ia_redis_reply **out, ia_error *error);
    /** Runs `command_count` commands in one round trip: command i takes argc[i] arguments,
     *  consecutive in `argv`. replies[i] receives its reply (each OWNED BY THE CALLER). When a
     *  command's reply is an error, every reply is still handed out and the status is
     *  IA_ERR_REDIS_REPLY for plugins declaring abi_minor >= 8 (IA_OK for older ones). On every
     *  other failure all replies[i] are NULL. [worker thread; blocks] */
    ia_status (*redis_pipeline)(ia_host *host, size_t command_count, const size_t *argc, const ia_str *argv,
                                ia_redis_reply **replies, ia_error *error);
    /* Reply accessors: [any thread, one at a time per reply] */
    int32_t (*redis_reply_type)(const ia_redis_reply *reply);
    /** The text of a STRING, STATUS, ERROR or DOUBLE reply; the view lives with the reply. */
    ia_status (*redis_reply_string)(const ia_redis_reply *reply, ia_str *out);
    /** An INTEGER or BOOL reply's value (0 for other types). */
    int64_t (*redis_reply_integer)(const ia_redis_reply *reply);
    /** Elements of an ARRAY reply (0 for other types). */
    size_t (*redis_reply_count)(const ia_redis_reply *reply);
    /** Element `index` of an ARRAY reply, owned by it (NULL when out of range). */
    const ia_redis_reply *(*redis_reply_element)(const ia_redis_reply *reply, size_t index);
    void (*redis_reply_free)(ia_redis_reply *reply);

    /** Subscribes to a channel, or to a pattern when `pattern` is nonzero, for the life of the
     *  process; messages arrive on the host's subscriber thread, also after reconnects (those
     *  published while disconnected are lost: pub/sub stores nothing). [init or start] */
    ia_status (*redis_subscribe)(ia_host *host, ia_str channel, int32_t pattern, ia_message_fn handler, void *user_data);

    /** Caches `len` bytes under `key` for `ttl_ms`, tagged: cache_invalidate_tag drops every key
     *  of a tag at once. Atomic. [worker thread; blocks] */
    ia_status (*cache_set)(ia_host *host, ia_str key, const void *data, size_t len, int64_t ttl_ms,
                           const ia_str *tags, size_t tag_count, ia_error *error);
    /** A cached value into `*out` (OWNED BY THE CALLER); IA_ERR_NOT_FOUND on a miss. `*out`
     *  is NULL on a miss and on every failure. */
    ia_status (*cache_get)(ia_host *host, ia_str key, ia_buffer **out, ia_error *error);
    ia_status (*cache_delete)(ia_host *host, ia_str key, ia_error *error);
    /** Drops every key set with `tag`. */
    ia_status (*cache_invalidate_tag)(ia_host *host, ia_str tag, ia_error *error);

    /* ---- ABI 1.6 ---- */

    /** command_fail with details: `details` is a JSON object (e.g. {"handle":"is taken"})
     *  that becomes the refusal's "details" (copied). IA_ERR_INVALID_ARGUMENT when it is not a
     *  JSON object. [handler thread] */
    ia_status (*command_fail_details)(ia_command *command, int32_t http_status, ia_str code, ia_str message,
                                      ia_str details);

    /* ---- ABI 1.7: the non-blocking fast path ---- */

    /** 1 when the current middleware or handler runs on a worker thread and may block; 0 when it runs
     *  on an event loop (an IA_ROUTE_NONBLOCKING route whose middleware are all
     *  IA_MIDDLEWARE_NONBLOCKING). On 0, a step that finds it must block after all (a cache miss)
     *  returns IA_WOULD_BLOCK and is called again, with the same request, on a worker thread; the
     *  steps before it are not repeated. [handler thread] */
    int32_t (*request_can_block)(ia_request *req);
    /** A cached value from this process's memory only, into `*out` (OWNED BY THE CALLER; NULL on a
     *  miss or failure). Never blocks.
     *  IA_ERR_NOT_FOUND when this process holds no fresh copy; the value may still be in Redis
     *  (cache_get, from a worker thread). Values that cache_get returned or cache_set stored are kept
     *  in memory for at most host.cache_local_ttl_ms and never past their own TTL; cache_delete and
     *  cache_invalidate_tag drop them in every instance through Redis pub/sub, so a copy outlives a
     *  deletion only if that message is lost (an instance disconnected from Redis), and then by at
     *  most host.cache_local_ttl_ms. [any thread] */
    ia_status (*cache_peek)(ia_host *host, ia_str key, ia_buffer **out);

    /* ---- ABI 1.8: multipart/form-data, for IA_ROUTE_MULTIPART routes [handler thread] ---- */

    /** The number of parts into `*out`. IA_ERR_UNSUPPORTED, with `*out` = 0, when the route was not
     *  registered with IA_ROUTE_MULTIPART. On an IA_ROUTE_FORM_OR_BODY route (ABI 1.13) that got a
     *  plain body: IA_OK and 0 (the body is in request_body). [handler thread] */
    ia_status (*request_part_count)(ia_request *req, size_t *out);
    /** Part `index` (in body order) into `*out`, fields up to out->struct_size; the views live until
     *  the request completes. IA_ERR_NOT_FOUND when `index` >= the count, IA_ERR_UNSUPPORTED when
     *  the route is not multipart, IA_ERR_INVALID_ARGUMENT for a NULL `out` or a struct_size below
     *  8; on any failure the fields after struct_size are zeroed. [handler thread] */
    ia_status (*request_part_at)(ia_request *req, size_t index, ia_multipart_part *out);
    /** The bytes of part `index`, whether in memory or spooled: a spooled file is mapped read-only
     *  on the first call (later calls return the same mapping). `*data` and `*len` live until the
     *  request completes; on failure they are set to NULL and 0. IA_ERR_NOT_FOUND and
     *  IA_ERR_UNSUPPORTED as for request_part_at; IA_ERR_INTERNAL when the file cannot be mapped.
     *  [handler thread; may block on disk for a spooled part] */
    ia_status (*request_part_bytes)(ia_request *req, size_t index, const void **data, size_t *len);

    /* ---- ABI 1.9: the matched route [handler thread] ---- */

    /** The route the router matched for this request: its path pattern as registered (e.g.
     *  "/api/v1/users/{handle}") into `*pattern`, its IA_ROUTE_* flags into `*flags`, and the name
     *  of the plugin that registered it into `*owner`. Any out-parameter may be NULL. The views live
     *  until the request completes. Middleware runs after routing, so it can decide on the route
     *  (whose literals the router compared percent-decoded) instead of on `request_path`, which is
     *  raw: "/verify%2Demail" routes to "/verify-email". [handler thread] */
    ia_status (*request_route)(ia_request *req, ia_str *pattern, uint32_t *flags, ia_str *owner);

    /* ---- ABI 1.10: file responses [handler thread] ---- */

    /** Makes the response body `length` bytes of the open file `fd` from `offset`, streamed from
     *  disk as the client reads them: never held whole in memory. The host sets Content-Length to
     *  `length`; a HEAD response sends only the headers. Ownership: the host TAKES `fd` in every
     *  case, success or failure, and closes it when the response has been sent or the request
     *  ends otherwise (timeout, client gone); do not close or use it afterwards. Replaces a body
     *  set before; a later response_set_body/append_body replaces the file (and closes it). If the
     *  file turns out shorter than promised while it is sent, the connection is closed (the
     *  client sees a short body, never wrong bytes). IA_ERR_INVALID_ARGUMENT (fd still closed)
     *  for a negative fd or offset + length overflowing. [handler thread] */
    ia_status (*response_send_file)(ia_request *req, int32_t fd, uint64_t offset, uint64_t length);

    /* ---- ABI 1.11: Redis without a worker thread, pending middleware, route metadata ---- */

    /** Queues a Redis command in argv form (copied) and returns at once: never blocks, callable
     *  from an event loop. `callback` runs once, as ia_redis_async_fn says. Commands from all
     *  plugins share one connection and are pipelined: no blocking commands (BLPOP, SUBSCRIBE),
     *  no MULTI. IA_OK when queued; IA_ERR_INVALID_ARGUMENT (callback not called) for argc 0 or a
     *  NULL callback. [any thread] */
    ia_status (*redis_command_async)(ia_host *host, size_t argc, const ia_str *argv, ia_redis_async_fn callback,
                                     void *user_data);
    /** Registers a Lua script (copied) for redis_script_async and gives its id in `*script_id`;
     *  the same source gives the same id. The host runs it with EVALSHA, loading it when Redis does
     *  not know it (first use, restart, SCRIPT FLUSH). [any thread; normally init] */
    ia_status (*redis_script_register)(ia_host *host, ia_str source, uint32_t *script_id);
    /** Runs a registered script: `argv` holds its `key_count` keys, then its arguments (copied).
     *  As redis_command_async otherwise; IA_ERR_NOT_FOUND (callback not called) for an unknown id.
     *  [any thread] */
    ia_status (*redis_script_async)(ia_host *host, uint32_t script_id, size_t key_count, size_t argc,
                                    const ia_str *argv, ia_redis_async_fn callback, void *user_data);
    /** Goes on with a request whose middleware returned IA_PENDING: IA_OK runs the next step,
     *  IA_DONE sends the response the middleware wrote, an error status answers 500. Exactly once,
     *  [any thread]; may come before the middleware has returned. IA_ERR_STATE when the host has
     *  answered already (timeout) or the request is not waiting. */
    ia_status (*request_resume)(ia_request *req, ia_status status);
    /** The value of `key` in the matched route's metadata (ia_route_def.metadata) into `*value`;
     *  IA_ERR_NOT_FOUND when the route has none. The view lives until the request completes.
     *  [handler thread] */
    ia_status (*request_route_metadata)(ia_request *req, ia_str key, ia_str *value);
    /* ---- ABI 1.12: streams and channels (see docs/PLUGINS.md, "Streams and channels") ---- */

    /** Turns the response into a long-lived stream of `kind` (IA_STREAM_SSE). Call it from the
     *  route handler, then return IA_OK (or complete a pending request): the host sends the
     *  headers (200, Content-Type: text/event-stream, Cache-Control: no-store,
     *  X-Accel-Buffering: no, plus yours) and keeps the connection open with no worker thread,
     *  past host.request_timeout_seconds, with a heartbeat comment every
     *  host.stream_heartbeat_seconds. A body you set is ignored. `*out` receives the handle
     *  (OWNED BY THE HOST; stale once `on_close` has run). `on_close` (may be NULL) and
     *  `user_data` are the plugin's; `user_data` must stay valid until `on_close` has run.
     *  If the handler then fails or the request times out, the stream closes ("closed").
     *  IA_STREAM_WEBSOCKET, on a request with a WebSocket handshake: the host answers 101 (with
     *  your headers) and the connection carries one text frame per message; it pings every
     *  host.stream_heartbeat_seconds and closes a client that did not answer the previous ping.
     *  Authenticate and authorize before opening: whatever the handler answers instead (401,
     *  403, ...) goes to the client as it is, and nothing is upgraded. IA_ERR_UNSUPPORTED for
     *  IA_STREAM_WEBSOCKET on a request the host cannot upgrade (no handshake, or not the first
     *  request on its connection) or on a host without WebSockets, and for a HEAD request;
     *  IA_ERR_STATE when a stream is already open on this request. [handler thread] */
    ia_status (*stream_open)(ia_request *req, int32_t kind, ia_stream_closed_fn on_close, void *user_data,
                             ia_stream **out);
    /** Queues one message: SSE "event: <event>" (omitted when empty) and "data: <data>" (one
     *  data line per line of `data`); on a WebSocket, `data` alone as one text frame (UTF-8).
     *  Copied; never blocks. When the stream's queue is full
     *  (host.stream_queue_messages: the client does not read) the stream is closed with
     *  "slow_consumer" and IA_ERR_TOO_LARGE is returned. `event` may not contain line breaks
     *  (IA_ERR_INVALID_ARGUMENT). IA_ERR_STATE once closed. [any thread] */
    ia_status (*stream_send)(ia_stream *stream, ia_str event, ia_str data);
    /** Ends the stream after what is queued has been sent; `on_close` runs with `reason`
     *  ("closed" when empty). IA_ERR_STATE when already closed. [any thread] */
    ia_status (*stream_close)(ia_stream *stream, ia_str reason);
    /** Delivers every message published on `channel`, by any process, to this stream, once
     *  per message; idempotent. The host keeps one Redis subscription per channel per process,
     *  counted over its streams, and drops it with the last one; a stream's subscriptions end
     *  with it. Channel names are 1-200 bytes without line breaks; prefix yours with your
     *  plugin's name. Without host.redis_url channels reach this process only.
     *  [any thread; never blocks] */
    ia_status (*stream_subscribe)(ia_stream *stream, ia_str channel);
    /** Stops delivering `channel` to this stream; IA_ERR_NOT_FOUND when it was not subscribed.
     *  [any thread; never blocks] */
    ia_status (*stream_unsubscribe)(ia_stream *stream, ia_str channel);
    /** Publishes a message (as stream_send takes it) on `channel` to the streams of every
     *  process subscribed to it (Redis PUBLISH, sent by a host thread: copied and queued,
     *  never blocks). A channel nobody is subscribed to anywhere costs one PUBLISH and no fan-out.
     *  At most once: a process disconnected from Redis misses it. IA_ERR_UNAVAILABLE when the
     *  host's publish queue is full. [any thread] */
    ia_status (*channel_publish)(ia_host *host, ia_str channel, ia_str event, ia_str data);
    /** Closes every stream subscribed to `channel`, in every process, with `reason` (e.g. a
     *  revoked session's channel). Queued like channel_publish. [any thread] */
    ia_status (*channel_close)(ia_host *host, ia_str channel, ia_str reason);

    /* ---- ABI 1.14 ---- */
    /** The epoch of this process's Redis subscriptions (redis_subscribe): 0 while messages may
     *  be missed (no subscriber yet, disconnected, or not yet subscribed again after a
     *  reconnect), else a number that changes after every such gap. Read it before fetching a
     *  value that messages keep honest (a revocation, an invalidation) and keep a local copy
     *  only while that reading is nonzero and still current: then no message about it can have
     *  been lost. A dead connection is noticed within about 10 s (the host PINGs an idle one).
     *  Lock-free. [any thread, event loops too; never blocks] */
    uint64_t (*redis_subscription_epoch)(ia_host *host);

    /* ---- New slots are appended below this line, never above. ---- */
};

/** Nonzero when `api` (a host table) has slot `member` and it is set. Needed only for slots
 *  newer than the abi_minor your descriptor declares; slots up to that minor always exist. */
#define IA_HAS(api, member)                                                                    \
    ((api) != NULL && offsetof(ia_host_api, member) + sizeof((api)->member) <= (api)->struct_size && \
     (api)->member != NULL)

#ifdef __cplusplus
}
#endif

#endif /* IMAGEAPP_PLUGIN_H */
