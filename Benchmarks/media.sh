#!/usr/bin/env bash
# Media pipeline benchmark (release build, local PostgreSQL and Redis):
#  1. a 12 MP JPEG (4000x3000, Q90, noise + blur like the libvips reference) through POST /api/v1/media — upload,
#     sniff, header, decode with shrink-on-load, orientation, sRGB, metadata strip, 1080 and 640 WebP Q80, blurhash,
#     blob writes and the database row — against `vipsthumbnail` making the same two WebP variants (two runs, 1080 and
#     640, like `--size '1080>'`), interleaved in rounds with the order alternated; medians, spread and the per-round
#     ratio (target <= 1.3);
#  2. the host's peak RSS (VmHWM) while it processes 4 uploads at once.
#
#   Benchmarks/media.sh [--rounds N] [harness options]
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
bench_init media "$@"
bench_no_extra_args
PORT=18100

scripts/lib/ensure-packages.sh libvips-tools
source Benchmarks/lib/engines.sh
bench_build image-app auth profiles storage-fs media
bench_port_free $PORT
{ bench_accounts_config media $PORT; printf '[plugins.media]\nenabled = true\n'; } >"$BENCH_WORK/plugins.conf"
bench_start image-app "$BENCH_BIN/image-app" serve --config "$BENCH_WORK/plugins.conf"
bench_wait_http image-app "http://127.0.0.1:$PORT/healthz"

BODY='{"handle":"bench_media","email":"bench@example.com","password":"benchmark passphrase","session":"token"}'
TOKEN=$(curl -fs -X POST -H 'Content-Type: application/json' -d "$BODY" "http://127.0.0.1:$PORT/api/v1/auth/register" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])') || { cat "$BENCH_WORK/image-app.log" >&2; bench_die "registration failed"; }

IMAGE="$BENCH_WORK/in.jpg"
vips gaussnoise "$BENCH_WORK/noise.v" 4000 3000
vips gaussblur "$BENCH_WORK/noise.v" "$IMAGE[Q=90]" 2
mkdir -p "$BENCH_WORK/tn"

upload() {
    curl -fs -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" -F "file=@$IMAGE" \
        "http://127.0.0.1:$PORT/api/v1/media"
}
thumbnails() {
    local start end
    start=$(date +%s.%N)
    bench_pinned "$BENCH_SERVER_CPUS" vipsthumbnail "$IMAGE" --size '1080>' -o "$BENCH_WORK/tn/tn1080_%s.webp[Q=80]"
    bench_pinned "$BENCH_SERVER_CPUS" vipsthumbnail "$IMAGE" --size '640>' -o "$BENCH_WORK/tn/tn640_%s.webp[Q=80]"
    end=$(date +%s.%N)
    python3 -c "print($end - $start)"
}

upload >/dev/null; thumbnails >/dev/null   # warm-up
: >"$BENCH_WORK/pipeline.txt"; : >"$BENCH_WORK/vipsthumbnail.txt"
for round in $(seq 1 $((BENCH_ROUNDS * 3))); do
    if [ $((round % 2)) -eq 0 ]; then
        upload >>"$BENCH_WORK/pipeline.txt"; thumbnails >>"$BENCH_WORK/vipsthumbnail.txt"
    else
        thumbnails >>"$BENCH_WORK/vipsthumbnail.txt"; upload >>"$BENCH_WORK/pipeline.txt"
    fi
done

# Peak RSS while 4 uploads are processed at once (VmHWM: the high-water mark since start).
UPLOADS=()
for _ in 1 2 3 4; do upload >/dev/null & UPLOADS+=($!); done
wait "${UPLOADS[@]}"   # not a bare `wait`: that would wait for the server too
PEAK_KB=$(awk '/VmHWM/ {print $2}' "/proc/${BENCH_PID[image-app]}/status")

python3 - "$BENCH_WORK/pipeline.txt" "$BENCH_WORK/vipsthumbnail.txt" "$PEAK_KB" <<'PY'
import statistics, sys
a = [float(x) for x in open(sys.argv[1])]
b = [float(x) for x in open(sys.argv[2])]
ratios = [x / y for x, y in zip(a, b)]
def show(name, values, unit=" ms", scale=1000):
    q = statistics.quantiles(values, n=4)
    print(f"{name:<28} median {statistics.median(values) * scale:7.2f}{unit}  IQR {q[0] * scale:.2f}-{q[2] * scale:.2f}  "
          f"min {min(values) * scale:.2f}  max {max(values) * scale:.2f}  (n={len(values)})")
show("POST /api/v1/media", a)
show("vipsthumbnail 1080 + 640", b)
show("ratio (pipeline / vips)", ratios, unit="", scale=1)
median = statistics.median(ratios)
print(f"peak RSS, 4 uploads at once: {int(sys.argv[3]) / 1024:.0f} MiB")
print(f"BENCH media pipeline_vs_vipsthumbnail ratio={median:.3f} target<=1.30 {'ok' if median <= 1.30 else 'MISSED'}")
PY
