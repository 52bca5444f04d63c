#!/bin/sh
# SPDX-License-Identifier: MIT
# deb_build.sh - the Debian packages build, pass lintian and work once
# unpacked: copies this checkout's files (git ls-files: tracked and
# untracked-but-not-ignored) to a scratch directory, runs
# dpkg-buildpackage -b -uc -us there (nocheck: make check runs apart), runs
# lintian (any error fails), checks each package's contents, Depends and
# conffiles, unpacks all of them into a scratch root with dpkg -x and runs
# the unpacked dgen on the unpacked libdgen against this tree's dgen cat;
# the unit: Type=notify, no lintian tag at any level (experimental and
# pedantic included), systemd-analyze verify and its offline security
# exposure at most 5.0 (OK); the docs in /usr/share/doc/dgenfs and the
# bash completion in bash-completion's directory; as root, the packages
# beside a source install in /usr/local (tests/deb_local.sh).
# Not part of make check (it takes minutes); .ci/run runs it.  Needs
# debhelper, devscripts and lintian (.ci/install-deps); not the real root.
set -eu
: "${top_srcdir:=$(dirname "$0")/..}"
: "${top_builddir:=$top_srcdir}"
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in dpkg-buildpackage lintian git; do
	command -v "$tool" >/dev/null || fail "$tool missing: run .ci/install-deps"
