/*
 * test_input_realfiles.c - real marketplace exports, read in place.
 *
 * Each file must give exactly its number of listings and no error record.
 * The field totals (non-empty cells) and the sums of the records' start
 * lines were computed independently with Python's csv module, so a cell
 * dropped or a line miscounted anywhere in a file shows up here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "input/reader.h"

struct expected_file {
    const char *path; /* below the shared data folder */
    uint64_t records;
    uint64_t fields;   /* non-empty cells over all data rows */
    uint64_t line_sum; /* sum of every record's start line */
    uint32_t last_line;
};

struct totals {
    uint64_t records;
    uint64_t errors;
    uint64_t fields;
    uint64_t line_sum;
    uint32_t last_line;
    int format;
};

typedef void (*record_check_fn)(const struct ipr_record *rec);

static const char *value_of(const struct ipr_record *rec, const char *name)
{
    for (size_t i = 0; i < rec->field_count; i++)
        if (strcmp(rec->fields[i].name, name) == 0)
            return rec->fields[i].value;
    return NULL;
}

static void assert_value(const struct ipr_record *rec, const char *name, const char *want)
{
    const char *got = value_of(rec, name);
    if (!got)
        fail_msg("record %llu has no field '%s'", (unsigned long long)rec->index, name);
    assert_string_equal(got, want);
}

static void read_file(const struct expected_file *e, record_check_fn check, struct totals *t)
{
    char path[4096];
    int n = snprintf(path, sizeof(path), "%s/%s", IPR_SHARED_DATA, e->path);
    assert_true(n > 0 && (size_t)n < sizeof(path));
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_path(path, IPR_INPUT_AUTO, &r), IPR_OK);
    memset(t, 0, sizeof(*t));
    t->format = reader_format(r);
    const struct ipr_record *rec;
    ipr_status st;
    while ((st = reader_next(r, &rec)) == IPR_OK) {
        assert_int_equal(rec->index, t->records);
        if (rec->error && t->errors++ < 5)
            print_error("%s line %u: %s\n", e->path, rec->line, rec->error);
        t->records++;
        t->fields += rec->field_count;
        t->line_sum += rec->line;
        t->last_line = rec->line;
        check(rec);
    }
    assert_int_equal(st, IPR_DONE);
    reader_free(r);
}

static void check_file(const struct expected_file *e, record_check_fn check)
{
    struct totals t;
    read_file(e, check, &t);
    assert_int_equal(t.format, IPR_INPUT_CSV);
    assert_int_equal(t.errors, 0);
    assert_int_equal(t.records, e->records);
    assert_int_equal(t.fields, e->fields);
    assert_int_equal(t.line_sum, e->line_sum);
    assert_int_equal(t.last_line, e->last_line);
}

/* ---- per-file spot checks ------------------------------------------------------- */

static void flipkart_check(const struct ipr_record *rec)
{
    if (rec->index == 0) {
        assert_int_equal(rec->line, 2);
        assert_value(rec, "product_name", "Alisha Solid Women's Cycling Shorts");
        assert_value(rec, "brand", "Alisha");
        assert_value(rec, "retail_price", "999");
    } else if (rec->index == 19999) {
        assert_value(rec, "uniq_id", "cb4fa87a874f715fff567f7b7b3be79c");
        assert_value(rec, "product_name", "Elite Collection Medium Acrylic Sticker");
    }
    /* CRLF file: no value may keep the CR of its line end */
    for (size_t i = 0; i < rec->field_count; i++)
        assert_null(strchr(rec->fields[i].value, '\r'));
}

static void test_flipkart(void **state)
{
    (void)state;
    static const struct expected_file e = {"flipkart/flipkart_20k_prices_brand.csv", 20000, 173983,
                                           200030000, 20001};
    check_file(&e, flipkart_check);
}

