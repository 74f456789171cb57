#!/usr/bin/env bash
# The default suite with and without a loaded CPU, by hand: does any verdict depend on load?
# Runs `camleak run --suite --jobs 3` over smoke, suite and incidents ROUNDS times idle and
# ROUNDS times while a CPU burner per core (started here, always killed on exit) keeps every
# core busy; idle and busy rounds alternate, so drift in the machine's other load (a build,
# another engineer's tests) spreads over both. After each round it reads suite.json; at the end
# it prints, per scenario, how many rounds came out as expected idle and busy, and the wall time
# per round. A benchmark: it prints and asserts nothing (exit 0 unless the script itself fails).
# One round takes about 2.5 minutes idle.
#   tools/bench/detection/stress.sh [BUILD_DIR] [ROUNDS]     (build-release, 10)
set -euo pipefail
cd "$(dirname "$0")/../../.."
BUILD=${1:-build-release}
ROUNDS=${2:-10}
CAMLEAK="$BUILD/harness/cli/camleak"
[[ -x "$CAMLEAK" ]] || { echo "build camleak first: cmake --build $BUILD --target camleak" >&2; exit 2; }
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive whole number" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/camleak-stress.XXXXXX")
BURNERS=()
RUN_PID=""  # the suite run in progress

stop_burners() {
  local p
  for p in "${BURNERS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${BURNERS[@]}"; do wait "$p" 2>/dev/null || true; done
  BURNERS=()
}
start_burners() {
  local i
  for ((i = 0; i < $(nproc); i++)); do
    # A process of its own (not a subshell of this script): $! is then the burner itself.
    sh -c 'while :; do :; done' &
    BURNERS+=($!)
  done
}
cleanup() {
  # An interrupted round: camleak tears its run down on SIGTERM (the only signal a background
  # job of a script receives; SIGINT is ignored there).
  if [[ -n "$RUN_PID" ]] && kill -TERM "$RUN_PID" 2>/dev/null; then wait "$RUN_PID" || true; fi
  stop_burners
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # so that the EXIT trap runs on Ctrl-C and kill too

# One round: the suite under `load` (idle or busy); appends a row per scenario to cells.tsv
# (load round name expected ok exit leaks failed-checks) and one to rounds.tsv (load round
# seconds suite-exit).
run_round() {
  local load=$1 round=$2 dir="$WORK/$1-$2" started code
  [[ "$load" == busy ]] && start_burners
  echo "$load round $round/$ROUNDS: load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
  started=$(date +%s%N)
  # In the background, waited for: a signal to this script then interrupts the wait at once.
  "$CAMLEAK" run --suite --jobs 3 --report "$dir" scenarios/smoke.yaml scenarios/suite \
    scenarios/incidents >"$dir.txt" 2>&1 &
  RUN_PID=$!
  set +e
  wait "$RUN_PID"
  code=$?
  set -e
  RUN_PID=""
  stop_burners
  local seconds
  seconds=$(python3 -c "print(f'{($(date +%s%N) - $started) / 1e9:.1f}')")
  printf '%s\t%s\t%s\t%s\n' "$load" "$round" "$seconds" "$code" >>"$WORK/rounds.tsv"
  python3 - "$dir/suite.json" "$load" "$round" "$seconds" "$code" "$dir.txt" "$WORK/cells.tsv" <<'PY'
import json, os, sys
path, load, round_, seconds, code, log, cells = sys.argv[1:]
rows = open(cells, "a")
if not os.path.exists(path):
    # The run did not get as far as its summary: one MISS row, and why.
    tail = open(log, errors="replace").read().splitlines()[-3:]
    print(f"  MISS: no suite.json (exit {code}): {' | '.join(tail)}")
    print(f"{load}\t{round_}\t(no suite.json)\t-\t0\t{code}\t0\t", file=rows)
    sys.exit(0)
suite = json.load(open(path))
met = sum(s["as_expected"] for s in suite["scenarios"])
print(f"  {met}/{len(suite['scenarios'])} as expected, suite exit {code}, {seconds} s")
for s in suite["scenarios"]:
    failed = []
    report = os.path.join(s.get("report", ""), "report.json")
    if os.path.exists(report):
        failed = sorted({c["check"] for c in json.load(open(report))["checks"] if not c["passed"]})
    if not s["as_expected"]:
        print(f"  MISS {s['name']}: exit {s['exit_code']}, {s['leaks']} LEAK, "
              f"failed checks: {', '.join(failed) or '-'}")
    expected = "detect" if s["expect_detection"] else "pass"
    print(f"{load}\t{round_}\t{s['name']}\t{expected}\t{int(s['as_expected'])}\t"
          f"{s['exit_code']}\t{s['leaks']}\t{','.join(failed)}", file=rows)
PY
}

for round in $(seq 1 "$ROUNDS"); do
  run_round idle "$round"
  run_round busy "$round"
done

python3 - "$WORK/cells.tsv" "$WORK/rounds.tsv" <<'PY'
import collections, statistics, sys
cells = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
rounds = [line.rstrip("\n").split("\t") for line in open(sys.argv[2])]
ok = collections.defaultdict(lambda: {"idle": [0, 0], "busy": [0, 0]})
order = []
for load, _, name, expected, as_expected, code, leaks, failed in cells:
    key = f"{name} ({expected})" if expected != "-" else name
    if key not in ok:
        order.append(key)
    ok[key][load][0] += int(as_expected)
    ok[key][load][1] += 1
width = max([len(k) for k in order] + [8])
print()
print(f"{'scenario':<{width}}  {'idle ok':>9}  {'busy ok':>9}")
totals = {"idle": [0, 0], "busy": [0, 0]}
for key in order:
    row = ok[key]
    for load in totals:
        totals[load][0] += row[load][0]
        totals[load][1] += row[load][1]
    flag = "" if all(r[0] == r[1] for r in row.values()) else "   <- not always as expected"
    print(f"{key:<{width}}  {'%d/%d' % tuple(row['idle']):>9}  {'%d/%d' % tuple(row['busy']):>9}{flag}")
print(f"{'all':<{width}}  {'%d/%d' % tuple(totals['idle']):>9}  {'%d/%d' % tuple(totals['busy']):>9}")
print()
for load in ("idle", "busy"):
    times = sorted(float(r[2]) for r in rounds if r[0] == load)
    exits = collections.Counter(r[3] for r in rounds if r[0] == load)
    if times:
        print(f"wall time per {load} round: min {times[0]:.1f} s, median "
              f"{statistics.median(times):.1f} s, max {times[-1]:.1f} s over {len(times)} round(s); "
              f"suite exit codes {dict(sorted(exits.items()))}")
PY
