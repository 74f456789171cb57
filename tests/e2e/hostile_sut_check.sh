#!/usr/bin/env bash
# A relay that never leaks because it never delivers must not pass. Runs camleak with its
# default checks against hostile_sut.py (started by the scenario, hostile_sut.yaml.in) in one
# hostile mode and asserts that camleak says so: exit 1 (a check failed; not 0, and not 3, the
# harness failing), with report.json naming a failed check that fits the mode.
#   hostile_sut_check.sh CAMLEAK MODE [PROBE_BODY]
#     MODE        black-hole | silent | garbage | header-flood | probe-grant
#     PROBE_BODY  probe-grant only: huge (default, over 4 MiB) or endless (chunked, never ends)
# Prints every failed check with its message, the operations and the fixture's own counters.
source "$(dirname "$0")/e2e_lib.sh"
set -uo pipefail

# Which failed check shows that camleak saw through each mode: at least one of these must be
# among the failed checks (others may fail too). Adjust here when check names change.
declare -A EXPECTED_CHECKS=(
  [black-hole]="time_to_first_frame max_stall_outside_faults"
  [silent]="cameras_published time_to_first_frame"
  [garbage]="cameras_published time_to_first_frame"
  [header-flood]="cameras_published time_to_first_frame"
  [probe-grant]="probes_refused"
)

camleak=$(realpath "$1") mode=${2:-} probe_body=${3:-huge}
[ -n "$mode" ] && [ -n "${EXPECTED_CHECKS[$mode]:-}" ] || {
  echo "usage: hostile_sut_check.sh CAMLEAK {${!EXPECTED_CHECKS[*]}} [huge|endless]" | tr ' ' '|'
  exit 2
}
tmp=$(make_tmp hostile)

cleanup() {
  # camleak stops the fixture it started; this only catches one left by a killed run (by the
  # pid the fixture wrote, and only if that pid is still the fixture).
  for f in "$tmp"/try-*/sut.pid; do
    [ -f "$f" ] || continue
    p=$(cat "$f")
    grep -q hostile_sut.py "/proc/$p/cmdline" 2>/dev/null && kill -KILL "$p" 2>/dev/null
  done
  remove_tmp
}
trap cleanup EXIT

fail() {
  fail_with_logs "$*" "last output of camleak run" "$dir/out.txt" 20 "fixture log" "$dir/sut.log" 15
}


for attempt in 1 2 3; do
  begin_attempt "$attempt"
  fill_template "$e2e_dir/hostile_sut.yaml.in" -e "s|@FIXTURE@|$e2e_dir/hostile_sut.py|g" \
    -e "s|@MODE@|$mode|g" -e "s|@PROBE_BODY@|$probe_body|g" >"$dir/scenario.yaml"
  # The deadline only bounds a hung run (the scenario lasts 12 s); it asserts nothing about speed.
  timeout --kill-after=10 100 "$camleak" run --report "$dir/report" "$dir/scenario.yaml" \
    >"$dir/out.txt" 2>&1
  code=$?
  echo "attempt $attempt: mode=$mode$([ "$mode" = probe-grant ] && echo " body=$probe_body")" \
       "ports rtsp=$rtsp_port http=$http_port admin=$admin_port: camleak exit $code"
  if port_was_taken "$code" "$dir/sut.log" 'cannot listen'; then
    echo "a fixture port was taken meanwhile; retrying with other ports"
    continue
  fi
  break
done

echo "--- camleak's verdict:"; grep -E '^(PASS|FAIL)|verdict|check' "$dir/out.txt" | head -n 20
echo "--- fixture: $(grep -o 'summary .*' "$dir/sut.log" 2>/dev/null | cut -c1-600)"
[ -f "$dir/report/report.json" ] || fail "no report.json (camleak exit $code)"
python3 - "$dir/report/report.json" "${EXPECTED_CHECKS[$mode]}" <<'PY' || fail "report.json does not name an expected failed check"
import json, sys
report = json.load(open(sys.argv[1]))
expected = set(sys.argv[2].split())
totals = {}
for o in report["operations"]:
    t = totals.setdefault(o["type"], [0, 0, 0])
    for i, key in enumerate(("ok", "fail", "info")):
        t[i] += o[key]
print("operations (ok/fail/info): " +
      ", ".join(f"{k} {v[0]}/{v[1]}/{v[2]}" for k, v in sorted(totals.items())))
print("verdicts:", {k: v for k, v in report["verdict_counts"].items() if v})
failed = [c for c in report["checks"] if not c["passed"]]
print(f"failed checks ({len(failed)} of {len(report['checks'])}):")
for c in failed:
    print(f"  {c['check']} [{c['phase']}]: {c['message']}")
hits = sorted({c["check"] for c in failed} & expected)
if not hits:
    print(f"none of the failed checks is one of: {' '.join(sorted(expected))}")
    sys.exit(1)
print("expected failed check(s) present:", " ".join(hits))
PY
[ "$code" -eq 1 ] || fail "expected exit 1 (a check failed) against a $mode SUT, got $code"
echo PASS
