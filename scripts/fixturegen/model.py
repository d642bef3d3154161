"""The 决算 model: a unit's nine tables as exact cents, built from a seed.

Every figure is an integer number of cents (0.01 万元). Values live in
`Model.values[table][(row, col)]`; a missing key is zero. `identities()` lists
every accounting identity of the nine tables (docs: the domain primer) as a
signed sum of cells that must be zero, so the same list both checks the model
and names what a planted source error breaks.
"""

import random

# 功能分类科目 used by the generated units (real codes and names).
FUNC_NAMES = {
    "201": "一般公共服务支出",
    "20103": "政府办公厅（室）及相关机构事务",
    "2010301": "行政运行",
    "2010350": "事业运行",
    "205": "教育支出",
    "20508": "进修及培训",
    "2050803": "培训支出",
    "206": "科学技术支出",
    "20603": "应用研究",
    "2060302": "社会公益研究",
    "208": "社会保障和就业支出",
    "20805": "行政事业单位养老支出",
    "2080501": "行政单位离退休",
    "2080502": "事业单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出",
    "20808": "抚恤",
    "2080801": "死亡抚恤",
    "20899": "其他社会保障和就业支出",
    "2089901": "其他社会保障和就业支出",
    "210": "卫生健康支出",
    "21001": "卫生健康管理事务",
    "2100101": "行政运行",
    "2100102": "一般行政管理事务",
    "2100199": "其他卫生健康管理事务支出",
    "21004": "公共卫生",
    "2100401": "疾病预防控制机构",
    "2100408": "基本公共卫生服务",
    "2100409": "重大公共卫生服务",
    "2100410": "突发公共卫生事件应急处理",
    "21011": "行政事业单位医疗",
    "2101101": "行政单位医疗",
    "2101102": "事业单位医疗",
    "2101103": "公务员医疗补助",
    "21099": "其他卫生健康支出",
    "2109901": "其他卫生健康支出",
    "221": "住房保障支出",
    "22102": "住房改革支出",
    "2210201": "住房公积金",
    "2210202": "提租补贴",
    "2210203": "购房补贴",
    "223": "国有资本经营预算支出",
    "22301": "解决历史遗留问题及改革成本支出",
    "2230105": "国有企业退休人员社会化管理补助支出",
    "229": "其他支出",
    "22960": "彩票公益金安排的支出",
    "2296002": "用于社会福利的彩票公益金支出",
    "2296003": "用于体育事业的彩票公益金支出",
}

# The 26 类 of the expenditure side of 公开01表/公开04表, in template order.
LEI_LIST = [
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"),
    ("204", "公共安全支出"), ("205", "教育支出"), ("206", "科学技术支出"),
    ("207", "文化旅游体育与传媒支出"), ("208", "社会保障和就业支出"),
    ("210", "卫生健康支出"), ("211", "节能环保支出"), ("212", "城乡社区支出"),
    ("213", "农林水支出"), ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"),
    ("217", "金融支出"), ("219", "援助其他地区支出"),
    ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"),
    ("224", "灾害防治及应急管理支出"), ("229", "其他支出"),
    ("231", "债务还本支出"), ("232", "债务付息支出"),
    ("234", "抗疫特别国债安排的支出"),
]
LEI_NAME = dict(LEI_LIST)

INCOME_ITEMS_01 = [
    "一般公共预算财政拨款收入", "政府性基金预算财政拨款收入",
    "国有资本经营预算财政拨款收入", "上级补助收入", "事业收入", "经营收入",
    "附属单位上缴收入", "其他收入",
]
FISCAL_KINDS = ["一般公共预算财政拨款", "政府性基金预算财政拨款",
                "国有资本经营预算财政拨款"]

