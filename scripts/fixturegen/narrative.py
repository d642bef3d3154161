"""The 情况说明 of a 部门决算 written with every sentence type the narrative
checks read (docs/NARRATIVE.md), correct or with planted edits.

`build(m, printed, unit, edits)` returns (heading, paragraphs, entries,
planted): `entries` are the figure quotes of the corpus truth format
(`narrative`), `planted` one record per edit applied ("narrative_edits" in
truth.json): its kind, the printed fragment that is wrong (`text`), and for
a misquoted figure the table cell it should have quoted.

Edits (each changes one sentence, nothing else):
  total          收入支出总计 quoted wrong (公开01表 总计)
  grant_total    财政拨款收入支出总计 quoted wrong (公开04表 总计)
  sangong        “三公”经费 决算 quoted wrong (公开07表 col 7)
  share          one 占 P% wrong
  rate           增长 Z% not Y / (X - Y)
  completion     完成年初预算的 C% not B / A
  comparison     决算数小于预算数 with 决算 > 预算 (or the reverse)
  flat           决算数与预算数持平 with 决算 ≠ 预算
  none           无政府性基金预算财政拨款收入和支出 while 公开08表 has figures
  heading_year   第三部分 heading with last year
  compare_year   与 <this year> 年度相比 (last year expected)
  asset_date     截至 <last year> 年12月31日
  placeholder    "XX局" left for the unit's name
"""

from decimal import Decimal, ROUND_HALF_UP

from . import model as M

EDITS = ("total", "grant_total", "sangong", "share", "rate", "completion",
         "comparison", "flat", "none", "heading_year", "compare_year",
         "asset_date", "placeholder")


