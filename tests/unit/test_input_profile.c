/*
 * test_input_profile.c - marketplace profiles: column patterns, profile
 * files, list and price cells, HTML cells, header-row recognition, and the
 * grouping of rows into listings.
 *
 * The built-in profiles are read from rules/profiles/ in the source tree,
 * the same files the library embeds, so these tests check the shipped
 * profiles and not a copy.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/limits.h"
#include "compile/builtin.h"
#include "input/cell_value.h"
#include "input/html_text.h"
#include "input/profile.h"
#include "input/reader.h"

#include "profile_table.h"
#include "temp_file.h"

/* ---- helpers ------------------------------------------------------------------------ */

static char message[512];

static struct ipr_reader *open_with(const char *name, const char *text, const char *profile)
{
    struct reader_config cfg = {IPR_INPUT_AUTO, profile, "auto",
                                profile_table,  message, sizeof(message)};
    struct ipr_reader *r = NULL;
    ipr_status st = reader_open_mem_ex(name, text, strlen(text), &cfg, &r);
    if (st != IPR_OK)
        fail_msg("open %s: %s (%s)", name, ipr_status_str(st), message);
    return r;
}

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
        fail_msg("record %llu (key %s) has no field '%s'", (unsigned long long)rec->index, rec->key,
                 name);
    assert_string_equal(got, want);
}

static const struct ipr_record *next_record(struct ipr_reader *r)
{
    const struct ipr_record *rec = NULL;
    assert_int_equal(reader_next(r, &rec), IPR_OK);
    return rec;
}

static void assert_done(struct ipr_reader *r)
{
    const struct ipr_record *rec = NULL;
    assert_int_equal(reader_next(r, &rec), IPR_DONE);
}

/* ---- column patterns ---------------------------------------------------------------- */

static void test_patterns(void **state)
{
    (void)state;
    long n = -1;
    assert_true(profile_pattern_match("Body (HTML)", "body (html)", 11, NULL));
    assert_true(profile_pattern_match("Title", "  Title ", 8, NULL));
    assert_false(profile_pattern_match("Title", "Titles", 6, NULL));
    assert_true(profile_pattern_match("bullet_point{n}", "bullet_point10", 14, &n));
    assert_int_equal(n, 10);
    assert_false(profile_pattern_match("bullet_point{n}", "bullet_point", 12, &n));
    assert_false(profile_pattern_match("bullet_point{n}", "bullet_pointx", 13, &n));
    const char *key = "bullet_point[marketplace_id=A1F83G8C2ARO7P][language_tag=en_GB]#3.value";
    assert_true(profile_pattern_match("bullet_point[{*}]#{n}.value", key, strlen(key), &n));
    assert_int_equal(n, 3);
    /* eBay's required-column star is a plain character */
    const char *action = "*Action(SiteID=UK|Country=GB|Currency=GBP|Version=1193)";
    assert_true(profile_pattern_match("*Action({*}", action, strlen(action), NULL));
    assert_false(profile_pattern_match("*Action({*}", "Action(SiteID=US)", 17, NULL));
    assert_true(profile_pattern_match("{*}", "", 0, NULL));
    /* a hostile pattern stays linear */
    char name[4001];
    memset(name, 'a', 4000);
    name[4000] = '\0';
    assert_false(profile_pattern_match("{*}a{*}a{*}a{*}a{*}b", name, 4000, NULL));
}

/* ---- profile files ----------------------------------------------------------------- */

static void test_builtin_profiles_load(void **state)
{
    (void)state;
    struct profile_set set;
    char msg[512] = "";
    ipr_status st = profile_set_load_builtin(&set, profile_table, msg, sizeof(msg));
    if (st != IPR_OK)
        fail_msg("built-in profiles: %s", msg);
    static const char *const names[] = {"aliexpress", "amazon",  "canonical",  "ebay",
                                        "etsy",       "shopify", "woocommerce"};
    assert_int_equal(set.count, IPR_ARRAY_LEN(names));
    for (size_t i = 0; i < IPR_ARRAY_LEN(names); i++)
        assert_string_equal(set.items[i]->name, names[i]); /* sorted by name */
    const struct profile *shopify = profile_set_find(&set, "shopify");
    assert_int_equal(shopify->group, GROUP_BY);
    assert_int_equal(profile_set_find(&set, "woocommerce")->group, GROUP_ATTACH);
    assert_true(profile_set_find(&set, "canonical")->canonical);
    assert_null(profile_set_find(&set, "temu"));
    profile_set_release(&set);
}

