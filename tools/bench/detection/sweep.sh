#!/usr/bin/env bash
# The detection matrix over many seeds, by hand: every incident scenario with its defect on
# (must FAIL with LEAK) and off (must PASS), once per seed. Prints one line per cell and the
# counts; a flaky cell is a harness bug, not bad luck.
#   tools/bench/detection/sweep.sh [BUILD_DIR] [FIRST_SEED] [LAST_SEED] [JOBS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
BUILD=${1:-build-release}
FIRST=${2:-1}
LAST=${3:-5}
JOBS=${4:-3}
CAMLEAK="$BUILD/harness/cli/camleak"
[[ -x "$CAMLEAK" ]] || { echo "build camleak first: cmake --build $BUILD --target camleak" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/camleak-sweep.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
for seed in $(seq "$FIRST" "$LAST"); do
  set +e
  "$CAMLEAK" run --suite --quiet --jobs "$JOBS" --seed "$seed" --report "$WORK/$seed" scenarios/incidents \
    > "$WORK/$seed.txt" 2>&1
  set -e
  if [[ ! -f "$WORK/$seed/suite.json" ]]; then
    # The run did not get as far as its summary: show why, and count it as a miss.
    echo "seed $(printf '%4s' "$seed") run    MISS (no suite.json): $(tail -n 3 "$WORK/$seed.txt" | tr '\n' ' ')"
    continue
  fi
  python3 - "$WORK/$seed/suite.json" "$seed" <<'PY'
import json, sys
suite = json.load(open(sys.argv[1]))
for s in suite["scenarios"]:
    mode = "defect" if s["expect_detection"] else "clean "
    verdict = "ok  " if s["as_expected"] else "MISS"
    print(f"seed {sys.argv[2]:>4} {mode} {verdict} {s['name']}: exit {s['exit_code']}, {s['leaks']} LEAK")
PY
done | tee "$WORK/cells.txt"
echo "cells as expected: $(grep -c ' ok ' "$WORK/cells.txt") of $(wc -l < "$WORK/cells.txt")"
