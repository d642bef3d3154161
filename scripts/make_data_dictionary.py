#!/usr/bin/env python3
"""Writes docs/DATA.md, the data dictionary, from schemas/.

    scripts/make_data_dictionary.py            rewrite docs/DATA.md
    scripts/make_data_dictionary.py --check    exit 1 when docs/DATA.md differs
                                               from what schemas/ give (CTest)

Every table, column key with its label, item key, unit and classification
code comes from the schema files, so the dictionary cannot drift from what
the extractor writes. Python 3 standard library only.
"""

import argparse
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(schema_dir, name):
    with open(os.path.join(schema_dir, name), encoding="utf-8") as f:
        return json.load(f)


def cell(text):
    """A Markdown table cell: pipes escaped, never empty."""
    text = str(text).replace("|", "\\|").replace("\n", " ")
    return text if text else " "


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return out + [""]


def keys(items):
    return ", ".join("`%s`" % i for i in items)


def row_keys(rows, groups):
    """The item keys of a side or table: rows, then group:child keys."""
    out = [r["key"] for r in rows]
    for g in groups:
        out += ["%s:%s" % (g["key"], c["key"]) for c in g.get("children", [])]
    return out


FACT_COLUMN_NOTES = {
    "unit": "the 部门/单位 as printed",
    "year": "the fiscal year",
    "path": "the file the document was read from",
    "sha256": "SHA-256 of the PDF bytes: the document's identity",
    "kind": "juesuan (决算), yusuan (预算), jixiao (绩效自评 only), unknown",
    "status": "complete, partial (something was not read: see NAME.json), failed",
    "figures": "coverage: figures printed in the document's tables",
    "mapped": "coverage: of them, keyed",
    "unmapped": "coverage: of them, without a key",
    "missing_rows": "coverage: mandatory rows not found",
    "grids": "coverage: table regions detected",
    "grids_identified": "coverage: of them, in an identified table",
}


def long_columns(export_schema):
    rows = []
    for name, spec in export_schema["properties"].items():
        note = spec.get("description") or FACT_COLUMN_NOTES.get(name, "")
        rows.append(("`%s`" % name, note))
    return rows


def juesuan_section(juesuan):
    out = ["## 决算 tables (部门决算 / 单位决算: the nine tables of the national template)", "",
           "Unit: each table prints its own (`单位：万元` or `单位：元`), in `scale`. "
           "Rows of the coded tables are 科目编码 (`row_label` from the classification lists below, "
           "`level` 类/款/项 or 经济分类类/款); item rows are keyed by the template's item name, "
           "which is their `row_label`.", ""]
    for t in juesuan["tables"]:
        out.append("### %s %s" % (t["code"], t["titles"][0]))
        out.append("")
        out.append("Titles recognised: %s. Layout: %s." % (keys(t["titles"]), t["layout"]))
        out.append("")
        if t["layout"] == "two_sided":
            for side in t["sides"]:
                out.append("%s side:" % side["side"])
                out.append("")
                out += table(["col", "col_label"], [("`%s`" % c["id"], c["label"]) for c in side["columns"]])
                out.append("Rows: %s." % keys(row_keys(side.get("rows", []), side.get("groups", []))))
                out.append("")
        else:
            out += table(["col", "col_label"], [("`%s`" % c["id"], c["label"]) for c in t["columns"]])
            if t["layout"] == "coded":
                out.append("Rows: 功能分类科目编码 (3, 5, 7 digits), and %s." % keys(t.get("mandatory", [])))
            elif t["layout"] == "economic":
                out.append("Rows: 经济分类科目编码 (3, 5 digits), and %s." % keys(t.get("totals", [])))
            elif t["layout"] == "single_row":
                out.append("Rows: `%s` (row_label %s)." % (t["row_key"], t.get("row_label", "合计")))
            out.append("")
    return out


def yusuan_section(yusuan):
    out = ["## 预算 tables (部门预算 / 单位预算)", "",
           "Budget tables are provincial: the table key is the printed title without year, scope prefix, "
           "ordinal and spaces (docs/KEYS.md); columns are keyed by their printed header, which is also "
           "their `col_label`. Families and their tables as the schema knows them:", ""]
    rows = []
    for t in yusuan["tables"]:
        cols = []
        for c in t.get("columns", []):
            cols.append(c["id"])
        for side in t.get("sides", []):
            cols += [c["id"] for c in side["columns"] if c["id"] not in cols]
        if t["layout"] == "coded":
            items = "%s codes; %s" % ({"function": "功能分类", "economic": "经济分类"}.get(t.get("codes"), ""),
                                      keys(t.get("totals", [])))
        elif t["layout"] == "single_row":
            items = "`%s`" % t["row_key"]
        elif t["layout"] == "two_sided":
            items = "; ".join("%s: %s" % (s["side"], keys(row_keys(s.get("rows", []), s.get("groups", [])))) for s in t["sides"])
        else:
            items = keys(row_keys(t.get("rows", []), t.get("groups", [])))
            if t.get("open_rows"):
                items += " (open: other printed items keep their label)"
        rows.append(("`%s`" % t["key"], t["family"], keys(t["titles"]), t["layout"], keys(cols), items))
    out += table(["table", "family", "titles", "layout", "cols", "rows"], rows)
    return out