done
work=$(mktemp -d /tmp/dgenfs-deb.XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

src=$work/dgenfs-0.1.0
mkdir -p "$src"
git -C "$top_srcdir" ls-files -z -c -o --exclude-standard |
	(cd "$top_srcdir" && xargs -0 tar -cf - --no-recursion) | tar -C "$src" -xf -
echo "== dpkg-buildpackage -b -uc -us in $src"
(cd "$src" && env -u CI DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" \
	dpkg-buildpackage -b -uc -us) >"$work/build.log" 2>&1 ||
	{ tail -n 40 "$work/build.log" >&2; fail "dpkg-buildpackage (log: $work/build.log)"; }

changes=$(ls "$work"/*.changes)
echo "== lintian $(basename "$changes")"
lintian --fail-on error --info "$changes" >"$work/lintian.log" 2>&1 ||
	{ cat "$work/lintian.log" >&2; fail "lintian reports errors"; }
sed 's/^/  /' "$work/lintian.log"

deb() { ls "$work/$1"_*.deb; }
for p in libdgen1 libdgen-dev dgenfs python3-dgenfs; do
	[ -f "$(deb $p)" ] || fail "no $p package"
done
has() {	# has PACKAGE PATH...: the package holds each path
	p=$1
	shift
	dpkg-deb -c "$(deb "$p")" | awk '{ print substr($6, 2) }' >"$work/$p.list"
	for f in "$@"; do
		grep -qx -- "$f" "$work/$p.list" || fail "$p lacks $f"
	done
}
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
has libdgen1 "/usr/lib/$ma/libdgen.so.1"
has libdgen-dev /usr/include/dgen/dgen.h "/usr/lib/$ma/libdgen.so" "/usr/lib/$ma/pkgconfig/dgen.pc" \
	/usr/share/man/man3/libdgen.3.gz
has dgenfs /usr/bin/dgenfs /usr/bin/dgen /etc/dgenfs.conf \
	/lib/systemd/system/dgenfs@.service /usr/share/man/man1/dgenfs.1.gz \
	/usr/share/man/man1/dgen.1.gz /usr/share/man/man5/dgenfs.conf.5.gz \
	/usr/share/bash-completion/completions/dgen /usr/share/bash-completion/completions/dgenfs
for doc in README.md "$top_srcdir"/docs/*.md; do
	doc=${doc##*/}
	grep -qE "^/usr/share/doc/dgenfs/$doc(\.gz)?\$" "$work/dgenfs.list" ||
		fail "dgenfs lacks /usr/share/doc/dgenfs/$doc"
done
has python3-dgenfs /usr/lib/python3/dist-packages/dgenfs/__init__.py \
	/usr/lib/python3/dist-packages/dgenfs/_libdir.py /usr/lib/python3/dist-packages/dgenfs/py.typed
dpkg-deb -f "$(deb dgenfs)" Depends | grep -qw fuse3 || fail "dgenfs does not depend on fuse3"
dpkg-deb -f "$(deb dgenfs)" Depends | grep -qw libdgen1 || fail "dgenfs does not depend on libdgen1"
dpkg-deb -f "$(deb python3-dgenfs)" Depends | grep -qw libnuma1 ||
	fail "python3-dgenfs does not depend on libnuma1 (it binds buffers with its mbind)"
dpkg-deb -e "$(deb dgenfs)" "$work/ctrl"
grep -qx /etc/dgenfs.conf "$work/ctrl/conffiles" || fail "/etc/dgenfs.conf is no conffile"

root=$work/root
for p in libdgen1 libdgen-dev dgenfs python3-dgenfs; do
	dpkg -x "$(deb $p)" "$root"
done
unit=$root/lib/systemd/system/dgenfs@.service
grep -q '^ExecStart=/usr/bin/dgenfs ' "$unit" || fail "the unit does not run /usr/bin/dgenfs"
grep -qx 'Type=notify' "$unit" || fail "the unit is not Type=notify"
echo "== lintian --display-experimental --pedantic on the unit"
lintian --display-experimental --pedantic "$(deb dgenfs)" >"$work/lintian-all.log" 2>&1 || true
! grep 'dgenfs@\.service' "$work/lintian-all.log" ||
	fail "lintian has tags on the unit (above)"
if command -v systemd-analyze >/dev/null; then
	# the instance for /mnt/gen, running the unpacked daemon
	mkdir -p "$work/unit"
	sed "s|/usr/bin/dgenfs|$root/usr/bin/dgenfs|" "$unit" >"$work/unit/dgenfs@mnt-gen.service"
	(cd "$work/unit" && systemd-analyze verify --man=no ./dgenfs@mnt-gen.service) ||
		fail "systemd-analyze verify"
	(cd "$work/unit" && systemd-analyze security --offline=true --threshold=50 \
		./dgenfs@mnt-gen.service) >"$work/security.log" 2>&1 ||
		{ cat "$work/security.log" >&2; fail "systemd-analyze security: exposure above 5.0"; }
	tail -n 1 "$work/security.log"
fi
export LD_LIBRARY_PATH="$root/usr/lib/$ma"
ldd "$root/usr/bin/dgen" | grep -q "$root/usr/lib/$ma/libdgen.so.1" ||
	fail "unpacked dgen does not load the unpacked libdgen"
env -u LD_LIBRARY_PATH "$top_builddir/dgen" cat 5MiB-d2-c3 >"$work/want" ||
	fail "this tree's dgen cat (build it first)"
"$root/usr/bin/dgen" cat 5MiB-d2-c3 | cmp - "$work/want" ||
	fail "the packaged dgen serves other bytes than this tree's"
"$root/usr/bin/dgenfs" --help >/dev/null || fail "the packaged dgenfs does not run"
PYTHONPATH=$root/usr/lib/python3/dist-packages /usr/bin/python3 -c '
import dgenfs, sys
sys.stdout.buffer.write(dgenfs.cat("5MiB-d2-c3"))' | cmp - "$work/want" ||
	fail "the packaged Python package serves other bytes than this tree's"
# beside a source install in /usr/local, in a private overlay of the system
# (root and unshare only: the rest of this script needs neither)
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
	"$top_srcdir/tests/deb_local.sh" "$work"
else
	echo "== not root or no unshare: tests/deb_local.sh (packages beside /usr/local) left out"
fi
echo "PASS: $(cd "$work" && ls ./*.deb | tr '\n' ' ')built, lintian clean of errors, unpacked and run"
