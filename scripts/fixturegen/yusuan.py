"""部门预算 / 单位预算 documents: a seeded budget model and its rendering.

    truth = generate(pdf_path, doc_id, seed, family=None, **choices)

draws one budget disclosure of the Shanghai family (nine tables titled
2025年部门财务收支预算总表 … “三公”经费和机关运行经费预算表) or the Jiangsu family
(twelve tables captioned 公开01表 … 公开12表) and returns its truth in the
corpus format (kind "yusuan"; facts keyed as docs/KEYS.md says, with the
page each figure landed on; `variant` records every drawn choice). `choices`
overrides any drawn choice by name (see Choices).

Amounts are integers of the smallest printed step (a tick: 0.01 元, 1 元 or
0.01 万元), so every sum is exact. Before anything is drawn, the figures as
they will be printed are checked against every identity of
schemas/identities/yusuan.json (expanded as pipeline/reconcile/identities.cc
does, a printed blank counting as zero); after drawing, the facts the pages
carry are checked against the model.

Tables are drawn here (BudgetDoc) over pdfdraw.Doc's page and text
primitives: budget tables need cells spanning rows, continuations without a
title, captions above the title and per-table units.
"""

import json
import os
import random
import re

from . import pdfdraw, targets
from .pdfdraw import MARGIN, Doc

SCHEMAS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "schemas")
pdfdraw.FONTS.setdefault("ukai", ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0))
FONT_KEYS = ("wqy-microhei", "wqy-zenhei", "uming", "ukai")

SH, JS = "shanghai", "jiangsu"
CN = "零一二三四五六七八九"


def cn_ordinal(n):
    if n < 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n - 10] if n > 10 else "")
    return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")


# ----------------------------------------------------------------- vocabulary
# 功能分类科目 (real codes and names).
FUNC = {
    "201": "一般公共服务支出",
    "20102": "政协事务", "2010201": "行政运行", "2010202": "一般行政管理事务",
    "2010204": "政协会议", "2010205": "委员视察",
    "20106": "财政事务", "2010601": "行政运行", "2010602": "一般行政管理事务",
    "2010607": "信息化建设", "2010608": "财政委托业务支出",
    "20113": "商贸事务", "2011301": "行政运行", "2011308": "招商引资",
    "2011399": "其他商贸事务支出",
    "204": "公共安全支出",
    "20405": "法院", "2040501": "行政运行", "2040502": "一般行政管理事务",
    "2040504": "案件审判", "2040505": "案件执行",
    "20406": "司法", "2040601": "行政运行", "2040604": "基层司法业务",
    "2040605": "普法宣传", "2040607": "公共法律服务", "2040699": "其他司法支出",
    "206": "科学技术支出", "20699": "其他科学技术支出", "2069999": "其他科学技术支出",
    "208": "社会保障和就业支出",
    "20805": "行政事业单位养老支出", "2080501": "行政单位离退休",
    "2080502": "事业单位离退休", "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出", "2080599": "其他行政事业单位养老支出",
    "20810": "社会福利", "2081005": "社会福利事业单位",
    "210": "卫生健康支出", "21011": "行政事业单位医疗", "2101101": "行政单位医疗",
    "2101102": "事业单位医疗",
    "212": "城乡社区支出", "21208": "国有土地使用权出让收入安排的支出",
    "2120801": "征地和拆迁补偿支出",
    "221": "住房保障支出", "22102": "住房改革支出", "2210201": "住房公积金",
    "2210202": "提租补贴", "2210203": "购房补贴",
    "223": "国有资本经营预算支出", "22301": "解决历史遗留问题及改革成本支出",
    "2230105": "国有企业退休人员社会化管理补助支出",
    "229": "其他支出", "22960": "彩票公益金安排的支出",
    "2296002": "用于社会福利的彩票公益金支出",
}
# Jiangsu 2019 still names 20805 by its earlier wording.
FUNC_JS = dict(FUNC, **{"20805": "行政事业单位离退休",
                        "2080504": "未归口管理的行政单位离退休"})

# Units (fictional names): (names, own 项 with basic spending, project 项).
PROFILES = {
    "finance": (["云溪区财政局", "青石区财政局", "南湖区财政局"],
                ["2010601"], ["2010602", "2010607", "2010608"]),
    "justice": (["云溪区司法局", "东岭区司法局", "西江省司法厅"],
                ["2040601"], ["2040604", "2040605", "2040607", "2040699"]),
    "court": (["西江省高级人民法院", "北川市中级人民法院"],
              ["2040501"], ["2040502", "2040504", "2040505"]),
    "cppcc": (["西江省政协办公厅", "北川市政协办公室"],
              ["2010201"], ["2010202", "2010204", "2010205"]),
    "commerce": (["青石区商务委员会", "南湖区商务委员会"],
                 ["2011301"], ["2011308", "2011399", "2069999"]),
    "welfare": (["东岭区社会福利院", "云溪区社会福利院"],
                ["2081005"], ["2081005"]),
}
FAMILY_PROFILES = {SH: ["finance", "justice", "commerce", "welfare"],
                   JS: ["justice", "court", "cppcc"]}
PENSION = ["2080505", "2080506"]
PENSION_OPTIONAL = ["2080501", "2080502", "2080599"]

# The class rows Jiangsu prints on the function side of 收支预算总表 whatever
# the unit spends: the wording of the year's classification.
JS_CLASS_ROWS = {
    "old": ["一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出",
            "科学技术支出", "文化体育与传媒支出", "社会保障和就业支出",
            "医疗卫生与计划生育支出", "节能环保支出", "城乡社区支出", "农林水支出",
            "交通运输支出", "资源勘探信息等支出", "商业服务业等支出", "金融支出",
            "国土海洋气象等支出", "住房保障支出", "粮油物资储备支出", "其他支出"],
    "new": ["一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出",
            "科学技术支出", "文化旅游体育与传媒支出", "社会保障和就业支出",
            "卫生健康支出", "节能环保支出", "城乡社区支出", "农林水支出", "交通运输支出",
            "资源勘探信息等支出", "商业服务业等支出", "金融支出",
            "自然资源海洋气象等支出", "住房保障支出", "粮油物资储备支出",
            "灾害防治及应急管理支出", "其他支出"],
}
OLD_NAME = {"210": "医疗卫生与计划生育支出"}  # printed by some Shanghai units
# earlier class names -> the current ones (the keys of 类 rows)
CURRENT = {"文化体育与传媒支出": "文化旅游体育与传媒支出", "医疗卫生与计划生育支出": "卫生健康支出",
           "资源勘探信息等支出": "资源勘探工业信息等支出", "国土海洋气象等支出": "自然资源海洋气象等支出"}

# 经济分类: Shanghai's 部门预算经济分类 (split 类|款) and the government
# economic classification Jiangsu prints.
ECON = {
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金",
    "30107": "绩效工资", "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费",
    "30110": "职工基本医疗保险缴费", "30112": "其他社会保障缴费", "30113": "住房公积金",
    "30114": "医疗费", "30199": "其他工资福利支出",
    "302": "商品和服务支出", "30201": "办公费", "30202": "印刷费", "30205": "水费",
    "30206": "电费", "30207": "邮电费", "30209": "物业管理费", "30211": "差旅费",
    "30213": "维修（护）费", "30215": "会议费", "30216": "培训费", "30217": "公务接待费",
    "30226": "劳务费", "30227": "委托业务费", "30228": "工会经费", "30229": "福利费",
    "30231": "公务用车运行维护费", "30239": "其他交通费用", "30299": "其他商品和服务支出",
    "303": "对个人和家庭的补助", "30301": "离休费", "30302": "退休费", "30305": "生活补助",
    "310": "资本性支出", "31002": "办公设备购置", "31007": "信息网络及软件购置更新",
}
PERSONNEL = ("301", "303")
PUBLIC = ("302", "310")

# 政府采购: (大类, [(专项, [(经济科目, [(品目, 组织形式)])])]) material.
PROCUREMENT = {
    "货物A": [("办公设备购置费", [("办公设备购置", ["台式计算机（20万以下）", "便携式计算机（20万以下）",
                                          "打印设备（20万以下）", "复印机", "家具用具"])]),
              ("信息网络建设费", [("信息网络及软件购置更新", ["PC服务器", "计算机软件",
                                                   "其他计算机设备及软件"])]),
              ("专项会议经费", [("会议费", ["印刷品"])])],
    "工程B": [("商品和服务支出", [("维修（护）费", ["修缮工程"])])],
    "服务C": [("专项会议经费", [("会议费", ["会议服务", "车辆及其他运输机械租赁服务"]),
                             ("印刷费", ["印刷和出版服务"])]),
              ("业务工作经费", [("培训费", ["会议服务"]), ("维修（护）费", ["运行维护服务"])]),
              ("物业管理费", [("物业管理费", ["物业管理服务"]), ("租赁费", ["房屋租赁服务"])]),
              ("交通运行费", [("公务用车运行维护费", ["车辆维修和保养服务"])])],
}
ORG_FORMS = ["分散自行组织", "政府集中采购", "部门集中采购"]


