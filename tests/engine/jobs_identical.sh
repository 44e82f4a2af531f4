#!/bin/sh
# Every job count gives the same bytes: the pushing thread scans batches
# itself while it would otherwise wait, so batches finish out of order on
# any number of threads and must still be delivered in input order.  Real
# exports large enough for many batches, read from a file and from a pipe,
# and record by record (--line-buffered).
# Usage: jobs_identical.sh IPRCHECK DATA_DIR WORK_DIR
set -u
bin=$1
data=$2
work=$3
mkdir -p "$work"
fail=0
for f in flipkart/flipkart_20k_prices_brand.csv amazon-promptcloud-2020/amazon_products_sample_1000.csv; do
    if [ ! -f "$data/$f" ]; then
        echo "missing: $data/$f"
        fail=1
        continue
    fi
    name=$(echo "$f" | tr '/' '_')
    "$bin" scan -j 1 -f jsonl "$data/$f" >"$work/$name.j1" 2>/dev/null
    records=$(wc -l <"$work/$name.j1")
    if [ "$records" -lt 500 ]; then
        echo "too few records in $f: $records"
        fail=1
    fi
    for run in "-j 2" "-j 3" "-j 5" "-j 2 --line-buffered" "-j 3 stdin"; do
        case $run in
        *stdin) "$bin" scan ${run% stdin} -f jsonl --input-format csv - <"$data/$f" \
                    2>/dev/null | sed 's/"file":"[^"]*"/"file":"X"/g' >"$work/$name.out"
                sed 's/"file":"[^"]*"/"file":"X"/g' "$work/$name.j1" >"$work/$name.want" ;;
        *) "$bin" scan $run -f jsonl "$data/$f" >"$work/$name.out" 2>/dev/null
           cp "$work/$name.j1" "$work/$name.want" ;;
        esac
        if cmp -s "$work/$name.want" "$work/$name.out"; then
            echo "same: $f with $run ($records records)"
        else
            echo "DIFFERENT: $f with $run"
            diff "$work/$name.want" "$work/$name.out" | head -5
            fail=1
        fi
    done
done
exit $fail
