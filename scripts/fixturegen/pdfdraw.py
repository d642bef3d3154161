"""Drawing primitives over a reportlab canvas: pages, wrapped text, ruled tables.

A table is given as column widths, header cells (row, col, rowspan, colspan,
text) and body rows (lists of `Cell` or None where a span covers the slot).
`Doc.table()` draws it, continuing onto new pages when it does not fit or
where the spec forces a break, and returns the facts it printed with the page
each one landed on.

Rulings: `grid` (every cell boxed), `hrules` (heavy top and bottom, a rule
under the header and under spanning header groups, a thin rule under every
row), `threeline` (三线表: heavy top and bottom and one rule under the header)
and `none` (columns only by text alignment).
"""

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

MARGIN = 40
RULINGS = ("grid", "hrules", "threeline", "none")

# reportlab embeds TrueType outlines only, so the CFF-based Noto CJK fonts are
# out. 仿宋 is missing too: the only Debian 仿宋 (fonts-cwtex-fs, cwTeX 仿宋体)
# covers traditional characters only and lacks 决, 总, 财, 拨, 类, 项, 经, 费 …
FONTS = {
    "wqy-microhei": ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    "wqy-zenhei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "uming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "gbsn": ("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0),
    "ukai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "gkai": ("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", 0),
    "wenkai": ("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", 0),
}
FAMILIES = {  # 宋 / 楷 / 黑
    "song": ("uming", "gbsn"),
    "kai": ("ukai", "gkai", "wenkai"),
    "hei": ("wqy-microhei", "wqy-zenhei"),
}


def register_font(key):
    path, index = FONTS[key]
    name = "F-" + key
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
    return name


class Cell:
    """One body cell. `fact` is (table, row, col, line) when it holds a figure."""

    def __init__(self, text="", cs=1, align="l", fact=None):
        self.text = text
        self.cs = cs
        self.align = align
        self.fact = fact


class TableSpec:
    """A table and how it is set.

    same_page: False (new page), True (share the page when the whole table
    fits) or "flow" (start on the current page when title, header and two
    rows fit). breaks: body row indices that start a new page. continuation:
    what a continued page repeats: "repeat" (title with （续） and header),
    "header" (header only) or "bare" (rows only). wrap: "shrink" fits labels
    into the row; "grow" wraps them and grows the row. fig_align: where a
    figure sits beside a label of several lines (first / middle / last line);
    fig_offset: figures moved up (+) or down (-) by this fraction of the row
    height.
    """

    def __init__(self, code, title, caption, widths, header, n_head, body,
                 notes=(), landscape=False, split_after=None, same_page=False,
                 section=None, unit_label="单位：万元", breaks=(),
                 continuation="repeat", untitled=False, unit_pos="right",
                 caption_pos="right", dept_line=True, wrap="shrink",
                 fig_align="first", fig_offset=0.0, title_text=None):
        self.code = code
        self.title = title
        self.caption = caption
        self.widths = widths
        self.header = header
        self.n_head = n_head
        self.body = body
        self.notes = list(notes)
        self.landscape = landscape
        self.same_page = same_page
        self.section = section
        self.unit_label = unit_label
        self.breaks = set(breaks) | ({split_after} if split_after else set())
        self.continuation = continuation
        self.untitled = untitled
        self.unit_pos = unit_pos          # right | own-line | center
        self.caption_pos = caption_pos    # right | top-left
        self.dept_line = dept_line
        self.wrap = wrap
        self.fig_align = fig_align
        self.fig_offset = fig_offset
        self.title_text = title_text or title


class Doc:
    def __init__(self, path, font_key, ruling="grid", dept_label="部门",
                 page_numbers=True):
        assert ruling in RULINGS, ruling
        self.font = register_font(font_key)
        self.cmap = pdfmetrics.getFont(self.font).face.charToGlyph
        self.c = canvas.Canvas(path, pagesize=A4, invariant=1)
        self.c.setTitle("")
        self.c.setAuthor("")
        self.c.setCreator("juesuan make_fixtures")
        self.page = 0
        self.ruling = ruling
        self.dept_label = dept_label
        self.page_numbers = page_numbers
        self.unit = ""
        self.w, self.h = A4
        self.y = 0

    # ----- pages ----------------------------------------------------------
    def new_page(self, is_landscape=False):
        if self.page > 0:
            self._footer()
            self.c.showPage()
        size = landscape(A4) if is_landscape else A4
        self.c.setPageSize(size)
        self.w, self.h = size
        self.page += 1
        self.y = self.h - MARGIN

    def _footer(self):
        if self.page_numbers:
            self.text_center("- %d -" % self.page, self.w / 2, 22, 9)

    def finish(self):
        self._footer()
        self.c.showPage()
        self.c.save()

    # ----- text -------------------------------------------------------------
    def width(self, text, size):
        return pdfmetrics.stringWidth(text, self.font, size)

    def _covered(self, text):
        # A character the font lacks prints as a blank box: the truth would lie.
        missing = [ch for ch in text if ord(ch) not in self.cmap and ch != " "]
        assert not missing, ("font %s lacks %s" % (self.font, "".join(missing)))

    def text_left(self, text, x, y, size):
        self._covered(text)
        self.c.setFont(self.font, size)
        self.c.drawString(x, y, text)

    def text_right(self, text, x, y, size):
        self._covered(text)
        self.c.setFont(self.font, size)
        self.c.drawRightString(x, y, text)

    def text_center(self, text, x, y, size):
        self._covered(text)
        self.c.setFont(self.font, size)
        self.c.drawCentredString(x, y, text)

    def text_at(self, text, x, y, size, align):
        {"r": self.text_right, "c": self.text_center}.get(
            align, self.text_left)(text, x, y, size)

    def wrap(self, text, width, size):
        lines, line = [], ""
        for ch in text:
            if self.width(line + ch, size) > width and line:
                # keep closing punctuation off the start of a line
                if ch in "，。；、：）”%":
                    line += ch
                    continue
                lines.append(line)
                line = ch
            else:
                line += ch
        if line:
            lines.append(line)
        return lines

    def paragraph(self, text, size=11, indent=True, leading=1.7):
        """Draws wrapped prose at the cursor, starting a new page if needed."""
        body = ("\u3000\u3000" + text) if indent else text
        for line in self.wrap(body, self.w - 2 * MARGIN, size):
            if self.y < MARGIN + size * leading:
                self.new_page()
            self.y -= size * leading
            self.text_left(line, MARGIN, self.y, size)
        self.y -= size * 0.4

    def heading(self, text, size=13, center=False):
        if self.y < MARGIN + 60:
            self.new_page()
        self.y -= size * 1.9
        if center:
            self.text_center(text, self.w / 2, self.y, size)
        else:
            self.text_left(text, MARGIN, self.y, size)
        self.y -= size * 0.3

    def box_text(self, text, x, y, w, h, size, align):
        """Fits `text` into the box (x, y bottom-left): wraps, then shrinks."""
        if not text:
            return
        pad = 2.5
        while True:
            lines = self.wrap(text, w - 2 * pad, size)
            if len(lines) * size * 1.15 <= h - 2 or size <= 5:
                break
            size -= 0.5
        total = len(lines) * size * 1.15
        top = y + h / 2 + total / 2
        for k, line in enumerate(lines):
            base = top - (k + 1) * size * 1.15 + size * 0.22
            self.text_at(line, {"r": x + w - pad, "c": x + w / 2}.get(
                align, x + pad), base, size, align)

    def figure_size(self, text, w, size):
        """The size at which a figure fits its column on one line: figures
        never wrap (a wrapped figure would not read as the truth's value)."""
        while self.width(text, size) > w - 3 and size > 5:
            size -= 0.5
        assert self.width(text, size) <= w - 1, ("figure too wide", text, w)
        return size

    # ----- tables -----------------------------------------------------------
    def table(self, spec, unit_name, head_h=17, row_h=15, size=7.5):
        """Draws `spec`; returns (pages, facts) with facts as dicts."""
        facts = []
        pages = []
        width = (landscape(A4) if spec.landscape else A4)[0]
        scale = (width - 2 * MARGIN) / sum(spec.widths)
        xs = [MARGIN]
        for wdt in spec.widths:
            xs.append(xs[-1] + wdt * scale)
        heights = [self._row_height(row, xs, row_h, size, spec)
                   for row in spec.body]
        i = 0
        first = True
        while True:
            if not first or not self._fits(spec, heights, head_h, row_h):
                self.new_page(spec.landscape)
            mode = "repeat" if first else spec.continuation
            if first and spec.section and not spec.untitled:
                self.heading(spec.section, 12)
            pages.append(self.page)
            if mode == "repeat":
                self._title_block(spec, unit_name, first)
            else:
                self.y -= 10
            top = self.y
            if mode != "bare":
                self._header(spec, xs, top, head_h, size)
                y = top - spec.n_head * head_h
            else:
                y = top
            n = 0
            while i < len(heights) and (n == 0 or (
                    i not in spec.breaks and
                    y - heights[i] >= MARGIN + 30 - 1e-6)):
                self._body_row(spec.body[i], xs, y - heights[i], heights[i],
                               row_h, size, facts, spec)
                y -= heights[i]
                i += 1
                n += 1
            self._outline(xs, top, y)
            self.y = y
            first = False
            if i == len(heights):
                break
        for note in spec.notes:
            for line in self.wrap(note, self.w - 2 * MARGIN, 8):
                if self.y - 12 < MARGIN - 6:  # keep notes off the page number
                    self.new_page(spec.landscape)
                self.y -= 12
                self.text_left(line, MARGIN, self.y, 8)
        self.y -= 10
        return pages, facts

    def _fits(self, spec, heights, head_h, row_h):
        """Whether the table may start on the current page."""
        if not spec.same_page or self.page == 0 or \
                (self.w > self.h) != bool(spec.landscape):
            return False
        head = self._title_height(spec) + spec.n_head * head_h
        if spec.same_page == "flow":  # title, header and two rows
            return self.y - head - sum(heights[:2]) >= MARGIN + 30
        # the whole table, with room to spare
        return self.y - 58 - spec.n_head * head_h - 2 * row_h - sum(heights) > \
            MARGIN + 40 and self.y - head - sum(heights) >= MARGIN + 30

    @staticmethod
    def _title_height(spec):
        """What heading() and _title_block() take off the cursor."""
        h = 18 + 6 + (12 if spec.unit_pos == "own-line" else 0)
        if not spec.untitled:
            h += 24 + (12 if spec.caption and spec.caption_pos == "top-left"
                       else 0)
            h += 12 * 2.2 if spec.section else 0
        return h + (14 if spec.unit_pos == "center" else 0)

    def _title_block(self, spec, unit_name, first):
        """Caption, title, 部门 and unit lines above the table."""
        caption = None if spec.untitled else spec.caption
        if caption and spec.caption_pos == "top-left":
            self.y -= 12
            self.text_left(caption, MARGIN, self.y, 10)
            caption = None
        if not spec.untitled:
            self.y -= 24
            title = spec.title_text if first else spec.title_text + "（续）"
            self.text_center(title, self.w / 2, self.y, 15)
        if spec.unit_pos == "center":
            self.y -= 14
            self.text_center(spec.unit_label, self.w / 2, self.y, 9)
        self.y -= 18
        right = [caption] if caption else []
        if spec.unit_pos == "right":
            right.append(spec.unit_label)
        if spec.dept_line:
            self.text_left("%s：%s" % (self.dept_label, unit_name), MARGIN,
                           self.y, 9)
        if right:
            self.text_right("\u3000\u3000".join(right), self.w - MARGIN,
                            self.y, 9)
        if spec.unit_pos == "own-line":
            self.y -= 12
            self.text_right(spec.unit_label, self.w - MARGIN, self.y, 9)
        self.y -= 6

    def _rect_or_rules(self, x0, y0, x1, y1, bottom_rule=True):
        c = self.c
        if self.ruling == "grid":
            c.setLineWidth(0.5)
            c.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
        elif bottom_rule and self.ruling == "hrules":
            c.setLineWidth(0.4)
            c.line(x0, y0, x1, y0)

    def _header(self, spec, xs, top, head_h, size):
        for (r, col, rs, cs, text) in spec.header:
            x0, x1 = xs[col], xs[col + cs]
            y1 = top - r * head_h
            y0 = y1 - rs * head_h
            # under hrules, only spanning group cells get a rule beneath them
            last_row = r + rs == spec.n_head
            self._rect_or_rules(x0 + (1.5 if self.ruling != "grid" else 0), y0,
                                x1 - (1.5 if self.ruling != "grid" else 0), y1,
                                bottom_rule=(cs > 1 and not last_row))
            self.box_text(text, x0, y0, x1 - x0, y1 - y0, size - 0.5, "c")
        if self.ruling in ("hrules", "threeline"):
            self.c.setLineWidth(1.2)
            self.c.line(xs[0], top, xs[-1], top)
            self.c.setLineWidth(0.7)
            bottom = top - spec.n_head * head_h
            self.c.line(xs[0], bottom, xs[-1], bottom)

    def _free_layout(self, spec):
        return spec.wrap == "grow" or spec.fig_offset

    def _label_lines(self, row, xs, size):
        """Lines of each label cell of a row when labels wrap at full size."""
        out, col = {}, 0
        for cell in row:
            if cell is not None and not cell.fact and cell.text:
                out[col] = self.wrap(cell.text, xs[col + cell.cs] - xs[col] - 5,
                                     size)
            col += 1
        return out

    def _row_height(self, row, xs, row_h, size, spec):
        if spec.wrap != "grow":
            return row_h
        lines = self._label_lines(row, xs, size)
        n = max([len(v) for v in lines.values()] + [1])
        return max(row_h, n * size * 1.15 + 5)

    def _body_row(self, row, xs, y0, h, row_h, size, facts, spec):
        free = self._free_layout(spec)
        if free:
            lines = self._label_lines(row, xs, size) if spec.wrap == "grow" \
                else {}
            n = max([len(v) for v in lines.values()] + [1])
            lh = size * 1.15
            block_top = y0 + h / 2 + n * lh / 2

            def base(k):
                return block_top - (k + 1) * lh + size * 0.22
        own = 1  # lines of the labels a figure belongs to (those left of it)
        col = 0
        while col < len(row):
            cell = row[col]
            if cell is None:
                col += 1
                continue
            x0, x1 = xs[col], xs[col + cell.cs]
            if self.ruling == "grid":
                self._rect_or_rules(x0, y0, x1, y0 + h)
            if not free or (spec.wrap != "grow" and not cell.fact):
                self.box_text(cell.text, x0, y0, x1 - x0, h, size, cell.align)
            elif cell.fact:
                if cell.text:
                    k = {"first": 0, "middle": (own - 1) / 2,
                         "last": own - 1}[spec.fig_align]
                    b = base(0) - k * lh + spec.fig_offset * row_h
                    # an offset never pushes a figure out of its own row
                    b = min(max(b, y0 + 1), y0 + h - 1 - 0.75 * size)
                    s = self.figure_size(cell.text, x1 - x0, size)
                    self._place(cell.text, x0, x1, b, s, cell.align)
                own = 1
            elif cell.text:
                parts = lines.get(col) or [cell.text]
                for k, line in enumerate(parts):
                    self._place(line, x0, x1, base(k), size, cell.align)
                own = max(own, len(parts))
            if cell.fact and cell.text.strip() and cell.text not in ("-", "—"):
                table, key, c, line = cell.fact
                f = {"table": table, "row": key, "col": str(c),
                     "value": cell.text.replace(",", ""), "page": self.page}
                if line is not None:
                    f["line"] = str(line)
                facts.append(f)
            col += cell.cs
        if self.ruling == "hrules":
            self.c.setLineWidth(0.3)
            self.c.line(xs[0], y0, xs[-1], y0)

    def _place(self, text, x0, x1, base, size, align):
        pad = 2.5
        self.text_at(text, {"r": x1 - pad, "c": (x0 + x1) / 2}.get(
            align, x0 + pad), base, size, align)

    def _outline(self, xs, top, bottom):
        if self.ruling in ("hrules", "threeline"):
            self.c.setLineWidth(1.2)
            self.c.line(xs[0], bottom, xs[-1], bottom)
