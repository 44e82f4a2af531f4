/*
 * test_input_encoding.c - listings in legacy encodings read as UTF-8.
 *
 * Inputs in GB18030, Shift_JIS, EUC-KR, Windows-1252 and UTF-16 are made
 * at test time from UTF-8 text with iconv(3), so every test states its
 * expectations in readable text.  A converted catalogue must give exactly
 * the records of its UTF-8 original; a byte sequence that is invalid in
 * the encoding must give an error record naming the original offset.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/buf.h"
#include "input/encoding.h"
#include "input/reader.h"

/* ---- helpers ------------------------------------------------------------------------- */

struct bytes {
    char *data;
    size_t len;
};

/* utf8 converted to `to` by iconv(3), optionally after a byte order mark. */
static struct bytes convert(const char *utf8, const char *to, const char *bom, size_t bom_len)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t in_len = strlen(utf8), cap = in_len * 4 + 16;
    struct bytes b = {malloc(cap), 0};
    assert_non_null(b.data);
    memcpy(b.data, bom, bom_len);
    char *in = (char *)utf8, *out = b.data + bom_len;
    size_t out_left = cap - bom_len;
    size_t rc = iconv(cd, &in, &in_len, &out, &out_left);
    if (rc == (size_t)-1)
        fail_msg("iconv to %s: %s", to, strerror(errno));
    iconv_close(cd);
    b.len = cap - out_left;
    return b;
}

static struct ipr_reader *open_bytes(const char *name, const struct bytes *b, const char *encoding)
{
    char msg[256] = "";
    struct reader_config cfg = {IPR_INPUT_AUTO, "canonical", encoding, NULL, msg, sizeof(msg)};
    struct ipr_reader *r = NULL;
    ipr_status st = reader_open_mem_ex(name, b->data, b->len, &cfg, &r);
    if (st != IPR_OK)
        fail_msg("open %s: %s %s", name, ipr_status_str(st), msg);
    return r;
}

/* A record as text: line, key, error, then each leaf, for comparing two readings. */
static void record_text(const struct ipr_record *rec, struct buf *out)
{
    buf_printf(out, "line %u key %s error %s\n", rec->line, rec->key,
               rec->error ? rec->error : "-");
    for (size_t i = 0; i < rec->field_count; i++)
        buf_printf(out, "  %s@%u = %s\n", rec->fields[i].name, rec->fields[i].line,
                   rec->fields[i].value);
}

static char *all_records(struct ipr_reader *r, size_t *count)
{
    struct buf out;
    buf_init(&out, 0);
    const struct ipr_record *rec;
    ipr_status st;
    *count = 0;
    while ((st = reader_next(r, &rec)) == IPR_OK) {
        record_text(rec, &out);
        (*count)++;
    }
    assert_int_equal(st, IPR_DONE);
    return buf_detach(&out);
}

static const char *guess(const struct bytes *b)
{
    static struct encoding enc;
    struct encoding_sniffer sn;
    encoding_sniffer_init(&sn);
    encoding_sniffer_feed(&sn, b->data, b->len);
    assert_int_equal(encoding_sniffer_finish(&sn, true, &enc), IPR_OK);
    encoding_sniffer_release(&sn);
    return enc.name;
}

/* ---- catalogues ------------------------------------------------------------------------ */

static const char chinese[] =
    "sku,title,brand,description,price\n"
    "CN-1,耐克 高仿 运动鞋 男款 透气 跑步鞋,Nike,正品质量 高仿 原单 支持验货 专柜同款 包邮,199\n"
    "CN-2,纯棉 短袖 T恤 夏季 新款 宽松,无品牌,\"柔软舒适, 适合日常穿着 多种颜色可选\",59\n"
    "CN-3,蓝牙 耳机 无线 降噪 长续航,Generic,兼容 苹果 手机 音质清晰 佩戴舒适,129\n";

static const char japanese[] =
    "sku,title,brand,description,price\n"
    "JP-1,ナイキ スニーカー レプリカ 高品質 "
    "メンズ,Nike,本物と同じ品質のレプリカです。送料無料でお届けします。,5980\n"
    "JP-2,綿100% Tシャツ 半袖 夏用 "
    "レディース,ノーブランド,柔らかく着心地の良い素材を使用しています。,1980\n"
    "JP-3,ワイヤレス イヤホン 防水 長時間再生,Generic,通勤や通学に便利な軽量モデルです。,3480\n";

