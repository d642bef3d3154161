"""Turns a digital PDF into an image-only "scanned" PDF.

Pages are rasterised with pdftoppm, rotated by a small skew, optionally
blurred (scanner optics), compressed in contrast (grey paper, grey ink),
given Gaussian grain and dark/light specks, stamped with semi-transparent red
seals, and written back as JPEG pages of a PDF with Pillow. Deterministic for
a seed. Called with only its positional arguments it makes the same pages it
always made (the repository's scanned fixtures depend on that).
"""

import math
import os
import subprocess
import tempfile

import time

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FIXED_DATE = time.gmtime(1704067200)  # 2024-01-01
SEAL_FONT = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2)
SEAL_FONT_FALLBACK = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0)
# Warm, slightly yellowed paper of a colour scan (R, G, B multipliers).
PAPER_TINT = (1.0, 0.975, 0.92)


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


def _compress_contrast(arr, contrast):
    """Maps 0..255 into a narrower band centred on mid-grey: ink greys, paper
    darkens (contrast 0.75: ink 32, paper 223)."""
    if contrast >= 1.0:
        return arr
    lo = 255.0 * (1.0 - contrast) / 2.0
    return lo + arr * contrast


def _speckle(im, density, rng):
    """Dust on the glass (dark specks, as dark as ink) and dropouts (paper
    showing through ink): each a 1-3 px blot, `density` of each kind per
    pixel. Applied to the clean page, so the optics blur them like ink."""
    if density <= 0:
        return im
    arr = np.array(im)
    h, w = arr.shape[:2]
    n = int(density * w * h)
    for dark in (True, False):
        ys = rng.integers(0, h, size=n)
        xs = rng.integers(0, w, size=n)
        sizes = rng.choice([1, 1, 1, 2, 2, 3], size=n)
        levels = rng.uniform(0, 70, size=n) if dark else np.full(n, 255.0)
        for y, x, s, v in zip(ys, xs, sizes, levels):
            arr[y:y + s, x:x + s] = int(v)
    return Image.fromarray(arr, im.mode)


def scan(src_pdf, out_pdf, dpi, skew, noise, quality, seed, seal=None,
         first_page=None, last_page=None, *, blur=0.0, contrast=1.0,
         speckle=0.0, seals=None, grey=True):
    """Writes `out_pdf`; returns its page count.

    dpi, skew (degrees, counter-clockwise), noise (grain sigma, grey levels),
    quality (JPEG), seed as before. seal / seals: {"page": n, "center": (fx,
    fy), "text": str} — one, or a list of several (any number per page),
    centres as fractions of the page. blur: Gaussian radius in pixels (text
    and seals alike). contrast: 0.7..1.0, the paper/ink range compressed to
    that fraction. speckle: density of dark and of light specks (per pixel;
    0.001 is a dirty glass). grey=False keeps colour: the page is rendered in
    colour on yellowed paper with grain per channel; grey=True gives grey
    pages (a page with a seal is stored in colour to keep the seal red).
    """
    rng = np.random.default_rng(seed)
    stamps = ([seal] if seal else []) + list(seals or [])
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["pdftoppm", "-r", str(dpi), "-png"]
        if grey:
            cmd.insert(3, "-gray")
        if first_page:
            cmd += ["-f", str(first_page)]
        if last_page:
            cmd += ["-l", str(last_page)]
        subprocess.run(cmd + [src_pdf, os.path.join(tmp, "p")], check=True)
        names = sorted(f for f in os.listdir(tmp) if f.endswith(".png"))
        pages = []
        for idx, name in enumerate(names, start=1):
            mode = "L" if grey else "RGB"
            fill = 255 if grey else (255, 255, 255)
            im = Image.open(os.path.join(tmp, name)).convert(mode)
            im = _speckle(im, speckle, rng)
            im = im.rotate(skew, resample=Image.BICUBIC, fillcolor=fill)
            if blur > 0:
                im = im.filter(ImageFilter.GaussianBlur(blur))
            arr = np.asarray(im, dtype=np.float32)
            arr = _compress_contrast(arr, contrast)
            # greyish paper with Gaussian grain
            h, w = arr.shape[:2]
            grain = rng.normal(0.0, noise, size=arr.shape)
            if not grey:
                arr = arr * np.array(PAPER_TINT, dtype=np.float32)
            arr = np.clip(arr * 0.95 + 8 + grain, 0, 255)
            im = Image.fromarray(arr.astype(np.uint8), mode)
            here = [s for s in stamps if s["page"] == idx]
            if here:
                page = im.convert("RGBA")
                for s in here:
                    radius = int(s.get("radius", 0.78) * dpi)
                    stamp = make_seal(radius, s["text"], rng)
                    stamp = stamp.rotate(float(rng.uniform(-20, 20)),
                                         resample=Image.BICUBIC, expand=True)
                    if blur > 0:
                        stamp = stamp.filter(ImageFilter.GaussianBlur(blur))
                    fx, fy = s["center"]
                    x = int(fx * w - stamp.width / 2)
                    y = int(fy * h - stamp.height / 2)
                    # A seal hanging over the page edge is cut by it.
                    if x < 0 or y < 0:
                        stamp = stamp.crop((max(0, -x), max(0, -y),
                                            stamp.width, stamp.height))
                        x, y = max(0, x), max(0, y)
                    page.alpha_composite(stamp, (x, y))
                im = page.convert("RGB")
            pages.append(im)
        pages[0].save(out_pdf, "PDF", save_all=True, append_images=pages[1:],
                      resolution=float(dpi), quality=quality,
                      creationDate=FIXED_DATE, modDate=FIXED_DATE)
    return len(pages)
