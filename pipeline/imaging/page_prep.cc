#include "pipeline/imaging/page_prep.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "pipeline/core/debug_flags.h"

namespace juesuan {
namespace {

constexpr double kPi = 3.14159265358979323846;

cv::Mat WrapGray(const Raster& r) {
  return cv::Mat(r.height, r.width, CV_8UC1, const_cast<uint8_t*>(r.pixels.data()));
}

Raster ToRaster(const cv::Mat& m, double dpi) {
  Raster r;
  r.width = m.cols;
  r.height = m.rows;
  r.dpi = dpi;
  r.pixels.resize(static_cast<size_t>(m.cols) * m.rows);
  cv::Mat dst(m.rows, m.cols, CV_8UC1, r.pixels.data());
  m.copyTo(dst);
  return r;
}

// A coarse ink mask at roughly `target_dpi`, without long ruling lines when
// `drop_rules` is set. 255 = ink.
cv::Mat CoarseInk(const cv::Mat& gray, double dpi, double target_dpi, bool drop_rules) {
  cv::Mat small;
  double scale = std::min(1.0, target_dpi / dpi);
  if (scale < 1.0) {
    cv::resize(gray, small, cv::Size(), scale, scale, cv::INTER_AREA);
  } else {
    small = gray;
  }
  cv::Mat ink;
  cv::threshold(small, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  if (drop_rules) {
    // Rules are runs much longer than any glyph: ~ 1 inch.
    int len = std::max(15, static_cast<int>(target_dpi * 0.6));
    cv::Mat h, v;
    cv::morphologyEx(ink, h, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {len, 1}));
    cv::morphologyEx(ink, v, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {1, len}));
    ink.setTo(0, h | v);
  }
  return ink;
}

// Sharpness of a projection: sum of squared bin counts.
double ProfileScore(const std::vector<cv::Point>& pts, double angle_deg, int bins, double offset) {
  double t = std::tan(angle_deg * kPi / 180.0);
  std::vector<int> hist(bins, 0);
  for (const cv::Point& p : pts) {
    int b = static_cast<int>(std::lround(p.y - p.x * t + offset));
    if (b >= 0 && b < bins) ++hist[b];
  }
  double s = 0;
  for (int c : hist) s += static_cast<double>(c) * c;
  return s;
}

// Composes "rotate source clockwise by `rotation`" into prepared->source maps.
// Returns the affine taking rotated pixels to source pixels.
std::array<double, 6> RotationToSource(int rotation, int src_w, int src_h) {
  switch (rotation) {
    case 90:  // rotated (x, y) came from source (y, src_h - 1 - x)
      return {0, 1, 0, -1, 0, static_cast<double>(src_h - 1)};
    case 180:
      return {-1, 0, static_cast<double>(src_w - 1), 0, -1, static_cast<double>(src_h - 1)};
    case 270:  // rotated (x, y) came from source (src_w - 1 - y, x)
      return {0, -1, static_cast<double>(src_w - 1), 1, 0, 0};
    default:
      return {1, 0, 0, 0, 1, 0};
  }
}

// a ∘ b: first b, then a.
std::array<double, 6> Compose(const std::array<double, 6>& a, const std::array<double, 6>& b) {
  return {a[0] * b[0] + a[1] * b[3], a[0] * b[1] + a[1] * b[4], a[0] * b[2] + a[1] * b[5] + a[2],
          a[3] * b[0] + a[4] * b[3], a[3] * b[1] + a[4] * b[4], a[3] * b[2] + a[4] * b[5] + a[5]};
}

std::array<double, 6> Invert(const std::array<double, 6>& m) {
  double det = m[0] * m[4] - m[1] * m[3];
  double i0 = m[4] / det, i1 = -m[1] / det, i3 = -m[3] / det, i4 = m[0] / det;
  return {i0, i1, -(i0 * m[2] + i1 * m[5]), i3, i4, -(i3 * m[2] + i4 * m[5])};
}

Box MapBox(const std::array<double, 6>& m, const Box& b) {
  double xs[4] = {b.x0, b.x1, b.x0, b.x1}, ys[4] = {b.y0, b.y0, b.y1, b.y1};
  Box out{1e300, 1e300, -1e300, -1e300};
  for (int i = 0; i < 4; ++i) {
    double x = m[0] * xs[i] + m[1] * ys[i] + m[2];
    double y = m[3] * xs[i] + m[4] * ys[i] + m[5];
    out.x0 = std::min(out.x0, x);
    out.y0 = std::min(out.y0, y);
    out.x1 = std::max(out.x1, x);
    out.y1 = std::max(out.y1, y);
  }
  return out;
}

Box Scale(const Box& b, double s) { return {b.x0 * s, b.y0 * s, b.x1 * s, b.y1 * s}; }

// Pixels per grey level.
std::vector<long> Histogram(const std::vector<uint8_t>& pixels) {
  std::vector<long> hist(256, 0);
  for (uint8_t v : pixels) ++hist[v];
  return hist;
}

// The level at which more than fraction `f` of the counted pixels are reached.
int Percentile(const std::vector<long>& hist, double f) {
  long total = 0;
  for (long count : hist) total += count;
  const long want = static_cast<long>(f * total);
  long seen = 0;
  for (int v = 0; v < 256; ++v) {
    seen += hist[v];
    if (seen > want) return v;
  }
  return 255;
}

}  // namespace