static const char korean[] =
    "sku,title,brand,description,price\n"
    "KR-1,나이키 운동화 짝퉁 레플리카 남성용,Nike,정품과 똑같은 품질의 레플리카 제품입니다. 무료 "
    "배송.,59000\n"
    "KR-2,면 반팔 티셔츠 여름 신상품,노브랜드,부드럽고 편안한 소재를 사용했습니다.,19000\n"
    "KR-3,무선 이어폰 방수 장시간 재생,Generic,출퇴근과 통학에 편리한 경량 모델입니다.,39000\n";

static const char latin[] = "id,name,description,price\n"
                            "1,Sony® Walkman,\"Café noir, 5° tilt\",$99.00\n"
                            "2,Bose QuietComfort,Casque ±3 dB,$299.00\n";

/* ---- names and marks ------------------------------------------------------------------ */

static void test_lookup(void **state)
{
    (void)state;
    static const struct {
        const char *given, *name, *converter;
    } cases[] = {
        {"UTF-8", "utf-8", ""},
        {"utf8", "utf-8", ""},
        {"GBK", "gb18030", "gb18030"},
        {"cp936", "gb18030", "gb18030"},
        {"Shift_JIS", "shift_jis", "Shift_JIS"},
        {"cp932", "shift_jis", "Shift_JIS"},
        {"EUC-KR", "euc-kr", "windows-949"},
        {"latin1", "windows-1252", "windows-1252"},
        {"UTF-16LE", "utf-16le", "UTF-16LE"},
        {"KOI8-R", "koi8-r", "KOI8-R"},
    };
    for (size_t i = 0; i < IPR_ARRAY_LEN(cases); i++) {
        struct encoding enc;
        assert_int_equal(encoding_lookup(cases[i].given, &enc), IPR_OK);
        assert_string_equal(enc.name, cases[i].name);
        assert_string_equal(enc.converter, cases[i].converter);
    }
    struct encoding enc;
    assert_int_equal(encoding_lookup("klingon-8", &enc), IPR_ENOTFOUND);
    assert_int_equal(encoding_lookup("", &enc), IPR_ENOTFOUND);

    assert_true(encoding_from_bom("\xFF\xFE\x00\x00x", 5, &enc));
    assert_string_equal(enc.name, "utf-32le");
    assert_true(encoding_from_bom("\xFF\xFEs\x00", 4, &enc));
    assert_string_equal(enc.name, "utf-16le");
    assert_int_equal(enc.bom_len, 2);
    assert_true(encoding_from_bom("\xFE\xFF", 2, &enc));
    assert_string_equal(enc.name, "utf-16be");
    assert_true(encoding_from_bom("\xEF\xBB\xBFsku", 6, &enc));
    assert_string_equal(enc.name, "utf-8");
    assert_int_equal(enc.bom_len, 3);
    assert_false(encoding_from_bom("sku", 3, &enc));
}

static void test_detection(void **state)
{
    (void)state;
    struct bytes b = {(char *)chinese, strlen(chinese)};
    assert_string_equal(guess(&b), "utf-8");
    struct bytes gb = convert(chinese, "GB18030", "", 0);
    assert_string_equal(guess(&gb), "gb18030");
    struct bytes gbk = convert(chinese, "GBK", "", 0);
    assert_string_equal(guess(&gbk), "gb18030");
    struct bytes sjis = convert(japanese, "SHIFT_JIS", "", 0);
    assert_string_equal(guess(&sjis), "shift_jis");
    struct bytes euc = convert(korean, "EUC-KR", "", 0);
    assert_string_equal(guess(&euc), "euc-kr");
    struct bytes cp1252 = convert(latin, "WINDOWS-1252", "", 0);
    assert_string_equal(guess(&cp1252), "windows-1252");
    struct bytes u16 = convert(latin, "UTF-16LE", "", 0); /* no mark */
    assert_string_equal(guess(&u16), "utf-16le");
    struct bytes u16be = convert(latin, "UTF-16BE", "\xFE\xFF", 2);
    assert_string_equal(guess(&u16be), "utf-16be");
    /* UTF-8 with one stray Latin-1 byte is still UTF-8 (the row becomes an error) */
    char mixed[512];
    snprintf(mixed, sizeof(mixed), "%s4,Caf\xE9,x,1\n", chinese);
    struct bytes m = {mixed, strlen(mixed)};
    assert_string_equal(guess(&m), "utf-8");
    free(gb.data);
    free(gbk.data);
    free(sjis.data);
    free(euc.data);
    free(cp1252.data);
    free(u16.data);
    free(u16be.data);
}

