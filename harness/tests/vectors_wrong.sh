#!/bin/sh
# vectors_wrong.sh: a test of the test. A copy of a correct .vec with one
# field changed must make `internbench verify` fail with exit 1 and name
# the case, the table (or the vector itself) and the field; a malformed .vec must give exit 2;
# the untouched copy must pass.
#
#   vectors_wrong.sh INTERNBENCH SOURCE_DIR
set -u
bin=$1
src=$2
case_name=cpython-limits
[ -f "$src/cases/$case_name.case" ] || case_name=gen-cpython-limits
vec="$src/vectors/cases/$case_name.vec"
[ -f "$vec" ] || { echo "no $vec" >&2; exit 2; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0

run() { # expected-status field-name-or-empty
    want=$1
    field=$2
    "$bin" verify --cases-dir "$src/cases" --vectors-dir "$tmp" "$case_name" \
        >"$tmp/out" 2>&1
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $3: exit $got, want $want"
        cat "$tmp/out"
        fail=1
    elif [ -n "$field" ] &&
        ! grep -Eq "MISMATCH case $case_name, (table [^:]*|vector): $field: expected" \
            "$tmp/out"; then
        echo "FAIL: $3: no MISMATCH line naming $field"
        cat "$tmp/out"
        fail=1
    else
        echo "ok: $3 (exit $got)"
    fi
}

cp "$vec" "$tmp/$case_name.vec"
run 0 "" "the committed vector passes"

# one field changed at a time: each must be caught, by name
for field in unique unique_bytes digest class.name_chars class.utf8; do
    awk -v f="$field" 'BEGIN { FS = OFS = ": " }
        $1 == f && f == "digest" { $2 = ($2 == "0000000000000000") ? "0000000000000001" : "0000000000000000" }
        $1 == f && f != "digest" { $2 = $2 + 1 }
        { print }' "$vec" >"$tmp/$case_name.vec"
    cmp -s "$vec" "$tmp/$case_name.vec" && { echo "FAIL: $field not changed"; fail=1; }
    run 1 "$field" "$field changed by one"
done

# malformed or missing vectors are bad input, not a mismatch
grep -v '^digest:' "$vec" >"$tmp/$case_name.vec"
run 2 "" "a vector without its digest"
sed 's/^unique: /uniq: /' "$vec" >"$tmp/$case_name.vec"
run 2 "" "a vector with an unknown key"
rm -f "$tmp/$case_name.vec"
run 2 "" "no vector at all"
exit $fail