# ----------------------------------------------------------------- choices
class Choices:
    """Every layout and content choice of one document, drawn from the seed."""

    def __init__(self, rng, family, overrides):
        r = rng
        self.family = family
        self.year = r.choice([2023, 2024, 2025, 2026] if family == SH else [2017, 2018, 2019])
        self.profile = r.choice(FAMILY_PROFILES[family])
        self.scope = r.choice(["部门", "部门", "单位"]) if family == SH else "部门"
        self.unit = ("元" if r.random() < 0.85 else "万元") if family == SH else \
            ("万元" if r.random() < 0.85 else "元")
        self.decimals = 0 if self.unit == "元" and r.random() < 0.3 else 2
        self.font = r.choice(FONT_KEYS)
        self.ruling = "grid" if r.random() < 0.75 else "hrules"
        self.zeros = r.choice(["blank", "blank", "0.00", "0"])
        self.zeros_per_table = r.random() < 0.3     # some tables print their zeros
        self.commas = r.random() < 0.8
        self.commas_per_table = r.random() < 0.2    # some tables without separators
        self.split_codes = family == SH and r.random() < 0.85
        self.split_parents = r.choice(["every", "every", "first"])
        self.landscape = family == SH or r.random() < 0.3
        self.continuation = r.choice(["header", "header", "repeat", "bare"])
        self.gov_fund = r.random() < 0.25
        self.soe = family == SH and r.random() < 0.1
        self.non_fiscal = r.random() < 0.3
        self.non_fiscal_basic = r.random() < 0.3
        self.reserve = family == JS and r.random() < 0.6
        self.carryover = family == JS and r.random() < 0.15
        self.wording_gp = r.choice(["一般公共预算资金", "一般公共预算资金", "一般公共预算"])
        self.wording_fund = r.choice(["政府性基金", "政府性基金预算"])
        self.old_class_name = family == SH and r.random() < 0.15
        self.class_rows = r.choice(["old", "new"])
        self.sangong_year = r.random() < 0.3          # “2024年“三公”经费预算数”
        self.title_year = r.random() < 0.9            # year in the 三公 title
        self.toc = r.random() < 0.7
        self.narrative = r.random() < 0.8
        self.row_h = r.choice([15, 16, 17])
        self.empty_cell = r.random() < 0.3            # a lone 无 in an empty table
        self.force_split = r.random() < 0.5           # a table broken early
        self.procurement_year = r.random() < 0.5      # 2019年政府采购预算表
        self.sangong_trim = r.random() < 0.2          # 6.4 and 0 in the 三公 table
        self.sangong_colon = r.choice(["单位：万元", "单位:万元"])
        self.parens = r.choice(["full", "half"])      # （补助） or (补助)
        self.amount_header = r.choice(["金额", "金 额"])
        self.js_basic_header = r.choice(["金额", "基本支出"])  # 公开08表
        self.caption_pos = r.choice(["top-left", "right"])
        self.dept_label = ("编制部门" if self.scope == "部门" else "编制单位") if family == SH \
            else r.choice(["部门名称", "部门"])
        # 绩效目标表 pages at the end (True, or a dict of targets.Choices to
        # fix): drawn in generate() from a generator of their own, so that
        # the choice leaves every other draw as it was.
        self.targets = None
        for k, v in overrides.items():
            assert hasattr(self, k), k
            setattr(self, k, v)
        if self.unit == "万元":
            self.decimals = 2
        # the value of one tick (the smallest printed step) in 元
        self.step = {("元", 2): 0.01, ("元", 0): 1.0, ("万元", 2): 100.0}[
            (self.unit, self.decimals)]

    def as_dict(self):
        return {k: v for k, v in vars(self).items() if k != "step"}


def fmt(ticks, decimals, commas):
    sign = "-" if ticks < 0 else ""
    ticks = abs(ticks)
    if decimals == 0:
        whole, frac = ticks, ""
    else:
        whole, frac = divmod(ticks, 100)
        frac = ".%02d" % frac
    w = "{:,}".format(whole) if commas else str(whole)
    return sign + w + frac


# ----------------------------------------------------------------- the model
def split(rng, total, n, zero_prob=0.0):
    """`total` ticks in n non-negative parts."""
    if n <= 1:
        return [total]
    w = [0.0 if rng.random() < zero_prob else rng.uniform(0.2, 1.0) for _ in range(n)]
    if not any(w):
        w[0] = 1.0
    parts = [int(total * x / sum(w)) for x in w]
    parts[max(range(n), key=lambda i: w[i])] += total - sum(parts)
    return parts


def with_parents(codes):
    out = set()
    for c in codes:
        out.update([c[:3], c[:5], c])
    return sorted(out)


class Budget:
    """One unit's budget. spend[code][source] = [personnel, public, project,
    reserve] in ticks, for every 项 code; sources: gp (一般公共预算), gf (政府性
    基金), soe (国有资本经营), and the non-fiscal shiye (事业收入), jingying
    (事业单位经营收入), qita (其他收入), zhuanhu (财政专户管理资金)."""

    def __init__(self, ch, rng):
        self.ch = ch
        self.rng = rng
        names, own, projects = PROFILES[ch.profile]
        self.unit_name = rng.choice(names)
        scale = rng.uniform(0.4, 3.0) * (3.0 if ch.family == JS else 1.0)

        def amt(lo, hi):  # 元 -> ticks
            return int(rng.uniform(lo, hi) * scale / ch.step)
        self.amt = amt
        spend = {}

        def add(code, source, p=0, c=0, j=0, r=0):
            s = spend.setdefault(code, {}).setdefault(source, [0, 0, 0, 0])
            for i, v in enumerate((p, c, j, r)):
                s[i] += v
        for code in own:
            add(code, "gp", p=amt(4e6, 1.5e7), c=amt(6e5, 3e6),
                j=amt(5e4, 4e5) if rng.random() < 0.4 else 0)
        for code in rng.sample(projects, max(1, len(projects) - rng.randrange(2))):
            if code not in own:
                add(code, "gp", j=amt(5e4, 8e6))
        pension = PENSION + rng.sample(PENSION_OPTIONAL, rng.randrange(1, 3))
        if ch.family == JS:
            pension = [c if c != "2080501" else "2080504" for c in pension]
            pension = [c for c in pension if c != "2080599"]
        medical = "2101102" if ch.profile == "welfare" else "2101101"
        housing = ["2210201", "2210202" if ch.family == JS else "2210203"]
        if rng.random() < 0.3:
            housing = housing[:1]
        for code in pension + [medical] + housing:
            add(code, "gp", p=amt(5e4, 2e6))
        if ch.reserve:
            add(own[0], "gp", r=amt(5e5, 5e6))
        if ch.gov_fund:
            add(rng.choice(["2296002", "2120801"]), "gf", j=amt(2e5, 3e6))
        if ch.soe:
            add("2230105", "soe", j=amt(1e5, 1e6))
        if ch.non_fiscal:
            sources = ["shiye", "qita"] if ch.family == SH else ["shiye", "qita", "zhuanhu"]
            src = rng.choice(sources)
            add(own[0], src, j=amt(2e5, 3e6))
            if ch.non_fiscal_basic:
                add(own[0], src, p=amt(1e5, 1e6))
        self.spend = spend
        self.xiang = sorted(spend)
        self.codes = with_parents(self.xiang)
        self.func = FUNC_JS if ch.family == JS else FUNC
        self._economic()
        self._sangong()
        if ch.family == JS:
            self._procurement()

    # sums over 项 -------------------------------------------------------
    def total(self, code=None, sources=None, parts=(0, 1, 2, 3)):
        """Spending of the 项 under `code` (a prefix; None: all) from `sources`."""
        t = 0
        for x, by_source in self.spend.items():
            if code and not x.startswith(code):
                continue
            for src, v in by_source.items():
                if sources is None or src in sources:
                    t += sum(v[i] for i in parts)
        return t

    def classes(self, sources=None):
        return [c for c in self.codes if len(c) == 3 and self.total(c, sources)]

    def codes_of(self, sources):
        return with_parents([x for x in self.xiang if self.total(x, sources)])

    # 经济分类 of the 一般公共预算 basic expenditure ---------------------------
    def _economic(self):
        rng = self.rng
        personnel = self.total(None, ["gp"], (0,))
        public = self.total(None, ["gp"], (1,))
        econ = {}
        known = {"30108": self.total("2080505", ["gp"], (0,)),
                 "30109": self.total("2080506", ["gp"], (0,)),
                 "30110": self.total("21011", ["gp"], (0,)),
                 "30113": self.total("2210201", ["gp"], (0,))}
        retired = self.total("2080501", ["gp"], (0,)) + self.total("2080502", ["gp"], (0,)) + \
            self.total("2080504", ["gp"], (0,))
        rest = personnel - sum(known.values()) - retired
        others = sorted(rng.sample(["30101", "30102", "30103", "30107", "30112", "30199"], 4))
        if "30101" not in others:
            others = ["30101"] + others[1:]
        for c, v in zip(others, split(rng, rest, len(others))):
            known[c] = v
        for c, v in known.items():
            if v:
                econ[c] = v
        if retired:
            econ["30302"] = retired
        public_items = sorted(rng.sample([c for c in ECON if c.startswith("302") and len(c) == 5],
                                         rng.randrange(7, 13)))
        capital = public // 12 if rng.random() < 0.5 else 0
        for c, v in zip(public_items, split(rng, public - capital, len(public_items), 0.0)):
            econ[c] = v
        if capital:
            econ["31002"] = capital
        self.econ = {}
        for group in PERSONNEL + PUBLIC:
            kids = sorted(c for c in econ if c.startswith(group) and econ[c])
            if kids:
                self.econ[group] = sum(econ[c] for c in kids)
                for c in kids:
                    self.econ[c] = econ[c]
        self.econ_codes = sorted(self.econ)
        assert sum(self.econ[g] for g in PERSONNEL if g in self.econ) == personnel
        assert sum(self.econ[g] for g in PUBLIC if g in self.econ) == public

    # “三公”经费 (万元 in Shanghai: its own ticks of 0.01 万元) ----------------
    def _sangong(self):
        rng = self.rng
        if self.ch.family == SH:
            def w(lo, hi):  # 万元 -> 0.01 万元
                return int(rng.uniform(lo, hi) * 100)
        else:
            def w(lo, hi):
                return self.amt(lo * 1e4, hi * 1e4)
        abroad = w(5, 300) if rng.random() < 0.3 else 0
        buy = w(15, 30) if rng.random() < 0.25 else 0
        run = w(3, 40) if rng.random() < 0.7 else 0
        recv = w(0.3, 40) if rng.random() < 0.9 else 0
        self.sangong = {"出国": abroad, "购置": buy, "运行": run, "接待": recv}
        if self.ch.family == JS:
            self.sangong["会议费"] = w(5, 400)
            self.sangong["培训费"] = w(5, 400) if rng.random() < 0.8 else 0
        public = self.total(None, ["gp"], (1,))
        # 机关运行经费: the public funds of an administrative unit, in 万元
        if self.ch.family == SH and self.ch.profile != "welfare":
            yuan_cents = round(public * self.ch.step * 100)
            self.jiguan = (yuan_cents + 5000) // 10000
        else:
            self.jiguan = 0

    # 政府采购 (Jiangsu 公开12表) ------------------------------------------
    def _procurement(self):
        """rows: (level, label, attr, ticks) with level 0 大类 … 3 品目; a
        专项 row carries its first 经济科目 (level 1 and 2 on one row)."""
        rng = self.rng
        classes = [k for k in PROCUREMENT if rng.random() < 0.85] or ["货物A"]
        if "服务C" not in classes:
            classes.append("服务C")  # repeated labels live there
        rows = []
        for k in PROCUREMENT:
            if k not in classes:
                continue
            items = []
            for special, econs in PROCUREMENT[k]:
                if rng.random() < 0.25 and special != "专项会议经费":
                    continue
                e_rows = []
                for econ, goods in econs:
                    g_rows = []
                    for g in goods:
                        if rng.random() < 0.2 and len(goods) > 1:
                            continue
                        g_rows.append([g, rng.choice(ORG_FORMS), self.amt(2e4, 2e6)])
                    if not g_rows:
                        g_rows.append([goods[0], rng.choice(ORG_FORMS), self.amt(2e4, 2e6)])
                    e_rows.append((econ, g_rows))
                items.append((special, e_rows))
            rows.append((k, items))
        # one 品目 bought two ways: a second row with no 品目 of its own
        k, items = rows[-1]
        special, e_rows = items[-1]
        econ, g_rows = e_rows[-1]
        other = [f for f in ORG_FORMS if f != g_rows[-1][1]][0]
        g_rows.append(["", other, self.amt(2e4, 1e6)])
        self.procurement = rows


