#!/usr/bin/env python3
# check-vectors.py: an independent check of vectors/cases/*.vec.
#
#   python3 vectors/check-vectors.py [--cases-dir DIR] [--vectors-dir DIR]
#           [--internbench BIN [--max-strings N]] [NAME...]
#
# For every shipped case (cases/NAME.case) it parses the case file itself
# (its own parser below, not the C reader) and recomputes, in pure Python:
#   strings, unique, unique_bytes, digest   (XXH64 written below in Python:
#                                           no libxxhash, no PyPI xxhash)
#   class.empty, class.ascii, class.utf8, class.binary, class.name_chars,
#   class.identifier, class.latin1_char, class.digits, class.number,
#   class.space, class.control, class.nul   (plain-ASCII or UTF-8-validity
#                                           definitions, with Python's re
#                                           on bytes and its strict decoder)
# and compares them with NAME.vec. class.py_identifier is not checked: it
# depends on the Unicode database (test_classify checks it code point by
# code point instead).
#
# With --internbench BIN it also checks the named generated cases: their
# bytes come from `BIN gen --name NAME` (the generator), but the parsing,
# counting and hashing are still this script's. Cases with more than
# --max-strings strings (default 300000) are skipped, and said so.
#
# Exit status: 0 all match, 1 a mismatch (each printed: case, field,
# expected, got), 2 bad usage or bad input. Standard library only.
import os
import re
import subprocess
import sys

MASK64 = 0xFFFFFFFFFFFFFFFF
P1 = 0x9E3779B185EBCA87
P2 = 0xC2B2AE3D27D4EB4F
P3 = 0x165667B19E3779F9
P4 = 0x85EBCA77C2B2AE63
P5 = 0x27D4EB2F165667C5


def _rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & MASK64


def _round(acc, lane):
    acc = (acc + lane * P2) & MASK64
    acc = _rotl(acc, 31)
    return (acc * P1) & MASK64


def _merge(acc, val):
    acc ^= _round(0, val)
    return (acc * P1 + P4) & MASK64


class XXH64(object):
    """XXH64 (Yann Collet's algorithm, from its published specification),
    streaming: update() any number of times, then digest()."""

    def __init__(self, seed=0):
        self.v = [(seed + P1 + P2) & MASK64, (seed + P2) & MASK64,
                  seed & MASK64, (seed - P1) & MASK64]
        self.seed = seed & MASK64
        self.total = 0
        self.buf = b""
        self.big = False

    def update(self, data):
        self.total += len(data)
        data = self.buf + data
        n = len(data) - len(data) % 32
        if n:
            self.big = True
            v1, v2, v3, v4 = self.v
            unpack = int.from_bytes
            for i in range(0, n, 32):
                v1 = _round(v1, unpack(data[i:i + 8], "little"))
                v2 = _round(v2, unpack(data[i + 8:i + 16], "little"))
                v3 = _round(v3, unpack(data[i + 16:i + 24], "little"))
                v4 = _round(v4, unpack(data[i + 24:i + 32], "little"))
            self.v = [v1, v2, v3, v4]
        self.buf = data[n:]

    def digest(self):
        if self.big:
            v1, v2, v3, v4 = self.v
            h = (_rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) +
                 _rotl(v4, 18)) & MASK64
            for v in self.v:
                h = _merge(h, v)
        else:
            h = (self.seed + P5) & MASK64
        h = (h + self.total) & MASK64
        b = self.buf
        i = 0
        while i + 8 <= len(b):
            h ^= _round(0, int.from_bytes(b[i:i + 8], "little"))
            h = (_rotl(h, 27) * P1 + P4) & MASK64
            i += 8
        if i + 4 <= len(b):
            h ^= (int.from_bytes(b[i:i + 4], "little") * P1) & MASK64
            h = (_rotl(h, 23) * P2 + P3) & MASK64
            i += 4
        while i < len(b):
            h ^= (b[i] * P5) & MASK64
            h = (_rotl(h, 11) * P1) & MASK64
            i += 1
        h ^= h >> 33
        h = (h * P2) & MASK64
        h ^= h >> 29
        h = (h * P3) & MASK64
        h ^= h >> 32
        return h


