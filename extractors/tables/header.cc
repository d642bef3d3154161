// Reading a grid's header: which rows are header, what each column means,
// how the columns group into panels printed side by side.
#include <algorithm>
#include <cstdio>
#include <map>
#include <regex>
#include <set>

#include "extractors/tables/mapper_internal.h"
#include "pipeline/core/debug_flags.h"
#include "pipeline/core/utf8.h"
#include "pipeline/normalise/normalise.h"

namespace juesuan::mapper {

bool Contains(const std::string& text, const std::string& pattern) {
  return !pattern.empty() && text.find(pattern) != std::string::npos;
}

bool MatchesAny(const std::string& text, const std::vector<std::string>& patterns) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return Contains(text, p); });
}

bool IsCode(const std::string& text) {
  static const std::regex kCode(R"(^\d{3}(\d{2}){0,2}$)");
  return std::regex_match(text, kCode);
}

bool IsSmallInteger(const std::string& text) {
  static const std::regex kSmall(R"(^\d{1,2}$)");
  return std::regex_match(text, kSmall);
}

bool LooksLikeAmount(const std::string& text) {
  Figure fig = ParseFigure(text);
  if (fig.kind != FigureKind::kNumber) return fig.kind == FigureKind::kUnreadable && !text.empty();
  return text.find('.') != std::string::npos || text.find(',') != std::string::npos ||
         fig.value > Decimal::FromInt(99);
}

bool IsFigureText(const std::string& text) {
  FigureKind kind = ParseFigure(text).kind;
  return kind == FigureKind::kNumber || kind == FigureKind::kUnreadable;
}

bool IsPrintedAmount(const std::string& text) {
  static const std::regex kAmount(R"(^[-(]?\d{1,3}(,\d{3})*(\.\d{1,2})?\)?$|^[-(]?\d+\.\d{1,2}\)?$|^#+$)");
  return std::regex_match(text, kAmount) && (text.find_first_of(".,#") != std::string::npos);
}

std::string CellText(const TableGrid& grid, int row, int col) {
  int at = grid.CellAt(row, col);
  return at < 0 ? std::string() : CompactText(grid.cells[at].text);
}

bool DeclaresEmpty(const std::string& text, const TableSchema& schema) {
  std::string compact = CompactText(text);
  return MatchesAny(compact, schema.empty_notes);
}