# ----------------------------------------------------------------- drawing
class BCell:
    """A body cell; `fact` = (table, row, col) when it holds a figure (a
    blank figure cell is still a cell of the table: it counts as zero)."""

    def __init__(self, text="", cs=1, rs=1, align="l", fact=None):
        self.text, self.cs, self.rs, self.align, self.fact = text, cs, rs, align, fact


class BTable:
    def __init__(self, key, schema, title, caption, unit_label, widths, header,
                 n_head, body, notes=(), landscape=False, continuation="header",
                 break_at=None, same_page=False, row_h=15, head_h=18, body_row_h=None):
        self.key, self.schema, self.title, self.caption = key, schema, title, caption
        self.unit_label, self.widths, self.header, self.n_head = unit_label, widths, header, n_head
        self.body, self.notes, self.landscape = body, list(notes), landscape
        self.continuation, self.break_at, self.same_page = continuation, break_at, same_page
        self.row_h, self.head_h = row_h, head_h
        self.body_row_h = body_row_h or row_h


class BudgetDoc(Doc):
    """pdfdraw.Doc with the budget table drawer."""

    def __init__(self, path, font, ruling, dept_label, caption_pos):
        Doc.__init__(self, path, font, "grid", dept_label)
        self.budget_ruling = ruling
        self.caption_pos = caption_pos

    def fit_text(self, text, x, y, w, h, size, align):
        """One line, shrunk to fit: figures never wrap."""
        while self.width(text, size) > w - 4 and size > 5:
            size -= 0.5
        base = y + h / 2 - size * 0.35
        if align == "r":
            self.text_right(text, x + w - 2.5, base, size)
        elif align == "c":
            self.text_center(text, x + w / 2, base, size)
        else:
            self.text_left(text, x + 2.5, base, size)

    def _title_block(self, t, unit_name, cont):
        if t.caption and self.caption_pos == "top-left" and not cont:
            self.y -= 14
            self.text_left(t.caption, MARGIN, self.y, 10)
        self.y -= 26
        self.text_center(t.title + ("（续）" if cont else ""), self.w / 2, self.y, 15)
        self.y -= 18
        self.text_left("%s：%s" % (self.dept_label, unit_name), MARGIN, self.y, 9)
        right = t.unit_label
        if t.caption and self.caption_pos == "right":
            right = t.caption + "\u3000\u3000" + right
        self.text_right(right, self.w - MARGIN, self.y, 9)
        self.y -= 6

    def _header(self, t, xs, top):
        c = self.c
        for (r, col, rs, cs, text) in t.header:
            x0, x1 = xs[col], xs[col + cs]
            y1 = top - r * t.head_h
            y0 = y1 - rs * t.head_h
            if self.budget_ruling == "grid":
                c.setLineWidth(0.5)
                c.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
            elif cs > 1 and r + rs < t.n_head:
                c.setLineWidth(0.4)
                c.line(x0 + 1.5, y0, x1 - 1.5, y0)
            self.box_text(text, x0, y0, x1 - x0, y1 - y0, 7.5, "c")
        if self.budget_ruling != "grid":
            c.setLineWidth(1.2)
            c.line(xs[0], top, xs[-1], top)
            c.setLineWidth(0.7)
            c.line(xs[0], top - t.n_head * t.head_h, xs[-1], top - t.n_head * t.head_h)
        return top - t.n_head * t.head_h

    def _row(self, t, row, below, xs, y, facts):
        """Draws body row `row` with its top at y; `below` = the rows after it
        (for cells spanning rows). Returns the row's height."""
        h = t.body_row_h
        c = self.c
        covered_next = set()  # columns whose cell continues into the next row
        col = 0
        while col < len(row):
            cell = row[col]
            if cell is None:
                col += 1
                continue
            x0, x1 = xs[col], xs[col + cell.cs]
            if cell.rs > 1:
                for k in range(col, col + cell.cs):
                    covered_next.add(k)
            height = h * cell.rs
            if self.budget_ruling == "grid":
                c.setLineWidth(0.5)
                c.rect(x0, y - height, x1 - x0, height, stroke=1, fill=0)
            if cell.text:
                if cell.fact:
                    self.fit_text(cell.text, x0, y - h, x1 - x0, h, 7.5, cell.align)
                elif cell.rs > 1 and self.budget_ruling == "grid":
                    self.box_text(cell.text, x0, y - height, x1 - x0, height, 7.5, cell.align)
                else:
                    self.box_text(cell.text, x0, y - h, x1 - x0, h, 7.5, cell.align)
            if cell.fact and cell.text:
                tab, r, cl = cell.fact
                facts.append({"table": tab, "row": r, "col": cl,
                              "value": cell.text.replace(",", ""), "page": self.page})
            col += cell.cs
        if self.budget_ruling != "grid":
            c.setLineWidth(0.3)
            spans = []
            for k in range(len(xs) - 1):
                if k in covered_next and below:
                    continue
                if spans and spans[-1][1] == k:
                    spans[-1][1] = k + 1
                else:
                    spans.append([k, k + 1])
            for a, b in spans:
                c.line(xs[a], y - h, xs[b], y - h)
        return h

    def draw(self, t, unit_name):
        """Draws table t; returns (pages, facts)."""
        facts, pages = [], []
        xs = [MARGIN]
        width = (841.89 if t.landscape else 595.27) - 2 * MARGIN
        for wdt in t.widths:
            xs.append(xs[-1] + wdt * width / sum(t.widths))
        need = 70 + t.n_head * t.head_h + len(t.body) * t.body_row_h
        if not (t.same_page and self.page > 0 and (self.w > self.h) == bool(t.landscape)
                and self.y - need > MARGIN + 30):
            self.new_page(t.landscape)
        i, first = 0, True
        while True:
            if not first:
                self.new_page(t.landscape)
            pages.append(self.page)
            mode = "repeat" if first else t.continuation
            if mode == "repeat":
                self._title_block(t, unit_name, not first)
            else:
                self.y -= 30
            top = self.y
            y = self._header(t, xs, top) if mode != "bare" else top
            if mode == "bare" and self.budget_ruling != "grid":
                self.c.setLineWidth(1.2)
                self.c.line(xs[0], top, xs[-1], top)
            n = 0
            while i < len(t.body):
                span = max((cell.rs for cell in t.body[i] if cell), default=1)
                if n and (i == t.break_at or y - span * t.body_row_h < MARGIN + 30):
                    break
                for k in range(span):
                    y -= self._row(t, t.body[i + k], k + 1 < span, xs, y, facts)
                i += span
                n += 1
            if self.budget_ruling != "grid":
                self.c.setLineWidth(1.2)
                self.c.line(xs[0], y, xs[-1], y)
            self.y = y
            first = False
            if i >= len(t.body):
                break
        for note in t.notes:
            for line in self.wrap(note, self.w - 2 * MARGIN, 8):
                if self.y - 12 < MARGIN:
                    self.new_page(t.landscape)
                self.y -= 12
                self.text_left(line, MARGIN, self.y, 8)
        self.y -= 10
        return pages, facts


# ----------------------------------------------------------------- layout
class Layout:
    """Builds the BTables of one document and the values they print."""

    def __init__(self, m, ch, rng):
        self.m, self.ch, self.rng = m, ch, rng
        self.v = {}          # table key -> {(row, col): ticks}
        self.style = {}      # table key -> (zeros, commas, decimals, trim)
        self.tables = []

    def set_style(self, key, decimals=None, trim=False):
        ch, r = self.ch, self.rng
        zeros = ch.zeros
        if ch.zeros_per_table and r.random() < 0.4:
            zeros = "0.00"
        commas = ch.commas and not (ch.commas_per_table and r.random() < 0.5)
        self.style[key] = (zeros, commas, ch.decimals if decimals is None else decimals, trim)
        self.v.setdefault(key, {})

    def put(self, key, row, col, ticks):
        if ticks:
            self.v[key][(row, col)] = ticks

    def text(self, key, ticks):
        zeros, commas, decimals, trim = self.style[key]
        if ticks == 0:
            if zeros == "blank":
                return ""
            return "0" if zeros == "0" or decimals == 0 or trim else "0.00"
        s = fmt(ticks, decimals, commas)
        if trim and "." in s:
            s = s.rstrip("0").rstrip(".")
        return s

    def val(self, key, row, col):
        return BCell(self.text(key, self.v[key].get((row, col), 0)), align="r",
                     fact=(key, row, col))

    @staticmethod
    def lab(text, align="l", cs=1, rs=1):
        return BCell(text, cs=cs, rs=rs, align=align)

    def code_cells(self, code, prev, split):
        """The code cells of one row: one 科目编码 cell or split 类|款|项 parts."""
        if not split:
            return [self.lab(code)]
        parts = [code[:3], code[3:5], code[5:7]][:split]
        if self.ch.split_parents == "first" and prev:
            # parents left blank: read from the row above
            if len(code) >= 5 and prev[:3] == code[:3]:
                parts[0] = ""
            if len(code) == 7 and len(prev) >= 5 and prev[:5] == code[:5]:
                parts[1] = ""
        return [self.lab(p, "c") for p in parts]

    def add(self, t):
        self.tables.append(t)
        return t


