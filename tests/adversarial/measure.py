#!/usr/bin/env python3
"""Runs a command and writes 'SECONDS PEAK_RSS_KB EXIT_STATUS' to a file.

Usage: measure.py RESULT_FILE STDIN STDOUT STDERR -- COMMAND [ARGS...]
Peak RSS is the largest resident set of any process the command waited for
(getrusage RUSAGE_CHILDREN), so a pipeline inside `sh run` is covered.
"""
import resource
import subprocess
import sys
import time

result, stdin, stdout, stderr = sys.argv[1:5]
assert sys.argv[5] == "--"
with open(stdin, "rb") as i, open(stdout, "wb") as o, open(stderr, "wb") as e:
    start = time.monotonic()
    rc = subprocess.call(sys.argv[6:], stdin=i, stdout=o, stderr=e)
    seconds = time.monotonic() - start
rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(result, "w") as r:
    r.write("%.3f %d %d\n" % (seconds, rss_kb, rc))
