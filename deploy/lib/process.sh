# Shared by the deploy scripts (source it): pid files that are checked against the process they name.
# Every process a script starts carries -Dbeex.process=<name>@<run dir> on its command line; a pid
# file counts only while that pid is alive AND has that marker, so a stale pid file whose number now
# belongs to another process is never signalled.

# marker NAME DIR -> the -D flag to put on the java command line
beex_marker() { printf -- '-Dbeex.process=%s@%s' "$1" "$2"; }

# beex_alive PIDFILE NAME DIR: true when the pid file names a live process started as NAME from DIR.
beex_alive() {
  local file="$1" name="$2" dir="$3" pid
  [ -f "$file" ] || return 1
  pid="$(cat "$file" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$(beex_marker "$name" "$dir") " 
}

# beex_stop PIDFILE NAME DIR LABEL [SECONDS]: TERM, wait, report. Returns 1 when it is still alive.
# A stale pid file (dead pid, or a pid that is now another program) is removed and reported, nothing is killed.
beex_stop() {
  local file="$1" name="$2" dir="$3" label="$4" wait="${5:-30}" pid
  [ -f "$file" ] || { echo "$label: $name not running (no pid file)"; return 0; }
  pid="$(cat "$file" 2>/dev/null)"
  if ! beex_alive "$file" "$name" "$dir"; then
    echo "$label: $name not running (stale pid file: pid $pid is not $name); removed it"
    rm -f "$file"
    return 0
  fi
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((wait * 2))); do
    beex_alive "$file" "$name" "$dir" || { rm -f "$file"; echo "$label: stopped $name (pid $pid)"; return 0; }
    sleep 0.5
  done
  echo "$label: $name (pid $pid) still alive ${wait} s after SIGTERM; not stopped (kill -9 $pid to force)" >&2
  return 1
}