SH_ORDER = ["财务收支预算总表", "收入预算总表", "支出预算总表", "财政拨款收支预算总表",
            "一般公共预算支出功能分类预算表", "政府性基金预算支出功能分类预算表",
            "国有资本经营预算支出功能分类预算表", "一般公共预算基本支出部门预算经济分类预算表",
            "“三公”经费和机关运行经费预算表"]
SH_FUNDS = {"一般公共预算支出功能分类预算表": ("gp", "一般公共预算支出"),
            "政府性基金预算支出功能分类预算表": ("gf", "政府性基金预算支出"),
            "国有资本经营预算支出功能分类预算表": ("soe", "国有资本经营预算支出")}
ALL = None


class ShLayout(Layout):
    """The nine Shanghai tables."""

    def title(self, key):
        ch = self.ch
        if key.startswith("“三公”"):
            prefix = "部门" if ch.scope == "部门" else "单位"
            return ("%d年" % ch.year if ch.title_year else "") + prefix + key
        return "%d年%s%s" % (ch.year, "部门" if ch.scope == "部门" else "预算单位", key)

    def spec(self, key, widths, header, n_head, body, notes=(), **kw):
        unit = "单位：" + self.ch.unit
        if key.startswith("“三公”"):
            unit = self.ch.sangong_colon
        return self.add(BTable(key, "预算:sh:" + key, self.title(key), None, unit, widths,
                               header, n_head, body, notes, landscape=self.ch.landscape,
                               continuation=self.ch.continuation, row_h=self.ch.row_h,
                               body_row_h=self.ch.row_h + 3, **kw))

    def class_name(self, code):
        if self.ch.old_class_name and code in OLD_NAME:
            return OLD_NAME[code]
        return self.m.func[code]

    def build(self):
        for key in SH_ORDER:
            self.set_style(key, decimals=2 if key.startswith("“三公”") else None,
                           trim=key.startswith("“三公”") and self.ch.sangong_trim)
        self.summary()
        self.coded("收入预算总表", "收入预算", ALL,
                   ["合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"])
        self.coded("支出预算总表", "支出预算", ALL, ["合计", "基本支出", "项目支出"])
        self.fiscal_summary()
        for key, (src, group) in SH_FUNDS.items():
            self.coded(key, group, [src], ["合计", "基本支出", "项目支出"])
        self.economic()
        self.sangong()
        return self.tables

    # 财务收支预算总表 ---------------------------------------------------
    def summary(self):
        m, ch, key = self.m, self.ch, "财务收支预算总表"
        split = ch.scope == "单位"
        gp, gf, soe = (m.total(None, [s]) for s in ("gp", "gf", "soe"))
        incomes = [("一、财政拨款收入", "财政拨款收入", gp + gf + soe),
                   ("1. " + ch.wording_gp, ch.wording_gp, gp),
                   ("2. " + ch.wording_fund, ch.wording_fund, gf),
                   ("3. 国有资本经营预算", "国有资本经营预算", soe),
                   ("二、事业收入", "事业收入", m.total(None, ["shiye"])),
                   ("三、事业单位经营收入", "事业单位经营收入", m.total(None, ["jingying"])),
                   ("四、其他收入", "其他收入", m.total(None, ["qita"]))]
        if self.rng.random() < 0.5:
            incomes = [(t.replace(". ", "、"), k, v) for t, k, v in incomes]
        for _, row, v in incomes:
            self.put(key, row, "预算数", v)
        classes = m.classes()
        cols = ["合计", "人员经费", "公用经费", "项目支出"] if split else ["预算数"]
        exp = []
        for n, code in enumerate(classes):
            name = m.func[code]  # the key: the class's current name
            exp.append((cn_ordinal(n + 1) + "、" + self.class_name(code), name))
            vals = [m.total(code, ALL, (0, 1, 2, 3)), m.total(code, ALL, (0,)),
                    m.total(code, ALL, (1,)), m.total(code, ALL, (2, 3))]
            for col, v in zip(cols, vals if split else vals[:1]):
                self.put(key, name, col, v)
        total = m.total()
        self.put(key, "收入总计", "预算数", total)
        vals = [total, m.total(None, ALL, (0,)), m.total(None, ALL, (1,)), m.total(None, ALL, (2, 3))]
        for col, v in zip(cols, vals if split else vals[:1]):
            self.put(key, "支出总计", col, v)
        n_rows = max(len(incomes), len(exp)) + self.rng.randrange(1, 4)
        body = []
        for i in range(n_rows):
            row = []
            if i < len(incomes):
                row += [self.lab(incomes[i][0]), self.val(key, incomes[i][1], "预算数")]
            else:
                row += [self.lab(""), self.lab("")]
            if i < len(exp):
                row += [self.lab(exp[i][0])] + [self.val(key, exp[i][1], c) for c in cols]
            else:
                row += [self.lab("")] + [self.lab("") for _ in cols]
            body.append(row)
        body.append([self.lab("收入总计", "c"), self.val(key, "收入总计", "预算数"),
                     self.lab("支出总计", "c")] + [self.val(key, "支出总计", c) for c in cols])
        if split:
            widths = [125, 80, 135, 80, 72, 72, 80]
            header = [(0, 0, 1, 2, "本年收入"), (0, 2, 1, 5, "本年支出"),
                      (1, 0, 3, 1, "项目"), (1, 1, 3, 1, "预算数"), (1, 2, 3, 1, "项目"),
                      (1, 3, 1, 4, "预算数"), (2, 3, 2, 1, "合计"), (2, 4, 1, 2, "基本支出"),
                      (2, 6, 2, 1, "项目支出"), (3, 4, 1, 1, "人员经费"), (3, 5, 1, 1, "公用经费")]
            n_head = 4
        else:
            widths = [150, 95, 150, 95]
            header = [(0, 0, 1, 2, "本年收入"), (0, 2, 1, 2, "本年支出"), (1, 0, 1, 1, "项目"),
                      (1, 1, 1, 1, "预算数"), (1, 2, 1, 1, "项目"), (1, 3, 1, 1, "预算数")]
            n_head = 2
        self.spec(key, widths, header, n_head, body)

    # coded tables -----------------------------------------------------
    def coded(self, key, group, sources, cols):
        m, ch = self.m, self.ch
        codes = m.codes_of(sources) if sources else m.codes
        for code in codes + ["合计"]:
            c = None if code == "合计" else code
            if key == "收入预算总表":
                fiscal = m.total(c, ["gp", "gf", "soe"])
                vals = [m.total(c), fiscal, m.total(c, ["shiye"]), m.total(c, ["jingying"]),
                        m.total(c, ["qita"])]
            else:
                vals = [m.total(c, sources), m.total(c, sources, (0, 1)),
                        m.total(c, sources, (2, 3))]
            for col, v in zip(cols, vals):
                self.put(key, code, col, v)
        split = 3 if ch.split_codes else 0
        nc = 4 if split else 2
        if split:
            header = [(0, 0, 1, 4, "项目"), (1, 0, 1, 3, "功能分类科目编码"),
                      (1, 3, 2, 1, "功能分类科目名称"), (2, 0, 1, 1, "类"), (2, 1, 1, 1, "款"),
                      (2, 2, 1, 1, "项")]
            widths = [26, 26, 26, 150]
            n_head = 3
        else:
            header = [(0, 0, 1, 2, "项目"), (1, 0, 1, 1, "功能分类科目编码"),
                      (1, 1, 1, 1, "功能分类科目名称")]
            widths = [62, 150]
            n_head = 2
        header.append((0, nc, 1, len(cols), group))
        for k, col in enumerate(cols):
            text = "事业单位\n经营收入" if col == "事业单位经营收入" else col
            header.append((1, nc + k, n_head - 1, 1, text.replace("\n", "")))
        widths += [75] * len(cols)
        body, prev = [], ""
        for code in codes:
            body.append(self.code_cells(code, prev, split) + [self.lab(m.func[code])] +
                        [self.val(key, code, col) for col in cols])
            prev = code
        notes = []
        if not codes:
            blank = [self.lab("") for _ in range(nc + len(cols))]
            if ch.empty_cell:
                blank[0] = self.lab("无")
            body += [blank] + [[self.lab("") for _ in range(nc + len(cols))] for _ in range(2)]
            notes.append("注:本%s%d年无%s财政拨款安排的预算，故本表为空表。" % (
                "部门" if ch.scope == "部门" else "单位", ch.year, group[:-2]))
        body.append([self.lab("合计", "c", nc)] + [None] * (nc - 1) +
                    [self.val(key, "合计", col) for col in cols])
        brk = None
        if ch.force_split and key == "支出预算总表" and len(body) > 8:
            brk = len(body) // 2
        self.spec(key, widths, header, n_head, body, notes, break_at=brk)

    # 财政拨款收支预算总表 -------------------------------------------------
    def fiscal_summary(self):
        m, ch, key = self.m, self.ch, "财政拨款收支预算总表"
        gp, gf, soe = (m.total(None, [s]) for s in ("gp", "gf", "soe"))
        incomes = [("一、" + ch.wording_gp, ch.wording_gp, gp),
                   ("二、" + ch.wording_fund, ch.wording_fund, gf),
                   ("三、国有资本经营预算", "国有资本经营预算", soe)]
        for _, row, v in incomes:
            self.put(key, row, "预算数", v)
        cols = ["合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]
        srcs = [["gp", "gf", "soe"], ["gp"], ["gf"], ["soe"]]
        classes = m.classes(["gp", "gf", "soe"])
        exp = []
        for n, code in enumerate(classes):
            name = m.func[code]
            exp.append((cn_ordinal(n + 1) + "、" + self.class_name(code), name))
            for col, src in zip(cols, srcs):
                self.put(key, name, col, m.total(code, src))
        self.put(key, "收入总计", "预算数", gp + gf + soe)
        for col, src in zip(cols, srcs):
            self.put(key, "支出总计", col, m.total(None, src))
        body = []
        for i in range(max(len(incomes), len(exp)) + self.rng.randrange(1, 3)):
            row = ([self.lab(incomes[i][0]), self.val(key, incomes[i][1], "预算数")]
                   if i < len(incomes) else [self.lab(""), self.lab("")])
            row += ([self.lab(exp[i][0])] + [self.val(key, exp[i][1], c) for c in cols]
                    if i < len(exp) else [self.lab("") for _ in range(5)])
            body.append(row)
        body.append([self.lab("收入总计", "c"), self.val(key, "收入总计", "预算数"),
                     self.lab("支出总计", "c")] + [self.val(key, "支出总计", c) for c in cols])
        header = [(0, 0, 1, 2, "财政拨款收入"), (0, 2, 1, 5, "财政拨款支出"),
                  (1, 0, 1, 1, "项目"), (1, 1, 1, 1, "预算数"), (1, 2, 1, 1, "项目")] + \
            [(1, 3 + k, 1, 1, c) for k, c in enumerate(cols)]
        self.spec(key, [120, 85, 130, 80, 80, 80, 80], header, 2, body)

    # 一般公共预算基本支出部门预算经济分类预算表 ---------------------------------
    def economic(self):
        m, ch, key = self.m, self.ch, "一般公共预算基本支出部门预算经济分类预算表"
        for code in m.econ_codes + ["合计"]:
            if code == "合计":
                p = sum(m.econ.get(g, 0) for g in PERSONNEL)
                c = sum(m.econ.get(g, 0) for g in PUBLIC)
            else:
                p = m.econ[code] if code[:3] in PERSONNEL else 0
                c = m.econ[code] if code[:3] in PUBLIC else 0
            self.put(key, code, "合计", p + c)
            self.put(key, code, "人员经费", p)
            self.put(key, code, "公用经费", c)
        split = 2 if ch.split_codes else 0
        nc = 3 if split else 2
        cols = ["合计", "人员经费", "公用经费"]
        code_head = self.rng.choice(["部门预算经济分类科目编码", "经济分类科目编码"])
        name_head = self.rng.choice(["经济分类科目名称", "部门经济分类科目名称"])
        if split:
            header = [(0, 0, 1, 3, "项目"), (1, 0, 1, 2, code_head), (1, 2, 2, 1, name_head),
                      (2, 0, 1, 1, "类"), (2, 1, 1, 1, "款")]
            widths = [30, 30, 160]
            n_head = 3
        else:
            header = [(0, 0, 1, 2, "项目"), (1, 0, 1, 1, code_head), (1, 1, 1, 1, name_head)]
            widths = [70, 160]
            n_head = 2
        header.append((0, nc, 1, 3, "一般公共预算基本支出"))
        header += [(1, nc + k, n_head - 1, 1, c) for k, c in enumerate(cols)]
        widths += [85] * 3
        body, prev = [], ""
        for code in m.econ_codes:
            body.append(self.code_cells(code, prev, split) + [self.lab(ECON[code])] +
                        [self.val(key, code, c) for c in cols])
            prev = code
        body.append([self.lab("合计", "c", nc)] + [None] * (nc - 1) +
                    [self.val(key, "合计", c) for c in cols])
        self.spec(key, widths, header, n_head, body)

    # “三公”经费和机关运行经费预算表 -------------------------------------------
    def sangong(self):
        m, ch, key = self.m, self.ch, "“三公”经费和机关运行经费预算表"
        s = m.sangong
        vals = {"合计": s["出国"] + s["购置"] + s["运行"] + s["接待"], "因公出国(境)费": s["出国"],
                "公务接待费": s["接待"], "小计": s["购置"] + s["运行"], "购置费": s["购置"],
                "运行费": s["运行"], "机关运行经费预算数": m.jiguan}
        for col, v in vals.items():
            self.put(key, "1", col, v)
        year = "%d年" % ch.year if ch.sangong_year else ""
        header = [(0, 0, 1, 6, year + "“三公”经费预算数"), (0, 6, 3, 1, year + "机关运行经费预算数"),
                  (1, 0, 2, 1, "合计"), (1, 1, 2, 1, "因公出国(境)费"), (1, 2, 2, 1, "公务接待费"),
                  (1, 3, 1, 3, "公务用车购置及运行费"), (2, 3, 1, 1, "小计"), (2, 4, 1, 1, "购置费"),
                  (2, 5, 1, 1, "运行费")]
        body = [[self.val(key, "1", c) for c in vals]]
        notes = []
        if not any(vals.values()):
            notes.append("注:本%s%d年无“三公”经费和机关运行经费预算，故本表为空表。" % (
                "部门" if ch.scope == "部门" else "单位", ch.year))
        self.spec(key, [80] * 7, header, 3, body, notes, head_h=22)


JS_ORDER = ["收支预算总表", "收入预算总表", "支出预算总表", "财政拨款收支预算总表",
            "财政拨款支出预算表（功能科目）", "财政拨款基本支出预算表（经济科目）",
            "一般公共预算支出预算表（功能科目）", "一般公共预算基本支出预算表（经济科目）",
            "“三公”经费、会议费、培训费支出预算表", "政府性基金预算财政拨款支出预算表",
            "一般公共预算机关运行经费支出预算表", "政府采购支出预算表"]


class JsLayout(Layout):
    """The twelve Jiangsu tables, captioned 公开01表 … 公开12表."""

    def spec(self, n, key, widths, header, n_head, body, notes=(), title=None, **kw):
        return self.add(BTable(key, "预算:js:" + JS_ORDER[n - 1], title or key, "公开%02d表" % n,
                               "单位：" + self.ch.unit, widths, header, n_head, body, notes,
                               landscape=self.ch.landscape, continuation=self.ch.continuation,
                               row_h=self.ch.row_h, **kw))

    def build(self):
        m, ch = self.m, self.ch
        self.key12 = ("政府采购预算表" if ch.procurement_year else "政府采购支出预算表")
        self.key10 = self.rng.choice(["政府性基金预算财政拨款支出预算表", "财政拨款政府性基金支出预算表"])
        for key in JS_ORDER[:9] + [self.key10, JS_ORDER[10], self.key12]:
            self.set_style(key)
        self.summary()
        self.income()
        self.purposes()
        self.fiscal_summary()
        self.coded(5, JS_ORDER[4], ["gp", "gf"], False)
        self.coded(6, JS_ORDER[5], ["gp", "gf"], True)
        self.coded(7, JS_ORDER[6], ["gp"], False)
        self.coded(8, JS_ORDER[7], ["gp"], True, col=ch.js_basic_header.replace(" ", ""))
        self.sangong()
        self.coded(10, self.key10, ["gf"], False)
        self.coded(11, JS_ORDER[10], ["gp"], True, col="机关运行经费支出", groups=PUBLIC[:1])
        self.procurement()
        return self.tables

    def fig(self, key, row, col="金额"):
        return self.val(key, row, col)

    # 公开01表 收支预算总表 ---------------------------------------------------
    def summary(self):
        m, ch, key = self.m, self.ch, "收支预算总表"
        gp, gf = m.total(None, ["gp"]), m.total(None, ["gf"])
        zhuanhu = m.total(None, ["zhuanhu"])
        other = m.total(None, ["shiye", "jingying", "qita"])
        carry = m.amt(1e5, 1e6) if ch.carryover else 0
        self.carry = carry
        year_in = gp + gf + zhuanhu + other
        rows_in = [("一、财政拨款", "财政拨款", gp + gf), ("  1.一般公共预算", "一般公共预算", gp),
                   ("  2.政府性基金预算", "政府性基金预算", gf),
                   ("二、财政专户管理资金", "财政专户管理资金", zhuanhu), ("三、其他资金", "其他资金", other)]
        for _, r, v in rows_in:
            self.put(key, r, "金额", v)
        names = JS_CLASS_ROWS[ch.class_rows]   # printed
        printed = [CURRENT.get(n, n) for n in names]
        by_name = {}                            # current name -> amount
        for code in m.classes():
            name = m.func[code]
            by_name[name] = m.total(code)
            if name not in printed:
                names = names[:-1] + [name] + names[-1:]
                printed = printed[:-1] + [name] + printed[-1:]
        for name, v in by_name.items():
            self.put(key, name, "金额", v)
        basic, proj, reserve = (m.total(None, ALL, p) for p in ((0, 1), (2,), (3,)))
        rows_use = [("一、基本支出", "基本支出", basic), ("二、项目支出", "项目支出", proj),
                    ("三、单位预留机动经费", "单位预留机动经费", reserve)]
        for _, r, v in rows_use:
            self.put(key, r, "金额", v)
        spend = basic + proj + reserve
        assert spend == year_in
        # what is carried in is carried out again: 结转下年资金
        tail = [("当年收入小计", year_in, "当年支出小计", spend),
                ("上年结转资金", carry, "结转下年资金", carry),
                ("收入合计", year_in + carry, "支出合计", spend + carry)]
        for li, lv, ri, rv in tail:
            self.put(key, li, "金额", lv)
            self.put(key, ri, "金额", rv)
        body = []
        for i in range(max(len(rows_in), len(names))):
            row = ([self.lab(rows_in[i][0]), self.fig(key, rows_in[i][1])] if i < len(rows_in)
                   else [self.lab(""), self.lab("")])
            row += ([self.lab(cn_ordinal(i + 1) + "、" + names[i]), self.fig(key, printed[i])]
                    if i < len(names) else [self.lab(""), self.lab("")])
            row += ([self.lab(rows_use[i][0]), self.fig(key, rows_use[i][1])] if i < len(rows_use)
                    else [self.lab(""), self.lab("")])
            body.append(row)
        for li, lv, ri, rv in tail:
            body.append([self.lab(li, "c"), self.fig(key, li), self.lab(ri, "c", 3), None, None,
                         self.fig(key, ri)])
        header = [(0, 0, 1, 2, "收入"), (0, 2, 1, 4, "支出"), (1, 0, 2, 1, "项目名称"),
                  (1, 1, 2, 1, "金额"), (1, 2, 1, 2, "功能分类"), (1, 4, 1, 2, "支出用途"),
                  (2, 2, 1, 1, "功能科目名称"), (2, 3, 1, 1, "金额"), (2, 4, 1, 1, "项目名称"),
                  (2, 5, 1, 1, "金额")]
        self.spec(1, key, [105, 62, 120, 62, 100, 62], header, 3, body)

    # 公开02表 收入预算总表 ---------------------------------------------------
    def income(self):
        m, ch, key = self.m, self.ch, "收入预算总表"
        gp, gf = m.total(None, ["gp"]), m.total(None, ["gf"])
        special = gp // 10 if self.rng.random() < 0.2 else 0
        pp = "（补助）" if ch.parens == "full" else "(补助)"
        bank = "（银行贷款）" if ch.parens == "full" else "(银行贷款)"
        detail = self.rng.random() < 0.5  # the longer list of 2019 (财政专户 and 债务 rows)
        groups = [("一般公共预算资金", [("小计", gp), ("公共财政拨款" + pp + "资金", gp - special),
                                    ("专项收入", special)]),
                  ("政府性基金", [("小计", gf)]),
                  ("财政专户管理资金", [("小计", m.total(None, ["zhuanhu"]))] +
                   ([("专户管理教育收费", 0), ("其他非税收入", m.total(None, ["zhuanhu"]))]
                    if detail else [])),
                  ("其他资金", [("小计", m.total(None, ["shiye", "jingying", "qita"])),
                            ("事业收入", m.total(None, ["shiye"])),
                            ("经营收入", m.total(None, ["jingying"])),
                            ("其他收入", m.total(None, ["qita"]))] +
                   ([("债务资金" + bank, 0)] if detail else [])),
                  ("上年结转和结余资金", [("小计", self.carry),
                                   ("其中：动用上年结转和结余资金", self.carry)])]
        canonical = {"公共财政拨款(补助)资金": "公共财政拨款（补助）资金",
                     "债务资金(银行贷款)": "债务资金（银行贷款）"}
        total = sum(rows[0][1] for _, rows in groups)
        self.put(key, "收入总计", "金额", total)
        body = [[self.lab("收入总计", "c", 2), None, self.fig(key, "收入总计")]]
        for g, rows in groups:
            for k, (label, v) in enumerate(rows):
                row_key = g + ":小计" if label == "小计" else \
                    canonical.get(label, label).replace("其中：", "")
                self.put(key, row_key, "金额", v)
                first = self.lab(g, "c", rs=len(rows)) if k == 0 else None
                body.append([first, self.lab(label), self.fig(key, row_key)])
        header = [(0, 0, 1, 2, "项目名称"), (0, 2, 1, 1, "金额")]
        self.spec(2, key, [110, 170, 110], header, 1, body)

    # 公开03表 支出预算总表 ---------------------------------------------------
    def purposes(self):
        m, key = self.m, "支出预算总表"
        vals = {"基本支出": m.total(None, ALL, (0, 1)), "项目支出": m.total(None, ALL, (2,)),
                "单位预留机动经费": m.total(None, ALL, (3,)), "结转下年资金": self.carry}
        vals = dict([("合计", sum(vals.values()))] + list(vals.items()))
        for c, v in vals.items():
            self.put(key, "1", c, v)
        header = [(0, k, 1, 1, c) for k, c in enumerate(vals)]
        self.spec(3, key, [1] * 5, header, 1, [[self.val(key, "1", c) for c in vals]],
                  same_page=True)

    # 公开04表 财政拨款收支预算总表 ----------------------------------------------
    def fiscal_summary(self):
        m, key = self.m, "财政拨款收支预算总表"
        gp, gf = m.total(None, ["gp"]), m.total(None, ["gf"])
        fis = ["gp", "gf"]
        vals = {"一般公共预算": gp, "政府性基金预算": gf, "收入合计": gp + gf,
                "基本支出": m.total(None, fis, (0, 1)), "项目支出": m.total(None, fis, (2,)),
                "单位预留机动经费": m.total(None, fis, (3,)), "支出合计": m.total(None, fis)}
        for r, v in vals.items():
            self.put(key, r, "金额", v)
        body = [[self.lab("一、一般公共预算"), self.fig(key, "一般公共预算"),
                 self.lab("一、基本支出"), self.fig(key, "基本支出")],
                [self.lab("二、政府性基金预算"), self.fig(key, "政府性基金预算"),
                 self.lab("二、项目支出"), self.fig(key, "项目支出")],
                [self.lab(""), self.lab(""), self.lab("三、单位预留机动经费"),
                 self.fig(key, "单位预留机动经费")],
                [self.lab("收入合计", "c"), self.fig(key, "收入合计"), self.lab("支出合计", "c"),
                 self.fig(key, "支出合计")]]
        header = [(0, 0, 1, 2, "收入"), (0, 2, 1, 2, "支出"), (1, 0, 2, 1, "项目名称"),
                  (1, 1, 2, 1, "金额"), (1, 2, 1, 2, "支出用途"), (2, 2, 1, 1, "项目名称"),
                  (2, 3, 1, 1, "金额")]
        self.spec(4, key, [130, 80, 130, 80], header, 3, body, same_page=True)

    # coded tables (公开05/06/07/08/10/11表) -----------------------------------
    def coded(self, n, key, sources, economic, col="金额", groups=None):
        m, ch = self.m, self.ch
        if economic:
            codes = [c for c in m.econ_codes if groups is None or c[:3] in groups]
            for c in codes:
                self.put(key, c, col, m.econ[c])
            total = sum(m.econ[c] for c in codes if len(c) == 3)
            heads = ("科目编码", "科目名称")
            names = ECON
        else:
            codes = m.codes_of(sources)
            for c in codes:
                self.put(key, c, col, m.total(c, sources, (0, 1, 2, 3)))
            total = m.total(None, sources)
            heads = ("功能科目编码", "功能科目名称")
            names = m.func
        self.put(key, "合计", col, total)
        body = [[self.lab(""), self.lab("合计", "c"), self.val(key, "合计", col)]]
        body += [[self.lab(c), self.lab(names[c]), self.val(key, c, col)] for c in codes]
        notes = ["注：“科目编码”和“科目名称”为必填项。"]
        if not codes:
            body += [[self.lab("") for _ in range(3)] for _ in range(2)]
            notes = ["注：本部门无该项目"]
        head = ch.amount_header if col == "金额" else col
        header = [(0, 0, 1, 1, heads[0]), (0, 1, 1, 1, heads[1]), (0, 2, 1, 1, head)]
        brk = len(body) // 2 if ch.force_split and n == 6 and len(body) > 10 else None
        self.spec(n, key, [90, 190, 100], header, 1, body, notes, break_at=brk,
                  same_page=not codes)

    # 公开09表 “三公”经费、会议费、培训费支出预算表 --------------------------------
    def sangong(self):
        m, key = self.m, "“三公”经费、会议费、培训费支出预算表"
        s = m.sangong
        three = s["出国"] + s["购置"] + s["运行"] + s["接待"]
        vals = {"合计": three + s["会议费"] + s["培训费"], "“三公”经费:小计": three,
                "因公出国（境）费": s["出国"], "公务用车购置及运行维护费:小计": s["购置"] + s["运行"],
                "公务用车购置费": s["购置"], "公务用车运行维护费": s["运行"], "公务接待费": s["接待"],
                "会议费": s["会议费"], "培训费": s["培训费"]}
        for c, v in vals.items():
            self.put(key, "1", c, v)
        header = [(0, 0, 3, 1, "合计"), (0, 1, 1, 6, "“三公”经费"), (0, 7, 3, 1, "会议费"),
                  (0, 8, 3, 1, "培训费"), (1, 1, 2, 1, "小计"), (1, 2, 2, 1, "因公出国（境）费"),
                  (1, 3, 1, 3, "公务用车购置及运行维护费"), (1, 6, 2, 1, "公务接待费"),
                  (2, 3, 1, 1, "小计"), (2, 4, 1, 1, "公务用车购置费"), (2, 5, 1, 1, "公务用车运行维护费")]
        self.spec(9, key, [1] * 9, header, 3, [[self.val(key, "1", c) for c in vals]],
                  head_h=22, same_page=True)

    # 公开12表 政府采购 ----------------------------------------------------
    def procurement(self):
        m, ch, key = self.m, self.ch, self.key12
        rows = []   # (labels by level, attribute, ticks, own level)
        for cls, specials in m.procurement:
            ordinal = {"货物A": "一、", "工程B": "二、", "服务C": "三、"}[cls]
            total = 0
            cls_rows = []
            for special, econs in specials:
                for k, (econ, goods) in enumerate(econs):
                    e_total = sum(g[2] for g in goods)
                    total += e_total
                    labels = [None, special if k == 0 else None, econ, None]
                    cls_rows.append((labels, "", e_total, 2))
                    for g, form, v in goods:
                        cls_rows.append(([None, None, None, g or None], form, v, 3))
            rows.append(([ordinal + cls, None, None, None], "", total, 0))
            rows += cls_rows
        total = sum(r[2] for r in rows if r[3] == 0)
        keys = item_keys_of(rows)
        self.put(key, "合计", "总计", total)
        body = [[self.lab("合计"), self.lab(""), self.lab(""), self.lab(""), self.lab(""),
                 self.val(key, "合计", "总计")]]
        for (labels, form, v, lvl), k in zip(rows, keys):
            self.put(key, k, "总计", v)
            body.append([self.lab(x or "") for x in labels] + [self.lab(form),
                                                              self.val(key, k, "总计")])
        header = [(0, 0, 1, 1, "采购品目大类"), (0, 1, 1, 1, "专项名称"), (0, 2, 1, 1, "经济科目"),
                  (0, 3, 1, 1, "采购物品名称"), (0, 4, 1, 1, "采购组织形式"), (0, 5, 1, 1, "总计")]
        notes = ["注：1.采购组织形式为：集中采购、部门集中采购和分散采购。",
                 "2.采购品目名称根据《政府采购品目分类目录》规定品目名称填写。"]
        title = ("%d年政府采购预算表" % ch.year) if ch.procurement_year else key
        brk = len(body) * 2 // 3 if ch.force_split else None
        self.spec(12, key, [75, 95, 95, 120, 80, 60], header, 1, body, notes, title=title,
                  break_at=brk)


def strip_ordinal(label):
    label = re.sub(r"\s+", "", label)
    label = re.sub(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]、?|"
                   r"\d{1,2}[、.．](?!\d))", "", label)
    return label[3:] if label.startswith(("其中：", "其中:")) else label


