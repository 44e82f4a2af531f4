#!/bin/sh
# The prefiltered engine must report exactly what the naive engine reports
# (every regex and term list run on every field), on real exports and on a
# generated catalogue full of near misses.
# Usage: diff_engines.sh IPRCHECK DATA_DIR WORK_DIR
set -u
bin=$1
data=$2
work=$3
mkdir -p "$work"
fail=0
compare() {
    name=$1
    shift
    "$bin" scan -j 2 -f jsonl "$@" >"$work/$name.prefilter" 2>/dev/null
    "$bin" scan -j 2 --engine naive -f jsonl "$@" >"$work/$name.naive" 2>/dev/null
    lines=$(wc -l <"$work/$name.naive")
    findings=$(grep -o '"rule":' "$work/$name.naive" | wc -l)
    if cmp -s "$work/$name.prefilter" "$work/$name.naive" && [ "$lines" -gt 0 ]; then
        echo "same: $name ($lines records, $findings findings)"
    else
        echo "DIFFERENT: $name"
        diff "$work/$name.naive" "$work/$name.prefilter" | head -5
        fail=1
    fi
}
for f in wdc-products/tableA.csv wdc-products/tableB.csv flipkart/flipkart_20k_prices_brand.csv \
         etsy-api-listings/etsy_shop_42379264_listings.csv etsy-api-listings/AcmeCufflinks.csv \
         amazon-promptcloud-2020/amazon_products_sample_1000.csv \
         aliexpress-search/aliexpress_products.csv counterfeit-synthetic/counterfeit_products.csv \
         amazon-flatfile-uk/amazon_upload_december_2021.csv woocommerce-sample/sample_products.csv; do
    if [ ! -f "$data/$f" ]; then
        echo "missing: $data/$f"
        fail=1
        continue
    fi
    file=$(echo "$f" | tr '/' '_')
    compare "$file" "$data/$f"
    # regexes whose literals all start a word (the prefilter then looks only
    # where words start), and regexes with declared keywords
    compare "$file.word-starts" --no-default-rules -r "$(dirname "$0")/word_starts.yaml" "$data/$f"
    compare "$file.keywords" --no-default-rules -r "$(dirname "$0")/keywords.yaml" "$data/$f"
done
# generated: every word of the built-in term lists and marks, in near-miss
# contexts (attached to letters, digits, CJK, punctuation, case changes)
python3 "$(dirname "$0")/gen_near_misses.py" "$(dirname "$0")/../../rules" >"$work/near.jsonl"
compare generated "$work/near.jsonl"
compare generated.word-starts --no-default-rules -r "$(dirname "$0")/word_starts.yaml" "$work/near.jsonl"
exit $fail
