#!/usr/bin/python3
"""Scores extractor output against the variety set's truth (stdlib only).

    scripts/score_variety.py TRUTH_DIR OUT_DIR [--tables REGEX] [--verbose]
                             [--dimensions]

For each TRUTH_DIR/ID.truth.json it reads OUT_DIR/ID.facts.csv (header
table,row,col,value) and, where present, OUT_DIR/ID.flags.csv (header
table,row,col,kind). A fact is keyed by (table, row, col); values compare as
decimals once thousands separators are removed. Per document: precision,
recall and F1 of the facts; flag recall of its `injected` entries (the
planted source errors, scan set: found when a flag names the entry's cell);
false flags on documents without injected entries. Then an overall line
(pooled facts, the mean F1) and a flags line: errors flagged of those
planted (and how many had a flag on some cell of an identity they break,
as ../shared/corpus/score.py counts them), the false flags and the clean
documents they fall on, and the flags on documents with errors that name
no cell of a broken identity. --verbose lists each document's missed, wrong
and extra keys, unflagged errors and false flags; --dimensions adds pooled
scores per value of each layout choice recorded in `variant`.
"""

import argparse
import collections
import csv
import json
import os
import re
import sys
from decimal import Decimal, InvalidOperation


def number(text):
    text = text.strip().replace(",", "").replace("，", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return text  # compared as text: counts as wrong unless identical


def read_csv(path, fields):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", newline="") as f:
        return [tuple(row.get(k, "") or "" for k in fields)
                for row in csv.DictReader(f)]


class Score:
    def __init__(self):
        self.truth = self.got = self.right = 0

    def add(self, other):
        self.truth += other.truth
        self.got += other.got
        self.right += other.right

    def prf(self):
        p = self.right / self.got if self.got else (1.0 if not self.truth else 0.0)
        r = self.right / self.truth if self.truth else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def score_document(truth, out_dir, keep):
    """Returns (Score, detail dict) for one document."""
    want = {}
    for f in truth["facts"]:
        if keep(f["table"]):
            want[(f["table"], f["row"], f["col"])] = f["value"]
    rows = read_csv(os.path.join(out_dir, truth["doc_id"] + ".facts.csv"),
                    ("table", "row", "col", "value"))
    got, extra_dupes = {}, 0
    for table, row, col, value in rows or []:
        if not keep(table):
            continue
        if (table, row, col) in got:
            extra_dupes += 1
        else:
            got[(table, row, col)] = value
    s = Score()
    s.truth = len(want)
    s.got = len(got) + extra_dupes
    missed, wrong = [], []
    for key, value in want.items():
        if key not in got:
            missed.append(key)
        elif number(got[key]) == number(value):
            s.right += 1
        else:
            wrong.append((key, value, got[key]))
    extra = [k for k in got if k not in want]
    flags = read_csv(os.path.join(out_dir, truth["doc_id"] + ".flags.csv"),
                     ("table", "row", "col", "kind")) or []
    flagged = {(t, r, c) for t, r, c, _ in flags if keep(t)}
    injected = [e for e in truth.get("injected", []) if keep(e["table"])]
    found = any_cell = 0
    unflagged, matched = [], set()
    for e in injected:
        key = (e["table"], e["row"], e["col"])
        cells = {tuple(c) for c in e.get("identity_cells", [])} | {key}
        if key in flagged:
            found += 1
        else:
            unflagged.append(e)
        if flagged & cells:
            any_cell += 1
        matched |= flagged & cells
    detail = {"missed": missed, "wrong": wrong, "extra": extra,
              "no_output": rows is None, "injected": len(injected),
              "found": found, "any_cell": any_cell, "unflagged": unflagged,
              # a document without (kept) errors must raise no flag at all
              "false_flags": sorted(flagged) if not injected else [],
              "other_flags": len(flagged - matched) if injected else 0}
    return s, detail


def bucket(name, value):
    """A short label for one recorded choice, so that documents group."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, dict)):  # tables with a choice
        return "none" if not value else "n=%d" % len(value)
    if isinstance(value, float):
        if name == "fig_offset":
            return "0" if value == 0 else ("above" if value > 0 else "below")
        if name == "skew":
            return "|skew|<1" if abs(value) < 1 else \
                "|skew|<2" if abs(value) < 2 else "|skew|<=3"
        if name == "blur":
            return "<0.5" if value < 0.5 else "<1" if value < 1 else ">=1"
        if name == "contrast":
            return "<0.8" if value < 0.8 else "<0.9" if value < 0.9 else ">=0.9"
        if name == "noise":
            return "<4" if value < 4 else "<7" if value < 7 else ">=7"
        if name == "speckle":
            return "0" if value == 0 else ">0"
        if name == "scale":  # large units print figures of 1,000 and more
            return "<1.5" if value < 1.5 else ">=1.5"
    if name == "jpeg_quality":
        return "<50" if value < 50 else "<70" if value < 70 else ">=70"
    return str(value)


SKIP = {"seed", "source", "not_applied", "tables", "split", "narrative",
        "narrative_commas", "row_h", "image_only", "grey", "producer",
        "seal_over_figures", "wrap"}
FAMILY = {"uming": "宋", "gbsn": "宋", "ukai": "楷", "gkai": "楷", "wenkai": "楷",
          "wqy-microhei": "黑", "wqy-zenhei": "黑"}


def dimensions(truth):
    """(dimension, value) pairs of a document, from its `variant`."""
    v = truth.get("variant") or {}
    out = [("kind", truth["kind"]), ("scanned", "yes" if v.get("scan") else "no")]
    for group in ("style", "model", "scan"):
        for name, value in sorted((v.get(group) or {}).items()):
            if name in SKIP:
                continue
            if name == "seal_pages":
                name, value = "seals", len(value)
            out.append((name, bucket(name, value)))
    if "errors" in v:  # scan set 决算 documents: the slips planted, if any
        out.append(("errors", bucket("errors", v["errors"])))
    if not v.get("style"):  # fixtures and corpus documents record only these
        out += [(name, str(v[name])) for name in ("font", "ruling") if name in v]
    if "font" in v:
        out.append(("family", FAMILY.get(v["font"], v["font"])))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("truth_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--tables", help="only tables whose name matches REGEX")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--dimensions", action="store_true")
    args = ap.parse_args()
    pattern = re.compile(args.tables) if args.tables else None

    def keep(table):
        return not pattern or bool(pattern.search(table))

    names = sorted(n for n in os.listdir(args.truth_dir)
                   if n.endswith(".truth.json"))
    if not names:
        sys.exit("score_variety: no *.truth.json in %s" % args.truth_dir)
    total = Score()
    f1s = []
    inj = found = any_cell = false_flags = clean = flagged_clean = other = 0
    by_dim = collections.defaultdict(lambda: [Score(), 0])
    for name in names:
        with open(os.path.join(args.truth_dir, name), encoding="utf-8") as f:
            truth = json.load(f)
        s, d = score_document(truth, args.out_dir, keep)
        total.add(s)
        p, r, f1 = s.prf()
        f1s.append(f1)
        inj += d["injected"]
        found += d["found"]
        any_cell += d["any_cell"]
        other += d["other_flags"]
        if not d["injected"]:
            clean += 1
            false_flags += len(d["false_flags"])
            flagged_clean += bool(d["false_flags"])
        print("%-26s %-8s facts %4d  P %.3f  R %.3f  F1 %.3f  flags %d/%d  "
              "false %d%s" % (truth["doc_id"], truth["kind"], s.truth, p, r, f1,
                              d["found"], d["injected"], len(d["false_flags"]),
                              "  (no output)" if d["no_output"] else ""))
        if args.verbose:
            for key in d["missed"]:
                print("    missed %s" % ",".join(key))
            for key, want, got in d["wrong"]:
                print("    wrong  %s  truth %s got %s" % (",".join(key), want, got))
            for key in d["extra"]:
                print("    extra  %s" % ",".join(key))
            for e in d["unflagged"]:
                print("    unflagged error %s,%s,%s  printed %s consistent %s" % (
                    e["table"], e["row"], e["col"], e["printed"], e["consistent"]))
            for key in d["false_flags"]:
                print("    false flag %s" % ",".join(key))
        for dim in dimensions(truth):
            by_dim[dim][0].add(s)
            by_dim[dim][1] += 1
    p, r, f1 = total.prf()
    print("overall %d documents: facts %d  P %.3f  R %.3f  F1 %.3f  mean F1 %.3f  "
          "flag recall %d/%d  false flags %d on %d clean documents" % (
              len(names), total.truth, p, r, f1, sum(f1s) / len(f1s),
              found, inj, false_flags, clean))
    print("flags: planted errors flagged %d/%d%s (a cell of a broken identity "
          "flagged: %d); false flags %d, on %d of %d clean documents; flags "
          "naming no cell of a broken identity on documents with errors %d" % (
              found, inj, " (%.1f%%)" % (100.0 * found / inj) if inj else "",
              any_cell, false_flags, flagged_clean, clean, other))
    if args.dimensions:
        print("\nper dimension (facts pooled over the documents that drew the value)")
        print("%-16s %-14s %5s %6s %7s %7s" % ("dimension", "value", "docs",
                                               "facts", "recall", "F1"))
        for (dim, value), (s, n) in sorted(by_dim.items()):
            p, r, f1 = s.prf()
            print("%-16s %-14s %5d %6d %7.3f %7.3f" % (dim, value, n, s.truth, r, f1))


if __name__ == "__main__":
    main()
