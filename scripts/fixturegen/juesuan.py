"""Lays a `model.Model` out as a 部门决算 PDF and returns its truth.

`Style` holds every layout choice a case varies (font, ruling, captions,
栏次/行次, split 科目编码 columns, zeros, page orientation, forced splits).
`render()` draws the cover/overview page, the nine tables and the 情况说明 page,
and returns the truth dict of the corpus format (docs: corpus FORMAT.md).
`plant_errors()` turns a model's values into printed ones with planted
source errors and lists them as the truth's `injected` entries.
"""

import copy
from decimal import Decimal, ROUND_HALF_UP

from . import model as M
from . import narrative as N
from .pdfdraw import FAMILIES, RULINGS, Cell, Doc, TableSpec

CN_NUM = "零一二三四五六七八九"


def cn_ordinal(n):
    if n < 10:
        return CN_NUM[n]
    if n < 20:
        return "十" + (CN_NUM[n - 10] if n > 10 else "")
    return CN_NUM[n // 10] + "十" + (CN_NUM[n % 10] if n % 10 else "")


def fmt(cents, commas=False):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    whole = "{:,}".format(cents // 100) if commas else str(cents // 100)
    return "%s%s.%02d" % (sign, whole, cents % 100)


def pct(part, whole):
    q = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"),
                                                       ROUND_HALF_UP)
    return str(q)


def plant_errors(m, errors):
    """Plants source errors: `errors` is [(table, row, col, new_cents)].
    Returns (printed, injected): a copy of `m.values` with each cell set to
    its new value, and the truth's `injected` entries (corpus FORMAT.md:
    printed, consistent, the identities each breaks and their cells).
    Asserts that every error breaks an identity on its own and that,
    together, they break no identity but theirs."""
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
    return printed, injected


TITLES = {
    M.T01: "收入支出决算总表",
    M.T02: "收入决算表",
    M.T03: "支出决算表",
    M.T04: "财政拨款收入支出决算总表",
    M.T05: "一般公共预算财政拨款支出决算表",
    M.T06: "一般公共预算财政拨款基本支出决算表",
    M.T07: "一般公共预算财政拨款“三公”经费支出决算表",
    M.T08: "政府性基金预算财政拨款收入支出决算表",
    M.T09: "国有资本经营预算财政拨款支出决算表",
}
ORDER = [M.T01, M.T02, M.T03, M.T04, M.T05, M.T06, M.T07, M.T08, M.T09]


# Tables that may be printed without title or caption: each is told apart
# by its structure alone. 公开05表 and 公开09表 are not among them: they share
# one header (本年支出 小计/合计, 基本支出, 项目支出) and differ only in the
# codes they list.
UNTITLED_OK = (M.T01, M.T02, M.T03, M.T04, M.T06, M.T07, M.T08)
CODED = (M.T02, M.T03, M.T05, M.T06, M.T08, M.T09)
WIDE = (M.T02, M.T03, M.T04, M.T08)
SHORT = (M.T07, M.T08, M.T09)


class Style:
    """Every layout choice of a 决算 document; the defaults are the plain
    document of fixtures/digital-basic. `Style.random(rng)` draws each
    dimension independently; `variant()` records them all."""

    def __init__(self, **kw):
        self.font = "wqy-microhei"
        self.ruling = "grid"          # grid | hrules | threeline | none
        self.caption = "gongkai"      # gongkai | biao | paren | none
        self.caption_pos = "right"    # right (beside the unit) | top-left
        self.lanci = True             # print the 栏次 row
        self.hangci = True            # print the 行次 columns of 01/04
        self.split_codes = ()         # tables with 类/款/项 code columns (06: 类/款)
        self.parent_codes = "every"   # every | first: parent parts of split codes
        self.panels06 = 3             # 公开06表 panels side by side: 1 | 2 | 3
        self.zeros = "blank"          # blank | 0.00 | dash (—) | hyphen (-)
        self.commas = False           # thousands separators in tables
        self.ordinals = True          # "一、一般公共预算财政拨款收入"
        self.landscape = ()           # tables drawn on landscape pages
        self.split = {}               # table -> rows on its first page
        self.tails = {}               # table -> rows continued on the next page
        self.continuation = "repeat"  # repeat (（续）+header) | header | bare,
        #                               or {table: mode} (others: repeat)
        self.same_page = ()           # tables that may share the previous page
        self.flow = False             # every table starts where there is room
        self.untitled = ()            # tables printed without title and caption
        self.sections = True          # "一、收入支出决算总表" above tables
        self.title_year = False       # "2023年度收入决算表"
        self.dept_label = "部门"
        self.dept_line = True         # "部门：<unit>" above each table
        self.unit_label = "单位：万元"
        self.unit_pos = "right"       # right | own-line | center
        self.names = "normal"         # normal | narrow (labels wrap)
        self.wrap = "shrink"          # shrink | grow (rows grow to wrapped labels)
        self.fig_align = "first"      # first | middle | last line of a label
        self.fig_offset = 0.0         # figures moved up (+) / down (-), × row height
        self.narrative_commas = False
        self.row_h = 15
        self.tables = ORDER           # which tables the document prints
        self.narrative = True         # print the 情况说明 page
        # None: the short 情况说明; a list of edits (maybe empty): the one with
        # every checked sentence type, with those edits (narrative.EDITS)
        self.narrative_edits = None
        for k, v in kw.items():
            assert hasattr(self, k), k
            setattr(self, k, v)

    @classmethod
    def random(cls, rng):
        """Draws every dimension from `rng`."""
        s = cls()
        s.font = rng.choice(FAMILIES[rng.choice(sorted(FAMILIES))])
        s.ruling = rng.choice(RULINGS)
        s.caption = rng.choice(["gongkai", "biao", "paren", "none"])
        s.caption_pos = rng.choice(["right", "top-left"])
        s.lanci = rng.random() < 0.5
        s.hangci = rng.random() < 0.5
        s.split_codes = rng.choice([(), (M.T02, M.T03), CODED])
        s.parent_codes = rng.choice(["every", "first"])
        s.panels06 = rng.choice([1, 2, 3])
        s.zeros = rng.choice(["blank", "0.00", "dash", "hyphen"])
        s.commas = rng.random() < 0.5
        s.narrative_commas = s.commas
        s.ordinals = rng.random() < 0.5
        s.landscape = rng.choice([(), tuple(sorted(rng.sample(WIDE, 2))),
                                  tuple(ORDER)])
        s.tails = {t: rng.randint(1, 3) for t in
                   rng.sample([t for t in ORDER if t != M.T07],
                              rng.choice([0, 1, 2]))}
        s.continuation = rng.choice(["repeat", "header", "bare"])
        pack = rng.choice(["none", "short", "flow"])
        s.same_page = SHORT if pack == "short" else ()
        s.flow = pack == "flow"
        s.untitled = tuple(sorted(rng.sample(UNTITLED_OK, rng.randint(1, 2)))) \
            if rng.random() < 0.15 else ()
        s.sections = rng.random() < 0.5
        s.title_year = rng.random() < 0.3
        s.dept_label = rng.choice(["部门", "编制单位"])
        s.dept_line = rng.random() < 0.8
        s.unit_label = rng.choice(["单位：万元", "金额单位：万元"])
        s.unit_pos = rng.choice(["right", "own-line", "center"])
        s.names = rng.choice(["normal", "normal", "narrow"])
        s.wrap = "grow" if s.names == "narrow" else "shrink"
        s.fig_align = rng.choice(["first", "middle", "last"])
        if rng.random() < 0.35:
            s.fig_offset = round(rng.choice([-1, 1]) * rng.uniform(0.15, 0.3), 2)
            s.row_h = 20  # room for the shifted figure inside its cell
        return s

    def variant(self):
        """Every choice, JSON-ready (tuples as lists)."""
        out = {}
        for k, v in sorted(vars(self).items()):
            if isinstance(v, tuple):
                v = list(v)
            out[k] = v
        return out

    def caption_of(self, code):
        n = int(code[3])
        return {"gongkai": code, "biao": "表%d" % n, "paren": "（表%d）" % n,
                "none": None}[self.caption]


class Layout:
    def __init__(self, m, style, printed):
        self.m = m
        self.s = style
        self.v = printed   # table -> {(row, col): cents}, errors included

    def val(self, table, row, col, line=None):
        cents = self.v[table].get((row, str(col)), 0)
        if cents == 0:
            text = {"0.00": "0.00", "dash": "—", "hyphen": "-"}.get(
                self.s.zeros, "")
        else:
            text = fmt(cents, self.s.commas)
        return Cell(text, align="r", fact=(table, row, col, line))

    def label(self, text, align="l", cs=1):
        return Cell(text, cs=cs, align=align)

    def line(self, n):
        return n if self.s.hangci else None

    def narrow(self, normal, narrow):
        """Width of a label column: narrow ones make long labels wrap."""
        return narrow if self.s.names == "narrow" else normal

    def code_cells(self, code, prev, parts):
        """类/款/项 (or 类/款) cells of a split code. A parent part is printed
        on every row, or under parent_codes="first" only on the first row of
        its group (a reader carries it down)."""
        cells = []
        start = 0
        for k, n in enumerate(parts):
            text = code[start:start + n]
            own = start + n >= len(code)
            if not own and self.s.parent_codes == "first" and prev and \
                    prev[:start + n] == code[:start + n]:
                text = ""
            cells.append(self.label(text, "c"))
            start += n
        return cells

    # ----- 公开01表 -------------------------------------------------------------
    def t01(self):
        h = 1 if self.s.hangci else 0
        side = 2 + h
        item_w = self.narrow(150, 72)
        widths = ([item_w, 28, 70] if h else [item_w, 80]) * 2
        header = [(0, 0, 1, side, "收入"), (0, side, 1, side, "支出")]
        for base in (0, side):
            header.append((1, base, 1, 1, "项目"))
            if h:
                header.append((1, base + 1, 1, 1, "行次"))
            header.append((1, base + side - 1, 1, 1, "决算数"))
        n_head = 2
        if self.s.lanci:
            for base, num in ((0, "1"), (side, "2")):
                header.append((2, base, 1, 1, "栏次"))
                if h:
                    header.append((2, base + 1, 1, 1, ""))
                header.append((2, base + side - 1, 1, 1, num))
            n_head = 3
        body = []

        def half(label, line_no, key, col, value=True, align="l"):
            cells = [self.label(label, align)]
            if h:
                cells.append(self.label(str(line_no), "c"))
            if value:
                cells.append(self.val(M.T01, key, col, self.line(line_no)))
            else:
                cells.append(self.label(""))
            return cells

        for i in range(26):
            if i < 8:
                item = M.INCOME_ITEMS_01[i]
                text = (cn_ordinal(i + 1) + "、" + item) if self.s.ordinals else item
                left = half(text, i + 1, item, 1)
            else:
                left = half("", i + 1, None, 1, value=False)
            code, name = M.LEI_LIST[i]
            text = (cn_ordinal(i + 1) + "、" + name) if self.s.ordinals else name
            body.append(left + half(text, 31 + i, name, 2))
        tail = [("本年收入合计", 27, "本年支出合计", 57),
                ("使用非财政拨款结余", 28, "结余分配", 58),
                ("年初结转和结余", 29, "年末结转和结余", 59),
                ("总计", 30, "总计", 60)]
        for lk, ll, rk, rl in tail:
            align = "c" if lk in ("总计", "本年收入合计") else "l"
            body.append(half(lk, ll, lk, 1, align=align) +
                        half(rk, rl, rk, 2, align=align))
        notes = ["注：本表反映本年度的总收支和年末结转结余情况。"]
        if h:
            notes.append("27行=（1+2+…+8）行；30行=（27+28+29）行；"
                         "57行=（31+32+…+56）行；60行=（57+58+59）行。")
        return widths, header, n_head, body, notes

    # ----- coded tables (02 03 05 08 09) -----------------------------------
    def coded(self, table, value_heads, split_codes=False, notes=()):
        """value_heads: list of str or (group, [sub, ...])."""
        ncols_values = sum(1 if isinstance(x, str) else len(x[1])
                           for x in value_heads)
        if split_codes:
            code_w = [22, 22, 22, self.narrow(118, 50)]
            n_head = 3
            header = [(0, 0, 1, 4, "项目"), (1, 0, 1, 3, "科目编码"),
                      (1, 3, 2, 1, "科目名称"), (2, 0, 1, 1, "类"),
                      (2, 1, 1, 1, "款"), (2, 2, 1, 1, "项")]
        else:
            code_w = [58, self.narrow(128, 56)]
            n_head = 2
            header = [(0, 0, 1, 2, "项目"), (1, 0, 1, 1, "功能分类科目编码"),
                      (1, 1, 1, 1, "科目名称")]
        nc = len(code_w)
        col = nc
        for head in value_heads:
            if isinstance(head, str):
                header.append((0, col, n_head, 1, head))
                col += 1
            else:
                group, subs = head
                header.append((0, col, n_head - 1, len(subs), group))
                for sub in subs:
                    header.append((n_head - 1, col, 1, 1, sub))
                    col += 1
        val_w = max(40, min(70, (480 - sum(code_w)) / ncols_values))
        widths = code_w + [val_w] * ncols_values
        if self.s.lanci:
            header.append((n_head, 0, 1, nc, "栏次"))
            for k in range(ncols_values):
                header.append((n_head, nc + k, 1, 1, str(k + 1)))
            n_head += 1
        body = []
        total = [self.label("合计", "c", nc)] + [None] * (nc - 1)
        total += [self.val(table, "合计", k + 1) for k in range(ncols_values)]
        body.append(total)
        codes = self.m.codes[table]
        prev = None
        for code in codes:
            if split_codes:
                cells = self.code_cells(code, prev, (3, 2, 2))
                prev = code
            else:
                cells = [self.label(code)]
            cells.append(self.label(M.FUNC_NAMES[code]))
            cells += [self.val(table, code, k + 1) for k in range(ncols_values)]
            body.append(cells)
        if not codes:
            body.append([self.label("此表无数值", "c", nc + ncols_values)] +
                        [None] * (nc + ncols_values - 1))
        return widths, header, n_head, body, list(notes)

    # ----- 公开04表 -------------------------------------------------------------
    def t04(self):
        h = 1 if self.s.hangci else 0
        left = 2 + h
        item_w = self.narrow(112, 60) + (0 if h else 8)
        widths = ([item_w, 24, 54] if h else [item_w, 60]) + \
                 ([item_w, 24] if h else [item_w]) + [54, 54, 54, 54]
        rc = left  # first column of the expenditure side
        vc = rc + 1 + h
        header = [(0, 0, 1, left, "收入"), (0, rc, 1, 5 + h, "支出"),
                  (1, 0, 2, 1, "项目")]
        if h:
            header += [(1, 1, 2, 1, "行次")]
        header += [(1, left - 1, 2, 1, "决算数"), (1, rc, 2, 1, "项目")]
        if h:
            header += [(1, rc + 1, 2, 1, "行次")]
        header += [(1, vc, 1, 4, "决算数"), (2, vc, 1, 1, "合计"),
                   (2, vc + 1, 1, 1, "一般公共预算财政拨款"),
                   (2, vc + 2, 1, 1, "政府性基金预算财政拨款"),
                   (2, vc + 3, 1, 1, "国有资本经营预算财政拨款")]
        n_head = 3
        if self.s.lanci:
            header.append((3, 0, 1, 1, "栏次"))
            if h:
                header.append((3, 1, 1, 1, ""))
            header.append((3, left - 1, 1, 1, "1"))
            header.append((3, rc, 1, 1, "栏次"))
            if h:
                header.append((3, rc + 1, 1, 1, ""))
            for k in range(4):
                header.append((3, vc + k, 1, 1, str(k + 2)))
            n_head = 4

        def lhalf(text, line_no, key, align="l"):
            cells = [self.label(text, align)]
            if h:
                cells.append(self.label(str(line_no), "c"))
            cells.append(self.val(M.T04, key, 1, self.line(line_no))
                         if key else self.label(""))
            return cells

        def rhalf(text, line_no, key, align="l"):
            cells = [self.label(text, align)]
            if h:
                cells.append(self.label(str(line_no), "c"))
            for col in (2, 3, 4, 5):
                cells.append(self.val(M.T04, key, col, self.line(line_no))
                             if key else self.label(""))
            return cells

        body = []
        for i in range(26):
            if i < 3:
                kind = M.FISCAL_KINDS[i]
                text = (cn_ordinal(i + 1) + "、" + kind) if self.s.ordinals else kind
                lh = lhalf(text, i + 1, kind)
            else:
                lh = lhalf("", i + 1, None)
            code, name = M.LEI_LIST[i]
            text = (cn_ordinal(i + 1) + "、" + name) if self.s.ordinals else name
            body.append(lh + rhalf(text, 33 + i, name))
        body.append(lhalf("本年收入合计", 27, "本年收入合计", "c") +
                    rhalf("本年支出合计", 59, "本年支出合计", "c"))
        body.append(lhalf("年初财政拨款结转和结余", 28, "年初财政拨款结转和结余") +
                    rhalf("年末财政拨款结转和结余", 60, "年末财政拨款结转和结余"))
        for k, kind in enumerate(M.FISCAL_KINDS):
            body.append(lhalf("\u3000" + kind, 29 + k,
                              "年初财政拨款结转和结余:" + kind) +
                        rhalf("", 61 + k, None))
        body.append(lhalf("总计", 32, "总计", "c") + rhalf("总计", 64, "总计", "c"))
        notes = ["注：本表反映本年度一般公共预算、政府性基金预算和国有资本经营预算"
                 "财政拨款的总收支和年末结转结余情况。"]
        return widths, header, n_head, body, notes

    # ----- 公开06表 -------------------------------------------------------------
    def t06(self):
        """1, 2 or 3 panels side by side (人员经费 | 公用经费 …), each with its
        own code, name and 决算数 columns; the two totals at the bottom."""
        split = M.T06 in self.s.split_codes
        panels = self.s.panels06
        econ = self.m.econ_codes
        left = [c for c in econ if c[:3] in M.PERSONNEL_GROUPS]
        right = [c for c in econ if c[:3] in M.PUBLIC_GROUPS]
        if panels == 1:
            groups = [left + right]
        elif panels == 2:
            groups = [left, right]
        else:
            half = (len(right) + 1) // 2
            groups = [left, right[:half], right[half:]]
        pw = ([22, 22] if split else [44]) + [self.narrow(100, 50), 46]
        k = len(pw)
        widths = pw * panels
        header = []
        r = 0
        if panels > 1:
            header = [(0, 0, 1, k, "人员经费"),
                      (0, k, 1, k * (panels - 1), "公用经费")]
            r = 1
        for g in range(panels):
            b = g * k
            if split:
                header += [(r, b, 1, 2, "科目编码"), (r + 1, b, 1, 1, "类"),
                           (r + 1, b + 1, 1, 1, "款"),
                           (r, b + 2, 2, 1, "科目名称"), (r, b + 3, 2, 1, "决算数")]
            else:
                header += [(r, b, 1, 1, "科目编码"), (r, b + 1, 1, 1, "科目名称"),
                           (r, b + 2, 1, 1, "决算数")]
        n_head = r + 1 + split
        n = max(len(g) for g in groups)
        body = []
        for i in range(n):
            row = []
            for g in groups:
                if i < len(g):
                    code = g[i]
                    if split:
                        row += self.code_cells(code, g[i - 1] if i else None,
                                               (3, 2))
                    else:
                        row.append(self.label(code))
                    row += [self.label(M.ECON_NAMES[code]),
                            self.val(M.T06, code, 1)]
                else:
                    row += [self.label("") for _ in range(k)]
            body.append(row)

        def total(key, cs):
            return [self.label(key, "c", cs)] + [None] * (cs - 1) + \
                [self.val(M.T06, key, 1)]
        if panels == 1:
            body.append(total("人员经费合计", k - 1))
            body.append(total("公用经费合计", k - 1))
        else:
            body.append(total("人员经费合计", k - 1) +
                        total("公用经费合计", k * (panels - 1) - 1))
        notes = ["注：本表反映本年度一般公共预算财政拨款基本支出明细情况。"]
        return widths, header, n_head, body, notes

    # ----- 公开07表 -------------------------------------------------------------
    def t07(self):
        widths = [1] * 12
        header = [(0, 0, 1, 6, "预算数"), (0, 6, 1, 6, "决算数")]
        for base in (0, 6):
            header += [(1, base, 2, 1, "合计"), (1, base + 1, 2, 1, "因公出国（境）费"),
                       (1, base + 2, 1, 3, "公务用车购置及运行费"),
                       (2, base + 2, 1, 1, "小计"), (2, base + 3, 1, 1, "公务用车购置费"),
                       (2, base + 4, 1, 1, "公务用车运行费"),
                       (1, base + 5, 2, 1, "公务接待费")]
        n_head = 3
        if self.s.lanci:
            header += [(3, k, 1, 1, str(k + 1)) for k in range(12)]
            n_head = 4
        body = [[self.val(M.T07, "1", k + 1) for k in range(12)]]
        notes = ["注：“三公”经费决算数包括当年一般公共预算财政拨款和以前年度"
                 "一般公共预算财政拨款结转资金安排的支出。"]
        return widths, header, n_head, body, notes

    def spec(self, code, first=False):
        """The TableSpec of `code`; `first`: the first table of the document,
        which always opens a page."""
        s = self.s
        split = code in s.split_codes
        if code == M.T01:
            parts = self.t01()
        elif code == M.T02:
            parts = self.coded(code, ["本年收入合计", "财政拨款收入", "上级补助收入",
                                      "事业收入", "经营收入", "附属单位上缴收入",
                                      "其他收入"], split,
                               ["注：本表反映本年度取得的各项收入情况。"])
        elif code == M.T03:
            parts = self.coded(code, ["本年支出合计", "基本支出", "项目支出",
                                      "上缴上级支出", "经营支出",
                                      "对附属单位补助支出"], split,
                               ["注：本表反映本年度各项支出情况。"])
        elif code == M.T04:
            parts = self.t04()
        elif code == M.T05:
            parts = self.coded(code, [("本年支出", ["小计", "基本支出", "项目支出"])],
                               split,
                               ["注：本表反映本年度一般公共预算财政拨款支出情况。"])
        elif code == M.T06:
            parts = self.t06()
        elif code == M.T07:
            parts = self.t07()
        elif code == M.T08:
            notes = ["注：本表反映本年度政府性基金预算财政拨款收入、"
                     "支出及结转和结余情况。"]
            if not self.m.codes[M.T08]:
                notes.append("本单位本年度无政府性基金预算财政拨款收支，故本表为空表。")
            parts = self.coded(code, ["年初结转和结余", "本年收入",
                                      ("本年支出", ["小计", "基本支出", "项目支出"]),
                                      "年末结转和结余"], split, notes)
        else:
            notes = ["注：本表反映本年度国有资本经营预算财政拨款支出情况。"]
            if not self.m.codes[M.T09]:
                notes.append("本单位本年度无国有资本经营预算财政拨款支出，故本表为空表。")
            parts = self.coded(code, [("本年支出", ["合计", "基本支出", "项目支出"])],
                               split, notes)
        widths, header, n_head, body, notes = parts
        n = int(code[3])
        tail = s.tails.get(code)
        breaks = [len(body) - tail] if tail and len(body) > tail else []
        same_page = False
        if not first:
            same_page = "flow" if s.flow else code in s.same_page
        title = TITLES[code]
        return TableSpec(code, title, s.caption_of(code), widths, header,
                         n_head, body, notes,
                         landscape=code in s.landscape,
                         split_after=s.split.get(code),
                         same_page=same_page,
                         section=(cn_ordinal(n) + "、" + title)
                         if s.sections else None,
                         unit_label=s.unit_label, breaks=breaks,
                         continuation=s.continuation.get(code, "repeat")
                         if isinstance(s.continuation, dict) else s.continuation,
                         untitled=code in s.untitled, unit_pos=s.unit_pos,
                         caption_pos=s.caption_pos, dept_line=s.dept_line,
                         wrap=s.wrap, fig_align=s.fig_align,
                         fig_offset=s.fig_offset,
                         title_text=("%d年度" % self.m.year + title)
                         if s.title_year else title)


OVERVIEW = {
    "health": ("贯彻执行国家和省、市关于卫生健康工作的方针政策和法律法规，承担辖区内"
               "疾病预防控制、卫生应急、健康教育和卫生健康信息化建设等工作，"
               "组织实施基本公共卫生服务和重大公共卫生服务项目。"),
}


def narrative_entries(m, printed, style, mismatch=None):
    """(paragraphs, entries). `mismatch`: ((table, row, col), cents) misquotes
    the first quotation of that cell."""
    v = printed
    c = style.narrative_commas
    y = m.year

    def q(table, row, col):
        return v[table].get((row, str(col)), 0)

    entries = []

    def fig(label, table, row, col, line=None, suffix="万元"):
        cents = q(table, row, col)
        consistent = True
        if mismatch and mismatch[0] == (table, row, str(col)) and \
                all(e["consistent"] for e in entries):
            cents = mismatch[1]
            consistent = False
        text = "%s %s %s" % (label, fmt(cents, c), suffix)
        ref = {"table": table, "row": row, "col": str(col)}
        if line is not None and style.hangci:
            ref["line"] = str(line)
        entries.append({"text": text, "value": fmt(cents), "unit": "万元",
                        "refers_to": ref, "consistent": consistent})
        return text

    paras = []
    total = q(M.T01, "总计", 1)
    inc = q(M.T01, "本年收入合计", 1)
    exp = q(M.T01, "本年支出合计", 2)
    paras.append(("一、收入支出决算总体情况说明",
                  "%d年度%s。其中：%s，%s。" % (
                      y, fig("收、支总计", M.T01, "总计", 1, 30),
                      fig("本年收入", M.T01, "本年收入合计", 1, 27),
                      fig("本年支出", M.T01, "本年支出合计", 2, 57))))
    parts = []
    for k, item in enumerate(M.INCOME_ITEMS_01):
        amt = q(M.T01, item, 1)
        if amt:
            parts.append("%s，占%s%%" % (fig(item, M.T01, item, 1, k + 1),
                                        pct(amt, inc)))
    paras.append(("二、收入决算情况说明",
                  "%d年度%s，其中：%s。" % (
                      y, fig("本年收入合计", M.T01, "本年收入合计", 1, 27),
                      "；".join(parts))))
    basic = q(M.T03, "合计", 2)
    proj = q(M.T03, "合计", 3)
    parts = [fig("基本支出", M.T03, "合计", 2) + "，占%s%%" % pct(basic, exp),
             fig("项目支出", M.T03, "合计", 3) + "，占%s%%" % pct(proj, exp)]
    oper = q(M.T03, "合计", 5)
    if oper:
        parts.append(fig("经营支出", M.T03, "合计", 5) + "，占%s%%" % pct(oper, exp))
    paras.append(("三、支出决算情况说明",
                  "%d年度本年支出合计%s，其中：%s。" % (
                      y, ("%s 万元" % fmt(exp, c)), "；".join(parts))))
    paras.append(("四、财政拨款收入支出决算总体情况说明",
                  "%d年度%s。" % (y, fig("财政拨款收、支总计", M.T04, "总计", 1, 32))))
    gp = q(M.T05, "合计", 1)
    leis = []
    for code in m.codes[M.T05]:
        if len(code) == 3:
            leis.append(fig(M.FUNC_NAMES[code] + "（类）", M.T05, code, 1) +
                        "，占%s%%" % pct(q(M.T05, code, 1), gp))
    paras.append(("五、一般公共预算财政拨款支出决算情况说明",
                  "%d年度%s，主要用于以下方面：%s。" % (
                      y, fig("一般公共预算财政拨款支出", M.T05, "合计", 1),
                      "；".join(leis))))
    paras.append(("六、一般公共预算财政拨款基本支出决算情况说明",
                  "%d年度%s，其中：%s，主要包括基本工资、津贴补贴、奖金、绩效工资、"
                  "社会保障缴费等；%s，主要包括办公费、水电费、物业管理费、差旅费等。" % (
                      y, fig("一般公共预算财政拨款基本支出", M.T05, "合计", 2),
                      fig("人员经费", M.T06, "人员经费合计", 1),
                      fig("公用经费", M.T06, "公用经费合计", 1))))
    b7, a7 = q(M.T07, "1", 1), q(M.T07, "1", 7)
    paras.append(("七、一般公共预算财政拨款“三公”经费支出决算情况说明",
                  "%d年度“三公”经费支出年初预算为%s，%s，完成预算的%s%%。"
                  "决算数小于预算数的主要原因是厉行节约，严格控制“三公”经费支出。" % (
                      y, "%s 万元" % fmt(b7, c),
                      fig("支出决算为", M.T07, "1", 7), pct(a7, b7))))
    gf = q(M.T08, "合计", 3)
    if gf:
        text = "%d年度%s。" % (y, fig("政府性基金预算财政拨款支出", M.T08, "合计", 3))
    else:
        text = "本单位%d年度无政府性基金预算财政拨款收支。" % y
    paras.append(("八、政府性基金预算财政拨款收入支出决算情况说明", text))
    return paras, entries


def render(m, style, path, doc_id, printed=None, mismatch=None, appendix=None):
    """Draws the document; returns its truth dict (without `variant`).
    `appendix(doc)` draws pages after everything else (the 绩效目标表 of
    targets.draw) and returns their (tables, facts) for the truth."""
    printed = printed or m.values
    doc = Doc(path, style.font, style.ruling, style.dept_label)
    doc.new_page()
    doc.y -= 120
    doc.text_center(m.unit, doc.w / 2, doc.y, 22)
    doc.y -= 40
    doc.text_center("%d年度部门决算" % m.year, doc.w / 2, doc.y, 20)
    doc.y -= 80
    doc.heading("第一部分 %s概况" % m.unit, 13)
    doc.heading("一、主要职能", 11)
    doc.paragraph(OVERVIEW["health"])
    doc.heading("二、机构设置", 11)
    doc.paragraph("%s为财政补助事业单位，内设办公室、业务科、财务科等科室，"
                  "本决算为本级决算，无下属单位。" % m.unit)

    layout = Layout(m, style, printed)
    tables, facts = [], []
    for k, code in enumerate(style.tables):
        spec = layout.spec(code, first=k == 0)
        pages, fs = doc.table(spec, m.unit, row_h=style.row_h)
        tables.append({"table": code, "title": TITLES[code], "unit": "万元",
                       "pages": pages})
        facts += fs

    heading = "第三部分 %d年度部门决算情况说明" % m.year
    planted = None
    if style.narrative_edits is not None:
        heading, paras, entries, planted = N.build(m, printed, m.unit, style.narrative_edits)
    else:
        paras, entries = narrative_entries(m, printed, style, mismatch)
    if not style.narrative:
        paras, entries = [], []
    def finish():
        if appendix:
            more_tables, more_facts = appendix(doc)
            tables.extend(more_tables)
            facts.extend(more_facts)
        doc.finish()

    if not style.narrative:
        finish()
        return _truth(m, doc_id, doc.page, tables, facts, [])
    doc.new_page()
    doc.heading(heading, 14, center=True)
    narrative_page = doc.page
    for head, text in paras:
        doc.heading(head, 11)
        doc.paragraph(text)
        for e in entries + (planted or []):
            if "page" not in e and e["text"] in text:
                e["page"] = doc.page
    doc.heading("第四部分 名词解释", 13)
    doc.paragraph("基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。")
    doc.paragraph("项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。")
    finish()
    for e in entries:
        e.setdefault("page", narrative_page)
    ordered = [{k: e[k] for k in ("page", "text", "value", "unit", "refers_to",
                                  "consistent")} for e in entries]
    truth = _truth(m, doc_id, doc.page, tables, facts, ordered)
    if planted is not None:
        for e in planted:  # the heading's edit is on the first page
            e.setdefault("page", narrative_page)
        truth["narrative_edits"] = planted
    return truth


def _truth(m, doc_id, pages, tables, facts, narrative):
    return {
        "doc_id": doc_id,
        "kind": "juesuan",
        "unit": m.unit,
        "year": m.year,
        "pages": pages,
        "variant": None,
        "tables": tables,
        "facts": facts,
        "injected": [],
        "narrative": narrative,
    }
