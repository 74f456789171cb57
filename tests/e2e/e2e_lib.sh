# Shell helpers shared by the e2e checks (sourced). They expect `pid` to hold the pid of the
# `camleak run` under test.

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
