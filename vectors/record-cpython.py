#!/usr/bin/env python3
# record-cpython.py: record how the running CPython interns string and int
# constants, as vectors/cpython/VERSION.tsv (VERSION is major.minor).
#
#   python3 vectors/record-cpython.py [--out DIR] [--cases DIR] [--stdout]
#
# Every row is one probe: a Python expression, then three answers from this
# interpreter (T or F; '-' where the question does not apply; E in all
# three when CPython rejects the probe: a syntax error, or an error when it
# runs):
#   separate  the results of two separate compile() calls are one object
#   unit      two equal expressions in one compilation unit give one object
#   interned  the result is the interned instance: sys.intern() of a fresh,
#             equal string built at run time returns this very object
#             ('-' for ints and other non-strings)
# The probe column is escaped as case files escape strings (\\, \n, \r, \t,
# \0, \xHH); after unescaping it is Python source text.
#
# The probes: the fixed list below (every rule of CPYTHON.md and every string
# class the case files hold), then up to 200 strings drawn deterministically
# (splitmix64, fixed seed) from the shipped cases (cases/*.case, read by the
# small case parser below; strings longer than DRAW_MAX_LEN characters are
# not drawn, to keep the rows readable), then the generated probes (every
# operator of the C model's expression language with every operand kind, at
# the lengths around each folding limit), then probes CPython rejects.
#
# Standard library only. The file parses under Python 2.7 so that an old
# interpreter refuses cleanly (exit 2) instead of failing with a syntax
# error; only CPython 3.6 or later records.
import os
import sys
import warnings

FORMAT_LINE = "# internbench cpython vectors v2"
DRAW_COUNT = 200
DRAW_SEED = 0x1B873593  # fixed: the same cases give the same draw
DRAW_MAX_LEN = 256
EXIT_USAGE = 2


def die(msg):
    sys.stderr.write("record-cpython.py: %s\n" % msg)
    sys.exit(EXIT_USAGE)


# ---------------------------------------------------------------- case files


class CaseError(Exception):
    pass


_CASE_ESCAPES = {b"\\": b"\\", b"n": b"\n", b"r": b"\r", b"t": b"\t",
                 b"0": b"\0"}
_HEX = b"0123456789abcdefABCDEF"


def case_unescape(raw, where):
    """Undo the case-file escapes of one line (bytes in, bytes out)."""
    if b"\\" not in raw:
        return raw
    out = bytearray()
    i = 0
    n = len(raw)
    while i < n:
        j = raw.find(b"\\", i)
        if j < 0:
            out += raw[i:]
            break
        out += raw[i:j]
        e = raw[j + 1:j + 2]
        if e in _CASE_ESCAPES:
            out += _CASE_ESCAPES[e]
            i = j + 2
        elif e == b"x":
            hexdigits = raw[j + 2:j + 4]
            if len(hexdigits) != 2 or any(hexdigits[k:k + 1] not in _HEX
                                          for k in (0, 1)):
                raise CaseError("%s: bad \\x escape" % where)
            out.append(int(hexdigits.decode("ascii"), 16))
            i = j + 4
        elif e == b"":
            raise CaseError("%s: truncated escape" % where)
        else:
            raise CaseError("%s: unknown escape \\%s" %
                            (where, e.decode("latin-1")))
    return bytes(out)


def case_read(path):
    """The strings of one case file, as bytes, in file order."""
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the final newline ends the last line
    meta = {}
    i = 0
    while i < len(lines) and lines[i].startswith(b"#"):
        text = lines[i][1:].strip()
        if b":" in text:
            key, value = text.split(b":", 1)
            meta[key.strip().decode("utf-8", "replace")] = value.strip()
        i += 1
    crlf = meta.get("newline", b"") == b"crlf"
    binary = meta.get("encoding", b"") == b"bytes"
    strings = []
    for lineno in range(i, len(lines)):
        line = lines[lineno]
        where = "%s:%d" % (path, lineno + 1)
        if line.endswith(b"\r"):
            if not crlf:
                raise CaseError("%s: CR before LF" % where)
            line = line[:-1]
        if not binary:
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                raise CaseError("%s: invalid UTF-8" % where)
        strings.append(case_unescape(line, where))
    return strings