std::vector<uint8_t> SuppressSeals(const Raster& page, int red_margin) {
  std::vector<uint8_t> out = page.pixels;
  if (page.rgb.empty()) return out;
  const int w = page.width, h = page.height;
  const size_t n = out.size();
  const int margin = std::max(1, red_margin);
  // Where a seal is, the page is read through a red filter, as a scanner
  // drops red stamps: red ink reflects red and vanishes from the red
  // channel, while black strokes under it stay dark there. Seal pixels are
  // those clearly redder than green and blue, and their neighbours (JPEG
  // keeps colour at half resolution, so a seal's edges look less red).
  cv::Mat seal(h, w, CV_8UC1, cv::Scalar(0));
  std::vector<long> red_hist(256, 0), gray_hist(256, 0);
  for (size_t i = 0; i < n; ++i) {
    const int r = page.rgb[3 * i], g = page.rgb[3 * i + 1], b = page.rgb[3 * i + 2];
    if (r - std::max(g, b) > margin / 2) seal.data[i] = 255;
    ++red_hist[r];
    ++gray_hist[page.pixels[i]];
  }
  const int paper_red = Percentile(red_hist, 0.6), paper = Percentile(gray_hist, 0.6);
  const int reach = std::max(1, static_cast<int>(std::lround(0.7 * page.dpi / 72.0)));
  cv::dilate(seal, seal, cv::getStructuringElement(cv::MORPH_RECT, {2 * reach + 1, 2 * reach + 1}));
  for (size_t i = 0; i < n; ++i) {
    if (!seal.data[i]) continue;
    const int r = page.rgb[3 * i];
    // Seal ink alone leaves the red channel near the paper's (its mottled
    // ink a little darker): paper. Anything darker is a stroke under it.
    out[i] = static_cast<uint8_t>(r >= paper_red - 40 ? std::max<int>(paper, out[i]) : std::max<int>(r, out[i]));
  }
  return out;
}

namespace {

// The angle whose projection of `pts` is sharpest, searched coarse then fine.
double SharpestAngle(std::vector<cv::Point> pts, int cols, int rows, double max_degrees, double step_degrees) {
  if (pts.size() > 400000) {
    // Subsample evenly: the profile shape survives.
    size_t stride = pts.size() / 400000 + 1;
    std::vector<cv::Point> sub;
    for (size_t i = 0; i < pts.size(); i += stride) sub.push_back(pts[i]);
    pts.swap(sub);
  }
  double max_shift = cols * std::tan(max_degrees * kPi / 180.0);
  int bins = rows + 2 * static_cast<int>(std::ceil(max_shift)) + 2;
  double offset = std::ceil(max_shift) + 1;
  double best = 0, best_score = -1;
  double coarse = std::max(step_degrees, 0.25);
  for (double a = -max_degrees; a <= max_degrees + 1e-9; a += coarse) {
    double s = ProfileScore(pts, a, bins, offset);
    if (s > best_score) best_score = s, best = a;
  }
  double center = best;
  for (double a = center - coarse; a <= center + coarse + 1e-9; a += step_degrees) {
    double s = ProfileScore(pts, a, bins, offset);
    if (s > best_score) best_score = s, best = a;
  }
  return best;
}

}  // namespace

double MeasureSkew(const Raster& gray, double max_degrees, double step_degrees) {
  constexpr double kDpi = 100.0;
  cv::Mat ink = CoarseInk(WrapGray(gray), gray.dpi, kDpi, false);
  // Horizontal rules: a few rows of vertical smear turn a sloped hairline
  // into runs longer than any glyph (at 5 degrees a 3-row band holds runs of
  // ~34 px), then an opening keeps runs of a quarter inch.
  cv::Mat smeared, rules;
  cv::dilate(ink, smeared, cv::getStructuringElement(cv::MORPH_RECT, {1, 3}));
  cv::morphologyEx(smeared, rules, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {static_cast<int>(0.25 * kDpi), 1}));
  rules &= ink;
  std::vector<cv::Point> pts;
  cv::findNonZero(rules, pts);
  // Three page-wide rules' worth: a table. Fewer: text pages, use all ink.
  if (pts.size() >= static_cast<size_t>(3 * 4 * kDpi)) {
    return SharpestAngle(std::move(pts), ink.cols, ink.rows, max_degrees, step_degrees);
  }
  pts.clear();
  cv::findNonZero(ink, pts);
  if (pts.size() < 50) return 0;
  // Positive: y grows with x along a line, i.e. clockwise on screen.
  return SharpestAngle(std::move(pts), ink.cols, ink.rows, max_degrees, step_degrees);
}

