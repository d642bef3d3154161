#include "pipeline/ocr/cell_image.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace juesuan {
namespace {

struct Component {
  int x0, y0, x1, y1;  // inclusive
  int area;
  std::vector<int> pixels;  // indices into the crop
};

// 8-connected components of a 0/1 mask.
std::vector<Component> Components(const std::vector<uint8_t>& mask, int w, int h) {
  std::vector<Component> out;
  std::vector<uint8_t> seen(mask.size(), 0);
  std::vector<int> stack;
  for (int start = 0; start < w * h; ++start) {
    if (!mask[start] || seen[start]) continue;
    Component c{w, h, -1, -1, 0, {}};
    stack.push_back(start);
    seen[start] = 1;
    while (!stack.empty()) {
      int p = stack.back();
      stack.pop_back();
      int x = p % w, y = p / w;
      c.pixels.push_back(p);
      c.x0 = std::min(c.x0, x), c.x1 = std::max(c.x1, x);
      c.y0 = std::min(c.y0, y), c.y1 = std::max(c.y1, y);
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          int nx = x + dx, ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          int q = ny * w + nx;
          if (mask[q] && !seen[q]) seen[q] = 1, stack.push_back(q);
        }
    }
    c.area = static_cast<int>(c.pixels.size());
    out.push_back(std::move(c));
  }
  return out;
}

int Percentile(const std::array<int, 256>& hist, int total, double fraction) {
  int want = static_cast<int>(fraction * total), seen = 0;
  for (int v = 0; v < 256; ++v) {
    seen += hist[v];
    if (seen > want) return v;
  }
  return 255;
}

}  // namespace

Gray CropGray(const Raster& page, int x0, int y0, int x1, int y1) {
  Gray g;
  g.width = x1 - x0;
  g.height = y1 - y0;
  g.pixels.resize(static_cast<size_t>(g.width) * g.height);
  for (int y = 0; y < g.height; ++y)
    std::copy_n(&page.pixels[static_cast<size_t>(y0 + y) * page.width + x0], g.width,
                &g.pixels[static_cast<size_t>(y) * g.width]);
  return g;
}

Gray ScaleGray(const Gray& image, double scale) {
  if (std::abs(scale - 1.0) < 1e-3) return image;
  Gray out;
  out.width = std::max(1, static_cast<int>(std::lround(image.width * scale)));
  out.height = std::max(1, static_cast<int>(std::lround(image.height * scale)));
  out.pixels.resize(static_cast<size_t>(out.width) * out.height);
  const double inv = 1.0 / scale;
  for (int y = 0; y < out.height; ++y) {
    double sy = std::clamp((y + 0.5) * inv - 0.5, 0.0, image.height - 1.0);
    int y0 = static_cast<int>(sy), y1 = std::min(y0 + 1, image.height - 1);
    double fy = sy - y0;
    for (int x = 0; x < out.width; ++x) {
      double sx = std::clamp((x + 0.5) * inv - 0.5, 0.0, image.width - 1.0);
      int x0 = static_cast<int>(sx), x1 = std::min(x0 + 1, image.width - 1);
      double fx = sx - x0;
      const uint8_t* r0 = &image.pixels[static_cast<size_t>(y0) * image.width];
      const uint8_t* r1 = &image.pixels[static_cast<size_t>(y1) * image.width];
      double v = (1 - fy) * ((1 - fx) * r0[x0] + fx * r0[x1]) + fy * ((1 - fx) * r1[x0] + fx * r1[x1]);
      out.pixels[static_cast<size_t>(y) * out.width + x] = static_cast<uint8_t>(std::lround(v));
    }
  }
  return out;
}

