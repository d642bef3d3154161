#include "extractors/jixiao/jixiao_mapper.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <regex>
#include <set>
#include <tuple>

#include "pipeline/core/utf8.h"
#include "pipeline/normalise/normalise.h"

namespace juesuan {
namespace {

bool StartsWith(const std::string& text, const std::string& prefix) {
  return !prefix.empty() && text.rfind(prefix, 0) == 0;
}

// A label cell: the label itself, maybe with a colon or a unit in brackets
// ("项目名称:", "年度资金总额:"), not a sentence that happens to contain it.
bool IsLabelCell(const std::string& compact, const std::vector<std::string>& labels) {
  for (const std::string& label : labels) {
    if (StartsWith(compact, label) && compact.size() <= label.size() + 12) return true;
  }
  return false;
}

std::string StripColon(std::string text) {
  for (const char* colon : {":", "："}) {
    std::string c(colon);
    while (text.size() >= c.size() && text.compare(text.size() - c.size(), c.size(), c) == 0) {
      text.resize(text.size() - c.size());
    }
  }
  return text;
}

// The unit the funds block header declares: "项目资金(元)", "项目资金（万元）".
// Its brackets are often misread by OCR ("项目资金人元)"), so any 元 counts.
std::string UnitOf(const std::string& compact) {
  if (compact.find("万元") != std::string::npos) return "万元";
  if (compact.find("元") != std::string::npos) return "元";
  return "";
}

// Header cells whose label was not recognised (misprinted, misread by OCR)
// take the column keys missing between their recognised neighbours, when
// the gap holds exactly as many cells as keys (labels keep their canonical
// order in every template); after the last recognised column, the next
// keys in order.
void FillHeaderGaps(const std::vector<std::pair<int, std::string>>& unrecognised,  // (col, text), left to right
                    const std::vector<JixiaoLabel>& canon, std::map<std::string, int>& cols) {
  auto index_of = [&](const std::string& key) {
    for (size_t i = 0; i < canon.size(); ++i) {
      if (canon[i].key == key) return static_cast<int>(i);
    }
    return -1;
  };
  std::vector<std::pair<int, int>> known;  // (grid col, canonical index)
  for (const auto& [key, col] : cols) known.push_back({col, index_of(key)});
  std::sort(known.begin(), known.end());
  if (known.empty()) return;
  for (size_t k = 0; k < known.size(); ++k) {
    int from_col = known[k].first, from_idx = known[k].second;
    bool last = k + 1 == known.size();
    int to_col = last ? std::numeric_limits<int>::max() : known[k + 1].first;
    int to_idx = last ? static_cast<int>(canon.size()) : known[k + 1].second;
    std::vector<int> gap;
    for (const auto& [col, text] : unrecognised) {
      if (col > from_col && col < to_col) gap.push_back(col);
    }
    int missing = to_idx - from_idx - 1;
    if (gap.empty() || missing <= 0) continue;
    if (!last && static_cast<int>(gap.size()) != missing) continue;
    for (size_t g = 0; g < gap.size() && static_cast<int>(g) < missing; ++g) {
      const std::string& key = canon[from_idx + 1 + g].key;
      if (!cols.count(key)) cols[key] = gap[g];
    }
  }
}

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

struct GridSource {
  const TableGrid* grid = nullptr;
  std::string caption;  // lines above the grid, "\n"-joined
  size_t candidate = 0; // index of the candidate table it came from
};

// One evaluation being read, with the table it becomes.
struct Draft {
  JixiaoEvaluation ev;
  Table table;
  std::set<size_t> candidates;
  std::map<std::string, int> funds_cols;      // funds column key -> grid col
  std::map<std::string, int> indicator_cols;  // indicator column key -> grid col
  int goal_expected_col = -1, goal_actual_col = -1;
  bool in_goals = false;
  bool in_funds = false;
  bool done = false;
  int last_grid_cols = 0;
};

class Reader {
 public:
  Reader(const JixiaoSchema& schema, std::vector<Finding>* findings) : schema_(schema), findings_(findings) {}

