#!/usr/bin/env bash
# The restart-session-swap incident with RTP over UDP (cameras and hubs): the leak must be caught
# as over TCP, and the findings' evidence must hold pcaps of the hub's RTP routes, including the
# route of a session that had already ended (and its route been removed) when it was written.
#   udp_evidence_check.sh CAMLEAK INCIDENT_YAML
set -uo pipefail
camleak=$1 incident=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/camleak-e2e-udp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The same scenario, media over UDP: the camera line gains `transport: udp`, the hub block a
# `transport: udp` line. The blip is cut to 300 ms so that the first findings (as hub-1 redials)
# come well within 2 s of the last media of the session the blip ended.
sed -e 's/bitrate: 192kbps}/bitrate: 192kbps, transport: udp}/' \
    -e 's/^    watch: \[own\]$/    transport: udp\n    watch: [own]/' \
    -e 's/mode: all-at-once, down: 1s}/mode: all-at-once, down: 300ms}/' "$incident" > "$tmp/scenario.yaml"
[ "$(grep -c 'transport: udp' "$tmp/scenario.yaml")" -eq 2 ] && grep -q 'down: 300ms' "$tmp/scenario.yaml" ||
  { echo "FAIL: could not switch $incident to UDP media with a short blip"; exit 1; }
"$camleak" run --quiet --report "$tmp/report" "$tmp/scenario.yaml"
code=$?
[ "$code" -eq 1 ] || { echo "FAIL: expected exit 1 (leak detected), got $code"; exit 1; }
python3 - "$tmp/report" <<'PY'
import json, os, struct, sys
report = sys.argv[1]
r = json.load(open(os.path.join(report, "report.json")))
def pcaps(e):
    return [c["path"] for c in e.get("captures", [])]
leaks = [e for e in r["evidence"] if pcaps(e)]
assert leaks, "no finding has pcap evidence"
routes = [c for e in leaks for c in e["captures"] if c["protocol"] == "rtp"]
assert routes, "no finding has a pcap of an RTP route: %s" % leaks[0]["captures"]
# Each capture says how to decode it: RTP and RTCP routes by the heuristic (their ports are per
# session), the RTSP links by a decode-as on the SUT's port (which is not 554). Whether an RTCP
# route's pcap is among them depends on whether a sender report fell in the finding's window.
for e in leaks:
    for c in e["captures"]:
        assert c["decode"].endswith(" -r " + c["path"]), c
        if c["protocol"] in ("rtp", "rtcp"):
            assert "--enable-heuristic rtp_udp" in c["decode"], c
            assert "_%s_" % c["protocol"] in c["path"] and c["server_port"] == 0, c
        else:
            assert c["protocol"] == "rtsp" and c["server_port"] > 0, c
            assert "-d tcp.port==%d,rtsp" % c["server_port"] in c["decode"], c
# The leak starts as hub-1 redials after the blip: around it, the session that the blip ended
# (its route already removed when the evidence is written) and the new one both carried media.
def hub_routes(e):
    return {p.rsplit("_rtp_", 1)[1] for p in pcaps(e) if "live_hub-1_rtp_" in p}
assert any(len(hub_routes(e)) >= 2 for e in leaks), \
    "no finding has the pcaps of both hub-1 sessions around the blip: %s" % [pcaps(e) for e in leaks[:3]]
routes = [c["path"] for c in routes]
for rel in routes:
    with open(os.path.join(report, rel), "rb") as f:
        magic, _, _, _, _, _, linktype = struct.unpack("<IHHiIII", f.read(24))
        assert magic in (0xA1B2C3D4, 0xA1B23C4D) and linktype == 1, rel
        assert f.read(16), rel + " holds no packet"
print("PASS: %d findings with pcaps, %d RTP route pcaps" % (len(leaks), len(routes)))
PY
