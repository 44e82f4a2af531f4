#!/bin/sh
# Baselines end to end, with the built program and the small packs beside
# this script:
#   1. a scan writes a baseline of its findings (stable bytes, sorted);
#   2. the same catalogue re-sorted, with lines moved, and re-exported as
#      JSON Lines, scanned with that baseline: no finding, exit 0, and the
#      number hidden on standard error;
#   3. a new risky word added to an old listing: exactly that one finding;
#   4. --fail-on counts only what the baseline left;
#   5. a damaged baseline stops the run with file:line:col (exit 2).
# Usage: baseline.sh IPRCHECK
set -u
bin=$1
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

fail() {
    echo "FAIL: $*"
    exit 1
}

scan() {
    "$bin" scan --no-default-rules -r "$here/marketing.yaml" -r "$here/payment.yaml" "$@"
}

# the fingerprints in a jsonl report, sorted and unique
fingerprints() {
    grep -o '"fingerprint":"[0-9a-f]*"' "$1" | cut -d'"' -f4 | sort -u
}

cp "$here/catalog.csv" catalog.csv

# 1. write
scan -f jsonl -q --write-baseline base.txt catalog.csv >first.jsonl 2>first.err
rc=$?
[ "$rc" = 1 ] || fail "first scan exit $rc, expected 1"
[ "$(fingerprints first.jsonl | wc -l)" = 7 ] || fail "expected 7 findings in the first scan"
grep -v '^#' base.txt >base.fps
fingerprints first.jsonl | cmp -s - base.fps || fail "the baseline is not the sorted fingerprints"
[ "$(grep -c '^#' base.txt)" -ge 1 ] || fail "the baseline has no header comment"
grep -q '[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]' base.txt && fail "the baseline carries a date"
scan -f jsonl -q --write-baseline base2.txt catalog.csv >/dev/null 2>&1
cmp -s base.txt base2.txt || fail "two baselines of the same scan differ"

# 2. re-sorted (reverse order, a blank line shifts every line), then as JSON Lines
{
    head -n 1 catalog.csv
    echo
    tail -n +2 catalog.csv | sort -r
} >resorted.csv
scan -f jsonl -q --baseline base.txt resorted.csv >resorted.jsonl 2>resorted.err
rc=$?
[ "$rc" = 0 ] || fail "re-sorted scan exit $rc, expected 0"
[ "$(fingerprints resorted.jsonl | wc -l)" = 0 ] || fail "findings came back after re-sorting"
grep -qx 'iprcheck: 7 findings suppressed (7 by the baseline, 0 by suppressions)' resorted.err ||
    fail "no suppressed count on standard error: $(cat resorted.err)"
tail -n +2 catalog.csv | while IFS=, read -r sku title description price; do
    printf '{"price": %s, "description": "%s", "title": "%s", "sku": "%s"}\n' \
        "$price" "$description" "$title" "$sku"
done >catalog.jsonl
scan -f jsonl -q catalog.jsonl >jsonl-all.out 2>/dev/null
fingerprints jsonl-all.out | cmp -s - base.fps || fail "the JSON Lines export has other fingerprints"
scan -f jsonl -q --baseline base.txt catalog.jsonl >jsonl.out 2>/dev/null
rc=$?
[ "$rc" = 0 ] || fail "re-exported scan exit $rc, expected 0"
[ "$(grep -c . jsonl.out)" = 6 ] || fail "the JSON Lines export did not give 6 records"

# 3. one new word in an old listing: that finding and no other
sed 's/^SKU-005,Wool socks,/SKU-005,Wool socks replica,/' resorted.csv >changed.csv
cmp -s resorted.csv changed.csv && fail "the test edit did not apply"
scan -f jsonl -q --baseline base.txt changed.csv >changed.jsonl 2>/dev/null
rc=$?
[ "$rc" = 1 ] || fail "changed scan exit $rc, expected 1"
[ "$(grep -o '"rule":"[^"]*"' changed.jsonl | wc -l)" = 1 ] || fail "expected exactly 1 finding"
grep -q '"key":"SKU-005".*"rule":"T-COUNTERFEIT".*"matched":"replica"' changed.jsonl ||
    fail "the new finding is not SKU-005's 'replica'"

# 4. --fail-on sees only what is left: the new finding is critical
scan -q --baseline base.txt --fail-on critical changed.csv >/dev/null 2>&1
[ $? = 1 ] || fail "--fail-on critical should fail on the new critical finding"
scan -q --baseline base.txt --fail-on low resorted.csv >/dev/null 2>&1
[ $? = 0 ] || fail "--fail-on low should pass when everything is in the baseline"

# 5. a damaged baseline
printf '# mine\n0123456789abcdef\nnot-a-fingerprint\n' >bad.txt
scan -q --baseline bad.txt catalog.csv >bad.out 2>bad.err
rc=$?
[ "$rc" = 2 ] || fail "damaged baseline exit $rc, expected 2"
grep -qx 'iprcheck: bad.txt:3:1: error: expected one fingerprint (16 hex digits) per line' bad.err ||
    fail "damaged baseline message: $(cat bad.err)"
[ -s bad.out ] && fail "a run that could not start printed a report"
scan -q --baseline missing.txt catalog.csv >/dev/null 2>&1
[ $? = 2 ] || fail "a missing baseline should stop the run"
echo "ok: baseline flow"
exit 0
