#include "pipeline/ocr/cell_image.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>

#include "pipeline/core/debug_flags.h"
#include "pipeline/imaging/page_prep.h"

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

// The smallest glyph (or dash) of the print these tables use, points.
constexpr double kMinGlyphPt = 3.0;

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

  // The same ink at a lower threshold: a blurred glyph of faint strokes
  // falls apart at the threshold into pieces each as small as dust, yet
  // its pieces join at a lower one. A piece is judged by the glyph it
  // belongs to there (see the specks below).
  const int faint = paper - std::max(options.min_ink_contrast / 4, static_cast<int>(0.2 * (paper - dark)));
  std::vector<uint8_t> faint_mask(crop.pixels.size());
  for (size_t i = 0; i < faint_mask.size(); ++i) faint_mask[i] = crop.pixels[i] < faint;
  const std::vector<Component> faint_comps = Components(faint_mask, w, h);
  std::vector<int> faint_of(crop.pixels.size(), -1);
  for (size_t k = 0; k < faint_comps.size(); ++k)
    for (int p : faint_comps[k].pixels) faint_of[p] = static_cast<int>(k);
  const int min_area = std::max(2, static_cast<int>(std::lround(options.min_speck_pt2 * px_per_pt * px_per_pt)));
  const int thin = std::max(2, static_cast<int>(std::lround(1.2 * px_per_pt)));
  std::vector<Component> comps = Components(mask, w, h);
  // Fading a blob also lifts the lighter rim a blurred scan leaves around
  // it (pixels just above the threshold in its box), else a faded speck
  // stays as a ring that reads as 'o' or '.'.
  auto fade = [&](const Component& c) {
    for (int p : c.pixels) crop.pixels[p] = static_cast<uint8_t>(std::max<int>(crop.pixels[p], paper));
    for (int y = std::max(0, c.y0 - 1); y <= std::min(h - 1, c.y1 + 1); ++y)
      for (int x = std::max(0, c.x0 - 1); x <= std::min(w - 1, c.x1 + 1); ++x) {
        const size_t i = static_cast<size_t>(y) * w + x;
        if (!mask[i]) crop.pixels[i] = static_cast<uint8_t>(std::max<int>(crop.pixels[i], paper));
      }
  };
  std::vector<const Component*> kept;
  for (const Component& c : comps) {
    int cw = c.x1 - c.x0 + 1, ch = c.y1 - c.y0 + 1;
    if (debug::Cell()) std::fprintf(stderr, "comp %d,%d-%d,%d area %d (crop %dx%d paper %d dark %d thr %d)\n", c.x0, c.y0, c.x1, c.y1, c.area, w, h, paper, dark, threshold);
    // Leftover rule pieces: thin and long, lying along the edge they touch
    // and reaching a neighbouring edge (a slightly skewed rule leaves the
    // crop through a corner) or running most of the way along. A thin '1'
    // or '7' near a side touches neither the top nor the bottom, and a
    // decimal point is not long: both stay.
    const bool at_top_or_bottom = c.y0 == 0 || c.y1 == h - 1;
    const bool at_side = c.x0 == 0 || c.x1 == w - 1;
    bool rule = (ch <= thin && cw >= 3 * ch && at_top_or_bottom && (at_side || cw >= 0.5 * w)) ||
                (cw <= thin && ch >= 3 * cw && at_side && (at_top_or_bottom || ch >= 0.6 * h));
    if (rule) {
      fade(c);
      continue;
    }
    kept.push_back(&c);
  }
  // Specks: small blobs well away from the glyphs, and tiny ones not right
  // against one; but not at the foot between two glyphs (where a blurred
  // decimal point or comma is as small as dust, and may stand further off).
  // A decimal point, a comma, a 、 or the dot of a glyph sits within a third
  // of the glyph size from a glyph, dust on the glass does not.
  if (!kept.empty()) {
    // The glyph size: the median height of the tall blobs (those at least
    // half the tallest), so that many specks do not make it small.
    std::vector<int> heights;
    int tallest_blob = 0;
    for (const Component* c : kept) tallest_blob = std::max(tallest_blob, c->y1 - c->y0 + 1);
    for (const Component* c : kept)
      if (2 * (c->y1 - c->y0 + 1) >= tallest_blob) heights.push_back(c->y1 - c->y0 + 1);
    std::sort(heights.begin(), heights.end(), std::greater<int>());
    const double em = heights[heights.size() / 2];
    // The glyphs the small blobs are judged against: half the glyph size
    // and no dust (a cell of dust alone has no glyphs, and is found empty
    // below).
    auto big = [&](const Component* c) {
      const int side = std::max(c->y1 - c->y0 + 1, c->x1 - c->x0 + 1);
      return c->area >= min_area && side >= 0.5 * em && side >= kMinGlyphPt * px_per_pt;
    };
    std::vector<const Component*> glyphs, survivors;
    for (const Component* c : kept)
      if (big(c)) glyphs.push_back(c);
    for (const Component* c : kept) {
      if (big(c)) {
        survivors.push_back(c);
        continue;
      }
      int nearest = std::numeric_limits<int>::max();
      bool left = false, right = false;
      for (const Component* g : glyphs) {
        const int dx = std::max({0, g->x0 - c->x1, c->x0 - g->x1});
        const int dy = std::max({0, g->y0 - c->y1, c->y0 - g->y1});
        nearest = std::min(nearest, std::max(dx, dy));
        const bool at_foot = std::abs(g->y1 - c->y1) <= 0.3 * em && dx <= 0.9 * em;
        left |= at_foot && g->x1 < c->x0;
        right |= at_foot && g->x0 > c->x1;
      }
      // At the foot between two glyphs: a decimal point or comma, which a
      // wide font sets half a digit away from its neighbours.
      const bool between = left && right;
      const bool isolated = nearest > 0.35 * em && !between;
      // A thin stroke a threshold broke off a glyph (the dots of 冫, the
      // top of 数) touches that glyph's box; dust beside a digit does not.
      const bool tiny = c->area < min_area && !between && nearest > 0.15 * em;
      if (debug::Cell())
        std::fprintf(stderr, "small blob %d,%d-%d,%d area %d em %.0f nearest %d left %d right %d min_area %d\n", c->x0, c->y0, c->x1, c->y1, c->area, em, nearest, left, right, min_area);
      // A piece of a glyph that the lower threshold joins to others into
      // a glyph's size is no dust.
      bool piece_of_glyph = false;
      if (const int k = faint_of[c->pixels.front()]; k >= 0) {
        const Component& whole = faint_comps[k];
        const int side = std::max(whole.y1 - whole.y0 + 1, whole.x1 - whole.x0 + 1);
        piece_of_glyph = whole.area >= 2 * c->area && side >= 0.6 * em &&
                         whole.y1 - whole.y0 + 1 <= std::max(1.5 * em, 1.5 * tallest_blob);
      }
      if ((isolated || tiny) && !piece_of_glyph) {
        fade(*c);
        continue;
      }
      survivors.push_back(c);
    }
    kept.swap(survivors);
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
  // Dust that survived in clusters is no text: the smallest print of these
  // tables has glyphs over three points long.
  {
    int longest = 0;
    for (const Component* c : kept) longest = std::max({longest, c->x1 - c->x0 + 1, c->y1 - c->y0 + 1});
    if (longest < kMinGlyphPt * px_per_pt) return cell;
  }

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
  // Wrapped header labels are leaded so tightly that blur fills the gap
  // between their lines: a "line" much taller than the glyphs is cut at its
  // emptiest row in the middle.
  {
    std::vector<int> glyph_heights;
    for (const Component* c : kept) glyph_heights.push_back(c->y1 - c->y0 + 1);
    std::sort(glyph_heights.begin(), glyph_heights.end(), std::greater<int>());
    const int glyph_h = glyph_heights.empty() ? 0 : glyph_heights[glyph_heights.size() / 4];
    std::vector<std::pair<int, int>> cut;
    for (const auto& [first, last] : lines) {
      const int height = last - first + 1;
      int best = -1;
      if (glyph_h > 0 && height > 1.7 * glyph_h) {
        int peak = 0;
        for (int y = first; y <= last; ++y) peak = std::max(peak, rows[y]);
        for (int y = first + static_cast<int>(0.3 * height); y <= last - static_cast<int>(0.3 * height); ++y)
          if (best < 0 || rows[y] < rows[best]) best = y;
        if (best >= 0 && rows[best] > 0.12 * peak) best = -1;
      }
      if (best < 0) {
        cut.push_back({first, last});
      } else {
        cut.push_back({first, best - 1});
        cut.push_back({best + 1, last});
      }
    }
    lines.swap(cut);
  }
  cell.lines = static_cast<int>(lines.size());
  for (const auto& [first, last] : lines) cell.line_rows.push_back({first - by0, last - by0});
  int line_h = 0;
  for (auto& l : lines) line_h = std::max(line_h, l.second - l.first + 1);
  cell.line_height_px = line_h;
  cell.figure_shaped = cell.lines == 1;
  std::vector<double> tall_centres;
  for (const Component* c : kept) {
    const int cw = c->x1 - c->x0 + 1, ch = c->y1 - c->y0 + 1;
    if (cell.lines == 1 && ch <= 0.35 * line_h && cw <= 0.45 * line_h && c->y1 >= by1 - 0.25 * line_h) {
      bool left = false;
      int right = 0;
      for (const Component* t : kept) {
        if (t->y1 - t->y0 + 1 < 0.5 * line_h) continue;
        left |= t->x1 < c->x0;
        right += t->x0 > c->x1;
      }
      if (left && right > 0) {
        ++cell.foot_marks;
        cell.glyphs_after_foot_mark = right;
      }
    }
    if (ch >= 0.5 * line_h) {
      tall_centres.push_back(0.5 * (c->x0 + c->x1));
      if (cw > 0.8 * line_h) cell.figure_shaped = false;
    } else if (c->y0 - by0 < 0.45 * line_h && !(ch <= 0.3 * line_h && cw <= line_h)) {
      cell.figure_shaped = false;
    }
  }
  // Glyphs, not blobs: a faint 0 or 8 breaks into arcs whose centres lie
  // closer than two digits' do (figures are set on a fixed advance of about
  // 0.7 digit heights).
  std::sort(tall_centres.begin(), tall_centres.end());
  for (size_t i = 0; i < tall_centres.size(); ++i)
    if (i == 0 || tall_centres[i] - tall_centres[i - 1] >= 0.5 * line_h) ++cell.tall_glyphs;
  cell.empty = false;
  cell.ink_box_px = {static_cast<double>(x0 + bx0), static_cast<double>(y0 + by0),
                     static_cast<double>(x0 + bx1 + 1), static_cast<double>(y0 + by1 + 1)};

  if (options.measure_edge_steepness) {
    // Steepness of the ink's edges: the steepest step between neighbouring
    // pixels (the 95th percentile over the ink box, so that a few grains do
    // not count) against the ink's contrast. The darkest tenth of the ink
    // stands for the strokes' darkness: the crop's darkest pixel is often
    // grain. A crisp edge falls from paper to stroke in a pixel or two; a
    // blur of sigma s pixels spreads it over about 2.5 s.
    std::vector<int> ink_values;
    for (int y = by0; y <= by1; ++y)
      for (int x = bx0; x <= bx1; ++x)
        if (mask[static_cast<size_t>(y) * w + x]) ink_values.push_back(crop.pixels[static_cast<size_t>(y) * w + x]);
    int stroke = dark;
    if (!ink_values.empty()) {
      std::nth_element(ink_values.begin(), ink_values.begin() + ink_values.size() / 10, ink_values.end());
      stroke = ink_values[ink_values.size() / 10];
    }
    // Steps where either pixel is inked (darker than paper by a quarter of
    // the contrast): the ink and its edges, not the paper's grain.
    const int range = std::max(1, paper - stroke);
    const int inked = paper - range / 4;
    std::vector<int> steps;
    for (int y = by0; y <= by1; ++y)
      for (int x = bx0; x <= bx1; ++x) {
        const int v = crop.pixels[static_cast<size_t>(y) * w + x];
        if (x + 1 < w) {
          const int right = crop.pixels[static_cast<size_t>(y) * w + x + 1];
          if (v < inked || right < inked) steps.push_back(std::abs(v - right));
        }
        if (y + 1 < h) {
          const int below = crop.pixels[static_cast<size_t>(y + 1) * w + x];
          if (v < inked || below < inked) steps.push_back(std::abs(v - below));
        }
      }
    if (!steps.empty()) {
      std::nth_element(steps.begin(), steps.begin() + steps.size() * 9 / 10, steps.end());
      cell.ink_edge_steepness = static_cast<double>(steps[steps.size() * 9 / 10]) / range;
    }
    if (debug::Cell()) std::fprintf(stderr, "cell edge steepness %.3f\n", cell.ink_edge_steepness);
  }
  if (options.sharpen_amount > 0) {
    Raster raster{w, h, page.dpi, crop.pixels, {}};
    crop.pixels = Sharpened(raster, options.sharpen_sigma_pt, options.sharpen_amount).pixels;
  }
  // Tight, padded, contrast-stretched crop.
  const int pad = std::max(6, static_cast<int>(0.8 * line_h));
  cell.pad_px = pad;
  for (auto& [first, last] : cell.line_rows) first += pad, last += pad;
  Gray& out = cell.gray;
  out.width = bx1 - bx0 + 1 + 2 * pad;
  out.height = by1 - by0 + 1 + 2 * pad;
  out.pixels.assign(static_cast<size_t>(out.width) * out.height, 255);
  const double range = std::max(1, paper - dark);
  // A blurred crop (one to be sharpened) keeps its ink's soft edge (a
  // margin of the cleaned crop around the ink box): cut at the threshold,
  // a blurred figure becomes a row of blocks with straight tops and
  // bottoms. A crisp crop is cut at its ink: the margin would let in a
  // neighbour's stroke, read as a digit ("21.45" for 1.15).
  const int margin = options.sharpen_amount > 0 ? 2 : 0;
  for (int y = std::max(0, by0 - margin); y <= std::min(h - 1, by1 + margin); ++y)
    for (int x = std::max(0, bx0 - margin); x <= std::min(w - 1, bx1 + margin); ++x) {
      int v = crop.pixels[static_cast<size_t>(y) * w + x];
      int s = static_cast<int>(std::lround((v - dark) * 255.0 / range));
      if (y - by0 + pad < 0 || y - by0 + pad >= out.height || x - bx0 + pad < 0 || x - bx0 + pad >= out.width) continue;
      out.pixels[static_cast<size_t>(y - by0 + pad) * out.width + (x - bx0 + pad)] =
          static_cast<uint8_t>(std::clamp(s, 0, 255));
    }
  cell.threshold = std::clamp(static_cast<int>(std::lround((threshold - dark) * 255.0 / range)), 1, 254);
  return cell;
}

Gray CellLine(const CellImage& cell, int index) {
  const auto [first, last] = cell.line_rows[index];
  const int pad = cell.pad_px, w = cell.gray.width;
  Gray out;
  out.width = w;
  out.height = last - first + 1 + 2 * pad;
  out.pixels.assign(static_cast<size_t>(out.width) * out.height, 255);
  for (int y = first; y <= last; ++y)
    std::copy_n(&cell.gray.pixels[static_cast<size_t>(y) * w], w, &out.pixels[static_cast<size_t>(y - first + pad) * w]);
  return out;
}

Gray BinarizeCell(const CellImage& cell) {
  Gray out = cell.gray;
  for (uint8_t& v : out.pixels) v = v < cell.threshold ? 0 : 255;
  return out;
}

}  // namespace juesuan