static void test_profile_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *message;
    } cases[] = {
        {"profile: x\ncolumns:\n  - {from: a, to: b, lsit: ','}\n",
         "p.yaml:3: unknown key 'lsit' in a column rule"},
        {"profile: x\ncolumns:\n  - {from: a}\n", "p.yaml:3: a column rule needs 'from' and 'to'"},
        {"profile: x\ncolumns:\n  - {from: a, to: 'b[].c[]'}\n",
         "p.yaml:3: 'b[].c[]' has more than one '[]'"},
        {"profile: x\ncolumns:\n  - {from: a, to: 'b{n}'}\n",
         "p.yaml:3: 'b{n}' uses {n} but no 'from' pattern has {n}"},
        {"profile: x\ncolumns: [{from: a, to: 'b c'}]\n", "p.yaml:2: 'b c' is not a field name"},
        {"profile: x\ncolumns:\n  - {from: a, to: b, html: maybe}\n",
         "p.yaml:3: 'html' must be true or false, not 'maybe'"},
        {"title: no name\ncolumns: [{from: a, to: b}]\n", "p.yaml:1: a profile needs 'profile'"},
        {"profile: x\n", "p.yaml:1: a profile needs 'columns'"},
        {"profile: x\ngroup: {by: a, parent: b}\ncolumns: [{from: a, to: b}]\n",
         "p.yaml:2: 'group' takes either 'by' or 'parent' with 'ids'"},
        {"profile: x\ndetect: [a, b]\ncolumns: [{from: a, to: b}]\n",
         "p.yaml:2: each 'detect' entry must be a list of columns"},
        {"profile: x\ncolumns: [{from: &a x, to: *a}]\n",
         "p.yaml:2: aliases are not allowed in a profile"},
        {"profile: x\ncolumns: [{from: a, to: b]\n", "p.yaml:2: YAML syntax error"},
        {"profile: x\ntsv_quotes: never\ncolumns: [{from: a, to: b}]\n",
         "p.yaml:2: 'tsv_quotes' must be 'line' or 'rfc'"},
    };
    for (size_t i = 0; i < IPR_ARRAY_LEN(cases); i++) {
        struct profile *p = NULL;
        char msg[512] = "";
        ipr_status st =
            profile_load_text("p.yaml", cases[i].text, strlen(cases[i].text), &p, msg, sizeof(msg));
        if (st != IPR_EPARSE || strncmp(msg, cases[i].message, strlen(cases[i].message)) != 0)
            fail_msg("case %zu: status %d, message '%s', want '%s'", i, st, msg, cases[i].message);
        assert_null(p);
    }
}

/* ---- list and price cells ------------------------------------------------------------- */

static void assert_items(const char *cell, const char *sep, const char *const *want, size_t count)
{
    struct buf text;
    struct vec items;
    buf_init(&text, 0);
    vec_init(&items, sizeof(struct cell_item));
    assert_int_equal(cell_split(cell, strlen(cell), sep, &text, &items), IPR_OK);
    if (items.count != count)
        fail_msg("'%s': %zu items, want %zu", cell, items.count, count);
    for (size_t i = 0; i < count; i++) {
        const struct cell_item *it = vec_at(&items, i);
        if (strlen(want[i]) != it->len || memcmp(text.data + it->off, want[i], it->len) != 0)
            fail_msg("'%s' item %zu: '%.*s', want '%s'", cell, i, (int)it->len, text.data + it->off,
                     want[i]);
    }
    buf_release(&text);
    vec_release(&items);
}

static void test_cell_lists(void **state)
{
    (void)state;
    static const char *const etsy[] = {"Silver", "Formal", "1900", "Queen Victoria"};
    assert_items("['Silver', 'Formal', '1900', 'Queen Victoria']", ",", etsy, 4);
    static const char *const quotes[] = {"Valentine's Day", "a\\b", "tab\there", "é"};
    assert_items("[\"Valentine's Day\", 'a\\\\b', 'tab\\there', '\\xe9']", NULL, quotes, 4);
    static const char *const json[] = {"Nike", "\xF0\x9F\x98\x80"};
    assert_items("[\"Nike\", \"\\ud83d\\ude00\"]", ",", json, 2);
    static const char *const bare[] = {"https://a.example/1.jpg", "https://a.example/2.jpg"};
    assert_items("[https://a.example/1.jpg, https://a.example/2.jpg]", ",", bare, 2);
    assert_items("[]", ",", NULL, 0);
    assert_items("  [ ]  ", NULL, NULL, 0);
    static const char *const tags[] = {"Baja tensión", "Media Tensión"};
    assert_items("Baja tensión, Media Tensión", ",", tags, 2);
    static const char *const pipes[] = {"Sports & Outdoors", "Longboards"};
    assert_items("Sports & Outdoors | Longboards", "|", pipes, 2);
    /* not a list literal: split at the separator, brackets and all */
    static const char *const broken[] = {"['a'", "'b"};
    assert_items("['a', 'b", ",", broken, 2);
    static const char *const nested[] = {"[[1]", "[2]]"};
    assert_items("[[1], [2]]", ",", nested, 2);
    static const char *const one[] = {"one value, with a comma"};
    assert_items("one value, with a comma", NULL, one, 1);
}