def xxh64(data, seed=0):
    x = XXH64(seed)
    x.update(data)
    return x.digest()


# Known answers of the reference implementation, checked at start-up.
XXH64_KNOWN = [(b"", 0, 0xEF46DB3751D8E999),
               (b"a", 0, 0xD24EC4F1A98C6E5B),
               (b"abc", 0, 0x44BC2CF5AD770999),
               (b"Nobody inspects the spammish repetition", 0,
                0xFBCEA83C8A378BF1)]


class BadInput(Exception):
    pass


_ESC = {b"\\": b"\\", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"0": b"\0"}


def unescape(line, where):
    if b"\\" not in line:
        return line
    out = bytearray()
    i = 0
    while i < len(line):
        j = line.find(b"\\", i)
        if j < 0:
            out += line[i:]
            break
        out += line[i:j]
        e = line[j + 1:j + 2]
        if e in _ESC:
            out += _ESC[e]
            i = j + 2
        elif e == b"x" and re.match(rb"[0-9A-Fa-f]{2}\Z", line[j + 2:j + 4]):
            out.append(int(line[j + 2:j + 4], 16))
            i = j + 4
        else:
            raise BadInput("%s: bad escape" % where)
    return bytes(out)


def parse_case(data, name):
    """The strings of a case file's bytes, by the rules of DESIGN.md."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if lines and not lines[0].startswith(b"# internbench case v1"):
        raise BadInput("%s:1: missing the version line" % name)
    meta = {}
    i = 0
    while i < len(lines) and lines[i].startswith(b"#"):
        m = re.match(rb"#\s*([A-Za-z0-9_-]+)\s*:\s*(.*?)\s*\Z", lines[i])
        if m:
            meta[m.group(1).decode()] = m.group(2).decode("utf-8", "replace")
        i += 1
    crlf = meta.get("newline") == "crlf"
    binary = meta.get("encoding") == "bytes"
    out = []
    for k in range(i, len(lines)):
        line = lines[k]
        where = "%s:%d" % (name, k + 1)
        if crlf and line.endswith(b"\r"):
            line = line[:-1]
        if b"\r" in line:
            raise BadInput("%s: raw CR" % where)
        s = unescape(line, where)
        if not binary and not utf8_valid(s):
            raise BadInput("%s: invalid UTF-8" % where)
        out.append(s)
    return out


def utf8_valid(b):
    try:
        b.decode("utf-8", "strict")  # strict: no surrogates, no overlongs
        return True
    except UnicodeDecodeError:
        return False


RE_ASCII = re.compile(rb"[\x00-\x7f]*\Z")
RE_NAME = re.compile(rb"[A-Za-z0-9_]*\Z")
RE_IDENT = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*\Z")
RE_DIGITS = re.compile(rb"[0-9]+\Z")
RE_NUMBER = re.compile(rb"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
                       rb"(?:[eE][+-]?[0-9]+)?|0[xX][0-9A-Fa-f]+)\Z")
RE_SPACE = re.compile(rb"[ \t\n\r\x0b\x0c]")
RE_CONTROL = re.compile(rb"[\x00-\x1f\x7f]")


def classes(s):
    """The checked classes of one string (bytes)."""
    valid = utf8_valid(s)
    c = {
        "empty": len(s) == 0,
        "ascii": RE_ASCII.match(s) is not None,
        "utf8": valid,
        "binary": not valid,
        "name_chars": RE_NAME.match(s) is not None,
        "identifier": RE_IDENT.match(s) is not None,
        "latin1_char": valid and len(s.decode("utf-8")) == 1 and
        ord(s.decode("utf-8")) <= 0xFF,
        "digits": RE_DIGITS.match(s) is not None,
        "number": RE_NUMBER.match(s) is not None,
        "space": RE_SPACE.search(s) is not None,
        "control": RE_CONTROL.search(s) is not None,
        "nul": b"\0" in s,
    }
    return c


CHECKED = ["empty", "ascii", "utf8", "binary", "name_chars", "identifier",
           "latin1_char", "digits", "number", "space", "control", "nul"]


def vector_of(strings):
    uniq = sorted(set(strings))  # bytes sort bytewise, shorter first
    x = XXH64(0)
    counts = dict((k, 0) for k in CHECKED)
    for s in uniq:
        x.update(len(s).to_bytes(8, "little") + s)
        for k, v in classes(s).items():
            if v:
                counts[k] += 1
    v = {"strings": len(strings), "unique": len(uniq),
         "unique_bytes": sum(len(s) for s in uniq),
         "digest": "%016x" % x.digest()}
    for k in CHECKED:
        v["class." + k] = counts[k]
    return v


def read_vec(path):
    v = {}
    with open(path, "r") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            key, sep, value = line.partition(": ")
            if not sep:
                raise BadInput("%s: bad line %r" % (path, line))
            v[key] = value
    return v


def compare(name, want, got):
    bad = 0
    for key, value in sorted(got.items()):
        expected = want.get(key)
        if key == "digest":
            ok = expected is not None and int(expected, 16) == int(value, 16)
        else:
            ok = expected is not None and int(expected) == value
        if not ok:
            print("MISMATCH case %s, %s: .vec has %s, Python computes %s"
                  % (name, key, expected, value))
            bad = 1
    if not bad:
        print("ok case %s: %d fields" % (name, len(got)))
    return bad


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    cases_dir = os.path.join(os.path.dirname(here), "cases")
    vec_dir = os.path.join(here, "cases")
    binary = None
    max_strings = 300000
    names = []
    args = list(argv[1:])
    while args:
        a = args.pop(0)
        if a in ("-h", "--help"):
            print(__doc__ if __doc__ else "see the comment at the top")
            return 0
        elif a in ("--cases-dir", "--vectors-dir", "--internbench",
                   "--max-strings") and args:
            v = args.pop(0)
            if a == "--cases-dir":
                cases_dir = v
            elif a == "--vectors-dir":
                vec_dir = v
            elif a == "--internbench":
                binary = v
            else:
                max_strings = int(v)
        elif a.startswith("-"):
            sys.stderr.write("check-vectors.py: bad argument %s\n" % a)
            return 2
        else:
            names.append(a)
    for data, seed, want in XXH64_KNOWN:
        if xxh64(data, seed) != want:
            sys.stderr.write("check-vectors.py: XXH64 self-test failed\n")
            return 1
    bad = 0
    try:
        shipped = []
        if os.path.isdir(cases_dir):
            shipped = sorted(n[:-5] for n in os.listdir(cases_dir)
                             if n.endswith(".case"))
        todo = [n for n in shipped if not names or n in names]
        for name in todo:
            path = os.path.join(cases_dir, name + ".case")
            with open(path, "rb") as f:
                strings = parse_case(f.read(), path)
            bad |= compare(name, read_vec(os.path.join(vec_dir, name +
                                                       ".vec")),
                           vector_of(strings))
        if binary:
            gens = sorted(n[:-4] for n in os.listdir(vec_dir)
                          if n.startswith("gen-") and n.endswith(".vec"))
            for name in gens:
                if names and name not in names:
                    continue
                want = read_vec(os.path.join(vec_dir, name + ".vec"))
                if int(want.get("strings", "0")) > max_strings:
                    print("SKIPPED case %s: %s strings, over --max-strings"
                          % (name, want.get("strings")))
                    continue
                data = subprocess.check_output([binary, "gen", "--name",
                                                name])
                bad |= compare(name, want, vector_of(parse_case(data, name)))
        if not todo and not binary:
            print("no cases checked")
    except (BadInput, IOError, OSError, ValueError,
            subprocess.CalledProcessError) as e:
        sys.stderr.write("check-vectors.py: %s\n" % e)
        return 2
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
