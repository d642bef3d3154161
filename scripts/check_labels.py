#!/usr/bin/env python3
"""Measures the labels of a facts export (`juesuan export STORE > facts.csv`).

    scripts/check_labels.py facts.csv

Prints, and fails (exit 1) unless they hold:
- every fact has a non-empty col_label;
- at least 99% of the facts of coded rows (科目编码: 3, 5 or 7 digits) and
  every fact of an item row have a row_label;
- value_yuan = value x 10000 for 万元 tables and = value for 元 tables,
  compared as exact decimals; no value_yuan only for scores and rates.
Python 3 standard library only.
"""

import csv
import decimal
import sys

SCORES = {"分值", "得分", "执行率"}


def main(path):
    n = no_col = coded = coded_labelled = items = items_labelled = 0
    money = exact = 0
    wrong = []
    by_source = {}
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            n += 1
            no_col += not r["col_label"]
            by_source[r["label_source"]] = by_source.get(r["label_source"], 0) + 1
            if r["row"].isdigit() and len(r["row"]) in (3, 5, 7):
                coded += 1
                coded_labelled += bool(r["row_label"])
            else:
                items += 1
                items_labelled += bool(r["row_label"])
            score = r["table"].startswith("绩效") and r["col"] in SCORES
            if score:
                if r["value_yuan"]:
                    wrong.append(r)
                continue
            money += 1
            factor = {"万元": 10000, "元": 1}.get(r["scale"])
            ok = (factor is not None and r["value_yuan"] != ""
                  and decimal.Decimal(r["value_yuan"]) == decimal.Decimal(r["value"]) * factor)
            exact += ok
            if not ok:
                wrong.append(r)
    pct = lambda a, b: 100.0 * a / b if b else 100.0
    print("facts %d" % n)
    print("col_label non-empty: %d/%d (%.2f%%)" % (n - no_col, n, pct(n - no_col, n)))
    print("coded rows with row_label: %d/%d (%.2f%%)" % (coded_labelled, coded, pct(coded_labelled, coded)))
    print("item rows with row_label: %d/%d (%.2f%%)" % (items_labelled, items, pct(items_labelled, items)))
    print("value_yuan exact: %d/%d money facts; scores without value_yuan: %s" %
          (exact, money, "yes" if not any(x["table"].startswith("绩效") and x["col"] in SCORES for x in wrong) else "no"))
    print("row_label from: " + ", ".join("%s %d" % (k or "(none)", v) for k, v in sorted(by_source.items())))
    for r in wrong[:10]:
        print("  wrong value_yuan: %s %s %s %s %s -> %s" % (r["sha256"][:8], r["table"], r["row"], r["col"], r["value"], r["value_yuan"]))
    good = (no_col == 0 and pct(coded_labelled, coded) >= 99.0 and items_labelled == items and not wrong)
    return 0 if good else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