# 经济分类科目 of 公开06表 (real codes and names).
ECON_NAMES = {
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴",
    "30103": "奖金", "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费",
    "30110": "职工基本医疗保险缴费", "30112": "其他社会保障缴费",
    "30113": "住房公积金", "30199": "其他工资福利支出",
    "302": "商品和服务支出", "30201": "办公费", "30205": "水费",
    "30206": "电费", "30207": "邮电费", "30209": "物业管理费",
    "30211": "差旅费", "30213": "维修（护）费", "30216": "培训费",
    "30217": "公务接待费", "30226": "劳务费", "30228": "工会经费",
    "30229": "福利费", "30231": "公务用车运行维护费", "30239": "其他交通费用",
    "30299": "其他商品和服务支出",
    "303": "对个人和家庭的补助", "30302": "退休费", "30305": "生活补助",
    "30307": "医疗费补助", "30309": "奖励金",
    "310": "资本性支出", "31002": "办公设备购置", "31003": "专用设备购置",
    "31007": "信息网络及软件购置更新",
}
PERSONNEL_GROUPS = ["301", "303"]
PUBLIC_GROUPS = ["302", "310"]

T01, T02, T03, T04, T05, T06, T07, T08, T09 = (
    "公开0%d表" % n for n in range(1, 10))


def level(code):
    return {3: "类", 5: "款", 7: "项"}[len(code)]


def split_cents(rng, total, n, zero_prob=0.0):
    """Splits `total` cents into n non-negative parts (some possibly zero)."""
    if n == 1:
        return [total]
    weights = [0 if rng.random() < zero_prob else rng.uniform(0.2, 1.0)
               for _ in range(n)]
    if not any(weights):
        weights[0] = 1.0
    s = sum(weights)
    parts = [int(total * w / s) for w in weights]
    parts[max(range(n), key=lambda i: weights[i])] += total - sum(parts)
    return parts


