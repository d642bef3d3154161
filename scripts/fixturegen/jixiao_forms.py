"""The other 绩效 forms: Hunan's 整体支出绩效评价基础数据表 and 整体支出绩效自评表,
Guangxi's 项目单位自评基本情况表 — seeded documents with exact truth.

Modelled on the published forms (../shared/seeds: yueyang-2022-zhengti-jixiao,
hechi-2020-xiangmu-zipingbaogao). Each document draws its printed wording
from `Wording`: spaces inside short labels (编 制 数), the ordinals of the
items (1、 / （1） / none), where 其中 stands, the unit in the block label
（万元） / (万元), years or 上年/本年 in the column headers, the order of the
经费 columns, 省财政 or 自治区财政, 其它 or 其他. Every figure the truth holds
is printed exactly. The forms are ruled as a grid, across only (hrules,
threeline) or not at all (`ruling`, pdfdraw.RULINGS).

Rules that hold unless a figure is planted (`plant`): the parts of 三公经费,
of 公务用车购置和维护经费 and of 项目支出 sum to them, 公用经费 is at least its
其中 rows, 控制率 = 实际在职人数 / 编制数 (as a percentage, two decimals); the
funds parts of each side sum to the side's total, 实际到位 ≤ 计划安排 (or, with
`added_funds`, more, and the 实际完成情况 says why: funds added during the
year), 实际支出 ≤ 实际到位, the detail rows sum to 支出合计; the Hunan 自评表 keeps the
rules of the 绩效自评表 (fixturegen/jixiao.py) and its two 性质 splits total
the same.
"""

import random
from decimal import Decimal, ROUND_HALF_UP

from .jixiao import draw_table, grade, money, q2
from .pdfdraw import Doc

BASIC_TABLE = "整体支出绩效评价基础数据表"
PROJECT_TABLE = "项目单位自评基本情况表"
SELF_TABLE = "绩效自评表"

UNITS = ["岳阳楼区卫生健康信息中心", "君山区疾病预防控制中心", "华容县妇幼保健计划生育服务中心",
         "平江县卫生健康综合执法大队", "临湘市中心血站"]
PROJECTS = ["基层医疗卫生机构管理信息系统维护费", "公共卫生应急物资储备经费",
            "家庭医生签约服务信息化建设经费", "健康扶贫专项资金"]
SPEND_ITEMS = ["信息系统迁移至政务云平台和项目维护工作", "网络安全等级保护测评",
               "办公网络维护服务", "系统业务指导培训", "数据采集设备购置"]


class Wording:
    """How one document prints its labels (drawn from a seed)."""

    def __init__(self, rng):
        self.spaced = rng.random() < 0.5        # 编 制 数, 支 出 合 计
        self.ordinal = rng.choice(["1、", "（1）", ""])
        self.paren = rng.choice(["（%s）", "(%s)"])
        self.years = rng.random() < 0.6         # 2021年决算数 vs 上年决算数
        self.cost_order = rng.choice([(0, 1, 2), (1, 0, 2), (0, 2, 1)])
        self.province = rng.choice(["省财政", "自治区财政", "省级财政"])
        self.city = rng.choice(["市财政", "市县财政", "市县级财政"])
        self.other = rng.choice(["其它", "其他", "其他资金"])
        self.percent_rate = rng.random() < 0.5  # Hunan 执行率 100% or 1.00

    def space(self, label):
        """Short labels are often set with spaces between their characters."""
        return " ".join(label) if self.spaced and len(label) <= 4 else label

    def nth(self, k, label):
        if not self.ordinal:
            return label
        n = str(k)
        return (self.ordinal.replace("1", n)) + label

    def unit(self, label, unit):
        return label + self.paren % unit


def cents(rng, lo, hi):
    return int(rng.uniform(lo, hi) * 100)


def new_form_page(doc, attachment, title):
    """A new page headed by the attachment number and the form's title."""
    doc.new_page()
    doc.y -= 30
    doc.text_left(attachment, 50, doc.y, 11)
    doc.y -= 24
    doc.text_center(title, doc.w / 2, doc.y, 14)
    doc.y -= 14


