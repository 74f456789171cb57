#!/usr/bin/env bash
# `camleak certify`, `keygen` and `verify` end to end against the reference relay:
#   certify_check.sh CAMLEAK pass ADAPTER       every test of the e2e plan passes through ADAPTER
#                                              (contract, or an adapter file); the signed record
#                                              verifies; one byte changed in certification.json,
#                                              or in a run's report, fails verify naming the file
#   certify_check.sh CAMLEAK defect DEFECT IDS  with the relay's DEFECT on, exactly the test IDs
#                                              IDS (comma-separated) fail
#   certify_check.sh CAMLEAK no-share           a DUT without the share capability gets the share
#                                              test as not applicable, the others run
#   certify_check.sh CAMLEAK resume             an interrupted certification resumes without
#                                              running its finished seeds again
set -uo pipefail
camleak=$1 mode=$2
source "$(dirname "$0")/e2e_lib.sh"
tmp=$(make_tmp certify)
trap 'remove_tmp' EXIT
plan=$e2e_dir/certify/plan.yaml
fail() { echo "FAIL: $*"; exit 1; }

# dut NAME CAPABILITIES SUT-LINES: writes $tmp/NAME.yaml
dut() {
  cat > "$tmp/$1.yaml" <<YAML
dut: {vendor: camleak, product: reference relay, version: "0", contact: e2e}
capabilities: [$2]
sut:
$3
YAML
}
all_caps="tcp, udp, share, snapshot, restart"
statuses() {  # ID=status lines of a record
  python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))
for t in r["tests"]: print(t["id"] + "=" + t["status"])' "$1/certification.json"
}

case $mode in
  pass)
    adapter=$3
    dut d "$all_caps" "  kind: builtin
  adapter: $adapter"
    "$camleak" keygen --out "$tmp/key.pem" >/dev/null || fail "keygen"
    "$camleak" certify --quiet --dut "$tmp/d.yaml" --plan "$plan" --out "$tmp/out" --key "$tmp/key.pem"
    code=$?
    st=$(statuses "$tmp/out")
    echo "$st"
    [ "$code" = 0 ] || fail "certify exited $code, expected 0"
    [ "$(grep -vc '=pass$' <<<"$st")" = 0 ] || fail "a test did not pass"
    grep -q '<testsuite name="camleak-e2e 0.0.1" tests="3" failures="0" errors="0" skipped="0">' \
      "$tmp/out/junit.xml" || fail "junit.xml does not say 3 tests, none failed"
    "$camleak" verify "$tmp/out" --pubkey "$tmp/key.pub" || fail "verify of the untouched record"
    for victim in certification.json tests/CL-ISO-005/seed-7/report.json; do
      cp -a "$tmp/out" "$tmp/tampered"
      python3 - "$tmp/tampered/$victim" <<'PY'
import sys
p = sys.argv[1]
data = bytearray(open(p, "rb").read())
data[len(data) // 2] ^= 0x01
open(p, "wb").write(data)
PY
      out=$("$camleak" verify "$tmp/tampered" --pubkey "$tmp/key.pub" 2>&1)
      code=$?
      echo "$out"
      [ "$code" = 1 ] || fail "verify of a record with $victim changed exited $code, expected 1"
      grep -q "changed: $victim" <<<"$out" || fail "verify did not name $victim"
      rm -rf "$tmp/tampered"
    done
    ;;
  defect)
    defect=$3 expected=$4
    dut d "$all_caps" "  kind: builtin
  defects: [$defect]"
    "$camleak" certify --quiet --dut "$tmp/d.yaml" --plan "$plan" --out "$tmp/out"
    code=$?
    st=$(statuses "$tmp/out")
    echo "$st"
    [ "$code" = 1 ] || fail "certify exited $code, expected 1"
    failed=$(grep '=fail$' <<<"$st" | cut -d= -f1 | sort | paste -sd, -)
    [ "$failed" = "$expected" ] || fail "failed tests: '$failed', expected '$expected'"
    [ "$(grep -Evc '=(fail|pass)$' <<<"$st")" = 0 ] || fail "a test neither passed nor failed"
    ;;
  no-share)
    dut d "tcp, udp, snapshot, restart" "  kind: builtin"
    "$camleak" certify --quiet --dut "$tmp/d.yaml" --plan "$e2e_dir/certify/plan-share.yaml" --out "$tmp/out"
    code=$?
    st=$(statuses "$tmp/out")
    echo "$st"
    [ "$code" = 0 ] || fail "certify exited $code, expected 0"
    grep -qx 'CL-SHR-001=not_applicable' <<<"$st" || fail "CL-SHR-001 not 'not_applicable'"
    grep -qx 'CL-ISO-004=pass' <<<"$st" || fail "CL-ISO-004 did not pass"
    grep -q 'CL-SHR-001 Share and revoke under load: needs share, which the DUT does not declare' \
      "$tmp/out/certification.json" || fail "the not-covered list lacks CL-SHR-001's reason"
    grep -q '<skipped message="needs share' "$tmp/out/junit.xml" || fail "junit.xml does not skip it"
    ;;
  resume)
    dut d "$all_caps" "  kind: builtin"
    setsid "$camleak" certify --quiet --dut "$tmp/d.yaml" --plan "$plan" --out "$tmp/out" &
    pid=$!
    wait_until '[ -f "$tmp/out/progress.json" ] || ! running' 150 || fail "no progress after 150 s"
    kill -INT "$pid"
    wait "$pid"
    code=$?
    [ "$code" = 3 ] || fail "an interrupted certification exited $code, expected 3"
    "$camleak" certify --quiet --dut "$tmp/d.yaml" --plan "$plan" --out "$tmp/out"
    code=$?
    [ "$code" = 0 ] || fail "the resumed certification exited $code, expected 0"
    resumed=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["resumed_runs"])' \
      "$tmp/out/certification.json")
    [ "$resumed" -ge 1 ] || fail "the resumed certification ran every seed again"
    echo "resumed $resumed run(s)"
    ;;
  *) fail "unknown mode $mode" ;;
esac
echo PASS
