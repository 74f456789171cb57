#!/usr/bin/env bash
# Regression: actions at 0 s raced the fleet. The Player ran them after the fleet had started,
# so a hub whose link was meant to be down from 0 s could sometimes play first (an incident
# went undetected that way). Three copies run at once (--jobs 3) to load the machine; in each,
# only hub-1 may have played successfully.
#   initial_actions_check.sh CAMLEAK SCENARIO
set -uo pipefail
camleak=$1 scenario=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/camleak-initial.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/scenarios"
for n in 1 2 3; do
  sed "s/^name: .*/name: initial-$n/" "$scenario" >"$tmp/scenarios/initial-$n.yaml"
done
"$camleak" run --jobs 3 --quiet --report "$tmp/report" "$tmp/scenarios" >"$tmp/run.log" 2>&1
code=$?
cat "$tmp/run.log"
[ "$code" -le 1 ] || { echo "FAIL: harness failed (exit $code)"; exit 1; }
python3 - "$tmp/report" <<'PY' || { echo FAIL; exit 1; }
import json, sys, os
root = sys.argv[1]
for name in ("initial-1", "initial-2", "initial-3"):
    report = json.load(open(os.path.join(root, name, "report.json")))
    plays = sum(o["ok"] for o in report["operations"] if o["phase"] == "run" and o["type"] == "play")
    print(f"{name}: {plays} successful play(s)")
    assert plays == 1, f"{name}: hub-2 played although its link was down from 0 s"
PY
echo PASS
