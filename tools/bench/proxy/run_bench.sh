#!/usr/bin/env bash
# Proxy benchmark, run by hand: camleak's proxy side by side with haproxy, socat and direct
# loopback, in one run on this machine. Prints figures and ratios; asserts nothing.
#   tools/bench/proxy/run_bench.sh [BUILD_DIR] [SECONDS_PER_IPERF_RUN]
# Needs iperf3, haproxy, socat, python3, and proxy_bench built (ninja -C BUILD_DIR proxy_bench).
set -euo pipefail
BUILD=${1:-build}
SECS=${2:-5}
TOOL="$BUILD/tools/bench/proxy/proxy_bench"
[[ -x "$TOOL" ]] || { echo "build proxy_bench first: ninja -C $BUILD proxy_bench" >&2; exit 2; }
for t in iperf3 haproxy socat python3; do command -v $t >/dev/null || { echo "missing $t" >&2; exit 2; }; done

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (echo >/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 never opened" >&2; exit 3; }

IPERF=$(free_port); ECHO=$(free_port)
CL_IPERF=$(free_port); HA_IPERF=$(free_port); SO_IPERF=$(free_port)
CL_ECHO=$(free_port); HA_ECHO=$(free_port)

iperf3 -s -p "$IPERF" >/dev/null 2>&1 & PIDS+=($!)
"$TOOL" echo --port "$ECHO" >/dev/null & PIDS+=($!)
"$TOOL" serve --link "127.0.0.1:$CL_IPERF,127.0.0.1:$IPERF" --link "127.0.0.1:$CL_ECHO,127.0.0.1:$ECHO" >/dev/null & CL_PID=$!; PIDS+=($CL_PID)
cat > "$WORK/haproxy.cfg" <<CFG
global
  maxconn 8000
defaults
  mode tcp
  timeout connect 5s
  timeout client 300s
  timeout server 300s
frontend iperf
  bind 127.0.0.1:$HA_IPERF
  default_backend iperf_b
backend iperf_b
  server s 127.0.0.1:$IPERF
frontend echo
  bind 127.0.0.1:$HA_ECHO
  default_backend echo_b
backend echo_b
  server s 127.0.0.1:$ECHO
CFG
haproxy -db -f "$WORK/haproxy.cfg" >/dev/null 2>&1 & HA_PID=$!; PIDS+=($HA_PID)
socat TCP-LISTEN:$SO_IPERF,bind=127.0.0.1,fork,reuseaddr TCP:127.0.0.1:$IPERF >/dev/null 2>&1 & PIDS+=($!)
for p in $IPERF $ECHO $CL_IPERF $CL_ECHO $HA_IPERF $HA_ECHO $SO_IPERF; do wait_port $p; done

gbps() { iperf3 -c 127.0.0.1 -p "$1" -t "$SECS" -P "$2" -J | python3 -c 'import json,sys; print("%.2f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9))'; }

echo "== pass-through throughput (iperf3, ${SECS}s per run, Gbit/s) =="
declare -A TP
for streams in 1 4; do
  for target in direct:$IPERF camleak:$CL_IPERF haproxy:$HA_IPERF socat:$SO_IPERF; do
    name=${target%%:*}; port=${target##*:}
    TP[$name$streams]=$(gbps "$port" "$streams")
  done
  printf "%d stream(s): direct %s  camleak %s  haproxy %s  socat %s   camleak/haproxy %.2f  camleak/direct %.2f\n" \
    "$streams" "${TP[direct$streams]}" "${TP[camleak$streams]}" "${TP[haproxy$streams]}" "${TP[socat$streams]}" \
    "$(python3 -c "print(${TP[camleak$streams]}/${TP[haproxy$streams]})")" \
    "$(python3 -c "print(${TP[camleak$streams]}/${TP[direct$streams]})")"
done

echo "== added round-trip latency (64-byte ping-pong, 5 interleaved rounds of 20000, median of rounds, us) =="
# The machine's own round trip drifts between runs by more than a proxy adds, so direct, camleak
# and haproxy take turns and each figure is the median over the rounds.
declare -A PP
for round in 1 2 3 4 5; do
  for target in direct:$ECHO camleak:$CL_ECHO haproxy:$HA_ECHO; do
    name=${target%%:*}; port=${target##*:}
    read -r _ p50 _ p99 < <("$TOOL" pingpong --port "$port")
    PP[$name]+="$p50,$p99 "
  done
done
python3 - "${PP[direct]}" "${PP[camleak]}" "${PP[haproxy]}" <<'PY'
import statistics, sys
rounds = [[tuple(map(float, r.split(","))) for r in arg.split()] for arg in sys.argv[1:]]
med = [(statistics.median(r[0] for r in x), statistics.median(r[1] for r in x)) for x in rounds]
d = med[0]
print("direct    p50 %7.1f  p99 %7.1f" % d)
for name, m in (("camleak", med[1]), ("haproxy", med[2])):
    print("%-9s p50 %7.1f  p99 %7.1f   added p50 %6.1f  p99 %6.1f" % (name, m[0], m[1], m[0] - d[0], m[1] - d[1]))
PY

echo "== latency injection accuracy (downstream latency toxic; error against the configured delay) =="
echo "   'proxy leg' is the leg with the toxic alone (the proxy's error); the round trips add the"
echo "   echo server's and the client's own scheduling on the same 2 cores"
for conns in 1 1000; do
  echo "-- 50 ms, $conns connection(s)"
  "$TOOL" accuracy --conns "$conns" --latency 50 --seconds 3 | sed 's/^/   /'
  echo "-- 50 ms +/- 10 ms normal, $conns connection(s)"
  "$TOOL" accuracy --conns "$conns" --latency 50 --jitter 10 --distribution normal --seconds 3 | sed 's/^/   /'
done

echo "== RSS per idle connection (2000 connections, proxy process only) =="
printf "camleak  "; "$TOOL" idle --port "$CL_ECHO" --conns 2000 --pid "$CL_PID"
printf "haproxy  "; "$TOOL" idle --port "$HA_ECHO" --conns 2000 --pid "$HA_PID"

echo "== many links (fleet scale) =="
"$TOOL" links --count 3000