// The page's ink: pixels darker than `depth` of the way from the paper
// (the median) to the darkest ink (0.3rd percentile), as a 0/255 mask; no
// mask on a page without ink that stands out (a blank page, a flat grey).
struct PageInk {
  int paper = 255;
  cv::Mat mask;
};
std::optional<PageInk> FindPageInk(const Raster& gray, double depth) {
  if (gray.width <= 0 || gray.height <= 0) return std::nullopt;
  const std::vector<long> hist = Histogram(gray.pixels);
  const int paper = Percentile(hist, 0.5), dark = Percentile(hist, 0.003);
  if (paper - dark < 40) return std::nullopt;
  PageInk ink{paper, {}};
  cv::threshold(WrapGray(gray), ink.mask, paper - depth * (paper - dark), 255, cv::THRESH_BINARY_INV);
  return ink;
}

void StretchContrast(Raster& gray) {
  const std::vector<long> hist = Histogram(gray.pixels);
  const int dark = Percentile(hist, 0.003), paper = Percentile(hist, 0.5);
  if (paper - dark < 30) return;
  uint8_t map[256];
  for (int v = 0; v < 256; ++v)
    map[v] = static_cast<uint8_t>(std::clamp<long>(std::lround((v - dark) * 245.0 / (paper - dark)), 0, 255));
  for (uint8_t& v : gray.pixels) v = map[v];
}

int Despeckle(Raster& gray, double speck_max_pt, double gap_pt) {
  const int w = gray.width, h = gray.height;
  if (w <= 0 || h <= 0) return 0;
  const double px_per_pt = gray.dpi / 72.0;
  cv::Mat g = WrapGray(gray);
  // Ink: well below the paper, relative to the page's own range (greyed
  // scans print ink at 60 and paper at 200).
  const std::vector<long> hist = Histogram(gray.pixels);
  const int paper = Percentile(hist, 0.6), dark = Percentile(hist, 0.002);
  if (paper - dark < 40) return 0;
  const int threshold = paper - std::max(25, static_cast<int>(0.35 * (paper - dark)));
  cv::Mat ink;
  cv::threshold(g, ink, threshold, 255, cv::THRESH_BINARY_INV);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  const int max_side = std::max(2, static_cast<int>(std::lround(speck_max_pt * px_per_pt)));
  const int gap = std::max(2, static_cast<int>(std::lround(gap_pt * px_per_pt)));
  const int halo = std::max(1, static_cast<int>(std::lround(0.3 * px_per_pt)));  // blur around the blot
  const int side_reach = static_cast<int>(std::lround(6.0 * px_per_pt));
  const int reach_up = static_cast<int>(std::lround(5.0 * px_per_pt));
  int removed = 0;
  for (int i = 1; i < n; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    const int cw = stats.at<int>(i, cv::CC_STAT_WIDTH), ch = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (cw > max_side || ch > max_side) continue;
    const int x0 = std::max(0, x - gap), y0 = std::max(0, y - gap);
    const int x1 = std::min(w, x + cw + gap), y1 = std::min(h, y + ch + gap);
    bool alone = true;
    for (int yy = y0; yy < y1 && alone; ++yy) {
      const int* l = labels.ptr<int>(yy);
      for (int xx = x0; xx < x1; ++xx) {
        if (l[xx] != 0 && l[xx] != i) {
          alone = false;
          break;
        }
      }
    }
    if (!alone) continue;
    // A decimal point or a comma stands on the baseline between two digits,
    // which may be further away than the gap in a wide font (and the foot
    // of a 7 or 4 further still): ink on both sides at its height, within
    // a wide digit's advance at body sizes, keeps it.
    auto ink_between = [&](int from, int to) {
      const int top = std::max(0, y + ch - reach_up), bottom = std::min(h, y + ch);
      for (int yy = top; yy < bottom; ++yy) {
        const int* l = labels.ptr<int>(yy);
        for (int xx = std::max(0, from); xx < std::min(w, to); ++xx)
          if (l[xx] != 0 && l[xx] != i) return true;
      }
      return false;
    };
    if (ink_between(x - side_reach, x) && ink_between(x + cw, x + cw + side_reach)) continue;
    if (debug::Speck()) std::fprintf(stderr, "speck %d,%d %dx%d\n", x, y, cw, ch);
    ++removed;
    const int px0 = std::max(0, x - halo), py0 = std::max(0, y - halo);
    const int px1 = std::min(w, x + cw + halo), py1 = std::min(h, y + ch + halo);
    for (int yy = py0; yy < py1; ++yy) {
      uint8_t* row = &gray.pixels[static_cast<size_t>(yy) * w];
      for (int xx = px0; xx < px1; ++xx) row[xx] = static_cast<uint8_t>(std::max<int>(row[xx], paper));
    }
  }
  return removed;
}

