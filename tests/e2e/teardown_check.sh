#!/usr/bin/env bash
# Clean teardown of `camleak run`: whatever it opened or started while running is gone when it
# exits, whether the run ends on its own or is interrupted.
#   teardown_check.sh CAMLEAK exit SCENARIO       the run (a few seconds) must exit 0
#   teardown_check.sh CAMLEAK interrupt SCENARIO  a long run gets SIGINT once its progress shows
#                                                 frames being checked; it must exit (non-zero)
#                                                 within 10 s, with a report.json whose
#                                                 harness_errors mention the interruption
# Both: while it runs, every process of its session and every TCP port they listen on (and UDP
# port they bind) is recorded from /proc (proc_watch.py); after it exits none of those processes
# may remain, no other process of its session, and none of those sockets.
source "$(dirname "$0")/e2e_lib.sh"
set -uo pipefail
camleak=$1 mode=$2 scenario=$3
tmp=$(make_tmp teardown)

cleanup() {
  # Only what this script started: the run, and (after a failure) its recorded processes.
  stop_run_and_watcher
  if [ -f "$tmp/watch.json" ]; then
    kill_in_run_session $(python3 -c "import json; print(' '.join(str(p['pid']) for p in json.load(open('$tmp/watch.json'))['processes']))")
  fi
  remove_tmp
}
trap cleanup EXIT

fail() {
  fail_with_logs "$*" "last output of camleak run" "$tmp/out.jsonl" 15 "stderr" "$tmp/err.txt" 15
}

# Number of JSON progress events of the run that report checked frames.
progress_seen() {
  python3 - "$tmp/out.jsonl" <<'EOF'
import json, sys
n = 0
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    n += e.get("event") == "progress" and e.get("frames_checked", 0) > 0
print(n)
EOF
}
tcp_recorded() {
  python3 -c "import json; print(sum(s['proto'] == 'tcp' for s in json.load(open('$tmp/watch.json'))['sockets']))" 2>/dev/null || echo 0
}

start=$SECONDS
# A session of its own: every process the run starts, directly or not, is then recognisable.
setsid "$camleak" run --json --report "$tmp/report" "$scenario" >"$tmp/out.jsonl" 2>"$tmp/err.txt" &
pid=$!
watch_run "$proc_watch" "$tmp/watch.json"

case $mode in
  exit)
    wait_until '! running' 40 || fail "the run did not exit within 40 s"
    wait "$pid"; code=$?
    echo "exit=$code after $((SECONDS - start)) s"
    [ "$code" -eq 0 ] || fail "expected exit 0, got $code"
    ;;
  interrupt)
    wait_until '[ "$(progress_seen)" -gt 0 ] || ! running' 30 ||
      fail "no progress event with checked frames within 30 s"
    running || fail "the run ended before it could be interrupted"
    # The watcher samples every 50 ms; give it the listeners that exist at this point.
    wait_until '[ "$(tcp_recorded)" -ge 3 ]' 5 || fail "no listening sockets recorded for the run"
    echo "running after $((SECONDS - start)) s: $(tail -n 1 "$tmp/out.jsonl")"
    kill -INT "$pid"
    sent=$SECONDS
    wait_until '! running' 10 || fail "still running 10 s after SIGINT"
    wait "$pid"; code=$?
    echo "exit=$code $((SECONDS - sent)) s after SIGINT"
    [ "$code" -ne 0 ] || fail "an interrupted run exited 0 (it must not pass)"
    [ -f "$tmp/report/report.json" ] || fail "no report.json after the interruption"
    errors=$(python3 -c "import json; print(json.load(open('$tmp/report/report.json'))['harness_errors'])") ||
      fail "report.json is not readable"
    echo "harness_errors: $errors"
    grep -qi 'interrupt' <<<"$errors" || fail "report.json's harness_errors do not mention the interruption"
    ;;
  *) echo "unknown mode $mode"; exit 2 ;;
esac

wait "$watcher"; watcher=""
"$proc_watch" summary "$tmp/watch.json"
[ "$(tcp_recorded)" -ge 3 ] || fail "recorded fewer than 3 listening TCP sockets: the watch saw nothing"
"$proc_watch" leftovers "$pid" "$tmp/watch.json" || fail "the run left processes or sockets behind"
echo PASS
