#include "extractors/jixiao/jixiao_layout.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "pipeline/core/utf8.h"

namespace juesuan::jixiao {
namespace {

// "5244475,18": OCR reads the decimal point of an amount as a comma. A
// comma followed by one or two final digits never separates thousands.
std::string DecimalCommaRepaired(std::string text) {
  size_t comma = text.rfind(',');
  if (comma == std::string::npos || comma == 0 || text.find('.') != std::string::npos) return text;
  size_t tail = text.size() - comma - 1;
  if (tail < 1 || tail > 2) return text;
  for (size_t i = comma + 1; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return text;
  }
  if (text[comma - 1] < '0' || text[comma - 1] > '9') return text;
  text[comma] = '.';
  return text;
}

int EdgeIndex(const std::vector<double>& edges, double v) {
  if (edges.size() < 2) return -1;
  if (v <= edges.front()) return 0;
  if (v >= edges.back()) return static_cast<int>(edges.size()) - 2;
  int index = static_cast<int>(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin()) - 1;
  return std::min(index, static_cast<int>(edges.size()) - 2);
}

// A calendar date printed with separators (2023-01-01, 2023/1/1, 2023-01,
// 2023.01.01, 2023-01-01至2023-12-31): a field's value, never a figure
// (2023.01 is an amount). Dates in words (2023年1月) read as words already.
bool IsDate(const std::string& compact) {
  static const std::string kOne = R"((?:19|20)\d{2}(?:[-/](?:0?[1-9]|1[0-2])(?:[-/](?:0?[1-9]|[12]\d|3[01]))?|\.(?:0?[1-9]|1[0-2])\.(?:0?[1-9]|[12]\d|3[01])))";
  static const std::regex kDate("^" + kOne + "(?:(?:至|到|~|-{1,2}|—)" + kOne + ")?$");
  return std::regex_match(compact, kDate);
}

void SetText(Item& item, const std::string& text) {
  item.text = NormaliseText(text);
  item.compact = CompactText(item.text);
  item.figure = ParseFigure(DecimalCommaRepaired(item.compact));
  if (IsDate(item.compact)) item.figure.kind = FigureKind::kText;
  if (item.figure.kind == FigureKind::kUnreadable) {
    // "#####" or a broken number ("12,3.4.5", "9.5O") is a figure nobody can
    // read; words OCR garbled beyond repair ("7G成,下一步加强管") are words.
    size_t digits = 0, chars = 0;
    for (char32_t c : DecodeUtf8(item.compact)) {
      ++chars;
      digits += (c >= U'0' && c <= U'9') || c == U'#';
    }
    if (2 * digits < chars) item.figure.kind = FigureKind::kText;
  }
}

void SetGeometry(Item& item, const Box& box, int page) {
  item.box = box;
  item.page = page;
  item.y0 = page * kPageStride + box.y0;
  item.y1 = page * kPageStride + box.y1;
  item.h = std::max(1.0, box.height());
}

// The y positions of the printed rules of a grid (top and bottom always).
std::vector<double> RuleEdges(const TableGrid& grid) {
  std::vector<double> out;
  const int n = static_cast<int>(grid.row_edges.size());
  for (int i = 0; i < n; ++i) {
    bool rule = grid.ruling == Ruling::kFull || i == 0 || i == n - 1 ||
                (!grid.row_edge_between_lines.empty() && grid.RowEdgeIsRule(i));
    if (rule) out.push_back(grid.row_edges[i]);
  }
  return out;
}

}  // namespace

Stream BuildStream(const std::vector<Table>& candidates, const std::vector<PageLayout>& pages, bool text_below) {
  Stream stream;
  std::map<int, const PageLayout*> layout_of;
  for (const PageLayout& page : pages) layout_of[page.page] = &page;
  struct GridRef {
    size_t candidate;
    int grid;
    const TableGrid* g;
  };
  std::map<int, std::vector<GridRef>> grids_of_page;
  std::set<std::pair<int, size_t>> runs_taken;  // (page, run index)
  for (size_t t = 0; t < candidates.size(); ++t) {
    if (!candidates[t].code.empty()) continue;
    for (size_t g = 0; g < candidates[t].grids.size(); ++g) {
      const TableGrid& grid = candidates[t].grids[g];
      grids_of_page[grid.page].push_back({t, static_cast<int>(g), &grid});
      const long band_base = (static_cast<long>(t) * 256 + static_cast<long>(g)) * 4096;
      auto slot = [&](Item& item) {
        int r = EdgeIndex(grid.row_edges, item.box.cy());
        int c = EdgeIndex(grid.col_edges, item.box.cx());
        if (r < 0 || c < 0) return;
        int at = grid.CellAt(r, c);
        if (at >= 0) {
          item.cell_row = grid.cells[at].row;
          item.cell_col = grid.cells[at].col;
        } else {
          item.cell_row = r;
          item.cell_col = c;
        }
      };
      auto it = layout_of.find(grid.page);
      std::vector<size_t> runs;
      if (grid.ruling != Ruling::kFull && it != layout_of.end()) {
        const std::vector<TextLine>& all = it->second->runs;
        for (size_t r = 0; r < all.size(); ++r) {
          if (grid.box.Contains(all[r].box.cx(), all[r].box.cy()) && !runs_taken.count({grid.page, r})) {
            runs.push_back(r);
          }
        }
      }
      if (!runs.empty()) {
        std::vector<double> rules = RuleEdges(grid);
        for (size_t r : runs) {
          runs_taken.insert({grid.page, r});
          const TextLine& run = it->second->runs[r];
          Item item;
          SetText(item, run.text);
          if (item.compact.empty()) continue;
          SetGeometry(item, run.box, grid.page);
          item.candidate = t;
          item.grid = static_cast<int>(g);
          slot(item);
          int band = static_cast<int>(std::upper_bound(rules.begin(), rules.end(), run.box.cy()) - rules.begin());
          item.band = band_base + band;
          stream.items.push_back(std::move(item));
        }
        continue;
      }
      for (size_t c = 0; c < grid.cells.size(); ++c) {
        const Cell& cell = grid.cells[c];
        Item item;
        SetText(item, cell.text);
        if (item.compact.empty()) continue;
        SetGeometry(item, cell.box, grid.page);
        item.candidate = t;
        item.grid = static_cast<int>(g);
        item.cell_row = cell.row;
        item.cell_col = cell.col;
        item.band = band_base + 2048 + static_cast<long>(c);
        item.is_cell = true;
        item.spans_rows = cell.row_span > 1;
        item.source = cell.source;
        item.confidence = cell.confidence;
        item.alternatives = cell.alternatives;
        stream.items.push_back(std::move(item));
      }
    }
  }
  // Running text between the grids of a page (and above the first one, for
  // captions and rows the detector left out).
  for (const auto& [page, refs] : grids_of_page) {
    auto it = layout_of.find(page);
    if (it == layout_of.end()) continue;
    double top = kInf, bottom = -kInf, left = kInf, right = -kInf;
    for (const GridRef& ref : refs) {
      top = std::min(top, ref.g->box.y0);
      bottom = std::max(bottom, ref.g->box.y1);
      left = std::min(left, ref.g->box.x0);
      right = std::max(right, ref.g->box.x1);
    }
    // Lines above the first grid are the table's when they follow each
    // other down to it (rows the detector left out at the top of a page);
    // a running header stands apart.
    // The running text: the page's runs outside every grid where the page
    // has them (finer than its lines: two cells of a row stand apart).
    std::vector<const TextLine*> running;
    if (it->second->runs.empty()) {
      for (const TextLine& line : it->second->lines) running.push_back(&line);
    } else {
      for (const TextLine& run : it->second->runs) {
        bool inside = false;
        for (const TableGrid& grid : it->second->grids) inside = inside || grid.box.Contains(run.box.cx(), run.box.cy());
        if (!inside) running.push_back(&run);
      }
    }
    std::vector<const TextLine*> above;
    for (const TextLine* line : running) {
      if (line->box.cy() < top) above.push_back(line);
    }
    std::sort(above.begin(), above.end(), [](const TextLine* a, const TextLine* b) { return a->box.y1 > b->box.y1; });
    std::set<const TextLine*> chained;
    double reach = top;
    for (const TextLine* line : above) {
      if (reach - line->box.y1 > 30) break;
      chained.insert(line);
      reach = std::min(reach, line->box.y0);
    }
    // Lines below the last grid that follow each other down from it.
    std::vector<const TextLine*> below;
    for (const TextLine* line : running) {
      if (text_below && line->box.cy() >= bottom) below.push_back(line);
    }
    std::sort(below.begin(), below.end(), [](const TextLine* a, const TextLine* b) { return a->box.y0 < b->box.y0; });
    double below_reach = bottom;
    for (const TextLine* line : below) {
      if (line->box.y0 - below_reach > 30) break;
      chained.insert(line);
      below_reach = std::max(below_reach, line->box.y1);
    }
    for (const TextLine* running_line : running) {
      const TextLine& line = *running_line;
      if (line.box.cy() >= bottom && !chained.count(running_line)) continue;
      double overlap = std::min(line.box.x1, right) - std::max(line.box.x0, left);
      if (overlap < 0.5 * line.box.width()) continue;
      Item item;
      SetText(item, line.text);
      if (item.compact.empty()) continue;
      SetGeometry(item, line.box, page);
      item.page_line = true;
      if (line.box.cy() < top) {
        if (item.IsFigure()) continue;  // a page number or a stray figure: not the table's
        item.above_grids = true;
        item.above_by = chained.count(&line) ? 0.0 : top - line.box.y1;
      }
      // Attached to the nearest grid of the page.
      double best = kInf;
      for (const GridRef& ref : refs) {
        double d = std::max({0.0, ref.g->box.y0 - line.box.cy(), line.box.cy() - ref.g->box.y1});
        if (d < best) {
          best = d;
          item.candidate = ref.candidate;
          item.grid = ref.grid;
        }
      }
      stream.items.push_back(std::move(item));
    }
  }
  // Lines: pieces whose centres lie within a fraction of a text height.
  std::vector<int> order;
  for (size_t i = 0; i < stream.items.size(); ++i) {
    if (stream.items[i].spans_rows) stream.spanning.push_back(static_cast<int>(i));
    else order.push_back(static_cast<int>(i));
  }
  auto by_y = [&](int a, int b) {
    const Item& x = stream.items[a];
    const Item& y = stream.items[b];
    return x.cy() != y.cy() ? x.cy() < y.cy() : x.x0() < y.x0();
  };
  std::sort(order.begin(), order.end(), by_y);
  std::sort(stream.spanning.begin(), stream.spanning.end(),
            [&](int a, int b) { return stream.items[a].y0 < stream.items[b].y0; });
  for (int index : order) {
    Item& item = stream.items[index];
    bool joined = false;
    if (!stream.lines.empty()) {
      Line& line = stream.lines.back();
      const Item& first = stream.items[line.items.front()];
      if (first.page == item.page && std::abs(item.cy() - first.cy()) <= 0.45 * std::min(item.h, first.h)) {
        line.items.push_back(index);
        joined = true;
      }
    }
    if (!joined) {
      Line line;
      line.items.push_back(index);
      stream.lines.push_back(std::move(line));
    }
  }
  for (size_t l = 0; l < stream.lines.size(); ++l) {
    Line& line = stream.lines[l];
    std::sort(line.items.begin(), line.items.end(),
              [&](int a, int b) { return stream.items[a].x0() < stream.items[b].x0(); });
    const Item& first = stream.items[line.items.front()];
    line.page = first.page;
    line.cy = first.cy();
    line.y0 = kInf;
    line.y1 = -kInf;
    line.cells = true;
    std::vector<double> heights;
    for (int index : line.items) {
      Item& item = stream.items[index];
      item.line = static_cast<int>(l);
      line.y0 = std::min(line.y0, item.y0);
      line.y1 = std::max(line.y1, item.y1);
      line.cells = line.cells && item.is_cell;
      line.has_figure = line.has_figure || item.IsFigure();
      heights.push_back(item.h);
    }
    std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
    line.h = heights[heights.size() / 2];
  }
  return stream;
}

std::string Block::Text(const Stream& stream) const {
  std::string out;
  for (int index : items) out += stream.items[index].text;
  return NormaliseText(out);
}

std::string Block::Compact(const Stream& stream) const { return CompactText(Text(stream)); }

float Block::Confidence(const Stream& stream) const {
  float out = 100.0f;
  for (int index : items) out = std::min(out, stream.items[index].confidence);
  return out;
}

std::vector<Block> GroupBlocks(const Stream& stream, std::vector<int> items, bool join_same_line) {
  auto key = [&](int index) {
    const Item& item = stream.items[index];
    double y = item.line >= 0 ? stream.lines[item.line].cy : item.cy();
    return std::make_pair(y, item.x0());
  };
  std::sort(items.begin(), items.end(), [&](int a, int b) { return key(a) < key(b); });
  std::vector<Block> blocks;
  for (int index : items) {
    const Item& item = stream.items[index];
    Block* into = nullptr;
    if (!item.is_cell) {
      for (auto b = blocks.rbegin(); b != blocks.rend(); ++b) {
        const Item& last = stream.items[b->items.back()];
        if (last.is_cell || last.page != item.page) continue;
        if (last.band >= 0 && item.band >= 0 && last.band != item.band) continue;
        if (item.line == last.line) {
          if (join_same_line && item.x0() - last.x1() < 1.5 * std::min(item.h, last.h)) {
            into = &*b;
            break;
          }
          continue;
        }
        double overlap = std::min(b->x1, item.x1()) - std::max(b->x0, item.x0());
        if (overlap <= 0) continue;
        double gap = item.y0 - last.y1;
        if (gap < 0.5 * std::min(item.h, last.h)) {
          into = &*b;
          break;
        }
      }
    }
    if (into == nullptr) {
      Block block;
      block.page = item.page;
      block.y0 = item.y0;
      block.y1 = item.y1;
      block.x0 = item.x0();
      block.x1 = item.x1();
      block.spans = item.spans_rows;
      blocks.push_back(std::move(block));
      into = &blocks.back();
    }
    into->items.push_back(index);
    into->y0 = std::min(into->y0, item.y0);
    into->y1 = std::max(into->y1, item.y1);
    into->x0 = std::min(into->x0, item.x0());
    into->x1 = std::max(into->x1, item.x1());
  }
  std::sort(blocks.begin(), blocks.end(), [](const Block& a, const Block& b) { return a.y0 < b.y0; });
  return blocks;
}

int Columns::At(double x) const {
  for (size_t i = 0; i < cols.size(); ++i) {
    if (x >= cols[i].lo && x < cols[i].hi) return static_cast<int>(i);
  }
  return -1;
}

int Columns::Find(const std::string& key) const {
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].key == key) return static_cast<int>(i);
  }
  return -1;
}

