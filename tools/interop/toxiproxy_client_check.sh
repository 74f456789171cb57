#!/usr/bin/env bash
# By hand: drives `camleak proxy` with a Toxiproxy client library we did not write
# (toxiproxy-node-client from npm, installed into a temporary directory), unchanged, through
# every call it offers; prints ok/FAIL per step and exits non-zero on any failure.
# Needs node and npm (and the npm registry), so it is not part of the CI suite, whose machine
# may have neither; tests/integration/proxy covers the same endpoints in C++.
#   tools/interop/toxiproxy_client_check.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build-release}
CAMLEAK="$BUILD/harness/cli/camleak"
[[ -x "$CAMLEAK" ]] || { echo "build camleak first: cmake --build $BUILD --target camleak" >&2; exit 2; }
for t in node npm python3; do command -v $t >/dev/null || { echo "missing $t" >&2; exit 2; }; done

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
(cd "$WORK" && npm install --silent --no-audit --no-fund toxiproxy-node-client@4 >/dev/null)

# A loopback echo server on a free port, printing its port.
python3 -u - > "$WORK/echo.port" <<'PY' &
import socket, threading
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1])
def serve(c):
    while (d := c.recv(65536)):
        c.sendall(d)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
PIDS+=($!)
"$CAMLEAK" proxy --api 127.0.0.1:0 > "$WORK/proxy.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  [[ -s "$WORK/echo.port" ]] && grep -q "control API on" "$WORK/proxy.out" && break
  sleep 0.1
done
ECHO=$(cat "$WORK/echo.port")
API=$(sed -n 's|control API on \(http://[^ ]*\)|\1|p' "$WORK/proxy.out")
[[ -n "$ECHO" && -n "$API" ]] || { echo "proxy or echo server did not start"; cat "$WORK/proxy.out"; exit 1; }

cd "$WORK" && API="$API" ECHO="$ECHO" node - <<'JS'
const { Toxiproxy } = require("toxiproxy-node-client");
const net = require("net");
const toxiproxy = new Toxiproxy(process.env.API);
let failed = 0;
const check = (ok, what) => { console.log(`${ok ? "ok  " : "FAIL"} ${what}`); if (!ok) failed++; };
const roundTrip = (port) => new Promise((resolve, reject) => {
  const start = process.hrtime.bigint();
  const s = net.connect(port, "127.0.0.1", () => s.write("ping"));
  s.on("data", () => { s.destroy(); resolve(Number(process.hrtime.bigint() - start) / 1e6); });
  s.on("error", reject);
});
(async () => {
  try {
    const version = await toxiproxy.getVersion();
    check(String(version).includes("camleak"), `getVersion: ${JSON.stringify(version)}`);
    let proxy = await toxiproxy.createProxy({ name: "echo", listen: "127.0.0.1:0",
                                              upstream: `127.0.0.1:${process.env.ECHO}` });
    const port = Number(proxy.listen.split(":").pop());
    check(port > 0, `createProxy: listening on ${proxy.listen}`);
    check((await roundTrip(port)) < 100, "bytes pass through the new proxy");
    const all = await toxiproxy.getAll();
    check(Object.keys(all).includes("echo"), "getAll lists it");
    proxy = await toxiproxy.get("echo");
    check(proxy.upstream.endsWith(process.env.ECHO), "get returns it");
    const toxic = await proxy.addToxic({ name: "slow", type: "latency", stream: "downstream",
                                         toxicity: 1, attributes: { latency: 200, jitter: 0 } });
    check(toxic.name === "slow" && toxic.attributes.latency === 200, "addToxic latency 200 ms");
    let ms = await roundTrip(port);
    check(ms >= 195, `latency applied: ${ms.toFixed(1)} ms`);
    const updated = await toxic.update({ attributes: { latency: 50 } });
    check(updated.attributes.latency === 50, "toxic.update to 50 ms");
    ms = await roundTrip(port);
    check(ms >= 45 && ms < 195, `updated latency applied: ${ms.toFixed(1)} ms`);
    await proxy.refreshToxics?.();
    await updated.remove();
    ms = await roundTrip(port);
    check(ms < 45, `toxic removed: ${ms.toFixed(1)} ms`);
    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    check(disabled.enabled === false, "proxy.update disables it");
    let refused = false;
    try { await roundTrip(port); } catch (e) { refused = true; }
    check(refused, "a disabled proxy refuses connections");
    const populated = await toxiproxy.populate([{ name: "second", listen: "127.0.0.1:0",
                                                  upstream: `127.0.0.1:${process.env.ECHO}` }]);
    check("second" in populated, "populate creates a proxy");
    await toxiproxy.reset();
    const afterReset = await toxiproxy.get("echo");
    check(afterReset.enabled === true, "reset enables every proxy again");
    await afterReset.remove();
    const remaining = await toxiproxy.getAll();
    check(!("echo" in remaining) && "second" in remaining, "proxy.remove deletes it");
    let missing = false;
    try { await toxiproxy.get("echo"); } catch (e) { missing = true; }
    check(missing, "get of a removed proxy fails as in Toxiproxy (404)");
  } catch (e) {
    check(false, `unexpected error: ${e.stack || e}`);
  }
  console.log(failed ? `${failed} step(s) failed` : "PASS: toxiproxy-node-client works unchanged");
  process.exit(failed ? 1 : 0);
})();
JS