def fmt(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return "%s%d.%02d" % (sign, cents // 100, cents % 100)


def pct(part, whole):
    q = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return str(q)


def cmp_word(actual, budget):
    return "大于" if actual > budget else "小于" if actual < budget else "等于"


def build(m, printed, unit, edits=()):
    edits = set(edits)
    assert edits <= set(EDITS), edits - set(EDITS)
    y = m.year
    v = printed
    entries, planted = [], []

    def q(table, row, col):
        return v[table].get((row, str(col)), 0)

    def fig(label, table, row, col, edit=None, delta=123456):
        """"label X 万元", the figure of the cell; misquoted under `edit`."""
        cents = q(table, row, col)
        consistent = True
        if edit in edits:
            cents += delta
            consistent = False
        text = "%s %s 万元" % (label, fmt(cents))
        ref = {"table": table, "row": row, "col": str(col)}
        entries.append({"text": text, "value": fmt(cents), "unit": "万元",
                        "refers_to": ref, "consistent": consistent})
        if not consistent:
            planted.append(dict(kind=edit, text=text, **ref))
        return text

    def plant(kind, right, wrong):
        if kind not in edits:
            return right
        planted.append({"kind": kind, "text": wrong})
        return wrong

    name = plant("placeholder", unit, "XX局")
    heading = plant("heading_year", "第三部分 %d年度部门决算情况说明" % y,
                    "第三部分 %d年度部门决算情况说明" % (y - 1))
    paras = []

    # 一: the total, and its change from last year.
    total = q(M.T01, "总计", 1)
    change = total * 8 // 100
    rate = pct(change, total - change)
    rate_text = plant("rate", "增长 %s%%" % rate,
                      "增长 %s%%" % (Decimal(rate) + Decimal("1.50")))
    since = plant("compare_year", "与%d年度相比" % (y - 1), "与%d年度相比" % y)
    paras.append(("一、收入支出决算总体情况说明",
                  "%s%d年度%s。%s，收入支出总计增加 %s 万元，%s。" % (
                      name, y, fig("收入支出总计", M.T01, "总计", 1, "total"),
                      since, fmt(change), rate_text)))

    # 二: income and the share of each item.
    inc = q(M.T01, "本年收入合计", 1)
    parts = []
    for item in M.INCOME_ITEMS_01:
        amt = q(M.T01, item, 1)
        if amt:
            share = "占 %s%%" % pct(amt, inc)
            if not parts:
                share = plant("share", share, "占 %s%%" % (Decimal(pct(amt, inc)) - Decimal("2.00")))
            parts.append("%s，%s" % (fig(item, M.T01, item, 1), share))
    paras.append(("二、收入决算情况说明",
                  "%d年度%s，其中：%s。" % (
                      y, fig("本年收入合计", M.T01, "本年收入合计", 1), "；".join(parts))))

    # 三: spending by kind.
    exp = q(M.T01, "本年支出合计", 2)
    basic, proj = q(M.T03, "合计", 2), q(M.T03, "合计", 3)
    paras.append(("三、支出决算情况说明",
                  "%d年度%s，其中：%s，占 %s%%；%s，占 %s%%。" % (
                      y, fig("本年支出合计", M.T01, "本年支出合计", 2),
                      fig("基本支出", M.T03, "合计", 2), pct(basic, exp),
                      fig("项目支出", M.T03, "合计", 3), pct(proj, exp))))

    # 四: the 财政拨款 total.
    paras.append(("四、财政拨款收入支出决算总体情况说明",
                  "%d年度%s。" % (y, fig("财政拨款收入支出总计", M.T04, "总计", 1, "grant_total"))))

    # 五: 一般公共预算 spending against its budget, in total and for one 类.
    gp = q(M.T05, "合计", 1)
    budget = gp * 106 // 100
    done = pct(gp, budget)
    done_text = plant("completion", "完成年初预算的 %s%%" % done,
                      "完成年初预算的 %s%%" % (Decimal(done) - Decimal("3.00")))
    lei = [c for c in m.codes[M.T05] if len(c) == 3][0]
    lei_amt = q(M.T05, lei, 1)
    lei_budget = lei_amt + (50000 if "flat" in edits else 0)
    flat = plant("flat", "决算数与预算数持平", "决算数与预算数持平")
    paras.append(("五、一般公共预算财政拨款支出决算情况说明",
                  "%d年度%s，占本年支出合计的 %s%%。"
                  "一般公共预算财政拨款支出年初预算为 %s 万元，支出决算为 %s 万元，%s。"
                  "决算数%s预算数的主要原因是部分项目按进度支付。"
                  "其中：%s（类）年初预算为 %s 万元，支出决算为 %s 万元，完成年初预算的 %s%%。%s。" % (
                      y, fig("一般公共预算财政拨款支出", M.T05, "合计", 1), pct(gp, exp),
                      fmt(budget), fmt(gp), done_text, cmp_word(gp, budget),
                      M.FUNC_NAMES[lei], fmt(lei_budget), fmt(lei_amt),
                      pct(lei_amt, lei_budget), flat)))

    # 六: 基本支出.
    paras.append(("六、一般公共预算财政拨款基本支出决算情况说明",
                  "%d年度%s，其中：%s，主要包括基本工资、津贴补贴、绩效工资等；"
                  "%s，主要包括办公费、水电费、差旅费等。" % (
                      y, fig("一般公共预算财政拨款基本支出", M.T05, "合计", 2),
                      fig("人员经费", M.T06, "人员经费合计", 1),
                      fig("公用经费", M.T06, "公用经费合计", 1))))

    # 七: 三公, budget and 决算, its parts, and the comparison word.
    b7 = q(M.T07, "1", 1)
    assert b7, "the model has a 三公 budget"
    quote7 = fig("支出决算为", M.T07, "1", 7, "sangong")
    a7 = q(M.T07, "1", 7) + (123456 if "sangong" in edits else 0)
    word = cmp_word(a7, b7)
    flipped = "大于" if word != "大于" else "小于"
    reason = "预算数的主要原因是厉行节约"
    word_text = plant("comparison", "决算数%s%s" % (word, reason), "决算数%s%s" % (flipped, reason))
    paras.append(("七、一般公共预算财政拨款“三公”经费支出决算情况说明",
                  "%d年度“三公”经费财政拨款支出年初预算为 %s 万元，%s，完成预算的 %s%%。"
                  "其中：%s；%s；%s。%s。" % (
                      y, fmt(b7), quote7, pct(a7, b7),
                      fig("因公出国（境）费支出决算为", M.T07, "1", 8),
                      fig("公务用车购置及运行维护费支出决算为", M.T07, "1", 9),
                      fig("公务接待费支出决算为", M.T07, "1", 12), word_text)))

    # 八、九: the other two funds, or the sentence that there are none.
    gf = q(M.T08, "合计", 3)
    none_gf = "%s%d年度无政府性基金预算财政拨款收入和支出。" % (unit, y)
    if gf and "none" in edits:
        planted.append({"kind": "none", "text": none_gf})
        text = none_gf
    elif gf:
        text = "%d年度%s。" % (y, fig("政府性基金预算财政拨款支出", M.T08, "合计", 3))
    else:
        text = none_gf
    paras.append(("八、政府性基金预算财政拨款收入支出决算情况说明", text))
    soe = q(M.T09, "合计", 1)
    text = ("%d年度%s。" % (y, fig("国有资本经营预算财政拨款支出", M.T09, "合计", 1)) if soe
            else "%s%d年度无国有资本经营预算财政拨款收入和支出。" % (unit, y))
    paras.append(("九、国有资本经营预算财政拨款收入支出决算情况说明", text))

    # 十: the asset count's date.
    date = plant("asset_date", "截至%d年12月31日" % y, "截至%d年12月31日" % (y - 1))
    paras.append(("十、其他重要事项的情况说明",
                  "%s，%s共有车辆 2 辆，其中：应急保障用车 2 辆。" % (date, unit)))
    assert len({p["kind"] for p in planted}) == len(planted) == len(edits), (planted, edits)
    return heading, paras, entries, planted
