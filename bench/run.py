#!/usr/bin/env python3
"""Runs the iprcheck benchmark against ripgrep, GNU grep and iprcheck's naive engine.

Every program reads the same bytes in the same job, so the ratios hold on any machine even
though the absolute MB/s do not.  Each figure is the best of up to three runs (fewer when a
figure has already used its time budget; the table says how many); wall time is measured
around the whole process (start-up, rule loading and compilation included); CPU time and peak
RSS come from GNU time(1) around the program.  Results go to stdout as they come and to a Markdown file (bench/RESULTS.md).

  run.py --iprcheck build/iprcheck --data build/bench-data [--small] [--results FILE]
  run.py --iprcheck build/iprcheck --data build/bench-data --large     # 200 MB vs 1 GB RSS only

The --large run rewrites only its own section of the results file, and the default run keeps
that section, so the two can be run at different times.
"""

import argparse
import ctypes
import csv
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LARGE_BEGIN = "<!-- bench-large:begin -->"
LARGE_END = "<!-- bench-large:end -->"
NOTES_BEGIN = "<!-- notes:begin -->"
NOTES_END = "<!-- notes:end -->"
TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None  # GNU time
FIGURE_BUDGET_S = 75.0  # stop repeating a figure once its runs have taken this long
PEER_FULL_LIMIT_S = 60.0  # a peer projected to take longer than this runs on a slice only


class Run:
    def __init__(self, wall, user, sys_, maxrss_kb, rc, timed_out=False):
        self.wall, self.user, self.sys, self.maxrss_kb, self.rc = wall, user, sys_, maxrss_kb, rc
        self.timed_out = timed_out


# no_huge_pages as a shell command prefix, for the commands written down
NO_HUGE_PAGES_SHELL = ("python3 -c 'import ctypes, os, sys; ctypes.CDLL(None).prctl(41, 1, 0, 0, 0); "
                       "os.execvp(sys.argv[1], sys.argv[1:])' ")


def no_huge_pages():
    """In the child before exec: no transparent huge pages for it and its children
    (PR_SET_THP_DISABLE is kept across fork and exec), so that its peak RSS counts the 4 KiB
    pages it touched, not whole 2 MiB pages."""
    ctypes.CDLL(None, use_errno=True).prctl(41, 1, 0, 0, 0)


def run_once(argv, cwd, stdin_path=None, stdout_path=os.devnull, stderr_path=os.devnull,
             timeout=None, feed=None, env=None, rusage_path=None, small_pages=False):
    """One process; feed is a list of files streamed to its stdin through `cat`.

    CPU time and peak RSS come from GNU time wrapped around the program: a process forked from
    this (large) Python process would inherit its peak RSS in ru_maxrss across exec(2), while
    time(1) is small and reports what its own child used."""
    timed_out = [False]
    if rusage_path and TIME:
        argv = [TIME, "-f", "%M %U %S", "-o", rusage_path] + argv
    with open(stdout_path, "wb") as fout, open(stderr_path, "wb") as ferr:
        feeder = None
        fin = open(stdin_path or os.devnull, "rb")
        try:
            t0 = time.perf_counter()
            if feed:
                feeder = subprocess.Popen(["cat"] + feed, cwd=cwd, stdout=subprocess.PIPE)
                p = subprocess.Popen(argv, cwd=cwd, stdin=feeder.stdout, stdout=fout, stderr=ferr,
                                     env=env, start_new_session=True,
                                     preexec_fn=no_huge_pages if small_pages else None)
                feeder.stdout.close()
            else:
                p = subprocess.Popen(argv, cwd=cwd, stdin=fin, stdout=fout, stderr=ferr, env=env,
                                     start_new_session=True,
                                     preexec_fn=no_huge_pages if small_pages else None)
            timer = None
            if timeout:
                def kill():
                    timed_out[0] = True
                    os.killpg(p.pid, 9)
                timer = threading.Timer(timeout, kill)
                timer.start()
            _, status, ru = os.wait4(p.pid, 0)
            t1 = time.perf_counter()
            p.returncode = os.waitstatus_to_exitcode(status)
            if timer:
                timer.cancel()
            if feeder:
                feeder.wait()
        finally:
            fin.close()
    user, sys_, maxrss = ru.ru_utime, ru.ru_stime, ru.ru_maxrss
    if rusage_path and TIME:
        try:
            with open(rusage_path, encoding="ascii", errors="replace") as f:
                last = f.read().strip().splitlines()[-1].split()
            maxrss, user, sys_ = int(last[0]), float(last[1]), float(last[2])
        except (OSError, IndexError, ValueError):
            pass
    return Run(t1 - t0, user, sys_, maxrss, p.returncode, timed_out[0])


