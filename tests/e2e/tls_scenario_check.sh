#!/usr/bin/env bash
# A whole scenario over TLS: the reference relay serves rtsps:// and https:// on every port
# (certificate made here with openssl, its IP SAN naming 127.0.0.1), the adapter says so, and the
# cameras publish and the hubs play and poll snapshots through the proxy, which impairs the TLS
# bytes. It must pass with frames and snapshots judged; the same run trusting another CA must
# fail (nothing published), so the certificate is really checked.
#   tls_scenario_check.sh CAMLEAK SCENARIO
set -uo pipefail
camleak=$1 scenario=$2
source "$(dirname "$0")/e2e_lib.sh"
tmp=$(make_tmp tls-scenario)
trap 'remove_tmp' EXIT
fail() { echo "FAIL: $*"; exit 1; }

make_cert() {  # NAME: a self-signed certificate for 127.0.0.1 (its own CA)
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -keyout "$tmp/$1.key" -out "$tmp/$1.pem" -subj "/CN=$1" \
    -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null || fail "openssl could not make $1"
}
make_cert relay
make_cert stranger

adapter() {  # NAME CA: the contract (its URLs follow the relay's, rtsps:// and https://), trusting CA
  sed -e 's/^adapter: contract$/adapter: contract-tls/' \
      "$e2e_dir/../../scenarios/adapters/contract.yaml" > "$tmp/$1.yaml"
  cat >> "$tmp/$1.yaml" <<YAML
tls: {ca: $2.pem}
reference_relay:
  tls: {cert: relay.pem, key: relay.key}
YAML
}
adapter tls relay
adapter wrong-ca stranger

"$camleak" run --quiet --report "$tmp/good" --adapter "$tmp/tls.yaml" "$scenario"
code=$?
python3 - "$tmp/good/report.json" "$code" <<'PY' || exit 1
import json, sys
r = json.load(open(sys.argv[1])); code = int(sys.argv[2])
counts = r["verdict_counts"]
hubs = r["fleet_counters"]["hubs"]
print(f"TLS run: exit={code} OK={counts['OK']} LEAK={counts['LEAK']} snapshots={hubs['snapshot_ok']}"
      f" plays={hubs['play_ok']}")
if code != 0: print("FAIL: the TLS run did not pass"); sys.exit(1)
if counts["OK"] <= 0 or hubs["snapshot_ok"] <= 0 or hubs["play_ok"] <= 0:
    print("FAIL: nothing was delivered over TLS"); sys.exit(1)
PY

"$camleak" run --quiet --report "$tmp/bad" --adapter "$tmp/wrong-ca.yaml" "$scenario"
code=$?
[ "$code" != 0 ] || fail "a run trusting another CA passed"
python3 - "$tmp/bad/report.json" <<'PY' || exit 1
import json, sys
r = json.load(open(sys.argv[1]))
if r["verdict_counts"]["OK"] != 0:
    print("FAIL: frames were delivered although the SUT's certificate is not trusted"); sys.exit(1)
why = " ".join(r["harness_errors"])
print("refused: " + why[:300])
if "certificate verify failed" not in why:
    print("FAIL: the run failed, but not because the certificate was refused"); sys.exit(1)
PY
echo PASS