static void assert_price(const char *cell, const char *number, const char *currency)
{
    char num[64], cur[4];
    bool ok = cell_price(cell, strlen(cell), num, sizeof(num), cur);
    if (!number) {
        if (ok)
            fail_msg("'%s' read as a price: %s", cell, num);
        return;
    }
    if (!ok)
        fail_msg("'%s' is not read as a price", cell);
    assert_string_equal(num, number);
    assert_string_equal(cur, currency);
}

static void test_cell_prices(void **state)
{
    (void)state;
    assert_price("$399.00", "399.00", "USD");
    assert_price("2659900.00", "2659900.00", "");
    assert_price("1.299,00 €", "1299.00", "EUR");
    assert_price("£19.99", "19.99", "GBP");
    assert_price("US $12", "12", "USD");
    assert_price("C$ 5.5", "5.5", "CAD");
    assert_price("20 eur", "20", "EUR");
    assert_price("1,299", "1299", "");
    assert_price("¥ 3500", "3500", ""); /* yen or yuan: not guessed */
    assert_price("CN¥3500", "3500", "CNY");
    assert_price("Total price:", NULL, NULL);
    assert_price("$74.99 - $249.99", NULL, NULL);
    assert_int_equal(cell_formula_escape("'=SUM(A1)", 9), 1);
    assert_int_equal(cell_formula_escape("'-5", 3), 1);
    assert_int_equal(cell_formula_escape("'quoted'", 8), 0);
}

/* ---- HTML cells -------------------------------------------------------------------- */

static void assert_text(const char *html, enum html_mode mode, const char *want)
{
    struct html_text h;
    html_text_init(&h);
    assert_int_equal(html_text_convert(&h, html, strlen(html), mode), IPR_OK);
    if (strcmp(buf_str(&h.text), want) != 0)
        fail_msg("'%s'\n  gave '%s'\n  want '%s'", html, buf_str(&h.text), want);
    html_text_release(&h);
}

/* The original bytes behind the first occurrence of `word` in the text. */
static void assert_maps_to(const char *html, const char *word, const char *original)
{
    struct html_text h;
    html_text_init(&h);
    assert_int_equal(html_text_convert(&h, html, strlen(html), HTML_FULL), IPR_OK);
    const char *at = strstr(buf_str(&h.text), word);
    assert_non_null(at);
    size_t start = (size_t)(at - buf_str(&h.text)), s, e;
    html_text_span_to_source(&h, start, start + strlen(word), &s, &e);
    if (e - s != strlen(original) || memcmp(html + s, original, e - s) != 0)
        fail_msg("'%s' maps to '%.*s', want '%s'", word, (int)(e - s), html + s, original);
    html_text_release(&h);
}

static void test_html_text(void **state)
{
    (void)state;
    assert_text("<p>El multímetro de pinza <strong>Fluke 376 FC</strong> está</p><p>diseñado</p>",
                HTML_FULL, "El multímetro de pinza Fluke 376 FC está\ndiseñado");
    assert_text("Queen Victoria&#39;s reign &amp; more &quot;x&quot; &nbsp;&euro;5 &#x1F600;",
                HTML_ENTITIES, "Queen Victoria's reign & more \"x\" \xC2\xA0€5 \xF0\x9F\x98\x80");
    /* unknown entities and a lone ampersand stay as written */
    assert_text("A&B &bogus; &#; &", HTML_FULL, "A&B &bogus; &#; &");
    assert_text("<ul><li>One</li><li>Two</li></ul>", HTML_FULL, "One\nTwo");
    assert_text("a<br>b<br/>c", HTML_FULL, "a\nb\nc");
    assert_text("x<script>var nike = 'replica';</script>y<style>p{}</style>z", HTML_FULL, "xyz");
    assert_text("a<!-- hidden Rolex -->b", HTML_FULL, "ab");
    assert_text("<img src=\"x.jpg\" alt=\"Nike &amp; Co logo\"> shoes", HTML_FULL,
                "Nike & Co logo\nshoes");
    assert_text("5 < 6 and <b>bold</b>", HTML_FULL, "5 < 6 and bold");
    assert_text("<p>  lots   of\tspace </p>", HTML_FULL, "lots of space");
    /* a cell without tags keeps its white space; only its entities change */
    assert_text("line one\n\nline  two &amp; three", HTML_FULL, "line one\n\nline  two & three");
    assert_text("<a href=\"x?a=1&b=2\">link</a>", HTML_FULL, "link");
    assert_text("<b>unclosed < tag", HTML_FULL, "unclosed < tag");
    assert_maps_to("<p>Genuine <b>Nike</b> shoes</p>", "Nike", "Nike");
    assert_maps_to("<p>Tom &amp; Jerry</p>", "& Jerry", "&amp; Jerry");
    assert_maps_to("<p>a</p><p>Rolex  watch</p>", "Rolex watch", "Rolex  watch");
}

/* ---- recognizing layouts ------------------------------------------------------------ */