int MeasureLineDirection(const Raster& gray) {
  cv::Mat ink = CoarseInk(WrapGray(gray), gray.dpi, 100.0, true);
  // Glyph size: median height of glyph-sized blobs (CJK glyphs are square,
  // so this does not depend on the direction).
  cv::Mat labels, stats, centroids;
  int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  std::vector<int> sizes;
  for (int i = 1; i < n; ++i) {
    int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (std::max(w, h) >= 4 && std::max(w, h) <= 60) sizes.push_back(std::max(w, h));
  }
  if (sizes.size() < 20) return 0;
  std::nth_element(sizes.begin(), sizes.begin() + sizes.size() / 2, sizes.end());
  int em = sizes[sizes.size() / 2];
  int k = std::max(3, static_cast<int>(std::lround(0.8 * em)));
  // Glyphs of a line sit closer than lines do: smearing along the lines
  // joins them into long blobs, smearing across them does not. Measure the
  // total elongation each way.
  auto elongation = [&](bool along_x) {
    cv::Mat smeared;
    cv::Size size = along_x ? cv::Size(k, 1) : cv::Size(1, k);
    cv::morphologyEx(ink, smeared, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, size));
    cv::Mat l, st, c;
    int m = cv::connectedComponentsWithStats(smeared, l, st, c, 8, CV_32S);
    double total = 0;
    for (int i = 1; i < m; ++i) {
      double w = st.at<int>(i, cv::CC_STAT_WIDTH), h = st.at<int>(i, cv::CC_STAT_HEIGHT);
      double along = along_x ? w : h, across = along_x ? h : w;
      if (across > 3 * em) continue;  // blocks, not lines
      if (along > across) total += along - across;
    }
    return total;
  };
  double horizontal = elongation(true), vertical = elongation(false);
  return vertical > 1.5 * horizontal ? 90 : 0;
}

Raster Binarize(const Raster& gray, double window_pt, double k) {
  cv::Mat g = WrapGray(gray);
  int win = std::max(9, static_cast<int>(window_pt * gray.dpi / 72.0) | 1);
  cv::Mat f;
  g.convertTo(f, CV_32F);
  cv::Mat mean, sq;
  cv::boxFilter(f, mean, CV_32F, {win, win}, {-1, -1}, true, cv::BORDER_REPLICATE);
  cv::sqrBoxFilter(f, sq, CV_32F, {win, win}, {-1, -1}, true, cv::BORDER_REPLICATE);
  cv::Mat out(g.size(), CV_8UC1);
  const float kr = 128.0f;
  for (int y = 0; y < g.rows; ++y) {
    const uint8_t* gp = g.ptr<uint8_t>(y);
    const float* mp = mean.ptr<float>(y);
    const float* sp = sq.ptr<float>(y);
    uint8_t* op = out.ptr<uint8_t>(y);
    for (int x = 0; x < g.cols; ++x) {
      float m = mp[x];
      float sd = std::sqrt(std::max(0.0f, sp[x] - m * m));
      float t = m * (1.0f + static_cast<float>(k) * (sd / kr - 1.0f));
      op[x] = gp[x] <= t ? 0 : 255;
    }
  }
  return ToRaster(out, gray.dpi);
}

std::vector<Box> InkBlobBoxes(const Raster& gray) {
  std::vector<Box> out;
  std::optional<PageInk> page_ink = FindPageInk(gray, 0.45);
  if (!page_ink) return out;
  cv::Mat& ink = page_ink->mask;
  const double px_per_pt = gray.dpi / 72.0;
  // Rules: runs of a third of an inch either way.
  const int len = std::max(8, static_cast<int>(24 * px_per_pt));
  cv::Mat hr, vr;
  cv::morphologyEx(ink, hr, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {len, 1}));
  cv::morphologyEx(ink, vr, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {1, len}));
  ink.setTo(0, hr | vr);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  const int min_side = std::max(2, static_cast<int>(std::lround(1.0 * px_per_pt)));
  const int max_side = static_cast<int>(40 * px_per_pt);
  for (int i = 1; i < n; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    const int cw = stats.at<int>(i, cv::CC_STAT_WIDTH), ch = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (std::max(cw, ch) < min_side || std::max(cw, ch) > max_side) continue;
    out.push_back({x / px_per_pt, y / px_per_pt, (x + cw) / px_per_pt, (y + ch) / px_per_pt});
  }
  return out;
}

