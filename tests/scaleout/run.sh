#!/bin/sh
# The scale-out recipes of docs/scale-out.md checked against one process on
# the same listings: GNU parallel over blocks of one file, sharding by record
# key (three shards, two input orders), and a consumer that stops reading
# early (`head`).  The `line-buffered` mode checks what --line-buffered
# promises on top: each record's line leaves before the next record arrives,
# and a closed pipe still ends the run quietly.
# Usage: run.sh IPRCHECK WORK_DIR [line-buffered]
# Exit 77 (skipped) when GNU parallel or python3 is missing and cannot be
# installed (it is installed with apt-get when running as root).
set -u
bin=$1
work=$2
mode=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
records=3000

need_tool() { # command debian-package
    command -v "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" \
            >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" \
                >/dev/null 2>&1; }
    fi
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "skipped: '$1' is missing (apt-get install $2)"
    exit 77
}
need_tool python3 python3
[ "$mode" = line-buffered ] || need_tool parallel parallel

rm -rf "$work"
mkdir -p "$work/ptmp" || exit 2
cd "$work" || exit 2
fail=0
ok() { echo "ok: $*"; }
bad() {
    echo "FAIL: $*"
    fail=1
}
positions() { # drop the block-relative position fields
    sed -E 's/"line":[0-9]+,"index":[0-9]+,//g' "$1"
}
keys() { # record keys of a jsonl report, in order
    sed -E 's/^\{"key":"([^"]*)".*/\1/' "$1"
}

python3 "$here/gen_listings.py" $records input.jsonl shuffled.jsonl || exit 2
sed -E 's/^\{"sku":"([^"]*)".*/\1/' input.jsonl >input.keys

# One process: one line per record, in input order; summary on stderr.
"$bin" scan --format jsonl --line-buffered - <input.jsonl >single.jsonl 2>single.err
rc=$?
flagged=$(grep -c '"status":"flagged"' single.jsonl)
if [ $rc -le 1 ] && [ "$(wc -l <single.jsonl)" -eq $records ] &&
    keys single.jsonl | cmp -s - input.keys && [ "$flagged" -gt 0 ] && [ "$flagged" -lt $records ]
then
    ok "one process: $records lines in input order, $flagged flagged"
else
    bad "one process: exit $rc, $(wc -l <single.jsonl) lines, $flagged flagged"
fi
if [ "$(wc -l <single.err)" -eq 1 ] && grep -q "^{\"records\":$records," single.err; then
    ok "summary: one JSON line on stderr"
else
    bad "summary on stderr:"
    head -n 5 single.err
fi

