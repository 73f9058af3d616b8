#!/usr/bin/env bash
# Accounts benchmarks against the local PostgreSQL and Redis (release build):
#  1. login throughput and latency with the default scrypt parameters (N=2^16, r=8, p=2: CPU- and
#     memory-bound by design, so the figure is hashes per second on the server's one core);
#     one run, as a figure of this machine rather than a comparison;
#  2. authenticated GET /api/v1/me (auth middleware + profiles) against the bare plugin route of
#     the foundation benchmark (example-c's hello) on the same host, in the harness's interleaved
#     rounds, and their per-round ratio (target >= 0.70).
#
#   Benchmarks/accounts.sh [--rounds N] [--seconds S] [--login-seconds S] [--login-connections C]
#                          [--no-login] [harness options]
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
bench_script_usage() {
    cat <<USAGE
  --login-seconds S      length of the login run (default: --seconds)
  --login-connections C  wrk connections for the login run (default 4)
  --no-login             skip the login run
USAGE
}
bench_init accounts "$@"
LOGIN=1
LOGIN_SECONDS="$BENCH_SECONDS"
LOGIN_CONNECTIONS=4
set -- "${BENCH_REST[@]}"
while [ $# -gt 0 ]; do
    case "$1" in
        --login-seconds) LOGIN_SECONDS="$2"; shift 2 ;;
        --login-connections) LOGIN_CONNECTIONS="$2"; shift 2 ;;
        --no-login) LOGIN=0; shift ;;
        *) bench_usage >&2; bench_script_usage >&2; bench_die "unknown argument: $1" ;;
    esac
done

PORT=18090

source Benchmarks/lib/engines.sh
bench_build image-app auth profiles storage-fs example-c
bench_port_free $PORT
{
    bench_accounts_config accounts $PORT "login_per_ip_limit = 100000000
login_failures_per_account_limit = 100000000"
    printf '[plugins.example-c]\nenabled = true\n'
} >"$BENCH_WORK/plugins.conf"
bench_start image-app "$BENCH_BIN/image-app" serve --config "$BENCH_WORK/plugins.conf"
bench_wait_http image-app "http://127.0.0.1:$PORT/healthz"

BODY='{"handle":"bench_user","email":"bench@example.com","password":"benchmark passphrase","session":"token"}'
TOKEN=$(curl -fs -X POST -H 'Content-Type: application/json' -d "$BODY" "http://127.0.0.1:$PORT/api/v1/auth/register" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])') || { cat "$BENCH_WORK/image-app.log" >&2; bench_die "registration failed"; }
bench_wait_http image-app "http://127.0.0.1:$PORT/api/v1/me" 30 -H "Authorization: Bearer $TOKEN"

cat >"$BENCH_WORK/login.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"login":"bench_user","password":"benchmark passphrase","session":"token"}'
wrk.headers["Content-Type"] = "application/json"
LUA
# A hash takes a good fraction of a second and 4 run at once on one CPU: beyond wrk's default 2 s
# timeout on a busy machine.
bench_variant login "http://127.0.0.1:$PORT/api/v1/auth/login" --lua "$BENCH_WORK/login.lua" --timeout 30s
bench_variant me "http://127.0.0.1:$PORT/api/v1/me" -H "Authorization: Bearer $TOKEN"
bench_variant hello "http://127.0.0.1:$PORT/api/v1/examples/c/hello"

if [ "$LOGIN" -eq 1 ]; then
    FIGURES="$(bench_measure login "$LOGIN_SECONDS" "$LOGIN_CONNECTIONS" single)" || exit 1
    read -r LOGIN_RPS LOGIN_P50 LOGIN_P99 _ <<<"$FIGURES"
    awk -v r="$LOGIN_RPS" -v p50="$LOGIN_P50" -v p99="$LOGIN_P99" -v c="$LOGIN_CONNECTIONS" -v s="$LOGIN_SECONDS" 'BEGIN {
        printf "login (scrypt N=2^16 r=8 p=2, 64 MiB per hash; wrk -c%d -d%ds, one run): %.1f logins/s, p50 %.1f ms, p99 %.1f ms\n",
            c, s, r, p50 / 1000, p99 / 1000 }'
    bench_report accounts.login login "seconds=$LOGIN_SECONDS" "connections=$LOGIN_CONNECTIONS"
    echo
fi

bench_run me hello
echo
bench_report accounts.me me hello 0.70
