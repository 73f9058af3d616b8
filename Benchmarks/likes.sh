#!/usr/bin/env bash
# Write-behind likes (issue 11; target >= 5,000 PUT likes/s sustained for 60 s from 1,000 users, counts exact after the
# flush). One image-app (API and worker in one process) with the accounts plugins, media, posts and likes; the data
# generator (lib/likes_setup.py) registers USERS accounts and publishes POSTS posts through the API; then wrk sends
# PUT /api/v1/posts/{id}/like for SECONDS, every request a new (user, post) pair: consecutive requests are different
# users liking the same post, so each post is hot in turn. Afterwards the flush is awaited and the counts checked:
# rows in `likes` = 2xx answers = SUM(like_counts.count) in PostgreSQL = the sum of the counters the API shows.
#
#   Benchmarks/likes.sh [--users 1000] [--posts 500] [--like-seconds 60] [--bin DIR] [--connections C] [harness options]
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"

USERS=1000
POSTS=500
LIKE_SECONDS=60
BIN_OVERRIDE=""
bench_script_usage() {
    echo "likes.sh: --users N (1000) --posts N (500) --like-seconds S (60) --bin DIR (another build's image-app and plugins)"
}
bench_init likes "$@"
set -- "${BENCH_REST[@]}"
BENCH_REST=()
while [ $# -gt 0 ]; do
    case "$1" in
        --users) USERS="$2"; shift 2 ;;
        --posts) POSTS="$2"; shift 2 ;;
        --like-seconds) LIKE_SECONDS="$2"; shift 2 ;;
        --bin) BIN_OVERRIDE="$2"; shift 2 ;;
        *) BENCH_REST+=("$1"); shift ;;
    esac
done
bench_no_extra_args

PORT=18140

source Benchmarks/lib/engines.sh
if [ -n "$BIN_OVERRIDE" ]; then BENCH_BUILD=0; fi
bench_build image-app auth profiles storage-fs media posts likes
[ -n "$BIN_OVERRIDE" ] && BENCH_BIN="$(cd "$BIN_OVERRIDE" && pwd)"
bench_port_free $PORT
{
    # A cheap password hash and no sign-up limit: the benchmark registers its users through the API.
    bench_accounts_config likes $PORT "password_scrypt_n = 1024
signup_per_ip_limit = 1000000
signup_per_network_limit = 1000000"
    printf '[plugins.media]\nenabled = true\n[plugins.posts]\nenabled = true\nredis_prefix = "%s:posts"\n' "$NAMESPACE"
    printf '[plugins.likes]\nenabled = true\nredis_prefix = "%s:likes"\n' "$NAMESPACE"
} >"$BENCH_WORK/plugins.conf"
bench_start image-app "$BENCH_BIN/image-app" serve --config "$BENCH_WORK/plugins.conf"
bench_wait_http image-app "http://127.0.0.1:$PORT/healthz"

BASE="http://127.0.0.1:$PORT/api/v1"
echo "likes: registering $USERS users and publishing $POSTS posts"
python3 Benchmarks/lib/likes_setup.py "$BASE" "$USERS" "$POSTS" "$BENCH_WORK/tokens.txt" "$BENCH_WORK/posts.txt" ||
    bench_die "the data generator failed"

