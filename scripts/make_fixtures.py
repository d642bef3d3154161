#!/usr/bin/python3
"""Regenerates the golden fixtures under fixtures/ (run with Debian's python3).

    /usr/bin/python3 scripts/make_fixtures.py [--out fixtures]

Each case folder gets input.pdf, truth.json (corpus truth format),
expected.facts.csv (table,row,col,value, sorted) and CASE.md. Every document
is drawn from a seeded model whose accounting identities are asserted before
rendering; the only broken identities are the planted errors of
digital-errors, which truth.json lists under `injected`. The budget cases
(budget-sh, budget-js, budget-targets) come from fixturegen/yusuan.py, checked
against schemas/identities/yusuan.json; the 绩效目标表 of budget-targets and
digital-targets from fixturegen/targets.py. narrative-clean and narrative-edits
carry the 情况说明 of fixturegen/narrative.py, the latter with one planted edit
of each kind (truth.json `narrative_edits`). --only builds the named cases (and the cases
they are made from).
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
from fixturegen import jixiao_forms  # noqa: E402
from fixturegen import targets  # noqa: E402
from fixturegen import variety  # noqa: E402
from fixturegen import yusuan  # noqa: E402
from fixturegen import model as M  # noqa: E402
from fixturegen import pdfdraw  # noqa: E402
from fixturegen import scan as S  # noqa: E402
from fixturegen.juesuan import ORDER, Style, fmt, plant_errors, render  # noqa: E402
from fixturegen.pdfdraw import Doc  # noqa: E402
from fixturegen import narrative as N  # noqa: E402
from fixturegen.verify import check_facts_match_model, check_text_layer  # noqa: E402


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


def juesuan_case(out, tmp, case, unit, year, seed, style, notes, model_kw=None,
                 errors=None, mismatch=None, record_style=False, appendix=None):
    m = M.build(unit, year, seed, **(model_kw or {}))  # asserts identities
    # only the planted errors may break identities (asserted there)
    printed, injected = plant_errors(m, errors)
    pdf = os.path.join(out, case, "input.pdf")
    os.makedirs(os.path.dirname(pdf), exist_ok=True)
    truth = render(m, style, pdf, case, printed, mismatch, appendix)
    truth["variant"] = {"producer": "reportlab", "font": style.font,
                        "ruling": style.ruling, "scan": None}
    if record_style:
        truth["variant"]["style"] = style.variant()
    truth["injected"] = injected
    check_facts_match_model(truth, printed)
    check_text_layer(pdf, truth)
    write_case(out, case, truth, pdf, notes)
    return m, truth


def scan_case(out, case, src_case, truth, dpi, skew, noise, quality, seed,
              seal_table=None, seal_center=(0.72, 0.45), notes="", blur=0.0,
              contrast=1.0):
    src = os.path.join(out, src_case, "input.pdf")
    folder = os.path.join(out, case)
    os.makedirs(folder, exist_ok=True)
    pdf = os.path.join(folder, "input.pdf")
    seal = None
    if seal_table:
        page = next(t["pages"][0] for t in truth["tables"]
                    if t["table"] == seal_table)
        seal = {"page": page, "center": seal_center, "text": truth["unit"]}
    S.scan(src, pdf, dpi, skew, noise, quality, seed, seal, blur=blur,
           contrast=contrast)
    t = copy.deepcopy(truth)
    t["doc_id"] = case
    t["variant"]["scan"] = {
        "dpi": dpi, "skew": skew, "noise": noise, "jpeg_quality": quality,
        "blur": blur, "contrast": contrast,
        "grey": True, "seal_pages": [seal["page"]] if seal else [],
        "seal_over_figures": bool(seal), "image_only": True,
        "source": src_case}
    write_case(out, case, t, pdf, notes)


def budget_case(out, case, seed, notes, **choices):
    """A 部门预算 document from fixturegen/yusuan.py (identities asserted there)."""
    folder = os.path.join(out, case)
    os.makedirs(folder, exist_ok=True)
    pdf = os.path.join(folder, "input.pdf")
    truth = yusuan.generate(pdf, case, seed, **choices)
    assert truth["pages"] <= 16, (case, truth["pages"])
    write_case(out, case, truth, pdf, notes)
    return truth


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


def digital_errors(m, rng):
    """The three source errors of digital-errors: a row sum, a 类=Σ款
    roll-up, a cross-table equality."""
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
    "narrative-clean": """
Digital 部门决算 (all nine tables, plain layout) whose 情况说明 carries every
sentence type the narrative checks read (docs/NARRATIVE.md): the totals quoted
(收入支出总计, 本年收入/支出合计, 财政拨款收入支出总计, 一般公共预算财政拨款支出,
基本支出 with 人员经费/公用经费, 项目支出, “三公” budget, 决算 and parts), shares
占 P%, the change from last year (增加 Y 万元, 增长 Z%), 年初预算 vs 决算 with
完成年初预算的 C% and the comparison words (小于, 持平), years (heading,
与…年度相比, 截至…年12月31日) and a fund with nothing (无…收入和支出) where its
table is empty. Everything is right: no finding expected.
""",
    "narrative-edits": """
