"""The variety set: one document per seed, every layout choice drawn from it.

`juesuan_doc` and `jixiao_doc` write a born-digital PDF and return its truth
(corpus format) with `variant` recording every choice; `scan_params` draws
the degradation of a scanned copy. Each document's random stream is seeded
with its set and seed only, so a document never changes when others are
added. `juesuan_doc(..., plant=True)` (the scan set's 决算 sources) plants
printing slips in about half the documents (`draw_errors`), drawn from a
stream of their own, so the layout and figures drawn are those of the
document without them.
"""

import copy
import inspect
import random
import re
import subprocess

from . import jixiao
from . import jixiao_forms
from . import model as M
from . import scan as S
from .juesuan import ORDER, Style, plant_errors, render
from .verify import check_facts_match_model, check_text_layer

CITIES = ["云溪市", "青石市", "南湖区", "东岭市", "西江市", "北川县", "临川区",
          "白沙市", "安平县", "清河区", "长宁县", "松阳市", "望江区", "泰和县"]
UNITS = ["疾病预防控制中心", "卫生健康信息中心", "妇幼保健院", "卫生监督所",
         "急救中心", "卫生健康委员会", "中心血站", "健康教育所",
         "精神卫生中心", "卫生健康综合行政执法大队"]


def rng_for(kind, seed):
    return random.Random("%s:%d" % (kind, seed))


def juesuan_doc(pdf, doc_id, seed, kind="juesuan", plant=False):
    """`kind` names the random stream, so scan sources differ from the
    born-digital documents of the same seed. With `plant`, about half the
    documents print one or two source errors (`draw_errors`, from the stream
    `kind`-errors): the truth's facts are the printed figures, `injected`
    lists the errors and `variant.errors` their slips ([] when none)."""
    rng = rng_for(kind, seed)
    unit = rng.choice(CITIES) + rng.choice(UNITS)
    year = rng.randint(2019, 2024)
    model_kw = {
        # small units (every figure < 1000) and large ones (thousands separators)
        "scale": round(rng.uniform(0.3, 1.5) if rng.random() < 0.5
                       else rng.uniform(1.5, 12.0), 2),
        "with_soe": rng.random() < 0.3,
        "with_gf": rng.random() < 0.75,
        "n_extra_lei": rng.randint(0, 3),
    }
    model_seed = rng.randrange(1 << 30)
    m = M.build(unit, year, model_seed, **model_kw)  # asserts the identities
    style = Style.random(rng)
    errors, slips = draw_errors(m, rng_for(kind + "-errors", seed)) \
        if plant else ([], [])
    printed, injected = plant_errors(m, errors)  # asserts what they break
    truth = render(m, style, pdf, doc_id, printed)
    truth["variant"] = {"producer": "reportlab", "font": style.font,
                        "ruling": style.ruling, "style": style.variant(),
                        "model": dict(model_kw, seed=model_seed), "scan": None}
    if plant:
        truth["variant"]["errors"] = slips
    truth["injected"] = injected
    check_facts_match_model(truth, printed)
    check_text_layer(pdf, truth)
    return truth


# Rows that total others (a row's kind, for drawing errors across kinds).
TOTAL_ROWS = ("合计", "本年收入合计", "本年支出合计", "总计", "人员经费合计",
              "公用经费合计")
SLIPS = ("digit", "transpose", "offset")


def row_kind(table, row):
    """total, 类/款/项 (公开06表: group/item), or item (named rows, 公开07表)."""
    if row in TOTAL_ROWS:
        return "total"
    if row.isdigit() and table != M.T07:
        if table == M.T06:
            return "group" if len(row) == 3 else "item"
        return M.level(row)
    return "item"


def slip(old, how, rng):
    """`old` cents as misprinted by one slip, or None when `how` does not
    apply: `digit` changes one digit (never the last of the cents: a
    difference of a few cents reads as rounding), `transpose` swaps two
    adjacent different digits on one side of the decimal point, `offset` is
    off by 1.00, 10.00 or 100.00. The figure stays positive and keeps its
    leading digit non-zero."""
    s = str(old)  # old >= 100: at least one digit before the decimal point
    if how == "digit":
        i = rng.randrange(len(s) - 1)
        digit = rng.choice([d for d in "0123456789"
                            if d != s[i] and (i or d != "0")])
        return int(s[:i] + digit + s[i + 1:])
    if how == "transpose":
        pairs = [i for i in range(len(s) - 1)
                 if s[i] != s[i + 1] and i != len(s) - 3
                 and (i or s[1] != "0")]
        if not pairs:
            return None
        i = rng.choice(pairs)
        return int(s[:i] + s[i + 1] + s[i] + s[i + 2:])
    new = old + rng.choice([100, 1000, 10000]) * rng.choice([1, -1])
    return new if new > 0 else None


