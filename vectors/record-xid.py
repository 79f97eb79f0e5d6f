#!/usr/bin/env python3
# record-xid.py: record which code points Python's str.isidentifier()
# accepts first (XID_Start) and after a letter (XID_Continue), as
# vectors/classify/xid-UNICODE.txt, UNICODE being the interpreter's
# unicodedata.unidata_version. test_classify compares the classifier's
# py_identifier class with it, code point by code point, when PCRE2 uses
# the same Unicode version.
#
#   python3 vectors/record-xid.py [--out DIR]
#
# Format: '#' comment lines, then "start FIRST LAST" and "continue FIRST
# LAST" lines (hex, inclusive ranges), each list sorted. Surrogates are
# never identifiers (they are not valid UTF-8 either).
import os
import sys
import unicodedata


def ranges(pred):
    out = []
    first = None
    for cp in range(0x110000 + 1):
        ok = cp <= 0x10FFFF and not (0xD800 <= cp <= 0xDFFF) and pred(chr(cp))
        if ok and first is None:
            first = cp
        elif not ok and first is not None:
            out.append((first, cp - 1))
            first = None
    return out


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = os.path.join(here, "classify")
    if len(argv) == 3 and argv[1] == "--out":
        out_dir = argv[2]
    elif len(argv) != 1:
        sys.stderr.write("usage: record-xid.py [--out DIR]\n")
        return 2
    version = unicodedata.unidata_version
    start = ranges(lambda c: c.isidentifier())
    cont = ranges(lambda c: ("a" + c).isidentifier())
    path = os.path.join(out_dir, "xid-%s.txt" % version)
    with open(path, "w") as f:
        f.write("# internbench xid v1\n")
        f.write("# python: %s\n" % " ".join(sys.version.split()))
        f.write("# unicode: %s\n" % version)
        for a, b in start:
            f.write("start %X %X\n" % (a, b))
        for a, b in cont:
            f.write("continue %X %X\n" % (a, b))
    sys.stderr.write("record-xid.py: %d start and %d continue ranges -> %s\n"
                     % (len(start), len(cont), path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
