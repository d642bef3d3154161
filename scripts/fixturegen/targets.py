"""绩效目标表: a budget's project performance-target forms, one per project.

    tables, facts = draw(doc, rng, year, dept, unit_name, **choices)

draws two or three forms (财政项目支出绩效目标填报表 and its other titles), each
on a page of its own, at the end of a budget document and returns their
truth: facts keyed as docs/KEYS.md says (table 绩效目标表:<项目名称>; rows
项目资金总额 / 财政资金 / 其他资金 under col 项目资金, rows 年度资金申请总额 /
当年财政拨款 / 上年结转资金 / 其他资金 under col 年度资金), with the page each
figure landed on. Every layout choice is drawn from `rng` (a generator of
its own, so that drawing forms or not changes nothing else of the document)
and recorded in each table's `variant`; `choices` overrides any of them by
name (see Choices).

What the forms print, as published: the head (项目名称 with 项目性质 and
项目类别 beside it, 主管部门 / 实施单位, 计划开始日期 / 计划完成日期 as dates),
the funds block in two sides (the whole project left, the year's
application right; 其中：财政资金 merged over two rows or not; zeros as 0.00
or blank), 项目总目标 / 年度总体目标, and the indicators (一级/二级指标 merged
over their runs, 绩效指标 beside them, 年度指标值 as numbers, words or a
date). Both funds identities hold: 项目资金总额 = 财政资金 + 其他资金 and
年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金.
"""

from . import jixiao

TITLES = ["财政项目支出绩效目标填报表", "项目支出绩效目标申报表", "项目绩效目标表"]
VALUE_HEADS = ["年度(/项目)指标值", "年度指标值", "指标值"]

PROJECTS = ["信息化系统运行维护经费", "专项业务工作经费", "公共服务设施运行经费",
            "社区环境整治和建设经费", "宣传培训经费", "政府购买服务项目",
            "办公场所租赁经费", "新建社区公共服务中心及配套设施建设项目"]

