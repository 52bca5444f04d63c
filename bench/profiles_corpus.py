#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""profiles_corpus.py KIND BYTES OUT - assembles one corpus file of the
built-in profiles (docs/PROFILES.md, "Built-in profiles") from files every
Debian 12 machine has, the same way on every machine with the same files:

  text    source and text: /usr/include, /usr/share/perl/5.*, /usr/lib/python3*
          (*.py), taken in turn from each tree, each tree's files by sorted path
  binary  ELF files of /usr/bin and /usr/lib/x86_64-linux-gnu, in turn, by path
  mixed   text's and binary's files interleaved, the next one from the side
          with fewer bytes so far (about half each)

Regular files only (no links), each whole (none over 4 MiB, so no single
library decides), concatenated in that order until the next one would pass
BYTES; OUT gets the bytes.  Used by bench/profiles_build.sh (the built-in
profiles) and tests/profiles.sh (a smaller corpus).  Not a measurement:
dgen learn measures OUT.  Python's standard library only."""
import glob
import os
import sys

FILE_MAX = 4 << 20
TEXT_SUFFIXES = {
    "/usr/include": None,  # every file
    "/usr/share/perl": (".pm", ".pl", ".pod"),
    "/usr/lib/python3": (".py",),
}


def walk(top, suffixes=None, elf=False):
    """Regular files under top by sorted path, filtered."""
    out = []
    for root, dirs, files in os.walk(top):
        dirs.sort()
        for name in files:
            path = os.path.join(root, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            if suffixes and not name.endswith(suffixes):
                continue
            try:
                size = os.path.getsize(path)
                if not 0 < size <= FILE_MAX:
                    continue
                if elf:
                    with open(path, "rb") as f:
                        if f.read(4) != b"\x7fELF":
                            continue
            except OSError:
                continue
            out.append(path)
    return sorted(out)


def in_turn(lists):
    """The lists' entries taken one from each in turn."""
    out, i = [], 0
    while any(i < len(x) for x in lists):
        out += [x[i] for x in lists if i < len(x)]
        i += 1
    return out


def text_files():
    trees = [walk("/usr/include")]
    trees += [walk(d, TEXT_SUFFIXES["/usr/share/perl"])
              for d in sorted(glob.glob("/usr/share/perl/5.*")) if not os.path.islink(d)]
    trees += [walk(d, TEXT_SUFFIXES["/usr/lib/python3"])
              for d in sorted(glob.glob("/usr/lib/python3*")) if not os.path.islink(d)]
    return in_turn(trees)


def binary_files():
    return in_turn([walk("/usr/bin", elf=True),
                    walk("/usr/lib/x86_64-linux-gnu", elf=True)])


def by_bytes(a, b):
    """a's and b's entries, the next from the one with fewer bytes so far."""
    out, i, j, na, nb = [], 0, 0, 0, 0
    while i < len(a) or j < len(b):
        if j >= len(b) or (i < len(a) and na <= nb):
            out.append(a[i])
            na += os.path.getsize(a[i])
            i += 1
        else:
            out.append(b[j])
            nb += os.path.getsize(b[j])
            j += 1
    return out


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("text", "binary", "mixed"):
        sys.exit("usage: profiles_corpus.py text|binary|mixed BYTES OUT")
    kind, cap, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    files = {"text": text_files, "binary": binary_files,
             "mixed": lambda: by_bytes(text_files(), binary_files())}[kind]()
    total = count = 0
    with open(out, "wb") as dst:
        for path in files:
            if total + os.path.getsize(path) > cap:
                continue
            with open(path, "rb") as f:
                data = f.read()
            dst.write(data)
            total += len(data)
            count += 1
            if cap - total < 4096:
                break
    if total < cap // 2:
        sys.exit(f"profiles_corpus.py: only {total} bytes of {kind} files found")
    print(f"{kind}: {count} files, {total} bytes", file=sys.stderr)


main()
