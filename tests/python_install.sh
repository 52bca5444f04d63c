#!/bin/sh
# SPDX-License-Identifier: MIT
# python_install.sh - the Python package dgenfs where a user gets it, imported
# from a clean environment (env -i, python -I: no PYTHONPATH, no
# DGEN_LIBRARY, no user site):
#   1. configure's choice: the directory make install uses for this prefix
#      is one $PYTHON searches, where python/pythondir.py says it does;
#   2. make install's Python and library parts into a scratch venv (prefix,
#      libdir and pythondir all inside it, the directory python/pythondir.py
#      names for it): the venv's python imports the package, which finds
#      the installed libdgen by itself, and gives dgen cat's bytes;
#   3. a wheel built offline from pyproject.toml (pip wheel --no-index
#      --no-build-isolation, Debian's setuptools and wheel) and pip installed
#      into a fresh venv: it passes tests/test_python.py and
#      tests/test_python_compat.py there.
# It never touches the real prefix or the source tree.  Skips (77) where
# $PYTHON lacks venv, pip, setuptools or wheel (Debian: python3-venv,
# python3-pip, python3-setuptools, python3-wheel; .ci/install-deps has them).
set -eu
. "${top_srcdir:-.}/tests/python_env.sh"
: "${MAKE:=make}"
: "${pythondir:?pythondir not set (make check sets it)}"
work=$(mktemp -d /tmp/dgenfs-python.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
for m in venv ensurepip pip setuptools wheel; do
	"$PYTHON" -c "import $m" 2>/dev/null ||
		{ echo "SKIP: $PYTHON has no module $m (Debian: python3-venv python3-pip python3-setuptools python3-wheel)"; exit 77; }
done
clean() { env -i PATH=/usr/bin:/bin ${LD_PRELOAD:+LD_PRELOAD=$LD_PRELOAD} \
	${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} "$@"; }
want=$work/want
"$DGEN" cat 3000001-d2-c3-s9 >"$want"

# 1. configure's directory is one the interpreter searches
prefix=$(sed -n "s/^prefix = //p" "$top_builddir/Makefile")
rel=$("$PYTHON" "$top_srcdir/python/pythondir.py" "$prefix") &&
	{ [ "$pythondir" = "$prefix/$rel" ] || [ "$pythondir" = "\${prefix}/$rel" ] ||
		fail "make installs in $pythondir, $PYTHON searches $prefix/$rel"; }

# 2. make install's parts into a venv, imported by its python alone
"$PYTHON" -m venv --without-pip "$work/inst" || fail "python -m venv"
rel=$("$work/inst/bin/python" "$top_srcdir/python/pythondir.py" "$work/inst") ||
	fail "a venv's python does not search its own site-packages"
env -u MAKEFLAGS -u MFLAGS "$MAKE" -s -C "$top_builddir" \
	prefix="$work/inst" exec_prefix="$work/inst" libdir="$work/inst/lib" \
	pythondir="$work/inst/$rel" \
	install-libLTLIBRARIES install-dgenfsPYTHON install-dist_dgenfsDATA \
	install-dgenfsaliasPYTHON install-python-libdir >"$work/install.log" 2>&1 ||
	{ tail -n 20 "$work/install.log" >&2; fail "make install into a venv"; }
clean "$work/inst/bin/python" -I -c '
import sys, dgenfs
assert dgenfs.__file__.startswith(sys.prefix), dgenfs.__file__
assert dgenfs._lib.lib._name == sys.prefix + "/lib/libdgen.so.1", dgenfs._lib.lib._name
g = dgenfs.Generator(3000001, 2, 3, seed=9)
buf = bytearray(g.size)
assert g.fill_chunk(buf) == g.size
sys.stdout.buffer.write(buf)' >"$work/got" || fail "the package make install put in a venv"
cmp "$want" "$work/got" || fail "the installed package gives other bytes than dgen cat"

# 3. the wheel, offline, into a fresh venv, and the tests there
mkdir -p "$work/src/python"
cp "$top_srcdir/pyproject.toml" "$top_srcdir/LICENSE" "$work/src/"
cp -R "$top_srcdir/python/dgenfs" "$work/src/python/"
chmod -R u+w "$work/src"
(cd "$work/src" && clean "$PYTHON" -m pip wheel --no-index --no-build-isolation \
	--no-deps -w "$work/dist" .) >"$work/wheel.log" 2>&1 ||
	{ tail -n 20 "$work/wheel.log" >&2; fail "pip wheel"; }
set -- "$work"/dist/dgenfs-*-py3-none-any.whl
[ -f "$1" ] || fail "no wheel dgenfs-*-py3-none-any.whl in $work/dist"
"$PYTHON" -m venv "$work/whl" >"$work/venv.log" 2>&1 ||
	{ tail -n 20 "$work/venv.log" >&2; fail "python -m venv (with pip)"; }
clean "$work/whl/bin/python" -m pip install --no-index "$1" >"$work/pip.log" 2>&1 ||
	{ tail -n 20 "$work/pip.log" >&2; fail "pip install $1"; }
for t in test_python.py test_python_compat.py; do
	clean DGEN_LIBRARY="$DGEN_LIBRARY" DGEN="$DGEN" STRUCT_LAYOUT="$STRUCT_LAYOUT" \
		VERSION="${VERSION:-}" "$work/whl/bin/python" -I "$top_srcdir/tests/$t" ||
		fail "tests/$t on the wheel in a fresh venv"
done
echo "PASS: make install into a venv and the wheel into a fresh venv import cleanly"