/* ---- converted catalogues read like their UTF-8 originals ------------------------------- */

static void assert_same_records(const char *utf8, const struct bytes *converted,
                                const char *encoding, const char *want_name)
{
    struct bytes original = {(char *)utf8, strlen(utf8)};
    struct ipr_reader *a = open_bytes("list.csv", &original, "utf-8");
    struct ipr_reader *b = open_bytes("list.csv", converted, encoding);
    char want_desc[128];
    snprintf(want_desc, sizeof(want_desc), "csv, profile canonical, encoding %s", want_name);
    assert_string_equal(reader_description(b), want_desc);
    size_t na, nb;
    char *ta = all_records(a, &na), *tb = all_records(b, &nb);
    assert_int_equal(na, 3);
    assert_int_equal(nb, na);
    if (strcmp(ta, tb) != 0)
        fail_msg("%s:\n%s\nwant\n%s", want_name, tb, ta);
    free(ta);
    free(tb);
    reader_free(a);
    reader_free(b);
}

static void test_catalogues(void **state)
{
    (void)state;
    static const struct {
        const char *text, *iconv_name, *bom;
        size_t bom_len;
        const char *want;
    } cases[] = {
        {chinese, "GB18030", "", 0, "gb18030"},
        {japanese, "SHIFT_JIS", "", 0, "shift_jis"},
        {korean, "EUC-KR", "", 0, "euc-kr"},
        {chinese, "UTF-16LE", "\xFF\xFE", 2, "utf-16le"},
        {japanese, "UTF-16LE", "\xFF\xFE", 2, "utf-16le"},
        {korean, "UTF-16BE", "\xFE\xFF", 2, "utf-16be"},
    };
    for (size_t i = 0; i < IPR_ARRAY_LEN(cases); i++) {
        struct bytes b =
            convert(cases[i].text, cases[i].iconv_name, cases[i].bom, cases[i].bom_len);
        assert_same_records(cases[i].text, &b, "auto", cases[i].want);
        free(b.data);
    }
    /* a named encoding is used as given, its own byte order mark skipped */
    struct bytes j = convert(japanese, "GB18030", "", 0);
    assert_same_records(japanese, &j, "gb18030", "gb18030");
    free(j.data);
    struct bytes u = convert(chinese, "UTF-16LE", "\xFF\xFE", 2);
    assert_same_records(chinese, &u, "UTF-16LE", "utf-16le");
    free(u.data);
    struct bytes bom = convert(korean, "UTF-8", "\xEF\xBB\xBF", 3);
    assert_same_records(korean, &bom, "auto", "utf-8");
    free(bom.data);
}

static void test_windows_1252(void **state)
{
    (void)state;
    struct bytes b = convert(latin, "WINDOWS-1252", "", 0);
    struct ipr_reader *r = open_bytes("Abt.csv", &b, NULL);
    assert_string_equal(reader_description(r), "csv, profile canonical, encoding windows-1252");
    const struct ipr_record *rec;
    assert_int_equal(reader_next(r, &rec), IPR_OK);
    assert_null(rec->error);
    assert_string_equal(rec->fields[1].value, "Sony\xC2\xAE Walkman");
    assert_string_equal(rec->fields[2].value, "Café noir, 5° tilt");
    assert_int_equal(reader_next(r, &rec), IPR_OK);
    assert_string_equal(rec->fields[2].value, "Casque ±3 dB");
    assert_int_equal(reader_next(r, &rec), IPR_DONE);
    reader_free(r);
    free(b.data);
}

/* Excel's "Unicode Text": UTF-16LE with a mark, tab-delimited. */
static void test_excel_unicode_text(void **state)
{
    (void)state;
    const char *text = "sku\ttitle\r\nA1\t高仿 Rolex\r\nA2\tレプリカ\r\n";
    struct bytes b = convert(text, "UTF-16LE", "\xFF\xFE", 2);
    struct ipr_reader *r = open_bytes("listings.txt", &b, NULL);
    assert_int_equal(reader_format(r), IPR_INPUT_TSV);
    assert_string_equal(reader_description(r), "tsv, profile canonical, encoding utf-16le");
    const struct ipr_record *rec;
    assert_int_equal(reader_next(r, &rec), IPR_OK);
    assert_string_equal(rec->fields[0].name, "sku"); /* no mark in the first header */
    assert_string_equal(rec->fields[1].value, "高仿 Rolex");
    assert_int_equal(reader_next(r, &rec), IPR_OK);
    assert_int_equal(rec->line, 3);
    assert_string_equal(rec->fields[1].value, "レプリカ");
    assert_int_equal(reader_next(r, &rec), IPR_DONE);
    reader_free(r);
    free(b.data);
}