def item_keys_of(rows):
    """Row keys of an items table (docs/KEYS.md): rows = (labels by level with
    None for a blank cell, attribute text, ticks, _). A label column's value
    holds until a row sets it or an outer column changes; a row's own label is
    its innermost label cell (no label: the row above's); a label printed more
    than once takes as many parents as it needs to differ from every other
    row; rows that still share their whole path take their attribute."""
    current = [None] * len(rows[0][0])
    paths, attrs = [], []
    for labels, attr, _, _ in rows:
        own = None
        for lvl, text in enumerate(labels):
            if text:
                current[lvl] = strip_ordinal(text)
                for deeper in range(lvl + 1, len(current)):
                    current[deeper] = None
                own = lvl
        if own is None:
            paths.append(paths[-1])
        else:
            paths.append([x for x in current[:own + 1] if x])
        attrs.append(attr)
    keys = []
    for i, path in enumerate(paths):
        label, parents = path[-1], path[:-1]
        others = [p for j, p in enumerate(paths) if j != i and p[-1] == label and p != path]
        twins = any(j != i and p == path for j, p in enumerate(paths))
        key = None
        for k in range(len(parents) + 1):
            cand = parents[len(parents) - k:] + [label]
            if all(p[:-1][max(0, len(p) - 1 - k):] + [label] != cand for p in others):
                key = ":".join(cand)
                break
        if key is None:
            key = ":".join(path)
        if twins:
            key += ":" + attrs[i]
        keys.append(key)
    return keys