std::vector<Box> InkWordsIn(const Raster& gray, const Box& box) {
  std::vector<Box> words;
  const double px_per_pt = gray.dpi / 72.0;
  // The components are found in the box grown by half its height, so that
  // a glyph the box cuts is whole; those centred outside it are dropped.
  const double grow = box.height() / 2;
  const int x0 = std::clamp(static_cast<int>((box.x0 - grow) * px_per_pt), 0, gray.width);
  const int x1 = std::clamp(static_cast<int>(std::ceil((box.x1 + grow) * px_per_pt)), 0, gray.width);
  const int y0 = std::clamp(static_cast<int>((box.y0 - grow) * px_per_pt), 0, gray.height);
  const int y1 = std::clamp(static_cast<int>(std::ceil((box.y1 + grow) * px_per_pt)), 0, gray.height);
  if (x1 - x0 < 4 || y1 - y0 < 4) return words;
  cv::Mat crop(y1 - y0, x1 - x0, CV_8UC1);
  for (int y = y0; y < y1; ++y)
    std::copy_n(&gray.pixels[static_cast<size_t>(y) * gray.width + x0], x1 - x0, crop.ptr<uint8_t>(y - y0));
  double lo = 0, hi = 0;
  cv::minMaxLoc(crop, &lo, &hi);
  if (hi - lo < 64) return words;  // no ink to speak of
  cv::Mat ink;
  cv::threshold(crop, ink, (lo + hi) / 2, 255, cv::THRESH_BINARY_INV);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  const double min_side_px = std::max(2.0, 1.0 * px_per_pt);  // grain
  std::vector<Box> parts;
  for (int i = 1; i < n; ++i) {
    const int cw = stats.at<int>(i, cv::CC_STAT_WIDTH), ch = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (std::max(cw, ch) < min_side_px) continue;
    const double px = x0 + stats.at<int>(i, cv::CC_STAT_LEFT), py = y0 + stats.at<int>(i, cv::CC_STAT_TOP);
    const Box part{px / px_per_pt, py / px_per_pt, (px + cw) / px_per_pt, (py + ch) / px_per_pt};
    if (box.Contains(part.cx(), part.cy())) parts.push_back(part);
  }
  std::sort(parts.begin(), parts.end(), [](const Box& a, const Box& b) { return a.x0 < b.x0; });
  for (const Box& part : parts) {
    Box* home = nullptr;
    double best = 0.5;
    for (Box& word : words) {
      const double em = std::max(word.height(), part.height());
      if (part.x0 - word.x1 > em) continue;
      const double shared = part.OverlapY(word) / std::max(1e-9, std::min(word.height(), part.height()));
      if (shared >= best) best = shared, home = &word;
    }
    if (home) {
      *home = home->Union(part);
    } else {
      words.push_back(part);
    }
  }
  // A glyph's strokes met apart (二's two) are joined by the glyphs beside
  // them: words grown into one another's line become one.
  for (bool joined = true; joined;) {
    joined = false;
    for (size_t a = 0; a < words.size() && !joined; ++a)
      for (size_t b = a + 1; b < words.size() && !joined; ++b) {
        const Box &p = words[a], &q = words[b];
        const double gap = std::max(p.x0, q.x0) - std::min(p.x1, q.x1);
        if (gap > std::max(p.height(), q.height()) ||
            p.OverlapY(q) < 0.5 * std::min(p.height(), q.height()))
          continue;
        words[a] = p.Union(q);
        words.erase(words.begin() + static_cast<long>(b));
        joined = true;
      }
  }
  return words;
}