/* ---- invalid sequences ------------------------------------------------------------------ */

static void test_invalid_sequences(void **state)
{
    (void)state;
    struct bytes b = convert(chinese, "GB18030", "", 0);
    /* break row 3 (CN-2): its first title byte becomes 0xFF, never valid in GB18030 */
    const char *row = strstr(b.data, "CN-2,");
    assert_non_null(row);
    size_t bad = (size_t)(row - b.data) + 5;
    b.data[bad] = (char)0xFF;
    struct ipr_reader *r = open_bytes("gb.csv", &b, "gb18030");
    const struct ipr_record *rec;
    assert_int_equal(reader_next(r, &rec), IPR_OK);
    assert_null(rec->error);
    assert_string_equal(rec->key, "CN-1");
    assert_int_equal(reader_next(r, &rec), IPR_OK);
    assert_non_null(rec->error);
    char want[128];
    snprintf(want, sizeof(want), "invalid gb18030 at byte offset %zu", bad);
    assert_string_equal(rec->error, want);
    assert_int_equal(rec->error_offset, bad);
    assert_int_equal(rec->error_line, 3);
    assert_int_equal(rec->line, 3);
    assert_int_equal(rec->field_count, 0);
    assert_int_equal(reader_next(r, &rec), IPR_OK); /* reading goes on */
    assert_null(rec->error);
    assert_string_equal(rec->key, "CN-3");
    assert_string_equal(rec->fields[1].value, "蓝牙 耳机 无线 降噪 长续航");
    assert_int_equal(reader_next(r, &rec), IPR_DONE);
    reader_free(r);

    /* a sequence cut by the end of the input; and a bad header row */
    struct bytes cut = convert("sku,title\nA,\xE8\x80\x90\n", "SHIFT_JIS", "", 0);
    cut.data[cut.len - 1] = (char)0x81; /* replaces the final LF with a lead byte */
    r = open_bytes("cut.csv", &cut, "shift_jis");
    assert_int_equal(reader_next(r, &rec), IPR_OK);
    snprintf(want, sizeof(want), "invalid shift_jis at byte offset %zu", cut.len - 1);
    assert_string_equal(rec->error, want);
    assert_int_equal(reader_next(r, &rec), IPR_DONE);
    reader_free(r);
    free(cut.data);

    char head_text[] = "s\xA1 ku,title\nA,x\n"; /* a lead byte without its trail */
    struct bytes head = {head_text, strlen(head_text)};
    r = open_bytes("head.csv", &head, "euc-kr");
    assert_int_equal(reader_next(r, &rec), IPR_OK);
    assert_string_equal(rec->error, "header row: invalid euc-kr at byte offset 1");
    assert_int_equal(reader_next(r, &rec), IPR_OK);
    assert_null(rec->error);
    reader_free(r);
    free(b.data);
}

/* ---- the converter on its own ---------------------------------------------------------- */

static void test_decoder_small_reads(void **state)
{
    (void)state;
    struct bytes b = convert(japanese, "SHIFT_JIS", "", 0);
    struct encoding enc;
    assert_int_equal(encoding_lookup("shift_jis", &enc), IPR_OK);
    for (size_t cap = 1; cap <= 7; cap++) {
        struct decoder *d;
        /* half the input as a prefix, the rest as memory */
        size_t half = b.len / 2;
        assert_int_equal(
            decoder_new(&enc, b.data, half, b.data + half, b.len - half, -1, false, 0, &d), IPR_OK);
        struct buf out;
        buf_init(&out, 0);
        char piece[8];
        size_t n;
        ipr_status st;
        while ((st = decoder_pull(d, piece, cap, &n)) == IPR_OK) {
            assert_true(n > 0 && n <= cap);
            buf_append(&out, piece, n);
        }
        assert_int_equal(st, IPR_DONE);
        assert_string_equal(buf_str(&out), japanese);
        buf_release(&out);
        decoder_free(d);
    }
    free(b.data);
}

/* ---- files and streams ------------------------------------------------------------------ */

struct feed {
    int fd;
    const char *data;
    size_t len;
};