  void AddGrid(const GridSource& source) {
    const TableGrid& grid = *source.grid;
    bool attached = false;  // the grid has been added to the open draft
    for (int row_idx = 0; row_idx < grid.n_rows(); ++row_idx) {
      std::vector<const Cell*> cells = RowCells(grid, row_idx);
      if (cells.empty()) continue;
      if (const JixiaoKindDef* kind = NameRow(cells)) {
        StartDraft(*kind, source, cells);
        attached = false;
      }
      if (drafts_.empty() || drafts_.back().done) continue;
      Draft& d = drafts_.back();
      if (!attached) {
        if (d.table.grids.empty() || d.table.grids.back().page != grid.page ||
            d.table.grids.back().box.y0 != grid.box.y0 || d.table.grids.back().box.x0 != grid.box.x0) {
          d.table.grids.push_back(grid);
          if (d.table.pages.empty() || d.table.pages.back() != grid.page) d.table.pages.push_back(grid.page);
          if (d.ev.pages.empty() || d.ev.pages.back() != grid.page) d.ev.pages.push_back(grid.page);
        }
        d.candidates.insert(source.candidate);
        if (d.last_grid_cols != 0 && d.last_grid_cols != grid.n_cols()) {
          // A continuation with another column structure needs its own header.
          d.indicator_cols.clear();
          d.funds_cols.clear();
        }
        d.last_grid_cols = grid.n_cols();
        attached = true;
      }
      ReadRow(d, grid, row_idx, cells);
    }
  }

  std::vector<Draft>& drafts() { return drafts_; }

 private:
  static std::vector<const Cell*> RowCells(const TableGrid& grid, int row) {
    std::vector<const Cell*> out;
    for (const Cell& c : grid.cells) {
      if (c.row == row) out.push_back(&c);
    }
    std::sort(out.begin(), out.end(), [](const Cell* a, const Cell* b) { return a->col < b->col; });
    return out;
  }

  static std::string Compact(const Cell* cell) { return cell ? CompactText(cell->text) : std::string(); }

  // The text of the first non-empty cell right of `index` in the row.
  static std::string ValueRightOf(const std::vector<const Cell*>& cells, size_t index) {
    for (size_t i = index + 1; i < cells.size(); ++i) {
      std::string text = NormaliseText(cells[i]->text);
      if (!text.empty()) return text;
    }
    return "";
  }

  const JixiaoKindDef* NameRow(const std::vector<const Cell*>& cells) const {
    for (const Cell* cell : cells) {
      std::string text = StripColon(Compact(cell));
      for (const JixiaoKindDef& kind : schema_.kinds) {
        for (const std::string& label : kind.name_labels) {
          if (text == label) return &kind;
        }
      }
    }
    return nullptr;
  }

  void StartDraft(const JixiaoKindDef& kind, const GridSource& source, const std::vector<const Cell*>& cells) {
    Draft d;
    d.ev.kind = kind.kind;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (IsLabelCell(StripColon(Compact(cells[i])), kind.name_labels)) {
        d.ev.name = CompactText(ValueRightOf(cells, i));
        break;
      }
    }
    d.ev.table = schema_.table_prefix + ":" + d.ev.name;
    d.table.code = d.ev.table;
    // Caption: title and unit, when the evaluation opens its grid.
    std::string unit;
    size_t start = 0, end;
    const std::string& caption = source.caption;
    while ((end = caption.find('\n', start)) != std::string::npos) {
      std::string line = caption.substr(start, end - start);
      start = end + 1;
      std::string compact = CompactText(line);
      for (const JixiaoKindDef& k : schema_.kinds) {
        if (ContainsAny(compact, k.titles)) {
          d.ev.title = line;
          d.ev.kind = k.kind;
        }
      }
      if (unit.empty()) unit = FindAmountUnit(line);
    }
    d.table.title = d.ev.title;
    d.table.unit = unit;
    d.ev.unit = unit;
    drafts_.push_back(std::move(d));
  }

