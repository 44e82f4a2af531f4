/*
 * test_scan_encodings.c - the same catalogue in GB18030, Shift_JIS,
 * EUC-KR and UTF-16 gives the same findings as in UTF-8, and marketplace
 * exports are checked through their profiles: the whole path of
 * ipr_reader_open_ex, scanner and findings through the public API.
 *
 * The legacy files are made with iconv(3) at test time from the UTF-8
 * catalogue below and written to temporary files.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scan_helper.h"

static const char pack[] = "pack: t\nstage: marketing\nversion: '1'\ntitle: test\n"
                           "terms:\n"
                           "  fake: [高仿, 原单, レプリカ, 짝퉁, 레플리카, replica]\n"
                           "rules:\n"
                           "  - id: T-FAKE\n    title: counterfeit words\n    severity: high\n"
                           "    fields: [title, description]\n"
                           "    match: {terms: fake}\n"
                           "  - id: T-NIKE\n    title: brand\n    severity: medium\n"
                           "    fields: [title, description, brand]\n"
                           "    match: {regex: '(?i)\\bnike\\b|ナイキ|耐克|나이키'}\n";

static const char catalogue_zh[] =
    "sku,title,brand,description,price\n"
    "CN-1,耐克 高仿 运动鞋 男款 透气 跑步鞋,Nike,正品质量 高仿 原单 支持验货 专柜同款 包邮,199\n"
    "CN-2,纯棉 短袖 T恤 夏季 新款 宽松,无品牌,柔软舒适 适合日常穿着 多种颜色可选,59\n"
    "CN-3,蓝牙 耳机 无线 降噪 长续航,Generic,兼容 苹果 手机 音质清晰 佩戴舒适,129\n";

static const char catalogue_ja[] =
    "sku,title,brand,description,price\n"
    "JP-1,ナイキ スニーカー レプリカ 高品質 "
    "メンズ,Nike,本物と同じ品質のレプリカです。送料無料。,5980\n"
    "JP-2,綿100% Tシャツ 半袖 夏用 レディース,ノーブランド,柔らかく着心地の良い素材です。,1980\n"
    "JP-3,ワイヤレス イヤホン 防水 長時間再生,Generic,通勤や通学に便利な軽量モデルです。,3480\n";

static const char catalogue_ko[] =
    "sku,title,brand,description,price\n"
    "KR-1,나이키 운동화 짝퉁 레플리카 남성용,Nike,정품과 똑같은 품질의 레플리카 제품입니다.,59000\n"
    "KR-2,면 반팔 티셔츠 여름 신상품,노브랜드,부드럽고 편안한 소재를 사용했습니다.,19000\n"
    "KR-3,무선 이어폰 방수 장시간 재생,Generic,출퇴근과 통학에 편리한 경량 모델입니다.,39000\n";

/* Writes utf8, converted to `to` (NULL: as is) after `bom`, to a temporary file. */
static void write_converted(char *path, const char *utf8, const char *to, const char *bom,
                            size_t bom_len)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t in_len = strlen(utf8), cap = in_len * 4 + 16;
    char *buf = malloc(cap);
    assert_non_null(buf);
    memcpy(buf, bom, bom_len);
    size_t len = bom_len + in_len;
    if (to) {
        iconv_t cd = iconv_open(to, "UTF-8");
        assert_true(cd != (iconv_t)-1);
        char *in = (char *)utf8, *out = buf + bom_len;
        size_t out_left = cap - bom_len;
        if (iconv(cd, &in, &in_len, &out, &out_left) == (size_t)-1)
            fail_msg("iconv to %s: %s", to, strerror(errno));
        iconv_close(cd);
        len = cap - out_left;
    } else {
        memcpy(buf + bom_len, utf8, in_len);
    }
    assert_int_equal(write(fd, buf, len), (ssize_t)len);
    close(fd);
    free(buf);
}

struct collected {
    char text[8192];
    size_t len;
    size_t findings;
};

static int collect(const ipr_finding *f, void *user)
{
    struct collected *c = user;
    int n = snprintf(c->text + c->len, sizeof(c->text) - c->len, "%s %s [%zu,%zu) '%.*s'\n",
                     f->rule->id, f->field, f->span_start, f->span_end, (int)f->matched_len,
                     f->matched);
    assert_true(n > 0 && (size_t)n < sizeof(c->text) - c->len);
    c->len += (size_t)n;
    c->findings++;
    return 0;
}

/* Scans the file as the options say; returns the findings as text and
 * the reader's description. */
