/*
 * test_input_marketplaces.c - real marketplace exports through the
 * built-in profiles, read in place.
 *
 * Each file must be recognized from its header, give the number of
 * listings its marketplace means (Shopify rows grouped by handle,
 * WooCommerce variations inside their parent), no error record, and put
 * title, description, price and lists where the canonical record wants
 * them.  Expected values were read from the files with Python's csv
 * module.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"
#include "compile/builtin.h"
#include "input/reader.h"

#include "profile_table.h"

/* ---- reading a file through its profile ------------------------------------------------- */

static const char *value_of(const struct ipr_record *rec, const char *name)
{
    for (size_t i = 0; i < rec->field_count; i++)
        if (strcmp(rec->fields[i].name, name) == 0)
            return rec->fields[i].value;
    return NULL;
}

static void assert_field(const struct ipr_record *rec, const char *name, const char *want)
{
    const char *got = value_of(rec, name);
    if (!got)
        fail_msg("record %s has no field '%s'", rec->key, name);
    assert_string_equal(got, want);
}

static size_t count_fields(const struct ipr_record *rec, const char *path)
{
    size_t n = 0;
    for (size_t i = 0; i < rec->field_count; i++)
        n += strcmp(rec->fields[i].path, path) == 0;
    return n;
}

typedef void (*record_check_fn)(const struct ipr_record *rec, void *user);

struct expect {
    const char *path;        /* below the shared data folder */
    const char *description; /* of the reader */
    uint64_t records;
};

static void path_of(const char *file, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/%s", IPR_SHARED_DATA, file);
    assert_true(n > 0 && (size_t)n < cap);
}

static void check_reader(struct ipr_reader *r, const struct expect *e, record_check_fn check,
                         void *user)
{
    assert_string_equal(reader_description(r), e->description);
    const struct ipr_record *rec;
    ipr_status st;
    uint64_t n = 0, errors = 0;
    while ((st = reader_next(r, &rec)) == IPR_OK) {
        assert_int_equal(rec->index, n);
        if (rec->error && errors++ < 5)
            print_error("%s line %u: %s\n", e->path, rec->line, rec->error);
        if (check)
            check(rec, user);
        n++;
    }
    assert_int_equal(st, IPR_DONE);
    assert_int_equal(errors, 0);
    assert_int_equal(n, e->records);
}

static void check_file(const struct expect *e, record_check_fn check, void *user)
{
    char path[4096];
    path_of(e->path, path, sizeof(path));
    char msg[256] = "";
    struct reader_config cfg = {IPR_INPUT_AUTO, "auto", "auto", profile_table, msg, sizeof(msg)};
    struct ipr_reader *r = NULL;
    ipr_status st = reader_open_path_ex(path, &cfg, &r);
    if (st != IPR_OK)
        fail_msg("%s: %s %s", e->path, ipr_status_str(st), msg);
    check_reader(r, e, check, user);
    reader_free(r);
}

/* Rows as written (no profile), to compare counts. */
static uint64_t raw_rows(const char *file)
{
    char path[4096];
    path_of(file, path, sizeof(path));
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_path(path, IPR_INPUT_AUTO, &r), IPR_OK);
    const struct ipr_record *rec;
    uint64_t n = 0;
    while (reader_next(r, &rec) == IPR_OK)
        n++;
    reader_free(r);
    return n;
}

/* No tag is left in text meant for matching. */
static bool has_tag(const char *s)
{
    for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
        unsigned char c = (unsigned char)p[1];
        if (c == '/' || c == '!' || ipr_is_ascii_alpha(c))
            return true;
    }
    return false;
}

/* ---- Shopify ------------------------------------------------------------------------------ */

struct shopify_seen {
    bool fluke_376;
    uint64_t html;
    uint64_t images;
};