narrative-clean (same unit, year and figures) with one planted edit of each
kind in its 情况说明, listed under `narrative_edits` (kind, the printed fragment,
its page, and for a misquoted figure the table cell it should quote):
收入支出总计, 财政拨款收入支出总计 and the “三公” 决算 misquoted; one 占 P% and
one 增长 Z% wrong; 完成年初预算的 C% wrong; 决算数小于预算数 flipped; 持平
beside different figures; 无政府性基金… while 公开08表 has figures; the
第三部分 heading, a 与…年度相比 and the 截至…年12月31日 with the wrong year;
"XX局" left for the unit's name. Each must be found, nothing else.
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
    "scan-threeline": """
A smaller document (cover, 公开01表..公开05表, no 情况说明) whose tables are
ruled across only (三线表: top, under the header, bottom), rasterised at 200 dpi
greyscale, rotated 0.6°, grain, JPEG quality 70, image-only. Columns exist only
as aligned text. No identity of the printed tables is broken.
""",
    "scan-threeline-blur": """
As scan-threeline, set in a small font, scanned worse: rotated 1.8°, blurred
(radius 1.2 px), contrast 0.75, JPEG quality 60. Thin strokes of the figures
break apart at a fixed threshold, the rule under the header touches the first
row, and the gap after a 、 is as wide as a column's. No identity of the
printed tables is broken.
""",
    "scan-grid-blur": """
A smaller document (cover, 公开01表..公开05表, no 情况说明) in fully ruled
grids on landscape pages, 宋体 (AR PL SungtiL GB), 类/款/项 split over three
code columns, thousands separators, rasterised at 150 dpi greyscale, rotated
0.5°, blurred (radius 1.1 px), grain 6, JPEG quality 47. The digits of a
figure run together and the 款/项 parts are two blurred glyphs. No identity
of the printed tables is broken.
""",
    "scan-offset-hrules": """
A smaller document (cover, 公开01表..公开05表, no 情况说明) ruled under every
row only, each figure set at the top of its row, above its label (0.29 em),
rasterised at 200 dpi greyscale, rotated 0.6°, grain, JPEG quality 70,
image-only. A row holds two baselines: read as one line of text it reads as
neither. No identity of the printed tables is broken.
""",
    "scan-offset-kai": """
As scan-offset-hrules in 楷体 (AR PL UKai), the figures set right in their
columns, at the top of their rows (0.29 em) and so right beside the next
column's label a line lower, zeros printed as dashes, no ordinals,
rasterised at 180 dpi greyscale, rotated 0.2°,
blurred (0.8 px), contrast 0.8, JPEG quality 85, image-only. Read as one line
with the label, a figure comes out as one wide symbol. No identity of the
printed tables is broken.
""",
    "scan-norules": """
As scan-threeline, but the tables are printed with no rules at all: table
regions, rows and columns exist only as aligned text in the image. No identity
of the printed tables is broken.
""",
    "jixiao-yuan": """
Four 项目支出绩效自评表 with amounts in 元 (two decimals), one table per page,
with a 绩效自评 summary page quoting each project's budget, execution and score.
Keys: 绩效自评表:<项目名称>; rows 年度资金总额/当年财政拨款/上年结转资金/其他资金,
总分 and 指标:<三级指标>; 执行率 printed as a fraction (0.93). All rules hold.
""",
    "layout-norules": """
The plain document (as digital-basic) printed with no rules at all: no grid,
no horizontal lines; columns exist only by the alignment of the text. No
identity is broken.
""",
    "layout-panels": """
公开06表 in three panels side by side (人员经费 | 公用经费 in two panels), each
panel with its own 类 | 款 | 科目名称 | 决算数 columns: the 经济分类科目编码 is
split (30101 prints as 301 | 01) and the 类 part is printed only on the first
row of its group (a reader carries it down; each panel prints it on its first
row). 人员经费合计 and 公用经费合计 on the bottom row. Everything else as
digital-basic. No identity is broken.
""",
    "layout-offset": """
Figures set above the line of their labels by a quarter of the (20 pt) row
height, and a narrow name column: long labels (科目名称, 01/04 items, 06
names) wrap over two or three lines and the row grows; each figure is aligned
with the first line of its label, then raised. Their grown rows carry
公开01表 and 公开04表 over a second page, continued the classic way (（续）,
header repeated). Everything else plain; no 情况说明 (to stay within 12
pages). No identity is broken.
""",
    "layout-tails": """
Tables continued on the next page by a tail without header and without title:
公开01表 by its last 2 rows (年初结转和结余, 总计), 公开03表 by its last 3 rows,
公开06表 by its bottom row (人员经费合计 / 公用经费合计). 公开02表 is continued the
classic way after 10 body rows: "收入决算表（续）" and the repeated header.
Only 公开01/02/03/05/06表 are printed (12 pages at most), no 情况说明; everything
else plain. No identity of the printed tables is broken.
""",
    "layout-multi": """
Several tables on one page: every table starts below the previous one when it
fits whole on the page (公开07表, the empty 公开08表 and 公开09表 share a page;
short tables pack together). No 政府性基金 and no 国有资本经营 spending, so
公开08表 and 公开09表 print "此表无数值" with a note. No identity is broken.
""",
    "layout-offset-hrules": """
Rules under every row only (no verticals), a narrow name column whose long
labels wrap over two or three lines in rows that grow, and every figure set
at the top of its row, above the first line of its label: a line of figures,
then the label's lines, then the rule; zeros printed as 0.00. Columns are
found from the text alone. No identity is broken.
""",
    "variety-0154": """
Variety document of seed 154 (scripts/make_variety, development half): no
rules; 科目编码 split over 类/款/项 with the parent codes on the first row only;
names wrapped, figures set a little above them. At a page's foot a 项 code
stands alone on its line between the two lines of its wrapped name
("…补助支" / "05" / "出"): it is no page number. 公开06表 goes on to the next
page with its header repeated and one row only, 公用经费合计, its figure set
on the line below.
""",
    "variety-0230": """
Variety document of seed 230 (development half): rules across only,
landscape 公开02表 and 公开08表. The header words of 公开08表's 本年收入,
本年支出 and 年末结转和结余 run together into one piece of text over several
columns ("本年支出本年收入年末结转和结余"): the columns under it take the ones
it names in the template's order.
""",
    "variety-0244": """
Variety document of seed 244 (development half): rules across only, 楷体,
portrait. 公开02表's column headers wrap onto a second line that the text's
alignment makes a row of its own ("本年收入合" / "计", "附属单位上" / "缴收入").
""",
    "variety-0356": """
Variety document of seed 356 (development half): no rules, 公开06表 untitled
in two panels; its last rows go on to the next page, which prints the
部门 and 单位：万元 lines and the header again: a continuation, not a new
table (no table not yet read has that structure).
""",
    "variety-0376": """
Variety document of seed 376 (development half): rules across only,
landscape. 公开06表's last row, 公用经费合计 and its figure, is alone at the
top of the next page, with no header: a part of the table, not a figure
outside every table.
""",
    "variety-0394": """
Variety document of seed 394 (development half): no rules, names narrow,
公开06表 in three panels with 科目编码 split over 类/款 and the 类 on every row.
In the 人员经费 panel the 款 part is set so close to the name that both read
as one piece ("01基本工资"): the two digits are the 款 of the row.
""",
    "variety-0402": """
Variety document of seed 402 (development half): 三线表, names narrow,
公开06表 in three panels, 类 printed on a group's first row only. The 款
codes of the 人员经费 panel read into the names ("01基本工资") under the 类
in force; the second panel's figure and the third panel's 类 read as one
piece ("106.25 302"): the figure is 106.25, the 类 goes with the 款 beside it.
""",
    "variety-0476": """
Variety document of seed 476 (development half): no rules, tables flowing on
where there is room. 公开08表 is empty ("此表无数值": no grid is found for it)
and 公开09表 follows on the same page, so the text above 公开09表's grid holds
both titles: the one nearest the grid names it.
""",
    "layout-untitled-norules": """
No rules at all, landscape pages, tables flowing on where there is room (a
table may start at the foot of a page under the one before), figures set a
little below their labels, zeros as dashes, and 公开01表 and 公开03表 printed
without title or caption: they are known by their header words and rows
only. No identity is broken.
""",
    "layout-untitled": """
公开02表, 公开06表 and 公开07表 are printed with no section heading, no title
and no caption: only the 部门/单位 line and the table itself; they are told apart
by structure alone (the 收入 columns of 02, the panels of 06, the 12 columns of
07). The other tables carry title and 公开0N表 caption. No identity is broken.
""",
    "font-kai": """
Font AR PL UKai (楷), tables with horizontal rules only (heavy top and bottom,
a rule under the header, a thin rule under each row). Everything else as
digital-basic. No identity is broken.
""",
    "jixiao-variety": """
Three 项目支出绩效自评表 (万元, 执行率 as a fraction, six indicators each)
flowing one after another: a table starts below the previous one when its
head fits, so the second and third tables are split across two pages (no
header repeated on the continuation). Long
三级指标 names in a narrow column wrap over two or three lines; the row grows
and its figures stay on one line. Fully ruled, font WenQuanYi Zen Hei. All
rules hold.
""",
    "jixiao-wanyuan": """
Three 项目支出绩效自评表 with amounts in 万元, 执行率 printed as a percentage
(93.25), 一级/二级指标 cells spanning several rows, font AR PL UMing. All rules hold.
""",
    "jixiao-hrules": """
Two 项目支出绩效自评表 printed with horizontal rules only (heavy top and
bottom, a thin rule under every row, no vertical rule), one table a page;
amounts in 元, 执行率 as a fraction. Otherwise as jixiao-yuan. All rules hold.
""",
    "jixiao-threeline": """
Two 项目支出绩效自评表 printed three-line: heavy rules above and below the
table and thin ones under the funds header and the indicator header only, so
the rows of each block are text lines; 项目资金（万元） and 其中：当年财政拨款
wrap over two lines beside their row, 偏差原因分析及改进措施 over two lines in
the header. Amounts in 万元, 执行率 as a percentage (执行率(%)), one table a
page. All rules hold.
""",
    "jixiao-norules": """
Two 项目支出绩效自评表 printed with no rule at all: columns and rows exist only
by the alignment of the text (the grid detector cuts each table into several
grids and leaves the 年度总体目标 text outside them). Amounts in 元, 执行率 as
a fraction, one table a page. All rules hold.
""",
    "jixiao-textrows": """
Three 项目支出绩效自评表 with no rule at all, flowing one after another (a
table starts below the previous one when its head fits): several tables share
a page and at least one is split across two pages with no header repeated.
Long 三级指标 names wrap over two or three text lines around their row's
figures; 一级/二级指标 are printed once, centred on their run of rows. Amounts
in 万元, 执行率 as a percentage. All rules hold.
""",
    "jixiao-noname": """
Two fully ruled 项目支出绩效自评表 (元, 执行率 as a fraction) in which the
second indicator of the first table has lost its 三级指标 name: the cell is
blank. Its 分值 and 得分 are printed but have no key (指标:<三级指标> needs the
name), so they are not facts: the reader must report both as `unmapped`
(page, box, text) and the document as partial. expected.facts.csv holds every
other figure. All rules hold.
""",
    "jixiao-jichushuju": """
Hunan's 整体支出绩效评价基础数据表 (附件1 of a 整体支出绩效评价 report;
fixturegen/jixiao_forms.py, modelled on seeds/yueyang-2022-zhengti-jixiao):
财政供养人员情况 (编制数, 实际在职人数, 控制率 as a percentage), 经费控制情况 in
万元 with the three columns in a drawn order and headed by years (2021年决算数)
or by 上年/本年, 三公经费 and its parts with 其中 rows, 项目支出 and parts the
schema does not list (kept as printed), 公用经费 and its 其中 rows, 政府采购金额,
楼堂馆所 with its rates, 厉行节约保障措施 text, 说明 and 填表人 lines with a
telephone number and a date below the grid. Labels spaced inside (编 制 数),
ordinals 1、 / （1） / none, units in （） or (). Fully ruled. Table
`整体支出绩效评价基础数据表:<单位>`; keys docs/KEYS.md. All rules hold.
""",
    "jixiao-jichushuju-scan": """
jixiao-jichushuju scanned at 200 dpi (grey, skew 0.4°, grain, JPEG 75): the
same facts, read by OCR.
""",
    "jixiao-zhengti-hunan": """
Hunan's pair, as published (seeds/yueyang-2022-zhengti-jixiao): 附件1 the
整体支出绩效评价基础数据表, 附件2 the 整体支出绩效自评表 of the same unit on the
next page: 预算单位名称, 年度预算申请（万元） with 年初预算数 … 得分 and the
年度资金总额 row, the 按收入性质分 / 按支出性质分 block printed as label：amount
texts (keyed `按收入性质分:<来源>` / `按支出性质分:<性质>`, col `金额`), 年度总体目标,
绩效指标 with 一级指标 carrying its points (产出指标（50分）), 总分 without a
评分等级 row. The 自评表's facts take the 绩效自评表 keys. Font WenQuanYi Zen Hei.
All rules hold.
""",
    "jixiao-zhengti-hunan-scan": """
jixiao-zhengti-hunan scanned at 200 dpi (grey, skew 0.4°, grain, JPEG 75).
""",
    "jixiao-xiangmu-jiben": """
Two Guangxi 项目单位自评基本情况表 (seeds/hechi-2020-xiangmu-zipingbaogao): the
first named on a line above its grid (项目名称：…), the second in its first
row. 项目负责人 / 联系电话 / 地址 / 邮编 / 项目起止时间 (values, never figures),
计划安排资金 and 实际到位资金 side by side with 其中 中央财政, 省/自治区/省级财政,
市/市县/市县级财政, 其他/其它/其他资金 (keyed 中央财政, 自治区财政, 市县财政,
其他; the side's total 资金总额; cols by side), 实际支出 (col 金额), the
支出明细 rows (`支出:<支出内容>`) and 支出合计, the goals and 评价人员 (with
telephone numbers: structure). Table `项目单位自评基本情况表:<项目名称>`.
All rules hold.
""",
    "jixiao-xiangmu-jiben-scan": """
jixiao-xiangmu-jiben scanned at 200 dpi (grey, skew 0.4°, grain, JPEG 75).
""",
    "jixiao-xiangmu-jiben-hrules": """
Two 项目单位自评基本情况表 ruled across only (no column rules: columns from the
text's alignment). The second project received more than was planned (实际到位
资金 > 计划安排资金, the extra in 市县财政) and its 实际完成情况 says why
(年中追加资金…万元): an `explained` finding, no flag. Its structure in
`evaluations` (kind project_basic: fields, funds rows, goals) is checked.
""",
    "jixiao-jichushuju-norules": """
A 整体支出绩效评价基础数据表 without any rule: every column from the alignment
of its header words and figures.
""",
    "jixiao-zhengti-hunan-threeline": """
The Hunan pair (基础数据表 and 整体支出绩效自评表) as 三线表: a rule above and
below each table and under its header, nothing else.
""",
    "budget-sh": """
Shanghai-family 部门预算 (fixturegen/yusuan.py): the nine tables titled
2024年部门财务收支预算总表 … 2024年部门“三公”经费和机关运行经费预算表, landscape A4,
font AR PL UMing, fully ruled, 编制部门 line, no captions. Tables 1-8 in 元 with
two decimals and thousands separators, the “三公” table in 万元. 科目编码 split
into 类|款|项 (economic table 类|款) and joined in the keys (201|06|01 ->
2010601); some tables print their zeros as 0.00, others leave them blank;
支出预算总表 is broken early and continues with its header repeated and no
title; the 政府性基金 and 国有资本经营 tables are empty with a note
"…故本表为空表。". Cover with a table of contents, 编制说明 quoting figures in
万元 (narrative entries, converted from 元), 其他相关情况说明 with the 绩效目标
paragraph. Keys: docs/KEYS.md. Every identity of schemas/identities/yusuan.json
holds: no flags expected.
""",
    "digital-targets": """
A 部门决算 of five tables (公开01表 … 公开05表, plain layout, no 情况说明)
followed by two 项目支出绩效目标申报表 (fixturegen/targets.py), fully ruled,
in 万元, zeros left blank, 项目名称 alone on its row, dates 2024/01/01. The
target forms are budget material appended to a final account: the document
stays a 决算 (kind juesuan). Their facts: table 绩效目标表:<项目名称>, rows
项目资金总额 / 财政资金 / 其他资金 under col 项目资金 and 年度资金申请总额 /
当年财政拨款 / 上年结转资金 / 其他资金 under col 年度资金 (docs/KEYS.md).
Every identity holds: no flags expected.
""",
    "budget-targets": """
Shanghai-family 部门预算 (fixturegen/yusuan.py, nine tables, no prose) with
two 财政项目支出绩效目标填报表 at the end (fixturegen/targets.py), one a
page, printed with horizontal rules only: 项目名称 with 项目性质 and 项目类别
beside it, 主管部门 / 实施单位, 计划开始日期 / 计划完成日期 (dates, not
figures), the funds block in two sides (项目资金总额 / 其中：财政资金 merged
over two rows and wrapped / 其他资金 left, 年度资金申请总额 / 其中：当年财政拨款 /
上年结转资金 / 其他资金 right; zeros as 0.00), 项目总目标 / 年度总体目标, and
the indicators (绩效指标 beside them, 一级/二级指标 merged over their runs,
年度指标值 as numbers, words and a date). Keys: docs/KEYS.md. Both funds
identities of every form hold, as do the budget's: no flags expected.
""",
    "budget-js": """
Jiangsu-family 部门预算 (fixturegen/yusuan.py): the twelve tables captioned
公开01表 … 公开12表 (caption above the title), portrait A4, font AR PL UMing,
fully ruled, everything in 万元. 收支预算总表 has three panels (收入 | 功能分类 |
支出用途); 收入预算总表 is an items table whose group labels span rows
(一般公共预算资金:小计 …); 支出预算总表 and “三公”经费、会议费、培训费支出预算表 are
single rows (row key 1; col keys “三公”经费:小计 and
公务用车购置及运行维护费:小计); 单位预留机动经费 present; the 政府性基金 table is
empty ("注：本部门无该项目"); 政府采购支出预算表 keys its rows by the label
hierarchy (parents prefixed where a label repeats, 采购组织形式 appended for
the two rows of one item) and continues on the next page with no header.
Several small tables share a page; a 情况说明 part quotes figures. Every
identity of schemas/identities/yusuan.json holds: no flags expected.
""",
}