# ---------------------------------------------------------------- 基础数据表

def basic_model(rng, year):
    """Figures of one 基础数据表 (cents of 万元; staff as counts)."""
    m = {}
    staff = rng.randint(4, 60)
    actual = staff - rng.choice([0, 0, 1, 2])
    m["staff"] = (staff, actual, q2(Decimal(actual) * 100 / Decimal(staff)))
    parts = rng.sample(["业务工作专项", "运行维护经费", "信息化建设经费", "专项业务经费"],
                       rng.randint(1, 3))
    cols = []
    for _ in range(3):
        car_buy = cents(rng, 0, 20) if rng.random() < 0.3 else 0
        car_run = cents(rng, 0, 8)
        abroad = cents(rng, 0, 5) if rng.random() < 0.3 else 0
        host = cents(rng, 0, 4)
        project = {p: cents(rng, 1, 80) for p in parts}
        office, utility, meeting = cents(rng, 1, 6), cents(rng, 1, 5), cents(rng, 0, 2)
        col = {"公车购置": car_buy, "公车运行维护": car_run,
               "公务用车购置和维护经费": car_buy + car_run, "出国经费": abroad,
               "公务接待": host}
        col["三公经费"] = col["公务用车购置和维护经费"] + abroad + host
        col.update(project)
        col["项目支出"] = sum(project.values())
        col["办公经费"], col["水费、电费、差旅费"], col["会议费、培训费"] = office, utility, meeting
        col["公用经费"] = office + utility + meeting + cents(rng, 0, 30)
        col["政府采购金额"] = cents(rng, 0, 40)
        cols.append(col)
    m["parts"] = parts
    m["cost"] = cols  # 上年决算数, 本年预算数, 本年决算数
    m["building"] = None
    if rng.random() < 0.5:
        approved, built = rng.randint(200, 3000), 0
        built = approved - rng.randint(0, 50)
        budget, spent = cents(rng, 50, 900), 0
        spent = budget - cents(rng, 0, 30)
        m["building"] = [str(approved), str(built),
                         str(q2(Decimal(built) * 100 / approved)), money(budget), money(spent),
                         str(q2(Decimal(spent) * 100 / budget))]
    return m