static void shopify_check(const struct ipr_record *rec, void *user)
{
    struct shopify_seen *seen = user;
    const char *d = value_of(rec, "description");
    if (d && has_tag(d))
        fail_msg("%s: description keeps a tag: %.200s", rec->key, d);
    seen->html += value_of(rec, "description_html") != NULL;
    seen->images += count_fields(rec, "images.url");
    assert_null(strchr(rec->key, ' '));
    assert_non_null(value_of(rec, "record_id"));
    assert_string_equal(value_of(rec, "record_id"), rec->key);
    if (strcmp(rec->key, "pinza-amperimetrica-fluke-376-fc-ac-dc") == 0) {
        seen->fluke_376 = true;
        assert_int_equal(rec->index, 0);
        assert_int_equal(rec->line, 2);
        assert_field(rec, "title", "Pinza amperimétrica Fluke 376 FC AC/DC");
        assert_field(rec, "price", "2659900.00");
        assert_field(rec, "list_price", "3559900.00");
        assert_field(rec, "tags[0]", "Baja tensión");
        assert_field(rec, "tags[1]", "Media Tensión");
        assert_field(rec, "images[4].url",
                     "https://cdn.shopify.com/s/files/1/0899/2345/3214/files/"
                     "81KNUiHBVHL._SL1500.jpg?v=1736355829");
        const char *text = value_of(rec, "description");
        assert_non_null(text);
        static const char start[] = "El multímetro de pinza Fluke 376 FC True-RMS está";
        assert_int_equal(strncmp(text, start, strlen(start)), 0);
        assert_non_null(strstr(value_of(rec, "description_html"), "<strong>Fluke 376 FC"));
    }
}

static void test_shopify(void **state)
{
    (void)state;
    static const struct expect e = {"shopify-fluke-es/products_export_1.csv",
                                    "csv, profile shopify, encoding utf-8", 276};
    assert_int_equal(raw_rows(e.path), 870);
    struct shopify_seen seen = {0};
    check_file(&e, shopify_check, &seen);
    assert_true(seen.fluke_376);
    assert_int_equal(seen.html, 247);   /* every product whose body holds HTML */
    assert_int_equal(seen.images, 452); /* every row's Image Src, none lost */
}

/* ---- Amazon ------------------------------------------------------------------------------- */

struct amazon_seen {
    uint64_t titles, brands, with_bullets, bullets, prices;
    bool first, last;
};

static void flatfile_check(const struct ipr_record *rec, void *user)
{
    struct amazon_seen *seen = user;
    seen->titles += value_of(rec, "title") != NULL;
    seen->brands += value_of(rec, "brand") != NULL;
    size_t b = count_fields(rec, "bullets");
    seen->with_bullets += b > 0;
    seen->bullets += b;
    seen->prices += value_of(rec, "price") != NULL;
    assert_null(value_of(rec, "item_name"));
    assert_null(value_of(rec, "bullet_point1"));
    assert_field(rec, "marketplace", "amazon");
    if (strcmp(rec->key, "00-GPY5-HY0M") == 0) {
        seen->first = true;
        assert_field(rec, "sku", "00-GPY5-HY0M");
        assert_field(rec, "title",
                     "Luxury 1965 Original Lucky Sixpence 6d birthday / "
                     "Anniversary Cufflinks ideal for a 56th birthday");
        assert_field(rec, "brand", "floral");
        assert_field(rec, "bullets[0]", "This would make an ideal 55th Birthday Present");
        assert_field(rec, "bullets[5]", "This would make an ideal 55th Birthday Present");
        assert_field(rec, "price", "27.98");
        assert_field(rec, "search_terms[0]", "This would make an ideal 56th Birthday Present");
        assert_field(rec, "merchant_shipping_group_name", "Nationwide Prime");
    } else if (strcmp(rec->key, "ZV-HKG6-NDCI") == 0) {
        seen->last = true;
        assert_field(rec, "title", "Premium 1946 Farthing cufflinks for a 75th Birthday cufflinks");
        assert_field(rec, "brand", "OCC Old Coin Cufflinks");
        assert_field(rec, "bullets[1]", "A Genuine Polished 1946 Farthing Coin.");
        assert_field(rec, "price", "29.99");
    }
}

static void assert_flatfile_seen(const struct amazon_seen *seen)
{
    assert_true(seen->first && seen->last);
    assert_int_equal(seen->titles, 1615);
    assert_int_equal(seen->brands, 1618);
    assert_int_equal(seen->with_bullets, 1526);
    assert_int_equal(seen->bullets, 7635);
    assert_int_equal(seen->prices, 1619);
}

static void test_amazon_flatfile(void **state)
{
    (void)state;
    static const struct expect e = {"amazon-flatfile-uk/amazon_upload_december_2021.csv",
                                    "csv, profile amazon, encoding utf-8", 1619};
    struct amazon_seen seen = {0};
    check_file(&e, flatfile_check, &seen);
    assert_flatfile_seen(&seen);
}

