#!/usr/bin/env python3
"""Statistics for the benchmark harness (Benchmarks/lib/harness.sh).

Reads results.tsv (round, label, req/s, p50 us, p99 us, requests, socket errors; one row per
measured run) and prints, for variant A (and B), the median, min-max and interquartile range of
req/s and p99 latency; with B, the ratio A/B computed per round (runs of the same round only)
and summarised the same way. Ends with one machine-readable line:

  BENCH name=... a=LABEL b=LABEL a_median=... ratio_median=... ratio_min=... ratio_max=... rounds=N ...
"""
import argparse
import datetime
import statistics
import sys
from collections import defaultdict


def spread(values):
    """Median, min, max, first and third quartile of a non-empty list."""
    values = sorted(values)
    if len(values) >= 2:
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    else:
        q1 = q3 = values[0]
    return {"median": statistics.median(values), "min": values[0], "max": values[-1], "q1": q1, "q3": q3}


def rate(value):
    """Requests per second: whole numbers, but two decimals for slow things such as logins."""
    return f"{value:.0f}" if value >= 100 else f"{value:.2f}"


def read_results(path):
    runs = defaultdict(dict)  # label -> round -> (rps, p50 ms, p99 ms)
    with open(path) as results:
        for line in results:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 5:
                continue
            round_, label, rps, p50, p99 = fields[:5]
            runs[label][round_] = (float(rps), float(p50) / 1000, float(p99) / 1000)
    return runs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--name", required=True)
    parser.add_argument("--a", required=True, help="label of the measured variant")
    parser.add_argument("--b", help="label of the baseline; the ratio is A/B")
    parser.add_argument("--target", type=float, help="lowest acceptable median ratio")
    parser.add_argument("--meta", nargs="*", default=[], help="key=value pairs for the BENCH line")
    args = parser.parse_args()

    runs = read_results(args.results)
    labels = [args.a] + ([args.b] if args.b else [])
    for label in labels:
        if not runs.get(label):
            sys.exit(f"stats: no runs of '{label}' in {args.results}")

    fields = [("name", args.name), ("a", args.a)] + ([("b", args.b)] if args.b else [])
    width = max(len(label) for label in labels + ["ratio per round"])
    print(f"== {args.name}")
    print(f"{'':{width}}  {'req/s median':>12}  {'min - max':>19}  {'IQR':>8}    {'p99 ms median':>13}  {'min - max':>15}")
    for key, label in zip("ab", labels):
        rps = spread([run[0] for run in runs[label].values()])
        p99 = spread([run[2] for run in runs[label].values()])
        print(f"{label:{width}}  {rate(rps['median']):>12}  {rate(rps['min']):>9} - {rate(rps['max']):<7}  "
              f"{rate(rps['q3'] - rps['q1']):>8}    {p99['median']:13.2f}  {p99['min']:7.2f} - {p99['max']:<5.2f}")
        fields += [(f"{key}_median", rate(rps['median'])), (f"{key}_min", rate(rps['min'])),
                   (f"{key}_max", rate(rps['max'])), (f"{key}_p99_ms", f"{p99['median']:.2f}"),
                   (f"{key}_p99_ms_max", f"{p99['max']:.2f}")]

    rounds = len(runs[args.a])
    if args.b:
        shared = sorted(set(runs[args.a]) & set(runs[args.b]), key=lambda r: (len(r), r))
        if not shared:
            sys.exit(f"stats: '{args.a}' and '{args.b}' have no round in common")
        ratios = [runs[args.a][r][0] / runs[args.b][r][0] for r in shared]
        ratio = spread(ratios)
        rounds = len(shared)
        verdict = ""
        if args.target is not None:
            passed = ratio["median"] >= args.target
            verdict = f"   target >= {args.target:.2f}: {'met' if passed else 'NOT met'}"
        print(f"{'ratio per round':{width}}  {ratio['median']:12.3f}  {ratio['min']:9.3f} - {ratio['max']:<7.3f}  "
              f"{ratio['q3'] - ratio['q1']:8.3f}{verdict}")
        print(f"{'':{width}}  (rounds: {' '.join(f'{value:.3f}' for value in ratios)})")
        fields += [("ratio_median", f"{ratio['median']:.3f}"), ("ratio_min", f"{ratio['min']:.3f}"),
                   ("ratio_max", f"{ratio['max']:.3f}"), ("ratio_iqr", f"{ratio['q3'] - ratio['q1']:.3f}")]
        if args.target is not None:
            fields += [("target", f"{args.target:.2f}"), ("target_met", "yes" if passed else "no")]
    fields.append(("rounds", str(rounds)))
    meta = dict(pair.split("=", 1) for pair in args.meta if "=" in pair)  # later pairs win
    fields += list(meta.items())
    fields.append(("date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")))
    print("BENCH " + " ".join(f"{key}={value}" for key, value in fields))


if __name__ == "__main__":
    main()