std::vector<Box> FindTextRuns(const Raster& gray) {
  const int w = gray.width, h = gray.height;
  std::vector<int> hist(256, 0);
  for (uint8_t v : gray.pixels) ++hist[v];
  int paper = 255;
  for (long seen = 0, want = static_cast<long>(0.9 * gray.pixels.size()), v = 0; v < 256; ++v) {
    seen += hist[v];
    if (seen > want) {
      paper = static_cast<int>(v);
      break;
    }
  }
  const int threshold = paper - 60;  // well below paper grain and JPEG noise
  const double pt_per_px = gray.PointsPerPixel(), px_per_pt = 1 / pt_per_px;
  cv::Mat mask(h, w, CV_8UC1);
  for (int y = 0; y < h; ++y) {
    const uint8_t* g = &gray.pixels[static_cast<size_t>(y) * w];
    uint8_t* m = mask.ptr<uint8_t>(y);
    for (int x = 0; x < w; ++x) m[x] = g[x] < threshold ? 255 : 0;
  }
  // Runs longer than half an inch are rules, frames or the shadow at a
  // scanned page's edge, never text: without them every row would look inked.
  const int long_run = static_cast<int>(36 * px_per_pt);
  cv::Mat keep = mask.clone();
  for (int y = 0; y < h; ++y) {
    const uint8_t* m = mask.ptr<uint8_t>(y);
    uint8_t* k = keep.ptr<uint8_t>(y);
    for (int x = 0, run = 0; x <= w; ++x) {
      if (x < w && m[x]) {
        ++run;
        continue;
      }
      if (run >= long_run) std::fill_n(k + x - run, run, 0);
      run = 0;
    }
  }
  for (int x = 0; x < w; ++x)
    for (int y = 0, run = 0; y <= h; ++y) {
      if (y < h && mask.at<uint8_t>(y, x)) {
        ++run;
        continue;
      }
      if (run >= long_run)
        for (int k = y - run; k < y; ++k) keep.at<uint8_t>(k, x) = 0;
      run = 0;
    }
  // Scan grain leaves a few dark pixels on nearly every row of a blank
  // area; counted as ink they join captions, blank paper and the next
  // caption into one band too tall to be text. Glyph strokes (even 、 and
  // 一) span more than a point and a half; grain does not.
  {
    cv::Mat labels, stats, centroids;
    const int n = cv::connectedComponentsWithStats(keep, labels, stats, centroids, 8, CV_32S);
    const int min_side = std::max(2, static_cast<int>(std::lround(1.5 * px_per_pt)));
    std::vector<uint8_t> speck(n, 0);
    for (int i = 1; i < n; ++i)
      speck[i] = std::max(stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT)) <
                 min_side;
    for (int y = 0; y < h; ++y) {
      const int* l = labels.ptr<int>(y);
      uint8_t* k = keep.ptr<uint8_t>(y);
      for (int x = 0; x < w; ++x)
        if (speck[l[x]]) k[x] = 0;
    }
  }
  // Dust left after that comes alone or in twos and threes; glyphs come in
  // lines. Ink within 3 points of other ink forms one cluster; a cluster
  // less than 4 points tall (a glyph of the smallest caption is taller) is
  // not text.
  {
    const int reach = std::max(3, static_cast<int>(std::lround(3 * px_per_pt)));
    cv::Mat grown, labels, stats, centroids;
    cv::dilate(keep, grown, cv::getStructuringElement(cv::MORPH_RECT, {reach, reach}));
    const int n = cv::connectedComponentsWithStats(grown, labels, stats, centroids, 8, CV_32S);
    const int min_height = static_cast<int>(std::lround(4 * px_per_pt)) + reach - 1;
    std::vector<uint8_t> dust(n, 0);
    for (int i = 1; i < n; ++i) dust[i] = stats.at<int>(i, cv::CC_STAT_HEIGHT) < min_height;
    for (int y = 0; y < h; ++y) {
      const int* l = labels.ptr<int>(y);
      uint8_t* k = keep.ptr<uint8_t>(y);
      for (int x = 0; x < w; ++x)
        if (k[x] && dust[l[x]]) k[x] = 0;
    }
  }
  auto ink = [&](int x, int y) { return keep.at<uint8_t>(y, x) != 0; };
  std::vector<int> rows(h, 0);
  for (int y = 0; y < h; ++y) rows[y] = cv::countNonZero(keep.row(y));
  const int max_gap = static_cast<int>(1.5 * px_per_pt);  // inside a glyph (二, 三)
  const int max_band = static_cast<int>(40 * px_per_pt);
  // Bands of rows with at least `min_ink` inked pixels, between y0 and y1.
  auto bands_of = [&](int from, int to, int min_ink) {
    std::vector<std::pair<int, int>> found;
    for (int y = from; y < to;) {
      if (rows[y] < min_ink) {
        ++y;
        continue;
      }
      int y0 = y, last = y;
      while (y < to && (rows[y] >= min_ink || y - last <= max_gap)) {
        if (rows[y] >= min_ink) last = y;
        ++y;
      }
      found.push_back({y0, last + 1});
    }
    return found;
  };
  // Dust that survives the filters above (a heavily speckled scan) bridges
  // the gaps between lines, and a whole table becomes one band too tall to
  // be text. Such a band is cut again where its rows hold little ink next to
  // its text rows: the leading between lines is dust at most.
  std::vector<std::pair<int, int>> bands;
  for (auto band : bands_of(0, h, 2)) {
    if (band.second - band.first <= max_band) {
      bands.push_back(band);
      continue;
    }
    std::vector<int> inked(rows.begin() + band.first, rows.begin() + band.second);
    std::sort(inked.begin(), inked.end());
    const int text_row = inked[inked.size() * 3 / 4];
    for (auto part : bands_of(band.first, band.second, std::max(3, text_row / 8))) bands.push_back(part);
  }
  std::vector<Box> out;
  for (const auto& [y0, y1] : bands) {
    const int band = y1 - y0;
    if (band < 4 * px_per_pt || band > max_band) continue;  // specks, pictures
    std::vector<int> cols(w, 0);
    for (int x = 0; x < w; ++x)
      for (int yy = y0; yy < y1; ++yy) cols[x] += ink(x, yy);
    const int split = 2 * band;
    for (int x = 0; x < w;) {
      if (cols[x] == 0) {
        ++x;
        continue;
      }
      int x0 = x, end = x;
      while (x < w && (cols[x] > 0 || x - end <= split)) {
        if (cols[x] > 0) end = x;
        ++x;
      }
      const int x1 = end + 1;
      if (x1 - x0 < band / 2) continue;  // a speck
      const double pad = 2;  // points of paper around the run
      out.push_back({x0 * pt_per_px - pad, y0 * pt_per_px - pad, x1 * pt_per_px + pad,
                     y1 * pt_per_px + pad});
    }
  }
  return out;
}