def tsv_escape(text):
    """Escape Python source text as case files escape strings. A lone
    surrogate (which only a probe CPython rejects holds raw) is written as
    the \\xHH escapes of its 3-byte form, so that every row stays valid
    UTF-8 text."""
    out = bytearray()
    for ch in text:
        raw = ch.encode("utf-8", "surrogatepass")
        if 0xD800 <= ord(ch) <= 0xDFFF:
            out += b"".join(("\\x%02x" % b).encode("ascii")
                            for b in bytearray(raw))
            continue
        for b in bytearray(raw):
            if b == 0x5C:
                out += b"\\\\"
            elif b == 0x0A:
                out += b"\\n"
            elif b == 0x0D:
                out += b"\\r"
            elif b == 0x09:
                out += b"\\t"
            elif b == 0x00:
                out += b"\\0"
            elif b < 0x20 or b == 0x7F:
                out += ("\\x%02x" % b).encode("ascii")
            else:
                out.append(b)
    if out.startswith(b"#"):
        out = b"\\x23" + out[1:]
    return bytes(out)


# ---------------------------------------------------------------- probes


def py_literal(s, prefix=""):
    """A double-quoted Python literal for s. Printable characters stay raw
    (UTF-8 in the row); controls, C1 controls, surrogates, U+2028, U+2029
    and U+FEFF are escaped, by a rule that does not depend on the
    interpreter's Unicode database."""
    out = [prefix, '"']
    for ch in s:
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif o < 0x20 or 0x7F <= o <= 0x9F:
            out.append("\\x%02x" % o)
        elif 0xD800 <= o <= 0xDFFF or o in (0x2028, 0x2029, 0xFEFF):
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def lit(s):
    return py_literal(s)


