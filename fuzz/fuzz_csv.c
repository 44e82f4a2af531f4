/*
 * fuzz_csv.c - libFuzzer target: the CSV and TSV readers, with profiles and
 * encodings as the program opens them.
 *
 * The first byte picks the mode (see read_mode_of in fuzz_records.h): bit 0 TSV (else CSV),
 * bit 1 format detection instead, bit 2 profile auto (else canonical), bit 3
 * encoding auto (else utf-8), bits 4-5 a second reading to compare with
 * (a regular file, a pipe fed in pieces of 1/7/64/4096 bytes by bits 6-7,
 * or the plain reader).  The rest of the input is the listing file.
 */
#include "fuzz_records.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct read_mode m = read_mode_of(data[0], IPR_INPUT_CSV, IPR_INPUT_TSV);
    fuzz_reader(data + 1, size - 1, &m, (data[0] & 1u) ? "fuzz.tsv" : "fuzz.csv");
    return 0;
}
