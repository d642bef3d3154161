"""Drawing primitives over a reportlab canvas: pages, wrapped text, ruled tables.

A table is given as column widths, header cells (row, col, rowspan, colspan,
text) and body rows (lists of `Cell` or None where a span covers the slot).
`Doc.table()` draws it, continuing onto new pages with a repeated header and a
"（续）" title when it does not fit, and returns the facts it printed with
the page each one landed on.
"""

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

MARGIN = 40

FONTS = {
    "wqy-microhei": ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    "wqy-zenhei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "uming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
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
    def __init__(self, code, title, caption, widths, header, n_head, body,
                 notes=(), landscape=False, split_after=None, same_page=False,
                 section=None, unit_label="单位：万元"):
        self.code = code
        self.title = title
        self.caption = caption
        self.widths = widths
        self.header = header
        self.n_head = n_head
        self.body = body
        self.notes = list(notes)
        self.landscape = landscape
        self.split_after = split_after
        self.same_page = same_page
        self.section = section
        self.unit_label = unit_label


class Doc:
    def __init__(self, path, font_key, ruling="grid", dept_label="部门",
                 page_numbers=True):
        self.font = register_font(font_key)
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

    def text_left(self, text, x, y, size):
        self.c.setFont(self.font, size)
        self.c.drawString(x, y, text)

    def text_right(self, text, x, y, size):
        self.c.setFont(self.font, size)
        self.c.drawRightString(x, y, text)

    def text_center(self, text, x, y, size):
        self.c.setFont(self.font, size)
        self.c.drawCentredString(x, y, text)

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
            if align == "r":
                self.text_right(line, x + w - pad, base, size)
            elif align == "c":
                self.text_center(line, x + w / 2, base, size)
            else:
                self.text_left(line, x + pad, base, size)

    # ----- tables -----------------------------------------------------------
    def table(self, spec, unit_name, head_h=17, row_h=15, size=7.5):
        """Draws `spec`; returns (pages, facts) with facts as dicts."""
        facts = []
        pages = []
        avail = None
        xs = None
        rows = list(spec.body)
        first = True
        need_title = 58 + spec.n_head * head_h + 2 * row_h
        start_new = not (spec.same_page and self.page > 0 and
                         self.y - need_title - len(rows) * row_h > MARGIN + 40)
        while True:
            if first and start_new:
                self.new_page(spec.landscape)
            elif not first:
                self.new_page(spec.landscape)
            if avail is None or True:
                avail = self.w - 2 * MARGIN
                scale = avail / sum(spec.widths)
                xs = [MARGIN]
                for wdt in spec.widths:
                    xs.append(xs[-1] + wdt * scale)
            pages.append(self.page)
            if first and spec.section:
                self.heading(spec.section, 12)
            self.y -= 24
            title = spec.title if first else spec.title + "（续）"
            self.text_center(title, self.w / 2, self.y, 15)
            self.y -= 18
            self.text_left("%s：%s" % (self.dept_label, unit_name), MARGIN,
                           self.y, 9)
            right = spec.unit_label
            if spec.caption:
                right = spec.caption + "\u3000\u3000" + right
            self.text_right(right, self.w - MARGIN, self.y, 9)
            self.y -= 6
            top = self.y
            self._header(spec, xs, top, head_h, size)
            y = top - spec.n_head * head_h
            capacity = int((y - MARGIN - 30) // row_h)
            if first and spec.split_after:
                capacity = min(capacity, spec.split_after)
            chunk, rows = rows[:capacity], rows[capacity:]
            for row in chunk:
                self._body_row(row, xs, y - row_h, row_h, size, facts, spec)
                y -= row_h
            self._outline(xs, top, y)
            self.y = y
            first = False
            if not rows:
                break
        for note in spec.notes:
            for line in self.wrap(note, self.w - 2 * MARGIN, 8):
                self.y -= 12
                self.text_left(line, MARGIN, self.y, 8)
        self.y -= 10
        return pages, facts

    def _rect_or_rules(self, x0, y0, x1, y1, bottom_rule=True):
        c = self.c
        if self.ruling == "grid":
            c.setLineWidth(0.5)
            c.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
        elif bottom_rule:
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
        if self.ruling != "grid":
            self.c.setLineWidth(1.2)
            self.c.line(xs[0], top, xs[-1], top)
            self.c.setLineWidth(0.7)
            bottom = top - spec.n_head * head_h
            self.c.line(xs[0], bottom, xs[-1], bottom)

    def _body_row(self, row, xs, y0, row_h, size, facts, spec):
        col = 0
        while col < len(row):
            cell = row[col]
            if cell is None:
                col += 1
                continue
            x0, x1 = xs[col], xs[col + cell.cs]
            if self.ruling == "grid":
                self._rect_or_rules(x0, y0, x1, y0 + row_h)
            self.box_text(cell.text, x0, y0, x1 - x0, row_h, size, cell.align)
            if cell.fact and cell.text.strip():
                table, key, c, line = cell.fact
                f = {"table": table, "row": key, "col": str(c),
                     "value": cell.text.replace(",", ""), "page": self.page}
                if line is not None:
                    f["line"] = str(line)
                facts.append(f)
            col += cell.cs
        if self.ruling != "grid":
            self.c.setLineWidth(0.3)
            self.c.line(xs[0], y0, xs[-1], y0)

    def _outline(self, xs, top, bottom):
        if self.ruling != "grid":
            self.c.setLineWidth(1.2)
            self.c.line(xs[0], bottom, xs[-1], bottom)