def jixiao_section(jixiao):
    out = ["## 绩效 tables", "",
           "Unit: the table's own (万元 or 元) for the funds; scores (分值, 得分) and rates (执行率) "
           "are no money and have no `value_yuan`. Columns are keyed by their meaning, which is their "
           "`col_label`; rows by their item, which is their `row_label`.", "",
           "### %s:<项目名称> (绩效自评表)" % jixiao["table_prefix"], ""]
    rows = [("`%s`" % c["key"], keys(c["labels"]), "no" if c.get("amount") is False else "yes")
            for c in jixiao["funds_columns"]]
    out += table(["col", "printed as", "money (value_yuan)"], rows)
    funds = [r["key"] for r in jixiao["funds_rows"]]
    out.append("Rows: %s, %s, and `指标:<三级指标>` (cols `分值`, `得分`)." % (keys(funds), keys(jixiao["total_labels"])))
    out.append("")
    target = jixiao["target"]
    out += ["### 绩效目标表:<项目名称>", ""]
    rows = [("`%s`" % side["col"], keys(r["key"] for r in side["rows"])) for side in target["funds_sides"]]
    out += table(["col", "rows"], rows)
    return out


def forms_section(forms):
    """The 绩效 forms of schemas/jixiao_forms.json: per form, its blocks'
    columns and rows."""
    out = []
    for form in forms["forms"]:
        out += ["### %s:<%s>" % (form["form"], "项目名称" if "项目名称" in form["name_labels"] else "单位名称"), ""]
        rows = []
        for block in form["blocks"]:
            cols = keys(c["key"] for c in block["columns"])
            money = keys(c["key"] for c in block["columns"] if c.get("amount") is False) or "none"
            items = [block[k] for k in ("row", "total_row") if block.get(k)]
            items += [r["key"] for r in block.get("rows", []) if not r.get("col")]
            named = keys(items)
            for r in block.get("rows", []):
                if r.get("col"):
                    named += ", `%s` (col `%s`)" % (r["key"], r["col"])
            if block.get("row_prefix"):
                named += (", " if named else "") + "`%s<as printed>`" % block["row_prefix"]
            elif any(r.get("open_parts") for r in block.get("rows", [])):
                named += ", parts the schema does not list as printed"
            rows.append((keys(block["labels"][:1]), cols, money, named))
        out += table(["block", "cols", "not money (no value_yuan)", "rows"], rows)
    return out


def classification_section(kemu):
    out = ["## Classification lists (政府收支分类科目)", "",
           "`schemas/kemu_names.json`. A coded row's `row_label` is the name its code has in the "
           "document's year: the current name, or an earlier one for the years before a renaming. "
           "A code the list does not know keeps its printed name (`label_source` = `printed`) and is "
           "listed in NAME.json `unknown_codes`.", ""]
    earlier = kemu.get("earlier_names", {})
    introduced = kemu.get("introduced", {})
    changes = []
    for group, codes in earlier.items():
        for code, names in sorted(codes.items()):
            for n in names:
                changes.append((group, "`%s`" % code, "%s until %d, then %s" % (n["name"], n["until"], kemu[group].get(code, ""))))
    for group, codes in introduced.items():
        for code, year in sorted(codes.items()):
            changes.append((group, "`%s`" % code, "%s from %d" % (kemu[group].get(code, ""), year)))
    out.append("Changes by year:")
    out.append("")
    out += table(["list", "code", "name"], changes)
    for group in ("功能分类", "经济分类"):
        def level(code):
            if group == "功能分类":
                return {3: "类", 5: "款", 7: "项"}.get(len(code), "")
            return {3: "经济分类类", 5: "经济分类款"}.get(len(code), "")
        out.append("### %s (%d codes)" % (group, len(kemu[group])))
        out.append("")
        out += table(["code", "level", "row_label"], [("`%s`" % c, level(c), n) for c, n in sorted(kemu[group].items())])
    return out