/* The same file as Amazon's template hands it out: two human-readable rows
 * above the field names. */
static void test_amazon_flatfile_with_template_rows(void **state)
{
    (void)state;
    char path[4096];
    path_of("amazon-flatfile-uk/amazon_upload_december_2021.csv", path, sizeof(path));
    size_t len;
    char *file = profile_table_read(path, &len);
    assert_int_equal(memcmp(file, "\xEF\xBB\xBF", 3), 0);
    struct buf text;
    buf_init(&text, 0);
    buf_append_str(&text, "\xEF\xBB\xBF"
                          "TemplateType=fptcustom,Version=2021.1008,TemplateSignature=Q1VGRkxJTks=,"
                          "The top 3 rows are for Amazon.com use only. Do not modify or delete the "
                          "top 3 rows.\n"
                          "Product Type,Seller SKU,Brand Name,Product Name,Manufacturer,"
                          "Recommended Browse Nodes\n");
    buf_append(&text, file + 3, len - 3);
    char msg[256] = "";
    struct reader_config cfg = {IPR_INPUT_AUTO, NULL, NULL, profile_table, msg, sizeof(msg)};
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_mem_ex("Flat.File.csv", text.data, text.len, &cfg, &r), IPR_OK);
    static const struct expect e = {"amazon-flatfile-uk (template rows)",
                                    "csv, profile amazon, header line 3, encoding utf-8", 1619};
    struct amazon_seen seen = {0};
    check_reader(r, &e, flatfile_check, &seen);
    assert_flatfile_seen(&seen);
    reader_free(r);
    buf_release(&text);
    free(file);
}

/* An All Listings report (tab-delimited, never quoted) written from the
 * flat file's listings, one title opening a quote that never closes. */
static void test_amazon_listings_report_stray_quote(void **state)
{
    (void)state;
    char path[4096];
    path_of("amazon-flatfile-uk/amazon_upload_december_2021.csv", path, sizeof(path));
    struct ipr_reader *raw = NULL;
    assert_int_equal(reader_open_path(path, IPR_INPUT_AUTO, &raw), IPR_OK);
    struct buf tsv, titles;
    buf_init(&tsv, 0);
    buf_init(&titles, 0);
    buf_append_str(&tsv, "item-name\titem-description\tlisting-id\tseller-sku\tprice\tstatus\n");
    const struct ipr_record *rec;
    size_t rows = 0;
    while (reader_next(raw, &rec) == IPR_OK && rows < 200) {
        const char *title = value_of(rec, "item_name");
        if (!title || strchr(title, '\t') || strchr(title, '\n'))
            continue;
        const char *quote = rows == 10 ? "\"" : ""; /* "Luxury ... : the quote never closes */
        buf_printf(&tsv, "%s%s\t\t%zu\t%s\t%s\tActive\n", quote, title, 1000 + rows,
                   value_of(rec, "item_sku"), value_of(rec, "standard_price"));
        buf_printf(&titles, "%s%s\n", quote, title);
        rows++;
    }
    reader_free(raw);
    assert_int_equal(rows, 200);
    char msg[256] = "";
    struct reader_config cfg = {IPR_INPUT_AUTO, NULL, NULL, profile_table, msg, sizeof(msg)};
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_mem_ex("Active+Listings+Report.txt", tsv.data, tsv.len, &cfg, &r),
                     IPR_OK);
    assert_string_equal(reader_description(r), "tsv, profile amazon, encoding utf-8");
    const char *want = titles.data;
    size_t n = 0;
    while (reader_next(r, &rec) == IPR_OK) {
        if (rec->error)
            fail_msg("line %u: %s", rec->line, rec->error);
        const char *end = strchr(want, '\n');
        const char *title = value_of(rec, "title");
        assert_non_null(title);
        assert_int_equal(strlen(title), (size_t)(end - want));
        assert_int_equal(memcmp(title, want, strlen(title)), 0);
        assert_int_equal(rec->line, n + 2);
        want = end + 1;
        n++;
    }
    assert_int_equal(n, 200);
    reader_free(r);
    buf_release(&tsv);
    buf_release(&titles);
}