# ----------------------------------------------------------------- identities
def load_identities():
    with open(os.path.join(SCHEMAS, "identities", "yusuan.json"), encoding="utf-8") as f:
        rules = json.load(f)["identities"]
    with open(os.path.join(SCHEMAS, "identities", "catalogue.json"), encoding="utf-8") as f:
        classes = json.load(f)["classes"]
    return rules, classes


def check_identities(cells, order):
    """Asserts every identity of schemas/identities/yusuan.json on the cells
    a document prints. cells: {(table, row, col): ticks} for every figure
    cell, blank ones included (zero); order: table -> its rows in print
    order. Expands like pipeline/reconcile/identities.cc; an identity whose
    lhs the document does not print, or none of whose terms it prints, is
    not checked; any other difference is an error. Returns the number of
    identities checked."""
    rules, classes = load_identities()
    cols_of = {}
    nonzero = set()
    for (t, r, c), v in cells.items():
        cols_of.setdefault((t, r), set()).add(c)
        if v:
            nonzero.add((t, r))

    def sub(s, env):
        for k, v in env.items():
            s = s.replace("{" + k + "}", v)
        return s

    def terms(term, env, sign=1):
        t, col = sub(term["table"], env), sub(term["col"], env)
        s = sign * term.get("sign", 1)
        each = term.get("each", "")
        if not each:
            return [((t, sub(term["row"], env), col), s)]
        if each == "classes":
            return [((t, name, col), s) for name in classes.values()]
        rows = order.get(t, [])
        if each.startswith("prefix:"):
            return [((t, r, col), s) for r in rows if r.startswith(each[7:])]
        n = int(each[6:])
        return [((t, r, col), s) for r in rows if r.isdigit() and len(r) == n]

    def holds(rule, env):
        when = rule.get("when", {})
        eq = [cells.get((sub(x["table"], env), sub(x["row"], env), sub(x["col"], env)), 0)
              for x in when.get("equal", [])]
        if any(v != eq[0] for v in eq):
            return False
        return not any((sub(x["table"], env), sub(x["row"], env)) in nonzero
                       for x in when.get("zero_rows", []))

    checked = 0

    def judge(name, lhs, rhs):
        nonlocal checked
        if lhs[0] not in cells or not any(c in cells for c, _ in rhs):
            return
        diff = cells[lhs[0]] - sum(s * cells.get(c, 0) for c, s in rhs)
        assert diff == 0, ("identity broken", name, lhs, rhs, diff)
        checked += 1

    for rule in rules:
        if rule.get("shape") == "code_rollup":
            t = rule["table"]
            rows = [r for r in order.get(t, []) if r.isdigit() and len(r) in rule["levels"]]
            cols = set().union(*[cols_of.get((t, r), set()) for r in order.get(t, [])] or [set()])
            for col in cols:
                for p in rows:
                    lv = rule["levels"].index(len(p))
                    if lv + 1 < len(rule["levels"]):
                        kids = [r for r in rows if len(r) == rule["levels"][lv + 1] and r.startswith(p)]
                        if kids:
                            judge(rule["id"], ((t, p, col), 1), [((t, k, col), 1) for k in kids])
                tops = [r for r in rows if len(r) == rule["levels"][0]]
                if rule.get("total_row") and tops:
                    judge(rule["id"], ((t, rule["total_row"], col), 1),
                          [((t, k, col), 1) for k in tops])
            continue
        over = rule.get("over", "")
        envs = [{}]
        if over == "classes":
            envs = [{"code": k, "name": v} for k, v in classes.items()]
        elif over == "cols":
            envs = [{"col": c} for c in rule["over_cols"]]
        elif over == "rows":
            envs = []
            t = rule["over_table"]
            for r in order.get(t, []):
                if rule.get("row_pattern") == "codes" and not (r.isdigit() or r == "合计"):
                    continue
                if r in rule.get("skip_rows", []):
                    continue
                if rule.get("over_cols") and not (cols_of.get((t, r), set()) & set(rule["over_cols"])):
                    continue
                envs += [{"row": r, "col": c} for c in rule["each_col"]] if rule.get("each_col") \
                    else [{"row": r}]
        for env in envs:
            if not holds(rule, env):
                continue
            lhs = terms(rule["lhs"], env)
            rhs = [x for term in rule["rhs"] for x in terms(term, env)]
            judge(rule["id"], lhs[0], rhs)
    return checked