if [ "$mode" != line-buffered ]; then
    # The GNU parallel recipe of docs/scale-out.md, with small blocks so that
    # a few thousand records make many: order kept, and only status 2 (could
    # not run) stops the job; 1 (findings) and 3 (error records) are results.
    parallel --will-cite --tmpdir "$work/ptmp" --pipe -k --block 64k --halt now,fail=1 \
        "'$bin' scan --format jsonl --line-buffered -j 1 -; test \$? -ne 2" \
        <input.jsonl >parallel.jsonl 2>parallel.err
    rc=$?
    blocks=$(grep -c '^{"records":' parallel.err)
    positions single.jsonl >single.nopos
    positions parallel.jsonl >parallel.nopos
    if [ $rc -eq 0 ] && [ "$blocks" -gt 1 ] && cmp -s single.nopos parallel.nopos; then
        ok "parallel --pipe -k over $blocks blocks equals one process"
    else
        bad "parallel --pipe -k: exit $rc, $blocks blocks"
        diff single.nopos parallel.nopos | head -n 5 | cut -c1-200
        grep -v '^{"records":' parallel.err | head -n 5 | cut -c1-200
    fi
    if [ -z "$(ls -A "$work/ptmp")" ]; then
        ok "no files left behind"
    else
        bad "files left in the temporary folder"
    fi

    # The wrapper of docs/scale-out.md, as printed there: the same lines as
    # one process, status 0 despite findings, the summary as Hadoop counters,
    # and status 2 kept when iprcheck cannot run.
    awk '/<!-- iprcheck-filter.sh -->/ { on = 1; next }
         on && /^```sh/ { body = 1; next }
         body && /^```/ { exit }
         body { print }' "$here/../../docs/scale-out.md" >iprcheck-filter.sh
    IPRCHECK=$bin sh iprcheck-filter.sh <input.jsonl >filter.jsonl 2>filter.err
    rc=$?
    if [ -s iprcheck-filter.sh ] && [ $rc -eq 0 ] && cmp -s single.jsonl filter.jsonl &&
        grep -qx "reporter:counter:iprcheck,records,$records" filter.err &&
        grep -qx "reporter:counter:iprcheck,flagged,$flagged" filter.err &&
        [ "$(grep -cv '^reporter:counter:' filter.err)" -eq 0 ]; then
        ok "iprcheck-filter.sh: same lines, exit 0, summary as counters"
    else
        bad "iprcheck-filter.sh: exit $rc"
        head -n 5 filter.err
    fi
    IPRCHECK=$bin sh iprcheck-filter.sh --trademarks "$work/missing.yaml" <input.jsonl \
        >/dev/null 2>filter2.err
    rc=$?
    if [ $rc -eq 2 ] && grep -q missing.yaml filter2.err; then
        ok "iprcheck-filter.sh: status 2 and the message when iprcheck cannot run"
    else
        bad "iprcheck-filter.sh with a missing registry: exit $rc"
    fi

    # Sharding: three shards together are the whole run, in either order,
    # and a record lands in the same shard whatever its position.
    for order in input shuffled; do
        "$bin" scan --format jsonl - <$order.jsonl 2>/dev/null | sort >$order.full
        for i in 0 1 2; do
            if [ $i -eq 2 ]; then # the index Kubernetes indexed jobs give
                JOB_COMPLETION_INDEX=2 "$bin" scan --format jsonl --shard-count 3 - \
                    <$order.jsonl >$order.shard$i 2>/dev/null
            else
                "$bin" scan --format jsonl --shard-count 3 --shard-index $i - \
                    <$order.jsonl >$order.shard$i 2>/dev/null
            fi
            keys $order.shard$i | sort >$order.keys$i
        done
        sort $order.shard0 $order.shard1 $order.shard2 >$order.union
        if [ -s $order.shard0 ] && [ -s $order.shard1 ] && [ -s $order.shard2 ] &&
            [ "$(wc -l <$order.full)" -eq $records ] && cmp -s $order.union $order.full; then
            ok "3 shards of $order.jsonl: union equals the full run"
        else
            bad "3 shards of $order.jsonl: union differs from the full run"
            diff $order.full $order.union | head -n 5 | cut -c1-200
        fi
    done
    for i in 0 1 2; do
        if cmp -s input.keys$i shuffled.keys$i; then
            ok "shard $i holds the same records in both orders"
        else
            bad "shard $i depends on the input order"
        fi
    done
    buffered=
else
    # A record's line is written before the next record arrives: the writer
    # sends one record and holds standard input open until the line shows up
    # (or 200 polls have passed), so the verdict does not depend on load.
    head -n 1 input.jsonl >one.jsonl
    : >trickle.out
    # shellcheck disable=SC2094 # polling the filter's output is the point
    {
        cat one.jsonl
        n=0
        while [ $n -lt 200 ] && ! [ -s trickle.out ]; do
            sleep 0.1
            n=$((n + 1))
        done
        if [ -s trickle.out ]; then echo early; else echo late; fi >trickle.verdict
    } | "$bin" scan --format jsonl --line-buffered - >trickle.out 2>/dev/null
    if [ "$(cat trickle.verdict)" = early ]; then
        ok "--line-buffered: a record's line leaves while input is still open"
    else
        bad "--line-buffered: a record's line waits for more input or its end"
    fi
    buffered=--line-buffered
fi

# A consumer that stops early: the run ends without an error message.
i=0
while [ $i -lt 20 ]; do
    cat input.jsonl
    i=$((i + 1))
done >big.jsonl
{
    "$bin" scan --format jsonl $buffered - <big.jsonl 2>head.err
    echo $? >head.rc
} | head -n 5 >head.out
rc=$(cat head.rc)
if [ "$(wc -l <head.out)" -eq 5 ] && [ "$rc" -le 1 ] && ! grep -qv '^{"records":' head.err; then
    ok "scan ${buffered:+$buffered }| head -n 5: quiet end (exit $rc)"
else
    bad "scan ${buffered:+$buffered }| head -n 5: exit $rc, stderr:"
    head -n 5 head.err
fi
exit $fail
