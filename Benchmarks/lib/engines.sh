# The local PostgreSQL and Redis for benchmarks that need them (sourced from the project root):
# installs the runtime packages, starts the engines (scripts/lib/engines.sh, idempotent), and
# defines PG_PORT, REDIS_PORT, as_pg (a command as the postgres user when root) and psql_admin.
PG_PORT="${IMAGEAPP_PG_PORT:-54329}"
REDIS_PORT="${IMAGEAPP_REDIS_PORT:-63799}"
scripts/lib/ensure-packages.sh $(cat scripts/lib/runtime-packages.txt)
scripts/lib/engines.sh start >/dev/null

as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
psql_admin() { as_pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt "$@"; }

# bench_fresh_database: drops and creates $DB.
bench_fresh_database() {
    psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
    psql_admin -c "CREATE DATABASE $DB" >/dev/null
}

# bench_accounts_config NAME PORT [AUTH_LINES]: the plugins.conf text for one image-app on port PORT with the
# accounts plugins (storage-fs under $BENCH_WORK/media, auth, profiles) on a fresh database
# imageapp_bench_NAME and a Redis namespace of its own (database 13), both removed at exit (uses
# the harness's bench_on_exit and $BENCH_WORK); AUTH_LINES go into [plugins.auth]. Sets DB and
# NAMESPACE; append further plugin sections after it.
bench_accounts_config() {
    DB="imageapp_bench_$1"
    NAMESPACE="bench-$1-$$"
    bench_fresh_database
    bench_on_exit "psql_admin -c 'DROP DATABASE IF EXISTS $DB WITH (FORCE)' >/dev/null 2>&1"
    bench_on_exit "redis-cli -p $REDIS_PORT -n 13 --scan --pattern '$NAMESPACE*' | xargs -r redis-cli -p $REDIS_PORT -n 13 del >/dev/null"
    cat <<CONF
[host]
listen = "127.0.0.1:$2"
log_level = "warning"
database_url = "postgres://postgres@127.0.0.1:$PG_PORT/$DB"
redis_url = "redis://127.0.0.1:$REDIS_PORT/13"
redis_namespace = "$NAMESPACE"
events_stream = "$NAMESPACE:events"

[plugins.storage-fs]
enabled = true
root = "$BENCH_WORK/media"
[plugins.auth]
enabled = true
mail_outbox = "$BENCH_WORK/mail"
redis_prefix = "$NAMESPACE:auth"
${3:-}
[plugins.profiles]
enabled = true
CONF
}