def draw_basic(doc, w, unit, year, m, facts):
    """The 基础数据表 of `unit` at the cursor; appends its facts."""
    key = BASIC_TABLE + ":" + unit
    new_form_page(doc, "附件1", "%d年度预算单位整体支出绩效评价基础数据表" % year)
    cells, fact_cells = [], []
    cells += [(0, 0, 1, 1, "预算单位名称", "c"), (0, 1, 1, 6, unit, "l")]
    staff_heads = [w.space("编制数"), "%d年实际在职人数" % year if w.years else "实际在职人数",
                   w.space("控制率")]
    cells.append((1, 0, 1, 1, w.unit("财政供养人员情况", "人"), "c"))
    for k, h in enumerate(staff_heads):
        cells.append((1, 1 + 2 * k, 1, 2, h, "c"))
    staff, actual, rate = m["staff"]
    cells.append((2, 0, 1, 1, "", "c"))
    for k, (col, v) in enumerate((("编制数", str(staff)), ("实际在职人数", str(actual)),
                                  ("控制率", "%s%%" % rate))):
        cells.append((2, 1 + 2 * k, 1, 2, v, "c"))
        fact_cells.append((2, "财政供养人员", col, v.rstrip("%")))
    cost_cols = [("上年决算数", "%d年决算数" % (year - 1), "上年决算数"),
                 ("本年预算数", "%d年预算数" % year, "本年预算数"),
                 ("本年决算数", "%d年决算数" % year, "本年决算数")]
    order = [cost_cols[i] + (i,) for i in w.cost_order]
    cells.append((3, 0, 1, 1, w.unit("经费控制情况", "万元"), "c"))
    for k, (col, with_year, plain, _) in enumerate(order):
        cells.append((3, 1 + 2 * k, 1, 2, with_year if w.years else plain, "c"))
    rows = [("三公经费", "三公经费"),
            ("公务用车购置和维护经费", w.nth(1, "公务用车购置和维护经费")),
            ("公车购置", "其中：公车购置"), ("公车运行维护", "公车运行维护"),
            ("出国经费", w.nth(2, "出国经费")), ("公务接待", w.nth(3, "公务接待")),
            ("项目支出", "项目支出：")]
    rows += [(p, w.nth(k + 1, p)) for k, p in enumerate(m["parts"])]
    rows += [("公用经费", "公用经费"), ("办公经费", "其中：办公经费"),
             ("水费、电费、差旅费", "水费、电费、差旅费"), ("会议费、培训费", "会议费、培训费"),
             ("政府采购金额", "政府采购金额")]
    r = 4
    for row, label in rows:
        cells.append((r, 0, 1, 1, label, "l"))
        for k, (col, _, _, idx) in enumerate(order):
            v = money(m["cost"][idx][row])
            cells.append((r, 1 + 2 * k, 1, 2, v, "r"))
            fact_cells.append((r, row, col, v))
        r += 1
    cells += [(r, 0, 1, 1, "部门基本支出预算调整", "l")] + \
        [(r, 1 + 2 * k, 1, 2, "", "r") for k in range(3)]
    r += 1
    build_heads = [w.unit("批复规模", "㎡"), w.unit("实际规模", "㎡"), "规模控制率",
                   w.unit("预算投资", "万元"), w.unit("实际投资", "万元"), "投资概算控制率"]
    build_cols = ["批复规模", "实际规模", "规模控制率", "预算投资", "实际投资", "投资概算控制率"]
    cells.append((r, 0, 1, 1, "楼堂馆所控制情况" + w.paren % ("%d年完工项目" % year), "c"))
    for k, h in enumerate(build_heads):
        cells.append((r, 1 + k, 1, 1, h, "c"))
    r += 1
    cells.append((r, 0, 1, 1, "", "c"))
    for k, col in enumerate(build_cols):
        v = m["building"][k] if m["building"] else ""
        shown = v + "%" if v and "率" in col else v
        cells.append((r, 1 + k, 1, 1, shown, "r"))
        if v:
            fact_cells.append((r, "楼堂馆所", col, v))
    r += 1
    cells += [(r, 0, 1, 1, "厉行节约保障措施", "c"),
              (r, 1, 1, 6, "严格执行公务接待、会议、培训等管理规定，压减一般性支出。", "l")]
    heights = [22, 24, 20, 24] + [19] * (len(rows) + 1) + [34, 20, 30]
    widths = [150, 52, 52, 52, 52, 52, 52]
    row_pages = draw_table(doc, cells, heights, widths)
    doc.y -= 14
    doc.text_left("说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品和服务支出。",
                  50, doc.y, 7)
    doc.y -= 14
    doc.text_left("填表人：张敏     联系电话：15073053666     填报日期：%d-06-10" % (year + 1),
                  50, doc.y, 8)
    for r, row, col, v in fact_cells:
        facts.append({"table": key, "row": row, "col": col, "value": v, "page": row_pages[r]})
    return {"table": key, "title": "%d年度预算单位整体支出绩效评价基础数据表" % year,
            "unit": "万元", "pages": sorted(set(row_pages))}


# ------------------------------------------------------- 整体支出绩效自评表 (湖南)

INDICATORS = [
    ("产出指标", "数量指标", "院内数据互通", "3家公立医院", "已完成"),
    ("产出指标", "数量指标", "全省全民健康信息平台互联互通", "2家公立医院", "已完成"),
    ("产出指标", "质量指标", "上传数据质量综合评分", "90分以上", "96分"),
    ("产出指标", "质量指标", "机房等级保护测评", "高标准完成", "已完成"),
    ("产出指标", "时效指标", "重点民生实事数据评估认定", "全年完成", "已完成"),
    ("产出指标", "成本指标", "总成本控制", "不超过预算投入", "未超预算"),
    ("效益指标", "社会效益指标", "安全生产宣传实效性", "安全意识提升", "有提升"),
    ("效益指标", "可持续影响指标", "全系统网络安全培训", "显著提高", "显著提高"),
    ("满意度指标", "服务对象满意度指标", "职工满意度", "大于等于90%", "95%"),
]
LEVEL1_POINTS = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}


