/*
 * yaml_events.c - the benchmark's floor for loading YAML registries: libyaml
 * alone, reading every event of the files named on the command line and
 * doing nothing with them.  Loading marks from YAML can be no faster than
 * this, whatever iprcheck does with the events; the benchmark runs it on
 * the same files as its load figure (bench/README.md).
 *
 * Prints the number of events; exits 1 on a file it cannot read or parse.
 */
#include <stdbool.h>
#include <stdio.h>
#include <yaml.h>

static long count_events(FILE *f)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return -1;
    yaml_parser_set_input_file(&parser, f);
    long events = 0;
    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            events = -1;
            break;
        }
        bool end = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        events++;
        if (end)
            break;
    }
    yaml_parser_delete(&parser);
    return events;
}

int main(int argc, char **argv)
{
    long total = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        long n = f ? count_events(f) : -1;
        if (f)
            fclose(f);
        if (n < 0) {
            fprintf(stderr, "yaml_events: %s: cannot read or parse\n", argv[i]);
            return 1;
        }
        total += n;
    }
    printf("%ld\n", total);
    return 0;
}