CellImage ExtractCell(const Raster& page, const Box& cell_box_points,
                      const CellImageOptions& options) {
  CellImage cell;
  const double px_per_pt = page.dpi / 72.0;
  const double inset = options.inset_pt * px_per_pt;
  int x0 = std::clamp(static_cast<int>(std::ceil(cell_box_points.x0 * px_per_pt + inset)), 0, page.width);
  int y0 = std::clamp(static_cast<int>(std::ceil(cell_box_points.y0 * px_per_pt + inset)), 0, page.height);
  int x1 = std::clamp(static_cast<int>(std::floor(cell_box_points.x1 * px_per_pt - inset)), 0, page.width);
  int y1 = std::clamp(static_cast<int>(std::floor(cell_box_points.y1 * px_per_pt - inset)), 0, page.height);
  const int w = x1 - x0, h = y1 - y0;
  if (w < 3 || h < 3) return cell;
  Gray crop = CropGray(page, x0, y0, x1, y1);

  std::array<int, 256> hist{};
  for (uint8_t v : crop.pixels) ++hist[v];
  const int total = w * h;
  const int paper = Percentile(hist, total, 0.90);
  const int dark = Percentile(hist, total, 0.0005);
  if (paper - dark < options.min_ink_contrast) return cell;
  const int threshold = paper - std::max(options.min_ink_contrast / 2, static_cast<int>(0.45 * (paper - dark)));

  std::vector<uint8_t> mask(crop.pixels.size());
  for (size_t i = 0; i < mask.size(); ++i) mask[i] = crop.pixels[i] < threshold;

  // Ruling remnants: long runs near the crop's edges.
  auto erase = [&](int x, int y) {
    if (x < 0 || y < 0 || x >= w || y >= h) return;
    size_t i = static_cast<size_t>(y) * w + x;
    mask[i] = 0;
    crop.pixels[i] = static_cast<uint8_t>(paper);
  };
  if (w >= 12) {
    for (int y = 0; y < h; ++y) {
      if (y > h * 0.3 && y < h * 0.7) continue;
      int best = 0, best_start = 0, run = 0;
      for (int x = 0; x <= w; ++x) {
        if (x < w && mask[static_cast<size_t>(y) * w + x]) {
          ++run;
        } else {
          if (run > best) best = run, best_start = x - run;
          run = 0;
        }
      }
      if (best >= 0.5 * w)
        for (int x = best_start; x < best_start + best; ++x)
          for (int dy = -1; dy <= 1; ++dy) erase(x, y + dy);
    }
  }
  if (h >= 12) {
    for (int x = 0; x < w; ++x) {
      if (x > w * 0.25 && x < w * 0.75) continue;
      int best = 0, best_start = 0, run = 0;
      for (int y = 0; y <= h; ++y) {
        if (y < h && mask[static_cast<size_t>(y) * w + x]) {
          ++run;
        } else {
          if (run > best) best = run, best_start = y - run;
          run = 0;
        }
      }
      if (best >= 0.75 * h)
        for (int y = best_start; y < best_start + best; ++y)
          for (int dx = -1; dx <= 1; ++dx) erase(x + dx, y);
    }
  }

  const int min_area = std::max(2, static_cast<int>(std::lround(options.min_speck_pt2 * px_per_pt * px_per_pt)));
  const int thin = std::max(2, static_cast<int>(std::lround(1.2 * px_per_pt)));
  std::vector<Component> comps = Components(mask, w, h);
  std::vector<const Component*> kept;
  for (const Component& c : comps) {
    int cw = c.x1 - c.x0 + 1, ch = c.y1 - c.y0 + 1;
    bool speck = c.area < min_area;
    // Leftover rule pieces along an edge: thin and long, touching the border.
    // A slightly skewed rule leaves short pieces: any thin elongated blob
    // on the edge it runs along (glyphs stay clear of the inset crop edge).
    bool rule = (ch <= thin && cw >= 3 * ch && (c.y0 == 0 || c.y1 == h - 1)) ||
                (cw <= thin && ch >= 3 * cw && (c.x0 == 0 || c.x1 == w - 1));
    if (speck || rule) {
      for (int p : c.pixels) crop.pixels[p] = static_cast<uint8_t>(std::max<int>(crop.pixels[p], paper));
      continue;
    }
    kept.push_back(&c);
  }
  // Glyphs cut by the top or bottom edge belong to the neighbouring row
  // (a cell box a little off its rules); drop them when the cell has ink of
  // its own.
  {
    std::vector<const Component*> inner;
    for (const Component* c : kept)
      if (c->y0 > 0 && c->y1 < h - 1) inner.push_back(c);
    if (!inner.empty() && inner.size() < kept.size()) {
      for (const Component* c : kept)
        if (c->y0 == 0 || c->y1 == h - 1)
          for (int p : c->pixels) crop.pixels[p] = static_cast<uint8_t>(std::max<int>(crop.pixels[p], paper));
      kept.swap(inner);
    }
  }
  if (kept.empty()) return cell;

  int bx0 = w, by0 = h, bx1 = -1, by1 = -1;
  std::vector<int> rows(h, 0);
  for (const Component* c : kept) {
    bx0 = std::min(bx0, c->x0), by0 = std::min(by0, c->y0);
    bx1 = std::max(bx1, c->x1), by1 = std::max(by1, c->y1);
    for (int p : c->pixels) ++rows[p / w];
  }
  // Lines: runs of inked rows; small gaps (inside 二, 三) and short runs
  // (a comma's tail, a dot) merge with their neighbour.
  std::vector<std::pair<int, int>> runs;
  for (int y = by0; y <= by1; ++y) {
    if (rows[y] == 0) continue;
    if (!runs.empty() && runs.back().second == y - 1) runs.back().second = y;
    else runs.push_back({y, y});
  }
  int tallest = 0;
  for (auto& r : runs) tallest = std::max(tallest, r.second - r.first + 1);
  std::vector<std::pair<int, int>> lines;
  for (auto& r : runs) {
    if (!lines.empty()) {
      int gap = r.first - lines.back().second - 1;
      int prev_h = lines.back().second - lines.back().first + 1;
      int cur_h = r.second - r.first + 1;
      // Two full-height runs are two lines even when tightly leaded
      // (wrapped header labels); a narrow gap is only a glyph's inside.
      if (gap < 0.12 * tallest || prev_h < 0.45 * tallest || cur_h < 0.45 * tallest) {
        lines.back().second = r.second;
        continue;
      }
    }
    lines.push_back(r);
  }
  cell.lines = static_cast<int>(lines.size());
  int line_h = 0;
  for (auto& l : lines) line_h = std::max(line_h, l.second - l.first + 1);
  cell.line_height_px = line_h;
  cell.figure_shaped = cell.lines == 1;
  for (const Component* c : kept) {
    const int cw = c->x1 - c->x0 + 1, ch = c->y1 - c->y0 + 1;
    if (ch >= 0.5 * line_h) {
      ++cell.tall_glyphs;
      if (cw > 0.8 * line_h) cell.figure_shaped = false;
    } else if (c->y0 - by0 < 0.45 * line_h && !(ch <= 0.3 * line_h && cw <= line_h)) {
      cell.figure_shaped = false;
    }
  }
  cell.empty = false;
  cell.ink_box_px = {static_cast<double>(x0 + bx0), static_cast<double>(y0 + by0),
                     static_cast<double>(x0 + bx1 + 1), static_cast<double>(y0 + by1 + 1)};

  // Tight, padded, contrast-stretched crop.
  const int pad = std::max(6, static_cast<int>(0.8 * line_h));
  cell.pad_px = pad;
  Gray& out = cell.gray;
  out.width = bx1 - bx0 + 1 + 2 * pad;
  out.height = by1 - by0 + 1 + 2 * pad;
  out.pixels.assign(static_cast<size_t>(out.width) * out.height, 255);
  const double range = std::max(1, paper - dark);
  for (int y = by0; y <= by1; ++y)
    for (int x = bx0; x <= bx1; ++x) {
      int v = crop.pixels[static_cast<size_t>(y) * w + x];
      int s = static_cast<int>(std::lround((v - dark) * 255.0 / range));
      out.pixels[static_cast<size_t>(y - by0 + pad) * out.width + (x - bx0 + pad)] =
          static_cast<uint8_t>(std::clamp(s, 0, 255));
    }
  cell.threshold = std::clamp(static_cast<int>(std::lround((threshold - dark) * 255.0 / range)), 1, 254);
  return cell;
}

Gray BinarizeCell(const CellImage& cell) {
  Gray out = cell.gray;
  for (uint8_t& v : out.pixels) v = v < cell.threshold ? 0 : 255;
  return out;
}

}  // namespace juesuan
