#!/usr/bin/env bash
# One cell of the detection matrix: runs a scenario through `camleak run` and checks the outcome.
#   detection_check.sh CAMLEAK SCENARIO detect [SEED]  -> must exit 1 with a LEAK in junit.xml
#   detection_check.sh CAMLEAK SCENARIO clean  [SEED]  -> with --no-defects: must exit 0, and the
#                                                        report must show no LEAK, SPLICE or FORGED
set -uo pipefail
camleak=$1 scenario=$2 mode=$3 seed=${4:-}
report=$(mktemp -d "${TMPDIR:-/tmp}/camleak-e2e.XXXXXX")
trap 'rm -rf "$report"' EXIT
args=(run --quiet --report "$report" "$scenario")
[ -n "$seed" ] && args+=(--seed "$seed")
[ "$mode" = clean ] && args+=(--no-defects)
"$camleak" "${args[@]}"
code=$?
leak_failures=$(grep -c 'LEAK' "$report/junit.xml" 2>/dev/null || true)
count() { python3 -c "import json,sys; r=json.load(open('$report/report.json')); print(r['verdict_counts']['$1'])" 2>/dev/null || echo "?"; }
echo "mode=$mode exit=$code junit_leak_lines=$leak_failures LEAK=$(count LEAK) SPLICE=$(count SPLICE) FORGED=$(count FORGED)"
case $mode in
  detect)
    [ "$code" -eq 1 ] || { echo "FAIL: expected exit 1 (leak detected), got $code"; exit 1; }
    [ "$leak_failures" -gt 0 ] || { echo "FAIL: junit.xml names no LEAK"; exit 1; }
    ;;
  clean)
    [ "$code" -eq 0 ] || { echo "FAIL: expected exit 0 with the defect off, got $code"; sed -n 1,200p "$report/junit.xml"; exit 1; }
    for kind in LEAK SPLICE FORGED; do
      [ "$(count $kind)" = 0 ] || { echo "FAIL: $kind verdicts in a clean run"; exit 1; }
    done
    ;;
  *) echo "unknown mode $mode"; exit 2 ;;
esac
echo PASS
