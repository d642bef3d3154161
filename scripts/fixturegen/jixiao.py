"""项目支出绩效自评表 documents: a seeded set of projects and their tables.

Rules that hold in every generated table (docs: the domain primer, 绩效自评表):
年度资金总额 = Σ the three funding rows (per amount column); 执行率 =
全年执行数 / 全年预算数 as printed; 资金得分 = 分值 × min(执行率, 1);
Σ 分值 = 100; 得分 ≤ 分值; 总分 = 资金得分 + Σ indicator 得分; the grade
follows 总分.

`build()` makes the fixed fixtures (one table per page, fully ruled);
`generate()` lays projects out by a `JxStyle`: ruling, font, 元/万元,
执行率 as fraction or percentage, tables flowing several to a page and split
across pages, long indicator names wrapped in a narrow column.
"""

import random
from decimal import Decimal, ROUND_HALF_UP

from .pdfdraw import FAMILIES, RULINGS, Doc

PROJECTS = ["公共卫生应急物资储备", "基层医疗机构能力提升", "健康教育宣传",
            "卫生信息系统运维", "妇幼健康服务补助", "老年人健康体检"]

INDICATORS = [
    ("产出指标", "数量指标", "设备采购数量", "≥20台", "22台"),
    ("产出指标", "数量指标", "培训人次", "≥300人次", "326人次"),
    ("产出指标", "数量指标", "巡检次数", "=12.00(次)", "12次"),
    ("产出指标", "质量指标", "设备验收合格率", "≥95%", "100%"),
    ("产出指标", "质量指标", "系统可用率", "≥99%", "99.60%"),
    ("产出指标", "时效指标", "项目完成时间", "12月31日前", "12月20日"),
    ("产出指标", "时效指标", "运维响应及时率", "≥95%", "97%"),
    ("产出指标", "成本指标", "项目成本控制", "≤预算数", "未超预算"),
    ("效益指标", "社会效益指标", "公共服务水平提升", "有效提升", "有效提升"),
    ("效益指标", "社会效益指标", "群众健康知识知晓率", "≥80%", "85%"),
    ("效益指标", "可持续影响指标", "信息化管理制度建设情况", "持续完善", "已完善"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "92%"),
]

# Long 三级指标 names that wrap over two or three lines in a narrow column.
LONG_INDICATORS = [
    ("产出指标", "数量指标", "家庭医生签约服务重点人群覆盖人数", "≥5000人", "5236人"),
    ("产出指标", "质量指标", "突发公共卫生事件报告及时率", "≥98%", "100%"),
    ("产出指标", "质量指标", "基本公共卫生服务项目资金拨付准确率", "100%", "100%"),
    ("产出指标", "时效指标", "项目资金拨付至基层医疗卫生机构及时率", "≥95%", "98%"),
    ("效益指标", "社会效益指标", "城乡居民健康素养水平较上年提升幅度", "≥1个百分点",
     "1.2个百分点"),
    ("效益指标", "可持续影响指标", "基层医疗卫生服务体系长效运行机制建立情况",
     "逐步建立", "已建立"),
]
LONG_PROJECTS = ["基本公共卫生服务项目补助资金", "重大传染病防控及应急物资储备",
                 "基层医疗卫生机构信息化建设"]


def indicator_pool(long_names):
    """Indicators in template order (grouped by 一级/二级), 满意度 last."""
    if not long_names:
        return INDICATORS
    order = [x[:2] for x in INDICATORS]
    pool = sorted(INDICATORS + LONG_INDICATORS, key=lambda x: order.index(x[:2]))
    return pool


CENT = Decimal("0.01")


def q2(x):
    return x.quantize(CENT, ROUND_HALF_UP)


