"""Checks that a generated document's truth is exact.

`check_facts_match_model`: every fact equals the model's printed value and
every non-zero model cell of a printed table is a fact (the 绩效目标表 an
appendix adds are outside the model).
`check_text_layer`: read back with pdftotext, every fact's value is on the
page the truth names (counted, so ten facts "0.00" need ten on the page).
"""

import collections
import re
import subprocess

from .juesuan import fmt


def check_facts_match_model(truth, printed):
    """Every fact equals the printed model value; every non-zero cell is a fact."""
    seen = set()
    for f in truth["facts"]:
        if f["table"].startswith("绩效目标表:"):
            seen.add((f["table"], f["row"], f["col"]))  # drawn by targets.draw, checked there
            continue
        cents = printed[f["table"]].get((f["row"], f["col"]), 0)
        assert f["value"] == fmt(cents), (f, cents)
        seen.add((f["table"], f["row"], f["col"]))
    assert len(seen) == len(truth["facts"]), "duplicate fact keys"
    tables = {t["table"] for t in truth["tables"]}
    for table, cells in printed.items():
        if table not in tables:
            continue
        for (row, col), cents in cells.items():
            assert (table, row, col) in seen, ("not printed", table, row, col)


def page_texts(pdf):
    out = subprocess.run(["pdftotext", "-layout", pdf, "-"], check=True,
                         capture_output=True, text=True).stdout
    return out.split("\f")


def check_text_layer(pdf, truth):
    """Every fact's value appears on its page, as often as the truth has it
    there (thousands separators and a percent sign aside; a figure may
    follow its label and a colon)."""
    pages = page_texts(pdf)
    want = collections.Counter((f["page"], f["value"]) for f in truth["facts"])
    for (page, value), n in want.items():
        tokens = re.split(r"[\s：]+", pages[page - 1])  # 一般公共预算：78.18
        got = sum(1 for t in tokens if t.replace(",", "").rstrip("%") == value)
        assert got >= n, ("text layer", truth["doc_id"], page, value, got, n)
