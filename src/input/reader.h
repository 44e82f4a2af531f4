/*
 * reader.h - listing files to records: stage 3 of the pipeline (input/).
 *
 * A reader owns one input (a file, standard input or caller memory), finds
 * its format, and hands out one record at a time.  Reading streams: memory
 * is bounded by the largest record (the record cap, IPR_INPUT_MAX_LINE_BYTES
 * by default), never by the size of the input, and a record is returned as
 * soon as its bytes have arrived.  Every non-blank row, line or array
 * element yields exactly one record, in input order; one that cannot be
 * parsed has ->error set.
 */
#ifndef IPR_INPUT_READER_H
#define IPR_INPUT_READER_H

#include "../base/common.h"
#include "record.h"

struct ipr_reader; /* opaque, defined in reader.c */

/* Path "-" reads standard input (fd 0), shown as "<stdin>" in records.
 * IPR_EIO (errno set) when the file cannot be opened or is a folder;
 * IPR_EINVAL for a bad argument.  With IPR_INPUT_AUTO the format is found
 * here, which may read the first bytes. */
ipr_status reader_open_path(const char *path, ipr_input_format format, struct ipr_reader **out);

/* data is borrowed for the reader's lifetime; name is the file name shown
 * in records, and its extension counts for format detection. */
ipr_status reader_open_mem(const char *name, const char *data, size_t data_len,
                           ipr_input_format format, struct ipr_reader **out);

struct builtin_file;

/* What ipr_reader_open_ex asks for (docs/profiles.md, docs/encodings.md).
 * The plain openers above use no profile and read UTF-8 as it is. */
struct reader_config {
    ipr_input_format format;
    const char *profile;  /* NULL or "auto", a built-in profile's name, or a profile file */
    const char *encoding; /* NULL or "auto", or an encoding name */
    const struct builtin_file *builtin; /* table holding the built-in profiles; may be NULL */
    char *message; /* optional: why a profile or an encoding could not be used */
    size_t message_len;
};

/* As reader_open_path / reader_open_mem, with an encoding and a profile.
 * Besides their errors: IPR_ENOTFOUND for an unknown profile name,
 * IPR_EPARSE for a profile file with an error, IPR_EUNSUPPORTED for an
 * unknown encoding; then cfg->message says what is wrong. */
ipr_status reader_open_path_ex(const char *path, const struct reader_config *cfg,
                               struct ipr_reader **out);
ipr_status reader_open_mem_ex(const char *name, const char *data, size_t data_len,
                              const struct reader_config *cfg, struct ipr_reader **out);

/* Checks cfg's profile and encoding without opening an input. */
ipr_status reader_config_check(const struct reader_config *cfg);

/* Caps on the records of one input (docs/limits.md); 0 means the default. */
struct reader_caps {
    size_t max_field_bytes;  /* IPR_INPUT_MAX_FIELD_BYTES: a longer value is kept up to the
                                cap (cut at a character boundary) and its record is incomplete */
    size_t max_record_bytes; /* IPR_INPUT_MAX_LINE_BYTES: a longer row, JSON line or JSON
                                array element is an error record */
};

/* IPR_EINVAL, with the reason in message (when not NULL), when a cap is
 * above its ceiling in limits.h. */
ipr_status reader_caps_check(const struct reader_caps *caps, char *message, size_t message_len);

/* As reader_open_path_ex / reader_open_mem_ex (cfg NULL: as the plain
 * openers) with caps (NULL: the defaults); IPR_EINVAL for caps that
 * reader_caps_check refuses. */
ipr_status reader_open_path_capped(const char *path, const struct reader_config *cfg,
                                   const struct reader_caps *caps, struct ipr_reader **out);
ipr_status reader_open_mem_capped(const char *name, const char *data, size_t data_len,
                                  const struct reader_config *cfg, const struct reader_caps *caps,
                                  struct ipr_reader **out);

/* "csv, profile shopify, encoding utf-8": how the input is read. */
const char *reader_description(const struct ipr_reader *r);

/* Header columns that are not canonical field names, when the input is
 * read with the canonical profile (the fallback for unknown layouts). */
size_t reader_unmapped_count(const struct ipr_reader *r);
const char *reader_unmapped(const struct ipr_reader *r, size_t index);

/* IPR_OK and *out (borrowed until the next call or reader_free), IPR_DONE
 * at the end, IPR_EIO on a read error, IPR_ENOMEM.  After an error every
 * later call returns the same error. */
ipr_status reader_next(struct ipr_reader *r, const struct ipr_record **out);

/* As reader_next, but the record changes hands instead of being lent:
 * *slot (a record from record_init on malloc'd memory, or NULL for a new
 * one) goes to the reader for the records to come, and *slot receives the
 * record just read, with its file borrowed from the reader.  A caller that
 * queues records for other threads keeps them this way without a copy. */
ipr_status reader_take(struct ipr_reader *r, struct ipr_record **slot);

/* The resolved format; never IPR_INPUT_AUTO. */
ipr_input_format reader_format(const struct ipr_reader *r);

void reader_free(struct ipr_reader *r);

#endif