static void test_canonical_stays_canonical(void **state)
{
    (void)state;
    const char *text = "sku,title,brand,customs.hs_code,images[0].url,notes\n"
                       "A1,Nike replica shoes,Nike,6403,a.jpg,internal\n";
    struct ipr_reader *r = open_with("list.csv", text, "auto");
    assert_string_equal(reader_description(r), "csv, profile canonical, encoding utf-8");
    assert_int_equal(reader_unmapped_count(r), 1);
    assert_string_equal(reader_unmapped(r, 0), "notes");
    const struct ipr_record *rec = next_record(r);
    assert_int_equal(rec->field_count, 6);
    assert_field(rec, "title", "Nike replica shoes");
    assert_field(rec, "images[0].url", "a.jpg");
    assert_field(rec, "notes", "internal"); /* kept, only reported */
    assert_null(value_of(rec, "marketplace"));
    assert_string_equal(rec->key, "A1");
    assert_done(r);
    reader_free(r);
}

static void test_unknown_layout(void **state)
{
    (void)state;
    const char *text = "Artikel,Bezeichnung,Preis,Artikel\n1,Uhr,10,x\n";
    struct ipr_reader *r = open_with("export.csv", text, NULL);
    assert_string_equal(reader_description(r), "csv, profile canonical, encoding utf-8");
    assert_int_equal(reader_unmapped_count(r), 3);
    assert_string_equal(reader_unmapped(r, 0), "Artikel");
    assert_string_equal(reader_unmapped(r, 1), "Bezeichnung");
    assert_string_equal(reader_unmapped(r, 2), "Preis");
    assert_null(reader_unmapped(r, 3));
    assert_field(next_record(r), "Bezeichnung", "Uhr");
    reader_free(r);
}

static void test_profile_errors_on_open(void **state)
{
    (void)state;
    struct reader_config cfg = {IPR_INPUT_AUTO, "temu",  NULL,
                                profile_table,  message, sizeof(message)};
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_mem_ex("x.csv", "a\n1\n", 4, &cfg, &r), IPR_ENOTFOUND);
    assert_null(r);
    assert_non_null(strstr(message, "unknown profile 'temu' (built-in: aliexpress, amazon, "
                                    "canonical, ebay, etsy, shopify, woocommerce"));
    cfg.profile = "/nonexistent/mine.yaml";
    assert_int_equal(reader_config_check(&cfg), IPR_EIO);
    assert_non_null(strstr(message, "cannot read profile '/nonexistent/mine.yaml'"));
    cfg.profile = "auto";
    cfg.encoding = "klingon-8";
    assert_int_equal(reader_config_check(&cfg), IPR_EUNSUPPORTED);
    assert_string_equal(message, "unknown encoding 'klingon-8'");
    cfg.encoding = "GBK";
    assert_int_equal(reader_config_check(&cfg), IPR_OK);
}

static void test_own_profile_file(void **state)
{
    (void)state;
    char path[] = "/tmp/iprcheck-profile-XXXXXX";
    const char *yaml = "profile: mystore\n"
                       "marketplace: mystore\n"
                       "columns:\n"
                       "  - {from: Artikel, to: sku}\n"
                       "  - {from: Bezeichnung, to: title, html: true}\n"
                       "  - {from: Preis, to: price, price: true}\n"
                       "  - {from: 'Bild {n}', to: 'images[].url'}\n"
                       "  - {from: Schlagworte, to: 'tags[]', list: ';'}\n";
    temp_file_write(path, yaml, strlen(yaml));
    const char *text = "Artikel,Bezeichnung,Preis,Bild 1,Bild 2,Schlagworte,Lager\n"
                       "U-1,<b>Rolex</b> style watch,99 EUR,a.jpg,b.jpg,uhr; luxus,3\n";
    struct ipr_reader *r = open_with("export.csv", text, path);
    assert_string_equal(reader_description(r), "csv, profile mystore, encoding utf-8");
    assert_int_equal(reader_unmapped_count(r), 0);
    const struct ipr_record *rec = next_record(r);
    assert_string_equal(rec->key, "U-1");
    assert_field(rec, "title", "Rolex style watch");
    assert_field(rec, "title_html", "<b>Rolex</b> style watch");
    assert_field(rec, "price", "99");
    assert_field(rec, "price_text", "99 EUR");
    assert_field(rec, "currency", "EUR");
    assert_field(rec, "images[0].url", "a.jpg");
    assert_field(rec, "images[1].url", "b.jpg");
    assert_field(rec, "tags[0]", "uhr");
    assert_field(rec, "tags[1]", "luxus");
    assert_field(rec, "Lager", "3"); /* a column no rule maps keeps its name */
    assert_field(rec, "marketplace", "mystore");
    /* each leaf keeps the position of its cell */
    for (size_t i = 0; i < rec->field_count; i++) {
        if (strcmp(rec->fields[i].name, "price") == 0) {
            assert_int_equal(rec->fields[i].line, 2);
            assert_int_equal(rec->fields[i].col, 30);
        }
    }
    reader_free(r);

    /* a broken profile file names its line */
    int fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    const char *bad = "profile: mystore\ncolumns:\n  - {from: a, too: b}\n";
    assert_int_equal(write(fd, bad, strlen(bad)), (ssize_t)strlen(bad));
    close(fd);
    struct reader_config cfg = {IPR_INPUT_AUTO, path,    NULL,
                                profile_table,  message, sizeof(message)};
    assert_int_equal(reader_open_mem_ex("x.csv", text, strlen(text), &cfg, &r), IPR_EPARSE);
    char want[600];
    snprintf(want, sizeof(want), "%s:3: unknown key 'too' in a column rule", path);
    assert_int_equal(strncmp(message, want, strlen(want)), 0);
    unlink(path);
}

