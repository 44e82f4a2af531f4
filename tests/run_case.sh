#!/bin/sh
# Runs one end-to-end case: tests/cases/NAME/ holds
#   cmd            the iprcheck arguments, one line, shell words
#   stdin          optional: fed to standard input (else /dev/null)
#   expected.out   exact standard output
#   expected.err   optional: exact standard error
#   expected.exit  the exit status
# The case runs with the case folder as working directory.  Set
# IPR_UPDATE_GOLDEN=1 to rewrite the expectations on purpose (review the diff).
# Usage: run_case.sh /path/to/iprcheck /path/to/case
set -u
bin=$1
case_dir=$2
cd "$case_dir" || exit 2
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
input=/dev/null
[ -f stdin ] && input=stdin
unset NO_COLOR
# shellcheck disable=SC2046
eval "set -- $(cat cmd)"
"$bin" "$@" <"$input" >"$out" 2>"$err"
rc=$?
if [ "${IPR_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$out" expected.out
    echo "$rc" > expected.exit
    [ -f expected.err ] && cp "$err" expected.err
    exit 0
fi
fail=0
if ! diff -u expected.out "$out"; then
    echo "FAIL: standard output differs"; fail=1
fi
if [ -f expected.err ] && ! diff -u expected.err "$err"; then
    echo "FAIL: standard error differs"; fail=1
fi
want=$(cat expected.exit)
if [ "$rc" != "$want" ]; then
    echo "FAIL: exit status $rc, expected $want"; cat "$err"; fail=1
fi
exit $fail
