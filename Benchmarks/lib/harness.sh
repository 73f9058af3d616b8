# Shared harness for the HTTP benchmarks (sourced by Benchmarks/*.sh; see Benchmarks/README.md).
#
# Servers run pinned to one core and wrk to another, so the load generator never steals the
# server's CPU. Every variant (A, B, C...) gets a discarded warm-up, then the variants are
# measured in interleaved rounds with the order rotated each round (A B, B A, ...), so drift in
# the machine's state hits all of them alike. stats.py prints the median and spread of each
# variant and of the per-round ratio, and one machine-readable `BENCH ...` line per comparison.
#
# A benchmark script does:
#   source "$(dirname "$0")/lib/harness.sh"
#   bench_init NAME "$@"                  # common options, packages, CPUs, work dir, cleanup trap
#   bench_build PRODUCT...                # release build; $BENCH_BIN is the binary folder
#   bench_start LABEL COMMAND...          # a server, pinned to the server CPUs, killed on exit
#   bench_wait_http LABEL URL             # health check: waits for a 2xx, fails if LABEL died
#   bench_variant LABEL URL [--lua FILE] [WRK_ARGS...]
#   bench_run [LABEL...]                  # warm-up, then interleaved rounds (default: all)
#   bench_report NAME A [B [TARGET]]      # statistics and the BENCH line (A/B ratio, target)

BENCH_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_ROOT="$(cd "$BENCH_LIB/../.." && pwd)"

BENCH_ROUNDS=7
BENCH_SECONDS=10
BENCH_WARMUP=5
BENCH_CONNECTIONS=64
BENCH_THREADS=1
BENCH_SERVER_CPUS=""
BENCH_CLIENT_CPUS=""
BENCH_NICE=-10
BENCH_BUILD=1
BENCH_KEEP=0
BENCH_OUT=""
BENCH_REST=()          # options the harness does not know, for the script to parse
BENCH_PIDS=()
BENCH_EXIT_HOOKS=()
BENCH_VARIANTS=()
declare -A BENCH_PID=() BENCH_URL=() BENCH_LUA=() BENCH_INDEX=()

bench_usage() {
    cat <<USAGE
common options (every HTTP benchmark):
  --rounds N         interleaved measured rounds per variant (default $BENCH_ROUNDS, at least 5 for a figure)
  --seconds S        length of one measured wrk run (default $BENCH_SECONDS)
  --warmup S         discarded warm-up run per variant, 0 for none (default $BENCH_WARMUP)
  --connections C    wrk connections (default $BENCH_CONNECTIONS)
  --threads T        wrk threads (default $BENCH_THREADS; one per client CPU)
  --server-cpus L    CPU list for the servers (default: the first CPU this process may use)
  --client-cpus L    CPU list for wrk (default: the second CPU this process may use)
  --nice N           niceness of servers and wrk (default $BENCH_NICE when allowed, 0 otherwise)
  --out FILE         also append the BENCH lines to FILE
  --no-build         use the existing release build
  --keep             keep the work folder (logs, raw wrk output, results.tsv)
USAGE
}

bench_die() { echo "bench: $*" >&2; exit 1; }