  JixiaoFigure Figure(const Draft& d, const TableGrid& grid, const Cell& cell) const {
    JixiaoFigure f;
    f.printed = NormaliseText(cell.text);
    juesuan::Figure parsed = ParseFigure(DecimalCommaRepaired(f.printed));
    if (parsed.kind == FigureKind::kNumber) f.value = parsed.value;
    f.unreadable = parsed.kind == FigureKind::kUnreadable;
    f.page = grid.page;
    f.grid = static_cast<int>(d.table.grids.size()) - 1;
    f.row = cell.row;
    f.col = cell.col;
    f.box = cell.box;
    return f;
  }

  // The figure of the cell starting at (row, col), when it holds one.
  std::optional<JixiaoFigure> FigureAt(const Draft& d, const TableGrid& grid, int row, int col) const {
    if (col < 0) return std::nullopt;
    int at = grid.CellAt(row, col);
    if (at < 0) return std::nullopt;
    const Cell& cell = grid.cells[at];
    if (cell.row != row) return std::nullopt;
    JixiaoFigure f = Figure(d, grid, cell);
    if (!f.value && !f.unreadable) return std::nullopt;
    return f;
  }

  std::string TextAt(const TableGrid& grid, int row, int col) const {
    if (col < 0) return "";
    int at = grid.CellAt(row, col);
    return at < 0 ? std::string() : NormaliseText(grid.cells[at].text);
  }

  void AddFact(Draft& d, const std::string& row, const std::string& col, const JixiaoFigure& f,
               const TableGrid& grid) {
    if (f.unreadable) {
      Finding finding;
      finding.kind = "unreadable";
      finding.message = d.ev.table + " p" + std::to_string(f.page) + " r" + std::to_string(f.row) + " c" +
                        std::to_string(f.col) + ": " + row + " " + col + " printed '" + f.printed +
                        "' is not a figure";
      finding.cells.push_back(FindingCell{d.ev.table, row, col, f.page, f.box, f.printed});
      findings_->push_back(std::move(finding));
      return;
    }
    if (!f.value) return;
    for (const Fact& existing : d.table.facts) {
      if (existing.row == row && existing.col == col) return;  // first reading wins
    }
    Fact fact;
    fact.table = d.ev.table;
    fact.row = row;
    fact.col = col;
    fact.value = *f.value;
    fact.printed = f.printed;
    fact.page = f.page;
    fact.grid = f.grid;
    fact.cell_row = f.row;
    fact.cell_col = f.col;
    fact.box = f.box;
    int at = grid.CellAt(f.row, f.col);
    if (at >= 0) {
      fact.source = grid.cells[at].source;
      fact.confidence = grid.cells[at].confidence;
      fact.alternatives = grid.cells[at].alternatives;
    }
    d.table.facts.push_back(std::move(fact));
  }

