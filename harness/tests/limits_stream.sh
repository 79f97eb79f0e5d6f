#!/bin/sh
# limits_stream.sh: COUNT strings stream through the case reader from a
# pipe, in --lines mode and as a case file with escapes, while the
# reader's peak RSS stays flat (test_case_stream checks it).
#
#   limits_stream.sh TEST_CASE_STREAM COUNT
set -u
bin=$1
count=$2
fail=0
yes | head -n "$count" | "$bin" lines "$count" || fail=1
{
    echo '# internbench case v1'
    echo '# name: stream'
    yes 'a\x41b' | head -n "$count"
} | "$bin" case "$count" || fail=1
exit $fail
