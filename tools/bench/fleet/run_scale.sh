#!/usr/bin/env bash
# Fleet-scale benchmark, run by hand: N cameras and N hubs (320x240, 5 fps; one camera and one
# hub per account) through the proxy and the reference relay for S seconds, every delivered
# frame judged by the oracle: that is `camleak run` itself, on a generated scenario. Prints
# frames checked per second (per 10 s window: a backlog that grows shows as a falling rate and
# as frames the hubs' decode queues had to drop), CPU, and peak RSS. Asserts nothing.
#   tools/bench/fleet/run_scale.sh [BUILD_DIR] [N] [SECONDS]
set -euo pipefail
BUILD=${1:-build-release}
N=${2:-1000}
SECS=${3:-60}
CAMLEAK="$BUILD/harness/cli/camleak"
[[ -x "$CAMLEAK" ]] || { echo "build camleak first: cmake --build $BUILD --target camleak" >&2; exit 2; }

WORK=$(mktemp -d)
PID=
cleanup() {
  [[ -n "$PID" ]] && kill "$PID" 2>/dev/null
  wait 2>/dev/null || true
  if [[ -n "${CAMLEAK_BENCH_KEEP:-}" ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

cat > "$WORK/scale.yaml" <<YAML
name: scale-$N
description: $N cameras and $N hubs at 5 fps through the proxy and the reference relay
seed: 1
duration: ${SECS}s
sut: {kind: builtin}
fleet:
  accounts: {count: $N, name: "home-{n}"}
  cameras_per_account: 1
  hubs_per_account: 1
  camera: {resolution: 320x240, fps: 5, gop: 10, bitrate: 128kbps}
  hub: {watch: [own], snapshot_interval: 0s, probe: {interval: 0s}}
checks: {leaks: 0}
YAML

START=$(date +%s.%N)
"$CAMLEAK" run --json --report "$WORK/report" "$WORK/scale.yaml" > "$WORK/progress.jsonl" &
PID=$!
TICKS=$(getconf CLK_TCK)
# One sample a second: wall time, RSS (KiB), CPU seconds of the whole process.
while kill -0 "$PID" 2>/dev/null; do
  if rss=$(awk '/^VmRSS/{print $2}' "/proc/$PID/status" 2>/dev/null) &&
     cpu=$(awk -v t="$TICKS" '{print ($14 + $15) / t}' "/proc/$PID/stat" 2>/dev/null); then
    echo "$(date +%s.%N) $rss $cpu" >> "$WORK/samples"
  fi
  sleep 1
done
set +e
wait "$PID"
CODE=$?
set -e
PID=
END=$(date +%s.%N)

python3 - "$WORK" "$N" "$SECS" "$CODE" "$START" "$END" <<'PY'
import json, sys
work, n, secs, code, start, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
progress = [json.loads(l) for l in open(f"{work}/progress.jsonl") if l.startswith("{")]
points = [(p["elapsed_s"], p["frames_checked"]) for p in progress if p.get("event") == "progress"]
samples = [tuple(map(float, l.split())) for l in open(f"{work}/samples") if len(l.split()) == 3]
report = json.load(open(f"{work}/report/report.json"))
run = [m for m in report["metrics"] if m["phase"] == "run"] or report["metrics"]
sent = sum(m["sent"] for m in run)
delivered = sum(m["delivered"] for m in run)
checked = sum(report["verdict_counts"].values())
peak_rss = max((s[1] for s in samples), default=0) / 1024.0
cpu = max((s[2] for s in samples), default=0)
wall = end - start
print(f"fleet: {n} cameras + {n} hubs, 320x240 @ 5 fps, {secs} s timeline, exit code {code} ({report['outcome']})")
print(f"wall {wall:.1f} s (setup and teardown included), CPU {cpu:.1f} s = {cpu / wall:.2f} cores of 2")
print(f"peak RSS {peak_rss:.0f} MiB ({peak_rss * 1024 / (2 * n):.0f} KiB per device)")
print(f"frames: sent {sent}, delivered {delivered}, verdicts {checked} "
      f"({checked / max(1, delivered):.3f} of delivered), verdict counts {report['verdict_counts']}")
print(f"expected at 5 fps: {5 * n} frames/s")
window = 10.0
t0 = 0.0
while points and t0 < points[-1][0]:
    inside = [p for p in points if t0 <= p[0] < t0 + window]
    if len(inside) >= 2:
        rate = (inside[-1][1] - inside[0][1]) / (inside[-1][0] - inside[0][0])
        print(f"  {t0:5.0f}-{t0 + window:3.0f} s: {rate:8.0f} frames checked/s")
    t0 += window
print(f"fleet counters: {report.get('fleet_counters')}")
PY
