#!/usr/bin/env bash
# Home feeds (issue 11). One image-app (all roles) with the accounts plugins, media, posts, likes, follows, feed and
# example-c, on a data set made by Benchmarks/lib/feed_data.py:
#   1. fan-out: one author followed by FOLLOWERS (100,000) accounts with live feeds (rows and Redis keys written
#      directly, plus the real readers); a post is published and the time from its answer (the commit) to the post
#      being in the last follower's feed (the fan-out walks followers in id order) is measured, three times
#      (target <= 2 s);
#   2. warm GET /api/v1/feed/home pages (20 posts, the viewer's `liked`) against example-c's hello route, in
#      interleaved rounds on the same server: one reader, then READERS (1,000) distinct readers in turn
#      (target >= 0.40, p99 <= 25 ms).
#
#   Benchmarks/feed.sh [--rounds N] [--seconds S] [--bin DIR] [harness options]
#   FEED_FOLLOWERS=100000 FEED_READERS=1000 change the data set's size.
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
BIN_OVERRIDE=""
bench_script_usage() {
    echo "feed.sh: --bin DIR (another build's image-app and plugins)"
}
bench_init feed "$@"
set -- "${BENCH_REST[@]}"
BENCH_REST=()
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) BIN_OVERRIDE="$2"; shift 2 ;;
        *) BENCH_REST+=("$1"); shift ;;
    esac
done
bench_no_extra_args

PORT=18130
FOLLOWERS="${FEED_FOLLOWERS:-100000}"
READERS="${FEED_READERS:-1000}"

source Benchmarks/lib/engines.sh
scripts/lib/ensure-packages.sh libvips-tools
if [ -n "$BIN_OVERRIDE" ]; then BENCH_BUILD=0; fi
bench_build image-app auth profiles storage-fs media posts likes follows feed realtime example-c
[ -n "$BIN_OVERRIDE" ] && BENCH_BIN="$(cd "$BIN_OVERRIDE" && pwd)"
bench_port_free $PORT
{
    # Fast scrypt and no sign-up limits: the readers are registered through the API.
    bench_accounts_config feed $PORT "$(printf 'password_scrypt_n = 1024\nsignup_per_ip_limit = 1000000\nsignup_per_network_limit = 1000000')"
    printf '[plugins.media]\nenabled = true\n[plugins.posts]\nenabled = true\nredis_prefix = "%s:posts"\n' "$NAMESPACE"
    printf '[plugins.likes]\nenabled = true\nredis_prefix = "%s:likes"\n[plugins.follows]\nenabled = true\n' "$NAMESPACE"
    printf '[plugins.feed]\nenabled = true\nredis_prefix = "%s:feed"\npull_threshold = 10000000\n' "$NAMESPACE"
    printf '[plugins.realtime]\nenabled = true\n[plugins.example-c]\nenabled = true\n'
} >"$BENCH_WORK/plugins.conf"
bench_start image-app "$BENCH_BIN/image-app" serve --config "$BENCH_WORK/plugins.conf"
bench_wait_http image-app "http://127.0.0.1:$PORT/healthz"

vips gaussnoise "$BENCH_WORK/photo.v" 800 600 && vips copy "$BENCH_WORK/photo.v" "$BENCH_WORK/photo.jpg[Q=85]" ||
    bench_die "cannot make the test image with vips"
python3 Benchmarks/lib/feed_data.py --base "http://127.0.0.1:$PORT/api/v1" --image "$BENCH_WORK/photo.jpg" \
    --followers "$FOLLOWERS" --readers "$READERS" --tokens "$BENCH_WORK/tokens.txt" \
    --psql "postgres://postgres@127.0.0.1:$PG_PORT/$DB" --redis-port "$REDIS_PORT" --redis-db 13 \
    --feed-prefix "$NAMESPACE:feed" --out "$BENCH_WORK/fanout.txt" || bench_die "the data set or the fan-out failed"
cat "$BENCH_WORK/fanout.txt"
[ -n "$BENCH_OUT" ] && grep '^BENCH ' "$BENCH_WORK/fanout.txt" >>"$BENCH_OUT"

TOKEN="$(head -n 1 "$BENCH_WORK/tokens.txt")"
cat >"$BENCH_WORK/readers.lua" <<LUA
tokens = {}
for line in io.lines("$BENCH_WORK/tokens.txt") do tokens[#tokens + 1] = line end
counter = math.random(#tokens)
request = function()
    counter = counter % #tokens + 1
    return wrk.format("GET", nil, { Authorization = "Bearer " .. tokens[counter] })
end
LUA
BASE="http://127.0.0.1:$PORT/api/v1"
bench_variant home "$BASE/feed/home" -H "Authorization: Bearer $TOKEN"
bench_variant home-readers "$BASE/feed/home" --lua "$BENCH_WORK/readers.lua"
bench_variant hello "$BASE/examples/c/hello"

bench_run home home-readers hello
echo
bench_report feed.home home hello 0.40
echo
bench_report feed.home-readers home-readers hello 0.40 readers="$READERS"
