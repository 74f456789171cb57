#!/usr/bin/env bash
# One cell of the detection matrix: runs a scenario through `camleak run` and checks the outcome
# from report.json (schema camleak.report/1, reports/json_writer.cpp).
#   detection_check.sh CAMLEAK SCENARIO detect [SEED]  -> must exit 1, count LEAK verdicts, and
#                                                        have LEAK findings in its evidence that
#                                                        name the camera, its owner and the
#                                                        account that received it
#   detection_check.sh CAMLEAK SCENARIO clean  [SEED]  -> with --no-defects: must exit 0, with
#                                                        no LEAK, SPLICE or FORGED verdict, OK
#                                                        verdicts (frames were really checked)
#                                                        and every check passed
# CAMLEAK_ADAPTER=FILE runs it through that adapter (`camleak run --adapter FILE`).
set -uo pipefail
camleak=$1 scenario=$2 mode=$3 seed=${4:-}
case $mode in
  detect | clean) ;;
  *) echo "unknown mode $mode"; exit 2 ;;
esac
report=$(mktemp -d "${TMPDIR:-/tmp}/camleak-e2e.XXXXXX")
trap 'rm -rf "$report"' EXIT
args=(run --quiet --report "$report" "$scenario")
[ -n "$seed" ] && args+=(--seed "$seed")
[ "$mode" = clean ] && args+=(--no-defects)
[ -n "${CAMLEAK_ADAPTER:-}" ] && args+=(--adapter "$CAMLEAK_ADAPTER")
"$camleak" "${args[@]}"
code=$?
[ -f "$report/report.json" ] || { echo "FAIL: no report.json (exit $code)"; exit 1; }

# Prints what the report says, then asserts the mode's conditions; exits 1 on the first miss.
python3 - "$report/report.json" "$mode" "$code" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
mode, code = sys.argv[2], int(sys.argv[3])
counts = report["verdict_counts"]
failed = [c for c in report["checks"] if not c["passed"]]
leaks = [e for e in report["evidence"] if e["verdict"] == "LEAK"]
print(f"mode={mode} exit={code} LEAK={counts['LEAK']} SPLICE={counts['SPLICE']} "
      f"FORGED={counts['FORGED']} OK={counts['OK']} checks={len(report['checks'])} "
      f"failed={len(failed)} leak_findings={len(leaks)}")
for c in failed:
    print(f"  failed check {c['check']} [{c['phase']}]: {c['message']}")

def fail(message):
    print("FAIL: " + message)
    sys.exit(1)

if mode == "detect":
    if code != 1:
        fail(f"expected exit 1 (leak detected), got {code}")
    if counts["LEAK"] <= 0:
        fail("report.json counts no LEAK verdict")
    if not leaks:
        fail("the evidence holds no LEAK finding")
    for e in leaks[:5]:
        o = e["observation"]
        print(f"  LEAK {e['id']}: camera {e['camera']} of {e['owner']} delivered to "
              f"{o['account']} (hub {o['hub']}) at {o['received_at_ms']:.0f} ms")
    unnamed = [e["id"] for e in leaks
               if not (e["camera"] and e["owner"] and e["observation"]["account"])]
    if unnamed:
        fail(f"LEAK findings without camera, owner or receiving account: {unnamed[:5]}")
    to_owner = [e["id"] for e in leaks if e["observation"]["account"] == e["owner"]]
    if to_owner:
        fail(f"LEAK findings delivered to the camera's own owner: {to_owner[:5]}")
else:
    if code != 0:
        fail(f"expected exit 0 with the defect off, got {code}")
    for kind in ("LEAK", "SPLICE", "FORGED"):
        if counts[kind] != 0:
            fail(f"{counts[kind]} {kind} verdicts in a clean run")
    if counts["OK"] <= 0:
        fail("no frame was judged OK: nothing was checked")
    if not report["checks"]:
        fail("report.json lists no checks")
    if failed:
        fail(f"{len(failed)} failed check(s) in a clean run")
print("PASS")
PY
