#!/usr/bin/env bash
# External-SUT mode end to end: the reference relay as a separate process (`camleak relay`),
# named by URLs in a scenario (external_sut.yaml.in) whose own start/restart/stop commands
# (relay_ctl.sh) launch it, restart it mid-run and stop it.
#   external_sut_check.sh CAMLEAK clean   relay without defects: exit 0, frames checked, no LEAK,
#                                         SPLICE or FORGED
#   external_sut_check.sh CAMLEAK defect  relay with `restart-session-swap`, and no `stop`
#                                         command (camleak's own teardown of the start command's
#                                         process group must end the relay): exit 1 with LEAK
# Both: the relay really ran as its own process and was restarted (two relay processes), and
# after the run no relay or supervisor process, no process of the run's session and none of the
# sockets recorded while it ran remain (proc_watch.py).
source "$(dirname "$0")/e2e_lib.sh"
set -uo pipefail
camleak=$(realpath "$1") mode=$2
tmp=$(make_tmp external)

cleanup() {
  # Only what this script started: the run, the relays and supervisors it started, by pid.
  stop_run_and_watcher
  for f in "$tmp"/try-*/relay.pids "$tmp"/try-*/supervisor.pid; do
    [ -f "$f" ] && kill_in_run_session $(cat "$f")
  done
  remove_tmp
}
trap cleanup EXIT

fail() {
  fail_with_logs "$*" "last output of camleak run" "$dir/out.txt" 20 "relay log" "$dir/relay.log" 20
}


count() {
  python3 -c "import json; r=json.load(open('$dir/report/report.json')); c=r['verdict_counts']; print($1)" 2>/dev/null || echo "?"
}

start=$SECONDS
for attempt in 1 2 3; do
  begin_attempt "$attempt"
  {
    echo "listen: {rtsp: \"127.0.0.1:$rtsp_port\", http: \"127.0.0.1:$http_port\", admin: \"127.0.0.1:$admin_port\"}"
    echo "state_file: \"$dir/relay-state.json\""
    [ "$mode" = defect ] && echo "defects: [restart-session-swap]"
  } >"$dir/relay.yaml"
  fill_template "$e2e_dir/external_sut.yaml.in" -e "s|@CTL@|$e2e_dir/relay_ctl.sh|g" \
    -e "s|@CAMLEAK@|$camleak|g" >"$dir/scenario.yaml"
  # Without `stop`, camleak itself must end the process group its `start` command made.
  [ "$mode" = defect ] && sed -i '/^  stop:/d' "$dir/scenario.yaml"
  # A session of its own: every process the run starts, directly or not, is then recognisable.
  setsid "$camleak" run --report "$dir/report" "$dir/scenario.yaml" >"$dir/out.txt" 2>&1 &
  pid=$!
  watch_run "$proc_watch" "$dir/watch.json"
  wait_until '! running' 40 || fail "the run did not exit within 40 s"
  wait "$pid"; code=$?
  wait "$watcher"; watcher=""
  echo "attempt $attempt: ports rtsp=$rtsp_port http=$http_port admin=$admin_port, exit=$code after $((SECONDS - start)) s"
  # Only a port taken between pick_ports and the relay's bind is retried; anything else counts.
  if port_was_taken "$code" "$dir/relay.log" 'cannot listen\|in use'; then
    echo "a relay port was taken meanwhile; retrying with other ports"
    "$proc_watch" leftovers "$pid" "$dir/watch.json" || fail "the failed attempt left processes or sockets behind"
    continue
  fi
  break
done

echo "LEAK=$(count "c['LEAK']") SPLICE=$(count "c['SPLICE']") FORGED=$(count "c['FORGED']") checked=$(count "sum(c.values())")"
relays=$(wc -l <"$dir/relay.pids" 2>/dev/null || echo 0)
echo "relay processes started: $relays; relay log: $(grep -c 'camleak relay ready' "$dir/relay.log" 2>/dev/null) ready line(s)"
case $mode in
  clean)
    [ "$code" -eq 0 ] || fail "expected exit 0 against a relay without defects, got $code"
    [ "$(count "sum(c.values())")" -gt 0 ] 2>/dev/null || fail "no frames were checked"
    for kind in LEAK SPLICE FORGED; do
      [ "$(count "c['$kind']")" = 0 ] || fail "$kind verdicts against a relay without defects"
    done
    ;;
  defect)
    [ "$code" -eq 1 ] || fail "expected exit 1 (leak detected) against restart-session-swap, got $code"
    [ "$(count "c['LEAK']")" -gt 0 ] 2>/dev/null || fail "report.json counts no LEAK"
    ;;
  *) echo "unknown mode $mode"; exit 2 ;;
esac
[ "$relays" -ge 2 ] || fail "expected the relay to run as a process and be restarted once (2 processes), saw $relays"
grep -q 'restart' <(python3 -c "import json; print([s['text'] for s in json.load(open('$dir/report/report.json'))['schedule']])") ||
  fail "the report's schedule has no SUT restart"

"$proc_watch" summary "$dir/watch.json"
for p in $(cat "$dir/relay.pids") $(cat "$dir/supervisor.pid"); do
  grep -q "\"pid\": $p," "$dir/watch.json" || fail "relay_ctl process $p was not seen in the run's session"
done
"$proc_watch" leftovers "$pid" "$dir/watch.json" || fail "the run left processes or sockets behind"
for port in $rtsp_port $http_port $admin_port; do
  ss -Hltn "sport = :$port" | grep -q . && fail "relay port $port is still listened on: $(ss -Hltnp "sport = :$port")"
done
echo PASS
