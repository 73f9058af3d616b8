# The local PostgreSQL and Redis for benchmarks that need them (sourced from the project root):
# installs the runtime packages, starts the engines (scripts/lib/engines.sh, idempotent), and
# defines PG_PORT, REDIS_PORT, as_pg (a command as the postgres user when root) and psql_admin.
PG_PORT="${IMAGEAPP_PG_PORT:-54329}"
REDIS_PORT="${IMAGEAPP_REDIS_PORT:-63799}"
scripts/lib/ensure-packages.sh $(cat scripts/lib/runtime-packages.txt)
scripts/lib/engines.sh start >/dev/null

as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
psql_admin() { as_pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt "$@"; }