# ----------------------------------------------------------------- the document
def wan(ticks, step):
    """ticks of `step` 元 as 万元 with two decimals, rounded half up."""
    cents_of_wan = (ticks * round(step * 100) * 100 + 5000) // 10000  # 0.01 万元
    return fmt(cents_of_wan, 2, False)


class Writer:
    """Prose pages; records the figures they quote (truth `narrative`)."""

    def __init__(self, doc, lay):
        self.doc, self.lay, self.entries = doc, lay, []

    def q(self, label, table, row, col, in_wan=True):
        """'label X万元', quoting a table cell (converted to 万元 when the
        table is in 元)."""
        ch = self.lay.ch
        ticks = self.lay.v[table].get((row, col), 0)
        unit = "万元" if table.startswith("“三公”") and ch.family == SH else ch.unit
        if unit == "万元":
            value = fmt(ticks, 2, False)
        else:
            value = wan(ticks, ch.step)
        shown = fmt(int(value.replace(".", "")), 2, ch.commas)
        text = "%s%s万元" % (label, shown)
        if not ticks:
            return text  # a blank cell: nothing to refer to
        self.entries.append({"text": text, "value": value, "unit": "万元",
                             "refers_to": {"table": table, "row": row, "col": col},
                             "consistent": True})
        return text

    def para(self, text):
        self.doc.paragraph(text, 10.5)
        for e in self.entries:
            if "page" not in e and e["text"] in text:
                e["page"] = self.doc.page

    def heading(self, text, size=12, center=False):
        self.doc.heading(text, size, center)


def sh_prose_front(w, m, lay):
    ch, doc = lay.ch, w.doc
    doc.heading("%s主要职能" % m.unit_name, 13, center=True)
    w.para("%s是本区负责相关领域工作的%s。主要职能包括：贯彻执行国家和本市有关法律、法规、规章和方针、"
           "政策；研究拟订本领域发展规划并组织实施；完成上级交办的其他任务。" % (
               m.unit_name, "事业单位" if ch.profile == "welfare" else "政府工作部门"))
    doc.heading("%s机构设置" % m.unit_name, 13, center=True)
    w.para("%s%s预算包括本级以及下属0家预算单位的综合收支计划。" % (m.unit_name, ch.scope))
    doc.heading("名词解释", 13, center=True)
    w.para("基本支出预算：预算单位为保障其机构正常运转、完成日常工作任务而编制的年度基本支出计划，"
           "包括人员经费和公用经费两部分。")
    w.para("项目支出预算：预算单位为完成行政工作任务、事业发展目标，在基本支出之外编制的年度支出计划。")
    w.para("机关运行经费：指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的"
           "日常公用经费支出。")
    doc.new_page(ch.landscape)
    doc.heading("%d年%s预算编制说明" % (ch.year, ch.scope), 13, center=True)
    A = "财务收支预算总表"
    w.para("%d年，%s%s，其中：%s；%s；%s；%s。" % (
        ch.year, m.unit_name, w.q("收入预算", A, "收入总计", "预算数"),
        w.q("财政拨款收入", A, "财政拨款收入", "预算数"), w.q("事业收入", A, "事业收入", "预算数"),
        w.q("事业单位经营收入", A, "事业单位经营收入", "预算数"), w.q("其他收入", A, "其他收入", "预算数")))
    D = "财政拨款收支预算总表"
    w.para("支出预算%s万元，其中：%s。财政拨款支出预算中，%s；%s；%s。" % (
        wan(m.total(), ch.step) if ch.unit == "元" else fmt(m.total(), 2, False),
        w.q("财政拨款支出预算", D, "支出总计", "合计"),
        w.q("一般公共预算拨款支出预算", D, "支出总计", "一般公共预算"),
        w.q("政府性基金拨款支出预算", D, "支出总计", "政府性基金预算"),
        w.q("国有资本经营预算拨款支出预算", D, "支出总计", "国有资本经营预算")))
    w.para("财政拨款支出主要内容如下：")
    E = "一般公共预算支出功能分类预算表"
    n = 0
    for code in m.codes_of(["gp"]):
        if len(code) != 7:
            continue
        n += 1
        w.para("%d.“%s（类）%s（款）%s（项）”%s，主要用于本单位相关工作支出。" % (
            n, m.func[code[:3]], m.func[code[:5]], m.func[code], w.q("", E, code, "合计")))