# Budget cases: seed and the choices fixed for them (the rest drawn from the seed).
BUDGETS = {
    "budget-targets": (7, dict(family="shanghai", year=2025, scope="部门", unit="元", decimals=2,
                               font="wqy-zenhei", narrative=False, toc=False, ruling="grid",
                               gov_fund=False, soe=False, landscape=True, force_split=False,
                               targets=dict(n=2, ruling="hrules", unit="元", zeros="0.00",
                                            kind_row=True, span_fiscal=True, commas=True,
                                            title="财政项目支出绩效目标填报表",
                                            value_head="年度(/项目)指标值", date_sep="-",
                                            year_line=True))),
    "budget-sh": (5, dict(family="shanghai", year=2024, scope="部门", unit="元", decimals=2,
                          font="uming", split_codes=True, split_parents="every", targets=False,
                          ruling="grid", narrative=True, toc=True, commas=True,
                          commas_per_table=False, zeros="blank", zeros_per_table=True,
                          gov_fund=False, soe=False, non_fiscal=False, landscape=True,
                          continuation="header", force_split=True, title_year=True)),
    "budget-js": (1, dict(family="jiangsu", year=2019, unit="万元", caption_pos="top-left",
                          landscape=False, narrative=True, toc=True, ruling="grid",
                          reserve=True, gov_fund=False, non_fiscal=True, carryover=False,
                          class_rows="new", continuation="bare", force_split=True,
                          procurement_year=False, commas=True, commas_per_table=False,
                          zeros="blank", zeros_per_table=False, font="uming",
                          parens="half", js_basic_header="基本支出", targets=False)),
}


