#!/bin/sh
# vectors_live.sh: the live oracle. Re-records the CPython vectors with a
# real interpreter into a temporary folder and compares the rows with the
# committed vectors/cpython/VERSION.tsv (header comments aside).
#
#   vectors_live.sh WHICH SOURCE_DIR
#
# WHICH is "python3" (the system's interpreter: /usr/bin/python3, Debian's,
# else python3 on PATH; compared with the TSV of its own major.minor) or a
# version like 3.9 (the newest pyenv-managed 3.9.x: under `pyenv root`,
# $PYENV_ROOT or ~/.pyenv). Exit 0 on a match, 1 on a difference (printed),
# 2 on bad usage, 77 (CTest's SKIP) when the interpreter is not on this
# machine or no vectors were committed for its version.
set -u
SKIP=77
if [ $# -ne 2 ]; then
    echo "usage: vectors_live.sh python3|X.Y SOURCE_DIR" >&2
    exit 2
fi
which=$1
src=$2
script="$src/vectors/record-cpython.py"
[ -f "$script" ] || { echo "no $script" >&2; exit 2; }

if [ "$which" = python3 ]; then
    if [ -x /usr/bin/python3 ]; then
        python=/usr/bin/python3
    else
        python=$(command -v python3 2>/dev/null) || python=
    fi
    if [ -z "$python" ]; then
        echo "SKIPPED: no python3 on PATH"
        exit $SKIP
    fi
else
    root=
    if command -v pyenv >/dev/null 2>&1; then
        root=$(pyenv root 2>/dev/null) || root=
    fi
    [ -n "$root" ] || root=${PYENV_ROOT:-${HOME:-}/.pyenv}
    python=
    # the newest patch release of $which (versions sorted numerically)
    for dir in $(ls -d "$root/versions/$which".* 2>/dev/null |
                 sort -t. -k3,3n); do
        case ${dir##*/} in
            "$which".[0-9]*) ;;
            *) continue ;;
        esac
        case ${dir##*/} in
            *[!0-9.]*) continue ;; # skip 3.13.0t, 3.12-dev and the like
        esac
        [ -x "$dir/bin/python" ] && python="$dir/bin/python"
    done
    if [ -z "$python" ]; then
        echo "SKIPPED: no CPython $which under $root/versions"
        exit $SKIP
    fi
fi

version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])') || {
    echo "$python does not run" >&2
    exit 1
}
if [ "$which" != python3 ] && [ "$version" != "$which" ]; then
    echo "$python reports $version, not $which" >&2
    exit 1
fi
committed="$src/vectors/cpython/$version.tsv"
if [ ! -f "$committed" ]; then
    echo "SKIPPED: no committed vectors for CPython $version ($committed)"
    exit $SKIP
fi

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
full=$("$python" -c 'import sys; print(" ".join(sys.version.split()))')
echo "interpreter: $python ($full)"
if ! "$python" -I "$script" --out "$tmp" --cases "$src/cases"; then
    echo "record-cpython.py failed under $python" >&2
    exit 1
fi
# sed, not grep: grep prints "binary file matches" instead of the rows of
# a file it takes for binary, and the comparison would pass on nothing
LC_ALL=C sed '/^#/d' "$committed" >"$tmp/want"
LC_ALL=C sed '/^#/d' "$tmp/$version.tsv" >"$tmp/got"
if [ ! -s "$tmp/got" ]; then
    echo "record-cpython.py recorded no rows under $python" >&2
    exit 1
fi
if ! cmp -s "$tmp/want" "$tmp/got"; then
    echo "CPython $version ($python) disagrees with $committed:" >&2
    diff "$tmp/want" "$tmp/got" | cut -c1-300 | head -40 >&2
    exit 1
fi
echo "CPython $version: $(wc -l <"$tmp/got") rows match $committed"
exit 0
