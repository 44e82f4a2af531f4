/*
 * fuzz_csv.c - libFuzzer target: the CSV and TSV readers.
 *
 * The first byte picks the mode: bit 0 CSV or TSV, bit 1 format detection
 * instead of a forced format, bit 2 also read through a pipe fed in pieces of
 * 1 + (bits 3-7) bytes, which must give exactly the records read from memory.
 * The rest of the input is the listing file.  See fuzz_records.h for the
 * invariants checked on every record.
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
    uint8_t mode = data[0];
    bool tsv = mode & 1u;
    bool detect = mode & 2u;
    ipr_input_format format = detect ? IPR_INPUT_AUTO : tsv ? IPR_INPUT_TSV : IPR_INPUT_CSV;
    fuzz_reader(data + 1, size - 1, format, tsv ? "fuzz.tsv" : "fuzz.csv", mode & 4u,
                1u + 4u * (mode >> 3));
    return 0;
}
