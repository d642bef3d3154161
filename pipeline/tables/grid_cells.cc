// Grid assembly shared by ruled and text-aligned tables: slot merging into
// cells, line grouping and small text predicates.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "pipeline/tables/grid_internal.h"

namespace juesuan::tables_internal {
namespace {

int Find(std::vector<int>& parent, int i) {
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

void Unite(std::vector<int>& parent, int a, int b) {
  a = Find(parent, a);
  b = Find(parent, b);
  if (a != b) parent[std::max(a, b)] = std::min(a, b);
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  auto mid = values.begin() + values.size() / 2;
  std::nth_element(values.begin(), mid, values.end());
  return *mid;
}

// Decodes one UTF-8 code point starting at text[i]; advances i.
char32_t NextCodePoint(const std::string& text, size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  int extra = lead < 0x80 ? 0 : lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3;
  char32_t cp = extra == 0 ? lead : extra == 1 ? (lead & 0x1F) : extra == 2 ? (lead & 0x0F) : (lead & 0x07);
  ++i;
  for (int k = 0; k < extra && i < text.size(); ++k, ++i) {
    cp = (cp << 6) | (static_cast<unsigned char>(text[i]) & 0x3F);
  }
  return cp;
}

}  // namespace

double Coverage(const std::vector<Segment>& segments, double lo, double hi) {
  if (hi <= lo) return 0;
  std::vector<std::pair<double, double>> parts;
  for (const Segment& s : segments) {
    double a = std::max(lo, s.lo), b = std::min(hi, s.hi);
    if (b > a) parts.emplace_back(a, b);
  }
  std::sort(parts.begin(), parts.end());
  double covered = 0, end = lo;
  for (const auto& [a, b] : parts) {
    double from = std::max(a, end);
    if (b > from) covered += b - from;
    end = std::max(end, b);
  }
  return covered / (hi - lo);
}

std::vector<Cell> BuildCells(const std::vector<double>& row_edges, const std::vector<double>& col_edges,
                             const std::function<bool(int, int)>& split_right,
                             const std::function<bool(int, int)>& split_below) {
  const int n_rows = static_cast<int>(row_edges.size()) - 1;
  const int n_cols = static_cast<int>(col_edges.size()) - 1;
  std::vector<Cell> cells;
  if (n_rows <= 0 || n_cols <= 0) return cells;
  auto slot = [n_cols](int row_idx, int col_idx) { return row_idx * n_cols + col_idx; };
  std::vector<int> parent(n_rows * n_cols);
  std::iota(parent.begin(), parent.end(), 0);
  for (int row_idx = 0; row_idx < n_rows; ++row_idx) {
    for (int col_idx = 0; col_idx < n_cols; ++col_idx) {
      if (col_idx + 1 < n_cols && !split_right(row_idx, col_idx)) {
        Unite(parent, slot(row_idx, col_idx), slot(row_idx, col_idx + 1));
      }
      if (row_idx + 1 < n_rows && !split_below(row_idx, col_idx)) {
        Unite(parent, slot(row_idx, col_idx), slot(row_idx + 1, col_idx));
      }
    }
  }
  // Cut each joined group into rectangles greedily (right first, then down);
  // a rectangular group comes out whole.
  std::vector<char> taken(parent.size(), 0);
  for (int row_idx = 0; row_idx < n_rows; ++row_idx) {
    for (int col_idx = 0; col_idx < n_cols; ++col_idx) {
      if (taken[slot(row_idx, col_idx)]) continue;
      const int group = Find(parent, slot(row_idx, col_idx));
      int col_end = col_idx + 1;
      while (col_end < n_cols && !taken[slot(row_idx, col_end)] && Find(parent, slot(row_idx, col_end)) == group) {
        ++col_end;
      }
      int row_end = row_idx + 1;
      while (row_end < n_rows) {
        bool whole = true;
        for (int c = col_idx; c < col_end && whole; ++c) {
          whole = !taken[slot(row_end, c)] && Find(parent, slot(row_end, c)) == group;
        }
        if (!whole) break;
        ++row_end;
      }
      Cell cell;
      cell.row = row_idx;
      cell.col = col_idx;
      cell.row_span = row_end - row_idx;
      cell.col_span = col_end - col_idx;
      cell.box = Box{col_edges[col_idx], row_edges[row_idx], col_edges[col_end], row_edges[row_end]};
      cell.text_box = cell.box;
      for (int r = row_idx; r < row_end; ++r) {
        for (int c = col_idx; c < col_end; ++c) taken[slot(r, c)] = 1;
      }
      cells.push_back(std::move(cell));
    }
  }
  return cells;
}

bool IsBlank(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    char32_t cp = NextCodePoint(text, i);
    if (cp != ' ' && cp != '\t' && cp != '\n' && cp != '\r' && cp != 0x3000 && cp != 0xA0) return false;
  }
  return true;
}

bool IsFigureText(const std::string& text) {
  bool digit = false;
  for (size_t i = 0; i < text.size();) {
    char32_t cp = NextCodePoint(text, i);
    if ((cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19)) {
      digit = true;
    } else if (cp != ',' && cp != '.' && cp != '-' && cp != '%' && cp != ' ' && cp != 0xFF0C && cp != 0xFF0E &&
               cp != 0xFF0D && cp != 0x2212) {
      return false;
    }
  }
  return digit;
}

bool IsDashText(const std::string& text) {
  bool dash = false;
  for (size_t i = 0; i < text.size();) {
    char32_t cp = NextCodePoint(text, i);
    if (cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE63 || cp == 0xFF0D ||
        cp == 0x2500) {
      dash = true;
    } else if (cp != ' ') {
      return false;
    }
  }
  return dash;
}

double TypicalEm(const std::vector<Glyph>& glyphs) {
  std::vector<double> wide, narrow;
  for (const Glyph& g : glyphs) {
    if (g.text.empty() || IsBlank(g.text) || g.box.width() <= 0) continue;
    if (static_cast<unsigned char>(g.text[0]) >= 0x80) {
      wide.push_back(g.box.width());
    } else {
      narrow.push_back(g.box.width() / std::max<size_t>(1, g.text.size()));
    }
  }
  if (!wide.empty()) return Median(wide);
  if (!narrow.empty()) return Median(narrow) / 0.55;
  // Glyphs without text (ink components): their height is the better guide.
  std::vector<double> heights;
  for (const Glyph& g : glyphs) heights.push_back(g.box.height());
  if (heights.empty()) return 10.0;
  std::sort(heights.begin(), heights.end());
  return std::max(2.0, heights[heights.size() * 4 / 5]);
}

std::vector<std::vector<int>> GroupLines(const std::vector<Glyph>& glyphs, const std::vector<int>& members,
                                         double tolerance) {
  std::vector<int> order = members;
  std::sort(order.begin(), order.end(), [&](int a, int b) { return glyphs[a].box.cy() < glyphs[b].box.cy(); });
  std::vector<std::vector<int>> lines;
  double line_cy = 0;
  for (int index : order) {
    double cy = glyphs[index].box.cy();
    if (lines.empty() || cy - line_cy > tolerance) {
      lines.push_back({index});
      line_cy = cy;
    } else {
      auto& line = lines.back();
      line.push_back(index);
      line_cy += (cy - line_cy) / static_cast<double>(line.size());
    }
  }
  for (auto& line : lines) {
    std::sort(line.begin(), line.end(), [&](int a, int b) { return glyphs[a].box.x0 < glyphs[b].box.x0; });
  }
  return lines;
}

}  // namespace juesuan::tables_internal
