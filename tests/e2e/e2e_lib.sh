# Shell helpers shared by the e2e checks (sourced). They expect `pid` to hold the pid of the
# `camleak run` under test, `watcher` that of its proc_watch.py, and `tmp` the work directory;
# the attempt helpers set `dir` and the three ports.

# The folder of the checks and their fixtures, and the process watcher in it.
e2e_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
proc_watch=$e2e_dir/proc_watch.py
pid="" watcher=""
# A fresh work directory for the check named $1.
make_tmp() { mktemp -d "${TMPDIR:-/tmp}/camleak-$1.XXXXXX"; }

# The session id of process $1 (field 6 of /proc/PID/stat, after the command name).
session_of() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f4; }
# True while the run has not exited (a zombie has exited).
running() { [ -r "/proc/$pid/stat" ] && [ "$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f1)" != Z ]; }
# Polls `$1` (a shell condition) every 0.1 s until it holds or `$2` seconds have passed.
wait_until() {
  local deadline=$((SECONDS + $2))
  until eval "$1"; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.1
  done
}
# Waits until the run (started under setsid) leads its own session, then watches it with
# proc_watch.py ($1) into $2. Calls the checker's `fail` if the run never leads a session.
watch_run() {
  wait_until '[ "$(session_of "$pid")" = "$pid" ] || ! running' 10 ||
    fail "camleak run (pid $pid) did not become a session leader"
  "$1" watch "$pid" "$2" &
  watcher=$!
}
# Cleanup: kills those of the given processes that are still in the run's session.
kill_in_run_session() {
  local p
  for p in "$@"; do
    if [ -n "$pid" ] && [ "$p" != "$pid" ] && [ "$(session_of "$p")" = "$pid" ]; then
      kill -KILL "$p" 2>/dev/null
    fi
  done
}
# Cleanup, first step: the run (if it is still there) and its watcher.
stop_run_and_watcher() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null; fi
  if [ -n "$watcher" ] && kill -0 "$watcher" 2>/dev/null; then kill "$watcher" 2>/dev/null; fi
}
# Cleanup, last step: the work directory goes, unless CAMLEAK_E2E_KEEP asks to keep it.
remove_tmp() {
  if [ -n "${CAMLEAK_E2E_KEEP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
# Three distinct ports free on 127.0.0.1, below the ephemeral range (so no client socket or
# port-0 listener of the run can hold one when an external SUT binds it, again after a
# restart). Another program may still take one first: the callers then retry.
pick_ports() {
  python3 - <<'EOF'
import random, socket
high = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
socks = []
while len(socks) < 3:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", random.randrange(20000, high)))
    except OSError:
        s.close()
        continue
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}
# Starts attempt $1 of a check whose SUT binds fixed ports: a fresh work directory in `dir`
# ($tmp/try-$1) and three free ports in rtsp_port, http_port and admin_port.
begin_attempt() {
  dir=$tmp/try-$1
  mkdir -p "$dir"
  read -r rtsp_port http_port admin_port < <(pick_ports)
}
# Prints the template $1 with the attempt's ports and directory in place of @RTSP_PORT@,
# @HTTP_PORT@, @ADMIN_PORT@ and @DIR@; further sed arguments ($2 ...) fill its own placeholders.
fill_template() {
  local template=$1
  shift
  sed -e "s|@RTSP_PORT@|$rtsp_port|g" -e "s|@HTTP_PORT@|$http_port|g" \
      -e "s|@ADMIN_PORT@|$admin_port|g" -e "s|@DIR@|$dir|g" "$@" "$template"
}
# True when camleak's exit code $1 is 3 because the SUT could not bind a port (its log $2
# matches the pattern $3): another program took the port after pick_ports, so the attempt is
# retried with other ports rather than counted.
port_was_taken() { [ "$1" -eq 3 ] && grep -q "$3" "$2" 2>/dev/null; }
# For a checker's `fail`: "--- $1:" and the last $3 lines of the log $2 (none if not written yet),
# each cut to 300 characters (a hostile SUT's log lines can be huge).
show_log() {
  echo "--- $1:"
  tail -n "$3" "$2" 2>/dev/null | cut -c1-300
}
# Ends a checker as failed: "FAIL: $1", then each log given as a triple (title, file, lines).
fail_with_logs() {
  echo "FAIL: $1"
  shift
  while [ $# -ge 3 ]; do
    show_log "$1" "$2" "$3"
    shift 3
  done
  exit 1
}