namespace {

bool HasCjk(const std::string& text) {
  for (char32_t c : DecodeUtf8(text)) {
    if (c >= 0x3400 && c <= 0x9FFF) return true;
  }
  return false;
}

// The 栏次 row: the word 栏次, or column numbers; OCR may garble a few of
// them into letters ("Powe" for 4) or a lone ideograph ("下" for 6), never
// into words. The word 栏次 itself, garbled ("位砍"), is a short word left
// of every number: then the numbers must run up from 1 or 2 as column
// numbers do (a row of counts, 合计 | 1 | 3, is data).
bool IsLanciRow(const TableGrid& grid, int row) {
  std::vector<const Cell*> cells;
  for (const Cell& cell : grid.cells)
    if (cell.row == row) cells.push_back(&cell);
  std::sort(cells.begin(), cells.end(), [](const Cell* a, const Cell* b) { return a->col < b->col; });
  int numbers = 0, garbled = 0, words = 0, marker = 0;
  std::vector<int> values;
  for (const Cell* cell : cells) {
    std::string text = CompactText(cell->text);
    if (text.empty()) continue;
    if (Contains(text, "栏次") || Contains(text, "栏号")) return true;
    const size_t glyphs = DecodeUtf8(text).size();
    const bool short_word = HasCjk(text) && glyphs <= 3 && CountCjkIdeographs(text) == glyphs &&
                            !Contains(text, "计") && !Contains(text, "一");
    if (IsSmallInteger(text)) {
      ++numbers;
      values.push_back(std::stoi(text));
    } else if (Contains(text, "行次")) {
      continue;
    } else if (!HasCjk(text) && !LooksLikeAmount(text) && glyphs <= 5) {
      ++garbled;
    } else if (short_word && numbers == 0 && marker == 0) {
      ++marker;
    } else if (short_word && glyphs == 1 && numbers > 0) {
      ++garbled;
    } else {
      ++words;
    }
  }
  if (numbers < 2 || words > 0) return false;
  if (garbled > 0 && !(numbers >= 3 && numbers >= 2 * garbled)) return false;
  if (marker == 0) return true;
  return numbers >= 3 && values.front() <= 2 && std::is_sorted(values.begin(), values.end());
}

// Whether `label` names one of `def`'s rows (an item table's body row that
// may carry no figure: 合计 printed blank, an item with a zero left blank).
bool NamesRow(const std::string& label, bool has_ordinal, int col, const TableDef& def) {
  auto names = [&](const std::vector<RowDef>& rows) {
    return std::any_of(rows.begin(), rows.end(), [&](const RowDef& r) {
      return r.Names(label);
    });
  };
  // A header cell may carry a row's name too (公开04表's 一般公共预算财政拨款
  // column): only a label at the left edge, or with its ordinal, counts;
  // or, further right, a row of a later side's label column (支出 of a
  // two-sided table) that names no column of the table.
  if (!has_ordinal && col > 1) {
    bool later_side_row = false;
    for (size_t side = 1; side < def.sides.size(); ++side) later_side_row |= names(def.sides[side].rows);
    if (!later_side_row) return false;
    for (size_t side = 0; side < std::max<size_t>(1, def.sides.size()); ++side) {
      for (const ColumnDef& c : def.PanelColumns(static_cast<int>(side))) {
        for (const std::string& word : c.leaf) {
          if (Contains(label, word) || Contains(word, label)) return false;
        }
      }
    }
    return true;
  }
  if (names(def.rows)) return true;
  for (const SideDef& side : def.sides) {
    if (names(side.rows)) return true;
  }
  return false;
}

bool IsDataRow(const TableGrid& grid, int row, const TableDef* def) {
  // Only coded, item and two-sided tables have label-only body rows (合计,
  // items); the others start where the first code or figure does.
  bool labels_count = !def || def->layout != TableLayout::kSingleRow;
  for (int col = 0; col < grid.n_cols(); ++col) {
    int at = grid.CellAt(row, col);
    if (at < 0) continue;
    const Cell& cell = grid.cells[at];
    std::string text = CompactText(cell.text);
    if (text.empty()) continue;
    // A figure, a code, or a dash printed for "no figure": body, never header.
    if (cell.row == row && (IsCode(text) || LooksLikeAmount(text) || ParseFigure(text).kind == FigureKind::kDash)) {
      return true;
    }
    if (!labels_count) continue;
    std::string label = StripOrdinal(text);
    bool has_ordinal = label.size() < text.size();
    // A 合计 row starts at the left edge of a panel; a 合计 header stands over figures.
    if ((label == "合计" || label == "总计") && cell.col <= 1) return true;
    if (def && NamesRow(label, has_ordinal, cell.col, *def)) return true;
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

Role LabelRole(const std::string& leaf) {
  if (leaf.empty()) return Role::kNone;
  if (Contains(leaf, "行次")) return Role::kLine;
  if (Contains(leaf, "编码") || Contains(leaf, "科目代码") || leaf == "类" || leaf == "款" || leaf == "项") {
    return Role::kCode;
  }
  if (leaf == "项目" || leaf == "科目" || leaf == "名称" || Contains(leaf, "科目名称") || Contains(leaf, "项目名称") ||
      leaf == "收入项目" || leaf == "支出项目" || leaf == "项目(按功能分类)" || leaf == "项目(按经济分类)") {
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

// How well column `col`'s header matches `def` (0: not at all).
// Edit distance between `pattern` and the closest stretch of `text`
// (code points; insertions, deletions and substitutions cost one).
int ClosestStretch(const std::u32string& text, const std::u32string& pattern) {
  const size_t n = text.size(), m = pattern.size();
  // Semi-global alignment: the pattern whole, the text anywhere.
  std::vector<int> previous(n + 1, 0), current(n + 1, 0);
  for (size_t i = 1; i <= m; ++i) {
    current[0] = static_cast<int>(i);
    for (size_t j = 1; j <= n; ++j) {
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1,
                             previous[j - 1] + (pattern[i - 1] == text[j - 1] ? 0 : 1)});
    }
    std::swap(previous, current);
  }
  return *std::min_element(previous.begin(), previous.end());
}

size_t HeaderMatch(const HeaderInfo& header, int col, const ColumnDef& def) {
  if (!def.path.empty() && !MatchesAny(header.path[col], def.path)) return 0;
  if (MatchesAny(header.path[col], def.path_not)) return 0;
  const std::string& leaf = ItemLeaf(header.levels[col], def.path);
  size_t best = 0;
  for (const std::string& p : def.leaf) {
    if (Contains(leaf, p)) best = std::max(best, p.size() * 4 + (leaf == p ? 2 : 0));
  }
  if (best > 0 || leaf.empty()) return best;
  // A header wrapped over two or three rows of the grid ("本年收入合" / "计"
  // where the text's lines made the rows): a name that only the levels
  // joined hold, across a join.
  const std::vector<std::string>& levels = header.levels[col];
  for (size_t take = 2; take <= std::min<size_t>(3, levels.size()); ++take) {
    std::string joined;
    for (size_t i = levels.size() - take; i < levels.size(); ++i) joined += levels[i];
    for (const std::string& p : def.leaf) {
      const bool in_one = std::any_of(levels.begin(), levels.end(), [&](const std::string& l) { return Contains(l, p); });
      if (!in_one && Contains(joined, p)) best = std::max(best, p.size() * 4);
    }
    if (best > 0) return best;
  }
  // A header OCR misread by a glyph or two ("本年查出合计"): a weaker match,
  // only for patterns long enough not to be matched by chance.
  const std::u32string text = DecodeUtf8(leaf);
  for (const std::string& p : def.leaf) {
    const std::u32string pattern = DecodeUtf8(p);
    if (pattern.size() < 4) continue;
    const int allowed = pattern.size() >= 7 ? 2 : 1;
    if (ClosestStretch(text, pattern) <= allowed) best = std::max(best, p.size() * 2);
  }
  return best;
}

// Assigns column definitions to grid columns: each definition to at most one
// column, the longest matching pattern first.
void AssignValueColumns(const std::vector<ColumnDef>& defs, const std::vector<int>& columns,
                        const HeaderInfo& header, int panel, std::vector<ColumnRole>& roles) {
  struct Candidate {
    size_t score;
    int col;
    const ColumnDef* def;
  };
  std::vector<Candidate> candidates;
  for (int col : columns) {
    if (roles[col].role != Role::kNone) continue;
    for (const ColumnDef& def : defs) {
      if (size_t score = HeaderMatch(header, col, def)) candidates.push_back({score, col, &def});
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  std::set<std::string> used;
  for (const ColumnRole& r : roles) {
    if (r.role == Role::kValue && r.panel == panel) used.insert(r.id);
  }
  for (const Candidate& c : candidates) {
    if (roles[c.col].role != Role::kNone || used.count(c.def->id)) continue;
    roles[c.col] = ColumnRole{Role::kValue, c.def->id, panel};
    used.insert(c.def->id);
  }
}

// What a column's body holds, counted over cells that start in it alone.
struct BodyProfile {
  int codes = 0, amounts = 0, words = 0, small = 0;
  int cjk_words = 0;  // words with Chinese characters (not OCR debris)
  int dashes = 0;     // zeros printed as dashes
};

BodyProfile ProfileColumn(const TableGrid& grid, int first_row, int col) {
  BodyProfile p;
  for (const Cell& cell : grid.cells) {
    if (cell.row < first_row || cell.col != col || cell.col_span != 1) continue;
    std::string text = CompactText(cell.text);
    if (text.empty()) continue;
    if (IsDashMark(text)) {
      ++p.dashes;  // a zero printed as a dash, read by OCR as 一 or --
    } else if (IsCode(text)) {
      ++p.codes;
    } else if (LooksLikeAmount(text) || ParseFigure(text).kind == FigureKind::kNumber) {
      IsSmallInteger(text) ? ++p.small : ++p.amounts;
    } else if (ParseFigure(text).kind == FigureKind::kText) {
      ++p.words;
      if (HasCjk(text) && DecodeUtf8(text).size() >= 2) ++p.cjk_words;
    }
  }
  return p;
}

// Split 科目编码 parts: a column of 2-digit numbers beside a code column.
bool IsCodePartColumn(const BodyProfile& p) { return p.small > 0 && p.amounts == 0 && p.words == 0; }

// The definitions a header text names at separate places, in the order it
// names them: the longest patterns first, each definition once, no two on
// the same characters ("一般公共预算财政拨款政府性基金预算财政拨款" names two).
std::vector<const ColumnDef*> NamedInOrder(const std::string& text, const std::vector<const ColumnDef*>& defs) {
  std::vector<std::pair<size_t, const ColumnDef*>> named;  // position in text, definition
  std::vector<char> taken(text.size(), 0);
  std::vector<std::pair<size_t, const ColumnDef*>> patterns;
  for (const ColumnDef* c : defs) {
    for (const std::string& pattern : c->leaf) patterns.push_back({pattern.size(), c});
  }
  std::stable_sort(patterns.begin(), patterns.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::set<const ColumnDef*> seen;
  for (const auto& [length, c] : patterns) {
    if (seen.count(c)) continue;
    for (const std::string& pattern : c->leaf) {
      if (pattern.size() != length) continue;
      size_t at = text.find(pattern);
      if (at == std::string::npos || std::any_of(taken.begin() + at, taken.begin() + at + length, [](char t) { return t; })) continue;
      std::fill(taken.begin() + at, taken.begin() + at + length, 1);
      named.push_back({at, c});
      seen.insert(c);
      break;
    }
  }
  std::sort(named.begin(), named.end());
  std::vector<const ColumnDef*> out;
  for (const auto& [at, c] : named) out.push_back(c);
  return out;
}

}  // namespace

namespace {

// Group titles over a header whose leaves repeat (预算数 over 合计 … 公务接待费,
// 决算数 over the same leaves again): each group is the run of leaves that
// holds its title. A title set off-centre on a page without rules covers only
// some of its columns; the repetition says where each group begins and ends.
void SpreadRepeatedGroups(HeaderInfo& info) {
  std::vector<int> cols;  // columns with a header of their own (not a label column)
  for (int col = 0; col < static_cast<int>(info.leaf.size()); ++col) {
    if (!info.leaf[col].empty() && LabelRole(info.leaf[col]) == Role::kNone) cols.push_back(col);
  }
  // Group titles left to right: the tops of the deepest header columns.
  size_t depth = 0;
  for (int col : cols) depth = std::max(depth, info.levels[col].size());
  if (depth < 2) return;
  std::vector<std::string> groups;
  for (int col : cols) {
    if (info.levels[col].size() < depth) continue;
    if (groups.empty() || groups.back() != info.top[col]) groups.push_back(info.top[col]);
  }
  const size_t n = cols.size(), k = groups.size();
  if (k < 2 || n % k != 0 || std::set<std::string>(groups.begin(), groups.end()).size() != k) return;
  const size_t period = n / k;
  for (size_t i = 0; i + period < n; ++i) {
    if (info.leaf[cols[i]] != info.leaf[cols[i + period]]) return;
  }
  // Each block must hold its own title and no other.
  for (size_t b = 0; b < k; ++b) {
    for (size_t i = b * period; i < (b + 1) * period; ++i) {
      const std::string& top = info.top[cols[i]];
      const bool titled = info.levels[cols[i]].size() == depth;
      if (titled && top != groups[b]) return;
    }
  }
  for (size_t i = 0; i < n; ++i) {
    const int col = cols[i];
    const std::string& group = groups[i / period];
    if (info.top[col] == group) continue;
    info.top[col] = group;
    info.path[col] = group + info.path[col];
    info.levels[col].insert(info.levels[col].begin(), group);
  }
}

// A header cell of Latin letters rather than ideographs: a rule and the
// text touching it read together by OCR ("EARLES E光贷醒机关基ISLA"). The
// headers of these tables are Chinese; taken as a header level, such a run
// over every column would be each column's leaf and hide its real name.
bool IsLatinDebris(const std::string& text) {
  const auto letters = std::count_if(text.begin(), text.end(),
                                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
  return letters >= 3 && static_cast<size_t>(letters) > CountCjkIdeographs(text);
}

}  // namespace

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
  // The line just above the first row of figures, when no rule separates
  // them, may be the row those figures were set below: a 合计/总计 label
  // alone, or a code (part) with its name and no header word.
  while (info.body_start > 0 && info.body_start - 1 != info.lanci_row) {
    const int row = info.body_start - 1;
    bool total = false, code = false, header_word = false, other = false;
    for (const Cell& cell : grid.cells) {
      if (cell.row != row) continue;
      std::string text = StripOrdinal(CompactText(cell.text));
      if (text.empty()) continue;
      const bool ends_total = text.size() >= 6 && (text.compare(text.size() - 6, 6, "合计") == 0 ||
                                                  text.compare(text.size() - 6, 6, "总计") == 0);
      if (text == "合计" || text == "总计" || (ends_total && Utf8Length(text) <= 8) ||
          (def && std::find(def->totals.begin(), def->totals.end(), text) != def->totals.end())) {
        total = true;  // 合计, or a labelled total (公用经费合计) set above its figures
      } else if (text.size() <= 7 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        code = true;
      } else if (LabelRole(text) != Role::kNone || Contains(text, "栏次") || Contains(text, "编码") ||
                 Contains(text, "名称")) {
        header_word = true;
      } else {
        other = true;
      }
    }
    const bool between_lines = !grid.RowEdgeIsRule(info.body_start);
    if (header_word || (!(total && !other && !code) && !(code && between_lines))) break;
    --info.body_start;
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
      if (text.empty() || IsLatinDebris(text)) continue;
      info.words = true;
      if (info.top[col].empty()) info.top[col] = text;
      info.path[col] += text;
      info.leaf[col] = text;
      info.levels[col].push_back(text);
    }
  }
  SpreadRepeatedGroups(info);
  return info;
}

ColumnModel AssignColumns(const TableGrid& grid, const HeaderInfo& header, const TableDef& def,
                          const TableSchema& schema) {
  const int n_cols = grid.n_cols();
  ColumnModel model;
  std::vector<ColumnRole>& roles = model.roles;
  roles.resize(n_cols);
  std::vector<BodyProfile> body(n_cols);
  for (int col = 0; col < n_cols; ++col) {
    body[col] = ProfileColumn(grid, header.body_start, col);
    roles[col].role = LabelRole(header.leaf[col]);
    if (def.layout == TableLayout::kItems) {
      if (MatchesAny(header.leaf[col], def.attribute_headers)) roles[col].role = Role::kAttribute;
      else if (MatchesAny(header.leaf[col], def.label_headers)) roles[col].role = Role::kName;
    }
    // A header naming a column of figures is no label ("项目支出").
    if (roles[col].role == Role::kName && body[col].amounts > body[col].words && body[col].amounts >= 2) {
      roles[col].role = Role::kNone;
    }
  }
  auto numbered = [&](int col) {
    return header.lanci_row >= 0 && IsSmallInteger(CellText(grid, header.lanci_row, col));
  };
  // Where the header says nothing (garbled by OCR: "R" for 类, or printed
  // without one), the body does: a column of codes (or of the 2-digit 款/项
  // parts beside one), a column of words.
  for (int col = 0; col < n_cols; ++col) {
    if (roles[col].role != Role::kNone) continue;
    const BodyProfile& p = body[col];
    bool header_names_value = false;
    for (int side = 0; side < std::max<int>(1, def.sides.size()); ++side) {
      for (const ColumnDef& c : def.PanelColumns(side)) header_names_value |= HeaderMatch(header, col, c) > 0;
    }
    if (header_names_value) continue;  // "项目支出" over figures
    const bool after_code = col > 0 && roles[col - 1].role == Role::kCode;
    // A code or two misread by OCR as an amount or a word leave it a
    // column of codes.
    if (p.codes > 0 && (p.amounts + p.words == 0 || (p.codes >= 3 && p.codes >= 2 * (p.amounts + p.words)))) {
      roles[col].role = Role::kCode;
    } else if (after_code && IsCodePartColumn(p) && def.layout == TableLayout::kCoded) {
      roles[col].role = Role::kCode;
    } else if (p.cjk_words >= 1 && p.cjk_words * 2 >= p.words &&
               (p.amounts == 0 || (p.cjk_words >= 3 && 5 * p.amounts <= p.cjk_words)) &&
               def.layout != TableLayout::kSingleRow && !numbered(col)) {
      // Words of Chinese, not OCR debris; and no 栏次 number over them. A
      // figure or two among many names spilled over from the next column.
      roles[col].role = Role::kName;
    }
  }
  // A "column of names" right of figures holding a word or three where the
  // table's names column holds many is OCR debris (specks or JPEG noise in
  // blank cells read as ideographs), not a second panel's names.
  int most_names = 0;
  for (int col = 0; col < n_cols; ++col)
    if (roles[col].role == Role::kName) most_names = std::max(most_names, body[col].cjk_words);
  bool after_figures = false;
  for (int col = 0; col < n_cols; ++col) {
    const std::string& head = header.leaf[col];
    const bool headed_as_names = Contains(head, "名称") || Contains(head, "项目") || Contains(head, "科目");
    if (after_figures && roles[col].role == Role::kName && !headed_as_names && body[col].cjk_words <= 3 &&
        4 * body[col].cjk_words < most_names)
      roles[col].role = Role::kNone;
    after_figures |= body[col].amounts > 0;
  }
  // In a coded table the columns between the 类 codes and the names (or
  // the 项 codes) are the 款/项 parts, however OCR garbled some of their
  // digits into ideographs or marks ("--.03"): more of their readings are
  // numbers than amounts.
  if (def.layout == TableLayout::kCoded) {
    for (int after = 1; after < n_cols; ++after) {
      if (roles[after].role != Role::kName && roles[after].role != Role::kCode) continue;
      int first = after;
      while (first > 0 && roles[first - 1].role == Role::kNone && body[first - 1].amounts < body[first - 1].small + body[first - 1].codes)
        --first;
      if (first == after || first == 0 || roles[first - 1].role != Role::kCode || after - first > 2) continue;
      for (int col = first; col < after; ++col) roles[col].role = Role::kCode;
    }
  }
  // A 科目编码 group title that the text alignment left in a column of its
  // own, beside the 类/款/项 columns it heads, names no code part.
  auto is_part = [&](int col) { return header.leaf[col] == "类" || header.leaf[col] == "款" || header.leaf[col] == "项"; };
  const bool split_parts = std::any_of(roles.begin(), roles.end(), [&](const ColumnRole& r) {
    return r.role == Role::kCode && is_part(static_cast<int>(&r - roles.data()));
  });
  // Likewise the half of a 功能分类科目编码 title that a scan's gap split off
  // ("功能分类科目 | 编码") over no body at all, beside the column of codes.
  const bool coded = std::any_of(roles.begin(), roles.end(), [&](const ColumnRole& r) {
    return r.role == Role::kCode && body[&r - roles.data()].codes > 0;
  });
  for (int col = 0; col < n_cols && (split_parts || coded); ++col) {
    const BodyProfile& p = body[col];
    if (roles[col].role == Role::kCode && !is_part(col) && p.codes + p.amounts + p.words + p.small == 0) {
      roles[col].role = Role::kNone;
    }
  }
  // Panels, left to right: a code or name column after a column of figures
  // starts one (a 行次 column belongs to the name before it).
  auto names_value = [&](int col) {
    for (int side = 0; side < std::max<int>(1, def.sides.size()); ++side) {
      for (const ColumnDef& c : def.PanelColumns(side)) {
        if (HeaderMatch(header, col, c) > 0) return true;
      }
    }
    return false;
  };
  auto value_like = [&](int col) {
    return roles[col].role == Role::kNone && (body[col].amounts > 0 || names_value(col));
  };
  bool seen_value = false;
  for (int col = 0; col < n_cols; ++col) {
    Role role = roles[col].role;
    bool label = role == Role::kCode || role == Role::kName;
    if (model.panels.empty() || (label && seen_value)) {
      Panel panel;
      panel.first_col = col;
      model.panels.push_back(panel);
      seen_value = false;
    }
    Panel& panel = model.panels.back();
    panel.last_col = col;
    roles[col].panel = static_cast<int>(model.panels.size()) - 1;
    if (role == Role::kCode) panel.code_cols.push_back(col);
    if (role == Role::kName) panel.name_cols.push_back(col);
    if (role == Role::kLine && panel.line_col < 0) panel.line_col = col;
    if (role == Role::kAttribute) panel.attribute_cols.push_back(col);
    if (value_like(col)) seen_value = true;
  }
  // Side of each panel (收入 | 支出 …): by the header group naming it, the
  // most specific group first; else by position.
  const int n_panels = static_cast<int>(model.panels.size());
  if (def.layout == TableLayout::kTwoSided && !def.sides.empty()) {
    std::vector<std::vector<size_t>> score(n_panels, std::vector<size_t>(def.sides.size(), 0));
    for (int p = 0; p < n_panels; ++p) {
      for (int col = model.panels[p].first_col; col <= model.panels[p].last_col; ++col) {
        for (size_t s = 0; s < def.sides.size(); ++s) {
          for (const std::string& g : def.sides[s].group) {
            if (Contains(header.path[col], g)) score[p][s] = std::max(score[p][s], g.size());
          }
        }
      }
    }
    std::vector<char> side_used(def.sides.size(), 0);
    std::vector<int> side_of(n_panels, -1);
    for (;;) {
      size_t best = 0;
      int best_p = -1, best_s = -1;
      for (int p = 0; p < n_panels; ++p) {
        for (size_t s = 0; s < def.sides.size(); ++s) {
          if (side_of[p] < 0 && !side_used[s] && score[p][s] > best) {
            best = score[p][s];
            best_p = p;
            best_s = static_cast<int>(s);
          }
        }
      }
      if (best_p < 0) break;
      side_of[best_p] = best_s;
      side_used[best_s] = 1;
    }
    // Panels no group names take the free sides in order.
    for (int p = 0; p < n_panels; ++p) {
      if (side_of[p] >= 0) continue;
      int want = std::min<int>(p, static_cast<int>(def.sides.size()) - 1);
      for (size_t s = want; s < def.sides.size() && side_of[p] < 0; ++s) {
        if (!side_used[s]) side_of[p] = static_cast<int>(s), side_used[s] = 1;
      }
      if (side_of[p] < 0) side_of[p] = want;
    }
    for (int p = 0; p < n_panels; ++p) model.panels[p].side = side_of[p];
  }
  // A printed 栏次 numbers the columns by the template: where every column
  // of figures in a panel carries a distinct number the panel defines, it
  // settles them before the header words (which a wrapped header can blur).
  if (header.lanci_row >= 0) {
    for (int p = 0; p < n_panels; ++p) {
      const Panel& panel = model.panels[p];
      std::vector<std::pair<int, std::string>> numbered;
      std::set<std::string> ids, seen;
      for (const ColumnDef& c : def.PanelColumns(panel.side)) ids.insert(c.id);
      bool consistent = true;
      std::vector<int> value_cols;
      for (int col = panel.first_col; col <= panel.last_col; ++col) {
        if (roles[col].role == Role::kNone && body[col].amounts > 0) value_cols.push_back(col);
      }
      // Numbers as printed; one OCR garbled is the one between its neighbours,
      // among the numbers of every column the row numbers (blank columns
      // too: "1 2 4 3 7" over columns 1 2 4 5 7 is no sequence).
      std::vector<int> numbered_cols;
      for (int col = panel.first_col; col <= panel.last_col; ++col)
        if ((roles[col].role == Role::kNone || roles[col].role == Role::kValue) &&
            (body[col].amounts > 0 || !CellText(grid, header.lanci_row, col).empty()))
          numbered_cols.push_back(col);
      std::vector<std::string> numbers;
      for (int col : numbered_cols) numbers.push_back(CellText(grid, header.lanci_row, col));
      for (size_t k = 0; k < numbers.size(); ++k) {
        // A number misread as another between two that bracket it ("1 2 2 4").
        if (IsSmallInteger(numbers[k]) && k > 0 && k + 1 < numbers.size() && IsSmallInteger(numbers[k - 1]) &&
            IsSmallInteger(numbers[k + 1]) && std::stoi(numbers[k + 1]) == std::stoi(numbers[k - 1]) + 2) {
          numbers[k] = std::to_string(std::stoi(numbers[k - 1]) + 1);
          continue;
        }
        if (IsSmallInteger(numbers[k])) continue;
        const bool before = k > 0 && IsSmallInteger(numbers[k - 1]);
        const bool after = k + 1 < numbers.size() && IsSmallInteger(numbers[k + 1]);
        if (before && (!after || std::stoi(numbers[k + 1]) == std::stoi(numbers[k - 1]) + 2)) {
          numbers[k] = std::to_string(std::stoi(numbers[k - 1]) + 1);
        } else if (!before && after && std::stoi(numbers[k + 1]) > 1) {
          numbers[k] = std::to_string(std::stoi(numbers[k + 1]) - 1);
        }
      }
      // A number the row prints twice, even over a blank column, numbers
      // neither column surely.
      std::set<std::string> row_numbers;
      for (const std::string& number : numbers)
        if (IsSmallInteger(number) && !row_numbers.insert(number).second) consistent = false;
      for (size_t k = 0; k < value_cols.size() && consistent; ++k) {
        const int col = value_cols[k];
        int at = grid.CellAt(header.lanci_row, col);
        const auto it = std::find(numbered_cols.begin(), numbered_cols.end(), col);
        const std::string number = it == numbered_cols.end() ? "" : numbers[it - numbered_cols.begin()];
        consistent = at >= 0 && grid.cells[at].col_span == 1 && ids.count(number) && seen.insert(number).second;
        numbered.emplace_back(col, number);
      }
      if (!consistent || numbered.empty()) continue;
      for (const auto& [col, number] : numbered) roles[col] = ColumnRole{Role::kValue, number, p};
    }
  }
  // Header words of neighbouring columns read as one cell (text overflowing
  // a narrow column): the columns sharing it take the columns it names in
  // the order it names them.
  for (int p = 0; p < n_panels; ++p) {
    const Panel& panel = model.panels[p];
    for (int col = panel.first_col; col <= panel.last_col;) {
      int end = col + 1;
      while (end <= panel.last_col && !header.leaf[col].empty() && header.leaf[end] == header.leaf[col]) ++end;
      if (end - col >= 2 && roles[col].role == Role::kNone) {
        std::vector<const ColumnDef*> defs;
        for (const ColumnDef& c : def.PanelColumns(panel.side)) defs.push_back(&c);
        const std::vector<const ColumnDef*> named = NamedInOrder(header.leaf[col], defs);
        if (static_cast<int>(named.size()) == end - col) {
          for (int k = col; k < end; ++k) roles[k] = ColumnRole{Role::kValue, named[k - col]->id, p};
        }
      }
      col = end;
    }
  }
  // One column under the header words of two (two headers set close and
  // read as one, the boundary between their columns not found): which of
  // the two its figures belong to is not known, so neither is claimed; the
  // figures are left unkeyed, unless a printed 栏次 number settles it.
  std::vector<char> two_named(n_cols, 0);
  for (int p = 0; p < n_panels; ++p) {
    const Panel& panel = model.panels[p];
    for (int col = panel.first_col; col <= panel.last_col; ++col) {
      if (roles[col].role != Role::kNone || header.leaf[col].empty()) continue;
      std::vector<const ColumnDef*> defs;
      for (const ColumnDef& c : def.PanelColumns(panel.side)) {
        if ((c.path.empty() || MatchesAny(header.path[col], c.path)) && !MatchesAny(header.path[col], c.path_not)) {
          defs.push_back(&c);
        }
      }
      if (NamedInOrder(header.leaf[col], defs).size() >= 2) {
        two_named[col] = 1;
        roles[col].role = Role::kAttribute;  // kept out of the assignment below
      }
    }
  }
  for (int p = 0; p < n_panels; ++p) {
    Panel& panel = model.panels[p];
    std::vector<int> cols;
    for (int col = panel.first_col; col <= panel.last_col; ++col) cols.push_back(col);
    AssignValueColumns(def.PanelColumns(panel.side), cols, header, p, roles);
  }
  for (int col = 0; col < n_cols; ++col) {
    if (two_named[col]) roles[col].role = Role::kNone;
  }
  // Several columns under one run of header words naming as many columns
  // still free ("本年支出本年收入年末结转和结余" over 本年收入 … 年末结转和结余,
  // the group's own leaves named below it): they take them in the
  // template's order, left to right.
  for (int p = 0; p < n_panels; ++p) {
    const Panel& panel = model.panels[p];
    std::map<std::string, std::vector<int>> sharing;  // leaf -> its unnamed columns
    for (int col = panel.first_col; col <= panel.last_col; ++col) {
      if (two_named[col] && roles[col].role == Role::kNone) sharing[header.leaf[col]].push_back(col);
    }
    std::set<std::string> used;
    for (const ColumnRole& r : roles) {
      if (r.role == Role::kValue && r.panel == p) used.insert(r.id);
    }
    for (const auto& [leaf, cols] : sharing) {
      if (cols.size() < 2) continue;
      std::vector<const ColumnDef*> defs;
      for (const ColumnDef& c : def.PanelColumns(panel.side)) {
        if (!used.count(c.id)) defs.push_back(&c);
      }
      std::vector<const ColumnDef*> named = NamedInOrder(leaf, defs);
      if (named.size() != cols.size()) continue;
      std::vector<const ColumnDef*> in_template_order;
      for (const ColumnDef* c : defs) {
        if (std::find(named.begin(), named.end(), c) != named.end()) in_template_order.push_back(c);
      }
      for (size_t k = 0; k < cols.size(); ++k) {
        roles[cols[k]] = ColumnRole{Role::kValue, in_template_order[k]->id, p};
        two_named[cols[k]] = 0;
        used.insert(in_template_order[k]->id);
      }
    }
  }
  // A printed 栏次 settles columns whose header wording was not recognised.
  if (header.lanci_row >= 0) {
    for (int col = 0; col < n_cols; ++col) {
      if (roles[col].role != Role::kNone) continue;
      std::string number = CellText(grid, header.lanci_row, col);
      if (!IsSmallInteger(number)) continue;
      int p = roles[col].panel;
      std::set<std::string> used;
      for (const ColumnRole& r : roles) {
        if (r.role == Role::kValue && r.panel == p) used.insert(r.id);
      }
      for (const ColumnDef& c : def.PanelColumns(model.panels[p].side)) {
        if (c.id == number && !used.count(c.id)) roles[col] = ColumnRole{Role::kValue, c.id, p};
      }
    }
  }
  // A header centred over figures set right (or left) of it may fall in a
  // column of its own beside theirs: a named column without a figure hands
  // its name to the unnamed column of figures next to it, in its panel,
  // across columns the text alignment opened that hold no figure either.
  for (int col = 0; col < n_cols; ++col) {
    if (roles[col].role != Role::kValue || body[col].amounts > 0) continue;
    auto nearest = [&](int step) {
      for (int neighbour = col + step; neighbour >= 0 && neighbour < n_cols; neighbour += step) {
        if (roles[neighbour].role != Role::kNone || two_named[neighbour] ||
            roles[neighbour].panel != roles[col].panel)
          return -1;
        if (body[neighbour].amounts > 0) return neighbour;
        if (body[neighbour].dashes > 0 || body[neighbour].cjk_words > 0) return -1;
      }
      return -1;
    };
    const int right = nearest(1), left = nearest(-1);
    const int taker = left < 0 || (right >= 0 && right - col <= col - left) ? right : left;
    if (taker < 0) continue;
    roles[taker] = roles[col];
    roles[col] = ColumnRole{Role::kNone, "", roles[col].panel};
  }
  // Last, by position: the template fixes the order of a table's columns.
  // A panel whose open columns (figures, or header words nothing named: a
  // column of the template left blank in this document) are exactly as
  // many as its unassigned definitions (headers OCR could not read) gives
  // them out in order, if that order agrees with the columns named.
  // Columns with neither header words nor figures are no column of the
  // template (a gap the text alignment opened).
  // Its own header words, that is: a group title spanning it and its
  // neighbours (收入 over 项目 | 行次 | 决算数) gives no column a place.
  auto printed_header = [&](int col) {
    for (const Cell& cell : grid.cells) {
      if (cell.col != col || cell.col_span != 1 || cell.row >= header.body_start || cell.row == header.lanci_row)
        continue;
      if (HasCjk(CompactText(cell.text)) && !IsLatinDebris(CompactText(cell.text))) return true;
    }
    return false;
  };
  for (int p = 0; p < n_panels; ++p) {
    const Panel& panel = model.panels[p];
    // A header (or its 栏次 number) centred over figures set right of it
    // may fall in a column of its own: header words over no body beside a
    // body under no header words are one column of the template.
    auto body_unheaded = [&](int col) {
      return col >= panel.first_col && col <= panel.last_col && roles[col].role == Role::kNone && !two_named[col] &&
             CompactText(header.leaf[col]).empty() && (body[col].amounts > 0 || body[col].dashes > 0);
    };
    std::vector<int> open;
    std::set<std::string> used;
    for (int col = panel.first_col; col <= panel.last_col; ++col) {
      if (roles[col].role == Role::kValue) used.insert(roles[col].id);
      if (roles[col].role != Role::kNone) continue;
      const bool no_body = body[col].amounts + body[col].dashes + body[col].words == 0;
      if (no_body && (body_unheaded(col + 1) || body_unheaded(col - 1))) continue;
      // A column under a run of header words that names several columns
      // takes a place by position only when it prints figures: the count
      // and order checks below tell one column per name from two columns
      // read as one.
      if (two_named[col]) {
        if (body[col].amounts > 0) open.push_back(col);
        continue;
      }
      // A blank column's cells may hold a few specks read as words.
      if (body[col].amounts > 0 || body[col].dashes > 0 || (printed_header(col) && body[col].words <= 3))
        open.push_back(col);
    }
    const std::vector<ColumnDef>& defs = def.PanelColumns(panel.side);
    std::vector<const ColumnDef*> free;
    for (const ColumnDef& c : defs) {
      if (!used.count(c.id)) free.push_back(&c);
    }
    if (open.empty() || open.size() != free.size()) continue;
    std::vector<ColumnRole> trial = roles;
    for (size_t k = 0; k < open.size(); ++k) trial[open[k]] = ColumnRole{Role::kValue, free[k]->id, p};
    int last_index = -1;
    bool in_order = true;
    for (int col = panel.first_col; col <= panel.last_col && in_order; ++col) {
      if (trial[col].role != Role::kValue || trial[col].panel != p) continue;
      const auto at = std::find_if(defs.begin(), defs.end(), [&](const ColumnDef& c) { return c.id == trial[col].id; });
      const int index = static_cast<int>(at - defs.begin());
      in_order = index > last_index;
      last_index = index;
    }
    if (!in_order) continue;
    roles = std::move(trial);
  }
  for (int col = 0; col < n_cols; ++col) {
    if (roles[col].role == Role::kValue) model.panels[roles[col].panel].value_cols.push_back(col);
  }
  if (debug::Columns()) {
    std::fprintf(stderr, "columns of %s p%d (header rows to %d, 栏次 row %d):\n", def.id.c_str(), grid.page,
                 header.body_start, header.lanci_row);
    for (int col = 0; col < n_cols; ++col) {
      const BodyProfile& p = body[col];
      std::fprintf(stderr, "  col %d role %d id '%s' panel %d | amounts %d dashes %d words %d codes %d | '%s'\n", col,
                   static_cast<int>(roles[col].role), roles[col].id.c_str(), roles[col].panel, p.amounts, p.dashes,
                   p.words, p.codes, header.leaf[col].c_str());
    }
  }
  (void)schema;
  return model;
}

ColumnModel InheritColumns(const TableGrid& grid, const TableGrid& previous, const ColumnModel& previous_model) {
  ColumnModel model;
  model.panels = previous_model.panels;
  for (Panel& panel : model.panels) {
    panel.code_cols.clear();
    panel.name_cols.clear();
    panel.value_cols.clear();
    panel.line_col = -1;
    panel.first_col = grid.n_cols();
    panel.last_col = -1;
  }
  model.roles.resize(grid.n_cols());
  for (int col = 0; col < grid.n_cols(); ++col) {
    // The previous column where this column's text is printed (a column of
    // a text grid may lie across several of a ruled one); by overlap when
    // the column holds no text.
    std::vector<int> votes(previous.n_cols(), 0);
    for (const Cell& cell : grid.cells) {
      if (cell.col != col || cell.col_span != 1 || CompactText(cell.text).empty()) continue;
      const double x = cell.text_box.cx();
      for (int p = 0; p < previous.n_cols(); ++p) {
        if (x >= previous.col_edges[p] && x < previous.col_edges[p + 1]) ++votes[p];
      }
    }
    const auto most = std::max_element(votes.begin(), votes.end());
    if (most != votes.end() && *most > 0) {
      model.roles[col] = previous_model.roles[most - votes.begin()];
    } else {
      double x0 = grid.col_edges[col], x1 = grid.col_edges[col + 1];
      double best = 0;
      for (int p = 0; p < previous.n_cols(); ++p) {
        double overlap = std::min(x1, previous.col_edges[p + 1]) - std::max(x0, previous.col_edges[p]);
        if (overlap > best) {
          best = overlap;
          model.roles[col] = previous_model.roles[p];
        }
      }
    }
    const ColumnRole& role = model.roles[col];
    if (model.panels.empty()) model.panels.emplace_back();
    Panel& panel = model.panels[std::min<int>(role.panel, static_cast<int>(model.panels.size()) - 1)];
    panel.first_col = std::min(panel.first_col, col);
    panel.last_col = std::max(panel.last_col, col);
    if (role.role == Role::kCode) panel.code_cols.push_back(col);
    if (role.role == Role::kName) panel.name_cols.push_back(col);
    if (role.role == Role::kLine && panel.line_col < 0) panel.line_col = col;
    if (role.role == Role::kValue) panel.value_cols.push_back(col);
    if (role.role == Role::kAttribute) panel.attribute_cols.push_back(col);
  }
  return model;
}

double StructureScore(const TableGrid& grid, const HeaderInfo& header, const TableDef& def,
                      const TableSchema& schema) {
  const int n_cols = grid.n_cols();
  double score = 0;
  // Header words: how many of the definition's columns some header names
  // (recall), and how well the grid's headers are explained by them
  // (precision: a header "本年支出合计" is 公开03表's column, and only
  // weakly 公开05表's "合计").
  if (header.HasHeader()) {
    int defs = 0, matched = 0;
    for (int side = 0; side < std::max<int>(1, def.sides.size()); ++side) {
      for (const ColumnDef& c : def.PanelColumns(side)) {
        ++defs;
        bool hit = false;
        for (int col = 0; col < n_cols && !hit; ++col) hit = HeaderMatch(header, col, c) > 0;
        matched += hit;
      }
    }
    double quality = 0;
    int leaves = 0;
    for (int col = 0; col < n_cols; ++col) {
      if (header.leaf[col].empty() || LabelRole(header.leaf[col]) != Role::kNone) continue;
      ++leaves;
      double best = 0;
      for (int side = 0; side < std::max<int>(1, def.sides.size()); ++side) {
        for (const ColumnDef& c : def.PanelColumns(side)) {
          for (const std::string& p : c.leaf) {
            if (Contains(header.leaf[col], p)) {
              best = std::max(best, static_cast<double>(p.size()) / header.leaf[col].size());
            }
          }
        }
      }
      quality += best;
    }
    if (defs > 0) score += 2.0 * matched / defs;
    if (leaves > 0) score += 2.0 * quality / leaves;
    if (def.layout == TableLayout::kTwoSided) {
      int groups = 0;
      for (const SideDef& s : def.sides) {
        bool hit = false;
        for (int col = 0; col < n_cols && !hit; ++col) hit = MatchesAny(header.top[col], s.group);
        groups += hit;
      }
      score += 1.0 * groups / std::max<size_t>(1, def.sides.size());
    }
  }
  // Row keys: function codes, economic codes or the definition's item names.
  int function_codes = 0, economic_codes = 0, items = 0, body_rows = 0, amounts = 0;
  std::set<int> rows_with_figures;
  std::vector<RowDef> vocabulary = def.rows;
  for (const SideDef& s : def.sides) vocabulary.insert(vocabulary.end(), s.rows.begin(), s.rows.end());
  for (const Cell& cell : grid.cells) {
    if (cell.row < header.body_start) continue;
    std::string text = CompactText(cell.text);
    if (text.empty()) continue;
    if (IsCode(text)) {
      (text[0] == '3' && text.size() <= 5 ? economic_codes : function_codes)++;
    } else if (LooksLikeAmount(text)) {
      ++amounts;
      rows_with_figures.insert(cell.row);
    } else {
      std::string label = StripOrdinal(text);
      for (const RowDef& r : vocabulary) {
        if (r.Names(label)) {
          ++items;
          break;
        }
      }
    }
  }
  body_rows = static_cast<int>(rows_with_figures.size());
  switch (def.layout) {
    case TableLayout::kCoded: {
      int mine = def.codes == CodeKind::kEconomic ? economic_codes : function_codes;
      int other = def.codes == CodeKind::kEconomic ? function_codes : economic_codes;
      if (mine >= 2 && mine > other) score += 2;
      if (other > mine) score -= 2;
      if (items >= 2) score -= 1;
      break;
    }
    case TableLayout::kTwoSided:
    case TableLayout::kItems:
      score += 2.0 * std::min(1.0, items / 4.0);
      if (function_codes + economic_codes >= 2) score -= 2;
      break;
    case TableLayout::kSingleRow:
      if (body_rows >= 1 && body_rows <= 2 && function_codes + economic_codes == 0) score += 1.5;
      if (body_rows > 3) score -= 3;
      break;
  }
  // The number of value columns: columns of figures, or headed by words that
  // name no label column. When some are headed, only those count: figures
  // set off their column's axis (unruled pages) can make two columns of one.
  int value_columns = 0, headed_value_columns = 0;
  for (int col = 0; col < n_cols; ++col) {
    BodyProfile p = ProfileColumn(grid, header.body_start, col);
    const bool headed = !header.leaf[col].empty() && LabelRole(header.leaf[col]) == Role::kNone;
    // Only a group title over it (收入 over 项目 and 决算数): not a header of its own.
    const bool group_only = header.leaf[col] == header.top[col] &&
                            ((col > 0 && header.top[col - 1] == header.top[col]) ||
                             (col + 1 < n_cols && header.top[col + 1] == header.top[col]));
    if ((p.amounts > 0 || headed) && p.words == 0 && p.codes == 0) {
      ++value_columns;
      headed_value_columns += headed && !group_only;
    }
  }
  if (headed_value_columns > 0) value_columns = headed_value_columns;
  int expected = def.layout == TableLayout::kCoded && def.repeat_panels ? -1 : def.ValueColumnCount();
  if (expected > 0 && value_columns > 0) {
    if (value_columns == expected) {
      score += 1.5;
    } else if (std::abs(value_columns - expected) == 1) {
      score += 0.5;
    } else if (value_columns > expected) {
      score -= 1.5;
    }
  }
  (void)schema;
  (void)amounts;
  return score;
}

}  // namespace juesuan::mapper