  void ReadRow(Draft& d, const TableGrid& grid, int row, const std::vector<const Cell*>& cells) {
    std::vector<std::string> texts;
    for (const Cell* c : cells) texts.push_back(StripColon(Compact(c)));
    std::string first;
    for (const std::string& t : texts) {
      if (!t.empty()) {
        first = t;
        break;
      }
    }
    // Fields: 主管部门 / 实施单位 / 项目金额, each followed by its value.
    for (size_t i = 0; i < cells.size(); ++i) {
      for (const JixiaoLabel& field : schema_.fields) {
        if (IsLabelCell(texts[i], field.labels) && texts[i].size() <= field.key.size() + 12) {
          bool seen = false;
          for (const auto& kv : d.ev.fields) seen |= kv.first == field.key;
          if (!seen) d.ev.fields.push_back({field.key, ValueRightOf(cells, i)});
        }
      }
    }
    // 总分 and 评分等级 rows.
    if (IsLabelCell(first, schema_.total_labels)) {
      ReadTotal(d, grid, row, cells);
      d.in_funds = d.in_goals = false;
      return;
    }
    if (IsLabelCell(first, schema_.grade_labels)) {
      for (size_t i = 0; i < cells.size(); ++i) {
        if (IsLabelCell(texts[i], schema_.grade_labels)) {
          d.ev.grade = CompactText(ValueRightOf(cells, i));
          for (size_t k = i + 1; k < cells.size(); ++k) {
            if (!texts[k].empty()) {
              d.ev.grade_cell = Figure(d, grid, *cells[k]);
              break;
            }
          }
          break;
        }
      }
      d.done = true;
      return;
    }
    // Headers.
    int funds_hits = 0, indicator_hits = 0;
    bool has_level3 = false;
    for (const std::string& t : texts) {
      if (!MatchLabel(t, schema_.funds_columns).empty() && t.size() <= 24) ++funds_hits;
      std::string key = MatchLabel(t, schema_.indicator_columns);
      if (!key.empty()) ++indicator_hits;
      if (key == "三级指标") has_level3 = true;
    }
    if (has_level3 && indicator_hits >= 3) {
      d.indicator_cols.clear();
      std::vector<std::pair<int, std::string>> unrecognised;
      for (size_t i = 0; i < cells.size(); ++i) {
        std::string key = MatchLabel(texts[i], schema_.indicator_columns);
        if (key.empty()) unrecognised.push_back({cells[i]->col, texts[i]});
        else if (!d.indicator_cols.count(key)) d.indicator_cols[key] = cells[i]->col;
      }
      FillHeaderGaps(unrecognised, schema_.indicator_columns, d.indicator_cols);
      d.in_funds = d.in_goals = false;
      return;
    }
    if (funds_hits >= 3) {
      d.funds_cols.clear();
      std::vector<std::pair<int, std::string>> unrecognised;
      for (size_t i = 0; i < cells.size(); ++i) {
        std::string key = texts[i].size() <= 24 ? MatchLabel(texts[i], schema_.funds_columns) : "";
        if (key.empty()) {
          // "(%)" printed in a cell of its own marks the rate as a percentage.
          if (texts[i] == "(%)" || texts[i] == "%") d.ev.rate_percent = true;
          else if (UnitOf(texts[i]).empty()) unrecognised.push_back({cells[i]->col, texts[i]});
        } else if (!d.funds_cols.count(key)) {
          d.funds_cols[key] = cells[i]->col;
          if (key == "执行率" && texts[i].find('%') != std::string::npos) d.ev.rate_percent = true;
        }
      }
      FillHeaderGaps(unrecognised, schema_.funds_columns, d.funds_cols);
      // The unit: "项目资金（元）" beside the header, spanning the funds rows.
      for (int col_idx = 0; col_idx < grid.n_cols(); ++col_idx) {
        std::string text = CompactText(TextAt(grid, row, col_idx));
        std::string unit = UnitOf(text);
        if (!unit.empty()) {
          d.ev.unit = unit;
          d.table.unit = unit;
          break;
        }
      }
      d.in_funds = true;
      d.in_goals = false;
      return;
    }
    // Goals.
    int expected_col = -1, actual_col = -1;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (IsLabelCell(texts[i], schema_.goal_expected_labels)) expected_col = cells[i]->col;
      if (IsLabelCell(texts[i], schema_.goal_actual_labels)) actual_col = cells[i]->col;
    }
    if (expected_col >= 0 && actual_col >= 0) {
      d.goal_expected_col = expected_col;
      d.goal_actual_col = actual_col;
      d.in_goals = true;
      d.in_funds = false;
      return;
    }
    if (d.in_goals) {
      auto append = [](std::string& to, const std::string& text) {
        if (!text.empty()) to += (to.empty() ? "" : "\n") + text;
      };
      int at = grid.CellAt(row, d.goal_expected_col);
      if (at >= 0 && grid.cells[at].row == row) append(d.ev.goal_expected, NormaliseText(grid.cells[at].text));
      at = grid.CellAt(row, d.goal_actual_col);
      if (at >= 0 && grid.cells[at].row == row) append(d.ev.goal_actual, NormaliseText(grid.cells[at].text));
      return;
    }
    if (d.in_funds) {
      if (ReadFundsRow(d, grid, row, cells, texts)) return;
    }
    if (!d.indicator_cols.empty()) ReadIndicator(d, grid, row);
  }