# (一级, 二级, 三级, 年度指标值), in template order.
INDICATORS = [
    ("产出指标", "数量指标", "开展活动场次", "≥12.00(次)"),
    ("产出指标", "数量指标", "服务覆盖人数", "≥5000(人次)"),
    ("产出指标", "质量指标", "验收合格率", "=100.00(%)"),
    ("产出指标", "质量指标", "系统可用率", "≥99%"),
    ("产出指标", "时效指标", "项目完成时间", "{year}-12-31"),
    ("产出指标", "时效指标", "资金拨付及时率", "≥95.00(%)"),
    ("产出指标", "成本指标", "项目成本控制", "不超过预算"),
    ("效益指标", "社会效益指标", "公共服务水平", "有效提升"),
    ("效益指标", "可持续影响指标", "长效管理机制", "逐步建立"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90.00(%)"),
]

WIDTHS = [36, 50, 56, 86, 64, 60, 56, 72]


def fmt(cents, commas):
    whole, frac = divmod(cents, 100)
    return ("{:,}".format(whole) if commas else str(whole)) + ".%02d" % frac


class Choices:
    """The layout of the forms of one document."""

    def __init__(self, rng, overrides=None):
        r = rng
        self.n = r.choice([2, 3])
        self.title = r.choice(TITLES)
        self.value_head = r.choice(VALUE_HEADS)
        self.unit = "元" if r.random() < 0.8 else "万元"
        self.commas = r.random() < 0.7
        self.zeros = "0.00" if r.random() < 0.7 else "blank"
        self.kind_row = r.random() < 0.8        # 项目性质 / 项目类别 beside the name
        self.date_sep = r.choice(["-", "-", "/"])
        self.span_fiscal = r.random() < 0.7     # 其中：财政资金 merged over two rows
        self.year_line = r.random() < 0.8       # （2024年度） under the title
        self.ruling = "grid" if r.random() < 0.75 else "hrules"
        for k, v in (overrides or {}).items():
            assert hasattr(self, k), k
            setattr(self, k, v)

    def as_dict(self):
        return dict(sorted(vars(self).items()))


def project(rng, name, ch):
    """Amounts in cents of the form's unit (元: cents; 万元: 0.01 万元)."""
    scale = 10000 if ch.unit == "元" else 1

    def amt(lo, hi):  # lo, hi in 万元
        return int(rng.uniform(lo, hi) * 100 * scale)

    fiscal = amt(20, 1200)
    carry = amt(1, 50) if rng.random() < 0.35 else 0
    other = amt(1, 20) if rng.random() < 0.25 else 0
    annual = fiscal + carry + other
    staged = rng.random() < 0.35                # 阶段性项目: several years' funds
    total = annual + (amt(50, 800) if staged else 0)
    inds = sorted(rng.sample(range(len(INDICATORS) - 1), rng.randint(3, 6))) + [len(INDICATORS) - 1]
    return {"name": name, "kind": "阶段性项目" if staged else "经常性项目",
            "category": rng.choice(["特定目标类", "其他运转类"]),
            "left": {"项目资金总额": total, "财政资金": total - other, "其他资金": other},
            "right": {"年度资金申请总额": annual, "当年财政拨款": fiscal,
                      "上年结转资金": carry, "其他资金": other},
            "inds": [INDICATORS[i] for i in inds]}


def draw(doc, rng, year, dept, unit_name, **choices):
    """Draws the forms, each on a new portrait page; returns (tables, facts)."""
    ch = Choices(rng, choices)
    names = rng.sample(PROJECTS, ch.n)
    projects = [project(rng, n, ch) for n in names]
    ruling = doc.ruling
    doc.ruling = ch.ruling
    tables, facts = [], []
    for p in projects:
        key = "绩效目标表:" + p["name"]
        doc.new_page(False)
        doc.y -= 20
        doc.text_center(ch.title, doc.w / 2, doc.y, 15)
        if ch.year_line:
            doc.y -= 18
            doc.text_center("（%d年度）" % year, doc.w / 2, doc.y, 10)
        doc.y -= 14

        def text(cents):
            return "" if cents == 0 and ch.zeros == "blank" else fmt(cents, ch.commas)

        start = "%d%s01%s01" % (year, ch.date_sep, ch.date_sep)
        end = "%d%s12%s31" % (year, ch.date_sep, ch.date_sep)
        cells = [(0, 0, 1, 2, "项目名称", "c")]
        if ch.kind_row:
            cells += [(0, 2, 1, 2, p["name"], "c"), (0, 4, 1, 1, "项目性质", "c"),
                      (0, 5, 1, 1, p["kind"], "c"), (0, 6, 1, 1, "项目类别", "c"),
                      (0, 7, 1, 1, p["category"], "c")]
        else:
            cells.append((0, 2, 1, 6, p["name"], "c"))
        cells += [(1, 0, 1, 2, "主管部门", "c"), (1, 2, 1, 2, dept, "c"),
                  (1, 4, 1, 1, "实施单位", "c"), (1, 5, 1, 3, unit_name, "c"),
                  (2, 0, 1, 2, "计划开始日期", "c"), (2, 2, 1, 2, start, "c"),
                  (2, 4, 1, 1, "计划完成日期", "c"), (2, 5, 1, 3, end, "c"),
                  (3, 0, 4, 2, "项目资金（%s）" % ch.unit, "c")]
        fact_cells = []  # (row of the grid, row key, col, printed)
        left, right = p["left"], p["right"]

        def figure(r, c, rs, cs, row, col, cents):
            printed = text(cents)
            cells.append((r, c, rs, cs, printed, "r"))
            if printed:
                fact_cells.append((r, row, col, printed))

        cells.append((3, 2, 1, 1, "项目资金总额", "l"))
        figure(3, 3, 1, 1, "项目资金总额", "项目资金", left["项目资金总额"])
        fiscal_rows = 2 if ch.span_fiscal else 1
        cells.append((4, 2, fiscal_rows, 1, "其中：财政资金", "l"))
        figure(4, 3, fiscal_rows, 1, "财政资金", "项目资金", left["财政资金"])
        if not ch.span_fiscal:
            cells += [(5, 2, 1, 1, "", "l"), (5, 3, 1, 1, "", "r")]
        cells.append((6, 2, 1, 1, "其他资金", "l"))
        figure(6, 3, 1, 1, "其他资金", "项目资金", left["其他资金"])
        for r, label, row in ((3, "年度资金申请总额", "年度资金申请总额"),
                              (4, "其中：当年财政拨款", "当年财政拨款"),
                              (5, "上年结转资金", "上年结转资金"),
                              (6, "其他资金", "其他资金")):
            cells.append((r, 4, 1, 2, label, "l"))
            figure(r, 6, 1, 2, row, "年度资金", right[row])
        goal = "按计划完成%s各项工作，提升公共服务能力和管理水平，保障资金规范有效使用。" % p["name"]
        cells += [(7, 0, 2, 1, "项目绩效目标", "c"), (7, 1, 1, 4, "项目总目标", "c"),
                  (7, 5, 1, 3, "年度总体目标", "c"),
                  (8, 1, 1, 4, goal, "l"), (8, 5, 1, 3, goal, "l")]
        inds = p["inds"]
        cells += [(9, 0, 1, 1, "", "c"), (10, 0, len(inds), 1, "绩效指标", "c"), (9, 1, 1, 1, "一级指标", "c"),
                  (9, 2, 1, 1, "二级指标", "c"), (9, 3, 1, 2, "三级指标", "c"),
                  (9, 5, 1, 3, ch.value_head, "c")]
        for k, (l1, l2, l3, target) in enumerate(inds):
            r = 10 + k
            for level, col in ((0, 1), (1, 2)):
                if k == 0 or inds[k - 1][:level + 1] != (l1, l2)[:level + 1]:
                    run = sum(1 for _ in _run(inds[k:], (l1, l2)[:level + 1], level))
                    cells.append((r, col, run, 1, (l1, l2)[level], "c"))
            cells += [(r, 3, 1, 2, l3, "c"), (r, 5, 1, 3, target.format(year=year), "c")]
        heights = [24, 24, 22, 22, 22, 22, 22, 22, 46, 22] + [22] * len(inds)
        row_pages = jixiao.draw_table(doc, cells, heights, WIDTHS, size=8)
        assert len(set(row_pages)) == 1, "a target form runs over a page"
        for r, row, col, printed in fact_cells:
            facts.append({"table": key, "row": row, "col": col,
                          "value": printed.replace(",", ""), "page": row_pages[r]})
        tables.append({"table": key, "title": ch.title, "unit": ch.unit,
                       "pages": sorted(set(row_pages)), "kind": "target"})
    doc.ruling = ruling
    for t in tables:
        t["variant"] = ch.as_dict()
    return tables, facts


def _run(rest, prefix, level):
    """The indicators at the start of `rest` sharing the level labels `prefix`."""
    for ind in rest:
        if ind[:level + 1] != prefix:
            return
        yield ind
