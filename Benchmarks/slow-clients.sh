#!/usr/bin/env bash
# Resident memory of image-app under slow and stalled clients (issue 14, item 3), for one or more
# builds side by side: ten unauthenticated 8 MB avatar uploads that stall, and ten 8 MiB media
# downloads that are never read. Each build serves with auth, profiles and storage-fs against the
# local PostgreSQL and Redis; each scenario runs on a freshly started server, ROUNDS times per
# build, builds interleaved, and the medians are printed with their range.
#
#   Benchmarks/slow-clients.sh [--rounds N] [--bin LABEL=DIR]... [harness options]
#
# Without --bin it measures this tree's release build ("current"). To compare with an older
# commit, build it elsewhere and pass both, e.g.
#   git worktree add /tmp/before <commit> && (cd /tmp/before && swift build)
#   Benchmarks/slow-clients.sh --rounds 3 --bin before=/tmp/before/.build/debug --bin after=.build/debug
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
bench_script_usage() {
    echo "  --bin LABEL=DIR        a folder with image-app and the plugins (repeatable; default: the release build)"
}
bench_init slow-clients "$@"
declare -a BUILDS=()
set -- "${BENCH_REST[@]}"
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) BUILDS+=("$2"); shift 2 ;;
        *) bench_usage >&2; bench_script_usage >&2; bench_die "unknown argument: $1" ;;
    esac
done

PORT=18095

source Benchmarks/lib/engines.sh
if [ ${#BUILDS[@]} -eq 0 ]; then
    bench_build image-app auth profiles storage-fs
    BUILDS=("current=$BENCH_BIN")
fi
bench_port_free $PORT
mkdir -p "$BENCH_WORK/media"
head -c $((8 << 20)) /dev/urandom >"$BENCH_WORK/media/bench-8m.bin"
bench_accounts_config slow $PORT >"$BENCH_WORK/plugins.conf"

# One measurement: a fresh database and server, then the scenario; prints the scenario's line.
measure() {
    local label="$1" dir="$2" scenario="$3" line
    bench_fresh_database
    bench_start "$label" "$dir/image-app" serve --config "$BENCH_WORK/plugins.conf"
    bench_wait_http "$label" "http://127.0.0.1:$PORT/healthz"
    sleep 1
    line="$(bench_pinned "$BENCH_CLIENT_CPUS" python3 "$BENCH_LIB/slow_clients.py" "$PORT" "${BENCH_PID[$label]}" "$scenario")"
    kill "${BENCH_PID[$label]}"; wait "${BENCH_PID[$label]}" 2>/dev/null || true
    echo "$label $line" | tee -a "$BENCH_WORK/rss.txt" >&2
}

for round in $(seq "$BENCH_ROUNDS"); do
    for scenario in uploads downloads; do
        for build in "${BUILDS[@]}"; do measure "${build%%=*}" "${build#*=}" "$scenario"; done
    done
done

echo
python3 - "$BENCH_WORK/rss.txt" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    label, scenario, *fields = line.split()
    values = dict(field.split("=") for field in fields)
    for key in ("rss_before_mb", "rss_after_mb", "growth_mb"):
        rows[(label, scenario)][key].append(float(values[key]))
for (label, scenario), values in rows.items():
    parts = []
    for key in ("rss_before_mb", "rss_after_mb", "growth_mb"):
        v = values[key]
        parts.append(f"{key}={statistics.median(v):.1f} [{min(v):.1f}-{max(v):.1f}]")
    print(f"BENCH slow-clients.{scenario} build={label} rounds={len(values['growth_mb'])} " + " ".join(parts))
PY