  bool ReadFundsRow(Draft& d, const TableGrid& grid, int row, const std::vector<const Cell*>& cells,
                    const std::vector<std::string>& texts) {
    int first_value_col = grid.n_cols();
    for (const auto& [key, col] : d.funds_cols) first_value_col = std::min(first_value_col, col);
    std::string key, label;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (cells[i]->col >= first_value_col) break;
      key = MatchLabel(texts[i], schema_.funds_rows);
      if (!key.empty()) {
        label = NormaliseText(cells[i]->text);
        break;
      }
    }
    if (key.empty()) {
      // A misread label: the rows keep their order, so a row of figures
      // right after a known one is the next.
      int figures = 0;
      for (const auto& [col_key, col] : d.funds_cols) figures += FigureAt(d, grid, row, col).has_value();
      if (figures < 2) return false;
      size_t next = 0;
      if (!d.ev.funds.empty()) {
        while (next < schema_.funds_rows.size() && schema_.funds_rows[next].key != d.ev.funds.back().key) ++next;
        ++next;
      }
      if (next >= schema_.funds_rows.size()) return false;
      key = schema_.funds_rows[next].key;
      for (const Cell* c : cells) {
        if (c->col < first_value_col && label.empty()) label = NormaliseText(c->text);
      }
    }
    for (const JixiaoFundsRow& existing : d.ev.funds) {
      if (existing.key == key) return true;
    }
    JixiaoFundsRow funds_row;
    funds_row.key = key;
    funds_row.label = label;
    bool scored = std::find(schema_.scored_funds_rows.begin(), schema_.scored_funds_rows.end(), key) !=
                  schema_.scored_funds_rows.end();
    for (const JixiaoLabel& column : schema_.funds_columns) {
      auto it = d.funds_cols.find(column.key);
      if (it == d.funds_cols.end()) continue;
      if (!scored && (column.key == "分值" || column.key == "得分")) continue;
      auto figure = FigureAt(d, grid, row, it->second);
      if (!figure) continue;
      AddFact(d, key, column.key, *figure, grid);
      funds_row.figures.push_back({column.key, *figure});
    }
    d.ev.funds.push_back(std::move(funds_row));
    return true;
  }

  void ReadTotal(Draft& d, const TableGrid& grid, int row, const std::vector<const Cell*>& cells) {
    std::optional<JixiaoFigure> weight, score;
    auto col_of = [&](const char* key) {
      auto it = d.indicator_cols.find(key);
      return it == d.indicator_cols.end() ? -1 : it->second;
    };
    weight = FigureAt(d, grid, row, col_of("分值"));
    score = FigureAt(d, grid, row, col_of("得分"));
    if (!weight || !score) {
      // Shifted or merged cells: the numbers of the row, left to right.
      std::vector<JixiaoFigure> numbers;
      for (const Cell* c : cells) {
        JixiaoFigure f = Figure(d, grid, *c);
        if (f.value || f.unreadable) numbers.push_back(f);
      }
      if (numbers.size() >= 2) {
        weight = numbers[numbers.size() - 2];
        score = numbers.back();
      } else if (numbers.size() == 1 && !score) {
        score = numbers[0];
      }
    }
    if (weight) {
      AddFact(d, "总分", "分值", *weight, grid);
      d.ev.total_weight = weight;
    }
    if (score) {
      AddFact(d, "总分", "得分", *score, grid);
      d.ev.total_score = score;
    }
  }

  void ReadIndicator(Draft& d, const TableGrid& grid, int row) {
    auto col_of = [&](const char* key) {
      auto it = d.indicator_cols.find(key);
      return it == d.indicator_cols.end() ? -1 : it->second;
    };
    JixiaoIndicator ind;
    ind.level3 = CompactText(TextAt(grid, row, col_of("三级指标")));
    int level3_at = grid.CellAt(row, col_of("三级指标"));
    if (level3_at >= 0 && grid.cells[level3_at].row != row) return;  // a wrapped 三级 cell, read once
    ind.level1 = CompactText(TextAt(grid, row, col_of("一级指标")));
    ind.level2 = CompactText(TextAt(grid, row, col_of("二级指标")));
    ind.target = ParseIndicatorValue(TextAt(grid, row, col_of("年度指标值")));
    ind.actual = ParseIndicatorValue(TextAt(grid, row, col_of("实际完成值")));
    ind.weight = FigureAt(d, grid, row, col_of("分值"));
    ind.score = FigureAt(d, grid, row, col_of("得分"));
    ind.deviation = TextAt(grid, row, col_of("偏差原因分析及改进措施"));
    if (level3_at >= 0) ind.level3_confidence = grid.cells[level3_at].confidence;
    if (ind.level3.empty() && !ind.weight && !ind.score) return;
    std::string key = "指标:" + ind.level3;
    if (ind.weight) AddFact(d, key, "分值", *ind.weight, grid);
    if (ind.score) AddFact(d, key, "得分", *ind.score, grid);
    d.ev.indicators.push_back(std::move(ind));
  }

  const JixiaoSchema& schema_;
  std::vector<Finding>* findings_;
  std::vector<Draft> drafts_;
};