def draw_errors(m, rng):
    """Source errors for one document: none in about half the documents,
    else one or two. Each is a printing slip (`slip`) in a figure of at
    least 1.00 that is a term of an identity, in a table drawn first (two
    errors: two tables), then a kind of row (`row_kind`), then a cell; it
    must break an identity, and no identity may hold both errors' cells.
    Returns ([(table, row, col, new_cents)], [slip of each])."""
    if rng.random() < 0.5:
        return [], []
    n = rng.choice([1, 2])
    member = {}  # cell -> names of the identities it is a term of
    for name, terms in m.identities():
        for cell, _ in terms:
            member.setdefault(cell, set()).add(name)
    pool = {}  # table -> row kind -> [(row, col)]
    for table in ORDER:
        for (row, col), cents in m.values[table].items():
            if cents >= 100 and (table, row, col) in member:
                pool.setdefault(table, {}).setdefault(
                    row_kind(table, row), []).append((row, col))
    errors, slips, broken = [], [], set()
    for _ in range(500):
        if len(errors) == n:
            break
        table = rng.choice([t for t in ORDER if t in pool
                            and t not in {e[0] for e in errors}])
        kinds = pool[table]
        row, col = rng.choice(kinds[rng.choice(sorted(kinds))])
        cell = (table, row, col)
        if any(member[cell] & member[e[:3]] for e in errors):
            continue
        how = rng.choice(SLIPS)
        old = m.values[table][(row, col)]
        new = slip(old, how, rng)
        if new is None or new == old:
            continue
        single = copy.deepcopy(m.values)
        single[table][(row, col)] = new
        names = {name for name, _ in m.broken(single)}
        if not names or names & broken:
            continue
        both = copy.deepcopy(single)
        for t, r, c, v in errors:
            both[t][(r, c)] = v
        if {name for name, _ in m.broken(both)} != broken | names:
            continue
        errors.append((table, row, col, new))
        slips.append(how)
        broken |= names
    assert errors, "no error could be planted"
    return errors, slips


def jixiao_doc(pdf, doc_id, seed, kind="jixiao"):
    rng = rng_for(kind, seed)
    style = jixiao.JxStyle.random(rng)
    truth = jixiao.generate(pdf, doc_id, rng.randrange(1 << 30), style)
    check_text_layer(pdf, truth)
    return truth


def forms_doc(pdf, doc_id, seed, kind="forms"):
    """One of the other 绩效 forms (fixturegen/jixiao_forms.py): which form,
    font, ruling and whether funds were added during the year, each drawn."""
    rng = rng_for(kind, seed)
    form = rng.choice(["basic", "hunan", "project"])
    font = rng.choice(["wqy-microhei", "wqy-zenhei", "uming", "ukai", "wenkai"])  # with ㎡
    ruling = rng.choice(["grid", "hrules", "threeline", "none"])
    added = form == "project" and rng.random() < 0.5
    truth = jixiao_forms.generate(pdf, doc_id, rng.randrange(1 << 30), form, font,
                                  ruling=ruling, added_funds=added)
    truth["variant"]["added_funds"] = added
    check_text_layer(pdf, truth)
    return truth


def figure_centres(pdf, page, values):
    """Centres (fractions of the page) of the words on `page` that print one
    of `values`, from the PDF's own text layer."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page),
                          pdf, "-"], check=True, capture_output=True,
                         text=True).stdout
    size = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', out)
    w, h = float(size.group(1)), float(size.group(2))
    centres = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                         r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out):
        if m.group(5).replace(",", "") in values:
            x0, y0, x1, y1 = map(float, m.group(1, 2, 3, 4))
            centres.append((round((x0 + x1) / 2 / w, 3), round((y0 + y1) / 2 / h, 3)))
    return centres


def scan_params(seed, pdf, truth):
    """dpi, skew, blur, noise, JPEG quality, contrast, speckle and seals over
    the figures of 0-2 table pages, each drawn independently."""
    rng = rng_for("scan", seed)
    p = {
        "dpi": rng.choice([150, 180, 200, 240, 300]),
        "skew": round(rng.uniform(-3.0, 3.0), 2),
        "blur": round(rng.uniform(0.0, 1.5), 2),
        "noise": round(rng.uniform(1.0, 10.0), 1),
        "quality": rng.randint(35, 90),
        "contrast": round(rng.uniform(0.7, 1.0), 2),
        "speckle": round(rng.choice([0.0, rng.uniform(0.0005, 0.004)]), 4),
    }
    pages = sorted({f["page"] for f in truth["facts"]})
    seals = []
    for page in sorted(rng.sample(pages, min(len(pages), rng.randint(0, 2)))):
        values = {f["value"] for f in truth["facts"] if f["page"] == page}
        centres = figure_centres(pdf, page, values)
        seals.append({"page": page, "center": rng.choice(centres),
                      "text": truth["unit"]})
    p["seals"] = seals
    p["seed"] = rng.randrange(1 << 30)
    return p


def scan_copy(src_pdf, out_pdf, params, source_id):
    """Scans `src_pdf` with `params`; returns the truth's `variant.scan`.
    scan.scan() gains keywords over time: those it does not take yet are
    left out and listed under `not_applied`."""
    accepted = inspect.signature(S.scan).parameters
    wanted = {"blur": params["blur"], "contrast": params["contrast"],
              "speckle": params["speckle"], "seals": params["seals"],
              "grey": True}
    kw = {k: v for k, v in wanted.items() if k in accepted}
    seals = params["seals"]
    not_applied = [k for k in ("blur", "contrast", "speckle")
                   if k not in accepted]
    if "seals" not in accepted:  # the older scan() stamps one seal
        if len(seals) > 1:
            not_applied.append("seals")
        seals = seals[:1]
        if seals:
            kw["seal"] = seals[0]
    S.scan(src_pdf, out_pdf, params["dpi"], params["skew"], params["noise"],
           params["quality"], params["seed"], **kw)
    return {"dpi": params["dpi"], "skew": params["skew"], "blur": params["blur"],
            "noise": params["noise"], "jpeg_quality": params["quality"],
            "contrast": params["contrast"], "speckle": params["speckle"],
            "grey": True, "seal_pages": [x["page"] for x in seals],
            "seal_over_figures": bool(seals), "image_only": True,
            "source": source_id, "not_applied": not_applied}