Raster Sharpened(const Raster& gray, double sigma_pt, double amount) {
  Raster out = gray;
  cv::Mat in(gray.height, gray.width, CV_8UC1, const_cast<uint8_t*>(gray.pixels.data()));
  cv::Mat blurred;
  cv::GaussianBlur(in, blurred, cv::Size(0, 0), sigma_pt * gray.dpi / 72.0);
  cv::Mat result;
  cv::addWeighted(in, 1.0 + amount, blurred, -amount, 0.0, result);
  std::copy(result.datastart, result.dataend, out.pixels.begin());
  return out;
}

Raster RemoveSpecks(const Raster& gray) {
  // The blur's rim counts with its blot: a faint ring left of a speck reads
  // as 'o'.
  std::optional<PageInk> page_ink = FindPageInk(gray, 0.25);
  if (!page_ink) return gray;
  const int paper = page_ink->paper;
  const cv::Mat& ink = page_ink->mask;
  const double px_per_pt = gray.dpi / 72.0;
  const int max_side = std::max(2, static_cast<int>(std::lround(1.5 * px_per_pt)));
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  std::vector<uint8_t> small(n, 0);
  cv::Mat large = ink.clone();
  for (int i = 1; i < n; ++i)
    small[i] = std::max(stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT)) < max_side;
  for (int y = 0; y < ink.rows; ++y) {
    const int* l = labels.ptr<int>(y);
    uint8_t* g = large.ptr<uint8_t>(y);
    for (int x = 0; x < ink.cols; ++x)
      if (small[l[x]]) g[x] = 0;
  }
  const int reach = 2 * max_side + 1;
  cv::dilate(large, large, cv::getStructuringElement(cv::MORPH_RECT, {reach, reach}));
  std::vector<uint8_t> dust(n, 0);
  for (int i = 1; i < n; ++i) {
    if (!small[i]) continue;
    const cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                       stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    dust[i] = cv::countNonZero(large(box)) == 0;
  }
  Raster out = gray;
  for (int y = 0; y < ink.rows; ++y) {
    const int* l = labels.ptr<int>(y);
    uint8_t* o = &out.pixels[static_cast<size_t>(y) * out.width];
    for (int x = 0; x < ink.cols; ++x)
      if (dust[l[x]]) o[x] = static_cast<uint8_t>(paper);
  }
  return out;
}

Raster WithoutHorizontalRules(const Raster& gray, double min_length_pt) {
  // The rule's grey fringe (blur) goes with it: a low threshold.
  std::optional<PageInk> page_ink = FindPageInk(gray, 0.25);
  if (!page_ink) return gray;
  const int paper = page_ink->paper;
  const cv::Mat& ink = page_ink->mask;
  const int length = std::max(8, static_cast<int>(std::lround(min_length_pt * gray.dpi / 72.0)));
  cv::Mat rules;
  cv::morphologyEx(ink, rules, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {length, 1}));
  cv::dilate(rules, rules, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  Raster out = gray;
  cv::Mat wrapped(out.height, out.width, CV_8U, out.pixels.data());
  wrapped.setTo(paper, rules);
  return out;
}

