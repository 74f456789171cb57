#!/usr/bin/env bash
# `camleak run --suite --jobs 3`: three short clean scenarios at once, without and with report
# files. Each run must own its directories (they once shared /tmp/camleak-PID, and the first to
# finish removed it under the others: a filesystem_error escaped to std::terminate), and the
# suite's verdict, suite.json and every scenario's report must agree.
#   suite_jobs_check.sh CAMLEAK SCENARIO
set -uo pipefail
camleak=$1 scenario=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/camleak-suite-jobs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir -p "$tmp/scenarios"
for n in 1 2 3; do
  sed "s/^name: .*/name: jobs-$n/; s/^seed: .*/seed: $n/" "$scenario" >"$tmp/scenarios/jobs-$n.yaml"
done

"$camleak" run --suite --jobs 3 --no-report --quiet "$tmp/scenarios" >"$tmp/no-report.log" 2>&1
code=$?
cat "$tmp/no-report.log"
[ "$code" -eq 0 ] || fail "--no-report: expected exit 0, got $code"
grep -q "SUITE PASS: 3/3 scenarios as expected" "$tmp/no-report.log" || fail "--no-report: no SUITE PASS 3/3"
! grep -q "terminate called\|internal error" "$tmp/no-report.log" || fail "--no-report: the harness crashed"
leftovers=$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'camleak-??????' -newer "$tmp/scenarios/jobs-1.yaml" 2>/dev/null | wc -l)
[ "$leftovers" -eq 0 ] || fail "--no-report: $leftovers private run directories were left behind"

"$camleak" run --suite --jobs 3 --quiet --report "$tmp/report" "$tmp/scenarios" >"$tmp/report.log" 2>&1
code=$?
[ "$code" -eq 0 ] || { cat "$tmp/report.log"; fail "--report: expected exit 0, got $code"; }
python3 - "$tmp/report" <<'PY' || fail "--report: reports disagree"
import json, sys, os
root = sys.argv[1]
suite = json.load(open(os.path.join(root, "suite.json")))
assert suite["exit_code"] == 0, suite
assert len(suite["scenarios"]) == 3, suite
for entry in suite["scenarios"]:
    assert entry["as_expected"] and entry["exit_code"] == 0, entry
    report = json.load(open(os.path.join(entry["report"], "report.json")))
    assert report["outcome"] == "PASS" and report["exit_code"] == 0, (entry["name"], report["outcome"])
    assert report["verdict_counts"]["OK"] > 0, (entry["name"], "nothing judged")
    assert all(c["passed"] for c in report["checks"]), entry["name"]
    assert {"time_to_first_frame", "cameras_published"} <= {c["check"] for c in report["checks"]}, entry["name"]
    junit = open(os.path.join(entry["report"], "junit.xml")).read()
    assert "<failure" not in junit and "<error" not in junit, entry["name"]
print("3 scenarios: PASS in suite.json, report.json and junit.xml")
PY
echo PASS
