#!/usr/bin/env python3
"""Standard input gives the records the file gives, however a pipe splits
the bytes.

The header of an export is found among its first rows, below any template
rows; on a pipe those rows arrive in pieces, and what is read must depend
on the bytes only.  Each input is scanned once as a file and then through
`iprcheck scan -` with a writer that sends small pieces with a pause after
each; the reports (json, file names aside) and exit statuses must be equal.

Inputs: the real Amazon flat file; the same file with the two rows Seller
Central writes above the field names; the tab-delimited template of the
adversarial cases.

Usage: pipe_chunks.py IPRCHECK DATA_DIR WORK_DIR
"""
import json
import os
import subprocess
import sys
import threading
import time

bin_path, data_dir, work = sys.argv[1], sys.argv[2], sys.argv[3]
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(work, exist_ok=True)
failed = False


def report(out):
    """The json report with every file name replaced: <stdin> vs the path."""
    doc = json.loads(out)

    def scrub(v):
        if isinstance(v, dict):
            return {k: ("F" if k == "file" else scrub(x)) for k, x in v.items()}
        if isinstance(v, list):
            return [scrub(x) for x in v]
        return v

    return scrub(doc)


def run_file(path):
    p = subprocess.run([bin_path, "scan", "-q", "-f", "json", path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    return p.returncode, report(p.stdout)


def run_pipe(data, piece, slow_bytes):
    """Feeds data in `piece`-byte writes, pausing after each for the first
    slow_bytes, then in 64 KiB writes.  The first piece is followed by a
    long pause, so the program has started and is waiting on the pipe with
    only that piece in it."""
    p = subprocess.Popen([bin_path, "scan", "-q", "-f", "json", "-"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def feed():
        off = 0
        try:
            while off < len(data):
                n = piece if off < slow_bytes else 65536
                p.stdin.write(data[off:off + n])
                p.stdin.flush()
                if off == 0:
                    time.sleep(0.5)
                off += n
                if off < slow_bytes:
                    time.sleep(0.0002)
            p.stdin.close()
        except BrokenPipeError:
            pass

    t = threading.Thread(target=feed)
    t.start()
    out = p.stdout.read()
    p.stderr.read()
    t.join()
    p.wait()
    return p.returncode, report(out)


def check(name, path, want_description, pieces):
    global failed
    with open(path, "rb") as f:
        data = f.read()
    rc_file, doc_file = run_file(path)
    description = doc_file["inputs"][0]["description"]
    if description != want_description:
        print("FAIL: %s: read as '%s', expected '%s'" % (name, description, want_description))
        failed = True
    for piece, slow in pieces:
        rc_pipe, doc_pipe = run_pipe(data, piece, slow)
        what = "%s through a pipe in %d-byte pieces" % (name, piece)
        if rc_pipe == rc_file and doc_pipe == doc_file:
            s = doc_pipe["summary"]
            print("ok: %s: %d records, %d findings, as the file (%s)"
                  % (what, s["records"], s["findings"], description))
            continue
        failed = True
        print("FAIL: %s: exit %d vs %d" % (what, rc_pipe, rc_file))
        print("  file: %s %s" % (doc_file["inputs"], doc_file["summary"]))
        print("  pipe: %s %s" % (doc_pipe["inputs"], doc_pipe["summary"]))


amazon = os.path.join(data_dir, "amazon-flatfile-uk", "amazon_upload_december_2021.csv")
with open(amazon, "rb") as f:
    original = f.read()
bom = b"\xef\xbb\xbf"
# Seller Central's template puts two rows above the field names; the real
# export was saved without them
template = os.path.join(work, "amazon_template.csv")
with open(template, "wb") as f:
    f.write(bom)
    f.write(b"TemplateType=fptcustom,Version=2021.1019,The top 3 rows are for Amazon use "
            b"only. Do not modify or delete the top 3 rows.\r\n")
    f.write(b"Product Type,Seller SKU,Brand Name,Product Name,Manufacturer,"
            b"Recommended Browse Nodes\r\n")
    f.write(original[len(bom):] if original.startswith(bom) else original)

# 100-byte pieces over the first 128 KiB (the header search and the
# encoding sample), single bytes over the first 8 KiB (the template rows
# and the field names)
pieces = [(100, 128 * 1024), (1, 8 * 1024)]
check("amazon flat file", amazon, "csv, profile amazon, encoding utf-8", pieces)
check("amazon template", template, "csv, profile amazon, header line 3, encoding utf-8", pieces)
check("tab-delimited template",
      os.path.join(here, "..", "cases", "adv-16-header-not-on-line-1", "amazon-flat-file.txt"),
      "tsv, profile amazon, header line 3, encoding utf-8", [(1, 1 << 20), (7, 1 << 20)])
sys.exit(1 if failed else 0)