std::string Columns::KeyAt(double x) const {
  int at = At(x);
  return at < 0 ? std::string() : cols[at].key;
}

void SetBounds(Columns& columns, bool open_left) {
  std::vector<Column>& cols = columns.cols;
  std::sort(cols.begin(), cols.end(), [](const Column& a, const Column& b) { return a.x0 + a.x1 < b.x0 + b.x1; });
  auto between = [&](size_t i) {  // the bound between cols[i - 1] and cols[i]
    const Column& a = cols[i - 1];
    const Column& b = cols[i];
    if (a.x1 <= b.x0) return (a.x1 + b.x0) / 2;
    return (a.x0 + a.x1 + b.x0 + b.x1) / 4;
  };
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i == 0) {
      if (open_left) {
        cols[i].lo = -kInf;
      } else if (cols.size() > 1) {
        cols[i].lo = cols[0].x0 - std::max(0.0, between(1) - cols[0].x1);
      } else {
        cols[i].lo = cols[0].x0 - 0.5 * (cols[0].x1 - cols[0].x0);
      }
    } else {
      cols[i].lo = between(i);
    }
    cols[i].hi = i + 1 < cols.size() ? between(i + 1) : kInf;
  }
}

// Header cells whose label was not recognised (misprinted, misread by OCR)
// take the column keys missing between their recognised neighbours, when
// the gap holds exactly as many cells as keys (labels keep their canonical
// order in every template), before the first one likewise; after the last
// recognised column, the next keys in order. `columns` is sorted left to right.
void FillHeaderGaps(std::vector<Column>& columns, const std::vector<JixiaoLabel>& canon) {
  auto index_of = [&](const std::string& key) {
    for (size_t i = 0; i < canon.size(); ++i) {
      if (canon[i].key == key) return static_cast<int>(i);
    }
    return -1;
  };
  std::vector<std::pair<size_t, int>> known;  // (position, canonical index)
  std::set<std::string> taken;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].key.empty()) continue;
    known.push_back({i, index_of(columns[i].key)});
    taken.insert(columns[i].key);
  }
  // Before the first recognised column: only a gap of exactly the keys
  // missing there.
  if (!known.empty() && known.front().first > 0 && static_cast<int>(known.front().first) == known.front().second) {
    for (size_t i = 0; i < known.front().first; ++i) {
      const std::string& key = canon[i].key;
      if (columns[i].key.empty() && !taken.count(key)) {
        columns[i].key = key;
        taken.insert(key);
      }
    }
  }
  for (size_t k = 0; k < known.size(); ++k) {
    bool last = k + 1 == known.size();
    size_t from = known[k].first, to = last ? columns.size() : known[k + 1].first;
    int from_idx = known[k].second;
    int to_idx = last ? static_cast<int>(canon.size()) : known[k + 1].second;
    std::vector<size_t> gap;
    for (size_t i = from + 1; i < to; ++i) gap.push_back(i);
    int missing = to_idx - from_idx - 1;
    if (gap.empty() || missing <= 0) continue;
    if (!last && static_cast<int>(gap.size()) != missing) continue;
    for (size_t g = 0; g < gap.size() && static_cast<int>(g) < missing; ++g) {
      const std::string& key = canon[from_idx + 1 + g].key;
      if (!taken.count(key)) {
        columns[gap[g]].key = key;
        taken.insert(key);
      }
    }
  }
}

Fact FactOf(const Item& item, const std::string& table, const std::string& row, const std::string& col) {
  Fact fact;
  fact.table = table;
  fact.row = row;
  fact.col = col;
  fact.value = item.figure.value;
  fact.printed = item.text;
  fact.page = item.page;
  fact.box = item.box;
  fact.cell_row = item.cell_row;
  fact.cell_col = item.cell_col;
  fact.source = item.source;
  fact.confidence = item.confidence;
  fact.alternatives = item.alternatives;
  return fact;
}

}  // namespace juesuan::jixiao
