#!/usr/bin/env python3
"""Accuracy ratchet: extract the evaluation sets beside the checkout, score
them with their own scorer and fail when any score falls below its floor.

usage: accuracy.py --binary JUESUAN --floors FLOORS.json [--shared DIR]
                   [--write-floors]

FLOORS.json maps each set ("corpus/dev", "real") to {"overall": F1,
"docs": {doc_id: F1}, "flags_found": N, "false_flags": N}. A document without a
floor must still score; --write-floors records the current scores (rounded
down) as the new floors: raise them as the work improves, never lower them to
make a change pass. Standard library only.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile

SETS = ["corpus/dev", "real"]
LINE = re.compile(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+\|\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)")
OVERALL = re.compile(r"^facts: P=([\d.]+) R=([\d.]+) F1=([\d.]+) \| flags: found (\d+)/(\d+), false (\d+)")


def score(binary, truth_dir, shared, out_dir):
    pdfs = sorted(os.path.join(truth_dir, f) for f in os.listdir(truth_dir) if f.endswith(".pdf"))
    run = subprocess.run([binary, "extract", *pdfs, "--out", out_dir, "--quiet"],
                         capture_output=True, text=True)
    if run.stderr.strip():
        print(run.stderr.strip(), file=sys.stderr)
    scorer = os.path.join(shared, "corpus", "score.py")
    out = subprocess.run([sys.executable, scorer, truth_dir, out_dir], capture_output=True,
                         text=True, check=True).stdout
    docs, overall = {}, None
    for line in out.splitlines():
        m = LINE.match(line)
        if m:
            docs[m.group(1)] = {"f1": float(m.group(7)), "truth": int(m.group(2)),
                                "injected": int(m.group(8)), "found": int(m.group(9)),
                                "flags": int(m.group(11))}
        m = OVERALL.match(line)
        if m:
            overall = {"f1": float(m.group(3)), "found": int(m.group(4)),
                       "injected": int(m.group(5)), "false": int(m.group(6))}
    return out, docs, overall


OCR_MARGIN = 0.02


def read_by_ocr(truth_path):
    """True for scanned documents and those whose text layer is broken."""
    try:
        with open(truth_path, encoding="utf-8") as f:
            variant = json.load(f).get("variant") or {}
    except (OSError, ValueError):
        return False
    return bool(variant.get("scan")) or variant.get("text_layer") == "broken"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--floors", required=True)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    ap.add_argument("--write-floors", action="store_true")
    args = ap.parse_args()
    floors = {}
    if os.path.exists(args.floors):
        with open(args.floors, encoding="utf-8") as f:
            floors = json.load(f)
    failures, new_floors = [], {}
    for name in SETS:
        truth_dir = os.path.join(args.shared, name)
        if not os.path.isdir(truth_dir):
            print(f"accuracy: {name}: not present, skipped")
            continue
        with tempfile.TemporaryDirectory() as out_dir:
            report, docs, overall = score(args.binary, truth_dir, args.shared, out_dir)
        print(f"accuracy: {name}\n{report}")
        floor = floors.get(name, {})
        down = lambda v: math.floor(v * 1000) / 1000
        # Tesseract's LSTM may read a figure differently on another CPU
        # (other SIMD paths): documents read by OCR keep a margin below
        # their score, text-layer documents none.
        ocr_docs = {d for d in docs if read_by_ocr(os.path.join(truth_dir, d + ".truth.json"))}
        margin = lambda d: OCR_MARGIN if d in ocr_docs else 0.0
        ocr_injected = sum(s["injected"] for d, s in docs.items() if d in ocr_docs)
        new_floors[name] = {"overall": down(overall["f1"] - (OCR_MARGIN / 2 if ocr_docs else 0.0)),
                            "docs": {d: down(max(0.0, s["f1"] - margin(d))) for d, s in docs.items()},
                            "flags_found": max(0, overall["found"] - (ocr_injected + 3) // 4),
                            "false_flags": overall["false"]}
        if overall["f1"] < floor.get("overall", 0):
            failures.append(f"{name}: overall F1 {overall['f1']:.4f} < floor {floor['overall']}")
        for doc, s in docs.items():
            want = floor.get("docs", {}).get(doc)
            if want is not None and s["f1"] < want:
                failures.append(f"{name}: {doc}: F1 {s['f1']:.4f} < floor {want}")
        if overall["found"] < floor.get("flags_found", 0):
            failures.append(f"{name}: flags found {overall['found']} < floor {floor['flags_found']}")
        if "false_flags" in floor and overall["false"] > floor["false_flags"]:
            failures.append(f"{name}: false flags {overall['false']} > ceiling {floor['false_flags']}")
    if args.write_floors:
        with open(args.floors, "w", encoding="utf-8") as f:
            json.dump(new_floors, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.write("\n")
        print(f"accuracy: floors written to {args.floors}")
    if failures:
        print("accuracy: FAILED\n  " + "\n  ".join(failures))
        return 1
    print("accuracy: every score at or above its floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
