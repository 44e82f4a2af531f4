#!/bin/sh
# Several reports from one scan (--report FORMAT=FILE), end to end:
#   1. one scan writes every format; each file is byte for byte what a
#      scan with that format as its only report writes, and no temporary
#      file is left behind;
#   2. the reports agree under a baseline and suppressions too, and the
#      exit status counts only what they show;
#   3. an extra report that cannot be written stops the run before it
#      starts (exit 2) and leaves no file; two outputs on one path, an
#      unknown format and a missing file name are usage errors.
# Usage: reports.sh IPRCHECK
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

cp "$here/catalog.csv" catalog.csv
formats="text json jsonl sarif csv junit github"

# 1. every format from one scan, the same bytes as on its own
args=""
for f in $formats; do args="$args --report $f=all.$f"; done
# shellcheck disable=SC2086
scan -f json -o main.json $args catalog.csv missing.csv 2>all.err
rc=$?
[ "$rc" = 3 ] || fail "multi-report scan exit $rc, expected 3 (a missing input)"
for f in $formats; do
    [ -f "all.$f" ] || fail "--report $f was not written"
    scan -f "$f" -o "one.$f" catalog.csv missing.csv 2>/dev/null
    cmp -s "all.$f" "one.$f" || fail "--report $f differs from -f $f"
done
cmp -s main.json all.json || fail "the primary report differs from the extra json report"
for f in *.tmp.*; do [ -e "$f" ] && fail "a temporary file was left behind: $f"; done
grep -q '"findings": 7' main.json || fail "expected 7 findings in the json summary"
[ "$(grep -c '"ruleId"' all.sarif)" = 7 ] || fail "expected 7 SARIF results"
[ "$(grep -c ',T-' all.csv)" = 7 ] || fail "expected 7 finding rows in the csv"
[ "$(grep -c 'title=T-' all.github)" = 7 ] || fail "expected 7 annotations"
[ "$(grep -c . all.jsonl)" = 7 ] || fail "expected 7 jsonl lines (6 records, 1 missing file)"

# 2. filtered findings are filtered in every report and in the exit status:
# the baseline holds every finding but SKU-003's medium one, and the
# suppressions take the two high e-mail findings first
scan -f jsonl -q --write-baseline all.txt catalog.csv >base.jsonl 2>/dev/null
look=$(grep '"key":"SKU-003"' base.jsonl | grep -o '"fingerprint":"[0-9a-f]*"' | cut -d'"' -f4)
[ -n "$look" ] || fail "no finding for SKU-003"
grep -v "$look" all.txt >base.txt
cat >sup.yaml <<'EOF'
suppressions:
  - rule: T-EMAIL
    key: "SKU-*"
    reason: the addresses are the brand owner's support desks
EOF
scan -q -o main.txt --baseline base.txt --suppressions sup.yaml --report json=f.json \
    --report sarif=f.sarif --report csv=f.csv catalog.csv 2>f.err
rc=$?
[ "$rc" = 0 ] || fail "exit $rc with only a medium finding left, expected 0"
grep -qx 'iprcheck: 6 findings suppressed (4 by the baseline, 2 by suppressions)' f.err ||
    fail "suppressed count: $(cat f.err)"
[ "$(grep -c '"rule":' f.json)" = 1 ] || fail "json: expected the one finding left"
grep -q '"rule": "T-LOOKALIKE"' f.json || fail "json: the finding left is not T-LOOKALIKE"
[ "$(grep -c '"ruleId"' f.sarif)" = 1 ] || fail "sarif disagrees with json under filters"
[ "$(grep -c ',T-' f.csv)" = 1 ] || fail "csv disagrees with json under filters"
grep -q '^findings: 1 (critical 0, high 0, medium 1' main.txt || fail "text summary disagrees"
scan -q --baseline base.txt --suppressions sup.yaml --fail-on medium catalog.csv >/dev/null 2>&1
[ $? = 1 ] || fail "--fail-on medium should fail on the medium finding left"

# 3. outputs that cannot be written, and usage errors
scan -q -o main2.txt --report json=nodir/x.json catalog.csv >/dev/null 2>err.txt
rc=$?
[ "$rc" = 2 ] || fail "an unwritable --report should exit 2, not $rc"
grep -q "cannot write 'nodir/x.json'" err.txt || fail "no message for the unwritable report"
[ -e main2.txt ] && fail "the primary report was written although the run did not start"
scan -q -o same.json --report json=same.json catalog.csv >/dev/null 2>err.txt
[ $? = 2 ] && grep -q "two outputs would write 'same.json'" err.txt ||
    fail "-o and --report on one path must be refused"
scan -q --report csv=twice.csv --report json=twice.csv catalog.csv >/dev/null 2>err.txt
[ $? = 2 ] || fail "two --report on one path must be refused"
scan -q --report pdf=x.pdf catalog.csv >/dev/null 2>err.txt
[ $? = 2 ] && grep -q "unknown format 'pdf' in --report" err.txt || fail "unknown --report format"
scan -q --report sarif catalog.csv >/dev/null 2>err.txt
[ $? = 2 ] && grep -q -- "--report needs FORMAT=FILE" err.txt || fail "--report without FILE"
scan -q --report sarif=- catalog.csv >/dev/null 2>err.txt
[ $? = 2 ] || fail "--report to standard output must be refused"
for f in *.tmp.*; do [ -e "$f" ] && fail "a temporary file was left behind: $f"; done
echo "ok: reports flow"
exit 0
