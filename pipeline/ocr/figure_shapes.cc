#include "pipeline/ocr/figure_shapes.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "pipeline/ocr/cell_image.h"

namespace juesuan {
namespace {

constexpr int kWindowW = 10, kWindowH = 14;
// A digit's window is this share of the line height wide (digits are set
// on an advance of about 0.7 digit heights).
constexpr double kWindowWidth = 0.75;
// A glyph is taken for another digit of the page only when it looks like
// that digit closely (cosine similarity) and clearly more than like the
// digit read: a window cut off the glyph's centre (a faint stroke, a touching
// neighbour) looks like nothing much, and says nothing.
constexpr float kCloseMatch = 0.85f;
constexpr float kMargin = 0.08f;
// Ink narrower than this share of a digit advance is no digit (a rule's
// remnant, a speck).
constexpr double kThinnestDigit = 0.25;
// A run of ink is counted as k digits only when its width is within this
// many advances of k; in between it may hold either.
constexpr double kCountSlack = 0.35;

struct Cut {
  CellImage cell;
  int top = 0, bottom = 0;                  // the line's rows in cell.gray
  std::vector<std::pair<int, int>> runs;    // inked column runs (x0, x1 inclusive)
};

std::string DigitsOf(const std::string& reading) {
  std::string out;
  for (char c : reading)
    if (c >= '0' && c <= '9') out += c;
  return out;
}

// Only plain amounts are checked: digits, commas, one point.
bool Checkable(const std::string& reading) {
  if (reading.empty()) return false;
  for (char c : reading)
    if (!((c >= '0' && c <= '9') || c == '.' || c == ',')) return false;
  return !DigitsOf(reading).empty();
}

// The cell's one line of ink, with the runs of columns inked in the upper
// half of the line: digits reach there, points and commas do not.
std::optional<Cut> CutCell(const Raster& prepared, const Box& box) {
  Cut cut;
  cut.cell = ExtractCell(prepared, box, CellImageOptions{});
  if (cut.cell.empty || cut.cell.lines != 1) return std::nullopt;
  const Gray binary = BinarizeCell(cut.cell);
  cut.top = cut.cell.line_rows[0].first;
  cut.bottom = cut.cell.line_rows[0].second;
  const int height = cut.bottom - cut.top + 1;
  if (height < 8) return std::nullopt;
  const int band_end = cut.top + static_cast<int>(0.55 * height);
  std::vector<char> inked(binary.width, 0);
  for (int y = cut.top; y <= band_end; ++y)
    for (int x = 0; x < binary.width; ++x)
      if (binary.pixels[static_cast<size_t>(y) * binary.width + x] == 0) inked[x] = 1;
  const int bridge = std::max(1, static_cast<int>(0.06 * height));  // a faint stroke's break
  for (int x = 0; x < binary.width; ++x) {
    if (!inked[x]) continue;
    if (!cut.runs.empty() && x - cut.runs.back().second - 1 <= bridge) cut.runs.back().second = x;
    else cut.runs.push_back({x, x});
  }
  if (cut.runs.empty()) return std::nullopt;
  return cut;
}

// Splits each run into as many digits as `counts` says, evenly; returns the
// digits' centres.
std::vector<double> Centres(const Cut& cut, const std::vector<int>& counts) {
  std::vector<double> out;
  for (size_t i = 0; i < cut.runs.size(); ++i) {
    const double x0 = cut.runs[i].first, w = cut.runs[i].second - cut.runs[i].first + 1;
    for (int k = 0; k < counts[i]; ++k) out.push_back(x0 + w * (k + 0.5) / counts[i]);
  }
  return out;
}

// `n` digits shared among the runs by width (each run at least one).
std::optional<std::vector<int>> ShareDigits(const Cut& cut, int n) {
  const int m = static_cast<int>(cut.runs.size());
  if (m > n) return std::nullopt;
  double total = 0;
  for (auto& r : cut.runs) total += r.second - r.first + 1;
  std::vector<int> counts(m, 1);
  std::vector<double> want(m);
  for (int i = 0; i < m; ++i) want[i] = n * (cut.runs[i].second - cut.runs[i].first + 1) / total;
  for (int left = n - m; left > 0; --left) {
    int best = 0;
    for (int i = 1; i < m; ++i)
      if (want[i] - counts[i] > want[best] - counts[best]) best = i;
    ++counts[best];
  }
  return counts;
}

std::vector<float> Window(const Cut& cut, double centre) {
  const Gray& g = cut.cell.gray;
  const double height = cut.bottom - cut.top + 1;
  const double width = kWindowWidth * height, left = centre - width / 2;
  std::vector<float> v(kWindowW * kWindowH);
  double mean = 0;
  for (int j = 0; j < kWindowH; ++j)
    for (int i = 0; i < kWindowW; ++i) {
      // Area average over the window's share of pixels.
      const double sx0 = left + width * i / kWindowW, sx1 = left + width * (i + 1) / kWindowW;
      const double sy0 = cut.top + height * j / kWindowH, sy1 = cut.top + height * (j + 1) / kWindowH;
      double sum = 0;
      int count = 0;
      for (int y = static_cast<int>(sy0); y < std::max(static_cast<int>(sy0) + 1, static_cast<int>(std::ceil(sy1))); ++y)
        for (int x = static_cast<int>(std::floor(sx0)); x < std::max(static_cast<int>(std::floor(sx0)) + 1, static_cast<int>(std::ceil(sx1))); ++x) {
          const int value = (x < 0 || y < 0 || x >= g.width || y >= g.height) ? 255 : g.pixels[static_cast<size_t>(y) * g.width + x];
          sum += 255 - value;
          ++count;
        }
      v[j * kWindowW + i] = static_cast<float>(sum / std::max(1, count));
      mean += v[j * kWindowW + i];
    }
  mean /= v.size();
  double norm = 0;
  for (float& x : v) x -= static_cast<float>(mean), norm += x * x;
  norm = std::sqrt(norm);
  if (norm > 0)
    for (float& x : v) x /= static_cast<float>(norm);
  return v;
}

float Similarity(const std::vector<float>& a, const std::vector<float>& b) {
  float s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

}  // namespace

void FigureShapes::AddExemplar(const Raster& prepared, const Box& cell_box_points, const std::string& reading) {
  if (!Checkable(reading)) return;
  const std::string digits = DigitsOf(reading);
  auto cut = CutCell(prepared, cell_box_points);
  if (!cut) return;
  auto counts = ShareDigits(*cut, static_cast<int>(digits.size()));
  if (!counts) return;
  const double height = cut->bottom - cut->top + 1;
  const std::vector<double> centres = Centres(*cut, *counts);
  for (size_t i = 0; i < digits.size(); ++i) digits_.push_back({digits[i], Window(*cut, centres[i])});
  // The digit advance: centres of digits printed next to each other.
  size_t k = 0;
  for (size_t i = 0; i + 1 < reading.size(); ++i) {
    if (reading[i] < '0' || reading[i] > '9') continue;
    if (reading[i + 1] >= '0' && reading[i + 1] <= '9') advances_.push_back((centres[k + 1] - centres[k]) / height);
    ++k;
  }
}

ShapeCheck FigureShapes::Check(const Raster& prepared, const Box& cell_box_points, const std::string& reading,
                               int min_exemplars) const {
  ShapeCheck out;
  if (!Checkable(reading) || static_cast<int>(digits_.size()) < min_exemplars || advances_.size() < 3) return out;
  const std::string digits = DigitsOf(reading);
  auto cut = CutCell(prepared, cell_box_points);
  if (!cut) return out;
  out.checked = true;
  // How many digits the ink holds: each run by its width over the page's
  // digit advance, at least one; a width between two counts allows both.
  const double height = cut->bottom - cut->top + 1, advance = Median(advances_) * height;
  int fewest = 0, most = 0;
  for (auto& r : cut->runs) {
    const double digits_wide = (r.second - r.first + 1) / advance;
    fewest += std::max(1, static_cast<int>(std::floor(digits_wide + kCountSlack)));
    most += std::max(1, static_cast<int>(std::ceil(digits_wide - kCountSlack)));
  }
  const int read = static_cast<int>(digits.size());
  if (read < fewest || read > most) {
    out.agrees = false;
    out.why = "its ink holds " + std::to_string(read < fewest ? fewest : most) + " digits, the reading " +
              std::to_string(read);
    return out;
  }
  // A cell cut through its figure (a column edge misplaced between the
  // figure's digits) reads a part of it, the same way every time: ink that
  // continues the figure past the box, closer than a digit advance (a 1
  // beside a 1 is that far), says so.
  const double height_pt = cut->cell.line_height_px * 72.0 / prepared.dpi;
  const Box wide{cell_box_points.x0 - 1.5 * height_pt, cell_box_points.y0, cell_box_points.x1 + 1.5 * height_pt,
                 cell_box_points.y1};
  auto around = CutCell(prepared, wide);
  if (around) {
    const double ink_x0 = cut->cell.ink_box_px.x0, ink_x1 = cut->cell.ink_box_px.x1;
    const double to_page = around->cell.ink_box_px.x0 - around->cell.pad_px;
    // Thin ink (a sliver of a cut digit, a rule's remnant) carries the
    // reach on but proves nothing alone: a digit-wide run must join.
    double left = ink_x0, right = ink_x1;
    bool digit_joined = false, grew = true;
    while (grew) {
      grew = false;
      for (auto& r : around->runs) {
        const double r0 = r.first + to_page, r1 = r.second + 1 + to_page;
        const bool digit_wide = r.second - r.first + 1 >= kThinnestDigit * advance;
        // A glyph the cell's edge cuts through runs on by itself.
        const double cut_through = 0.15 * advance;
        if (r0 < left - cut_through && r1 > left) left = r0, grew = true, digit_joined = true;
        if (r1 > right + cut_through && r0 < right) right = r1, grew = true, digit_joined = true;
        if (r1 <= left && left - r1 < 0.9 * advance) left = r0, grew = true, digit_joined |= digit_wide;
        if (r0 >= right && r0 - right < 0.9 * advance) right = r1, grew = true, digit_joined |= digit_wide;
      }
    }
    if (digit_joined) {
      out.agrees = false;
      out.why = "its figure runs on past the cell";
      return out;
    }
  }
  auto counts = ShareDigits(*cut, static_cast<int>(digits.size()));
  if (!counts) return out;
  const std::vector<double> centres = Centres(*cut, *counts);
  size_t digit_index = 0;
  for (size_t i = 0; i < reading.size(); ++i) {
    if (reading[i] < '0' || reading[i] > '9') continue;
    const std::vector<float> shape = Window(*cut, centres[digit_index++]);
    std::map<char, float> best;  // digit -> closest exemplar
    for (const Digit& d : digits_) {
      const float s = Similarity(shape, d.shape);
      auto it = best.find(d.label);
      if (it == best.end() || s > it->second) best[d.label] = s;
    }
    auto own = best.find(reading[i]);
    if (own == best.end()) continue;  // no such digit elsewhere: no evidence
    auto top = std::max_element(best.begin(), best.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    if (top->first != reading[i] && top->second >= kCloseMatch && top->second - own->second > kMargin) {
      out.agrees = false;
      std::string other = reading;
      other[i] = top->first;
      out.alternatives.push_back(other);
      if (out.why.empty())
        out.why = std::string("its digit ") + reading[i] + " looks like the page's " + top->first;
    }
  }
  return out;
}

}  // namespace juesuan