def fixed_probes():
    """(expression, what it probes) for every rule and string class."""
    p = []

    def add(expr, why):
        p.append((expr, why))

    # rule 1: literals of [A-Za-z0-9_] characters, ASCII only
    add(lit("hello"), "identifier-like")
    add(lit("hello_world_2"), "identifier-like with digits")
    add(lit("_private"), "leading underscore")
    add(lit("__init__"), "dunder")
    add(lit("CamelCase"), "mixed case")
    add(lit("123abc"), "digit-first")
    add(lit("123"), "digits only")
    add(lit("0"), "one digit")
    add(lit("hello world"), "space")
    add(lit("hello-world"), "hyphen")
    add(lit("hello.world"), "dot")
    add(lit("a,b"), "comma")
    add(lit("x+y=z"), "operators")
    add(lit("hello!"), "trailing punctuation")
    add(lit(" hello"), "leading space")
    add(lit("tab\there"), "tab")
    add(lit("line\nbreak"), "newline")
    add(lit("nul\x00byte"), "NUL")
    add(lit("\x00"), "one NUL")
    add(lit("\x7f"), "DEL")
    add(lit("a\\b"), "backslash")
    add(lit('say "hi"'), "quotes")
    add(lit("3.14"), "number-like")
    add(lit("-42"), "signed number-like")
    add(lit("1e10"), "exponent number-like")
    add(lit("0x1F"), "hex number-like")
    add(lit("https://example.com/a?b=c"), "URL")
    add(lit("/usr/lib/python3"), "path")
    # the empty string and one-character strings (rule 3)
    add(lit(""), "empty")
    add(lit("a"), "one ASCII letter")
    add(lit("_"), "one underscore")
    add(lit(" "), "one space")
    add(lit("!"), "one punctuation")
    add(lit("\x80"), "one C1 control")
    add(lit("\xa0"), "one NBSP")
    add(lit("\xe9"), "one latin-1 letter")
    add(lit("\xff"), "last latin-1")
    add(lit("\u0100"), "first beyond latin-1")
    add(lit("\u20ac"), "euro sign")
    add(lit("\u540d"), "one CJK")
    add(lit("\U0001f600"), "one emoji")
    add(lit("\udcff"), "one lone surrogate (invalid UTF-8 byte)")
    # non-ASCII strings and identifiers
    add(lit("caf\xe9"), "latin-1 identifier")
    add(lit("\xe9t\xe9"), "latin-1 identifier")
    add(lit("\u540d\u524d"), "CJK identifier")
    add(lit("\u0394x"), "Greek identifier")
    add(lit("x\u2080"), "subscript digit: an identifier only after NFKC")
    add(lit("na\xefve text"), "non-ASCII with space")
    add(lit("\U0001f600\U0001f601"), "emoji pair")
    add(lit("abc\U0001f600"), "ASCII then emoji")
    add(lit("ab\udcffcd"), "invalid UTF-8 byte (surrogateescape)")
    add(lit("\xe9\xe9"), "two latin-1 letters")
    # long literals: no length limit on rule 1
    add(lit("a" * 4097), "long identifier-like literal")
    add(lit("x" * 5000), "5000-char literal")
    add(lit("ab" * 2500 + " "), "long literal with space")
    # constant folding of "S" * N (rule 4)
    add('"K" * 0', "repeat to empty")
    add('"K" * 1', "repeat once")
    add('"K" * 20', "repeat to 20")
    add('"K" * 21', "repeat to 21")
    add('"K" * 4096', "repeat to 4096")
    add('"K" * 4097', "repeat to 4097")
    add('"ab" * 2048', "repeat to 4096")
    add('"ab" * 2049', "repeat to 4098")
    add('"a b" * 5', "repeat of non-name chars")
    add('"a b" * 1365', "repeat of non-name chars to 4095")
    add('"\xe9" * 2', "repeat of latin-1")
    add('"" * 5000', "repeat of empty")
    add('"%s" * 1' % ("x" * 25), "repeat once, over 20 chars")
    add('"%s" * 1' % ("a b " * 7), "repeat once, over 20 non-name chars")
    # + folding, implicit concatenation, % formatting
    add('"hello" + "world"', "+ folding, short")
    add('"hello world" + "!"', "+ folding, non-name chars")
    add('"%s" + "%s"' % ("a" * 15, "b" * 15), "+ folding to 30")
    add('"%s" + "%s"' % ("a" * 3000, "b" * 3000), "+ folding to 6000")
    add('"K" * 4096 + "K"', "repeat then +")
    add('"hello" "world"', "implicit concatenation")
    add('"%s!" % "ab"', "% formatting")
    add('"%s" % "ab"', "% formatting to an identifier")
    # f-strings without fields
    add('f"hello"', "f-string, no fields")
    add('f"hello world"', "f-string, no fields, space")
    add('f""', "f-string, empty")
    add('f"x"', "f-string, one char")
    # names (rule 2): always interned, whatever their characters
    add("(lambda: spam).__code__.co_names[0]", "global name")
    add("(lambda: caf\xe9).__code__.co_names[0]", "non-ASCII name")
    add("(lambda: \u540d\u524d).__code__.co_names[0]", "CJK name")
    # small ints (rule 6)
    for n in (-6, -5, -1, 0, 1, 255, 256, 257, 1000, 1024, 1025):
        add(str(n), "int")
    return p


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return state, z ^ (z >> 31)


def drawn_probes(cases_dir):
    """Up to DRAW_COUNT strings drawn from the shipped cases: the unique
    strings of every case, sorted bytewise, each picked at most once by
    splitmix64 from DRAW_SEED. Invalid UTF-8 becomes lone surrogates
    (surrogateescape), as Python decodes undecodable file names."""
    if not os.path.isdir(cases_dir):
        return []
    names = sorted(n for n in os.listdir(cases_dir) if n.endswith(".case"))
    pool = set()
    for name in names:
        for s in case_read(os.path.join(cases_dir, name)):
            if len(s) <= DRAW_MAX_LEN * 4:
                pool.add(s)
    pool = [s.decode("utf-8", "surrogateescape") for s in sorted(pool)]
    pool = [s for s in pool if len(s) <= DRAW_MAX_LEN]
    state = DRAW_SEED
    chosen = []
    taken = set()
    while pool and len(chosen) < min(DRAW_COUNT, len(pool)):
        state, r = splitmix64(state)
        i = r % len(pool)
        if i in taken:
            continue
        taken.add(i)
        chosen.append((lit(pool[i]), "drawn from the cases"))
    return chosen


