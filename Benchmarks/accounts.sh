#!/usr/bin/env bash
# Accounts benchmarks against the local PostgreSQL and Redis (release build):
#  1. login throughput and latency with the default scrypt parameters (N=2^16, r=8, p=2: CPU- and
#     memory-bound by design, so the figure is hashes per second on this machine);
#  2. authenticated GET /api/v1/me (auth middleware + profiles) next to the bare plugin route of
#     the foundation benchmark (example-c's hello) on the same host, and their ratio (target >= 0.70).
#
#   Benchmarks/accounts.sh [DURATION_SECONDS] [CONNECTIONS] [LOGIN_CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${1:-10}"
CONNECTIONS="${2:-64}"
LOGIN_CONNECTIONS="${3:-4}"
PORT=18090
PG_PORT="${IMAGEAPP_PG_PORT:-54329}"
REDIS_PORT="${IMAGEAPP_REDIS_PORT:-63799}"
DB=imageapp_bench_accounts

scripts/lib/ensure-packages.sh $(cat scripts/lib/runtime-packages.txt) wrk curl
scripts/lib/engines.sh start >/dev/null
for product in image-app auth profiles storage-fs example-c; do swift build -c release --product "$product" >/dev/null; done
BIN="$(swift build -c release --show-bin-path)"

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
as_pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
as_pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt -c "CREATE DATABASE $DB" >/dev/null

WORK="$(mktemp -d)"
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
cat >"$WORK/plugins.conf" <<CONF
[host]
listen = "127.0.0.1:$PORT"
log_level = "warning"
database_url = "postgres://postgres@127.0.0.1:$PG_PORT/$DB"
redis_url = "redis://127.0.0.1:$REDIS_PORT/13"
redis_namespace = "bench-accounts-$$"
events_stream = "bench-accounts-$$:events"

[plugins.example-c]
enabled = true
[plugins.storage-fs]
enabled = true
root = "$WORK/media"
[plugins.auth]
enabled = true
mail_outbox = "$WORK/mail"
redis_prefix = "bench-accounts-$$:auth"
login_per_ip_limit = 100000000
login_failures_per_account_limit = 100000000
[plugins.profiles]
enabled = true
CONF
"$BIN/image-app" serve --config "$WORK/plugins.conf" >"$WORK/host.log" 2>&1 &
PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

BODY='{"handle":"bench_user","email":"bench@example.com","password":"benchmark passphrase","session":"token"}'
TOKEN=$(curl -fs -X POST -H 'Content-Type: application/json' -d "$BODY" "http://127.0.0.1:$PORT/api/v1/auth/register" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/me" >/dev/null || { cat "$WORK/host.log"; exit 1; }

cat >"$WORK/login.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"login":"bench_user","password":"benchmark passphrase","session":"token"}'
wrk.headers["Content-Type"] = "application/json"
LUA
wrk -t2 -c"$LOGIN_CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/login.lua" "http://127.0.0.1:$PORT/api/v1/auth/login" >"$WORK/login.txt"
echo "login (scrypt N=2^16 r=8 p=2, 64 MiB per hash; wrk -c$LOGIN_CONNECTIONS -d${DURATION}s):"
echo "  $(awk '/Requests\/sec/ {print $2}' "$WORK/login.txt") logins/s, latency p50 $(awk '$1 == "50%" {print $2}' "$WORK/login.txt"), p99 $(awk '$1 == "99%" {print $2}' "$WORK/login.txt"), non-2xx: $(awk '/Non-2xx/ {print $4}' "$WORK/login.txt")"

rps() { # path, extra wrk args... -> requests/second
    local path="$1"; shift
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "http://127.0.0.1:$PORT$path" >"$WORK/wrk.txt"
    grep -q "Non-2xx" "$WORK/wrk.txt" && { echo "non-2xx answers on $path" >&2; cat "$WORK/wrk.txt" >&2; }
    echo "$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt") $(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")"
}
# Warm up, then measure alternately twice and keep the better run of each.
wrk -t1 -c8 -d2s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/me" >/dev/null
wrk -t1 -c8 -d2s "http://127.0.0.1:$PORT/api/v1/examples/c/hello" >/dev/null
read -r M1 MP1 <<<"$(rps /api/v1/me -H "Authorization: Bearer $TOKEN")"
read -r H1 HP1 <<<"$(rps /api/v1/examples/c/hello)"
read -r M2 MP2 <<<"$(rps /api/v1/me -H "Authorization: Bearer $TOKEN")"
read -r H2 HP2 <<<"$(rps /api/v1/examples/c/hello)"
best() { printf '%s\n' "$@" | sort -g | tail -1; }
ME=$(best "$M1" "$M2"); HELLO=$(best "$H1" "$H2")
echo "authenticated GET /api/v1/me: $ME req/s   (runs: $M1 p99 $MP1, $M2 p99 $MP2)"
echo "bare plugin route (example-c hello, same host): $HELLO req/s   (runs: $H1 p99 $HP1, $H2 p99 $HP2)"
awk -v m="$ME" -v h="$HELLO" 'BEGIN { printf "ratio (me / bare route): %.3f   (target >= 0.70)\n", m / h }'