class Model:
    """One unit's nine tables. `codes[table]` lists the 科目编码 rows in order."""

    def __init__(self, unit, year, seed):
        self.unit = unit
        self.year = year
        self.seed = seed
        self.values = {t: {} for t in (T01, T02, T03, T04, T05, T06, T07,
                                       T08, T09)}
        self.codes = {}
        self.econ_codes = []  # 公开06表 rows, groups followed by their items

    def get(self, table, row, col):
        return self.values[table].get((row, str(col)), 0)

    def put(self, table, row, col, cents):
        self.values[table][(row, str(col))] = cents

    # ----- identities ---------------------------------------------------
    def identities(self):
        """Returns [(name, [((table,row,col), coefficient), ...])]; each sums to 0."""
        ids = []

        def ident(name, terms):
            ids.append((name, [((t, r, str(c)), k) for (t, r, c), k in terms]))

        def coded(table, ncols, rowsum):
            codes = self.codes[table]
            for col in range(1, ncols + 1):
                leis = [c for c in codes if len(c) == 3]
                ident("%s 合计=Σ类 %d栏" % (table, col),
                      [((table, "合计", col), 1)] +
                      [((table, c, col), -1) for c in leis])
                for parent in codes:
                    if len(parent) == 7:
                        continue
                    kids = [c for c in codes if len(c) == len(parent) + 2
                            and c.startswith(parent)]
                    what = "Σ款" if len(parent) == 3 else "Σ项"
                    ident("%s %s=%s %d栏" % (table, parent, what, col),
                          [((table, parent, col), 1)] +
                          [((table, c, col), -1) for c in kids])
            for row in ["合计"] + codes:
                for name, terms in rowsum(table, row):
                    ident(name, terms)

        def sum_row(first, last, total=1):
            def f(table, row):
                parts = "+".join(str(c) for c in range(first, last + 1))
                return [("%s %s %d栏=%s栏" % (table, row, total, parts),
                         [((table, row, total), 1)] +
                         [((table, row, c), -1) for c in range(first, last + 1)])]
            return f

        coded(T02, 7, sum_row(2, 7))
        coded(T03, 6, sum_row(2, 6))
        coded(T05, 3, sum_row(2, 3))
        if self.codes[T09]:
            coded(T09, 3, sum_row(2, 3))

        def rows08(table, row):
            return [("%s %s 6栏=1+2-3栏" % (table, row),
                     [((table, row, 6), 1), ((table, row, 1), -1),
                      ((table, row, 2), -1), ((table, row, 3), 1)]),
                    ("%s %s 3栏=4+5栏" % (table, row),
                     [((table, row, 3), 1), ((table, row, 4), -1),
                      ((table, row, 5), -1)])]
        if self.codes[T08]:
            coded(T08, 6, rows08)

        # 公开01表
        ident("公开01表 本年收入合计=Σ收入项",
              [((T01, "本年收入合计", 1), 1)] +
              [((T01, i, 1), -1) for i in INCOME_ITEMS_01])
        ident("公开01表 总计(收入)=本年收入合计+使用非财政拨款结余+年初结转和结余",
              [((T01, "总计", 1), 1), ((T01, "本年收入合计", 1), -1),
               ((T01, "使用非财政拨款结余", 1), -1),
               ((T01, "年初结转和结余", 1), -1)])
        ident("公开01表 本年支出合计=Σ类",
              [((T01, "本年支出合计", 2), 1)] +
              [((T01, n, 2), -1) for _, n in LEI_LIST])
        ident("公开01表 总计(支出)=本年支出合计+结余分配+年末结转和结余",
              [((T01, "总计", 2), 1), ((T01, "本年支出合计", 2), -1),
               ((T01, "结余分配", 2), -1), ((T01, "年末结转和结余", 2), -1)])
        ident("公开01表 总计 收入=支出",
              [((T01, "总计", 1), 1), ((T01, "总计", 2), -1)])

        # 公开04表
        ident("公开04表 本年收入合计=Σ财政拨款",
              [((T04, "本年收入合计", 1), 1)] +
              [((T04, k, 1), -1) for k in FISCAL_KINDS])
        ident("公开04表 年初财政拨款结转和结余=Σ分项",
              [((T04, "年初财政拨款结转和结余", 1), 1)] +
              [((T04, "年初财政拨款结转和结余:" + k, 1), -1)
               for k in FISCAL_KINDS])
        ident("公开04表 总计(收入)=本年收入合计+年初财政拨款结转和结余",
              [((T04, "总计", 1), 1), ((T04, "本年收入合计", 1), -1),
               ((T04, "年初财政拨款结转和结余", 1), -1)])
        exp_rows = ([n for _, n in LEI_LIST] +
                    ["本年支出合计", "年末财政拨款结转和结余", "总计"])
        for row in exp_rows:
            ident("公开04表 %s 2栏=3+4+5栏" % row,
                  [((T04, row, 2), 1), ((T04, row, 3), -1),
                   ((T04, row, 4), -1), ((T04, row, 5), -1)])
        for col in (2, 3, 4, 5):
            ident("公开04表 本年支出合计=Σ类 %d栏" % col,
                  [((T04, "本年支出合计", col), 1)] +
                  [((T04, n, col), -1) for _, n in LEI_LIST])
            ident("公开04表 总计=本年支出合计+年末财政拨款结转和结余 %d栏" % col,
                  [((T04, "总计", col), 1), ((T04, "本年支出合计", col), -1),
                   ((T04, "年末财政拨款结转和结余", col), -1)])
        ident("公开04表 总计 收入=支出",
              [((T04, "总计", 1), 1), ((T04, "总计", 2), -1)])

        # 公开06表
        for group in PERSONNEL_GROUPS + PUBLIC_GROUPS:
            kids = [c for c in self.econ_codes if len(c) == 5 and c.startswith(group)]
            if group in self.econ_codes:
                ident("公开06表 %s=Σ%sxx" % (group, group),
                      [((T06, group, 1), 1)] + [((T06, c, 1), -1) for c in kids])
        ident("公开06表 人员经费合计=301+303",
              [((T06, "人员经费合计", 1), 1)] +
              [((T06, g, 1), -1) for g in PERSONNEL_GROUPS])
        ident("公开06表 公用经费合计=302+310",
              [((T06, "公用经费合计", 1), 1)] +
              [((T06, g, 1), -1) for g in PUBLIC_GROUPS])

        # 公开07表
        for base in (0, 6):
            ident("公开07表 %d栏=%d+%d+%d栏" % (base + 1, base + 2, base + 3, base + 6),
                  [((T07, "1", base + 1), 1), ((T07, "1", base + 2), -1),
                   ((T07, "1", base + 3), -1), ((T07, "1", base + 6), -1)])
            ident("公开07表 %d栏=%d+%d栏" % (base + 3, base + 4, base + 5),
                  [((T07, "1", base + 3), 1), ((T07, "1", base + 4), -1),
                   ((T07, "1", base + 5), -1)])

        # Across tables.
        ident("公开01表 本年收入合计=公开02表 合计 1栏",
              [((T01, "本年收入合计", 1), 1), ((T02, "合计", 1), -1)])
        ident("公开01表 财政拨款收入=公开02表 合计 2栏",
              [((T01, i, 1), 1) for i in INCOME_ITEMS_01[:3]] +
              [((T02, "合计", 2), -1)])
        for k, item in enumerate(INCOME_ITEMS_01[3:]):
            ident("公开01表 %s=公开02表 合计 %d栏" % (item, k + 3),
                  [((T01, item, 1), 1), ((T02, "合计", k + 3), -1)])
        ident("公开01表 本年支出合计=公开03表 合计 1栏",
              [((T01, "本年支出合计", 2), 1), ((T03, "合计", 1), -1)])
        for code, name in LEI_LIST:
            ident("公开01表 %s=公开03表 %s 1栏" % (name, code),
                  [((T01, name, 2), 1), ((T03, code, 1), -1)])
            ident("公开04表 %s 3栏=公开05表 %s 1栏" % (name, code),
                  [((T04, name, 3), 1), ((T05, code, 1), -1)])
            ident("公开04表 %s 4栏=公开08表 %s 3栏" % (name, code),
                  [((T04, name, 4), 1), ((T08, code, 3), -1)])
            ident("公开04表 %s 5栏=公开09表 %s 1栏" % (name, code),
                  [((T04, name, 5), 1), ((T09, code, 1), -1)])
        ident("公开04表 本年支出合计 3栏=公开05表 合计 1栏",
              [((T04, "本年支出合计", 3), 1), ((T05, "合计", 1), -1)])
        ident("公开04表 本年支出合计 4栏=公开08表 合计 3栏",
              [((T04, "本年支出合计", 4), 1), ((T08, "合计", 3), -1)])
        ident("公开04表 政府性基金预算财政拨款=公开08表 合计 2栏",
              [((T04, "政府性基金预算财政拨款", 1), 1), ((T08, "合计", 2), -1)])
        ident("公开04表 年初 政府性基金=公开08表 合计 1栏",
              [((T04, "年初财政拨款结转和结余:政府性基金预算财政拨款", 1), 1),
               ((T08, "合计", 1), -1)])
        ident("公开04表 年末 4栏=公开08表 合计 6栏",
              [((T04, "年末财政拨款结转和结余", 4), 1), ((T08, "合计", 6), -1)])
        for k, item in enumerate(INCOME_ITEMS_01[:3]):
            ident("公开01表 %s=公开04表 %s" % (item, FISCAL_KINDS[k]),
                  [((T01, item, 1), 1), ((T04, FISCAL_KINDS[k], 1), -1)])
        ident("公开05表 合计 2栏=公开06表 人员经费合计+公用经费合计",
              [((T05, "合计", 2), 1), ((T06, "人员经费合计", 1), -1),
               ((T06, "公用经费合计", 1), -1)])
        return ids

    def broken(self, values=None):
        """Names of the identities that `values` (default: the model) violate."""
        values = values or self.values
        out = []
        for name, terms in self.identities():
            total = sum(k * values[t].get((r, c), 0) for (t, r, c), k in terms)
            if total != 0:
                out.append((name, terms))
        return out

    def check(self):
        bad = self.broken()
        assert not bad, "model violates: " + "; ".join(n for n, _ in bad[:5])
        for table, cells in self.values.items():
            for key, cents in cells.items():
                assert cents >= 0, (table, key, cents)