USAGE = r"""
# Data dictionary

Generated from `schemas/` by `scripts/make_data_dictionary.py` (do not edit by hand:
`make_data_dictionary.py --check` runs in CTest). Keys are explained in `docs/KEYS.md`.

## Where the data is

- `NAME.facts.csv` (per document): `table,row,col,value` first (the corpus format), then
  `unit,value_yuan,row_label,printed_label,col_label,level,label_source`.
- The store `OUT/juesuan.sqlite`: table `facts` (one figure a row, with the same labels and
  `value_yuan`), `documents`, `tables`, `cells`, `findings` (docs/BATCH.md).
- `juesuan export STORE --format csv|jsonl [--table T] [--where SQL] [--wide]`: the facts of
  every document, byte-stable for the same store. `--table` keeps one table; `--where` keeps
  the figures meeting an SQL condition on the export's columns (`"table"` is quoted: it is an
  SQL word); `--wide` writes one row per document, table and row, one column per table column
  named by its `col_label`, the figures as printed in the table's `scale`. JSONL rows follow
  `schemas/export_fact.schema.json` (long) and `schemas/export_wide.schema.json` (wide).

## Export columns (long: one figure a row)

{long_columns}
`wide` rows: `unit, year, table, row, row_label, printed_label, level, scale`, then one column per
`col_label` of the tables exported (in each table's column order; tables that share a meaning,
such as 基本支出 in 公开03表 and 公开05表, share the column), then `unit_key, kind, status, path,
sha256`. A cell is empty where the row prints no figure in that column.

## Units

`value` is the figure as printed, in the table's own unit, `scale` (万元 or 元; one document may
print tables in both). `value_yuan` is the same figure in 元, exact: `value × 10000` for a 万元
table (the decimal point moved four places, `413.09` → `4130900`), `value` for a 元 table. It is
a decimal string; read it as a decimal (DuckDB `DECIMAL(38,4)`, pandas `decimal.Decimal`), not a
float, when exact sums matter. Scores and rates of the 绩效 tables have none.

## Joining documents

- One document is one `sha256` (the PDF's content hash): the same file under two names is one
  document; `paths` lists its names.
- One unit across years: `unit_key` (the unit's name without spaces, full-width letters and
  digits folded) and `year`. Names a unit changed are not joined.
- A unit's budget and 决算 of one year: the store's view `budget_final_pairs`, or
  `juesuan export STORE --format compare`.
- Across units: join coded rows on `row` (the code) and `table`; a 科目 renamed between years keeps
  its code, so `row` joins where `row_label` differs. Sum money in `value_yuan`, never across
  `scale`.

## Example queries

sqlite3, the store:

```sh
sqlite3 -header -csv OUT/juesuan.sqlite "
  SELECT d.unit_key, d.year, f.row, f.row_label, f.value_yuan
  FROM facts f JOIN documents d USING (sha256)
  WHERE f.table_code = '公开05表' AND f.col_label = '基本支出' AND f.level = '类'
  ORDER BY d.unit_key, d.year, f.row"
```

DuckDB, the CSV export:

```sh
juesuan export OUT/juesuan.sqlite > facts.csv
duckdb -c "
  SELECT year, row, any_value(row_label) AS name, sum(CAST(value_yuan AS DECIMAL(38,4))) AS yuan
  FROM read_csv('facts.csv', all_varchar = true)
  WHERE \"table\" = '公开03表' AND col_label = '本年支出合计' AND level = '类'
  GROUP BY year, row ORDER BY year, row"
```

pandas, a wide table:

```sh
juesuan export OUT/juesuan.sqlite --table 公开05表 --wide > t05.csv
```

```python
import decimal, pandas as pd
t05 = pd.read_csv("t05.csv", dtype=str, keep_default_na=False)
t05["基本支出"] = t05["基本支出"].map(lambda v: decimal.Decimal(v) if v else None)
```

pandas on the store:

```python
import sqlite3, pandas as pd
facts = pd.read_sql("SELECT * FROM facts JOIN documents USING (sha256)",
                    sqlite3.connect("OUT/juesuan.sqlite"), dtype=str)
```
"""


def render(schema_dir):
    juesuan = load(schema_dir, "juesuan_tables.json")
    yusuan = load(schema_dir, "yusuan_tables.json")
    jixiao = load(schema_dir, "jixiao_table.json")
    forms = load(schema_dir, "jixiao_forms.json")
    kemu = load(schema_dir, "kemu_names.json")
    export_schema = load(schema_dir, "export_fact.schema.json")
    lines = USAGE.strip("\n").replace("{long_columns}", "\n".join(table(["column", "meaning"], long_columns(export_schema)))).split("\n")
    lines.append("")
    for section in (juesuan_section(juesuan), yusuan_section(yusuan), jixiao_section(jixiao),
                    forms_section(forms), classification_section(kemu)):
        lines += section
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail when docs/DATA.md is not up to date")
    parser.add_argument("--schemas", default=os.path.join(ROOT, "schemas"))
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "DATA.md"))
    args = parser.parse_args()
    text = render(args.schemas)
    if args.check:
        try:
            with open(args.out, encoding="utf-8") as f:
                current = f.read()
        except OSError:
            current = None
        if current != text:
            print("%s is not up to date: run scripts/make_data_dictionary.py" % args.out, file=sys.stderr)
            return 1
        return 0
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
