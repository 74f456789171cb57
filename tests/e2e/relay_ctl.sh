#!/bin/sh
# The start/restart/stop commands of the external-SUT end-to-end test (external_sut_check.sh):
# the reference relay run as a separate process (`camleak relay --config DIR/relay.yaml`), the
# way a vendor would wrap their own relay for `sut: {kind: external, start, restart, stop}`.
#
#   relay_ctl.sh run DIR CAMLEAK   the scenario's `start`: a supervisor that runs the relay and
#                                  runs it again when `restart` asked for it (so a restarted relay
#                                  stays in the process group camleak started and stops with it);
#                                  exits with the relay's status otherwise
#   relay_ctl.sh restart DIR       the scenario's `restart`: SIGTERM to the relay, returns once the
#                                  supervisor has started its successor (readiness is camleak's job)
#   relay_ctl.sh stop DIR          the scenario's `stop`: SIGTERM to the relay, returns once it and
#                                  the supervisor are gone
#
# DIR/relay.pid holds the current relay's pid, DIR/relay.pids every relay pid started,
# DIR/supervisor.pid the supervisor's; the relay's output goes to DIR/relay.log.
set -u
cmd=$1 dir=$2

# Waits until `$1` (a shell condition) holds, for at most $2 tenths of a second.
wait_for() {
  n=0
  until eval "$1"; do
    n=$((n + 1))
    [ "$n" -gt "$2" ] && return 1
    sleep 0.1
  done
}

case $cmd in
  run)
    camleak=$3
    echo $$ >"$dir/supervisor.pid"
    while :; do
      "$camleak" relay --config "$dir/relay.yaml" >>"$dir/relay.log" 2>&1 &
      pid=$!
      echo "$pid" >"$dir/relay.pid.tmp" && mv "$dir/relay.pid.tmp" "$dir/relay.pid"
      echo "$pid" >>"$dir/relay.pids"
      wait "$pid"
      status=$?
      if [ -e "$dir/restart-requested" ]; then
        rm -f "$dir/restart-requested"
        continue
      fi
      echo "relay_ctl: relay $pid exited with status $status" >>"$dir/relay.log"
      exit "$status"
    done
    ;;
  restart)
    old=$(cat "$dir/relay.pid") || exit 1
    touch "$dir/restart-requested"
    kill -TERM "$old" || exit 1
    # The supervisor writes the successor's pid after it has reaped the old relay.
    wait_for '[ "$(cat "$dir/relay.pid" 2>/dev/null)" != "$old" ]' 100 || {
      echo "relay_ctl: relay $old was not replaced within 10 s" >&2
      exit 1
    }
    ;;
  stop)
    relay=$(cat "$dir/relay.pid") || exit 1
    kill -TERM "$relay" 2>/dev/null
    # The supervisor reaps the relay, then exits (camleak reaps the supervisor).
    wait_for '! kill -0 "$relay" 2>/dev/null' 100 || {
      echo "relay_ctl: relay $relay still running 10 s after SIGTERM" >&2
      exit 1
    }
    ;;
  *)
    echo "usage: relay_ctl.sh run|restart|stop DIR [CAMLEAK]" >&2
    exit 2
    ;;
esac