static void promptcloud_check(const struct ipr_record *rec, void *user)
{
    uint64_t *seen = user;
    assert_non_null(value_of(rec, "title"));
    assert_non_null(value_of(rec, "price_text") ? value_of(rec, "price") : value_of(rec, "price"));
    if (strcmp(rec->key, "66d49bbed043f5be260fa9f7fbff5957") == 0) {
        (*seen)++;
        assert_int_equal(rec->index, 1);
        assert_field(rec, "title",
                     "Electronic Snap Circuits Mini Kits Classpack, FM Radio, Motion "
                     "Detector, Music Box (Set of 5)");
        assert_field(rec, "price", "99.95");
        assert_field(rec, "price_text", "$99.95");
        assert_field(rec, "currency", "USD");
        const char *d = value_of(rec, "description");
        assert_non_null(d);
        assert_int_equal(
            strncmp(d, "Make sure this fits by entering your model number. | Snap ci", 60), 0);
        assert_field(rec, "model_number", "55324");
    }
}

static void test_amazon_product_pages(void **state)
{
    (void)state;
    static const struct expect e = {"amazon-promptcloud-2020/amazon_products_sample_1000.csv",
                                    "csv, profile amazon, encoding utf-8", 1000};
    uint64_t seen = 0;
    check_file(&e, promptcloud_check, &seen);
    assert_int_equal(seen, 1);
}

/* ---- WooCommerce ------------------------------------------------------------------------- */

static void woo_check(const struct ipr_record *rec, void *user)
{
    uint64_t *variants = user;
    *variants += count_fields(rec, "variants.sku");
    assert_string_not_equal(value_of(rec, "Type") ? value_of(rec, "Type") : "", "variation");
    if (strcmp(rec->key, "cc-hoodie") == 0) {
        assert_field(rec, "title", "Hoodie");
        assert_field(rec, "subtitle", "This is a variable product.");
        assert_int_equal(strncmp(value_of(rec, "description"), "Pellentesque habitant morbi", 27),
                         0);
        assert_int_equal(count_fields(rec, "variants.sku"), 6);
        assert_field(rec, "variants[0].sku", "cc-hoodie-red");
        assert_field(rec, "variants[0].price", "42");
        assert_field(rec, "variants[0].list_price", "45");
        assert_field(rec, "category", "Clothing > Hoodies");
    } else if (strcmp(rec->key, "cc-beanie") == 0) {
        assert_field(rec, "title", "Beanie");
        assert_field(rec, "price", "18");
        assert_field(rec, "list_price", "20");
        assert_field(rec, "images[0].url",
                     "https://classiccommerce.cc/wp-content/downloads/sample-data-images/"
                     "beanie.png");
    } else if (strcmp(rec->key, "cc-tee") == 0) {
        assert_int_equal(count_fields(rec, "variants.sku"), 3);
        assert_int_equal(count_fields(rec, "images.url"), 3);
    }
}

static void test_woocommerce(void **state)
{
    (void)state;
    static const struct expect e = {"woocommerce-sample/sample_products.csv",
                                    "csv, profile woocommerce, encoding utf-8", 15};
    uint64_t variants = 0;
    check_file(&e, woo_check, &variants);
    assert_int_equal(variants, 9); /* all 24 rows: 15 listings, 9 variations inside them */
}

/* ---- Etsy -------------------------------------------------------------------------------- */

struct etsy_seen {
    uint64_t with_tags;
    bool first;
};

static void etsy_check(const struct ipr_record *rec, void *user)
{
    struct etsy_seen *seen = user;
    seen->with_tags += count_fields(rec, "tags") > 0;
    assert_null(value_of(rec, "tags")); /* never the literal itself */
    const char *d = value_of(rec, "description");
    if (d)
        assert_null(strstr(d, "&#39;"));
    if (strcmp(rec->key, "953881406") == 0) {
        seen->first = true;
        assert_field(rec, "title", "1900 Victorian  Silver 3d Cufflinks");
        assert_int_equal(
            strncmp(d, "A rare celebration of the last part of Queen Victoria's reign.", 60), 0);
        assert_field(rec, "price", "60.00");
        assert_field(rec, "currency", "GBP");
        assert_field(rec, "tags[0]", "Silver");
        assert_field(rec, "tags[3]", "Queen Victoria");
        assert_field(rec, "materials[0]", "Silver");
        assert_field(rec, "category",
                     "Accessories > Suit & Tie Accessories > Cuff Links & Tie Clips > Cuff Links");
        assert_null(value_of(rec, "sku"));
    }
}