def self_model(rng):
    start = cents(rng, 60, 300)
    budget = start + cents(rng, 0, 60)
    done = budget if rng.random() < 0.5 else int(budget * rng.uniform(0.85, 0.99))
    basic = int(budget * rng.uniform(0.6, 1.0))
    income = [int(budget * 0.8), 0, 0, 0]
    income[1] = budget - income[0] if rng.random() < 0.5 else 0
    income[3] = budget - income[0] - income[1]
    weights = {}
    for l1, _, l3, _, _ in INDICATORS:
        weights.setdefault(l1, []).append(l3)
    ws, ss = [], []
    for l1, _, l3, _, _ in INDICATORS:
        names = weights[l1]
        share = LEVEL1_POINTS[l1] // len(names)
        w_ = share + (LEVEL1_POINTS[l1] - share * len(names) if l3 == names[-1] else 0)
        ws.append(w_)
        ss.append(w_ - rng.choice([0, 0, 0, 1, 2]))
    return {"start": start, "budget": budget, "done": done, "basic": basic,
            "income": income, "weights": ws, "scores": ss}


def draw_self(doc, w, unit, year, m, facts):
    """The Hunan 整体支出绩效自评表 of `unit` on a new page; appends its facts
    and returns its table entry."""
    key = SELF_TABLE + ":" + unit
    new_form_page(doc, "附件2", "%d年度预算单位整体支出绩效自评表" % year)
    # 执行率 as printed (a percentage or a fraction, two decimals); the
    # funds score follows the printed rate.
    ratio = Decimal(m["done"]) / Decimal(m["budget"])
    rate = q2(ratio * 100) / 100 if w.percent_rate else q2(ratio)
    rate_text = ("%s%%" % q2(ratio * 100)) if w.percent_rate else str(rate)
    fund_score = q2(Decimal(10) * min(rate, Decimal(1)))
    total = fund_score + sum(Decimal(s) for s in m["scores"])
    cells, fact_cells = [], []
    cells += [(0, 0, 1, 3, w.space("预算单位名称") if w.spaced else "预算单位名称", "c"),
              (0, 3, 1, 6, unit, "l")]
    cells += [(1, 0, 7, 1, w.unit("年度预算申请", "万元"), "c"), (1, 1, 1, 2, "", "c")]
    for k, h in enumerate(["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]):
        cells.append((1, 3 + k, 1, 1, h, "c"))
    row = "年度资金总额"
    vals = [("年初预算数", money(m["start"])), ("全年预算数", money(m["budget"])),
            ("全年执行数", money(m["done"])), ("分值", "10"),
            ("执行率", rate_text.rstrip("%")), ("得分", str(fund_score))]
    cells.append((2, 1, 1, 2, "年度资金总额", "l"))
    for k, (col, v) in enumerate(vals):
        cells.append((2, 3 + k, 1, 1, v + ("%" if col == "执行率" and w.percent_rate else ""), "r"))
        fact_cells.append((2, row, col, v))
    income_labels = ["一般公共预算", "政府性基金拨款", "纳入专户管理的非税收入拨款", "其他资金"]
    spend = [("基本支出", m["basic"]), ("项目支出", m["budget"] - m["basic"])]
    cells += [(3, 1, 1, 4, "按收入性质分：", "l"), (3, 5, 1, 4, "按支出性质分：", "l")]
    for k in range(4):
        r = 4 + k
        lead = "其中：" if k == 0 else ""
        v = m["income"][k]
        text = "%s%s：%s" % (lead, income_labels[k], money(v) if v else "")
        cells.append((r, 1, 1, 4, text, "l"))
        if v:
            fact_cells.append((r, "按收入性质分:" + income_labels[k], "金额", money(v)))
        if k < 2:
            label, v = spend[k]
            text = "%s%s：%s" % (lead, label, money(v) if v else "")
            if v:
                fact_cells.append((r, "按支出性质分:" + label, "金额", money(v)))
        else:
            text = ""
        cells.append((r, 5, 1, 4, text, "l"))
    cells += [(8, 0, 2, 1, "年度总体目标", "c"), (8, 1, 1, 4, "预期目标", "c"),
              (8, 5, 1, 4, "实际完成情况", "c"),
              (9, 1, 1, 4, "完成公立医院院内数据互通，对接全民健康信息平台，做好安全生产和宣教工作。", "l"),
              (9, 5, 1, 4, "已实现院内数据互通并对接全民健康信息平台，安全生产和宣教工作按计划完成。", "l")]
    heads = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
             "偏差原因分析及改进措施"]
    n = len(INDICATORS)
    cells.append((10, 0, n + 1, 1, "绩效指标", "c"))
    for k, h in enumerate(heads):
        cells.append((10, 1 + k, 1, 1, h, "c"))
    for k, (l1, l2, l3, target, actual) in enumerate(INDICATORS):
        r = 11 + k
        if k == 0 or INDICATORS[k - 1][0] != l1:
            run = sum(1 for x in INDICATORS if x[0] == l1)
            label = l1 + w.paren % ("%d分" % LEVEL1_POINTS[l1])
            cells.append((r, 1, run, 1, label, "c"))
        if k == 0 or INDICATORS[k - 1][:2] != (l1, l2):
            run = sum(1 for x in INDICATORS if x[:2] == (l1, l2))
            cells.append((r, 2, run, 1, l2, "c"))
        wt, st = str(m["weights"][k]), str(m["scores"][k])
        cells += [(r, 3, 1, 1, l3, "l"), (r, 4, 1, 1, target, "c"), (r, 5, 1, 1, actual, "c"),
                  (r, 6, 1, 1, wt, "r"), (r, 7, 1, 1, st, "r"),
                  (r, 8, 1, 1, "" if wt == st else "部分工作滞后，加强督导。", "l")]
        fact_cells += [(r, "指标:" + l3, "分值", wt), (r, "指标:" + l3, "得分", st)]
    rt = 11 + n
    cells += [(rt, 0, 1, 6, "总分", "c"), (rt, 6, 1, 1, "100", "r"),
              (rt, 7, 1, 1, str(total), "r"), (rt, 8, 1, 1, "", "c")]
    fact_cells += [(rt, "总分", "分值", "100"), (rt, "总分", "得分", str(total))]
    heights = [22, 24, 20, 18, 18, 18, 18, 18, 20, 40, 24] + [26] * n + [20]
    widths = [30, 50, 50, 86, 56, 52, 34, 34, 60]
    row_pages = draw_table(doc, cells, heights, widths, rules_under=(1, 10))
    for r, row_key, col, v in fact_cells:
        facts.append({"table": key, "row": row_key, "col": col, "value": v, "page": row_pages[r]})
    return {"table": key, "title": "%d年度预算单位整体支出绩效自评表" % year, "unit": "万元",
            "pages": sorted(set(row_pages))}


# ------------------------------------------------------- 项目单位自评基本情况表

def project_model(rng):
    items = rng.sample(SPEND_ITEMS, rng.randint(1, 3))
    plan = {i: cents(rng, 2, 40) for i in items}
    spent = {i: plan[i] - (cents(rng, 0, 2) if rng.random() < 0.4 else 0) for i in items}
    planned_total = sum(plan.values())
    arrived_total = planned_total - (cents(rng, 0, 2) if rng.random() < 0.3 else 0)
    sides = []
    for total in (planned_total, arrived_total):
        central = int(total * 0.3) if rng.random() < 0.4 else 0
        province = int(total * 0.3) if rng.random() < 0.5 else 0
        city = total - central - province
        sides.append({"资金总额": total, "中央财政": central, "自治区财政": province,
                      "市县财政": city, "其他": 0})
    return {"items": items, "plan": plan, "spent": spent, "sides": sides,
            "actual": min(arrived_total, sum(spent.values())), "added": 0}


def add_funds(rng, m):
    """Funds added during the year: more arrives than was planned, the
    市县 part takes the difference, and the form's text explains it."""
    added = cents(rng, 1, 5)
    arrived = m["sides"][1]
    arrived["资金总额"] = m["sides"][0]["资金总额"] + added
    arrived["市县财政"] = arrived["资金总额"] - arrived["中央财政"] - arrived["自治区财政"]
    m["added"] = added
    return m


def added_note(m):
    if not m["added"]:
        return ""
    return "年中追加资金%s万元，实际到位资金%s万元。" % (money(m["added"]), money(m["sides"][1]["资金总额"]))


def draw_project(doc, w, name, year, m, facts, title_above=True):
    """The 项目单位自评基本情况表 of project `name` on a new page."""
    key = PROJECT_TABLE + ":" + name
    doc.new_page()
    doc.y -= 30
    doc.text_left("附件", 50, doc.y, 11)
    doc.y -= 26
    doc.text_center(PROJECT_TABLE, doc.w / 2, doc.y, 15)
    doc.y -= 24
    if title_above:
        doc.text_left("项目名称：" + name, 50, doc.y, 10)
        doc.y -= 8
    cells, fact_cells, r = [], [], 0
    if not title_above:
        cells += [(r, 0, 1, 1, "项目名称", "c"), (r, 1, 1, 3, name, "l")]
        r += 1
    cells += [(r, 0, 1, 4, "一、项 目 基 本 概 况", "l")]
    cells += [(r + 1, 0, 1, 1, "项目负责人", "c"), (r + 1, 1, 1, 1, "蓝斌", "c"),
              (r + 1, 2, 1, 1, "联系电话", "c"), (r + 1, 3, 1, 1, "2282298", "c"),
              (r + 2, 0, 1, 1, "地     址", "c"), (r + 2, 1, 1, 1, "河池市金城中路284号", "c"),
              (r + 2, 2, 1, 1, "邮编", "c"), (r + 2, 3, 1, 1, "547000", "c"),
              (r + 3, 0, 1, 1, "项目起止时间", "c"), (r + 3, 1, 1, 3, "%d年1月至12月" % year, "c")]
    r += 4
    side_cols = ["计划安排资金", "实际到位资金"]
    labels = [("中央财政", "其中：中央财政"), ("自治区财政", w.province), ("市县财政", w.city),
              ("其他", w.other)]
    for k, col in enumerate(side_cols):
        v = money(m["sides"][k]["资金总额"])
        cells += [(r, 2 * k, 1, 1, w.unit(col, "万元"), "c"), (r, 2 * k + 1, 1, 1, v, "c")]
        fact_cells.append((r, "资金总额", col, v))
    for j, (row, label) in enumerate(labels):
        for k, col in enumerate(side_cols):
            cents_ = m["sides"][k][row]
            v = money(cents_) if cents_ else ""
            cells += [(r + 1 + j, 2 * k, 1, 1, label, "c"), (r + 1 + j, 2 * k + 1, 1, 1, v, "c")]
            if v:
                fact_cells.append((r + 1 + j, row, col, v))
    r += 1 + len(labels)
    cells += [(r, 0, 1, 1, w.unit("实际支出", "万元"), "c"), (r, 1, 1, 3, money(m["actual"]), "c")]
    fact_cells.append((r, "实际支出", "金额", money(m["actual"])))
    r += 1
    cells += [(r, 0, 1, 4, "二、项目支出明细情况", "l"),
              (r + 1, 0, 1, 2, "支出内容" + w.paren % "经济科目", "c"),
              (r + 1, 2, 1, 1, w.unit("计划支出数", "万元"), "c"),
              (r + 1, 3, 1, 1, w.unit("实际支出数", "万元"), "c")]
    r += 2
    for item in m["items"]:
        p, s = money(m["plan"][item]), money(m["spent"][item])
        cells += [(r, 0, 1, 2, item, "l"), (r, 2, 1, 1, p, "c"), (r, 3, 1, 1, s, "c")]
        fact_cells += [(r, "支出:" + item, "计划支出数", p), (r, "支出:" + item, "实际支出数", s)]
        r += 1
    p, s = money(sum(m["plan"].values())), money(sum(m["spent"].values()))
    cells += [(r, 0, 1, 2, w.space("支出合计"), "c"), (r, 2, 1, 1, p, "c"), (r, 3, 1, 1, s, "c")]
    fact_cells += [(r, "支出合计", "计划支出数", p), (r, "支出合计", "实际支出数", s)]
    r += 1
    cells += [(r, 0, 1, 4, "三、项目绩效目标完成情况（简要）", "l"),
              (r + 1, 0, 2, 1, "项目绩效目标及实施计划", "c"), (r + 1, 1, 1, 1, "预期绩效目标", "c"),
              (r + 1, 2, 1, 2, "实际完成情况", "c"),
              (r + 2, 1, 1, 1, "确保%s按计划实施，系统运行稳定。" % name, "l"),
              (r + 2, 2, 1, 2, "%s已按计划实施，系统运行稳定，服务对象满意度达85%%以上。%s"
               % (name, added_note(m)), "l")]
    r += 3
    cells += [(r, 0, 1, 4, "四、评价人员", "l"), (r + 1, 0, 1, 1, "姓名", "c"),
              (r + 1, 1, 1, 1, "单位", "c"), (r + 1, 2, 1, 1, "职务", "c"),
              (r + 1, 3, 1, 1, "联系电话及手机", "c")]
    people = [("韦东禄", "主任", "2291482"), ("唐美艳", "财务科科长", "2285252")]
    for k, (who, role, phone) in enumerate(people):
        cells += [(r + 2 + k, 0, 1, 1, who, "c"), (r + 2 + k, 1, 1, 1, "河池市卫生健康委", "c"),
                  (r + 2 + k, 2, 1, 1, role, "c"), (r + 2 + k, 3, 1, 1, phone, "c")]
    r += 2 + len(people)
    cells.append((r, 0, 1, 4, "五、项目单位（评价机构）意见：", "l"))
    n_rows = r + 1
    heights = [20] * n_rows
    for k in range(n_rows):
        if any(c[0] == k and ("确保" in c[4]) for c in cells):
            heights[k] = 44
    heights[n_rows - 1] = 40
    widths = [120, 90, 120, 90]
    row_pages = draw_table(doc, cells, heights, widths)
    for rr, row, col, v in fact_cells:
        facts.append({"table": key, "row": row, "col": col, "value": v, "page": row_pages[rr]})
    return {"table": key, "title": PROJECT_TABLE, "unit": "万元", "pages": sorted(set(row_pages))}


# ------------------------------------------------------------------ documents

def generate(path, doc_id, seed, form, font="wqy-microhei", ruling="grid", added_funds=False):
    """One document of `form` drawn from `seed`: "basic" (a 基础数据表),
    "hunan" (附件1 基础数据表 and 附件2 整体支出绩效自评表, as Hunan publishes
    them) or "project" (two 项目单位自评基本情况表, the first named above
    the grid, the second in it; with `added_funds` the second received more
    than was planned and says why)."""
    rng = random.Random(seed)
    year = rng.randint(2019, 2023)
    w = Wording(rng)
    doc = Doc(path, font, ruling)
    facts, tables = [], []
    if form in ("basic", "hunan"):
        unit = rng.choice(UNITS)
        tables.append(draw_basic(doc, w, unit, year, basic_model(rng, year), facts))
        if form == "hunan":
            tables.append(draw_self(doc, w, unit, year, self_model(rng), facts))
    else:
        unit = "河池市卫生健康委员会"
        for k, name in enumerate(rng.sample(PROJECTS, 2)):
            m = project_model(rng)
            if added_funds and k == 1:
                m = add_funds(rng, m)
            tables.append(draw_project(doc, w, name, year, m, facts, title_above=(k == 0)))
    doc.finish()
    return {"doc_id": doc_id, "kind": "jixiao", "unit": unit, "year": year, "pages": doc.page,
            "variant": {"producer": "reportlab", "font": font, "ruling": ruling,
                        "wording": dict(sorted(vars(w).items())), "scan": None},
            "tables": tables, "facts": facts, "injected": [], "narrative": []}
