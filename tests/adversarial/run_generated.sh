#!/bin/sh
# Runs one generated adversarial case: tests/cases/NAME/ holds
#   generate       shell commands that write the big inputs into the current
#                  folder ($GEN runs tests/adversarial/gen.py)
#   run            shell commands run after it, standard input /dev/null;
#                  $IPRCHECK is the program, $ADV this folder (packs/)
#   budget         optional: `seconds=S rss_mb=M`, limits for `run`: CPU
#                  seconds (user + system) and peak resident memory
#   expected.out, expected.exit, optional expected.err: as for run_case.sh
# Both run in a fresh temporary folder holding a copy of the case folder.
# Every report summary in the output must add up (check_accounting.py).
# Under sanitizers (IPR_SANITIZE_BUILD=1) time budgets are multiplied by 20
# and memory budgets are not checked.  IPR_UPDATE_GOLDEN=1 rewrites the
# expectations (review the diff).
# Usage: run_generated.sh /path/to/iprcheck /path/to/case
set -u
IPRCHECK=$1
case_dir=$(cd "$2" && pwd) || exit 2
adv=$(cd "$(dirname "$0")" && pwd)
ADV=$adv
GEN="python3 $adv/gen.py"
export IPRCHECK ADV GEN
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
# the case runs in $work/case; its captured output stays beside it
mkdir "$work/case" && cp -R "$case_dir"/. "$work/case"/ || exit 2
cd "$work/case" || exit 2
unset NO_COLOR
if [ -f generate ] && ! sh ./generate; then
    echo "FAIL: the generator failed"; exit 1
fi
python3 "$adv/measure.py" ../measured /dev/null ../out ../err -- sh ./run || exit 2
cd "$work" || exit 2
read -r seconds rss_kb rc < measured
if [ "${IPR_UPDATE_GOLDEN:-}" = 1 ]; then
    cp out "$case_dir/expected.out"
    echo "$rc" > "$case_dir/expected.exit"
    [ -f case/expected.err ] && cp err "$case_dir/expected.err"
    exit 0
fi
fail=0
if ! diff -u case/expected.out out; then
    echo "FAIL: standard output differs"; fail=1
fi
if [ -f case/expected.err ] && ! diff -u case/expected.err err; then
    echo "FAIL: standard error differs"; fail=1
fi
want=$(cat case/expected.exit)
if [ "$rc" != "$want" ]; then
    echo "FAIL: exit status $rc, expected $want"; head -c 2000 err; fail=1
fi
if ! python3 "$adv/check_accounting.py" out err; then
    echo "FAIL: a summary does not add up"; fail=1
fi
if [ -f case/budget ]; then
    max_s=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' case/budget)
    max_mb=$(sed -n 's/.*rss_mb=\([0-9]*\).*/\1/p' case/budget)
    scale=1
    [ "${IPR_SANITIZE_BUILD:-0}" = 1 ] && scale=20
    if [ -n "$max_s" ] && ! awk "BEGIN { exit !($seconds <= $max_s * $scale) }"; then
        echo "FAIL: took ${seconds} s of CPU, budget ${max_s} s (x$scale)"; fail=1
    fi
    if [ -n "$max_mb" ] && [ "${IPR_SANITIZE_BUILD:-0}" != 1 ] &&
        [ "$rss_kb" -gt $((max_mb * 1024)) ]; then
        echo "FAIL: peak RSS ${rss_kb} KB, budget ${max_mb} MB"; fail=1
    fi
fi
echo "CPU ${seconds} s, peak RSS ${rss_kb} KB, exit $rc"
exit $fail
