#!/bin/sh
# SPDX-License-Identifier: MIT
# deb_local.sh DEBDIR - the packages beside a source install in /usr/local,
# as README's "A source install shadows the packages" says: in a private
# mount namespace whose /usr, /etc and /var are overlays on scratch
# directories (nothing reaches the real system), make install this build
# tree into /usr/local, dpkg -i the packages of DEBDIR, see the packaged
# /usr/bin/dgen load /usr/local's libdgen and the shell find /usr/local's
# dgen, make uninstall, see the packaged dgen on the packaged libdgen
# serve the right bytes, then dpkg --purge every package and see nothing
# of them left.  /usr/local starts empty there (a tmpfs), whatever the
# machine has installed.  Run by tests/deb_build.sh as root with unshare(1); not
# part of make check.
set -eu
: "${top_srcdir:=$(dirname "$0")/..}"
: "${top_builddir:=$top_srcdir}"
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
debdir=$(cd "$1" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
# what the system's loader and python3 find, not a caller's (deb_build.sh's)
unset LD_LIBRARY_PATH PYTHONPATH

if [ "${DEB_LOCAL_INSIDE:-}" != 1 ]; then
	scratch=$(mktemp -d /tmp/dgenfs-deblocal.XXXXXX)
	trap 'rm -rf "$scratch"' EXIT
	DEB_LOCAL_INSIDE=1 DEB_LOCAL_SCRATCH=$scratch \
		unshare -m --propagation private "$0" "$debdir"
	exit
fi

for d in usr etc var; do
	mkdir -p "$DEB_LOCAL_SCRATCH/$d.up" "$DEB_LOCAL_SCRATCH/$d.work"
	mount -t overlay overlay -o "lowerdir=/$d,upperdir=$DEB_LOCAL_SCRATCH/$d.up,workdir=$DEB_LOCAL_SCRATCH/$d.work" "/$d" ||
		fail "cannot overlay /$d"
done
# An empty /usr/local: a source install already there (README's command 1
# makes one) would otherwise be what this test installs and removes.
mount -t tmpfs tmpfs /usr/local || fail "cannot mount a scratch /usr/local"
PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
packages="libdgen1 libdgen-dev dgenfs python3-dgenfs"
[ ! -e /usr/local/lib/libdgen.so.1 ] || fail "/usr/local already holds libdgen (mount not private?)"

echo "== make install (/usr/local) and the packages beside it"
env -u MAKEFLAGS -u MFLAGS make -s -C "$top_builddir" install >"$DEB_LOCAL_SCRATCH/install.log" 2>&1 ||
	{ tail -n 20 "$DEB_LOCAL_SCRATCH/install.log" >&2; fail "make install"; }
ldconfig
debs=
for p in $packages; do
	debs="$debs $(ls "$debdir/${p}"_*.deb)"
done
# shellcheck disable=SC2086
dpkg -i $debs >"$DEB_LOCAL_SCRATCH/dpkg.log" 2>&1 || { cat "$DEB_LOCAL_SCRATCH/dpkg.log" >&2; fail "dpkg -i"; }
hash -r
[ "$(command -v dgen)" = /usr/local/bin/dgen ] || fail "the shell runs $(command -v dgen), not /usr/local's dgen"
ldd /usr/bin/dgen | grep -q '/usr/local/lib/libdgen.so.1' ||
	fail "README says the packaged dgen loads /usr/local's libdgen; ldd says: $(ldd /usr/bin/dgen | grep dgen)"
case $(/usr/bin/python3 -c 'import dgenfs; print(dgenfs.__file__)') in
/usr/local/*) ;;
*) fail "README says python3 imports /usr/local's dgenfs" ;;
esac
# mount(8) runs the daemon that PATH finds: /usr/local's
mnt=$DEB_LOCAL_SCRATCH/mnt
mkdir -p "$mnt"
mount -t fuse.dgenfs dgenfs "$mnt" -o config=none || fail "mount -t fuse.dgenfs"
daemon=$(ps -eo pid=,args= | awk -v m="$mnt" '$2 ~ /dgenfs$/ && index($0, " " m) { print $1; exit }')
exe=$(readlink "/proc/$daemon/exe" 2>/dev/null || echo "no daemon found")
fusermount3 -u "$mnt"
[ "$exe" = /usr/local/bin/dgenfs ] || fail "README says mount -t fuse.dgenfs runs /usr/local's dgenfs; it ran $exe"
echo "  as README warns: the shell runs /usr/local/bin/dgen, /usr/bin/dgen loads"
echo "  /usr/local/lib/libdgen.so.1, python3 imports /usr/local's dgenfs, and"
echo "  mount -t fuse.dgenfs runs /usr/local/bin/dgenfs"

echo "== make uninstall: the packages alone"
env -u MAKEFLAGS -u MFLAGS make -s -C "$top_builddir" uninstall >>"$DEB_LOCAL_SCRATCH/install.log" 2>&1 ||
	{ tail -n 20 "$DEB_LOCAL_SCRATCH/install.log" >&2; fail "make uninstall"; }
ldconfig
left=$(find /usr/local -name "*dgen*" \( -type f -o -type l -o -type d ! -empty \) 2>/dev/null; find /usr/local -path "*dgen*" -type f 2>/dev/null)
[ -z "$left" ] || fail "make uninstall left: $left: $(find /usr/local -path "*dgen*")"
hash -r
[ "$(command -v dgen)" = /usr/bin/dgen ] || fail "after make uninstall the shell runs $(command -v dgen)"
ldd /usr/bin/dgen | grep -q "/usr/lib/$ma/libdgen.so.1\|/lib/$ma/libdgen.so.1" ||
	fail "after make uninstall /usr/bin/dgen loads: $(ldd /usr/bin/dgen | grep dgen)"
"$top_builddir/dgen" cat 3MiB-d2-c3 >"$DEB_LOCAL_SCRATCH/want"
/usr/bin/dgen cat 3MiB-d2-c3 | cmp - "$DEB_LOCAL_SCRATCH/want" || fail "the packaged dgen serves other bytes"
case $(/usr/bin/python3 -c 'import dgenfs; print(dgenfs.__file__)') in
/usr/lib/python3/dist-packages/*) ;;
*) fail "after make uninstall python3 imports dgenfs from elsewhere" ;;
esac
/usr/bin/python3 -c 'import dgenfs, sys; sys.stdout.buffer.write(dgenfs.cat("3MiB-d2-c3"))' |
	cmp - "$DEB_LOCAL_SCRATCH/want" || fail "the packaged Python package serves other bytes"

echo "== dpkg --purge"
for p in $packages; do
	dpkg -L "$p" | grep -v '^/\.$' | sort -r >"$DEB_LOCAL_SCRATCH/$p.files"
done
# shellcheck disable=SC2086
dpkg --purge $packages >>"$DEB_LOCAL_SCRATCH/dpkg.log" 2>&1 ||
	{ cat "$DEB_LOCAL_SCRATCH/dpkg.log" >&2; fail "dpkg --purge"; }
for p in $packages; do
	while read -r f; do
		[ -d "$f" ] || [ ! -e "$f" ] || fail "dpkg --purge $p left $f"
	done <"$DEB_LOCAL_SCRATCH/$p.files"
done
[ ! -e /etc/dgenfs.conf ] || fail "purge left /etc/dgenfs.conf"
echo "PASS: the packages install beside a /usr/local install, work alone after make uninstall, and purge clean"