# 绩效 cases: one layout dimension each (jixiao-textrows: rows as text lines
# with every hard dimension at once). Seed and JxStyle choices.
JIXIAO_CASES = {
    "jixiao-hrules": (921, dict(ruling="hrules", font="wqy-microhei", unit="元", pct=False,
                                pack="page", n_projects=2, n_ind=5)),
    "jixiao-threeline": (922, dict(ruling="threeline", font="gbsn", unit="万元", pct=True,
                                   pack="page", n_projects=2, n_ind=5)),
    "jixiao-norules": (923, dict(ruling="none", font="wqy-zenhei", unit="元", pct=False,
                                 pack="page", n_projects=2, n_ind=5)),
    "jixiao-textrows": (924, dict(ruling="none", font="ukai", unit="万元", pct=True,
                                  pack="flow", long_names=True, n_projects=3, n_ind=6)),
}


def jixiao_case(out, case):
    pdf = os.path.join(out, case, "input.pdf")
    os.makedirs(os.path.dirname(pdf), exist_ok=True)
    seed, choices = JIXIAO_CASES[case]
    truth = jixiao.generate(pdf, case, seed, jixiao.JxStyle(**choices))
    if choices["pack"] == "flow":
        assert any(len(t["pages"]) > 1 for t in truth["tables"]), "no split table"
    check_text_layer(pdf, truth)
    write_case(out, case, truth, pdf, NOTES[case])


