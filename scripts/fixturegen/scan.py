"""Turns a digital PDF into an image-only "scanned" PDF.

Pages are rasterised with pdftoppm (greyscale), rotated by a small skew,
given Gaussian noise, optionally stamped with a semi-transparent red seal, and
written back as JPEG pages of a PDF with Pillow. Deterministic for a seed.
"""

import math
import os
import subprocess
import tempfile

import time

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FIXED_DATE = time.gmtime(1704067200)  # 2024-01-01
SEAL_FONT = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2)
SEAL_FONT_FALLBACK = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0)


def _font(size):
    for path, index in (SEAL_FONT, SEAL_FONT_FALLBACK):
        if os.path.exists(path):
            return ImageFont.truetype(path, size, index=index)
    return ImageFont.load_default()


def make_seal(radius, text, rng, alpha=0.62):
    """An RGBA round seal: double ring, a star, and `text` along the top arc."""
    size = 2 * radius + 8
    layer = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(layer)
    cx = cy = size / 2
    ring = max(4, radius // 14)
    d.ellipse([cx - radius, cy - radius, cx + radius, cy + radius],
              outline=255, width=ring)
    # five-pointed star
    r_out, r_in = radius * 0.28, radius * 0.11
    pts = []
    for k in range(10):
        r = r_out if k % 2 == 0 else r_in
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    d.polygon(pts, fill=255)
    # characters around the top arc, each rotated to face the centre
    glyph = int(radius * 0.24)
    font = _font(glyph)
    n = len(text)
    span = min(250.0, 24.0 * n)
    for k, ch in enumerate(text):
        ang = -90 - span / 2 + span * (k + 0.5) / n  # degrees, 0 = east
        tile = Image.new("L", (glyph * 2, glyph * 2), 0)
        ImageDraw.Draw(tile).text((glyph, glyph), ch, fill=255, font=font,
                                  anchor="mm")
        tile = tile.rotate(-(ang + 90), resample=Image.BICUBIC)
        rr = radius - ring - glyph * 0.72
        x = cx + rr * math.cos(math.radians(ang)) - glyph
        y = cy + rr * math.sin(math.radians(ang)) - glyph
        layer.paste(255, (int(x), int(y)), tile)
    d.text((cx, cy + radius * 0.55), "财务专用章", fill=255,
           font=_font(int(radius * 0.16)), anchor="mm")
    # uneven ink
    ink = np.asarray(layer, dtype=np.float32) / 255.0
    mottle = rng.uniform(0.65, 1.0, size=ink.shape).astype(np.float32)
    a = (ink * mottle * alpha * 255).astype(np.uint8)
    seal = Image.new("RGBA", (size, size), (205, 30, 35, 0))
    seal.putalpha(Image.fromarray(a, "L"))
    return seal


def scan(src_pdf, out_pdf, dpi, skew, noise, quality, seed, seal=None,
         first_page=None, last_page=None):
    """Writes `out_pdf`. seal: {"page": n, "center": (fx, fy), "text": str}."""
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["pdftoppm", "-r", str(dpi), "-gray", "-png"]
        if first_page:
            cmd += ["-f", str(first_page)]
        if last_page:
            cmd += ["-l", str(last_page)]
        subprocess.run(cmd + [src_pdf, os.path.join(tmp, "p")], check=True)
        names = sorted(f for f in os.listdir(tmp) if f.endswith(".png"))
        pages = []
        for idx, name in enumerate(names, start=1):
            im = Image.open(os.path.join(tmp, name)).convert("L")
            im = im.rotate(skew, resample=Image.BICUBIC, fillcolor=255)
            arr = np.asarray(im, dtype=np.float32)
            # greyish paper with Gaussian grain
            h, w = arr.shape
            grain = rng.normal(0.0, noise, size=(h, w))
            arr = np.clip(arr * 0.95 + 8 + grain, 0, 255).astype(np.uint8)
            im = Image.fromarray(arr, "L")
            if seal and seal["page"] == idx:
                radius = int(dpi * 0.78)
                stamp = make_seal(radius, seal["text"], rng)
                stamp = stamp.rotate(float(rng.uniform(-20, 20)),
                                     resample=Image.BICUBIC, expand=True)
                page = im.convert("RGBA")
                fx, fy = seal["center"]
                x = int(fx * w - stamp.width / 2)
                y = int(fy * h - stamp.height / 2)
                page.alpha_composite(stamp, (x, y))
                im = page.convert("RGB")
            pages.append(im)
        pages[0].save(out_pdf, "PDF", save_all=True, append_images=pages[1:],
                      resolution=float(dpi), quality=quality,
                      creationDate=FIXED_DATE, modDate=FIXED_DATE)
    return len(pages)