static void etsy_check(const struct ipr_record *rec)
{
    if (rec->index == 0) {
        assert_int_equal(rec->line, 2);
        assert_value(rec, "column_1", "0"); /* the unnamed index column */
        assert_value(rec, "listing_id", "808527471");
        const char *title = value_of(rec, "title");
        assert_non_null(title);
        assert_true(strncmp(title, "Irish 40th Gift, 1981 40th Birthday Gift", 40) == 0);
        const char *d = value_of(rec, "description");
        assert_non_null(d);
        assert_int_equal(strlen(d), 916);
        assert_non_null(strstr(d, "Celtic Harp\n------"));
    } else if (rec->index == 1) {
        assert_int_equal(rec->line, 20); /* the first description spans 18 lines */
    } else if (rec->index == 1099) {
        assert_value(rec, "title",
                     "2020, 1st Anniversary Him, 1st Anniversary Her, Keyring, 1st Gift Husband, "
                     "1st Gift Wife, Coin Keyring, 2020 1 Cent, 1st Birthday Daughter");
    }
}

static void test_etsy(void **state)
{
    (void)state;
    static const struct expected_file e = {"etsy-api-listings/etsy_shop_42379264_listings.csv",
                                           1100, 45755, 9889123, 18070};
    check_file(&e, etsy_check);
}

static void promptcloud_check(const struct ipr_record *rec)
{
    if (rec->index == 0)
        assert_value(rec, "Product Name",
                     "DB Longboards CoreFlex Crossbow 41\" Bamboo Fiberglass Longboard Complete");
    /* the brand column is empty in every row, so it is never a field */
    assert_null(value_of(rec, "Brand Name"));
}

static void test_amazon_promptcloud(void **state)
{
    (void)state;
    static const struct expected_file e = {
        "amazon-promptcloud-2020/amazon_products_sample_1000.csv", 1000, 11651, 501500, 1001};
    check_file(&e, promptcloud_check);
}

static void aliexpress_check(const struct ipr_record *rec)
{
    if (rec->index == 0)
        assert_value(rec, "Title",
                     "3.5mm Wired Over-Ear Headphones with Mic, Noise Cancelling, Stereo Bass, "
                     "Soft Earmuffs for Gaming PC/PS4/PS5/XBOX/Laptop/Phone/T");
    else if (rec->index == 524)
        assert_value(rec, "Rev_Rate", "3.0\xE2\x98\x85");
}

static void test_aliexpress(void **state)
{
    (void)state;
    static const struct expected_file e = {"aliexpress-search/aliexpress_products.csv", 525, 3675,
                                           138600, 526};
    check_file(&e, aliexpress_check);
}

static void wdc_check(const struct ipr_record *rec)
{
    if (rec->index == 0) {
        assert_value(rec, "title", "Jabra Evolve 75 incl. charging stand UC Stereo");
        assert_null(value_of(rec, "brand"));
    } else if (rec->index == 4999) {
        assert_value(rec, "brand", "AltRider");
        assert_value(rec, "title", "ROX Risers Install Kit for the Yamaha Super Tenere");
    }
}

static void test_wdc(void **state)
{
    (void)state;
    static const struct expected_file e = {"wdc-products/tableA.csv", 5000, 25827, 12507500, 5001};
    check_file(&e, wdc_check);
}

static void flatfile_check(const struct ipr_record *rec)
{
    if (rec->index == 0) {
        /* the byte order mark is not part of the first header name */
        assert_string_equal(rec->fields[0].name, "feed_product_type");
        assert_value(rec, "feed_product_type", "cufflink");
        assert_value(rec, "item_sku", "00-GPY5-HY0M");
        assert_value(rec, "item_name",
                     "Luxury 1965 Original Lucky Sixpence 6d birthday / "
                     "Anniversary Cufflinks ideal for a 56th birthday");
        /* column 321 of 349 still finds its header name */
        assert_value(rec, "merchant_shipping_group_name", "Nationwide Prime");
    } else if (rec->index == 1618) {
        assert_value(rec, "item_sku", "ZV-HKG6-NDCI");
        assert_value(rec, "brand_name", "OCC Old Coin Cufflinks");
    }
    for (size_t i = 0; i < rec->field_count; i++)
        assert_null(strstr(rec->fields[i].name, "column_"));
}

static void test_amazon_flatfile(void **state)
{
    (void)state;
    static const struct expected_file e = {"amazon-flatfile-uk/amazon_upload_december_2021.csv",
                                           1619, 58418, 1313009, 1620};
    check_file(&e, flatfile_check);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flipkart),
        cmocka_unit_test(test_etsy),
        cmocka_unit_test(test_amazon_promptcloud),
        cmocka_unit_test(test_aliexpress),
        cmocka_unit_test(test_wdc),
        cmocka_unit_test(test_amazon_flatfile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