def sh_prose_back(w, m, lay):
    ch, doc = lay.ch, w.doc
    doc.new_page(ch.landscape)
    doc.heading("其他相关情况说明", 13, center=True)
    I = "“三公”经费和机关运行经费预算表"
    doc.heading("一、%d年“三公”经费预算情况说明" % ch.year, 11)
    w.para("%d年“三公”经费%s。其中：（一）%s。（二）%s，其中：%s，%s。（三）%s。" % (
        ch.year, w.q("预算数为", I, "1", "合计"), w.q("因公出国（境）费", I, "1", "因公出国(境)费"),
        w.q("公务用车购置及运行费", I, "1", "小计"), w.q("公务用车购置费", I, "1", "购置费"),
        w.q("公务用车运行费", I, "1", "运行费"), w.q("公务接待费", I, "1", "公务接待费")))
    doc.heading("二、机关运行经费预算", 11)
    if m.jiguan:
        w.para("%d年%s财政拨款的%s。" % (ch.year, m.unit_name,
                                     w.q("机关运行经费预算为", I, "1", "机关运行经费预算数")))
    else:
        w.para("%d年%s无机关运行经费。" % (ch.year, m.unit_name))
    doc.heading("三、政府采购预算情况", 11)
    w.para("%d年度本单位政府采购预算%s万元，其中：政府采购货物预算%s万元、政府采购工程预算0.00万元、"
           "政府采购服务预算%s万元。" % (ch.year, "120.60", "20.60", "100.00"))
    doc.heading("四、绩效目标设置情况", 11)
    projects = sum(1 for x in m.xiang if m.total(x, ALL, (2,)))
    w.para("%d年度，本单位编报绩效目标的项目共%d个，%s。" % (
        ch.year, projects, w.q("涉及项目预算资金", "支出预算总表", "合计", "项目支出")))
    doc.heading("五、国有资产占有使用情况", 11)
    w.para("截至%d年8月31日，%s共有车辆%d辆；单价100万元（含）以上设备（不含车辆）0台（套）。" % (
        ch.year - 1, m.unit_name, 1 if m.sangong["运行"] else 0))


def js_prose(w, m, lay):
    ch, doc = lay.ch, w.doc
    doc.new_page()
    doc.heading("第三部分 %d年度部门预算情况说明" % ch.year, 14, center=True)
    J1, J4 = "收支预算总表", "财政拨款收支预算总表"
    doc.heading("一、收支预算总体情况说明", 11)
    w.para("%s%d年度收入、支出%s。" % (m.unit_name, ch.year, w.q("预算总计", J1, "收入合计", "金额")))
    doc.heading("二、收入预算情况说明", 11)
    w.para("%s本年%s，其中：%s。" % (m.unit_name, w.q("收入预算合计", J1, "当年收入小计", "金额"),
                                 w.q("一般公共预算收入", J1, "一般公共预算", "金额")))
    doc.heading("三、支出预算情况说明", 11)
    w.para("%s本年支出预算合计，其中：%s；%s；%s。" % (
        m.unit_name, w.q("基本支出", J1, "基本支出", "金额"), w.q("项目支出", J1, "项目支出", "金额"),
        w.q("单位预留机动经费", J1, "单位预留机动经费", "金额")))
    doc.heading("四、财政拨款收支预算总体情况说明", 11)
    w.para("%s%d年度财政拨款%s。" % (m.unit_name, ch.year, w.q("收、支总预算", J4, "收入合计", "金额")))
    doc.heading("五、一般公共预算“三公”经费、会议费、培训费支出预算情况说明", 11)
    J9 = "“三公”经费、会议费、培训费支出预算表"
    w.para("%d年度一般公共预算拨款安排的“三公”经费预算支出中，%s；%s；%s。%s；%s。" % (
        ch.year, w.q("因公出国（境）费支出", J9, "1", "因公出国（境）费"),
        w.q("公务用车运行维护费支出", J9, "1", "公务用车运行维护费"),
        w.q("公务接待费支出", J9, "1", "公务接待费"), w.q("会议费预算支出", J9, "1", "会议费"),
        w.q("培训费预算支出", J9, "1", "培训费")))
    doc.heading("六、一般公共预算机关运行经费支出预算情况说明", 11)
    w.para("%d年本部门一般公共预算%s。" % (
        ch.year, w.q("机关运行经费预算支出", "一般公共预算机关运行经费支出预算表", "合计", "机关运行经费支出")))
    doc.heading("七、政府采购支出预算情况说明", 11)
    w.para("%d年政府采购%s。" % (ch.year, w.q("预算总金额为", lay.key12, "合计", "总计")))
    doc.heading("八、预算绩效目标设置情况说明", 11)
    w.para("%d年本部门实行整体支出绩效目标管理，涉及财政性资金%s。" % (
        ch.year, w.q("合计", J4, "收入合计", "金额")))
    doc.heading("第四部分 名词解释", 13, center=True)
    w.para("一、财政拨款：指一般公共预算财政拨款和政府性基金预算财政拨款。")
    w.para("二、单位预留机动经费：指预算单位年初预留用于年度执行中增人、增资等不可预见支出的经费。")
    w.para("三、“三公”经费：指部门用一般公共预算财政拨款安排的因公出国（境）费、公务用车购置及运行费和"
           "公务接待费。")


def generate(pdf_path, doc_id, seed, family=None, **choices):
    """Draws one budget document at pdf_path; returns its truth dict."""
    rng = random.Random("yusuan-%s" % seed)
    target_rng = random.Random("yusuan-targets-%s" % seed)
    family = family or rng.choice([SH, JS])
    ch = Choices(rng, family, choices)
    if ch.targets is None:
        ch.targets = target_rng.random() < 0.3
    m = Budget(ch, rng)
    lay = (ShLayout if family == SH else JsLayout)(m, ch, rng)
    tables = lay.build()

    # the figures as printed, checked before anything is drawn
    cells, order = {}, {}
    for t in tables:
        for row in t.body:
            for cell in row:
                if cell and cell.fact:
                    tab, r, c = cell.fact
                    cells[(tab, r, c)] = lay.v[tab].get((r, c), 0)
                    if r not in order.setdefault(tab, []):
                        order[tab].append(r)
    checked = check_identities(cells, order)
    assert checked > 20, ("too few identities checked", checked)

    doc = BudgetDoc(pdf_path, ch.font, ch.ruling, ch.dept_label, ch.caption_pos)
    w = Writer(doc, lay)
    doc.new_page(ch.landscape and family == SH)
    doc.y -= 110
    if family == SH:
        doc.text_center("%d年%s预算" % (ch.year, ch.scope), doc.w / 2, doc.y, 22)
        doc.y -= 36
        doc.text_center("%s：%s" % ("预算主管部门" if ch.scope == "部门" else "预算单位",
                                   m.unit_name), doc.w / 2, doc.y, 14)
    else:
        doc.text_center(m.unit_name, doc.w / 2, doc.y, 22)
        doc.y -= 36
        doc.text_center("%d年度部门预算公开" % ch.year, doc.w / 2, doc.y, 18)
    doc.y -= 50
    if ch.toc:
        doc.heading("目  录", 13, center=True)
        for n, t in enumerate(tables):
            doc.paragraph("%d.%s" % (n + 1, t.title), 10, indent=True, leading=1.5)
    if family == SH and ch.narrative:
        doc.new_page(ch.landscape)
        sh_prose_front(w, m, lay)
    elif family == JS and ch.narrative:
        doc.new_page()
        doc.heading("第一部分 部门概况", 14, center=True)
        w.para("%s的主要职能是依照法律法规履行职责，完成省委、省政府交办的其他任务。本部门预算包括"
               "本级预算，纳入编制范围的预算单位共1家。" % m.unit_name)

    out_tables, facts = [], []
    for t in tables:
        pages, fs = doc.draw(t, m.unit_name)
        unit = "万元" if t.key.startswith("“三公”") and family == SH else ch.unit
        out_tables.append({"table": t.key, "title": t.title, "unit": unit, "pages": pages,
                           "caption": t.caption, "schema": t.schema})
        facts += fs
    if ch.narrative:
        if family == SH:
            sh_prose_back(w, m, lay)
        else:
            js_prose(w, m, lay)
    else:
        w.entries = []
    target_facts = []
    if ch.targets:
        # the projects' performance targets, after everything else
        fixed = ch.targets if isinstance(ch.targets, dict) else {}
        target_tables, target_facts = targets.draw(doc, target_rng, ch.year, m.unit_name, m.unit_name,
                                                   **fixed)
        out_tables += target_tables
    doc.finish()

    # the pages carry exactly the model's figures
    seen = set()
    for f in facts:
        k = (f["table"], f["row"], f["col"])
        assert k not in seen, ("duplicate fact", k)
        seen.add(k)
        assert f["value"] == lay.text(f["table"], cells[k]).replace(",", ""), (f, cells[k])
    for k, v in cells.items():
        assert v == 0 or k in seen, ("figure not printed", k)
    for f in target_facts:
        k = (f["table"], f["row"], f["col"])
        assert k not in seen, ("duplicate fact", k)
        seen.add(k)
    facts += target_facts
    narrative = [{key: e[key] for key in ("page", "text", "value", "unit", "refers_to",
                                          "consistent")} for e in w.entries if "page" in e]
    variant = {"producer": "reportlab", "scan": None, "identities_checked": checked}
    variant.update(ch.as_dict())
    return {"doc_id": doc_id, "kind": "yusuan", "unit": m.unit_name, "year": ch.year,
            "pages": doc.page, "variant": variant, "tables": out_tables, "facts": facts,
            "injected": [], "narrative": narrative}