/* ---- Shopify: rows grouped by handle ---------------------------------------------------- */

static void test_shopify_groups(void **state)
{
    (void)state;
    const char *text =
        "Handle,Title,Body (HTML),Vendor,Tags,Option1 Value,Variant SKU,Variant Price,"
        "Image Src,Image Alt Text\n"
        "tee,Nike Tee,\"<p>Soft <b>cotton</b></p>\",Acme,\"summer, Nike\",S,TEE-S,$19.99,"
        "t1.jpg,Front\n"
        "tee,,,,,M,TEE-M,$21.00,t2.jpg,Nike logo\n"
        "tee,,,,,,,,t3.jpg,\n"
        "\"cap,Cap,plain,Acme,,,CAP-1,5,c.jpg,\n" /* an unterminated quote: one error row */
        "cap2,Cap,plain,Acme,,,CAP-2,5,c.jpg,\n"
        "cap2,,,,,,,,c2.jpg,Side\n";
    struct ipr_reader *r = open_with("products_export.csv", text, NULL);
    assert_string_equal(reader_description(r), "csv, profile shopify, encoding utf-8");
    const struct ipr_record *rec = next_record(r);
    assert_null(rec->error);
    assert_string_equal(rec->key, "tee"); /* keyed by handle */
    assert_int_equal(rec->line, 2);       /* its first row */
    assert_int_equal(rec->index, 0);
    assert_field(rec, "title", "Nike Tee");
    assert_field(rec, "description", "Soft cotton");
    assert_field(rec, "description_html", "<p>Soft <b>cotton</b></p>");
    assert_field(rec, "brand", "Acme");
    assert_field(rec, "tags[1]", "Nike");
    assert_field(rec, "price", "19.99"); /* the first variant's */
    assert_field(rec, "currency", "USD");
    assert_field(rec, "variants[0].sku", "TEE-S");
    assert_field(rec, "variants[0].option1", "S");
    assert_field(rec, "variants[1].sku", "TEE-M");
    assert_field(rec, "variants[1].price", "21.00");
    assert_field(rec, "images[0].url", "t1.jpg");
    assert_field(rec, "images[0].alt_text", "Front");
    assert_field(rec, "images[1].url", "t2.jpg");
    assert_field(rec, "images[1].alt_text", "Nike logo");
    assert_field(rec, "images[2].url", "t3.jpg");
    assert_null(value_of(rec, "images[3].url"));
    assert_null(value_of(rec, "sku")); /* variant SKUs stay with their variants */
    assert_field(rec, "marketplace", "shopify");

    rec = next_record(r); /* the broken row, in its place */
    assert_non_null(rec->error);
    assert_int_equal(rec->line, 5);
    assert_int_equal(rec->index, 1);
    assert_int_equal(rec->field_count, 0);

    rec = next_record(r);
    assert_null(rec->error);
    assert_string_equal(rec->key, "cap2");
    assert_int_equal(rec->line, 6);
    assert_int_equal(rec->index, 2);
    assert_field(rec, "price", "5");
    assert_field(rec, "images[1].alt_text", "Side");
    assert_done(r);
    reader_free(r);
}

static void test_shopify_current_headers(void **state)
{
    (void)state;
    const char *text = "URL handle,Title,Description,Vendor,SKU,Price,Product image URL\n"
                       "bag,Tote,<p>Canvas</p>,Acme,BAG-1,30.00,b.jpg\n"
                       "bag,,,,BAG-2,32.00,\n";
    struct ipr_reader *r = open_with("products.csv", text, "shopify");
    const struct ipr_record *rec = next_record(r);
    assert_string_equal(rec->key, "bag");
    assert_field(rec, "description", "Canvas");
    assert_field(rec, "variants[1].sku", "BAG-2");
    assert_field(rec, "images[0].url", "b.jpg");
    assert_done(r);
    reader_free(r);
}

/* ---- WooCommerce: variations attached to their parent ----------------------------------- */