static void test_etsy(void **state)
{
    (void)state;
    static const struct {
        struct expect e;
        uint64_t with_tags;
    } files[] = {
        {{"etsy-api-listings/AcmeCufflinks.csv", "csv, profile etsy, encoding utf-8", 104}, 84},
        {{"etsy-api-listings/Coinworx.csv", "csv, profile etsy, encoding utf-8", 87}, 87},
        {{"etsy-api-listings/UniquePGifts.csv", "csv, profile etsy, encoding utf-8", 149}, 149},
        {{"etsy-api-listings/etsy_shop_42379264_listings.csv", "csv, profile etsy, encoding utf-8",
          1100},
         1099},
    };
    bool first = false;
    for (size_t i = 0; i < IPR_ARRAY_LEN(files); i++) {
        struct etsy_seen seen = {0};
        check_file(&files[i].e, etsy_check, &seen);
        assert_int_equal(seen.with_tags, files[i].with_tags);
        first = first || seen.first;
    }
    assert_true(first);
}

/* ---- AliExpress --------------------------------------------------------------------------- */

static void aliexpress_check(const struct ipr_record *rec, void *user)
{
    uint64_t *seen = user;
    assert_non_null(value_of(rec, "title"));
    assert_non_null(value_of(rec, "price"));
    assert_field(rec, "currency", "USD");
    assert_null(value_of(rec, "Image"));
    if (rec->index == 12) {
        (*seen)++;
        assert_int_equal(strncmp(value_of(rec, "title"), "P9 Headphones Bluetooth Wireless", 32),
                         0);
        assert_field(rec, "price", "10.62");
        assert_field(rec, "price_text", "$10.62");
        assert_int_equal(count_fields(rec, "images.url"), 6);
        assert_field(rec, "images[0].url",
                     "https://ae-pic-a1.aliexpress-media.com/kf/"
                     "S2de8fbe0ba024303ac4ab7f82194ab00a.jpg_480x480q75.jpg_"
                     ".avif");
    }
}

static void test_aliexpress(void **state)
{
    (void)state;
    static const struct expect e = {"aliexpress-search/aliexpress_products.csv",
                                    "csv, profile aliexpress, encoding utf-8", 525};
    uint64_t seen = 0;
    check_file(&e, aliexpress_check, &seen);
    assert_int_equal(seen, 1);
}

/* ---- Windows-1252 ---------------------------------------------------------------------------- */

struct abt_seen {
    uint64_t registered; /* values holding U+00AE */
    bool sony;
};

static void abt_check(const struct ipr_record *rec, void *user)
{
    struct abt_seen *seen = user;
    for (size_t i = 0; i < rec->field_count; i++) {
        const char *v = rec->fields[i].value;
        assert_null(strstr(v, "\xEF\xBF\xBD")); /* never a replacement character */
        for (const char *p = strstr(v, "\xC2\xAE"); p; p = strstr(p + 2, "\xC2\xAE"))
            seen->registered++;
    }
    if (strcmp(value_of(rec, "id"), "9071") == 0) {
        seen->sony = true;
        assert_field(rec, "name", "Sony 400 Disc MegaStorage CD Changer - CDPCX455");
        assert_non_null(
            strstr(value_of(rec, "description"), "Remote Commander\xC2\xAE Remote Control"));
    }
}

static void test_abt_windows_1252(void **state)
{
    (void)state;
    static const struct expect e = {"abt-buy/Abt.csv",
                                    "csv, profile canonical, encoding windows-1252", 1081};
    struct abt_seen seen = {0};
    check_file(&e, abt_check, &seen);
    assert_int_equal(seen.registered, 4);
    assert_true(seen.sony);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shopify),
        cmocka_unit_test(test_amazon_flatfile),
        cmocka_unit_test(test_amazon_flatfile_with_template_rows),
        cmocka_unit_test(test_amazon_listings_report_stray_quote),
        cmocka_unit_test(test_amazon_product_pages),
        cmocka_unit_test(test_woocommerce),
        cmocka_unit_test(test_etsy),
        cmocka_unit_test(test_aliexpress),
        cmocka_unit_test(test_abt_windows_1252),
    };
    return cmocka_run_group_tests(tests, profile_table_load, profile_table_free);
}