// The caption lines of every grid: above it, below the previous grid of its page.
std::string CaptionOf(const TableGrid& grid, const std::vector<PageLayout>& pages) {
  for (const PageLayout& page : pages) {
    if (page.page != grid.page) continue;
    double floor = 0;
    for (const TableGrid& other : page.grids) {
      if (other.box.y1 <= grid.box.y0 + 1 && other.box.y1 > floor && &other != &grid &&
          !(other.box.y0 == grid.box.y0 && other.box.x0 == grid.box.x0)) {
        floor = other.box.y1;
      }
    }
    std::string caption;
    for (const TextLine& line : page.lines) {
      if (line.box.cy() >= floor && line.box.cy() <= grid.box.y0 + 1) caption += line.text + "\n";
    }
    return caption;
  }
  return "";
}

// Below this OCR confidence a 三级指标 name may be a misreading.
constexpr float kRepairBelowConfidence = 80.0f;

// Positions where two names of equal length differ; -1 when the lengths differ.
int Differences(const std::u32string& a, const std::u32string& b) {
  if (a.size() != b.size()) return -1;
  int n = 0;
  for (size_t i = 0; i < a.size(); ++i) n += a[i] != b[i];
  return n;
}

// The repaired name, or "" when no repair applies.
std::string RepairedName(const JixiaoIndicator& ind, const Draft& own, const std::vector<Draft>& drafts,
                         const JixiaoSchema& schema) {
  std::u32string name = DecodeUtf8(ind.level3);
  if (name.size() < 3) return "";
  // The same indicator read in another table; never a sibling of its own
  // table (打印机数量 and 速印机数量 are two indicators).
  auto in_own = [&](const std::string& level3) {
    for (const JixiaoIndicator& sibling : own.ev.indicators) {
      if (sibling.level3 == level3) return true;
    }
    return false;
  };
  const JixiaoIndicator* best = nullptr;
  for (const Draft& d : drafts) {
    if (&d == &own) continue;
    for (const JixiaoIndicator& other : d.ev.indicators) {
      if (in_own(other.level3)) continue;
      if (other.level3_confidence <= ind.level3_confidence) continue;
      if (Differences(name, DecodeUtf8(other.level3)) != 1) continue;
      if (!best || other.level3_confidence > best->level3_confidence) best = &other;
    }
  }
  if (best) return best->level3;
  // The usual endings (满意度, 及时率): a name that ends with none of them
  // but one character away from one ends with it.
  for (const std::string& term : schema.indicator_terms) {
    std::u32string ending = DecodeUtf8(term);
    if (name.size() >= ending.size() && name.compare(name.size() - ending.size(), ending.size(), ending) == 0) {
      return "";
    }
  }
  for (const std::string& term : schema.indicator_terms) {
    std::u32string ending = DecodeUtf8(term);
    if (ending.size() < 3 || name.size() <= ending.size()) continue;
    size_t at = name.size() - ending.size();
    if (Differences(name.substr(at), ending) == 1) return EncodeUtf8(name.substr(0, at) + ending);
  }
  return "";
}