static void test_woocommerce_variations(void **state)
{
    (void)state;
    const char *text = "ID,Type,SKU,Name,Description,Sale price,Regular price,Parent,Tags\n"
                       "741,variable,tee,T-Shirt,A shirt,,20,,\"cotton, summer\"\n"
                       "745,simple,beanie,Beanie,A hat,18,20,,\n"
                       "883,variation,tee-blue,T-Shirt - Blue,,,25,tee,\n"
                       "884,variation,tee-red,T-Shirt - Red,,,26,id:741,\n"
                       "900,variation,lost,Orphan,,,1,nothing,\n"
                       "901,simple,formula,Formula,'=HYPERLINK(x),,3,,\n";
    struct ipr_reader *r = open_with("wc-product-export.csv", text, NULL);
    assert_string_equal(reader_description(r), "csv, profile woocommerce, encoding utf-8");
    const struct ipr_record *rec = next_record(r);
    assert_string_equal(rec->key, "tee");
    assert_int_equal(rec->line, 2);
    assert_field(rec, "title", "T-Shirt");
    assert_field(rec, "price", "20");
    assert_field(rec, "list_price", "20");
    assert_field(rec, "tags[1]", "summer");
    assert_field(rec, "variants[0].sku", "tee-blue");
    assert_field(rec, "variants[0].title", "T-Shirt - Blue");
    assert_field(rec, "variants[0].price", "25");
    assert_field(rec, "variants[1].sku", "tee-red"); /* named by id:741 */
    assert_null(value_of(rec, "variants[2].sku"));

    rec = next_record(r);
    assert_string_equal(rec->key, "beanie");
    assert_field(rec, "price", "18"); /* the sale price wins over the regular one */
    assert_field(rec, "list_price", "20");
    assert_null(value_of(rec, "variants[0].sku"));

    rec = next_record(r); /* a parent that is not in the file: a listing of its own */
    assert_string_equal(rec->key, "lost");
    assert_int_equal(rec->line, 6);
    assert_field(rec, "parent", "nothing");

    rec = next_record(r);
    assert_string_equal(rec->key, "formula");
    assert_field(rec, "description", "=HYPERLINK(x)"); /* the formula guard is removed */
    assert_int_equal(rec->index, 3);
    assert_done(r);
    reader_free(r);
}

/* ---- Amazon: template rows, tab-delimited files ------------------------------------------- */

static void test_amazon_template_rows(void **state)
{
    (void)state;
    const char *text =
        "TemplateType=fptcustom,Version=2021.1008,TemplateSignature=Q0xPVEhJTkc=,"
        "The top 3 rows are for Amazon.com use only. Do not modify or delete the top 3 rows.\n"
        "Product Type,Seller SKU,Brand Name,Product Name,Bullet Point,Bullet Point,Standard Price\n"
        "feed_product_type,item_sku,brand_name,item_name,bullet_point1,bullet_point2,"
        "standard_price\n"
        "shoes,SKU-1,Nikke,Running shoes,Light,\"Soft, \"\"cushioned\"\"\",49.99\n"
        "shoes,SKU-2,Acme,Trail shoes,,Grippy,59.00\n";
    struct ipr_reader *r = open_with("Flat.File.Shoes.csv", text, NULL);
    assert_string_equal(reader_description(r),
                        "csv, profile amazon, header line 3, encoding utf-8");
    const struct ipr_record *rec = next_record(r);
    assert_int_equal(rec->index, 0);
    assert_int_equal(rec->line, 4);
    assert_string_equal(rec->key, "SKU-1");
    assert_field(rec, "title", "Running shoes");
    assert_field(rec, "brand", "Nikke");
    assert_field(rec, "bullets[0]", "Light");
    assert_field(rec, "bullets[1]", "Soft, \"cushioned\"");
    assert_field(rec, "price", "49.99");
    assert_field(rec, "product_type", "shoes");
    rec = next_record(r);
    assert_string_equal(rec->key, "SKU-2");
    assert_field(rec, "bullets[0]", "Grippy"); /* list elements are not left empty */
    assert_done(r);
    reader_free(r);
}

static void test_amazon_tab_delimited_stray_quote(void **state)
{
    (void)state;
    /* an All Listings report: tabs, no quoting, a title that opens a quote */
    const char *text = "item-name\titem-description\tlisting-id\tseller-sku\tprice\n"
                       "\"12 inch ruler, 30cm\t\t0101\tR1\t3.50\n"
                       "27\" monitor\tA \"big\" one\t0102\tR2\t120.00\n"
                       "\"Quoted\"\t\t0103\tR3\t1.00\n"
                       "A3 Nike replica shoes\t\t0104\tR4\t15.00\n";
    struct ipr_reader *r = open_with("Active+Listings+Report.txt", text, NULL);
    assert_int_equal(reader_format(r), IPR_INPUT_TSV);
    assert_string_equal(reader_description(r), "tsv, profile amazon, encoding utf-8");
    static const char *const titles[] = {"\"12 inch ruler, 30cm", "27\" monitor", "Quoted",
                                         "A3 Nike replica shoes"};
    for (size_t i = 0; i < IPR_ARRAY_LEN(titles); i++) {
        const struct ipr_record *rec = next_record(r);
        if (rec->error)
            fail_msg("row %zu: %s", i + 2, rec->error);
        assert_int_equal(rec->line, i + 2);
        assert_field(rec, "title", titles[i]);
    }
    assert_done(r);
    reader_free(r);
}