def jixiao_noname_case(out, case="jixiao-noname", seed=925):
    """A table whose second indicator prints no 三级指标: its figures have no key."""
    pdf = os.path.join(out, case, "input.pdf")
    os.makedirs(os.path.dirname(pdf), exist_ok=True)
    rng = random.Random(seed)
    style = jixiao.JxStyle(unit="元", pct=False, n_projects=2, n_ind=5)
    names = rng.sample(jixiao.PROJECTS, 2)
    projects = [jixiao.make_project(rng, n, "元", 2023, 5) for n in names]
    lost = projects[0]["inds"][1]
    projects[0]["inds"][1] = lost[:2] + ("",) + lost[3:]
    truth = jixiao.render(pdf, case, "云溪市卫生健康服务中心", "云溪市卫生健康委员会", 2023,
                          projects, style)
    truth["variant"] = {"producer": "reportlab", "font": style.font, "ruling": "grid",
                        "scan": None}
    key = "绩效自评表:" + projects[0]["name"]
    truth["facts"] = [f for f in truth["facts"] if not (f["table"] == key and f["row"] == "指标:")]
    write_case(out, case, truth, pdf, NOTES[case])


# The other 绩效 forms (fixturegen/jixiao_forms.py): case -> (form, seed, font,
# scan seed), each also scanned at 200 dpi as <case>-scan. The Hunan pair's
# first two scan draws (1052, 1053) make Tesseract read 2.17 as 2.47 at 29%
# confidence, an OCR limit no form rule can catch (a 其中 part of 公用经费).
FORM_CASES = {
    "jixiao-jichushuju": ("basic", 951, "wqy-microhei", 1051),
    "jixiao-zhengti-hunan": ("hunan", 952, "wqy-zenhei", 1054),
    "jixiao-xiangmu-jiben": ("project", 953, "wqy-zenhei", 1053),
}