// Renames misread low-confidence 三级指标 names, with their facts.
void RepairIndicatorNames(std::vector<Draft>& drafts, const JixiaoSchema& schema) {
  std::vector<std::tuple<Draft*, JixiaoIndicator*, std::string>> repairs;
  for (Draft& d : drafts) {
    for (JixiaoIndicator& ind : d.ev.indicators) {
      if (ind.level3_confidence >= kRepairBelowConfidence) continue;
      std::string repaired = RepairedName(ind, d, drafts, schema);
      if (!repaired.empty()) repairs.push_back({&d, &ind, repaired});
    }
  }
  // Applied after every decision, so that a repair never feeds another.
  for (auto& [d, ind, repaired] : repairs) {
    for (Fact& fact : d->table.facts) {
      auto at = [&](const std::optional<JixiaoFigure>& f) {
        return f && fact.grid == f->grid && fact.cell_row == f->row && fact.cell_col == f->col;
      };
      bool same_cell = at(ind->weight) || at(ind->score);
      if (fact.row == "指标:" + ind->level3 && same_cell) fact.row = "指标:" + repaired;
    }
    ind->level3 = repaired;
  }
}

}  // namespace


IndicatorValue ParseIndicatorValue(const std::string& printed) {
  IndicatorValue v;
  v.text = NormaliseText(printed);
  std::wstring text = WidenUtf8(CompactText(printed));
  if (text.empty()) return v;
  // Comparators printed as symbols or words, before or after the value.
  static const std::vector<std::pair<std::wstring, std::string>> kPrefixes = {
      {L"≥", "≥"}, {L">=", "≥"}, {L"≧", "≥"}, {L"≤", "≤"}, {L"<=", "≤"}, {L"≦", "≤"},
      {L"＞", ">"}, {L">", ">"},  {L"＜", "<"}, {L"<", "<"},   {L"=", "="},  {L"＝", "="},
      {L"不低于", "≥"}, {L"不少于", "≥"}, {L"不小于", "≥"}, {L"大于等于", "≥"}, {L"达到", "≥"},
      {L"不超过", "≤"}, {L"不高于", "≤"}, {L"不多于", "≤"}, {L"不大于", "≤"}, {L"小于等于", "≤"},
      {L"控制在", "≤"}, {L"大于", ">"}, {L"高于", ">"}, {L"超过", ">"}, {L"多于", ">"},
      {L"小于", "<"}, {L"低于", "<"}, {L"少于", "<"}, {L"等于", "="}};
  for (const auto& [prefix, comparator] : kPrefixes) {
    if (text.rfind(prefix, 0) == 0) {
      v.comparator = comparator;
      text = text.substr(prefix.size());
      break;
    }
  }
  static const std::vector<std::pair<std::wstring, std::string>> kSuffixes = {
      // Longest first: "及以上" before "以上", "之前" before "前".
      {L"及以上", "≥"}, {L"以上", "≥"}, {L"以下", "≤"}, {L"以内", "≤"}, {L"之内", "≤"},
      {L"之前", "≤"},   {L"内", "≤"},   {L"前", "≤"}};
  for (const auto& [suffix, comparator] : kSuffixes) {
    if (text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0) {
      if (v.comparator.empty()) v.comparator = comparator;
      text = text.substr(0, text.size() - suffix.size());
      break;
    }
  }
  static const std::wregex kDate(LR"(^(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?(?:底|末)?$)");
  static const std::wregex kNumber(LR"(^(-?\d+(?:\.\d+)?)\s*[(（]?([^()（）\d]{0,8}?)[)）]?$)");
  std::wsmatch m;
  if (std::regex_match(text, m, kDate)) {
    v.kind = IndicatorValueKind::kDate;
    char buf[16];
    if (m[1].matched) {
      std::snprintf(buf, sizeof(buf), "%04d-", std::stoi(m[1].str()));
      v.date = buf;
    }
    std::snprintf(buf, sizeof(buf), "%02d", std::stoi(m[2].str()));
    v.date += buf;
    if (m[3].matched) {
      std::snprintf(buf, sizeof(buf), "-%02d", std::stoi(m[3].str()));
      v.date += buf;
    }
    return v;
  }
  if (std::regex_match(text, m, kNumber)) {
    auto number = Decimal::Parse(NarrowToUtf8(m[1].str()));
    if (number) {
      v.kind = IndicatorValueKind::kNumber;
      v.number = number;
      v.unit = NarrowToUtf8(m[2].str());
      return v;
    }
  }
  v.kind = IndicatorValueKind::kQualitative;
  v.target = NarrowToUtf8(text);
  return v;
}


