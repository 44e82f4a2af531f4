#!/bin/sh
# Real exports parse completely through the program: with --format json the
# summary counts every record and no error record.
# Usage: counts.sh IPRCHECK DATA_DIR
set -u
bin=$1
data=$2
fail=0
check() {
    file=$1
    want=$2
    summary=$("$bin" scan -q -f json --stage payment "$data/$file" 2>/dev/null |
        python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print(s["records"], s["error"])')
    if [ "$summary" = "$want 0" ]; then
        echo "ok: $file: $want records, 0 error records"
    else
        echo "FAIL: $file: got 'records error' = '$summary', want '$want 0'"
        fail=1
    fi
}
check flipkart/flipkart_20k_prices_brand.csv 20000
check etsy-api-listings/etsy_shop_42379264_listings.csv 1100
check amazon-promptcloud-2020/amazon_products_sample_1000.csv 1000
check aliexpress-search/aliexpress_products.csv 525
check wdc-products/tableA.csv 5000
check amazon-flatfile-uk/amazon_upload_december_2021.csv 1619
exit $fail