/* ---- eBay and the rest ---------------------------------------------------------------------- */

static void test_ebay_info_rows(void **state)
{
    (void)state;
    const char *text =
        "Info,Version=1.0.0,Template=fx_category_template_EBAY_UK\n"
        "*Action(SiteID=UK|Country=GB|Currency=GBP|Version=1193),CustomLabel,*Category,*Title,"
        "C:Brand,PicURL,*Description,*StartPrice\n"
        "Info,>>>,Listing fields\n"
        "Add,E-1,1234,Watch,Rolex,a.jpg|b.jpg,<p>Swiss <i>style</i></p>,£199.00\n";
    struct ipr_reader *r = open_with("ebay.csv", text, NULL);
    assert_string_equal(reader_description(r), "csv, profile ebay, header line 2, encoding utf-8");
    const struct ipr_record *rec = next_record(r);
    assert_int_equal(rec->line, 4);
    assert_int_equal(rec->index, 0);
    assert_field(rec, "sku", "E-1");
    assert_field(rec, "title", "Watch");
    assert_field(rec, "brand", "Rolex");
    assert_field(rec, "images[1].url", "b.jpg");
    assert_field(rec, "description", "Swiss style");
    assert_field(rec, "price", "199.00");
    assert_field(rec, "currency", "GBP");
    assert_done(r);
    reader_free(r);
}

static void test_etsy_lists(void **state)
{
    (void)state;
    const char *text = ",listing_id,title,description,price,currency_code,sku,tags,materials,"
                       "taxonomy_path\n"
                       "0,953881406,Queen Victoria&#39;s Cufflinks,A rare &quot;3d&quot; coin,"
                       "60.00,GBP,[],\"['Silver', 'Formal']\",\"['Silver']\","
                       "\"['Accessories', 'Cuff Links']\"\n";
    struct ipr_reader *r = open_with("etsy.csv", text, NULL);
    const struct ipr_record *rec = next_record(r);
    assert_string_equal(rec->key, "953881406"); /* sku "[]" is an empty list */
    assert_null(value_of(rec, "sku"));
    assert_field(rec, "title", "Queen Victoria's Cufflinks");
    assert_field(rec, "description", "A rare \"3d\" coin");
    assert_field(rec, "tags[0]", "Silver");
    assert_field(rec, "tags[1]", "Formal");
    assert_field(rec, "materials[0]", "Silver");
    assert_field(rec, "category", "Accessories > Cuff Links");
    assert_field(rec, "currency", "GBP");
    assert_field(rec, "column_1", "0");
    reader_free(r);
}

static void test_json_profiles(void **state)
{
    (void)state;
    const char *text =
        "{\"listing_id\": 7, \"title\": \"Tom &amp; Jerry\", \"tags\": [\"a\", \"b\"]}\n";
    struct ipr_reader *r = open_with("etsy.jsonl", text, NULL);
    assert_string_equal(reader_description(r), "jsonl, profile canonical, encoding utf-8");
    const struct ipr_record *rec = next_record(r);
    assert_field(rec, "title", "Tom &amp; Jerry"); /* canonical: as written */
    reader_free(r);
    r = open_with("etsy.jsonl", text, "etsy");
    assert_string_equal(reader_description(r), "jsonl, profile etsy, encoding utf-8");
    rec = next_record(r);
    assert_string_equal(rec->key, "7");
    assert_field(rec, "title", "Tom & Jerry");
    assert_field(rec, "tags[0]", "a");
    assert_field(rec, "tags[1]", "b");
    reader_free(r);
}

static void test_aliexpress_empty_values(void **state)
{
    (void)state;
    const char *text = "Keyword,Title,Rev_Rate,Sold,Shipping,Price,Image\n"
                       "case,Case For iPhone 15 Original Official Style,N/A,9 sold,Free,$3.10,N/A\n"
                       "case,Cover,4.4★,1 sold,Free,$2.00,\"[https://x/1.jpg, https://x/2.jpg]\"\n";
    struct ipr_reader *r = open_with("aliexpress_products.csv", text, NULL);
    const struct ipr_record *rec = next_record(r);
    assert_field(rec, "title", "Case For iPhone 15 Original Official Style");
    assert_null(value_of(rec, "Rev_Rate"));
    assert_null(value_of(rec, "images[0].url"));
    rec = next_record(r);
    assert_field(rec, "images[1].url", "https://x/2.jpg");
    assert_field(rec, "Rev_Rate", "4.4★");
    reader_free(r);
}