# The same forms under other rulings, born digital: case -> (form, seed,
# font, ruling, funds added during the year).
FORM_RULING_CASES = {
    "jixiao-xiangmu-jiben-hrules": ("project", 954, "wqy-microhei", "hrules", True),
    "jixiao-jichushuju-norules": ("basic", 955, "wqy-zenhei", "none", False),
    "jixiao-zhengti-hunan-threeline": ("hunan", 956, "wqy-microhei", "threeline", False),
}


def form_cases(out, want):
    for case, (form, seed, font, ruling, added) in FORM_RULING_CASES.items():
        if not want(case):
            continue
        pdf = os.path.join(out, case, "input.pdf")
        os.makedirs(os.path.dirname(pdf), exist_ok=True)
        truth = jixiao_forms.generate(pdf, case, seed, form, font, ruling=ruling, added_funds=added)
        check_text_layer(pdf, truth)
        write_case(out, case, truth, pdf, NOTES[case])
    for case, (form, seed, font, scan_seed) in FORM_CASES.items():
        if not (want(case) or want(case + "-scan")):
            continue
        pdf = os.path.join(out, case, "input.pdf")
        os.makedirs(os.path.dirname(pdf), exist_ok=True)
        truth = jixiao_forms.generate(pdf, case, seed, form, font)
        check_text_layer(pdf, truth)
        write_case(out, case, truth, pdf, NOTES[case])
        if want(case + "-scan"):
            scan_case(out, case + "-scan", case, truth, 200, 0.4, 2.5, 75, scan_seed,
                      notes=NOTES[case + "-scan"])


# Cases another case is made from (--only builds them too).
SOURCES = {"scan-basic": ["digital-basic"],
           "bad": ["digital-hrules", "scan-150dpi"]}