static void *feed_pipe(void *arg)
{
    struct feed *f = arg;
    size_t off = 0;
    while (off < f->len) {
        ssize_t w = write(f->fd, f->data + off, f->len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(f->fd);
    return NULL;
}

static void test_stream_detected_from_first_chunk(void **state)
{
    (void)state;
    struct bytes b = convert(latin, "WINDOWS-1252", "", 0);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    struct feed f = {fds[1], b.data, b.len};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, feed_pipe, &f), 0);
    char path[32];
    snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
    struct reader_config cfg = {IPR_INPUT_CSV, NULL, NULL, NULL, NULL, 0};
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_path_ex(path, &cfg, &r), IPR_OK);
    close(fds[0]); /* the reader opened its own descriptor */
    const struct ipr_record *rec;
    assert_int_equal(reader_next(r, &rec), IPR_OK);
    assert_string_equal(rec->fields[1].value, "Sony\xC2\xAE Walkman");
    assert_string_equal(reader_description(r), "csv, profile canonical, encoding windows-1252");
    reader_free(r);
    pthread_join(t, NULL);
    free(b.data);
}

static int ascii_row(char *row, size_t len, int i)
{
    return snprintf(row, len, "A%05d,plain ascii title number %d\n", i, i);
}

static int utf8_row(char *row, size_t len, int i)
{
    return snprintf(row, len, "B%05d,caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x91\x9C x%d\n", i, i % 7);
}

/* Writes a CSV file: a header, `rows` rows made by make_row, then tail; the
 * path goes into path (a mkstemp template). */
static void write_rows(char *path, int (*make_row)(char *, size_t, int), int rows, const char *tail)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *head = "sku,title\n";
    assert_int_equal(write(fd, head, strlen(head)), (ssize_t)strlen(head));
    char row[64];
    for (int i = 0; i < rows; i++) {
        int n = make_row(row, sizeof(row), i);
        assert_int_equal(write(fd, row, (size_t)n), n);
    }
    assert_int_equal(write(fd, tail, strlen(tail)), (ssize_t)strlen(tail));
    close(fd);
}

/* Reads the file at path whole: every record clean, `records` of them, the
 * reader described as `description`; the last title in last_title. */
static void read_rows(const char *path, size_t records, const char *description, char *last_title,
                      size_t last_len)
{
    struct reader_config cfg = {IPR_INPUT_AUTO, "auto", "auto", NULL, NULL, 0};
    struct ipr_reader *r = NULL;
    assert_int_equal(reader_open_path_ex(path, &cfg, &r), IPR_OK);
    const struct ipr_record *rec;
    size_t n = 0;
    while (reader_next(r, &rec) == IPR_OK) {
        assert_null(rec->error);
        snprintf(last_title, last_len, "%s", rec->fields[1].value);
        n++;
    }
    assert_int_equal(n, records);
    assert_string_equal(reader_description(r), description);
    reader_free(r);
}

/* A regular file is judged as a whole: Windows-1252 bytes after a long
 * ASCII start are still found. */
static void test_file_judged_whole(void **state)
{
    (void)state;
    char path[] = "/tmp/iprcheck-enc-XXXXXX", last[64];
    write_rows(path, ascii_row, 60000, "Z1,Sony\xAE \x93quoted\x94\n");
    read_rows(path, 60001, "csv, profile canonical, encoding windows-1252", last, sizeof(last));
    assert_string_equal(last, "Sony\xC2\xAE \xE2\x80\x9Cquoted\xE2\x80\x9D");
    unlink(path);
}

/* A UTF-8 file is judged as a whole too, in pieces: rows of 25 bytes (no
 * factor shared with the power of two a piece is) with two- to four-byte
 * characters put some character across the boundaries between the pieces
 * the sniffer reads, and none of them may look like a broken sequence. */
static void test_utf8_file_judged_in_pieces(void **state)
{
    (void)state;
    char path[] = "/tmp/iprcheck-enc-XXXXXX", last[64];
    write_rows(path, utf8_row, 80000, "");
    read_rows(path, 80000, "csv, profile canonical, encoding utf-8", last, sizeof(last));
    assert_string_equal(last, "caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x91\x9C x3");
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_detection),
        cmocka_unit_test(test_catalogues),
        cmocka_unit_test(test_windows_1252),
        cmocka_unit_test(test_excel_unicode_text),
        cmocka_unit_test(test_invalid_sequences),
        cmocka_unit_test(test_decoder_small_reads),
        cmocka_unit_test(test_stream_detected_from_first_chunk),
        cmocka_unit_test(test_file_judged_whole),
        cmocka_unit_test(test_utf8_file_judged_in_pieces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
