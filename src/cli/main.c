/*
 * main.c - the iprcheck program: parse options, run the command, map the
 * result to an exit status.  Everything else lives in run_*.c.
 */
#include <stdio.h>

#include "options.h"
#include "run.h"

int main(int argc, char **argv)
{
    struct cli_options opts;
    char err[512];
    if (!options_parse(argc, argv, &opts, err, sizeof(err))) {
        fprintf(stderr, "iprcheck: %s\n", err);
        return EXIT_NOT_RUN;
    }
    switch (opts.command) {
    case CMD_HELP:
        fputs(options_help(opts.help_topic), stdout);
        return EXIT_CLEAN;
    case CMD_VERSION:
        return run_version();
    case CMD_SCAN:
        return run_scan(&opts);
    default:
        return run_rules(&opts);
    }
}
