#!/usr/bin/env python3
"""Runs a command and writes 'CPU_SECONDS PEAK_RSS_KB EXIT_STATUS' to a file.

Usage: measure.py RESULT_FILE STDIN STDOUT STDERR -- COMMAND [ARGS...]
CPU seconds (user + system) and peak RSS cover every process the command
waited for (getrusage RUSAGE_CHILDREN), so a pipeline inside `sh run` is
covered.  CPU time, not wall-clock time, so that a busy machine running
tests in parallel does not fail a budget.
"""
import resource
import subprocess
import sys

result, stdin, stdout, stderr = sys.argv[1:5]
assert sys.argv[5] == "--"
# children the interpreter itself may have run before this point are not counted
before = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(stdin, "rb") as i, open(stdout, "wb") as o, open(stderr, "wb") as e:
    rc = subprocess.call(sys.argv[6:], stdin=i, stdout=o, stderr=e)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
seconds = (usage.ru_utime - before.ru_utime) + (usage.ru_stime - before.ru_stime)
rss_kb = usage.ru_maxrss
with open(result, "w") as r:
    r.write("%.3f %d %d\n" % (seconds, rss_kb, rc))