def layout_cases(out, tmp):
    """One layout dimension each, everything else plain."""
    for case, unit, year, seed, style, model_kw in (
            ("layout-norules", "安平县疾病预防控制中心", 2023, 1101,
             Style(ruling="none"), {}),
            ("layout-panels", "清河区卫生健康委员会", 2022, 1102,
             Style(split_codes=(M.T06,), parent_codes="first", panels06=3), {}),
            ("layout-offset", "长宁县妇幼保健院", 2021, 1103,
             Style(names="narrow", wrap="grow", fig_align="first",
                   fig_offset=0.25, row_h=20, narrative=False), {}),
            ("layout-tails", "松阳市中心血站", 2023, 1104,
             Style(tails={M.T01: 2, M.T03: 3, M.T06: 1}, split={M.T02: 10},
                   continuation={M.T01: "bare", M.T03: "bare", M.T06: "bare"},
                   tables=[M.T01, M.T02, M.T03, M.T05, M.T06], narrative=False),
             {"n_extra_lei": 2}),
            ("layout-multi", "望江区健康教育所", 2022, 1105,
             Style(same_page=tuple(ORDER)), {"with_gf": False}),
            ("layout-untitled", "泰和县卫生监督所", 2024, 1106,
             Style(untitled=(M.T02, M.T06, M.T07)), {}),
            ("font-kai", "云溪市精神卫生中心", 2023, 1107,
             Style(font="ukai", ruling="hrules"), {}),
            ("layout-offset-hrules", "临川区急救中心", 2020, 1108,
             Style(ruling="hrules", names="narrow", wrap="grow", fig_align="first",
                   fig_offset=0.29, zeros="0.00", narrative=False), {}),
            ("layout-untitled-norules", "南湖区皮肤病防治所", 2019, 1109,
             Style(ruling="none", untitled=(M.T01, M.T03), landscape=tuple(ORDER), flow=True,
                   unit_pos="own-line", fig_offset=-0.27, zeros="dash", narrative=False), {})):
        juesuan_case(out, tmp, case, unit, year, seed, style, NOTES[case],
                     model_kw, record_style=True)
    case = "jixiao-variety"
    pdf = os.path.join(out, case, "input.pdf")
    os.makedirs(os.path.dirname(pdf), exist_ok=True)
    style = jixiao.JxStyle(font="wqy-zenhei", unit="万元", pack="flow",
                           long_names=True, n_projects=3, n_ind=6)
    truth = jixiao.generate(pdf, case, 911, style)
    assert any(len(t["pages"]) > 1 for t in truth["tables"]), "no split table"
    check_text_layer(pdf, truth)
    write_case(out, case, truth, pdf, NOTES[case])


# Documents of the variety set's development half (scripts/make_variety,
# seeds even) that combine layout choices the pipeline once read wrong;
# each is drawn by the variety generator from its seed alone.
VARIETY_CASES = {"variety-0154": 154, "variety-0230": 230, "variety-0244": 244, "variety-0356": 356,
                 "variety-0376": 376, "variety-0394": 394, "variety-0402": 402, "variety-0476": 476}