# Each wrk thread takes every THREADS-th pair from its own start, from OFFSET on: no pair is liked twice across threads,
# connections or runs (the warm-up starts at 0, the measured run after it).
cat >"$BENCH_WORK/likes.lua" <<'LUA'
local function lines(path)
    local items = {}
    for line in io.lines(path) do if line ~= "" then items[#items + 1] = line end end
    return items
end
local tokens = lines(os.getenv("LIKES_TOKENS"))
local posts = lines(os.getenv("LIKES_POSTS"))
local offset = tonumber(os.getenv("LIKES_OFFSET"))
local threads = tonumber(os.getenv("LIKES_THREADS"))
local counter = 0
local next_id = 0
setup = function(thread)
    thread:set("id", next_id)
    next_id = next_id + 1
end
init = function(args) counter = offset + id end
request = function()
    local pair = counter
    counter = counter + threads
    local user = pair % #tokens
    local post = math.floor(pair / #tokens) % #posts
    return wrk.format("PUT", "/api/v1/posts/" .. posts[post + 1] .. "/like",
        { ["Authorization"] = "Bearer " .. tokens[user + 1] })
end
LUA
export LIKES_TOKENS="$BENCH_WORK/tokens.txt" LIKES_POSTS="$BENCH_WORK/posts.txt" LIKES_THREADS="$BENCH_THREADS"
bench_variant like "http://127.0.0.1:$PORT" --lua "$BENCH_WORK/likes.lua"
TOTAL_PAIRS=$((USERS * POSTS))

export LIKES_OFFSET=0
if [ "$BENCH_WARMUP" -gt 0 ]; then
    read -r rps _ _ warm_requests _ <<<"$(bench_measure like "$BENCH_WARMUP")"
    echo "likes: warm-up $warm_requests likes ($rps/s)"
else
    warm_requests=0
fi
export LIKES_OFFSET=$((warm_requests + 10000))
echo "likes: measuring $LIKE_SECONDS s, wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS, server CPUs ${BENCH_SERVER_CPUS:-any}, wrk CPUs ${BENCH_CLIENT_CPUS:-any}"
read -r rps p50 p99 requests socket_errors <<<"$(bench_measure like "$LIKE_SECONDS" "$BENCH_CONNECTIONS" 1)"
[ $((LIKES_OFFSET + requests)) -lt "$TOTAL_PAIRS" ] || echo "bench: warning: more requests than (user, post) pairs; raise --posts" >&2

# The flush moves every change to PostgreSQL within a few intervals.
psql_db() { psql_admin -d "$DB" "$@"; }
rows=0 flushed=-1
for _ in $(seq 1 60); do
    rows="$(psql_db -c "SELECT count(*) FROM likes")"
    flushed="$(psql_db -c "SELECT coalesce(sum(count), 0) FROM like_counts")"
    [ "$rows" = "$flushed" ] && break
    sleep 1
done
shown=0
mapfile -t ids <"$BENCH_WORK/posts.txt"
for ((i = 0; i < ${#ids[@]}; i += 100)); do
    chunk=("${ids[@]:i:100}")
    shown=$((shown + $(printf '%s\n' "${chunk[@]}" | sed 's|^|/api/v1/posts/|' | while read -r path; do
        curl -fs "http://127.0.0.1:$PORT$path"; echo; done | python3 -c 'import json, sys; print(sum(json.loads(l)["like_count"] for l in sys.stdin if l.strip()))')))
done
exact=no
[ "$rows" = "$flushed" ] && [ "$rows" = "$shown" ] && exact=yes
printf 'likes: %s likes/s over %s s (p50 %.2f ms, p99 %.2f ms, %s socket errors); rows %s, flushed %s, shown %s: exact=%s\n' \
    "$rps" "$LIKE_SECONDS" "$(awk -v u="$p50" 'BEGIN { print u / 1000 }')" "$(awk -v u="$p99" 'BEGIN { print u / 1000 }')" \
    "$socket_errors" "$rows" "$flushed" "$shown" "$exact"
echo "BENCH name=likes.put rps=$rps p50_ms=$(awk -v u="$p50" 'BEGIN { print u / 1000 }') p99_ms=$(awk -v u="$p99" 'BEGIN { print u / 1000 }')" \
    "seconds=$LIKE_SECONDS users=$USERS posts=$POSTS connections=$BENCH_CONNECTIONS rows=$rows flushed=$flushed shown=$shown exact=$exact" \
    "load_before=$BENCH_LOAD_BEFORE" | tee -a "${BENCH_OUT:-/dev/null}"
[ "$exact" = yes ] || bench_die "counts are not exact after the flush"
