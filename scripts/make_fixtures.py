#!/usr/bin/python3
"""Regenerates the golden fixtures under fixtures/ (run with Debian's python3).

    /usr/bin/python3 scripts/make_fixtures.py [--out fixtures] [--only CASE ...]

Each case folder gets input.pdf, truth.json (corpus truth format),
expected.facts.csv (table,row,col,value, sorted) and CASE.md. Every document
is drawn from a seeded model whose accounting identities are asserted before
rendering; the only broken identities are the planted errors of
digital-errors, which truth.json lists under `injected`.
Needs python3-reportlab, python3-pil, python3-numpy, poppler-utils, qpdf and
the fonts installed by scripts/setup.
"""

import argparse
import copy
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # keep scripts/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fixturegen import jixiao  # noqa: E402
from fixturegen import model as M  # noqa: E402
from fixturegen import pdfdraw  # noqa: E402
from fixturegen import scan as S  # noqa: E402
from fixturegen.juesuan import ORDER, Style, fmt, render  # noqa: E402
from fixturegen.pdfdraw import Doc  # noqa: E402


def write_case(out, case, truth, pdf_src, notes):
    folder = os.path.join(out, case)
    os.makedirs(folder, exist_ok=True)
    if pdf_src != os.path.join(folder, "input.pdf"):
        shutil.copyfile(pdf_src, os.path.join(folder, "input.pdf"))
    with open(os.path.join(folder, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
        f.write("\n")
    rows = sorted((x["table"], x["row"], x["col"], x["value"])
                  for x in truth["facts"])
    assert len(rows) == len(set(r[:3] for r in rows)), "duplicate fact keys"
    with open(os.path.join(folder, "expected.facts.csv"), "w", encoding="utf-8",
              newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["table", "row", "col", "value"])
        w.writerows(rows)
    with open(os.path.join(folder, "CASE.md"), "w", encoding="utf-8") as f:
        f.write("# %s\n\n%s\n\n" % (case, notes.strip()))
        f.write("- pages: %d, tables: %d, facts: %d, injected: %d, narrative: %d\n"
                % (truth["pages"], len(truth["tables"]), len(truth["facts"]),
                   len(truth["injected"]), len(truth["narrative"])))


def check_facts_match_model(truth, printed):
    """Every fact equals the printed model value; every non-zero cell is a fact."""
    seen = set()
    for f in truth["facts"]:
        cents = printed[f["table"]].get((f["row"], f["col"]), 0)
        assert f["value"] == fmt(cents), (f, cents)
        seen.add((f["table"], f["row"], f["col"]))
    tables = {t["table"] for t in truth["tables"]}
    for table, cells in printed.items():
        if table not in tables:
            continue
        for (row, col), cents in cells.items():
            assert (table, row, col) in seen, ("not printed", table, row, col)


def juesuan_case(out, tmp, case, unit, year, seed, style, notes, model_kw=None,
                 errors=None, mismatch=None):
    m = M.build(unit, year, seed, **(model_kw or {}))  # asserts identities
    printed = copy.deepcopy(m.values)
    injected = []
    for table, row, col, new in errors or []:
        col = str(col)
        old = printed[table].get((row, col), 0)
        single = copy.deepcopy(m.values)
        single[table][(row, col)] = new
        broken = m.broken(single)
        assert broken, ("planted error breaks nothing", table, row, col)
        cells = []
        for _, terms in broken:
            for cell, _ in terms:
                if list(cell) not in cells:
                    cells.append(list(cell))
        printed[table][(row, col)] = new
        injected.append({"table": table, "row": row, "col": col,
                         "printed": fmt(new), "consistent": fmt(old),
                         "kind": "source_error",
                         "breaks": [name for name, _ in broken],
                         "identity_cells": cells})
    # Only the planted errors may break identities.
    expected = set()
    for e in injected:
        expected.update(e["breaks"])
    assert {n for n, _ in m.broken(printed)} == expected
    pdf = os.path.join(out, case, "input.pdf")
    os.makedirs(os.path.dirname(pdf), exist_ok=True)
    truth = render(m, style, pdf, case, printed, mismatch)
    truth["variant"] = {"producer": "reportlab", "font": style.font,
                        "ruling": style.ruling, "scan": None}
    truth["injected"] = injected
    check_facts_match_model(truth, printed)
    write_case(out, case, truth, pdf, notes)
    return m, truth


def scan_case(out, case, src_case, truth, dpi, skew, noise, quality, seed,
              seal_table=None, seal_center=(0.72, 0.45), notes=""):
    src = os.path.join(out, src_case, "input.pdf")
    folder = os.path.join(out, case)
    os.makedirs(folder, exist_ok=True)
    pdf = os.path.join(folder, "input.pdf")
    seal = None
    if seal_table:
        page = next(t["pages"][0] for t in truth["tables"]
                    if t["table"] == seal_table)
        seal = {"page": page, "center": seal_center, "text": truth["unit"]}
    S.scan(src, pdf, dpi, skew, noise, quality, seed, seal)
    t = copy.deepcopy(truth)
    t["doc_id"] = case
    t["variant"]["scan"] = {
        "dpi": dpi, "skew": skew, "noise": noise, "jpeg_quality": quality,
        "grey": True, "seal_pages": [seal["page"]] if seal else [],
        "seal_over_figures": bool(seal), "image_only": True,
        "source": src_case}
    write_case(out, case, t, pdf, notes)


def scan_hard(out, tmp):
    """scan-hard: a small hard scan. 楷体 (AR PL UKai) at 150 dpi, 2 degrees of
    skew, blur, JPEG 40, grey paper and ink, dust, red seals over figures, one
    planted source error in 公开05表."""
    pdfdraw.FONTS.setdefault("ukai", ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0))
    m = M.build("澄江县卫生健康局", 2022, 909)
    code = next(c for c in m.codes[M.T05] if len(c) == 7 and m.values[M.T05].get((c, "3"), 0) >= 1000)
    old = m.values[M.T05][(code, "3")]
    # one digit of the tens changed: a roll-up and the row sum break
    tens = (old // 1000) % 10
    errors = [(M.T05, code, "3", old + (1000 if tens != 9 else -1000))]
    _, src = juesuan_case(
        out, tmp, "scan-hard-src", "澄江县卫生健康局", 2022, 909,
        Style(font="ukai", tables=ORDER[:5], narrative=False),
        "source of scan-hard", errors=errors)
    pages = {t["table"]: t["pages"][0] for t in src["tables"]}
    folder = os.path.join(out, "scan-hard")
    os.makedirs(folder, exist_ok=True)
    pdf = os.path.join(folder, "input.pdf")
    seals = [{"page": pages[M.T02], "center": (0.62, 0.42), "text": src["unit"]},
             {"page": pages[M.T05], "center": (0.52, 0.58), "text": src["unit"]}]
    params = {"dpi": 150, "skew": 2.0, "noise": 3.0, "quality": 40}
    extra = {"blur": 0.7, "contrast": 0.8, "speckle": 0.0005}
    S.scan(os.path.join(out, "scan-hard-src", "input.pdf"), pdf, params["dpi"],
           params["skew"], params["noise"], params["quality"], 913,
           seals=seals, **extra)
    t = copy.deepcopy(src)
    t["doc_id"] = "scan-hard"
    t["variant"]["scan"] = dict(params, jpeg_quality=params["quality"], grey=True,
                                seal_pages=[s["page"] for s in seals],
                                seal_over_figures=True, image_only=True,
                                source="scan-hard-src", **extra)
    write_case(out, "scan-hard", t, pdf, NOTES["scan-hard"])
    shutil.rmtree(os.path.join(out, "scan-hard-src"))


def plant_errors(m, rng):
    """Three source errors: a row sum, a 类=Σ款 roll-up, a cross-table equality."""
    v = m.values
    xiang = [c for c in m.codes[M.T03] if len(c) == 7 and c.startswith("210")
             and v[M.T03].get((c, "1"), 0) >= 1000]
    row_code = xiang[0]
    old = v[M.T03][(row_code, "1")]
    s = fmt(old)  # swap the two decimals, or add 10.00 when they are equal
    swapped = int((s[:-2] + s[-1] + s[-2]).replace(".", ""))
    e1 = swapped if swapped != old else old + 1000
    old2 = v[M.T02][("208", "2")]
    e2 = old2 + 100
    old3 = v[M.T01][("卫生健康支出", "2")]
    e3 = old3 + 1000 if (old3 // 1000) % 10 != 9 else old3 - 1000
    return [(M.T03, row_code, "1", e1), (M.T02, "208", "2", e2),
            (M.T01, "卫生健康支出", "2", e3)]


def bad_cases(out, tmp):
    folder = os.path.join(out, "bad")
    os.makedirs(folder, exist_ok=True)
    # not-fiscal.pdf: ordinary prose, no tables
    nf = os.path.join(folder, "not-fiscal.pdf")
    doc = Doc(nf, "wqy-microhei")
    doc.new_page()
    doc.heading("关于开展全民阅读月活动的通知", 16, center=True)
    doc.y -= 10
    for text in [
        "为营造爱读书、读好书、善读书的良好氛围，市图书馆定于下月在全市范围内"
        "开展全民阅读月活动。现将有关事项通知如下。",
        "活动期间，各分馆将举办经典诵读、亲子共读、读书分享会等系列活动，"
        "并延长周末开放时间。欢迎广大市民踊跃参加，共同感受阅读的乐趣。",
        "活动报名可通过图书馆服务台或官方网站办理。参加读书分享会的读者请提前"
        "准备一本喜爱的书籍，并简要介绍阅读心得。",
        "请各单位结合实际，认真组织，广泛宣传，确保活动取得实效。",
    ]:
        doc.paragraph(text, 12)
    doc.finish()
    # encrypted.pdf: a valid fiscal document behind a user password
    subprocess.run(["qpdf", "--static-id", "--encrypt", "juesuan-user",
                    "juesuan-owner", "256", "--",
                    os.path.join(out, "digital-hrules", "input.pdf"),
                    os.path.join(folder, "encrypted.pdf")], check=True)
    # corrupt.pdf: the first half of a valid PDF followed by garbage
    with open(os.path.join(out, "scan-150dpi", "input.pdf"), "rb") as f:
        data = f.read()
    head = data[: min(len(data) // 2, 60000)]
    garbage = bytes(random.Random(7).randrange(256) for _ in range(4096))
    with open(os.path.join(folder, "corrupt.pdf"), "wb") as f:
        f.write(head + garbage)
    open(os.path.join(folder, "empty.pdf"), "wb").close()
    with open(os.path.join(folder, "not-a-pdf.pdf"), "w", encoding="utf-8") as f:
        f.write("This is a plain text file that only carries a .pdf name.\n"
                "单位：万元  本年收入合计 100.00\n")
    with open(os.path.join(folder, "CASE.md"), "w", encoding="utf-8") as f:
        f.write("""# bad

Inputs that must be rejected with a one-line error and must not stop a batch.

| file | expected error reason |
|---|---|
| encrypted.pdf | encrypted (needs a user password; qpdf AES-256, password `juesuan-user`) |
| corrupt.pdf | unreadable (first part of a valid PDF, truncated, then 4 KiB of random bytes) |
| empty.pdf | empty (zero bytes) |
| not-a-pdf.pdf | unreadable (a text file with a .pdf name) |
| not-fiscal.pdf | not a fiscal document (valid one-page PDF of Chinese prose, no tables) |
""")


NOTES = {
    "digital-basic": """
Digital 部门决算 with all nine tables, portrait A4, font WenQuanYi Micro Hei.
Fully ruled grids; merged two-level headers (项目 over 功能分类科目编码 + 科目名称,
本年支出 over 小计/基本支出/项目支出, 决算数 over the four columns of 公开04表,
three-level header of 公开07表); 栏次 row and 行次 columns printed (truth keeps
`line` for 公开01表/公开04表); captions 公开01表..公开09表; items with ordinals
("一、一般公共预算财政拨款收入"); zeros blank; 公开09表 has data; each table
on its own page. Ends with a 情况说明 page quoting figures (narrative entries). No identity is broken: no flags expected.
""",
    "digital-landscape": """
Wide tables (公开02表, 公开03表, 公开08表) on landscape pages; font AR PL UMing;
captions 表1..表9; no 栏次 row and no 行次 columns (facts have no `line`);
科目编码 split into 类/款/项 columns in 02/03 (e.g. 208 | 05 | 05 joins to
2080505); items without ordinals; figures above 1,000 printed with thousands
separators in tables and narrative ("1,234.56" → value 1234.56); "编制单位：".
No identity is broken.
""",
    "digital-split": """
Font WenQuanYi Zen Hei (the Debian Noto CJK fonts are CFF-outline OpenType,
which reportlab cannot embed). 公开03表 is forced to continue on the next page
after 12 body rows: the continuation carries "支出决算表（续）" and repeats the
header. Zero cells are printed as 0.00 (and are facts with value 0.00);
公开08表 and the empty 公开09表 ("此表无数值") share one page. No identity is
broken.
""",
    "digital-hrules": """
Tables drawn with horizontal rules only: no vertical lines, a heavy rule at top
and bottom of each table, thin rules between rows and under spanning header
groups. Tables are identified by their title alone (no 公开0N表 caption). No
section headings above the tables. No identity is broken.
""",
    "digital-errors": """
Like digital-basic (different unit and figures) with three planted source
errors, listed under `injected` with printed/consistent values, the identities
they break and every cell involved:
1. a 公开03表 项 row, col 1: decimals swapped - breaks the row sum 1栏=2+…+6栏
   and its 款=Σ项 roll-up;
2. 公开02表 类 208 col 2 one unit too high - breaks 208=Σ款, the row sum and
   合计=Σ类;
3. 公开01表 卫生健康支出 (col 2) - breaks the cross-table equality with 公开03表
   210 col 1 and 公开01表 本年支出合计=Σ类.
Also one narrative figure (基本支出 of 公开03表 合计 col 2) is misquoted: its
narrative entry has consistent:false. Exactly these flags are expected.
""",
    "scan-basic": """
digital-basic rasterised at 160 dpi greyscale, rotated 0.5°, Gaussian grain,
JPEG quality 66 (to stay under 2 MB), image-only PDF (no text layer). A semi-transparent red round
seal (ring, star, unit name along the arc) is stamped over the figures of the
公开01表 page. Same facts as digital-basic; variant.scan records the
parameters. Needs OCR.
""",
    "scan-hard": """
A hard scan, kept small (6 pages: cover and 公开01表..公开05表, no narrative):
楷体 (AR PL UKai) digital source scanned at 150 dpi, skew 2 degrees, Gaussian
blur 0.7 px, JPEG quality 40, contrast 0.8 (grey paper, grey ink), grain 3,
dust and dropouts (speckle 0.0005), red seals over the figures of 公开02表
and 公开05表. One planted source error in 公开05表 (a 项 基本支出 figure
changed by 10.00): its row sum and the 款 roll-up break, which the OCR
verdict rule must report as the document's error only when the re-read
confirms the figures (docs/VERDICTS.md).
""",
    "scan-150dpi": """
A smaller document (cover, 公开01表..公开05表, no 情况说明) rasterised at
150 dpi greyscale, rotated -0.8°, grain, JPEG quality 70, image-only, no seal.
No identity of the printed tables is broken.
""",
    "jixiao-yuan": """
Four 项目支出绩效自评表 with amounts in 元 (two decimals), one table per page,
with a 绩效自评 summary page quoting each project's budget, execution and score.
Keys: 绩效自评表:<项目名称>; rows 年度资金总额/当年财政拨款/上年结转资金/其他资金,
总分 and 指标:<三级指标>; 执行率 printed as a fraction (0.93). All rules hold.
""",
    "jixiao-wanyuan": """
Three 项目支出绩效自评表 with amounts in 万元, 执行率 printed as a percentage
(93.25), 一级/二级指标 cells spanning several rows, font AR PL UMing. All rules hold.
""",
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures"))
    ap.add_argument("--only", nargs="+", choices=["scan-hard"],
                    help="regenerate only these cases (the others depend on each other)")
    args = ap.parse_args()
    out = args.out
    os.makedirs(out, exist_ok=True)
    if args.only:
        with tempfile.TemporaryDirectory() as tmp:
            scan_hard(out, tmp)
        print("fixtures written to", out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        m, basic = juesuan_case(
            out, tmp, "digital-basic", "云溪市疾病预防控制中心", 2023, 101,
            Style(), NOTES["digital-basic"], {"with_soe": True})
        juesuan_case(
            out, tmp, "digital-landscape", "青石市卫生健康信息中心", 2022, 202,
            Style(font="uming", caption="biao", lanci=False, hangci=False,
                  split_codes=True, landscape=(M.T02, M.T03, M.T08),
                  ordinals=False, commas=True, narrative_commas=True,
                  dept_label="编制单位"),
            NOTES["digital-landscape"], {"scale": 9.0, "with_soe": True,
                                         "n_extra_lei": 2})
        juesuan_case(
            out, tmp, "digital-split", "南湖区妇幼保健院", 2021, 303,
            Style(font="wqy-zenhei", zeros="0.00", split={M.T03: 12},
                  same_page=(M.T09,)),
            NOTES["digital-split"], {"n_extra_lei": 0})
        juesuan_case(
            out, tmp, "digital-hrules", "东岭市卫生监督所", 2023, 404,
            Style(ruling="hrules", caption="none", sections=False),
            NOTES["digital-hrules"])
        em = M.build("西江市急救中心", 2022, 505)
        errors = plant_errors(em, random.Random(505))
        juesuan_case(
            out, tmp, "digital-errors", "西江市急救中心", 2022, 505, Style(),
            NOTES["digital-errors"], errors=errors,
            mismatch=((M.T03, "合计", "2"), em.values[M.T03][("合计", "2")] + 1234))
        scan_case(out, "scan-basic", "digital-basic", basic, 160, 0.5, 2.5, 66,
                  11, seal_table=M.T01, seal_center=(0.85, 0.40),
                  notes=NOTES["scan-basic"])
        _, small = juesuan_case(
            out, tmp, "scan-150dpi-src", "北川县疾病预防控制中心", 2020, 606,
            Style(font="wqy-zenhei", tables=ORDER[:5], narrative=False),
            "source of scan-150dpi")
        scan_case(out, "scan-150dpi", "scan-150dpi-src", small, 150, -0.8, 3.0,
                  70, 12, notes=NOTES["scan-150dpi"])
        shutil.rmtree(os.path.join(out, "scan-150dpi-src"))
        bad_cases(out, tmp)
        scan_hard(out, tmp)
        for case, unit_kind, seed in (("jixiao-yuan", "元", 707),
                                      ("jixiao-wanyuan", "万元", 808)):
            pdf = os.path.join(out, case, "input.pdf")
            os.makedirs(os.path.dirname(pdf), exist_ok=True)
            truth = jixiao.build(pdf, case, unit_kind, seed)
            write_case(out, case, truth, pdf, NOTES[case])
    print("fixtures written to", out)


if __name__ == "__main__":
    main()
