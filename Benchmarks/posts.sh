#!/usr/bin/env bash
# Warm GET /api/v1/posts/{id} (issue 10; target >= 0.70 of the bare plugin route). One image-app with
# the accounts plugins, media, posts and example-c; a post of one real image is published, then the
# harness runs, in interleaved rounds on the same server, anonymous reads of that post (a cache hit
# in the process's memory, answered on the event loop) against example-c's hello route, and
# reports the per-round ratio. A second pair does the same for a signed-in reader.
#
#   Benchmarks/posts.sh [--rounds N] [--seconds S] [harness options]
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
bench_init posts "$@"
bench_no_extra_args

PORT=18120

source Benchmarks/lib/engines.sh
scripts/lib/ensure-packages.sh libvips-tools
bench_build image-app auth profiles storage-fs media posts example-c
bench_port_free $PORT
{
    bench_accounts_config posts $PORT
    printf '[plugins.media]\nenabled = true\n[plugins.posts]\nenabled = true\nredis_prefix = "%s:posts"\n[plugins.example-c]\nenabled = true\n' "$NAMESPACE"
} >"$BENCH_WORK/plugins.conf"
bench_start image-app "$BENCH_BIN/image-app" serve --config "$BENCH_WORK/plugins.conf"
bench_wait_http image-app "http://127.0.0.1:$PORT/healthz"

BASE="http://127.0.0.1:$PORT/api/v1"
BODY='{"handle":"bench_poster","email":"poster@example.com","password":"benchmark passphrase","session":"token"}'
TOKEN=$(curl -fs -X POST -H 'Content-Type: application/json' -d "$BODY" "$BASE/auth/register" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])') || bench_die "registration failed"
# A real photo-sized image, made by libvips itself: 1600x1200 of noise.
vips gaussnoise "$BENCH_WORK/photo.v" 1600 1200 && vips copy "$BENCH_WORK/photo.v" "$BENCH_WORK/photo.jpg[Q=85]" ||
    bench_die "cannot make the test image with vips"
MEDIA=$(curl -fs -X POST -H "Authorization: Bearer $TOKEN" -F "file=@$BENCH_WORK/photo.jpg;type=image/jpeg" -F "alt=bench" "$BASE/media" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])') || bench_die "upload failed"
POST=$(curl -fs -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"caption\":\"Benchmark #bench with @bench_poster\",\"media_ids\":[\"$MEDIA\"]}" "$BASE/posts" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])') || bench_die "post failed"
bench_wait_http image-app "$BASE/posts/$POST"
curl -fs "$BASE/posts/$POST" >/dev/null

bench_variant post "$BASE/posts/$POST"
bench_variant post-signed-in "$BASE/posts/$POST" -H "Authorization: Bearer $TOKEN"
bench_variant hello "$BASE/examples/c/hello"

bench_run post post-signed-in hello
echo
bench_report posts.get post hello 0.70
echo
bench_report posts.get-signed-in post-signed-in hello
