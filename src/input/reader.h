/*
 * reader.h - listing files to records: stage 3 of the pipeline (input/).
 *
 * A reader owns one input (a file, standard input or caller memory), finds
 * its format, and hands out one record at a time.  Reading streams: memory
 * is bounded by the largest record (IPR_INPUT_MAX_LINE_BYTES), never by the
 * size of the input, and a record is returned as soon as its bytes have
 * arrived.  Every non-blank row, line or array element yields exactly one
 * record, in input order; one that cannot be parsed has ->error set.
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

/* IPR_OK and *out (borrowed until the next call or reader_free), IPR_DONE
 * at the end, IPR_EIO on a read error, IPR_ENOMEM.  After an error every
 * later call returns the same error. */
ipr_status reader_next(struct ipr_reader *r, const struct ipr_record **out);

/* The resolved format; never IPR_INPUT_AUTO. */
ipr_input_format reader_format(const struct ipr_reader *r);

void reader_free(struct ipr_reader *r);

#endif