def build(unit, year, seed, scale=1.0, with_soe=False, n_extra_lei=1,
          with_gf=True):
    """Builds a consistent model; `scale` multiplies the magnitudes.
    Without `with_gf` the unit has no 政府性基金 (公开08表 prints empty)."""
    rng = random.Random(seed)
    m = Model(unit, year, seed)

    def amount(lo, hi):
        return int(rng.uniform(lo, hi) * scale * 100)

    # Which 项 the unit spends on, by funding source.
    gp = ["2080505", "2080506", "2100101", "2101102", "2210201"]
    optional = ["2080501", "2080502", "2080801", "2089901", "2100102",
                "2100199", "2100401", "2100408", "2100409", "2100410",
                "2101103", "2109901", "2210202", "2210203"]
    gp += rng.sample(optional, 5)
    extra_lei = [["2010301", "2010350"], ["2050803"], ["2060302"]]
    for group in rng.sample(extra_lei, n_extra_lei):
        gp += group
    gf = ["2296002"] + (["2296003"] if rng.random() < 0.5 else [])
    if not with_gf:
        gf = []
    soe = ["2230105"] if with_soe else []

    # Fiscal expenditure per 项: (基本, 项目).
    basic_only = ("20805", "20808", "20899", "22102", "21011")
    gp_exp = {}
    for code in gp:
        if code.startswith(basic_only):
            gp_exp[code] = (amount(3, 60), 0)
        elif code in ("2100101", "2010301", "2010350"):
            gp_exp[code] = (amount(80, 400), amount(0, 30) if rng.random() < .5 else 0)
        else:
            b = amount(5, 80) if rng.random() < 0.5 else 0
            gp_exp[code] = (b, amount(10, 200))
    gf_exp = {c: (0, amount(20, 150)) for c in gf}
    soe_exp = {c: (0, amount(5, 40)) for c in soe}

    # Non-fiscal spending and income, on the health 项.
    health = [c for c in gp if c.startswith("210")]
    nf_basic = {c: 0 for c in gp}
    nf_proj = {c: 0 for c in gp}
    nf_oper = {c: 0 for c in gp}
    for c in rng.sample(health, 2):
        nf_basic[c] = amount(2, 30)
        nf_proj[c] = amount(1, 20) if rng.random() < 0.6 else 0
    oper_code = rng.choice(health)
    nf_oper[oper_code] = amount(3, 15)

    # 公开05表 / 08 / 09
    all_codes = sorted(set(gp) | set(gf) | set(soe))

    def rollup_codes(xiang):
        out = set()
        for c in xiang:
            out.update([c[:3], c[:5], c])
        return sorted(out)

    m.codes[T05] = rollup_codes(gp)
    m.codes[T08] = rollup_codes(gf)
    m.codes[T09] = rollup_codes(soe)
    m.codes[T02] = rollup_codes(all_codes)
    m.codes[T03] = rollup_codes(all_codes)

    def put_rollup(table, ncols, leaf):
        codes = m.codes[table]
        for c in codes:
            if len(c) == 7:
                for col in range(1, ncols + 1):
                    m.put(table, c, col, leaf[c][col - 1])
        for length in (5, 3):
            for c in codes:
                if len(c) == length:
                    for col in range(1, ncols + 1):
                        m.put(table, c, col, sum(
                            m.get(table, k, col) for k in codes
                            if len(k) == length + 2 and k.startswith(c)))
        for col in range(1, ncols + 1):
            m.put(table, "合计", col, sum(m.get(table, k, col) for k in codes
                                          if len(k) == 3))

    put_rollup(T05, 3, {c: (b + p, b, p) for c, (b, p) in gp_exp.items()})
    put_rollup(T09, 3, {c: (b + p, b, p) for c, (b, p) in soe_exp.items()})

    gf_open = {c: amount(0, 20) if rng.random() < 0.7 else 0 for c in gf}
    gf_inc = {}
    leaf08 = {}
    for c in gf:
        b, p = gf_exp[c]
        inc = max(0, b + p - gf_open[c]) + amount(0, 15)
        gf_inc[c] = inc
        leaf08[c] = (gf_open[c], inc, b + p, b, p, gf_open[c] + inc - b - p)
    put_rollup(T08, 6, leaf08)

    # 公开02表 income per 项: fiscal income near fiscal spending.
    gp_inc = {}
    for c, (b, p) in gp_exp.items():
        gp_inc[c] = max(0, b + p + (amount(-3, 8) if p else 0))
    soe_inc = {c: b + p + amount(0, 5) for c, (b, p) in soe_exp.items()}
    shiye = {c: 0 for c in all_codes}
    jingying = {c: 0 for c in all_codes}
    qita = {c: 0 for c in all_codes}
    shangji = {c: 0 for c in all_codes}
    for c in health:
        if nf_basic[c] or nf_proj[c]:
            shiye[c] = nf_basic[c] + nf_proj[c] + amount(-1, 4)
            shiye[c] = max(shiye[c], 0)
    jingying[oper_code] = nf_oper[oper_code] + amount(0, 5)
    qita[rng.choice(health)] = amount(1, 8)
    if rng.random() < 0.5:
        shangji[rng.choice(health)] = amount(2, 10)
    leaf02 = {}
    for c in all_codes:
        fiscal = gp_inc.get(c, 0) + gf_inc.get(c, 0) + soe_inc.get(c, 0)
        cols = [fiscal, shangji[c], shiye[c], jingying[c], 0, qita[c]]
        leaf02[c] = tuple([sum(cols)] + cols)
    put_rollup(T02, 7, leaf02)

    leaf03 = {}
    for c in all_codes:
        b = gp_exp.get(c, (0, 0))[0] + gf_exp.get(c, (0, 0))[0] + \
            soe_exp.get(c, (0, 0))[0] + nf_basic.get(c, 0)
        p = gp_exp.get(c, (0, 0))[1] + gf_exp.get(c, (0, 0))[1] + \
            soe_exp.get(c, (0, 0))[1] + nf_proj.get(c, 0)
        cols = [b, p, 0, nf_oper.get(c, 0), 0]
        leaf03[c] = tuple([sum(cols)] + cols)
    put_rollup(T03, 6, leaf03)

    # 公开04表
    gp_inc_total = sum(gp_inc.values())
    gp_exp_total = m.get(T05, "合计", 1)
    gp_open = max(0, gp_exp_total - gp_inc_total) + amount(1, 25)
    soe_open = amount(0, 3) if soe else 0
    inc = [gp_inc_total, m.get(T08, "合计", 2), sum(soe_inc.values())]
    opening = [gp_open, m.get(T08, "合计", 1), soe_open]
    for k, kind in enumerate(FISCAL_KINDS):
        m.put(T04, kind, 1, inc[k])
        m.put(T04, "年初财政拨款结转和结余:" + kind, 1, opening[k])
    m.put(T04, "本年收入合计", 1, sum(inc))
    m.put(T04, "年初财政拨款结转和结余", 1, sum(opening))
    m.put(T04, "总计", 1, sum(inc) + sum(opening))
    for col, table in ((3, T05), (4, T08), (5, T09)):
        for code, name in LEI_LIST:
            v = m.get(table, code, 3 if table == T08 else 1)
            m.put(T04, name, col, v)
        m.put(T04, "本年支出合计", col,
              m.get(table, "合计", 3 if table == T08 else 1))
        m.put(T04, "年末财政拨款结转和结余", col,
              opening[col - 3] + inc[col - 3] - m.get(T04, "本年支出合计", col))
        m.put(T04, "总计", col, opening[col - 3] + inc[col - 3])
    for row in [n for _, n in LEI_LIST] + ["本年支出合计",
                                           "年末财政拨款结转和结余", "总计"]:
        m.put(T04, row, 2, sum(m.get(T04, row, c) for c in (3, 4, 5)))

    # 公开01表
    for k, item in enumerate(INCOME_ITEMS_01):
        if k < 3:
            m.put(T01, item, 1, inc[k])
        else:
            m.put(T01, item, 1, m.get(T02, "合计", k))
    m.put(T01, "本年收入合计", 1, m.get(T02, "合计", 1))
    use_nf = amount(1, 6) if rng.random() < 0.4 else 0
    nf_open = amount(2, 20)
    m.put(T01, "使用非财政拨款结余", 1, use_nf)
    m.put(T01, "年初结转和结余", 1, sum(opening) + nf_open)
    total = m.get(T01, "本年收入合计", 1) + use_nf + sum(opening) + nf_open
    for code, name in LEI_LIST:
        m.put(T01, name, 2, m.get(T03, code, 1))
    spend = m.get(T03, "合计", 1)
    alloc = amount(0.5, 4) if rng.random() < 0.5 else 0
    m.put(T01, "本年支出合计", 2, spend)
    m.put(T01, "结余分配", 2, alloc)
    closing = total - spend - alloc
    if closing < 0:  # keep the closing balance positive
        nf_open += -closing + amount(1, 5)
        m.put(T01, "年初结转和结余", 1, sum(opening) + nf_open)
        total = m.get(T01, "本年收入合计", 1) + use_nf + sum(opening) + nf_open
        closing = total - spend - alloc
    m.put(T01, "年末结转和结余", 2, closing)
    m.put(T01, "总计", 1, total)
    m.put(T01, "总计", 2, total)

    # 公开06表: 05 合计 基本支出 split by economic classification.
    basic = m.get(T05, "合计", 2)
    personnel = int(basic * rng.uniform(0.72, 0.86))
    public = basic - personnel
    items = {
        "301": ["30101", "30102", "30103", "30107", "30108", "30109", "30110",
                "30112", "30113", "30199"],
        "303": ["30302", "30305", "30307", "30309"],
        "302": ["30201", "30205", "30206", "30207", "30209", "30211", "30213",
                "30216", "30217", "30226", "30228", "30229", "30231", "30239",
                "30299"],
        "310": ["31002", "31003", "31007"],
    }
    group_totals = {}
    group_totals["301"], group_totals["303"] = split_cents(rng, personnel, 2)
    group_totals["303"], extra = group_totals["303"] // 6, group_totals["303"] - group_totals["303"] // 6
    group_totals["301"] += extra
    has_capital = rng.random() < 0.6
    if has_capital:
        group_totals["310"] = public // 8
    else:
        group_totals["310"] = 0
    group_totals["302"] = public - group_totals["310"]
    econ = []
    for g in ["301", "303", "302", "310"]:
        kids = items[g]
        if g == "302":
            kids = sorted(rng.sample(kids, 11))
        elif g == "303":
            kids = sorted(rng.sample(kids, 2))
        if group_totals[g] == 0:
            continue
        parts = split_cents(rng, group_totals[g], len(kids), zero_prob=0.15)
        econ.append(g)
        m.put(T06, g, 1, group_totals[g])
        for c, v in zip(kids, parts):
            econ.append(c)
            m.put(T06, c, 1, v)
    m.econ_codes = econ
    m.put(T06, "人员经费合计", 1, personnel)
    m.put(T06, "公用经费合计", 1, public)

    # 公开07表: budget and actual "三公" funds.
    def sangong(abroad, car_buy, car_run, reception):
        return [abroad + car_buy + car_run + reception, abroad,
                car_buy + car_run, car_buy, car_run, reception]
    b_abroad = amount(1, 6) if rng.random() < 0.4 else 0
    b_buy = amount(10, 25) if rng.random() < 0.3 else 0
    b_run = amount(2, 10)
    b_rec = amount(0.5, 4)
    budget = sangong(b_abroad, b_buy, b_run, b_rec)
    actual = sangong(int(b_abroad * rng.uniform(0, 0.9)),
                     b_buy - int(b_buy * rng.uniform(0, 0.1)),
                     int(b_run * rng.uniform(0.5, 0.98)),
                     int(b_rec * rng.uniform(0.3, 0.95)))
    for k in range(6):
        m.put(T07, "1", k + 1, budget[k])
        m.put(T07, "1", k + 7, actual[k])

    # Drop explicit zeros so that the value maps hold exactly the non-zero cells.
    for table in m.values:
        m.values[table] = {k: v for k, v in m.values[table].items() if v != 0}
    m.check()
    return m