# ---------------------------------------------------------------- generated

# How tightly a probe's text binds, so that it is bracketed where Python's
# grammar needs it: an ATOM goes anywhere, a PRODUCT (* or %) is the left
# operand of * or % and either operand of + as it is, a SUM only the left
# operand of +.
ATOM, PRODUCT, SUM = 0, 1, 2
FOLD_LIMITS = (20, 4096)  # 3.6's and 3.7's longest folded "S" * N


def operand_kinds():
    """(what, source, binding) for every operand kind of the language."""
    return [
        ("plain", '"ab"', ATOM),
        ("one name char", '"a"', ATOM),
        ("non-identifier", '"a b"', ATOM),
        ("one punctuation", '"!"', ATOM),
        ("one latin-1", lit("\xe9"), ATOM),
        ("one beyond latin-1", lit("\u20ac"), ATOM),
        ("non-ASCII", lit("caf\xe9"), ATOM),
        ("empty", '""', ATOM),
        ("f-string", 'f"ab"', ATOM),
        ("f-string, non-identifier", 'f"a b"', ATOM),
        ("f-string, empty", 'f""', ATOM),
        ("implicit concatenation", '"ab" "cd"', ATOM),
        ("% result", '"%s" % "ab"', PRODUCT),
        ("% result, non-identifier", '"%s" % "a b"', PRODUCT),
        ("% result, built", '"%s!" % "ab"', PRODUCT),
        ("% result, empty", '"%s" % ""', PRODUCT),
        ("folded", '"ab" * 2', PRODUCT),
        ("folded, non-identifier", '"a b" * 2', PRODUCT),
        ("folded once", '"a b" * 1', PRODUCT),
        ("folded sum", '"a" + "b"', SUM),
        ("folded sum, non-identifier", '"a" + " b"', SUM),
        ("name", "(lambda: ab).__code__.co_names[0]", ATOM),
        ("lambda result", '(lambda: "a b")()', ATOM),
        ("lambda result, identifier", '(lambda: "ab")()', ATOM),
        ("run-time", '"ab".upper()', ATOM),
        ("run-time, one char", "str(7)", ATOM),
    ]


def bind(src, binding, most):
    """src bracketed if it binds more loosely than most allows."""
    return src if binding <= most else "(" + src + ")"


def operator_probes(kinds):
    """Every operator with every operand kind, on both sides."""
    p = []
    others = [k for k in kinds
              if k[0] in ("plain", "non-identifier", "empty", "f-string")]
    for what, src, b in kinds:
        for n in (-1, 0, 1, 2, 3):
            p.append(("%s * %d" % (bind(src, b, PRODUCT), n), what + " * N"))
        for _ow, osrc, ob in others:
            p.append((bind(src, b, SUM) + " + " + bind(osrc, ob, PRODUCT),
                      what + " + X"))
            p.append((bind(osrc, ob, SUM) + " + " + bind(src, b, PRODUCT),
                      "X + " + what))
        p.append(('"%s" % ' + bind(src, b, ATOM), "%s of " + what))
        p.append(('"%s!" % ' + bind(src, b, ATOM), "%s! of " + what))
        p.append(('"%%%s" % ' + bind(src, b, ATOM), "%%%s of " + what))
        p.append(("(lambda: %s)()" % src, what + " in a lambda"))
        p.append(("str(%s)" % src, "str() of " + what))
        p.append(("(%s)" % src, what + " in brackets"))
        if what not in ("one latin-1", "one beyond latin-1", "non-ASCII"):
            p.append((bind(src, b, ATOM) + ".upper()", "upper() of " + what))
    return p