# bench_init NAME ARGS...: parse the common options (others land in BENCH_REST), install what
# the harness needs, choose the CPUs, make the work folder and install the cleanup trap.
bench_init() {
    BENCH_NAME="$1"; shift
    while [ $# -gt 0 ]; do
        case "$1" in
            --rounds) BENCH_ROUNDS="$2"; shift 2 ;;
            --seconds) BENCH_SECONDS="$2"; shift 2 ;;
            --warmup) BENCH_WARMUP="$2"; shift 2 ;;
            --connections) BENCH_CONNECTIONS="$2"; shift 2 ;;
            --threads) BENCH_THREADS="$2"; shift 2 ;;
            --server-cpus) BENCH_SERVER_CPUS="$2"; shift 2 ;;
            --client-cpus) BENCH_CLIENT_CPUS="$2"; shift 2 ;;
            --nice) BENCH_NICE="$2"; shift 2 ;;
            --out) BENCH_OUT="$2"; shift 2 ;;
            --no-build) BENCH_BUILD=0; shift ;;
            --keep) BENCH_KEEP=1; shift ;;
            -h|--help) bench_usage; [ "$(type -t bench_script_usage)" = function ] && bench_script_usage; exit 0 ;;
            *) BENCH_REST+=("$1"); shift ;;
        esac
    done
    for value in "$BENCH_ROUNDS" "$BENCH_SECONDS" "$BENCH_WARMUP" "$BENCH_CONNECTIONS" "$BENCH_THREADS"; do
        [[ "$value" =~ ^[0-9]+$ ]] || bench_die "expected a whole number, got '$value'"
    done
    [ "$BENCH_ROUNDS" -ge 1 ] && [ "$BENCH_SECONDS" -ge 1 ] && [ "$BENCH_CONNECTIONS" -ge "$BENCH_THREADS" ] ||
        bench_die "need --rounds >= 1, --seconds >= 1 and --connections >= --threads"
    [ "$BENCH_ROUNDS" -ge 5 ] || echo "bench: note: fewer than 5 rounds; the spread is not worth much" >&2

    cd "$BENCH_ROOT"
    scripts/lib/ensure-packages.sh wrk curl python3 util-linux
    BENCH_LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"
    bench_choose_cpus
    # Other work on the machine (builds) would otherwise take the benchmark's CPUs in proportion
    # to thread counts, favouring whichever server runs more threads; a lower niceness keeps the
    # servers and wrk ahead of it. Raising priority needs root (or CAP_SYS_NICE).
    [[ "$BENCH_NICE" =~ ^-?[0-9]+$ ]] || bench_die "--nice expects a number, got '$BENCH_NICE'"
    if [ "$(nice -n "$BENCH_NICE" nice 2>/dev/null)" != "$(( $(nice) + BENCH_NICE ))" ]; then
        echo "bench: note: cannot set niceness $BENCH_NICE here; running at normal priority" >&2
        BENCH_NICE=0
    fi

    BENCH_WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-$BENCH_NAME.XXXXXX")"
    mkdir -p "$BENCH_WORK/runs"
    : >"$BENCH_WORK/results.tsv"
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# Fails on options that neither the harness nor the script understood.
bench_no_extra_args() {
    [ ${#BENCH_REST[@]} -eq 0 ] || { bench_usage >&2; bench_die "unknown arguments: ${BENCH_REST[*]}"; }
}

# Servers on the first allowed CPU, wrk on the second; with a single CPU nothing is pinned.
bench_choose_cpus() {
    local allowed
    allowed="$(python3 -c 'import os; print(" ".join(map(str, sorted(os.sched_getaffinity(0)))))')"
    read -r -a BENCH_ALLOWED_CPUS <<<"$allowed"
    if [ ${#BENCH_ALLOWED_CPUS[@]} -ge 2 ]; then
        : "${BENCH_SERVER_CPUS:=${BENCH_ALLOWED_CPUS[0]}}"
        : "${BENCH_CLIENT_CPUS:=${BENCH_ALLOWED_CPUS[1]}}"
    elif [ -z "$BENCH_SERVER_CPUS$BENCH_CLIENT_CPUS" ]; then
        echo "bench: warning: one CPU only; server and wrk share it and the ratios are noisier" >&2
    fi
    BENCH_SERVER_CPU_COUNT=${#BENCH_ALLOWED_CPUS[@]}
    if [ -n "$BENCH_SERVER_CPUS" ]; then
        BENCH_SERVER_CPU_COUNT="$(taskset -c "$BENCH_SERVER_CPUS" nproc)" || bench_die "bad --server-cpus '$BENCH_SERVER_CPUS'"
    fi
    if [ -n "$BENCH_CLIENT_CPUS" ]; then
        taskset -c "$BENCH_CLIENT_CPUS" true || bench_die "bad --client-cpus '$BENCH_CLIENT_CPUS'"
    fi
    local cpus=${#BENCH_ALLOWED_CPUS[@]}
    if awk -v l="$BENCH_LOAD_BEFORE" -v c="$cpus" 'BEGIN { exit !(l > c / 4) }'; then
        echo "bench: warning: load average $BENCH_LOAD_BEFORE on $cpus CPUs before starting; other work will add noise" >&2
    fi
}

# Runs "$@" at the harness's niceness, pinned to CPU list $1 (or unpinned when it is empty).
bench_pinned() {
    local cpus="$1"; shift
    if [ -n "$cpus" ]; then nice -n "$BENCH_NICE" taskset -c "$cpus" "$@"; else nice -n "$BENCH_NICE" "$@"; fi
}

# bench_build PRODUCT...: release build of the products (unless --no-build); sets BENCH_BIN.
bench_build() {
    if [ "$BENCH_BUILD" -eq 1 ]; then
        local product
        for product in "$@"; do
            swift build -c release --product "$product" >"$BENCH_WORK/build.log" 2>&1 ||
                { cat "$BENCH_WORK/build.log" >&2; bench_die "release build of $product failed"; }
        done
    fi
    BENCH_BIN="$(swift build -c release --show-bin-path)"
    local product
    for product in "$@"; do
        [ -e "$BENCH_BIN/$product" ] || [ -e "$BENCH_BIN/lib$product.so" ] ||
            bench_die "$product is not built in $BENCH_BIN (run without --no-build)"
    done
}

# bench_on_exit COMMAND: run COMMAND (a string for eval) at exit, after the servers stopped.
bench_on_exit() { BENCH_EXIT_HOOKS+=("$1"); }

# bench_port_free PORT: fails when something already listens on 127.0.0.1:PORT.
bench_port_free() {
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
        bench_die "port $1 is already in use; stop what listens there first"
    fi
}

# bench_start LABEL COMMAND...: start a server pinned to the server CPUs, output to LABEL.log.
bench_start() {
    local label="$1"; shift
    # Started directly (not through a function) so that $! is the server itself: taskset execs it.
    # SwiftNIO sizes its event loop group from cgroup limits or the online CPUs, not from the
    # affinity mask, so it is told how many CPUs it has, as a cgroup limit would.
    if [ -n "$BENCH_SERVER_CPUS" ]; then
        NIO_SINGLETON_GROUP_LOOP_COUNT="${NIO_SINGLETON_GROUP_LOOP_COUNT:-$BENCH_SERVER_CPU_COUNT}" \
            nice -n "$BENCH_NICE" taskset -c "$BENCH_SERVER_CPUS" "$@" >"$BENCH_WORK/$label.log" 2>&1 &
    else
        NIO_SINGLETON_GROUP_LOOP_COUNT="${NIO_SINGLETON_GROUP_LOOP_COUNT:-$BENCH_SERVER_CPU_COUNT}" \
            nice -n "$BENCH_NICE" "$@" >"$BENCH_WORK/$label.log" 2>&1 &
    fi
    BENCH_PID[$label]=$!
    BENCH_PIDS+=($!)
}

# bench_wait_http LABEL URL [SECONDS] [CURL_ARGS...]: wait until URL answers 2xx; fail with the
# server's log when it does not within SECONDS (default 60) or when the LABEL process exits.
bench_wait_http() {
    local label="$1" url="$2" seconds="${3:-60}"
    shift 2; [ $# -gt 0 ] && shift
    local deadline=$((SECONDS + seconds))
    while [ $SECONDS -lt $deadline ]; do
        curl -fs -o /dev/null "$@" "$url" && return 0
        if ! kill -0 "${BENCH_PID[$label]}" 2>/dev/null; then
            cat "$BENCH_WORK/$label.log" >&2
            bench_die "$label exited before answering $url"
        fi
        sleep 0.1
    done
    cat "$BENCH_WORK/$label.log" >&2
    bench_die "$label did not answer $url within $seconds s"
}

# bench_variant LABEL URL [--lua FILE] [WRK_ARGS...]: something to measure. FILE shapes the
# request (wrk.method, wrk.body, ...); WRK_ARGS are extra wrk options such as -H 'Name: value'.
bench_variant() {
    local label="$1" url="$2"; shift 2
    [[ "$label" =~ ^[A-Za-z0-9_.-]+$ ]] || bench_die "variant label '$label' must be [A-Za-z0-9_.-]+"
    local index=${#BENCH_VARIANTS[@]}
    BENCH_VARIANTS+=("$label")
    BENCH_INDEX[$label]=$index
    BENCH_URL[$label]="$url"
    local lua="$BENCH_WORK/variant-$index.lua"
    : >"$lua"
    if [ "${1:-}" = "--lua" ]; then cat "$2" >>"$lua"; shift 2; fi
    # The done() hook prints the figures in one parseable line (latencies in microseconds).
    cat >>"$lua" <<'LUA'

done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "BENCHWRK requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d socket_errors=%d status_errors=%d\n",
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
        latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
LUA
    declare -g -a "BENCH_ARGS_$index=()"
    local -n args="BENCH_ARGS_$index"
    args=("$@")
}

# bench_measure LABEL SECONDS [CONNECTIONS] [ROUND]: one wrk run of a variant, pinned to the
# client CPUs. Prints "rps p50_us p99_us requests socket_errors"; with ROUND, also records the
# run in results.tsv. Fails when the server answered any 4xx/5xx.
bench_measure() {
    local label="$1" seconds="$2" connections="${3:-$BENCH_CONNECTIONS}" round="${4:-}"
    local index="${BENCH_INDEX[$label]:?unknown variant $label}"
    local -n args="BENCH_ARGS_$index"
    local threads=$BENCH_THREADS
    [ "$connections" -lt "$threads" ] && threads=$connections
    local raw="$BENCH_WORK/runs/$label-${round:-extra}-$RANDOM.txt"
    bench_pinned "$BENCH_CLIENT_CPUS" wrk -t"$threads" -c"$connections" -d"${seconds}s" \
        -s "$BENCH_WORK/variant-$index.lua" "${args[@]}" "${BENCH_URL[$label]}" >"$raw" 2>&1 ||
        { cat "$raw" >&2; bench_die "wrk failed on $label"; }
    local line
    line="$(grep '^BENCHWRK ' "$raw")" || { cat "$raw" >&2; bench_die "no figures from wrk on $label"; }
    local requests=0 duration_us=0 p50_us=0 p90_us=0 p99_us=0 max_us=0 socket_errors=0 status_errors=0 pair
    for pair in ${line#BENCHWRK }; do
        case "${pair%%=*}" in
            requests|duration_us|p50_us|p90_us|p99_us|max_us|socket_errors|status_errors)
                [[ "${pair#*=}" =~ ^[0-9]+$ ]] || bench_die "unexpected wrk figure '$pair'"
                printf -v "${pair%%=*}" '%s' "${pair#*=}" ;;
        esac
    done
    [ "$duration_us" -gt 0 ] || bench_die "wrk reported no duration for $label"
    if [ "$status_errors" -gt 0 ]; then
        cat "$raw" >&2
        bench_die "$label got $status_errors answers with status >= 400; measuring errors is not the benchmark"
    fi
    [ "$socket_errors" -gt 0 ] && echo "bench: warning: $label had $socket_errors socket errors" >&2
    local rps
    rps="$(awk -v r="$requests" -v d="$duration_us" 'BEGIN { printf "%.1f", r / (d / 1e6) }')"
    [ -n "$round" ] && printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$label" "$rps" "$p50_us" "$p99_us" \
        "$requests" "$socket_errors" >>"$BENCH_WORK/results.tsv"
    echo "$rps $p50_us $p99_us $requests $socket_errors"
}

# bench_run [LABEL...]: warm up each variant (discarded), then BENCH_ROUNDS rounds in which every
# variant runs once, the order rotated by one each round.
bench_run() {
    local labels=("$@")
    [ ${#labels[@]} -gt 0 ] || labels=("${BENCH_VARIANTS[@]}")
    local count=${#labels[@]} label
    echo "$BENCH_NAME: ${labels[*]}; $BENCH_ROUNDS rounds x ${BENCH_SECONDS}s, warm-up ${BENCH_WARMUP}s," \
        "wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS; server CPUs ${BENCH_SERVER_CPUS:-any}, wrk CPUs ${BENCH_CLIENT_CPUS:-any}"
    if [ "$BENCH_WARMUP" -gt 0 ]; then
        for label in "${labels[@]}"; do bench_measure "$label" "$BENCH_WARMUP" >/dev/null; done
    fi
    local round i figures rps p50 p99 rest
    for ((round = 1; round <= BENCH_ROUNDS; round++)); do
        local line="  round $round/$BENCH_ROUNDS:"
        for ((i = 0; i < count; i++)); do
            label="${labels[$(((i + round - 1) % count))]}"
            figures="$(bench_measure "$label" "$BENCH_SECONDS" "$BENCH_CONNECTIONS" "$round")" || exit 1
            read -r rps p50 p99 rest <<<"$figures"
            line+="$(printf '  %s %.0f req/s p99 %.2f ms' "$label" "$rps" "$(awk -v u="$p99" 'BEGIN { print u / 1000 }')")"
        done
        echo "$line  (load $(cut -d' ' -f1 /proc/loadavg))"
    done
}

# bench_report NAME A [B [TARGET]] [KEY=VALUE...]: medians and spread of A (and B, and the
# per-round ratio A/B against TARGET) with a machine-readable BENCH line, also appended to
# --out FILE. KEY=VALUE pairs go into the BENCH line, replacing the harness's own (seconds=...).
bench_report() {
    local positional=() meta=() arg output
    for arg in "$@"; do
        if [[ "$arg" =~ ^[a-z_]+= ]]; then meta+=("$arg"); else positional+=("$arg"); fi
    done
    set -- "${positional[@]}"
    output="$(python3 "$BENCH_LIB/stats.py" "$BENCH_WORK/results.tsv" --name "$1" --a "$2" \
        ${3:+--b "$3"} ${4:+--target "$4"} \
        --meta "seconds=$BENCH_SECONDS" "connections=$BENCH_CONNECTIONS" "threads=$BENCH_THREADS" \
        "server_cpus=${BENCH_SERVER_CPUS:-any}" "client_cpus=${BENCH_CLIENT_CPUS:-any}" \
        "nice=$BENCH_NICE" "load_before=$BENCH_LOAD_BEFORE" "${meta[@]}")" || bench_die "statistics failed"
    echo "$output"
    [ -n "$BENCH_OUT" ] && grep '^BENCH ' <<<"$output" >>"$BENCH_OUT"
    return 0
}

# Stops every process the harness started (TERM, then KILL after 5 s), runs the exit hooks and
# removes the work folder (unless --keep).
bench_cleanup() {
    local status=$? pid hook
    trap - EXIT INT TERM
    for pid in "${BENCH_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    local deadline=$((SECONDS + 5))
    for pid in "${BENCH_PIDS[@]}"; do
        while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    for hook in "${BENCH_EXIT_HOOKS[@]}"; do eval "$hook" || true; done
    if [ -n "${BENCH_WORK:-}" ]; then
        if [ "$BENCH_KEEP" -eq 1 ]; then echo "bench: work folder kept: $BENCH_WORK" >&2; else rm -rf "$BENCH_WORK"; fi
    fi
    exit "$status"
}