def money(cents):
    return "%d.%02d" % (cents // 100, cents % 100)


def grade(score):
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


def make_project(rng, name, unit_kind, year, n_ind=8, pool=INDICATORS):
    scale = 10000 if unit_kind == "元" else 1

    def amt(lo, hi):  # cents of the table's unit; lo, hi in 万元
        return int(rng.uniform(lo, hi) * 100 * scale)

    rows = {}
    full = amt(10, 400)
    carry = amt(1, 30) if rng.random() < 0.4 else 0
    other = amt(1, 10) if rng.random() < 0.2 else 0
    for key, total in (("当年财政拨款", full), ("上年结转资金", carry),
                       ("其他资金", other)):
        start = total if rng.random() < 0.6 else int(total * rng.uniform(0.8, 1.1))
        done = total if rng.random() < 0.35 else int(total * rng.uniform(0.75, 0.99))
        rows[key] = [start, total, done]
    rows["年度资金总额"] = [sum(rows[k][i] for k in ("当年财政拨款", "上年结转资金",
                                                   "其他资金")) for i in range(3)]
    last = len(pool) - 1  # the satisfaction indicator every table has
    picks = sorted(rng.sample(range(len(pool)), n_ind))
    if last not in picks:
        picks[-1] = last
    inds = [pool[i] for i in sorted(set(picks))]
    weights = [rng.randint(8, 14) for _ in inds]
    weights[-1] += 90 - sum(weights)
    if weights[-1] <= 0:  # keep Σ 分值 = 90 with positive parts
        weights = [90 // len(inds)] * len(inds)
        weights[-1] += 90 - sum(weights)
    scores = []
    for w in weights:
        lost = rng.choice([0, 0, 0, 1, 2])
        scores.append(w - lost)
    return {"name": name, "rows": rows, "inds": inds, "weights": weights,
            "scores": scores}


class JxStyle:
    """Layout of a 绩效 document; the defaults are fixtures/jixiao-yuan."""

    def __init__(self, **kw):
        self.font = "wqy-microhei"
        self.ruling = "grid"       # grid | hrules | threeline | none
        self.unit = "元"           # 元 | 万元
        self.pct = False           # 执行率 as a percentage (93.25) or fraction (0.93)
        self.pack = "page"         # page: one table a page | flow: tables follow
        self.long_names = False    # long 三级指标 names in a narrow column
        self.n_projects = 4
        self.n_ind = 8             # indicators drawn per project
        for k, v in kw.items():
            assert hasattr(self, k), k
            setattr(self, k, v)

    @classmethod
    def random(cls, rng):
        s = cls()
        s.font = rng.choice(FAMILIES[rng.choice(sorted(FAMILIES))])
        s.ruling = rng.choice(RULINGS)
        s.unit = rng.choice(["元", "万元"])
        s.pct = rng.random() < 0.5
        s.pack = rng.choice(["page", "flow"])
        s.long_names = rng.random() < 0.5
        s.n_projects = rng.randint(2, 5)
        s.n_ind = rng.randint(4, 10)
        return s

    def variant(self):
        return dict(sorted(vars(self).items()))


def draw_table(doc, cells, heights, widths, rules_under=(), size=8):
    """Draws cells (r, c, rs, cs, text, align) from the cursor down, going on
    to a new page (no header repeated) where a row does not fit; a cell cut by
    the break keeps its text in its first part. Returns each row's page."""
    scale = (doc.w - 2 * 50) / sum(widths)
    xs = [50]
    for w in widths:
        xs.append(xs[-1] + w * scale)
    # rows of each page: [(first, end)]
    segments, y, first = [], doc.y, 0
    for r, h in enumerate(heights):
        if y - h < 50 and r > first:
            segments.append((first, r))
            first, y = r, doc.h - 50
        y -= h
    segments.append((first, len(heights)))
    row_pages = []
    for k, (first, end) in enumerate(segments):
        if k:
            doc.new_page()
            doc.y = doc.h - 50
        ys = [doc.y]
        for h in heights[first:end]:
            ys.append(ys[-1] - h)
        row_pages += [doc.page] * (end - first)
        if doc.ruling == "grid":
            doc.c.setLineWidth(0.5)
        for r, c, rs, cs, text, align in cells:
            r0, r1 = max(r, first), min(r + rs, end)
            if r0 >= r1:
                continue
            x0, x1 = xs[c], xs[c + cs]
            y1, y0 = ys[r0 - first], ys[r1 - first]
            if doc.ruling == "grid":
                doc.c.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
            if r0 == r:
                doc.box_text(text, x0, y0, x1 - x0, y1 - y0, size, align)
            if doc.ruling == "hrules" and r1 < end:
                doc.c.setLineWidth(0.3)
                doc.c.line(x0, y0, x1, y0)
        if doc.ruling in ("hrules", "threeline"):
            doc.c.setLineWidth(1.2)
            doc.c.line(xs[0], ys[0], xs[-1], ys[0])
            doc.c.line(xs[0], ys[-1], xs[-1], ys[-1])
            doc.c.setLineWidth(0.7)
            for r in rules_under:
                if first <= r < end - 1:
                    doc.c.line(xs[0], ys[r + 1 - first], xs[-1], ys[r + 1 - first])
        doc.y = ys[-1]
    return row_pages


def build(path, doc_id, unit_kind, seed):
    """The fixed fixtures jixiao-yuan / jixiao-wanyuan."""
    rng = random.Random(seed)
    year = 2022 if unit_kind == "元" else 2023
    unit = "白沙市卫生健康服务中心" if unit_kind == "元" else "临川区疾病预防控制中心"
    dept = "白沙市卫生健康委员会" if unit_kind == "元" else "临川区卫生健康局"
    names = rng.sample(PROJECTS, 4 if unit_kind == "元" else 3)
    projects = [make_project(rng, n, unit_kind, year) for n in names]
    style = JxStyle(unit=unit_kind, pct=unit_kind == "万元",
                    font="wqy-microhei" if unit_kind == "元" else "uming")
    truth = render(path, doc_id, unit, dept, year, projects, style)
    truth["variant"] = {"producer": "reportlab", "font": style.font,
                        "ruling": "grid", "scan": None}
    return truth


def generate(path, doc_id, seed, style):
    """A document of `style.n_projects` projects drawn from `seed`."""
    rng = random.Random(seed)
    year = rng.randint(2019, 2024)
    city = rng.choice(["白沙市", "临川区", "云溪市", "青石市", "南湖区", "安平县"])
    unit = city + rng.choice(["卫生健康服务中心", "疾病预防控制中心", "妇幼保健院"])
    dept = city + rng.choice(["卫生健康委员会", "卫生健康局"])
    names = rng.sample(PROJECTS + (LONG_PROJECTS if style.long_names else []),
                       style.n_projects)
    pool = indicator_pool(style.long_names)
    projects = [make_project(rng, n, style.unit, year, style.n_ind, pool)
                for n in names]
    truth = render(path, doc_id, unit, dept, year, projects, style)
    truth["variant"] = {"producer": "reportlab", "font": style.font,
                        "ruling": style.ruling, "style": style.variant(),
                        "scan": None}
    return truth


def render(path, doc_id, unit, dept, year, projects, style):
    unit_kind = style.unit
    pct_style = style.pct
    doc = Doc(path, style.font, style.ruling)
    facts, tables, narrative = [], [], []

    # Derived figures.
    for p in projects:
        rates = {}
        for key, (start, total, done) in p["rows"].items():
            r = Decimal(done) / Decimal(total) if total else Decimal(0)
            rates[key] = q2(r * 100) if pct_style else q2(r)
        fund_rate = rates["年度资金总额"] / (100 if pct_style else 1)
        p["rates"] = rates
        p["fund_score"] = q2(Decimal(10) * min(fund_rate, Decimal(1)))
        p["total"] = p["fund_score"] + sum(Decimal(s) for s in p["scores"])
        assert sum(p["weights"]) == 90
        assert all(s <= w for s, w in zip(p["scores"], p["weights"]))

    def wan(cents):  # the summary quotes 万元
        if unit_kind == "元":
            cents = int((Decimal(cents) / 10000).quantize(Decimal(1), ROUND_HALF_UP))
        return money(cents)

    # Cover and summary.
    doc.new_page()
    doc.y -= 150
    doc.text_center(unit, doc.w / 2, doc.y, 22)
    doc.y -= 40
    doc.text_center("%d年度项目支出绩效自评报告" % year, doc.w / 2, doc.y, 18)
    doc.new_page()
    doc.heading("项目支出绩效自评情况", 14, center=True)
    for k, p in enumerate(projects):
        key = "绩效自评表:" + p["name"]
        budget = wan(p["rows"]["年度资金总额"][1])
        done = wan(p["rows"]["年度资金总额"][2])
        t1 = "项目全年预算数 %s 万元" % budget
        t2 = "执行数 %s 万元" % done
        t3 = "项目自评得分 %s 分" % p["total"]
        doc.heading("%s、%s项目" % ("一二三四五六"[k], p["name"]), 11)
        doc.paragraph("%s，%s，预算执行率%s%%。%s，评价等级为“%s”。" % (
            t1, t2, q2(Decimal(p["rows"]["年度资金总额"][2]) * 100 /
                       Decimal(p["rows"]["年度资金总额"][1])),
            t3, grade(p["total"])))
        for text, value, unit_, row, col in (
                (t1, budget, "万元", "年度资金总额", "全年预算数"),
                (t2, done, "万元", "年度资金总额", "全年执行数"),
                (t3, str(p["total"]), "分", "总分", "得分")):
            narrative.append({"page": doc.page, "text": text, "value": value,
                              "unit": unit_, "refers_to": {"table": key, "row": row,
                                                           "col": col},
                              "consistent": True})

    # long names get a narrow 三级指标 column, so they wrap over 2-3 lines
    widths = [62, 74, 60 if style.long_names else 96, 64, 64, 44, 48, 84]
    name_w = widths[2] * (doc.w - 2 * 50) / sum(widths) - 5
    for n, p in enumerate(projects):
        key = "绩效自评表:" + p["name"]
        heights = [20, 20, 24, 20, 24, 20, 20, 18, 48, 26] + \
            [max(28, len(doc.wrap(x[2], name_w, 8)) * 9.2 + 6) for x in p["inds"]] + \
            [20, 20]
        # flow: a table starts below the previous one when its head fits
        if n == 0 or style.pack == "page" or doc.y - 67 - sum(heights[:5]) < 50:
            doc.new_page()
        doc.y -= 30
        doc.text_center("项目支出绩效自评表", doc.w / 2, doc.y, 16)
        doc.y -= 18
        doc.text_center("（%d年度）" % year, doc.w / 2, doc.y, 10)
        doc.y -= 14
        doc.text_right("单位：%s" % unit_kind, doc.w - 50, doc.y, 9)
        doc.y -= 5
        cells = [(0, 0, 1, 2, "项目名称", "c"), (0, 2, 1, 6, p["name"], "c"),
                 (1, 0, 1, 2, "主管部门", "c"), (1, 2, 1, 2, dept, "c"),
                 (1, 4, 1, 1, "实施单位", "c"), (1, 5, 1, 3, unit, "c"),
                 (2, 0, 5, 1, "项目资金（%s）" % unit_kind, "c"), (2, 1, 1, 1, "", "c")]
        heads = ["年初预算数", "全年预算数", "全年执行数", "分值",
                 "执行率(%)" if pct_style else "执行率", "得分"]
        for k, h in enumerate(heads):
            cells.append((2, 2 + k, 1, 1, h, "c"))
        fact_cells = []
        for k, row in enumerate(["年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"]):
            r = 3 + k
            label = "其中：当年财政拨款" if row == "当年财政拨款" else row
            cells.append((r, 1, 1, 1, label, "l"))
            vals = p["rows"][row]
            for j, col in enumerate(["年初预算数", "全年预算数", "全年执行数"]):
                cells.append((r, 2 + j, 1, 1, money(vals[j]), "r"))
                fact_cells.append((r, row, col, money(vals[j])))
            if row == "年度资金总额":
                w = "10.00" if pct_style else "10"
                cells += [(r, 5, 1, 1, w, "r"), (r, 6, 1, 1, str(p["rates"][row]), "r"),
                          (r, 7, 1, 1, str(p["fund_score"]), "r")]
                fact_cells += [(r, row, "分值", w),
                               (r, row, "执行率", str(p["rates"][row])),
                               (r, row, "得分", str(p["fund_score"]))]
            else:
                cells += [(r, 5, 1, 1, "—", "c"), (r, 6, 1, 1, str(p["rates"][row]), "r"),
                          (r, 7, 1, 1, "—", "c")]
                fact_cells.append((r, row, "执行率", str(p["rates"][row])))
        cells += [(7, 0, 2, 1, "年度总体目标", "c"), (7, 1, 1, 3, "预期目标", "c"),
                  (7, 4, 1, 4, "实际完成情况", "c"),
                  (8, 1, 1, 3, "按计划完成%s项目各项工作，提升服务能力和管理水平，"
                   "保障项目资金安全、规范、有效使用。" % p["name"], "l"),
                  (8, 4, 1, 4, "已按计划完成%s项目主要工作，项目资金使用规范，"
                   "达到预期效果。" % p["name"], "l")]
        ind_heads = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
                     "分值", "得分", "偏差原因分析及改进措施"]
        for k, h in enumerate(ind_heads):
            cells.append((9, k, 1, 1, h, "c"))
        r0 = 10
        inds = p["inds"]
        for k, (l1, l2, l3, target, actual) in enumerate(inds):
            r = r0 + k
            if k == 0 or inds[k - 1][0] != l1:
                run = 0
                for x in inds[k:]:
                    if x[0] != l1:
                        break
                    run += 1
                cells.append((r, 0, run, 1, l1, "c"))
            if k == 0 or inds[k - 1][:2] != (l1, l2):
                run = 0
                for x in inds[k:]:
                    if x[:2] != (l1, l2):
                        break
                    run += 1
                cells.append((r, 1, run, 1, l2, "c"))
            w, s = p["weights"][k], p["scores"][k]
            wt = ("%d.00" % w) if pct_style else str(w)
            st = "%d.00" % s
            reason = "" if s == w else "部分工作进度滞后，下一步加强督导。"
            cells += [(r, 2, 1, 1, l3, "l"), (r, 3, 1, 1, target, "c"),
                      (r, 4, 1, 1, actual, "c"), (r, 5, 1, 1, wt, "r"),
                      (r, 6, 1, 1, st, "r"), (r, 7, 1, 1, reason, "l")]
            fact_cells += [(r, "指标:" + l3, "分值", wt), (r, "指标:" + l3, "得分", st)]
        rt = r0 + len(inds)
        total_w = "100.00" if pct_style else "100"
        cells += [(rt, 0, 1, 5, "总分", "c"), (rt, 5, 1, 1, total_w, "r"),
                  (rt, 6, 1, 1, str(p["total"]), "r"), (rt, 7, 1, 1, "", "c"),
                  (rt + 1, 0, 1, 2, "评分等级", "c"),
                  (rt + 1, 2, 1, 6, grade(p["total"]), "l")]
        fact_cells += [(rt, "总分", "分值", total_w), (rt, "总分", "得分", str(p["total"]))]
        row_pages = draw_table(doc, cells, heights, widths, rules_under=(2, 9))
        doc.y -= 10
        for r, row, col, value in fact_cells:
            facts.append({"table": key, "row": row, "col": col, "value": value,
                          "page": row_pages[r]})
        tables.append({"table": key, "title": "项目支出绩效自评表", "unit": unit_kind,
                       "pages": sorted(set(row_pages))})
    doc.finish()
    return {"doc_id": doc_id, "kind": "jixiao", "unit": unit, "year": year,
            "pages": doc.page, "variant": None,
            "tables": tables, "facts": facts, "injected": [],
            "narrative": narrative}