/* ---- limits ----------------------------------------------------------------------------- */

static void test_limits(void **state)
{
    (void)state;
    /* a profile file over IPR_PROFILE_MAX_FILE_BYTES */
    size_t big_len = IPR_PROFILE_MAX_FILE_BYTES + 1;
    char *big = malloc(big_len + 1);
    assert_non_null(big);
    memset(big, '#', big_len);
    big[big_len] = '\0';
    struct profile *p = NULL;
    char msg[512] = "";
    assert_int_equal(profile_load_text("big.yaml", big, big_len, &p, msg, sizeof(msg)), IPR_EPARSE);
    assert_string_equal(msg, "big.yaml:1: larger than the limit of 1048576 bytes");
    free(big);

    /* more than IPR_PROFILE_MAX_RULES column rules */
    struct buf y;
    buf_init(&y, 0);
    buf_append_str(&y, "profile: many\ncolumns:\n");
    for (unsigned i = 0; i <= IPR_PROFILE_MAX_RULES; i++)
        buf_printf(&y, "  - {from: c%u, to: f%u}\n", i, i);
    assert_int_equal(profile_load_text("many.yaml", y.data, y.len, &p, msg, sizeof(msg)),
                     IPR_EPARSE);
    assert_string_equal(msg, "many.yaml:3: more than 1024 column rules");
    buf_release(&y);

    /* a header below the first IPR_PROFILE_HEADER_ROWS rows is not looked for */
    buf_init(&y, 0);
    for (unsigned i = 0; i < IPR_PROFILE_HEADER_ROWS; i++)
        buf_printf(&y, "note %u\n", i);
    buf_append_str(&y, "item_sku,item_name\nS1,Shoes\n");
    struct ipr_reader *r = open_with("late.csv", y.data, NULL);
    assert_string_equal(reader_description(r), "csv, profile canonical, encoding utf-8");
    reader_free(r);
    buf_release(&y);

    /* one listing joins at most IPR_PROFILE_MAX_GROUP_ROWS rows; the rest start another */
    buf_init(&y, 0);
    buf_append_str(&y, "Handle,Title,Body (HTML),Image Src\n");
    buf_append_str(&y, "h,T,,first.jpg\n");
    for (unsigned i = 1; i <= IPR_PROFILE_MAX_GROUP_ROWS; i++)
        buf_append_str(&y, "h,,,\n");
    r = open_with("huge.csv", y.data, NULL);
    const struct ipr_record *rec = next_record(r);
    assert_string_equal(rec->key, "h");
    assert_null(rec->error);
    assert_field(rec, "images[0].url", "first.jpg");
    rec = next_record(r);
    assert_string_equal(rec->key, "h");
    assert_int_equal(rec->line, IPR_PROFILE_MAX_GROUP_ROWS + 2);
    assert_null(value_of(rec, "images[0].url"));
    assert_done(r);
    reader_free(r);
    buf_release(&y);

    /* a listing over IPR_INPUT_MAX_FIELDS leaves is an error record, not a cut one */
    buf_init(&y, 0);
    buf_append_str(&y, "Handle,Title,Body (HTML),Image Src\n");
    for (unsigned i = 0; i <= IPR_INPUT_MAX_FIELDS; i++)
        buf_printf(&y, "h,,,i%u.jpg\n", i);
    buf_append_str(&y, "next,Next,,n.jpg\n");
    r = open_with("wide.csv", y.data, NULL);
    rec = next_record(r);
    assert_string_equal(rec->error, "more than 4096 fields");
    assert_int_equal(rec->field_count, 0);
    assert_int_equal(rec->line, 2);
    rec = next_record(r);
    assert_string_equal(rec->key, "next");
    assert_done(r);
    reader_free(r);
    buf_release(&y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_builtin_profiles_load),
        cmocka_unit_test(test_profile_errors),
        cmocka_unit_test(test_cell_lists),
        cmocka_unit_test(test_cell_prices),
        cmocka_unit_test(test_html_text),
        cmocka_unit_test(test_canonical_stays_canonical),
        cmocka_unit_test(test_unknown_layout),
        cmocka_unit_test(test_profile_errors_on_open),
        cmocka_unit_test(test_own_profile_file),
        cmocka_unit_test(test_shopify_groups),
        cmocka_unit_test(test_shopify_current_headers),
        cmocka_unit_test(test_woocommerce_variations),
        cmocka_unit_test(test_amazon_template_rows),
        cmocka_unit_test(test_amazon_tab_delimited_stray_quote),
        cmocka_unit_test(test_ebay_info_rows),
        cmocka_unit_test(test_etsy_lists),
        cmocka_unit_test(test_json_profiles),
        cmocka_unit_test(test_aliexpress_empty_values),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, profile_table_load, profile_table_free);
}