def limit_probes():
    """Repetition and concatenation at the lengths around each limit."""
    p = []
    bases = [("K", '"K"', 1, ATOM), ("ab", '"ab"', 2, ATOM),
             ("a b", '"a b"', 3, ATOM), ("e-acute", lit("\xe9"), 1, ATOM),
             ("euro", lit("\u20ac"), 1, ATOM), ("f-string", 'f"ab"', 2, ATOM),
             ("% result", '"%s" % "ab"', 2, PRODUCT),
             ("folded", '"ab" * 2', 4, PRODUCT),
             ("lambda", '(lambda: "ab")()', 2, ATOM)]
    for what, src, n, b in bases:
        for limit in FOLD_LIMITS:
            for count in (limit // n, limit // n + 1):
                p.append(("%s * %d" % (bind(src, b, PRODUCT), count),
                          "%s repeated to %d" % (what, count * n)))
    for count in (19, 20, 21, 4095, 4096, 4097):
        p.append(('"K" * %d + "K"' % count, "+ after a repeat"))
        p.append(('"K" + "K" * %d' % count, "+ before a repeat"))
        p.append(('"a b" + "K" * %d' % count, "+ of non-name chars"))
        p.append(('"K" * %d + ""' % count, "+ of the empty string"))
        p.append(('(lambda: "K" * %d)()' % count, "repeat in a lambda"))
    for n in (20, 21, 4096, 4097):
        p.append((lit("a" * n) + ' * 1', "long literal once"))
        p.append((lit("a" * n) + ' + ""', "long literal + empty"))
        p.append((lit("a" * (n - 1) + " ") + ' * 1', "long non-name once"))
        p.append((lit("a" * (n - 1) + " ") + ' + ""', "long non-name + empty"))
    return p


def singleton_probes():
    """A one-character result built at run time is the singleton; is it
    the interned instance? (not where a static identifier of the same
    value was interned first: 3.11, 3.12)"""
    p = []
    for o in list(range(0x20, 0x7F)) + [0x80, 0xA0, 0xE9, 0xFF]:
        c = chr(o)
        fmt = "%%" if c == "%" else c
        p.append((py_literal("%s" + fmt) + ' % ""', "run-time one char"))
    for n in (-6, -5, 0, 256, 257, 1024):
        p.append(("(%d)" % n, "int in brackets"))
        p.append(("(lambda: %d)()" % n, "int in a lambda"))
        p.append(("str(%d)" % n, "str() of an int"))
    # int_max_str_digits: a SyntaxError from 3.7.14, a number on 3.6
    for digits in (4300, 4301):
        p.append(("1" * digits, "a long int literal"))
        p.append(("str(-%s)" % ("1" * digits), "str() of a long int"))
    return p


def generated_probes():
    """The systematic probes (see the file's header)."""
    return (operator_probes(operand_kinds()) + limit_probes() +
            singleton_probes())


def rejected_probes():
    """Expressions CPython rejects, each a kind the C model must refuse."""
    return [(e, "rejected") for e in [
        "(lambda: 1a).__code__.co_names[0]",
        "(lambda: if).__code__.co_names[0]",
        "(lambda: None).__code__.co_names[0]",
        "(lambda: __debug__).__code__.co_names[0]",
        "(lambda: async).__code__.co_names[0]",  # a name on 3.6
        "(lambda: await).__code__.co_names[0]",  # a name on 3.6
        "(lambda: a\u20ac).__code__.co_names[0]",
        "(lambda: abc)()",
        ' "ab"',
        '"ab',
        '"a\\x4"',
        '"\\U00110000"',
        '"\\N{NO SUCH NAME}"',
        '"a\rb"',
        '"a\x00b"',
        '"a\udcffb"',
        "007",
        '"a" * 007',
        '"a" * 99999999999999999999',
        '"" * -99999999999999999999',
        '"%s %s" % "a"',
        '"%d" % "a"',
        '"%" % "a"',
        '"ab" % "c"',
        '"a" + 1',
        '1 + "a"',
        '-"a"',
        '"a" * "b"',
        'f"{"',
        'f"}"',
        'f"{x}"',
        '("a") "b"',
        '"a" ("b")',
        '(lambda: "a")()()',
        '"a".upper(1)',
        "(5).upper()",
    ]]


# ---------------------------------------------------------------- recording


def fresh_copy(s):
    """An equal string built at run time, never through the interning
    machinery (only the empty and one-latin-1 singletons come back)."""
    return s.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")


def tf(flag):
    return "T" if flag else "F"


def probe(expr):
    try:
        code1 = compile(expr, "<probe-1>", "eval")
        code2 = compile(expr, "<probe-2>", "eval")
        a = eval(code1, {})
        b = eval(code2, {})
        unit_src = "a = %s\nb = %s\n" % (expr, expr)
        ns = {}
        exec(compile(unit_src, "<probe-unit>", "exec"), ns)
    except Exception:
        # compile() raises SyntaxError, ValueError (a NUL) or
        # UnicodeEncodeError (a lone surrogate); running raises the rest
        return "E", "E", "E"
    separate = a is b
    unit = ns["a"] is ns["b"]
    if type(a) is str:
        interned = tf(sys.intern(fresh_copy(a)) is a)
    else:
        interned = "-"
    return tf(separate), tf(unit), interned


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = os.path.join(here, "cpython")
    cases_dir = os.path.join(os.path.dirname(here), "cases")
    to_stdout = False
    args = list(argv[1:])
    while args:
        a = args.pop(0)
        if a in ("-h", "--help"):
            sys.stdout.write(
                "usage: record-cpython.py [--out DIR] [--cases DIR] "
                "[--stdout]\n"
                "Records this interpreter's interning of probes as "
                "DIR/MAJOR.MINOR.tsv\n"
                "(default DIR: cpython/ beside this script; cases from "
                "../cases).\n")
            return 0
        elif a == "--out" and args:
            out_dir = args.pop(0)
        elif a == "--cases" and args:
            cases_dir = args.pop(0)
        elif a == "--stdout":
            to_stdout = True
        else:
            die("bad argument '%s' (try --help)" % a)
    if sys.version_info < (3, 6):
        die("needs CPython 3.6 or later, this is %s" %
            sys.version.split()[0])
    impl = getattr(sys, "implementation", None)
    if impl is None or impl.name != "cpython":
        die("needs CPython, this is %s" % (impl.name if impl else "unknown"))
    try:
        probes = (fixed_probes() + drawn_probes(cases_dir) +
                  generated_probes() + rejected_probes())
    except (CaseError, IOError, OSError) as e:
        die(str(e))
    version = "%d.%d" % sys.version_info[:2]
    rows = [FORMAT_LINE.encode("ascii"),
            ("# python: %s" % " ".join(sys.version.split())).encode("utf-8"),
            b"# columns: probe, separately compiled identical, identical "
            b"in one unit, interned instance (E: CPython rejects the probe)"]
    # the probes that raise SyntaxWarning (3.8 on: '"a" ("b")') need not
    # say so on every recording
    warnings.simplefilter("ignore")
    seen = set()
    for expr, _why in probes:
        if expr in seen:
            continue
        seen.add(expr)
        sep, unit, interned = probe(expr)
        rows.append(tsv_escape(expr) + b"\t" +
                    ("%s\t%s\t%s" % (sep, unit, interned)).encode("ascii"))
    data = b"\n".join(rows) + b"\n"
    if to_stdout:
        out = getattr(sys.stdout, "buffer", sys.stdout)
        out.write(data)
        return 0
    if not os.path.isdir(out_dir):
        os.makedirs(out_dir)
    path = os.path.join(out_dir, version + ".tsv")
    with open(path, "wb") as f:
        f.write(data)
    sys.stderr.write("record-cpython.py: %d probes -> %s\n" %
                     (len(rows) - 3, path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
