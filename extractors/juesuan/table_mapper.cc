#include "extractors/juesuan/table_mapper.h"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "pipeline/core/utf8.h"
#include "pipeline/normalise/normalise.h"

namespace juesuan {
namespace {

bool Contains(const std::string& text, const std::string& pattern) {
  return !pattern.empty() && text.find(pattern) != std::string::npos;
}

bool IsCode(const std::string& text) {
  static const std::regex kCode(R"(^\d{3}(\d{2}){0,2}$)");
  return std::regex_match(text, kCode);
}

bool IsSmallInteger(const std::string& text) {
  static const std::regex kSmall(R"(^\d{1,2}$)");
  return std::regex_match(text, kSmall);
}

// A figure as printed in a table body (as opposed to a 栏次/行次 number).
bool LooksLikeAmount(const std::string& text) {
  Figure fig = ParseFigure(text);
  if (fig.kind != FigureKind::kNumber) return fig.kind == FigureKind::kUnreadable && !text.empty();
  return text.find('.') != std::string::npos || text.find(',') != std::string::npos ||
         fig.value > Decimal::FromInt(99);
}

std::string CellText(const TableGrid& grid, int row, int col) {
  int at = grid.CellAt(row, col);
  return at < 0 ? std::string() : CompactText(grid.cells[at].text);
}

// ---------------------------------------------------------------- captions

std::string CaptionWithoutNoise(const std::string& caption) {
  std::string text = CompactText(caption);
  for (const char* noise : {"(续)", "续表", "(續)"}) {
    size_t at;
    while ((at = text.find(noise)) != std::string::npos) text.erase(at, std::string(noise).size());
  }
  return text;
}

bool IsContinuationCaption(const std::string& caption) {
  std::string text = CompactText(caption);
  return Contains(text, "(续)") || Contains(text, "续表") || Contains(text, "(續)");
}

std::string CaptionUnit(const std::string& caption) { return FindAmountUnit(caption); }

bool DeclaresEmpty(const std::string& text, const JuesuanSchema& schema) {
  std::string compact = CompactText(text);
  for (const std::string& note : schema.empty_notes) {
    if (Contains(compact, note)) return true;
  }
  return false;
}

// ------------------------------------------------------------------ header

struct HeaderInfo {
  int body_start = 0;        // first body row
  int lanci_row = -1;        // the 栏次 row, if printed
  std::vector<std::string> leaf, path, top;  // per column
  std::vector<std::vector<std::string>> levels;  // per column, top to bottom
};

bool IsLanciRow(const TableGrid& grid, int row) {
  int numbers = 0, others = 0;
  for (int col = 0; col < grid.n_cols(); ++col) {
    int at = grid.CellAt(row, col);
    if (at < 0 || grid.cells[at].row != row) continue;
    std::string text = CompactText(grid.cells[at].text);
    if (text.empty()) continue;
    if (Contains(text, "栏次") || Contains(text, "栏号")) return true;
    if (IsSmallInteger(text)) {
      ++numbers;
    } else if (!Contains(text, "行次")) {
      ++others;
    }
  }
  return numbers >= 2 && others == 0;
}

bool IsDataRow(const TableGrid& grid, int row, const TableDef* def) {
  // Only coded and two-sided tables have label-only body rows (合计, items);
  // the others start where the first code or figure does.
  bool labels_count = !def || def->layout == TableLayout::kCoded || def->layout == TableLayout::kTwoSided;
  for (int col = 0; col < grid.n_cols(); ++col) {
    int at = grid.CellAt(row, col);
    if (at < 0) continue;
    const Cell& cell = grid.cells[at];
    std::string text = CompactText(cell.text);
    if (text.empty()) continue;
    if (cell.row == row && (IsCode(text) || LooksLikeAmount(text))) return true;
    if (!labels_count) continue;
    std::string label = StripOrdinal(text);
    bool has_ordinal = label.size() < text.size();
    // A 合计 row starts at the left edge; a 合计 header stands over figures.
    if ((label == "合计" || label == "总计") && cell.col <= 1) return true;
    if (!def) continue;
    for (const SideDef& side : def->sides) {
      for (const RowDef& r : side.rows) {
        if (label == r.key && (has_ordinal || cell.col <= 1)) return true;
      }
    }
  }
  return false;
}

// A header cell's words with the 栏次 marker taken out: with no rule between
// them, "科目名称" and "栏次" (or "合计" and its number) read as one cell.
std::string WithoutLanciMarker(std::string text) {
  for (std::string_view word : {"栏次", "栏号"}) {
    if (size_t pos = text.find(word); pos != std::string::npos) text.erase(pos, word.size());
  }
  return text;
}

// Whether a 栏次 row also carries header words (a header row merged into it).
bool LanciRowCarriesHeader(const TableGrid& grid, int row) {
  for (int col = 0; col < grid.n_cols(); ++col) {
    int at = grid.CellAt(row, col);
    if (at < 0 || grid.cells[at].row != row) continue;
    std::string text = WithoutLanciMarker(CompactText(grid.cells[at].text));
    if (!text.empty() && !IsSmallInteger(text) && !Contains(text, "行次")) return true;
  }
  return false;
}

HeaderInfo AnalyseHeader(const TableGrid& grid, const TableDef* def) {
  HeaderInfo info;
  int n_rows = grid.n_rows(), n_cols = grid.n_cols();
  info.body_start = n_rows;
  for (int row = 0; row < n_rows; ++row) {
    if (IsLanciRow(grid, row)) {
      info.lanci_row = row;
      info.body_start = row + 1;
      // Merged with header words, it need not be the header's last row.
      if (LanciRowCarriesHeader(grid, row)) continue;
      break;
    }
    if (IsDataRow(grid, row, def)) {
      info.body_start = row;
      break;
    }
  }
  info.leaf.assign(n_cols, "");
  info.path.assign(n_cols, "");
  info.top.assign(n_cols, "");
  info.levels.assign(n_cols, {});
  for (int col = 0; col < n_cols; ++col) {
    int last = -1;
    for (int row = 0; row < info.body_start; ++row) {
      int at = grid.CellAt(row, col);
      if (at < 0 || at == last) continue;
      last = at;
      std::string text = CompactText(grid.cells[at].text);
      if (row == info.lanci_row) {
        // The 栏次 row is no header, unless a header cell shares it.
        text = WithoutLanciMarker(text);
        if (IsSmallInteger(text) || Contains(text, "行次")) continue;
      }
      if (text.empty()) continue;
      if (info.top[col].empty()) info.top[col] = text;
      info.path[col] += text;
      info.leaf[col] = text;
      info.levels[col].push_back(text);
    }
  }
  return info;
}

// ----------------------------------------------------------------- columns

enum class Role { kNone, kCode, kName, kLine, kValue };

struct ColumnRole {
  Role role = Role::kNone;
  std::string id;  // kValue: 栏次 by meaning
  int side = 0;    // two-sided tables: index into TableDef::sides
};

bool MatchesAny(const std::string& text, const std::vector<std::string>& patterns) {
  for (const std::string& p : patterns) {
    if (Contains(text, p)) return true;
  }
  return false;
}

Role LabelRole(const std::string& leaf, const JuesuanSchema& schema) {
  if (leaf.empty()) return Role::kNone;
  if (Contains(leaf, "行次")) return Role::kLine;
  if (Contains(leaf, "编码") || leaf == "类" || leaf == "款" || leaf == "项") return Role::kCode;
  if (leaf == "项目" || leaf == "科目" || leaf == "名称" || Contains(leaf, "科目名称") ||
      Contains(leaf, "项目名称") || leaf == "收入项目" || leaf == "支出项目") {
    return Role::kName;
  }
  return Role::kNone;
}

// The lowest header level naming the column's item: levels that only repeat a
// path marker ("预算数" under 合计 in interleaved 预算/决算 layouts) are skipped.
const std::string& ItemLeaf(const std::vector<std::string>& levels, const std::vector<std::string>& path) {
  static const std::string kNone;
  for (auto it = levels.rbegin(); it != levels.rend(); ++it) {
    bool marker = false;
    for (const std::string& p : path) marker |= (*it == p || *it == p + "数");
    if (!marker) return *it;
  }
  return levels.empty() ? kNone : levels.back();
}

// Assigns column definitions to grid columns: each definition to at most one
// column, the longest matching pattern first.
void AssignValueColumns(const std::vector<ColumnDef>& defs, const std::vector<int>& columns,
                        const HeaderInfo& header, int side, std::vector<ColumnRole>& roles) {
  struct Candidate {
    size_t score;
    int col;
    const ColumnDef* def;
  };
  std::vector<Candidate> candidates;
  for (int col : columns) {
    if (roles[col].role != Role::kNone) continue;
    for (const ColumnDef& def : defs) {
      if (!def.path.empty() && !MatchesAny(header.path[col], def.path)) continue;
      const std::string& leaf = ItemLeaf(header.levels[col], def.path);
      size_t best = 0;
      for (const std::string& p : def.leaf) {
        if (Contains(leaf, p)) best = std::max(best, p.size() * 4 + (leaf == p ? 2 : 0));
      }
      if (best > 0) candidates.push_back({best, col, &def});
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  std::set<std::string> used;
  for (const Candidate& c : candidates) {
    if (roles[c.col].role != Role::kNone || used.count(c.def->id)) continue;
    roles[c.col] = ColumnRole{Role::kValue, c.def->id, side};
    used.insert(c.def->id);
  }
}

std::vector<ColumnRole> AssignColumns(const TableGrid& grid, const HeaderInfo& header,
                                      const TableDef& def, const JuesuanSchema& schema) {
  int n_cols = grid.n_cols();
  std::vector<ColumnRole> roles(n_cols);
  for (int col = 0; col < n_cols; ++col) roles[col].role = LabelRole(header.leaf[col], schema);
  // A 类/款/项 header OCR garbled ("R" for 类) under 科目编码: the column is
  // one of codes when every figure-like text in its body is a 科目编码.
  for (int col = 0; col < n_cols; ++col) {
    if (roles[col].role != Role::kNone || !Contains(header.path[col], "编码")) continue;
    int codes = 0, others = 0;
    for (int row = header.body_start; row < grid.n_rows(); ++row) {
      int at = grid.CellAt(row, col);
      if (at < 0 || grid.cells[at].row != row || grid.cells[at].col != col || grid.cells[at].col_span != 1) continue;
      std::string text = CompactText(grid.cells[at].text);
      if (text.empty()) continue;
      if (IsCode(text)) {
        ++codes;
      } else if (LooksLikeAmount(text)) {
        ++others;
      }
    }
    if (codes > 0 && others == 0) roles[col].role = Role::kCode;
  }

  if (def.layout == TableLayout::kTwoSided) {
    // Side of each column: its top header group, else left/right of the
    // second label column.
    int second_name = -1, names = 0;
    for (int col = 0; col < n_cols; ++col) {
      if (roles[col].role == Role::kName && ++names == 2) second_name = col;
    }
    std::vector<std::vector<int>> side_columns(def.sides.size());
    for (int col = 0; col < n_cols; ++col) {
      int side = -1;
      for (size_t s = 0; s < def.sides.size(); ++s) {
        if (MatchesAny(header.top[col], def.sides[s].group) &&
            (side < 0 || header.top[col].size() < header.top[side_columns.size() > 0 ? col : col].size())) {
          side = static_cast<int>(s);
        }
      }
      // A top group naming both sides (or neither) is decided by position.
      bool both = MatchesAny(header.top[col], def.sides[0].group) &&
                  def.sides.size() > 1 && MatchesAny(header.top[col], def.sides[1].group);
      if (side < 0 || both) side = (second_name >= 0 && col >= second_name) ? 1 : 0;
      roles[col].side = side;
      side_columns[side].push_back(col);
    }
    for (size_t s = 0; s < def.sides.size(); ++s) {
      AssignValueColumns(def.sides[s].columns, side_columns[s], header, static_cast<int>(s), roles);
    }
  } else {
    std::vector<int> all(n_cols);
    for (int col = 0; col < n_cols; ++col) all[col] = col;
    if (def.layout == TableLayout::kEconomic) {
      // Each code/name/amount group has its own amount column: same meaning.
      for (int col = 0; col < n_cols; ++col) {
        if (roles[col].role != Role::kNone) continue;
        for (const ColumnDef& c : def.columns) {
          if (MatchesAny(header.leaf[col], c.leaf)) roles[col] = ColumnRole{Role::kValue, c.id, 0};
        }
      }
    } else {
      AssignValueColumns(def.columns, all, header, 0, roles);
    }
  }
  // A printed 栏次 settles columns whose header wording was not recognised.
  if (header.lanci_row >= 0) {
    std::set<std::string> used;
    for (const ColumnRole& r : roles) {
      if (r.role == Role::kValue) used.insert(r.id + "/" + std::to_string(r.side));
    }
    for (int col = 0; col < n_cols; ++col) {
      if (roles[col].role != Role::kNone) continue;
      std::string number = CellText(grid, header.lanci_row, col);
      if (!IsSmallInteger(number)) continue;
      const std::vector<ColumnDef>& defs =
          def.layout == TableLayout::kTwoSided ? def.sides[roles[col].side].columns : def.columns;
      for (const ColumnDef& c : defs) {
        if (c.id == number && !used.count(c.id + "/" + std::to_string(roles[col].side))) {
          roles[col] = ColumnRole{Role::kValue, c.id, roles[col].side};
          used.insert(c.id + "/" + std::to_string(roles[col].side));
        }
      }
    }
  }
  return roles;
}

// Roles for a continuation grid printed without a header: inherit from the
// previous grid's column under the same x range.
std::vector<ColumnRole> InheritColumns(const TableGrid& grid, const TableGrid& previous,
                                       const std::vector<ColumnRole>& previous_roles) {
  std::vector<ColumnRole> roles(grid.n_cols());
  for (int col = 0; col < grid.n_cols(); ++col) {
    double x0 = grid.col_edges[col], x1 = grid.col_edges[col + 1];
    double best = 0;
    for (int p = 0; p < previous.n_cols(); ++p) {
      double overlap = std::min(x1, previous.col_edges[p + 1]) - std::max(x0, previous.col_edges[p]);
      if (overlap > best) {
        best = overlap;
        roles[col] = previous_roles[p];
      }
    }
  }
  return roles;
}

// -------------------------------------------------------------------- rows

}  // namespace

std::string CanonicalRow(const std::string& label, const std::vector<RowDef>& rows) {
  std::string stripped = StripOrdinal(label);
  if (stripped.empty()) return "";
  for (const RowDef& r : rows) {
    if (stripped == r.key) return r.key;
    for (const std::string& a : r.aliases) {
      if (stripped == a) return r.key;
    }
  }
  // A label cut by wrapping: a unique key it begins.
  const RowDef* unique = nullptr;
  int matches = 0;
  if (stripped.size() >= 9) {  // three CJK characters
    for (const RowDef& r : rows) {
      if (r.key.rfind(stripped, 0) == 0) {
        unique = &r;
        ++matches;
      }
    }
  }
  if (matches == 1) return unique->key;
  // An ordinal OCR garbled past StripOrdinal ("/狼" for "八、"): the longest
  // key the label ends with, after at most two stray characters.
  const RowDef* ending = nullptr;
  size_t ending_size = 0;
  for (const RowDef& r : rows) {
    std::vector<const std::string*> names{&r.key};
    for (const std::string& a : r.aliases) names.push_back(&a);
    for (const std::string* name : names) {
      if (name->size() < 9 || name->size() <= ending_size || stripped.size() <= name->size()) continue;
      if (stripped.compare(stripped.size() - name->size(), name->size(), *name) != 0) continue;
      if (DecodeUtf8(stripped.substr(0, stripped.size() - name->size())).size() > 2) continue;
      ending = &r;
      ending_size = name->size();
    }
  }
  if (ending != nullptr) return ending->key;
  // One glyph misread by OCR ("教育文出"): the one key of four glyphs or more
  // that differs from the label in exactly one place.
  const std::u32string glyphs = DecodeUtf8(stripped);
  const RowDef* near = nullptr;
  int near_matches = 0;
  if (glyphs.size() >= 4) {
    for (const RowDef& r : rows) {
      const std::u32string key = DecodeUtf8(r.key);
      if (key.size() != glyphs.size()) continue;
      int differ = 0;
      for (size_t i = 0; i < key.size() && differ < 2; ++i) differ += key[i] != glyphs[i];
      if (differ == 1) {
        near = &r;
        ++near_matches;
      }
    }
  }
  if (near_matches == 1) return near->key;
  return stripped;
}

namespace {

const RowDef* FindRow(const std::string& stripped, const std::vector<RowDef>& rows) {
  for (const RowDef& r : rows) {
    if (stripped == r.key) return &r;
    for (const std::string& a : r.aliases) {
      if (stripped == a) return &r;
    }
  }
  return nullptr;
}

struct TableBuilder {
  Table& table;
  int grid_index;
  const TableGrid& grid;
  std::vector<Finding>& findings;

  // Adds the figure in `cell` (if any) as a fact.
  void AddFigure(const Cell& cell, const std::string& row_key, const std::string& col_id,
                 const std::string& line) {
    Figure fig = ParseFigure(cell.text);
    if (fig.kind == FigureKind::kUnreadable) {
      Finding f;
      f.kind = "unreadable";
      f.message = table.code + " p" + std::to_string(grid.page) + " r" + std::to_string(cell.row) +
                  " c" + std::to_string(cell.col) + ": cell '" + cell.text + "' is not a readable figure";
      f.cells.push_back(FindingCell{table.code, row_key, col_id, grid.page, cell.box, cell.text});
      findings.push_back(std::move(f));
      return;
    }
    if (fig.kind != FigureKind::kNumber) return;
    Fact fact;
    fact.table = table.code;
    fact.row = row_key;
    fact.col = col_id;
    fact.value = fig.value;
    fact.printed = cell.text;
    fact.page = grid.page;
    fact.grid = grid_index;
    fact.cell_row = cell.row;
    fact.cell_col = cell.col;
    fact.box = cell.box;
    fact.source = cell.source;
    fact.confidence = cell.confidence;
    fact.alternatives = cell.alternatives;
    fact.line = line;
    table.facts.push_back(std::move(fact));
  }

  // The cells of `row` that begin in it, once each, left to right.
  std::vector<const Cell*> RowCells(int row) const {
    std::vector<const Cell*> out;
    for (const Cell& c : grid.cells) {
      if (c.row == row) out.push_back(&c);
    }
    std::sort(out.begin(), out.end(), [](const Cell* a, const Cell* b) { return a->col < b->col; });
    return out;
  }
};

// The value role of a cell; none when the cell reaches into a label column
// (a 合计 label spanning over an amount column is still a label).
const ColumnRole* RoleOf(const Cell& cell, const std::vector<ColumnRole>& roles) {
  for (int col = cell.col; col < cell.col + cell.col_span && col < static_cast<int>(roles.size()); ++col) {
    if (roles[col].role == Role::kCode || roles[col].role == Role::kName) return nullptr;
  }
  for (int col = cell.col; col < cell.col + cell.col_span && col < static_cast<int>(roles.size()); ++col) {
    if (roles[col].role == Role::kValue) return &roles[col];
  }
  return nullptr;
}

void MapCodedRows(TableBuilder& b, const HeaderInfo& header, const std::vector<ColumnRole>& roles) {
  std::vector<int> code_cols, name_cols;
  for (size_t col = 0; col < roles.size(); ++col) {
    if (roles[col].role == Role::kCode) code_cols.push_back(static_cast<int>(col));
    if (roles[col].role == Role::kName) name_cols.push_back(static_cast<int>(col));
  }
  std::string last_lei, last_kuan;  // carried down when 类/款/项 are printed apart
  for (int row = header.body_start; row < b.grid.n_rows(); ++row) {
    if (row == header.lanci_row) continue;
    // The code: one column, or the 类/款/项 parts of several.
    std::string code, label;
    int last_code_cell = -1;
    for (int col : code_cols) {
      int at = b.grid.CellAt(row, col);
      if (at < 0 || at == last_code_cell) continue;
      last_code_cell = at;
      std::string part = CompactText(b.grid.cells[at].text);
      if (std::all_of(part.begin(), part.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
        if (part.size() >= 3 || code.empty()) {
          code = part.size() >= 3 ? part : code + part;
          if (part.size() == 2 && code.size() == 2) code = "";  // resolved below
          if (part.size() == 2) code = part;
        } else {
          code += part;
        }
      } else {
        label += part;
      }
    }
    if (code_cols.size() > 1 && !code.empty() && code.size() < 7) {
      // Split columns: 款 "05" after 类 "208", 项 "02" after 款.
      if (code.size() == 3) {
        last_lei = code;
        last_kuan.clear();
      } else if (code.size() == 2) {
        code = (last_kuan.empty() ? last_lei : last_kuan) + code;
      } else if (code.size() == 4) {
        code = last_lei + code;
      }
      if (code.size() == 5) last_kuan = code;
    } else if (code.size() == 3) {
      last_lei = code;
    } else if (code.size() == 5) {
      last_kuan = code;
    }
    for (int col : name_cols) label += CellText(b.grid, row, col);
    std::string key;
    if (IsCode(code)) {
      key = code;
    } else {
      std::string stripped = StripOrdinal(label);
      if (Contains(stripped, "合计") || Contains(stripped, "总计")) key = "合计";
    }
    if (key.empty()) continue;
    for (const Cell* cell : b.RowCells(row)) {
      if (const ColumnRole* role = RoleOf(*cell, roles)) b.AddFigure(*cell, key, role->id, "");
    }
  }
}

void MapEconomicRows(TableBuilder& b, const HeaderInfo& header, const std::vector<ColumnRole>& roles,
                     const TableDef& def) {
  for (int row = header.body_start; row < b.grid.n_rows(); ++row) {
    std::string key;
    for (const Cell* cell : b.RowCells(row)) {
      std::string text = CompactText(cell->text);
      // A total's label may spill into an amount column ("公用经费合计"
      // centred across its side): it names the next figure, it is none.
      const auto total = std::find_if(def.totals.begin(), def.totals.end(),
                                      [&](const std::string& t) { return Contains(text, t); });
      if (total != def.totals.end()) {
        key = *total;
        continue;
      }
      const ColumnRole* role = RoleOf(*cell, roles);
      if (role && !IsCode(text)) {
        if (!key.empty()) b.AddFigure(*cell, key, role->id, "");
        key.clear();
        continue;
      }
      if (IsCode(text) && (roles[cell->col].role == Role::kCode || !role)) {
        key = text;
        continue;
      }
    }
  }
}

void MapSingleRow(TableBuilder& b, const HeaderInfo& header, const std::vector<ColumnRole>& roles,
                  const TableDef& def) {
  for (int row = header.body_start; row < b.grid.n_rows(); ++row) {
    bool any = false;
    for (const Cell* cell : b.RowCells(row)) {
      const ColumnRole* role = RoleOf(*cell, roles);
      if (!role) continue;
      size_t before = b.table.facts.size();
      b.AddFigure(*cell, def.row_key, role->id, "");
      any |= b.table.facts.size() > before;
    }
    if (any) return;  // the one data row
  }
}

void MapTwoSidedRows(TableBuilder& b, const HeaderInfo& header, const std::vector<ColumnRole>& roles,
                     const TableDef& def) {
  for (size_t s = 0; s < def.sides.size(); ++s) {
    const SideDef& side = def.sides[s];
    int name_col = -1, line_col = -1;
    for (size_t col = 0; col < roles.size(); ++col) {
      if (roles[col].side != static_cast<int>(s)) continue;
      if (roles[col].role == Role::kName && name_col < 0) name_col = static_cast<int>(col);
      if (roles[col].role == Role::kLine && line_col < 0) line_col = static_cast<int>(col);
    }
    if (name_col < 0) continue;
    const RowGroupDef* group = nullptr;
    for (int row = header.body_start; row < b.grid.n_rows(); ++row) {
      int at = b.grid.CellAt(row, name_col);
      if (at < 0 || b.grid.cells[at].row != row) continue;
      std::string label = CompactText(b.grid.cells[at].text);
      std::string stripped = StripOrdinal(label);
      if (stripped.empty()) continue;
      std::string key;
      if (group) {
        if (const RowDef* child = FindRow(stripped, group->children)) {
          key = group->key + ":" + child->key;
        } else {
          group = nullptr;
        }
      }
      if (key.empty()) {
        key = CanonicalRow(stripped, side.rows);
        for (const RowGroupDef& g : side.groups) {
          if (key == g.key) group = &g;
        }
      }
      std::string line = line_col >= 0 ? CellText(b.grid, row, line_col) : "";
      for (const Cell* cell : b.RowCells(row)) {
        const ColumnRole* role = RoleOf(*cell, roles);
        if (role && role->side == static_cast<int>(s)) b.AddFigure(*cell, key, role->id, line);
      }
    }
  }
}

// ------------------------------------------------------------ table groups

struct GridRef {
  int page;
  const TableGrid* grid;
  std::string caption;   // text between the previous grid (or page top) and this one
  std::string unit_line; // the caption lines joined, for 单位 and 部门
};

}  // namespace

std::string StripOrdinal(const std::string& label) {
  static const std::wregex kOrdinal(
      LR"(^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]、?|\d{1,2}[、.．](?!\d)|[①-⑳])\s*)");
  std::wstring compact = WidenUtf8(CompactText(label));
  std::string out = NarrowToUtf8(
      std::regex_replace(compact, kOrdinal, L"", std::regex_constants::format_first_only));
  for (const char* prefix : {"其中:", "其中："}) {
    if (out.rfind(prefix, 0) == 0) out = out.substr(std::string(prefix).size());
  }
  return out;
}

std::string IdentifyCaption(const std::string& caption, const JuesuanSchema& schema) {
  std::string text = CaptionWithoutNoise(caption);
  std::string best;
  size_t best_len = 0;
  for (const TableDef& def : schema.tables) {
    for (const std::string& title : def.titles) {
      if (title.size() > best_len && Contains(text, title)) {
        // "收入支出决算总表" inside "财政拨款收入支出决算总表" is the longer title's.
        best = def.code;
        best_len = title.size();
      }
    }
  }
  if (!best.empty()) return best;
  static const std::regex kCode(R"(公开0?([1-9])表)");
  std::smatch match;
  if (std::regex_search(text, match, kCode)) {
    std::string code = "公开0" + match[1].str() + "表";
    if (schema.Find(code)) return code;
  }
  return "";
}

MapperOutput MapJuesuanTables(const std::vector<PageLayout>& pages, const JuesuanSchema& schema) {
  MapperOutput out;
  // 1. Caption of every grid: the lines above it, below the previous grid.
  std::vector<GridRef> refs;
  for (const PageLayout& page : pages) {
    double floor = 0;
    for (const TableGrid& grid : page.grids) {
      GridRef ref{page.page, &grid, "", ""};
      for (const TextLine& line : page.lines) {
        if (line.box.cy() >= floor && line.box.cy() <= grid.box.y0 + 1) ref.caption += line.text + "\n";
      }
      floor = grid.box.y1;
      refs.push_back(std::move(ref));
    }
  }
  // 2. Group grids into tables: a grid with a recognised caption starts a
  // table (or continues the same table after "（续）"); a grid with no title
  // continues the previous one when its columns line up.
  const TableGrid* previous_grid = nullptr;
  for (const GridRef& ref : refs) {
    std::string code = IdentifyCaption(ref.caption, schema);
    bool continuation = false;
    if (!out.tables.empty() && previous_grid) {
      Table& last = out.tables.back();
      bool same_code = !code.empty() && code == last.code;
      bool untitled = code.empty() && CompactText(ref.caption).find("表") == std::string::npos;
      bool adjacent_page = ref.page - last.pages.back() <= 1;
      bool columns_match = ref.grid->n_cols() == previous_grid->n_cols();
      continuation = adjacent_page && ((same_code && (IsContinuationCaption(ref.caption) ||
                                                      ref.page != last.pages.back())) ||
                                       (untitled && columns_match && !last.code.empty()));
    }
    if (!continuation) {
      Table table;
      table.code = code;
      for (const std::string& line : [&] {
             std::vector<std::string> lines;
             size_t start = 0, end;
             while ((end = ref.caption.find('\n', start)) != std::string::npos) {
               lines.push_back(ref.caption.substr(start, end - start));
               start = end + 1;
             }
             return lines;
           }()) {
        if (table.title.empty() && !code.empty() && IdentifyCaption(line, schema) == code &&
            FindAmountUnit(line).empty()) {
          table.title = line;
        }
        static const std::wregex kCaption(LR"((公开0?[1-9]表|[(（]?表\s*[1-9][)）]?))");
        std::wsmatch m;
        std::wstring compact = WidenUtf8(CompactText(line));
        if (table.caption.empty() && std::regex_search(compact, m, kCaption)) {
          table.caption = NarrowToUtf8(m[1].str());
        }
      }
      table.unit = CaptionUnit(ref.caption);
      out.tables.push_back(std::move(table));
    }
    Table& table = out.tables.back();
    if (table.unit.empty()) table.unit = CaptionUnit(ref.caption);
    if (table.pages.empty() || table.pages.back() != ref.page) table.pages.push_back(ref.page);
    table.grids.push_back(*ref.grid);
    previous_grid = ref.grid;
  }
  // 3. Map each identified table's grids.
  for (Table& table : out.tables) {
    if (table.unit.empty()) table.unit = "万元";
    const TableDef* def = schema.Find(table.code);
    if (!def) continue;
    std::vector<ColumnRole> roles;
    for (size_t g = 0; g < table.grids.size(); ++g) {
      const TableGrid& grid = table.grids[g];
      HeaderInfo header = AnalyseHeader(grid, def);
      bool has_header = header.body_start > 0;
      if (has_header || roles.empty()) {
        roles = AssignColumns(grid, header, *def, schema);
      } else {
        roles = InheritColumns(grid, table.grids[g - 1], roles);
      }
      for (const Cell& cell : grid.cells) {
        if (DeclaresEmpty(cell.text, schema)) table.declared_empty = true;
      }
      TableBuilder builder{table, static_cast<int>(g), grid, out.findings};
      switch (def->layout) {
        case TableLayout::kCoded: MapCodedRows(builder, header, roles); break;
        case TableLayout::kEconomic: MapEconomicRows(builder, header, roles, *def); break;
        case TableLayout::kSingleRow: MapSingleRow(builder, header, roles, *def); break;
        case TableLayout::kTwoSided: MapTwoSidedRows(builder, header, roles, *def); break;
      }
    }
  }
  // Notes under a table ("此表无数值") declare it empty.
  for (const PageLayout& page : pages) {
    for (const TextLine& line : page.lines) {
      if (!DeclaresEmpty(line.text, schema)) continue;
      // The table whose last grid on this page is closest above the note.
      Table* owner = nullptr;
      double best = 1e9;
      for (Table& table : out.tables) {
        for (const TableGrid& grid : table.grids) {
          if (grid.page == page.page && grid.box.y1 <= line.box.cy() && line.box.cy() - grid.box.y1 < best) {
            best = line.box.cy() - grid.box.y1;
            owner = &table;
          }
        }
      }
      if (owner) owner->declared_empty = true;
    }
  }
  return out;
}

}  // namespace juesuan