class Bench:
    def __init__(self, args):
        self.args = args
        self.data = os.path.abspath(args.data)
        self.iprcheck = os.path.abspath(args.iprcheck)
        self.ipr = os.path.relpath(self.iprcheck, self.data)
        if "/" not in self.ipr:
            self.ipr = "./" + self.ipr
        self.yaml_events = None
        if args.yaml_events:
            self.yaml_events = os.path.relpath(os.path.abspath(args.yaml_events), self.data)
        self.figures = {}
        self.order = []
        self.notes = []
        self.pair_walls = None  # Q3c's commands run at once (pinned_together)
        with open(os.path.join(self.data, "corpus.json"), encoding="utf-8") as f:
            self.corpus = json.load(f)
        self.tmp = os.path.join(self.data, "out")
        os.makedirs(self.tmp, exist_ok=True)

    # ---- helpers ---------------------------------------------------------------------------

    def path(self, name):
        return os.path.join(self.data, name)

    def slice(self, src, mb):
        """The first mb MB of src, cut after a whole record (cached).  A CSV record may hold
        quoted newlines, so there the cut is at a newline preceded by an even number of quotes."""
        stem, ext = os.path.splitext(src)
        name = "%s-%gmb%s" % (stem, mb, ext)
        dst = self.path(name)
        if not os.path.exists(dst):
            # copied line by line, so this process stays small (see run_once)
            limit = int(mb * 1000000)
            written = quotes = 0
            pending = []  # lines of a CSV record still inside quotes
            with open(self.path(src), "rb") as fin, open(dst + ".part", "wb") as fout:
                for line in fin:
                    if written + len(line) + sum(map(len, pending)) > limit:
                        break
                    if ext == ".csv":
                        pending.append(line)
                        quotes += line.count(b'"')
                        if quotes % 2:
                            continue
                        line = b"".join(pending)
                        pending = []
                    fout.write(line)
                    written += len(line)
            os.replace(dst + ".part", dst)
        return name

    def lines(self, name):
        """Records in a JSONL file, or in a CSV file (rows minus the header)."""
        if name in ("listings.jsonl", "listings.csv"):
            return self.corpus["records"]
        if name.endswith(".csv"):
            with open(self.path(name), encoding="utf-8", newline="") as f:
                return sum(1 for _ in csv.reader(f)) - 1
        n = 0
        with open(self.path(name), "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                n += chunk.count(b"\n")
        return n

    def measure(self, fid, label, argv, input_name, runs=None, ok_codes=(0, 1), timeout=None,
                feed=None, input_bytes=None, records=None, stdin_name=None, locale=None,
                small_pages=False):
        """Best of up to `runs` runs (by wall time); peak RSS is the largest seen."""
        return self.measure_in_turn([dict(fid=fid, label=label, argv=argv, input_name=input_name,
                                          ok_codes=ok_codes, timeout=timeout, feed=feed,
                                          input_bytes=input_bytes, records=records,
                                          stdin_name=stdin_name, locale=locale,
                                          small_pages=small_pages)], runs)[0]

    def measure_in_turn(self, specs, runs=None):
        """measure() for several commands whose figures are compared with each other: their
        runs take turns (A, B, A, B, ...), so that a host that slows down or speeds up
        between them weighs on each alike, where runs one command after the other put the
        whole change into the ratio."""
        runs = runs or self.args.runs
        for sp in specs:
            sp.setdefault("ok_codes", (0, 1))
            sp["results"] = []
            sp["out"] = os.path.join(self.tmp, sp["fid"] + ".out")
            sp["err"] = os.path.join(self.tmp, sp["fid"] + ".err")
            sp["env"] = None
            if sp.get("locale"):
                sp["env"] = dict(os.environ)
                sp["env"]["LC_ALL"] = sp["locale"]
        for _ in range(runs):
            for sp in specs:
                res = sp["results"]
                if res and (res[-1].timed_out or res[-1].rc not in sp["ok_codes"] or
                            sum(x.wall for x in res) > FIGURE_BUDGET_S):
                    continue  # stopped: failed, or its runs took long enough
                stdin_name = sp.get("stdin_name")
                res.append(run_once(sp["argv"], self.data,
                                    stdin_path=self.path(stdin_name) if stdin_name else None,
                                    stdout_path=sp["out"], stderr_path=sp["err"],
                                    timeout=sp.get("timeout"), feed=sp.get("feed"),
                                    env=sp["env"],
                                    rusage_path=os.path.join(self.tmp, sp["fid"] + ".rusage"),
                                    small_pages=sp.get("small_pages", False)))
        return [self.record_figure(sp) for sp in specs]

    def record_figure(self, sp):
        fid, label, argv, input_name = sp["fid"], sp["label"], sp["argv"], sp["input_name"]
        results, ok_codes, locale = sp["results"], sp["ok_codes"], sp.get("locale")
        stdin_name, input_bytes, records = sp.get("stdin_name"), sp.get("input_bytes"), \
            sp.get("records")
        best = min(results, key=lambda x: x.wall)
        size = input_bytes if input_bytes is not None else os.path.getsize(self.path(input_name))
        fig = {
            "id": fid, "label": label,
            "command": ("LC_ALL=%s " % locale if locale else "") +
                       (NO_HUGE_PAGES_SHELL if sp.get("small_pages") else "") +
                       " ".join(shell_word(a) for a in argv) +
                       (" < " + stdin_name if stdin_name else ""),
            "input": input_name, "bytes": size,
            "records": records if records is not None else self.lines(input_name),
            "runs": len(results), "wall": best.wall, "cpu": best.user + best.sys,
            "rss_mb": max(x.maxrss_kb for x in results) / 1024.0,
            "rc": best.rc, "ok": best.rc in ok_codes and not best.timed_out,
            "timed_out": any(x.timed_out for x in results),
            "output": sp["out"], "stderr": sp["err"],
        }
        fig["mbps"] = size / 1e6 / best.wall if best.wall > 0 else 0.0
        fig["mb_per_cpu"] = size / 1e6 / fig["cpu"] if fig["cpu"] > 0 else 0.0
        fig["rps"] = fig["records"] / best.wall if best.wall > 0 else 0.0
        fig["matches"] = self.count_output(argv, sp["out"], sp["err"])
        self.figures[fid] = fig
        self.order.append(fid)
        print("  %-4s %-52s %8.3f s %9.1f MB/s %7.1f MB RSS  (%d run%s)%s" % (
            fid, label[:52], fig["wall"], fig["mbps"], fig["rss_mb"], fig["runs"],
            "" if fig["runs"] == 1 else "s", "" if fig["ok"] else "  FAILED rc=%d" % best.rc),
            flush=True)
        return fig

    @staticmethod
    def count_output(argv, out, err):
        """Lines matched (grep/rg -c) or records flagged (iprcheck's summary line)."""
        try:
            if os.path.basename(argv[0]) in ("rg", "grep"):
                with open(out, encoding="utf-8", errors="replace") as f:
                    text = f.read().strip()
                return int(text) if text.isdigit() else None
            with open(err, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if line.startswith("{") and '"flagged"' in line:
                        return json.loads(line).get("flagged")
        except (OSError, ValueError):
            pass
        return None

    # ---- the benchmark ---------------------------------------------------------------------

    def marks100k_args(self):
        args = []
        for part in self.corpus["marks100k_parts"]:
            args += ["--trademarks", part]
        return args

    def scan(self, jobs, extra, inp, engine=None):
        argv = [self.ipr, "scan", "-j", str(jobs), "--format", "jsonl"]
        if engine:
            argv += ["--engine", engine]
        return argv + extra + [inp]

    def write_pack(self, name, title, rule_id, rule_title, match, terms=""):
        """Writes a pack of one high rule on every field to the data folder."""
        with open(self.path(name), "w") as f:
            f.write("pack: %s\nstage: marketing\nversion: \"1\"\ntitle: %s\n%s"
                    "rules:\n  - id: %s\n    title: %s\n    severity: high\n"
                    "    fields: [\"*\"]\n    match: %s\n" % (
                        name[:-len(".yaml")], title, terms, rule_id, rule_title, match))

    @staticmethod
    def only_packs(*packs):
        """Arguments that scan with these packs alone: no built-in rules or marks."""
        argv = ["--no-default-rules", "--no-default-trademarks"]
        for pack in packs:
            argv += ["-r", pack]
        return argv

    def run_default(self):
        small = self.args.small
        m10k = ["--trademarks", "marks10k.yaml"]
        m100k = self.marks100k_args()
        rx = ["--no-default-rules", "-r", "regex200.yaml"]
        rx_mixed = rx + ["-r", "noatom10.yaml"]
        open(self.path("empty.jsonl"), "w").close()

        print("load and compile (scan of an empty file):", flush=True)
        # figures compared with each other (K4, K8 and the like) take turns: measure_in_turn
        self.measure_in_turn([
            dict(fid="L1", label="built-in packs and marks", argv=self.scan(1, [], "empty.jsonl"),
                 input_name="empty.jsonl"),
            dict(fid="L2", label="built-in + 10k marks", argv=self.scan(1, m10k, "empty.jsonl"),
                 input_name="empty.jsonl"),
            dict(fid="L3c", label="built-in + 100k marks, CSV registry",
                 argv=self.scan(1, ["--trademarks", "marks100k.csv"], "empty.jsonl"),
                 input_name="empty.jsonl"),
            dict(fid="L3", label="built-in + 100k marks", argv=self.scan(1, m100k, "empty.jsonl"),
                 input_name="empty.jsonl")], runs=5)
        # with transparent huge pages (always, on many hosts) peak RSS moves in 2 MiB steps:
        # 20 bytes a mark of 100,000, 200 of 10,000; the same three without them count the
        # 4 KiB pages touched (K8n, K8bn)
        self.measure_in_turn([
            dict(fid=fid, label=self.figures[fid[:2]]["label"] +
                 ", 4 KiB pages (no transparent huge pages)",
                 argv=self.scan(1, args, "empty.jsonl"), input_name="empty.jsonl",
                 small_pages=True)
            for fid, args in (("L1n", []), ("L2n", m10k), ("L3n", m100k))], runs=3)
        # the same four files opened by a "---" document marker, which the plain-YAML reader
        # leaves to libyaml: what a registry outside that subset costs
        marked = []
        for part in self.corpus["marks100k_parts"]:
            name = part.replace(".yaml", "-libyaml.yaml")
            if not os.path.exists(self.path(name)):
                with open(self.path(part), "rb") as fin, open(self.path(name), "wb") as fout:
                    fout.write(b"---\n")
                    shutil.copyfileobj(fin, fout)
            marked += ["--trademarks", name]
        self.measure("L3x", "built-in + 100k marks, the YAML files opened by '---' (libyaml)",
                     self.scan(1, marked, "empty.jsonl"), "empty.jsonl", runs=5)
        self.measure("L4", "regex200 pack only", self.scan(1, rx, "empty.jsonl"), "empty.jsonl",
                     runs=5)
        if self.yaml_events:
            # libyaml reading the same four files, events thrown away: L3 without the
            # plain-YAML reader would start from this
            parts = self.corpus["marks100k_parts"]
            self.measure("Y1", "libyaml alone: the events of the four 100k YAML files",
                         [self.yaml_events] + parts, parts[0], runs=5, ok_codes=(0,),
                         input_bytes=sum(os.path.getsize(self.path(p)) for p in parts),
                         records=0)

        print("end to end, whole JSONL corpus, and the peers on the same file:", flush=True)
        # F1: one rule on every field whose one literal is in no listing: reading the file,
        # parsing every line and walking every field with nothing found, the part of E1 that
        # no set of checks can take away
        self.write_pack("floor.yaml", "One literal no listing holds", "FLOOR-NONE", "Never found",
                        "{regex: zqxjvq}")
        # E2, the same with 100k marks: "the 10k-mark figure" of the 100k goal is E1's
        self.measure_in_turn([
            dict(fid="F1", label="iprcheck -j2, one rule that finds nothing (the floor)",
                 argv=self.scan(2, self.only_packs("floor.yaml"), "listings.jsonl"),
                 input_name="listings.jsonl"),
            dict(fid="E1", label="iprcheck -j2, built-in + 10k marks",
                 argv=self.scan(2, m10k, "listings.jsonl"), input_name="listings.jsonl"),
            dict(fid="E2", label="iprcheck -j2, built-in + 100k marks",
                 argv=self.scan(2, m100k, "listings.jsonl"), input_name="listings.jsonl"),
            dict(fid="P1", label="rg -F -f marks10k.txt (case-sensitive)",
                 argv=["rg", "-c", "-F", "-f", "marks10k.txt", "listings.jsonl"],
                 input_name="listings.jsonl")])
        self.peer("P2", "grep -F -w -i -f marks10k.txt",
                  ["grep", "-c", "-F", "-w", "-i", "-f", "marks10k.txt"], locale="C")
        self.peer("P3", "rg -F -w -i -f marks10k.txt",
                  ["rg", "-c", "-F", "-w", "-i", "-f", "marks10k.txt"])
        self.measure("P4", "rg -F -f marks100k.txt (case-sensitive)",
                     ["rg", "-c", "-F", "-f", "marks100k.txt", "listings.jsonl"], "listings.jsonl")
        self.peer("P6", "grep -F -w -i -f marks10k.txt, UTF-8 locale",
                  ["grep", "-c", "-F", "-w", "-i", "-f", "marks10k.txt"], locale="C.UTF-8",
                  probe_mb=0.25)

        # The peers' own job done by iprcheck: the 10k marks as one term list (whole words,
        # caseless, what P2 looks for) over every field, without the built-in packs and
        # registry; beside E1 it tells the engine from the breadth of the built-in checks
        self.write_pack("dict10k.yaml", "The 10k marks as one term list", "DICT-10K",
                        "A name of the 10k list", "{terms: marks}",
                        terms="terms:\n  marks: {file: marks10k.txt}\n")
        self.measure("D1", "iprcheck -j2, only the 10k marks as one term list (the peers' job)",
                     self.scan(2, self.only_packs("dict10k.yaml"), "listings.jsonl"),
                     "listings.jsonl")
        # and with regex200.yaml beside it: both kinds of search on every field, without the
        # breadth of the built-in checks
        self.measure("D2", "iprcheck -j2, the 10k marks as one term list + regex200",
                     self.scan(2, self.only_packs("dict10k.yaml", "regex200.yaml"),
                               "listings.jsonl"),
                     "listings.jsonl")

        # The slower iprcheck configurations share one slice, so their ratios compare the
        # same bytes while the whole run stays within its time budget.
        part = self.slice("listings.jsonl", 5 if small else 50)
        print("iprcheck on the first %s of the JSONL corpus:" % part, flush=True)
        self.measure_in_turn([
            dict(fid="Q1", label="iprcheck -j2, built-in + 10k marks",
                 argv=self.scan(2, m10k, part), input_name=part),
            dict(fid="Q2", label="iprcheck -j2, built-in + 100k marks",
                 argv=self.scan(2, m100k, part), input_name=part),
            dict(fid="Q3", label="iprcheck -j1, built-in + 10k marks",
                 argv=self.scan(1, m10k, part), input_name=part)])
        # Q3 on each core in turn: the cores of a virtual machine need not be equally fast,
        # and two threads can gain no more than the slower core adds to the faster one
        cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
        if shutil.which("taskset") and 2 <= len(cpus) <= 4:
            pslice = self.slice("listings.jsonl", 2 if small else 10)
            for cpu in cpus:
                self.measure("Q3c%d" % cpu, "iprcheck -j1, built-in + 10k marks, on CPU %d only"
                             % cpu, ["taskset", "-c", str(cpu)] + self.scan(1, m10k, pslice),
                             pslice)
            # the same runs at once, one on each CPU: cores of a virtual machine can slow
            # each other down (siblings of one physical core, or a busy host), which no run
            # on one core shows and which caps K6 as surely as a slow core
            self.pair_walls = self.pinned_together(
                [["taskset", "-c", str(cpu)] + self.scan(1, m10k, pslice) for cpu in cpus])
        cpart = self.slice("listings.csv", 5 if small else 50)
        print("CSV (first %s):" % cpart, flush=True)
        self.measure_in_turn([
            dict(fid="C1", label="iprcheck -j2, built-in + 10k marks, CSV",
                 argv=self.scan(2, m10k, cpart), input_name=cpart),
            dict(fid="C2", label="rg -F -f marks10k.txt, CSV",
                 argv=["rg", "-c", "-F", "-f", "marks10k.txt", cpart], input_name=cpart)])

        # the slice of Q1-Q3: on 10 MB, loading the pack and starting the process were a
        # third of R1, which made K5 a measure of start-up more than of matching
        rslice = part
        print("regex rules, prefilter vs naive (one thread, %s):" % rslice, flush=True)
        self.measure_in_turn([
            dict(fid="R1", label="regex200, prefilter", argv=self.scan(1, rx, rslice),
                 input_name=rslice),
            dict(fid="R2", label="regex200, --engine naive", argv=self.scan(1, rx, rslice, "naive"),
                 input_name=rslice)])
        self.measure("R3", "regex200 + noatom10, prefilter", self.scan(1, rx_mixed, rslice),
                     rslice)
        same = files_equal(self.figures["R1"]["output"], self.figures["R2"]["output"])
        self.notes.append("R1 and R2 wrote %s reports." % ("identical" if same else "DIFFERENT"))
        for pack, total in (("regex200.yaml", 200), ("noatom10.yaml", 10)):
            self.notes.append("`iprcheck rules lint %s`: %s of its %d rules run on every field "
                              "(no literal the prefilter can look for)." % (
                                  pack, always_run(self.iprcheck, self.data, pack), total))

        if not self.args.no_profile:
            self.profile(m10k, rx)

    def pinned_together(self, argvs, runs=3):
        """Runs the commands at the same time, `runs` times; the walls of the round whose
        slowest command finished first."""
        best = None
        for _ in range(runs):
            walls = [None] * len(argvs)

            def one(i):
                walls[i] = run_once(argvs[i], self.data).wall

            threads = [threading.Thread(target=one, args=(i,)) for i in range(len(argvs))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if None not in walls and (best is None or max(walls) < max(best)):
                best = walls
        if best:
            print("  Q3c at once: %s" % ", ".join("%.3f s" % w for w in best), flush=True)
        return best

    def peer(self, fid, label, argv_prefix, locale=None, probe_mb=1):
        """A peer that is very slow on this workload runs on a small slice only, and its wall
        time on the whole corpus is projected from that speed (the table says so)."""
        probe = self.slice("listings.jsonl", probe_mb)
        fig = self.measure(fid + "s", label + " (%g MB slice)" % probe_mb, argv_prefix + [probe],
                           probe, timeout=PEER_FULL_LIMIT_S, locale=locale)
        full = os.path.getsize(self.path("listings.jsonl"))
        if fig["ok"] and fig["mbps"] > 0 and full / 1e6 / fig["mbps"] <= PEER_FULL_LIMIT_S:
            return self.measure(fid, label, argv_prefix + ["listings.jsonl"], "listings.jsonl",
                                locale=locale)
        projected = dict(fig)
        wall = full / 1e6 / fig["mbps"] if fig["mbps"] else float("inf")
        projected.update({"id": fid, "label": label + " (projected from the %g MB slice%s)" % (
                              probe_mb, ", which timed out: a lower bound" if fig["timed_out"]
                              else ""),
                          "input": "listings.jsonl", "bytes": full, "projected": True,
                          "records": self.corpus["records"], "wall": wall, "runs": 0,
                          "cpu": float("nan"), "matches": None,
                          "command": fig["command"].replace(probe, "listings.jsonl")})
        projected["rps"] = projected["records"] / wall
        self.figures[fid] = projected
        self.order.append(fid)
        print("  %-4s %-52s %8.1f s (projected)" % (fid, label[:52], wall), flush=True)
        return projected

    def run_large(self):
        """200 MB and 1 GB (the corpus five times) through standard input: peak RSS must not
        follow the input size."""
        m10k = ["--trademarks", "marks10k.yaml"]
        argv = [self.ipr, "scan", "-j", "2", "--format", "jsonl"] + m10k + ["-"]
        size = os.path.getsize(self.path("listings.jsonl"))
        print("peak RSS against input size (standard input):", flush=True)
        self.measure("G1", "iprcheck -j2 < listings.jsonl", argv, "listings.jsonl", runs=1,
                     stdin_name="listings.jsonl")
        five = ["listings.jsonl"] * 5
        fig = self.measure("G5", "iprcheck -j2 < listings.jsonl five times (cat)", argv, "listings.jsonl",
                           runs=1, feed=five, input_bytes=5 * size,
                           records=5 * self.corpus["records"])
        fig["command"] = "cat " + " ".join(five) + " | " + fig["command"]
        fig["input"] = "listings.jsonl x5"

    def profile(self, m10k, rx):
        """Where the time goes: the functions with the most self time, end to end and for the
        regex pack, on one thread and a small slice."""
        pslice = self.slice("listings.jsonl", 2 if self.args.small else 5)
        self.profiles = []
        for name, extra in (("built-in + 10k marks", m10k), ("regex200 pack", rx)):
            argv = self.scan(1, extra, pslice)
            top, how = profile_top(argv, self.data, self.tmp)
            self.profiles.append((name, " ".join(argv), how, top))
            print("  profile of %s (%s): %s" % (name, how, ", ".join(
                "%s %.1f%%" % (f, p) for f, p in top[:5]) or "not available"), flush=True)

    # ---- report ----------------------------------------------------------------------------

    def ratio(self, a, b, key="wall"):
        fa, fb = self.figures.get(a), self.figures.get(b)
        if not fa or not fb or not fb[key]:
            return None
        return fa[key] / fb[key]

    def goals(self):
        f = self.figures
        rows = []

        def goal(gid, text, value, target, better, unit="x", how=""):
            if value is None:
                rows.append((gid, text, "n/a", target_text(target, better, unit), "not measured",
                             how))
                return
            met = value <= target if better == "<=" else value >= target
            if met:
                verdict = "met"
            elif better == "<=":
                verdict = "missed: %.2f%s over the target (%.1fx too slow)" % (
                    value - target, unit, value / target) if unit == "x" else \
                    "missed by %.0f%s" % (value - target, unit)
            else:
                verdict = "missed: %.2f%s short (%.1fx from the target)" % (
                    target - value, unit, target / value if value else float("inf")) \
                    if unit == "x" else "missed by %.0f%s" % (target - value, unit)
            fmt = "%.3f%s" if unit == "x" else "%.0f %s"
            rows.append((gid, text, fmt % (value, unit), target_text(target, better, unit),
                         verdict, how))

        goal("K1", "end to end JSONL, built-in + 10k, -j2: wall vs `rg -F -f marks10k`",
             self.ratio("E1", "P1"), 0.8, "<=", how="E1 / P1 wall")
        goal("K2", "same: wall vs `grep -F -w -i -f marks10k`", self.ratio("E1", "P2"), 0.1,
             "<=", how="E1 / P2 wall")
        if all(k in f for k in ("Q1", "Q2", "L2", "L3")):
            # scanning only: loading the registry is K4's business, and on a slice its
            # fixed cost would dominate a ratio meant to show the per-byte cost of more marks
            scan10 = f["Q1"]["wall"] - f["L2"]["wall"]
            scan100 = f["Q2"]["wall"] - f["L3"]["wall"]
            if scan10 > 0 and scan100 > 0:
                goal("K3", "100k marks: scanning throughput vs 10k marks", scan10 / scan100, 0.9,
                     ">=", how="(Q1 - L2 wall) / (Q2 - L3 wall)")
        goal("K3e", "the same end to end, loading included", self.ratio("Q2", "Q1", "mbps"), 0.9,
             ">=", how="Q2 / Q1 MB/s")
        goal("K3w", "the same on the whole corpus (E1's figure)", self.ratio("E2", "E1", "mbps"),
             0.9, ">=", how="E2 / E1 MB/s")
        if "L3" in f and "L1" in f:
            goal("K4", "load + compile 100k marks (beyond the built-in set)",
                 (f["L3"]["wall"] - f["L1"]["wall"]) * 1000, 300, "<=", unit=" ms",
                 how="L3 - L1 wall")
        if "L3c" in f and "L1" in f:
            goal("K4c", "the same from one CSV registry",
                 (f["L3c"]["wall"] - f["L1"]["wall"]) * 1000, 300, "<=", unit=" ms",
                 how="L3c - L1 wall")
        goal("K5", "200 regex rules with atoms: prefilter vs `--engine naive`",
             self.ratio("R1", "R2", "mbps"), 50, ">=", how="R1 / R2 MB/s")
        if all(k in f for k in ("R1", "R2", "L4")):
            # as K3: both runs load and compile the same pack (L4), a fixed cost that
            # says nothing about matching
            scan_pre = f["R1"]["wall"] - f["L4"]["wall"]
            scan_naive = f["R2"]["wall"] - f["L4"]["wall"]
            if scan_pre > 0 and scan_naive > 0:
                goal("K5s", "the same, scanning only (loading the pack taken out)",
                     scan_naive / scan_pre, 50, ">=", how="(R2 - L4 wall) / (R1 - L4 wall)")
        goal("K6", "2 threads vs 1 thread", self.ratio("Q1", "Q3", "mbps"), 1.8, ">=",
             how="Q1 / Q3 MB/s")
        if "Q1" in f and "E1" in f:
            goal("K7", "peak RSS: whole corpus vs its first quarter (within 10 %)",
                 f["E1"]["rss_mb"] / f["Q1"]["rss_mb"], 1.10, "<=", how="E1 / Q1 RSS")
        # bytes a loaded mark takes: the load with marks less the one without, over the marks
        for gid, what, loaded, base, marks in (
                ("K8", "resident bytes per loaded mark (100k, beyond the base)", "L3", "L1",
                 100000),
                ("K8b", "resident bytes per loaded mark (10k, beyond the base)", "L2", "L1",
                 10000),
                ("K8n", "the same as K8 in 4 KiB pages (no transparent huge pages)", "L3n",
                 "L1n", 100000),
                ("K8bn", "the same as K8b in 4 KiB pages (no transparent huge pages)", "L2n",
                 "L1n", 10000)):
            if loaded in f and base in f:
                goal(gid, what, (f[loaded]["rss_mb"] - f[base]["rss_mb"]) * 1048576 / marks, 64,
                     "<=", unit=" B", how="(%s - %s RSS) / %s" % (loaded, base, format(marks, ",")))
        return rows

    def figure_table(self, ids):
        out = ["| id | what | runs | wall s | MB/s | records/s | CPU s | MB per CPU s | "
               "peak RSS MB | matched |", "|---|---|---|---|---|---|---|---|---|---|"]
        for fid in ids:
            fg = self.figures[fid]
            matched = fg.get("matches")
            projected = fg.get("projected")
            out.append("| %s | %s%s | %s | %.3f | %.1f | %s | %s | %s | %s | %s |" % (
                fid, fg["label"], "" if fg["ok"] else " **(failed, exit %d)**" % fg["rc"],
                "-" if projected else fg["runs"], fg["wall"], fg["mbps"],
                "{:,.0f}".format(fg["rps"]), "-" if projected else "%.2f" % fg["cpu"],
                "-" if projected or not fg["bytes"] else "%.1f" % fg["mb_per_cpu"],
                "-" if projected else "%.1f" % fg["rss_mb"],
                "" if matched is None else "{:,}".format(matched)))
        return out

    def commands(self, ids):
        out = ["```sh", "cd %s" % os.path.relpath(self.data, os.path.dirname(HERE))]
        for fid in ids:
            out += ["# %s: %s" % (fid, self.figures[fid]["label"]), self.figures[fid]["command"]]
        return out + ["```"]

    def write(self, machine, start_load, end_load, elapsed, mode):
        path = self.args.results
        previous = ""
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                previous = f.read()
        large = block(previous, LARGE_BEGIN, LARGE_END)
        notes = block(previous, NOTES_BEGIN, NOTES_END)
        if mode == "large":
            large = "\n".join(self.large_section(machine, start_load, end_load))
            if LARGE_BEGIN in previous:
                text = previous.replace(previous[previous.index(LARGE_BEGIN):
                                                 previous.index(LARGE_END) + len(LARGE_END)],
                                        large)
            else:
                text = previous.rstrip("\n") + "\n\n" + large + "\n"
        else:
            text = "\n".join(self.main_section(machine, start_load, end_load, elapsed))
            if notes:
                text += "\n" + notes + "\n"
            text += "\n" + (large or LARGE_BEGIN + "\n## Peak RSS against input size (1 GB)\n\n"
                            "Not run yet: `make bench-large`.\n" + LARGE_END) + "\n"
        with open(path + ".part", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(path + ".part", path)
        print("results written to %s" % path)

    def machine_lines(self, machine, start_load, end_load):
        L = ["| | |", "|---|---|"] + ["| %s | %s |" % kv for kv in machine] + [
            "| load average (1 min) before / after | %s / %s |" % (start_load, end_load)]
        try:
            # the load after the run is mostly the benchmark's own threads: only the load
            # before it says whether other work shared the machine
            busy = float(start_load) > 0.5 * (os.cpu_count() or 1)
        except ValueError:
            busy = False
        if busy:
            L += ["", "**Other work was running on this machine during the run** (see the load "
                  "average): wall times, and the thread-scaling ratio most of all, are not "
                  "reliable. The CPU-time column (`MB per CPU s`) is much less affected. "
                  "Rerun on an idle machine before drawing conclusions."]
        return L

    def main_section(self, machine, start_load, end_load, elapsed):
        c = self.corpus
        L = ["# iprcheck benchmark results", "",
             "Written by `%s` on %s UTC; the run took %.0f s. How to read and rerun this: "
             "[README.md](README.md)." % ("make bench-small" if self.args.small else
                                          "make bench", utc_now(), elapsed), "",
             "## Machine", ""] + self.machine_lines(machine, start_load, end_load) + [
            "", "## Corpus", "",
            "Generated by `bench/gen_corpus.py` (seed %d, generator %d): `listings.jsonl` %s "
            "bytes, `listings.csv` %s bytes, %s records of which %s (%.1f %%) carry risky "
            "wording; 10,000 and 100,000 synthetic marks; `regex200.yaml` (200 regex rules with "
            "literal atoms) and `noatom10.yaml` (10 without)." % (
                c["seed"], c["generator"], "{:,}".format(c["jsonl_bytes"]),
                "{:,}".format(c["csv_bytes"]), "{:,}".format(c["records"]),
                "{:,}".format(c["risky_records"]), 100.0 * c["risky_records"] / c["records"]),
            "", "## Goals", "",
            "| goal | what | measured | target | verdict | from |", "|---|---|---|---|---|---|"]
        for row in self.goals():
            L.append("| %s | %s | %s | %s | %s | %s |" % row)
        L += ["", "## Ratios", ""]
        for a, b, key, text in (
                ("E1", "P1", "wall", "iprcheck (-j2, built-in + 10k) wall / `rg -F` 10k wall"),
                ("E1", "P2", "wall", "iprcheck wall / `grep -F -w -i` 10k wall"),
                ("E1", "P3", "wall", "iprcheck wall / `rg -F -w -i` 10k wall"),
                ("E1", "P6", "wall", "iprcheck wall / `grep -F -w -i` 10k wall in a UTF-8 locale"),
                ("E1", "P4", "wall", "iprcheck (10k) wall / `rg -F` 100k wall"),
                ("D1", "P1", "wall", "iprcheck doing only the peers' job (D1) wall / `rg -F` 10k "
                 "wall"),
                ("D1", "P2", "wall", "the same / `grep -F -w -i` 10k wall"),
                ("E1", "D1", "wall", "the built-in checks and marks (E1) / the peers' job (D1), "
                 "wall"),
                ("D2", "P1", "wall", "iprcheck with the 10k marks as a term list and regex200 "
                 "(D2) wall / `rg -F` 10k wall"),
                ("F1", "P1", "wall", "iprcheck finding nothing (F1, the floor) wall / `rg -F` 10k "
                 "wall"),
                ("F1", "P2", "wall", "the same / `grep -F -w -i` 10k wall"),
                ("F1", "E1", "wall", "the floor (F1) / the built-in checks and marks (E1), wall"),
                ("C1", "C2", "wall", "iprcheck CSV wall / `rg -F` 10k CSV wall"),
                ("Q2", "Q1", "mbps", "100k marks / 10k marks throughput"),
                ("Q1", "Q3", "mbps", "2 threads / 1 thread throughput"),
                ("R1", "R2", "mbps", "regex200 prefilter / naive throughput"),
                ("R3", "R1", "mbps", "with 10 atom-less rules / atoms only throughput")):
            r = self.ratio(a, b, key)
            if r is not None:
                proj = " (peer projected from a slice)" if self.figures[b].get("projected") \
                    else ""
                L.append("- %s: **%.3f**%s" % (text, r, proj))
        pinned = [self.figures[k] for k in self.order if k.startswith("Q3c")]
        if len(pinned) >= 2 and all(p["wall"] > 0 for p in pinned):
            # K6 compares two threads with one; with cores of unequal speed one thread is
            # at best on the fastest, and the others add only their own speed
            speeds = [1.0 / p["wall"] for p in pinned]
            ceiling = sum(sorted(speeds, reverse=True)[:2]) / max(speeds)
            L.append("- speed of each core, one thread pinned to it (%s): slowest / fastest "
                     "**%.3f**, so 2 threads can be at most **%.2fx** one thread on the "
                     "fastest core (K6's ceiling on this machine)" % (
                         ", ".join(k for k in self.order if k.startswith("Q3c")),
                         min(speeds) / max(speeds), ceiling))
        together = self.pair_walls
        if len(pinned) >= 2 and together and len(together) == len(pinned):
            # the work both cores do at once, in units of the fastest core's work alone
            alone = max(1.0 / p["wall"] for p in pinned)
            ceiling = sum(1.0 / w for w in together) / alone
            L.append("- the same runs at once, one on each CPU: %s s (alone: %s s), so with "
                     "both cores busy 2 threads can be at most **%.2fx** one thread alone on "
                     "the fastest core (K6's ceiling during this run)" % (
                         " and ".join("%.3f" % w for w in together),
                         " and ".join("%.3f" % p["wall"] for p in pinned), ceiling))
        if "Y1" in self.figures and "L3" in self.figures and "L1" in self.figures:
            # what libyaml alone takes on the files K4 reads with the plain-YAML reader
            y1 = self.figures["Y1"]["wall"] * 1000
            k4 = (self.figures["L3"]["wall"] - self.figures["L1"]["wall"]) * 1000
            L.append("- libyaml alone reading the four YAML files of K4 (Y1): **%.0f ms**, "
                     "against K4's %.0f ms with iprcheck's own plain-YAML reader" % (y1, k4))
        if "L3x" in self.figures and "L1" in self.figures:
            k4x = (self.figures["L3x"]["wall"] - self.figures["L1"]["wall"]) * 1000
            L.append("- the same 100k marks from the YAML files opened by a `---` line, which go "
                     "to libyaml (L3x - L1): **%.0f ms**" % k4x)
        for n in self.notes:
            L.append("- " + n)
        L += ["", "## Figures", "",
              "Wall time is the best run; CPU is user + system time of that run; `matched` is "
              "lines with a match (grep, rg) or records flagged (iprcheck).", ""]
        L += self.figure_table([i for i in self.order])
        L += ["", "Commands (run from the data folder; `-c` makes grep and rg read everything "
              "and print a count, iprcheck writes its JSONL report to a file):", ""]
        L += self.commands(self.order)
        if getattr(self, "profiles", None):
            L += ["", "## Profile", "",
                  "Functions with the most self time, one thread, on a slice of the corpus:", ""]
            for name, cmd, how, top in self.profiles:
                L.append("- **%s** (`%s`, %s): %s" % (name, cmd, how, ", ".join(
                    "`%s` %.1f %%" % (fn, pct) for fn, pct in top[:10]) or "not available"))
        L.append("")
        return L

    def large_section(self, machine, start_load, end_load):
        f = self.figures
        L = [LARGE_BEGIN, "## Peak RSS against input size (1 GB)", "",
             "Written by `make bench-large` on %s UTC (load average before / after: %s / %s)."
             % (utc_now(), start_load, end_load), ""]
        L += self.figure_table(self.order)
        L += [""] + self.commands(self.order) + [""]
        if "G1" in f and "G5" in f:
            r = f["G5"]["rss_mb"] / f["G1"]["rss_mb"]
            L.append("Peak RSS 1 GB / 200 MB: **%.3f** (goal: within 10 %%, so <= 1.10): %s." % (
                r, "met" if r <= 1.10 else "missed by %.1f %%" % ((r - 1.10) * 100)))
        L.append(LARGE_END)
        return L


# ---- machine, tools, profile -----------------------------------------------------------------

def block(text, begin, end):
    """The part of text from begin to end (markers included), or ""."""
    if begin in text and end in text:
        return text[text.index(begin):text.index(end) + len(end)]
    return ""


def shell_word(s):
    return s if re.fullmatch(r"[A-Za-z0-9_./=:+,-]+", s) else "'" + s.replace("'", "'\\''") + "'"


def target_text(target, better, unit):
    return "%s %s%s" % (better, ("%g" % target), unit)


def always_run(iprcheck, cwd, pack):
    """How many rules of pack lint names as regexes the prefilter cannot skip."""
    r = subprocess.run([iprcheck, "rules", "lint", pack], cwd=cwd, capture_output=True, text=True)
    ids = re.findall(r"warning: regex in rule '([^']+)'.*prefilter", r.stdout + r.stderr)
    return len(dict.fromkeys(ids))


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")


def files_equal(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x, y = fa.read(1 << 20), fb.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True


def first_line(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "not available"


def load_average():
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return f.read().split()[0]
    except OSError:
        return "?"


def machine_info(iprcheck):
    cpu = "?"
    mem = "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    mem = "%.1f GiB" % (int(line.split()[1]) / 1048576.0)
    except OSError:
        pass
    return [("cores (nproc)", str(os.cpu_count())), ("CPU", cpu), ("memory", mem),
            ("kernel", platform.release()),
            ("iprcheck", first_line([iprcheck, "--version"])),
            ("ripgrep", first_line(["rg", "--version"])),
            ("GNU grep", first_line(["grep", "--version"])),
            ("Python (generator)", platform.python_version())]


def profile_top(argv, cwd, tmp):
    """[(function, self %)] from perf, else from callgrind; and which tool was used."""
    if shutil.which("perf"):
        data = os.path.join(tmp, "perf.data")
        r = subprocess.run(["perf", "record", "-q", "-F", "999", "-o", data, "--"] + argv,
                           cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode in (0, 1) and os.path.exists(data):
            rep = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children",
                                  "--sort", "symbol", "--percent-limit", "0.5"],
                                 capture_output=True, text=True)
            top = []
            for line in rep.stdout.splitlines():
                m = re.match(r"\s+([0-9.]+)%\s+\[[.k]\]\s+(\S+)", line)
                if m:
                    top.append((m.group(2), float(m.group(1))))
            if top:
                return top[:12], "perf record, self time"
    if shutil.which("valgrind") and shutil.which("callgrind_annotate"):
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out] + argv,
                       cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rep = subprocess.run(["callgrind_annotate", out], capture_output=True, text=True)
        total = None
        top = []
        for line in rep.stdout.splitlines():
            m = re.match(r"\s*([0-9,]+)\s+\(?\s*([0-9.]+)%\)?\s+\S*:(\S+)", line)
            if "PROGRAM TOTALS" in line:
                total = True
            elif m and total:
                top.append((m.group(3), float(m.group(2))))
        return top[:12], "callgrind, instructions"
    return [], "no profiler"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--iprcheck", required=True, help="the built program")
    ap.add_argument("--yaml-events", help="bench/yaml_events.c built: libyaml alone (figure Y1)")
    ap.add_argument("--data", required=True, help="corpus folder (generated when missing)")
    ap.add_argument("--small", action="store_true", help="20 MB corpus, for a quick look")
    ap.add_argument("--large", action="store_true", help="only the 200 MB vs 1 GB RSS runs")
    ap.add_argument("--runs", type=int, default=3, help="runs per figure (best is kept)")
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--results", default=os.path.join(HERE, "RESULTS.md"))
    args = ap.parse_args()
    t0 = time.time()

    missing = [t for t in ("rg", "grep") if not shutil.which(t)]
    if missing:
        print("missing: %s (bench/install-tools.sh installs them)" % " ".join(missing),
              file=sys.stderr)
        return 2
    gen = [sys.executable, os.path.join(HERE, "gen_corpus.py"), "--out", args.data]
    if args.small:
        gen.append("--small")
    print("corpus:", flush=True)
    subprocess.run(gen, check=True)

    bench = Bench(args)
    machine = machine_info(bench.iprcheck)
    for k, v in machine:
        print("  %-20s %s" % (k, v))
    start_load = load_average()
    if args.large:
        bench.run_large()
    else:
        bench.run_default()
    end_load = load_average()
    if not args.large:
        print("goals:")
        for row in bench.goals():
            print("  %-4s %-66s %12s  %s" % (row[0], row[1][:66], row[2], row[4]))
    bench.write(machine, start_load, end_load, time.time() - t0, "large" if args.large else
                "main")
    return 0


if __name__ == "__main__":
    sys.exit(main())