JixiaoOutput MapJixiaoTables(const std::vector<Table>& candidates, const std::vector<PageLayout>& pages,
                             const JixiaoSchema& schema) {
  JixiaoOutput out;
  Reader reader(schema, &out.findings);
  for (size_t t = 0; t < candidates.size(); ++t) {
    if (!candidates[t].code.empty()) continue;
    for (const TableGrid& grid : candidates[t].grids) {
      reader.AddGrid(GridSource{&grid, CaptionOf(grid, pages), t});
    }
  }
  RepairIndicatorNames(reader.drafts(), schema);
  std::set<size_t> used;
  for (Draft& d : reader.drafts()) {
    if (d.ev.funds.empty() && d.ev.indicators.empty() && !d.ev.total_score) continue;
    if (d.table.unit.empty()) {
      d.table.unit = "万元";
      d.ev.unit = "万元";
    }
    used.insert(d.candidates.begin(), d.candidates.end());
    out.tables.push_back(std::move(d.table));
    out.evaluations.push_back(std::move(d.ev));
  }
  out.used_candidates.assign(used.begin(), used.end());
  return out;
}

JixiaoEvaluation ReadJixiaoTable(const Table& table, const JixiaoSchema& schema) {
  std::vector<Finding> ignored;
  Reader reader(schema, &ignored);
  for (const TableGrid& grid : table.grids) reader.AddGrid(GridSource{&grid, "", 0});
  JixiaoEvaluation best;
  for (Draft& d : reader.drafts()) {
    if (d.ev.table == table.code) {
      best = std::move(d.ev);
      break;
    }
  }
  // Names and values as the facts carry them: OCR misreadings repaired here
  // or by reconcile.
  auto fact_at = [&](const JixiaoFigure& figure) -> const Fact* {
    for (const Fact& fact : table.facts) {
      if (fact.grid == figure.grid && fact.cell_row == figure.row && fact.cell_col == figure.col) return &fact;
    }
    return nullptr;
  };
  auto sync = [&](std::optional<JixiaoFigure>& figure) {
    if (!figure) return;
    if (const Fact* fact = fact_at(*figure)) figure->value = fact->value;
  };
  for (JixiaoFundsRow& row : best.funds) {
    for (auto& [col, figure] : row.figures) {
      if (const Fact* fact = fact_at(figure)) figure.value = fact->value;
    }
  }
  for (JixiaoIndicator& ind : best.indicators) {
    sync(ind.weight);
    sync(ind.score);
    const std::optional<JixiaoFigure>& figure = ind.weight ? ind.weight : ind.score;
    const Fact* fact = figure ? fact_at(*figure) : nullptr;
    if (fact && fact->row.rfind("指标:", 0) == 0) ind.level3 = fact->row.substr(std::string("指标:").size());
  }
  sync(best.total_weight);
  sync(best.total_score);
  if (best.table.empty()) best.table = table.code;
  if (best.title.empty()) best.title = table.title;
  if (best.unit.empty()) best.unit = table.unit;
  for (const JixiaoKindDef& k : schema.kinds) {
    if (ContainsAny(CompactText(table.title), k.titles)) best.kind = k.kind;
  }
  return best;
}

}  // namespace juesuan