def variety_cases(out, want):
    for case, seed in VARIETY_CASES.items():
        if want(case):
            pdf = os.path.join(out, case, "input.pdf")
            os.makedirs(os.path.dirname(pdf), exist_ok=True)
            truth = variety.juesuan_doc(pdf, case, seed)
            write_case(out, case, truth, pdf, NOTES[case])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures"))
    ap.add_argument("--only", nargs="+", metavar="CASE",
                    help="build only these cases (and their sources)")
    args = ap.parse_args()
    out = args.out
    os.makedirs(out, exist_ok=True)
    wanted = set(args.only or [])
    for case in list(wanted):
        wanted.update(SOURCES.get(case, []))

    def want(case):
        return not args.only or case in wanted

    with tempfile.TemporaryDirectory() as tmp:
        if want("digital-basic"):
            m, basic = juesuan_case(
                out, tmp, "digital-basic", "云溪市疾病预防控制中心", 2023, 101,
                Style(), NOTES["digital-basic"], {"with_soe": True})
        if want("digital-landscape"):
            juesuan_case(
                out, tmp, "digital-landscape", "青石市卫生健康信息中心", 2022, 202,
                Style(font="uming", caption="biao", lanci=False, hangci=False,
                      split_codes=(M.T02, M.T03), landscape=(M.T02, M.T03, M.T08),
                      ordinals=False, commas=True, narrative_commas=True,
                      dept_label="编制单位"),
                NOTES["digital-landscape"], {"scale": 9.0, "with_soe": True,
                                             "n_extra_lei": 2})
        if want("digital-split"):
            juesuan_case(
                out, tmp, "digital-split", "南湖区妇幼保健院", 2021, 303,
                Style(font="wqy-zenhei", zeros="0.00", split={M.T03: 12},
                      same_page=(M.T09,)),
                NOTES["digital-split"], {"n_extra_lei": 0})
        if want("digital-hrules"):
            juesuan_case(
                out, tmp, "digital-hrules", "东岭市卫生监督所", 2023, 404,
                Style(ruling="hrules", caption="none", sections=False),
                NOTES["digital-hrules"])
        for case, edits in (("narrative-clean", []), ("narrative-edits", list(N.EDITS))):
            if want(case):
                juesuan_case(
                    out, tmp, case, "北川县疾病预防控制中心", 2024, 1801,
                    Style(narrative_edits=edits), NOTES[case])
        if want("digital-errors"):
            em = M.build("西江市急救中心", 2022, 505)
            errors = digital_errors(em, random.Random(505))
            juesuan_case(
                out, tmp, "digital-errors", "西江市急救中心", 2022, 505, Style(),
                NOTES["digital-errors"], errors=errors,
                mismatch=((M.T03, "合计", "2"), em.values[M.T03][("合计", "2")] + 1234))
        if want("digital-targets"):
            unit, year, seed = "安平县卫生健康委员会", 2024, 1108

            def appendix(doc):
                return targets.draw(doc, random.Random(seed), year, unit, unit, n=2, ruling="grid",
                                    unit="万元", zeros="blank", kind_row=False, date_sep="/",
                                    title="项目支出绩效目标申报表", value_head="年度指标值",
                                    span_fiscal=False)

            juesuan_case(out, tmp, "digital-targets", unit, year, seed,
                         Style(tables=ORDER[:5], narrative=False), NOTES["digital-targets"],
                         appendix=appendix)
        if want("scan-basic"):
            scan_case(out, "scan-basic", "digital-basic", basic, 160, 0.5, 2.5, 66,
                      11, seal_table=M.T01, seal_center=(0.85, 0.40),
                      notes=NOTES["scan-basic"])
        if want("scan-150dpi"):
            _, small = juesuan_case(
                out, tmp, "scan-150dpi-src", "北川县疾病预防控制中心", 2020, 606,
                Style(font="wqy-zenhei", tables=ORDER[:5], narrative=False),
                "source of scan-150dpi")
            scan_case(out, "scan-150dpi", "scan-150dpi-src", small, 150, -0.8, 3.0,
                      70, 12, notes=NOTES["scan-150dpi"])
            shutil.rmtree(os.path.join(out, "scan-150dpi-src"))
        for case, ruling, unit, seed in (("scan-threeline", "threeline", "龙泉县市场监督管理局", 616),
                                         ("scan-norules", "none", "白沙县自然资源局", 626)):
            if want(case):
                _, small = juesuan_case(
                    out, tmp, case + "-src", unit, 2023, seed,
                    Style(ruling=ruling, tables=ORDER[:5], narrative=False),
                    "source of " + case)
                scan_case(out, case, case + "-src", small, 200, 0.6, 2.5, 70, seed + 1,
                          notes=NOTES[case])
                shutil.rmtree(os.path.join(out, case + "-src"))
        if want("scan-offset-hrules"):
            case = "scan-offset-hrules"
            _, small = juesuan_case(
                out, tmp, case + "-src", "临川区急救中心", 2023, 646,
                Style(ruling="hrules", fig_align="first", fig_offset=0.29,
                      tables=ORDER[:5], narrative=False),
                "source of " + case)
            scan_case(out, case, case + "-src", small, 200, 0.6, 2.5, 70, 647,
                      notes=NOTES[case])
            shutil.rmtree(os.path.join(out, case + "-src"))
        if want("scan-offset-kai"):
            case = "scan-offset-kai"
            _, small = juesuan_case(
                out, tmp, case + "-src", "白沙市精神卫生中心", 2024, 666,
                Style(ruling="hrules", font="gkai", fig_align="last", fig_offset=0.29, ordinals=False, zeros="dash",
                      commas=True, tables=ORDER[:5], narrative=False),
                "source of " + case)
            scan_case(out, case, case + "-src", small, 180, 0.2, 6.0, 85, 667,
                      notes=NOTES[case], blur=0.8, contrast=0.8)
            shutil.rmtree(os.path.join(out, case + "-src"))
        if want("scan-grid-blur"):
            case = "scan-grid-blur"
            _, small = juesuan_case(
                out, tmp, case + "-src", "江北区中心血站", 2023, 656,
                Style(font="gbsn", tables=ORDER[:5], narrative=False, commas=True,
                      landscape=tuple(ORDER[:5]), split_codes=(M.T02, M.T03),
                      caption_pos="top-left", unit_pos="center"),
                "source of " + case)
            scan_case(out, case, case + "-src", small, 150, 0.5, 6.0, 47, 657,
                      notes=NOTES[case], blur=1.1)
            shutil.rmtree(os.path.join(out, case + "-src"))
        if want("scan-threeline-blur"):
            case = "scan-threeline-blur"
            _, small = juesuan_case(
                out, tmp, case + "-src", "长宁县妇幼保健院", 2023, 636,
                Style(ruling="threeline", tables=ORDER[:5], narrative=False,
                      font="gbsn", landscape=tuple(ORDER[:5]), hangci=False),
                "source of " + case)
            scan_case(out, case, case + "-src", small, 200, 1.8, 2.0, 60, 637,
                      notes=NOTES[case], blur=1.2, contrast=0.75)
            shutil.rmtree(os.path.join(out, case + "-src"))
        if want("bad"):
            bad_cases(out, tmp)
        if want("scan-hard"):
            scan_hard(out, tmp)
        for case, unit_kind, seed in (("jixiao-yuan", "元", 707),
                                      ("jixiao-wanyuan", "万元", 808)):
            if want(case):
                pdf = os.path.join(out, case, "input.pdf")
                os.makedirs(os.path.dirname(pdf), exist_ok=True)
                truth = jixiao.build(pdf, case, unit_kind, seed)
                write_case(out, case, truth, pdf, NOTES[case])
        for case in JIXIAO_CASES:
            if want(case):
                jixiao_case(out, case)
        if want("jixiao-noname"):
            jixiao_noname_case(out)
        form_cases(out, want)
        variety_cases(out, want)
        if not args.only or any(c.startswith(("layout-", "font-", "jixiao-variety")) for c in wanted):
            layout_cases(out, tmp)
        for case, (seed, choices) in BUDGETS.items():
            if want(case):
                budget_case(out, case, seed, NOTES[case], **choices)
    print("fixtures written to", out)


if __name__ == "__main__":
    main()
