#!/bin/sh
# SPDX-License-Identifier: MIT
# mount_notify.sh - what dgenfs tells a service manager (dgenfs@.service is
# Type=notify): with NOTIFY_SOCKET set, READY=1 arrives only once the mount
# is in /proc/mounts, and STOPPING=1 when SIGTERM (systemctl stop) stops
# it.  The socket is a unix datagram socket this test owns, read by a small
# Python listener that looks at /proc/mounts the moment each message
# arrives.  Built without libsystemd (DGENFS_UNIT_TYPE=simple) the daemon
# must tell nothing.  Not here: the unit's sandboxing (tests/deb_build.sh's
# lintian and systemd-analyze).
. "${top_srcdir:-.}/tests/mount_lib.sh"

MNT=$WORK/mnt
SOCK=$WORK/notify
LOG=$WORK/notify.log
: >"$LOG"

# One line per message: the message, then whether MNT was mounted when it
# came ("mounted" or "absent"); "listening" once the socket is bound.
"${PYTHON:-python3}" - "$SOCK" "$LOG" "$MNT" <<'EOF' &
import socket, sys
path, log, mnt = sys.argv[1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
def note(line):
    with open(log, "a") as f:
        f.write(line + "\n")
note("listening")
while True:
    msg = s.recv(4096).decode(errors="replace").strip()
    with open("/proc/mounts") as f:
        up = any(l.split()[1] == mnt for l in f)
    note("%s %s" % (msg.replace("\n", ","), "mounted" if up else "absent"))
EOF
LISTENER=$!
DAEMONS="$DAEMONS $LISTENER"
poll_until "the listener binds $SOCK" grep -qx listening "$LOG"

NOTIFY_SOCKET=$SOCK
export NOTIFY_SOCKET
mount_dgenfs "$MNT"
unset NOTIFY_SOCKET
[ -f "$MNT/1M" ] || fail "the mount does not serve 1M"

# stop_daemon: SIGTERM, as systemctl stop sends, then a last message of
# our own, END: the socket keeps order, so once END is logged, so is all
# dgenfs sent before it exited.
stop_daemon() {
	kill -TERM "$DAEMON_PID"
	wait "$DAEMON_PID" || fail "dgenfs exited with status $? after SIGTERM"
	"${PYTHON:-python3}" -c 'import socket, sys
socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b"END", sys.argv[1])' "$SOCK"
	poll_until "the listener reads END" grep -q '^END ' "$LOG"
}

case ${DGENFS_UNIT_TYPE:-notify} in
notify)
	poll_until "READY=1 from dgenfs" grep -q '^READY=1 ' "$LOG"
	grep -qx 'READY=1 mounted' "$LOG" ||
		fail "READY=1 came before the mount was in /proc/mounts: $(cat "$LOG")"
	stop_daemon
	grep -q '^STOPPING=1 ' "$LOG" || fail "no STOPPING=1 before dgenfs exited: $(cat "$LOG")"
	[ "$(grep -c '^READY=1 ' "$LOG")" = 1 ] || fail "READY=1 more than once: $(cat "$LOG")"
	told="READY=1 with the mount up, STOPPING=1 on SIGTERM"
	;;
simple)
	# built without libsystemd: nothing reaches the socket, even at exit
	stop_daemon
	[ "$(sed '$d' "$LOG")" = listening ] ||
		fail "dgenfs built without libsystemd told the socket: $(cat "$LOG")"
	told="nothing, as built without libsystemd"
	;;
*)
	fail "DGENFS_UNIT_TYPE=$DGENFS_UNIT_TYPE: expected notify or simple"
	;;
esac
wait_unmounted "$MNT"
echo "PASS: dgenfs told the notify socket $told"