Result<PreparedPage> PreparePage(const Raster& page, const PrepareOptions& options) {
  const size_t n = static_cast<size_t>(page.width) * page.height;
  if (page.width <= 0 || page.height <= 0 || page.dpi <= 0 || page.pixels.size() != n ||
      (!page.rgb.empty() && page.rgb.size() != 3 * n)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "PreparePage: inconsistent raster " + std::to_string(page.width) + "x" +
                         std::to_string(page.height) + " at " + std::to_string(page.dpi) +
                         " dpi with " + std::to_string(page.pixels.size()) + " gray and " +
                         std::to_string(page.rgb.size()) + " rgb bytes");
  }
  try {
    PreparedPage out;
    out.source_width = page.width;
    out.source_height = page.height;

    Raster clean;
    clean.width = page.width;
    clean.height = page.height;
    clean.dpi = page.dpi;
    clean.pixels = options.seals == SealMode::kSuppress
                       ? SuppressSeals(page, options.seal_red_margin)
                       : page.pixels;

    // Coarse rotation: line direction from the ink; upside down or not is
    // asked below, of the deskewed page (a skewed page's text runs slant
    // into each other and read poorly either way up).
    int rotation = 0;
    cv::Mat upright = WrapGray(clean).clone();
    if (options.rotation == RotationMode::kDetect) {
      rotation = MeasureLineDirection(clean);
      if (rotation == 90) cv::rotate(upright, upright, cv::ROTATE_90_CLOCKWISE);
    } else if (options.rotation == RotationMode::kGiven) {
      rotation = ((options.given_rotation % 360) + 360) % 360 / 90 * 90;
      if (rotation == 90) cv::rotate(upright, upright, cv::ROTATE_90_CLOCKWISE);
      if (rotation == 180) cv::rotate(upright, upright, cv::ROTATE_180);
      if (rotation == 270) cv::rotate(upright, upright, cv::ROTATE_90_COUNTERCLOCKWISE);
    }
    std::array<double, 6> to_source = RotationToSource(rotation, page.width, page.height);

    // Deskew. The skew of a page upside down is the same angle, and turning
    // by 180 degrees commutes with it, so a page prepared again with its
    // final rotation and this skew lands on the same pixels.
    Raster upright_raster = ToRaster(upright, page.dpi);
    out.skew_degrees = options.given_skew_degrees.value_or(0.0);
    if (!options.given_skew_degrees) {
      out.skew_degrees = MeasureSkew(upright_raster, options.max_skew_degrees, options.skew_step_degrees);
    }
    if (std::abs(out.skew_degrees) >= options.min_correction_degrees) {
      cv::Point2f center(upright.cols / 2.0f, upright.rows / 2.0f);
      // Undo a clockwise skew by turning counter-clockwise (positive angle).
      cv::Mat m = cv::getRotationMatrix2D(center, out.skew_degrees, 1.0);
      cv::Mat deskewed;
      cv::warpAffine(upright, deskewed, m, upright.size(), cv::INTER_LINEAR,
                     cv::BORDER_CONSTANT, cv::Scalar(255));
      // m maps upright -> prepared; prepared -> upright is its inverse.
      std::array<double, 6> fwd{m.at<double>(0, 0), m.at<double>(0, 1), m.at<double>(0, 2),
                                m.at<double>(1, 0), m.at<double>(1, 1), m.at<double>(1, 2)};
      to_source = Compose(to_source, Invert(fwd));
      out.skew_corrected = true;
      out.gray = ToRaster(deskewed, page.dpi);
    } else {
      out.gray = std::move(upright_raster);
    }
    if (options.stretch_contrast && !std::getenv("JUESUAN_NO_STRETCH")) StretchContrast(out.gray);
    if (options.despeckle && !std::getenv("JUESUAN_NO_DESPECKLE")) Despeckle(out.gray, options.speck_max_pt, options.despeckle_gap_pt);
    if (options.rotation == RotationMode::kDetect && options.upside_down_probe &&
        options.upside_down_probe(out.gray).value_or(false)) {
      std::reverse(out.gray.pixels.begin(), out.gray.pixels.end());  // 180 degrees
      const double w1 = out.gray.width - 1.0, h1 = out.gray.height - 1.0;
      to_source = Compose(to_source, {-1, 0, w1, 0, -1, h1});
      rotation += 180;
    }
    out.rotation = rotation;
    out.to_source = to_source;
    if (options.binarize) out.binary = Binarize(out.gray, options.binarize_window_pt, options.sauvola_k);
    return out;
  } catch (const cv::Exception& e) {
    return MakeError(ErrorCode::kEngine, std::string("PreparePage: OpenCV: ") + e.what());
  }
}

Box PreparedPixelsToUprightPoints(const PreparedPage& page, const Box& prepared_px) {
  return Scale(prepared_px, 72.0 / page.gray.dpi);
}

Box UprightPointsToPreparedPixels(const PreparedPage& page, const Box& upright_pt) {
  return Scale(upright_pt, page.gray.dpi / 72.0);
}

Box UprightPointsToSourcePoints(const PreparedPage& page, const Box& upright_pt) {
  Box px = UprightPointsToPreparedPixels(page, upright_pt);
  return Scale(MapBox(page.to_source, px), 72.0 / page.gray.dpi);
}

Box SourcePointsToUprightPoints(const PreparedPage& page, const Box& source_pt) {
  Box px = Scale(source_pt, page.gray.dpi / 72.0);
  return PreparedPixelsToUprightPoints(page, MapBox(Invert(page.to_source), px));
}

}  // namespace juesuan