static void scan_file(const ipr_ruleset *rs, const char *path, const char *profile,
                      const char *encoding, struct collected *out, char *description, size_t cap)
{
    memset(out, 0, sizeof(*out));
    char msg[256] = "";
    ipr_reader_options o = {IPR_INPUT_AUTO, profile, encoding, msg, sizeof(msg), 0, 0};
    ipr_reader *r = NULL;
    ipr_status st = ipr_reader_open_ex(path, &o, &r);
    if (st != IPR_OK)
        fail_msg("open %s: %s %s", path, ipr_status_str(st), msg);
    snprintf(description, cap, "%s", ipr_reader_description(r));
    ipr_scanner *sc = NULL;
    assert_int_equal(ipr_scanner_new(rs, &sc), IPR_OK);
    const ipr_record *rec;
    while ((st = ipr_reader_next(r, &rec)) == IPR_OK) {
        if (ipr_record_error(rec))
            fail_msg("%s line %u: %s", path, ipr_record_line(rec), ipr_record_error(rec));
        int n = snprintf(out->text + out->len, sizeof(out->text) - out->len, "record %s\n",
                         ipr_record_key(rec));
        out->len += (size_t)n;
        assert_int_equal(ipr_scanner_scan(sc, rec, collect, out), IPR_OK);
    }
    assert_int_equal(st, IPR_DONE);
    ipr_scanner_free(sc);
    ipr_reader_free(r);
}

static void test_same_findings_in_every_encoding(void **state)
{
    (void)state;
    char diag[512];
    ipr_ruleset *rs = compile_pack(pack, diag, sizeof(diag));
    if (!rs)
        fail_msg("pack: %s", diag);
    static const struct {
        const char *text, *iconv_name, *bom;
        size_t bom_len;
        const char *encoding; /* what the reader is told */
        const char *reported;
    } cases[] = {
        {catalogue_zh, "GB18030", "", 0, NULL, "gb18030"},
        {catalogue_zh, "GBK", "", 0, "auto", "gb18030"},
        {catalogue_ja, "SHIFT_JIS", "", 0, NULL, "shift_jis"},
        {catalogue_ko, "EUC-KR", "", 0, NULL, "euc-kr"},
        {catalogue_zh, "UTF-16LE", "\xFF\xFE", 2, NULL, "utf-16le"},
        {catalogue_ja, "UTF-16LE", "\xFF\xFE", 2, NULL, "utf-16le"},
        {catalogue_ko, "UTF-16LE", "\xFF\xFE", 2, NULL, "utf-16le"},
        {catalogue_ja, "EUC-JP", "", 0, "euc-jp", "euc-jp"},
        {catalogue_ko, NULL, "\xEF\xBB\xBF", 3, NULL, "utf-8"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char original[] = "/tmp/iprcheck-scan-XXXXXX";
        char converted[] = "/tmp/iprcheck-scan-XXXXXX";
        write_converted(original, cases[i].text, NULL, "", 0);
        write_converted(converted, cases[i].text, cases[i].iconv_name, cases[i].bom,
                        cases[i].bom_len);
        struct collected want, got;
        char desc_want[128], desc_got[128], expected[128];
        scan_file(rs, original, NULL, NULL, &want, desc_want, sizeof(desc_want));
        scan_file(rs, converted, NULL, cases[i].encoding, &got, desc_got, sizeof(desc_got));
        assert_string_equal(desc_want, "csv, profile canonical, encoding utf-8");
        snprintf(expected, sizeof(expected), "csv, profile canonical, encoding %s",
                 cases[i].reported);
        assert_string_equal(desc_got, expected);
        assert_true(want.findings >= 3); /* the catalogue does trigger both rules */
        if (strcmp(want.text, got.text) != 0)
            fail_msg("case %zu (%s):\n%s\nwant\n%s", i, cases[i].reported, got.text, want.text);
        unlink(original);
        unlink(converted);
    }
    ipr_ruleset_free(rs);
}

/* A Shopify export through its profile: rules read the text of the HTML
 * description, and the evidence points into the original cell, kept as
 * description_html, exactly as the seller wrote it; keyed by handle. */
static void test_shopify_findings(void **state)
{
    (void)state;
    char diag[512];
    ipr_ruleset *rs = compile_pack(pack, diag, sizeof(diag));
    assert_non_null(rs);
    char path[] = "/tmp/iprcheck-shopify-XXXXXX";
    write_converted(path,
                    "Handle,Title,Body (HTML),Vendor,Variant SKU,Variant Price\n"
                    "air-max,Sneakers,\"<p>Top <b>Nike</b> &amp; replica look</p>\",Acme,AM-1,"
                    "$80.00\n"
                    "air-max,,,,AM-2,$82.00\n",
                    NULL, "", 0);
    struct collected got;
    char desc[128];
    scan_file(rs, path, NULL, NULL, &got, desc, sizeof(desc));
    assert_string_equal(desc, "csv, profile shopify, encoding utf-8");
    assert_string_equal(got.text, "record air-max\n"
                                  "T-NIKE description_html [10,14) 'Nike'\n"
                                  "T-FAKE description_html [25,32) 'replica'\n");
    unlink(path);
    ipr_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_findings_in_every_encoding),
        cmocka_unit_test(test_shopify_findings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
