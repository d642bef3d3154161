// Orchestration of the table mapper: captions, identification, stitching of
// continued tables, row mapping per grid, and the accounting of every figure.
#include "extractors/tables/table_mapper.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "extractors/tables/mapper_internal.h"
#include "pipeline/core/utf8.h"
#include "pipeline/normalise/normalise.h"

namespace juesuan {

using namespace mapper;

std::string StripOrdinal(const std::string& label) {
  static const std::wregex kOrdinal(
      LR"(^(?:[一二三四五六七八九十]+[、.．,，。”“"'_:：;；·]|[(（][一二三四五六七八九十\d]+[)）]、?|\d{1,2}[、.．](?!\d)|[①-⑳])\s*)");
  std::wstring compact = WidenUtf8(CompactText(label));
  std::string out = NarrowToUtf8(
      std::regex_replace(compact, kOrdinal, L"", std::regex_constants::format_first_only));
  for (const char* prefix : {"其中:", "其中："}) {
    if (out.rfind(prefix, 0) == 0) out = out.substr(std::string(prefix).size());
  }
  return out;
}

std::string CanonicalRow(const std::string& label, const std::vector<RowDef>& rows) {
  std::string stripped = StripOrdinal(label);
  if (stripped.empty()) return "";
  for (const RowDef& r : rows) {
    if (r.Names(stripped)) return r.key;
  }
  // A label cut by wrapping: a unique key it begins.
  const RowDef* unique = nullptr;
  int matches = 0;
  if (stripped.size() >= 9) {  // three CJK characters
    for (const RowDef& r : rows) {
      if (r.match.rfind(stripped, 0) == 0) {
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
    std::vector<const std::string*> names{&r.match};
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
      const std::u32string key = DecodeUtf8(r.match);
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

// ---------------------------------------------------------------- captions

std::string CaptionWithoutNoise(const std::string& caption) {
  std::string text = CompactText(caption);
  for (const char* noise : {"(续)", "续表", "(續)", "(续表)"}) {
    size_t at;
    while ((at = text.find(noise)) != std::string::npos) text.erase(at, std::string(noise).size());
  }
  return text;
}

bool IsContinuationCaption(const std::string& caption) {
  std::string text = CompactText(caption);
  return Contains(text, "(续)") || Contains(text, "续表") || Contains(text, "(續)");
}

// The caption code printed with a table ("公开02表", "公开 10 表"), normalised
// to 公开NN表 with two digits; empty when none.
std::string CaptionCode(const std::string& caption) {
  static const std::regex kCode(R"(公开0?([1-9]\d?)表)");
  std::smatch match;
  std::string text = CompactText(caption);
  if (!std::regex_search(text, match, kCode)) return "";
  std::string n = match[1].str();
  return "公开" + (n.size() == 1 ? "0" + n : n) + "表";
}

// The definitions whose title the caption holds, all of the longest
// matching title ("收入支出决算总表" inside "财政拨款收入支出决算总表" is the
// longer title's; two provinces' 收入预算总表 tie).
// The definitions whose title the caption prints nearest the grid: of the
// titles found (the longest one of each definition), the one ending last,
// and of those overlapping it the longest ("支出决算表" inside "一般公共预算
// 财政拨款支出决算表"). A caption may hold two titles when the table under
// the first had no grid (an empty table: "此表无数值").
std::vector<const TableDef*> TitleCandidates(const std::string& caption, const TableSchema& schema) {
  std::string text = CaptionWithoutNoise(caption);
  struct Hit {
    size_t begin = 0, end = 0;
    const TableDef* def = nullptr;
  };
  std::vector<Hit> hits;
  for (const TableDef& def : schema.tables) {
    Hit best;
    for (const std::string& title : def.titles) {
      const size_t at = text.rfind(title);
      if (at == std::string::npos) continue;
      if (title.size() > best.end - best.begin || (title.size() == best.end - best.begin && at + title.size() > best.end)) {
        best = Hit{at, at + title.size(), &def};
      }
    }
    if (best.def) hits.push_back(best);
  }
  if (hits.empty()) return {};
  const Hit last = *std::max_element(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.end != b.end ? a.end < b.end : a.end - a.begin < b.end - b.begin;
  });
  size_t best_len = 0;
  for (const Hit& h : hits) {
    if (h.begin < last.end && last.begin < h.end) best_len = std::max(best_len, h.end - h.begin);
  }
  std::vector<const TableDef*> best;
  for (const Hit& h : hits) {
    if (h.begin < last.end && last.begin < h.end && h.end - h.begin == best_len) best.push_back(h.def);
  }
  return best;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0, end;
  while ((end = text.find('\n', start)) != std::string::npos) {
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

// A grid with the text printed above it (below the previous grid).
struct Piece {
  int page = 0;
  const TableGrid* grid = nullptr;
  std::string caption;
  const TableDef* def = nullptr;   // from the caption
  std::string identified_by;
  HeaderInfo header;               // read without a definition
};

// A table being assembled from pieces.
struct Assembly {
  Table table;
  const TableDef* def = nullptr;
  std::vector<const Piece*> pieces;
};

// Whether a grid's columns line up with another's: most of its columns
// overlap one of the other's by most of their width.
bool ColumnsAlign(const TableGrid& grid, const TableGrid& other) {
  int aligned = 0;
  for (int col = 0; col < grid.n_cols(); ++col) {
    double x0 = grid.col_edges[col], x1 = grid.col_edges[col + 1];
    double best = 0;
    for (int o = 0; o < other.n_cols(); ++o) {
      best = std::max(best, std::min(x1, other.col_edges[o + 1]) - std::max(x0, other.col_edges[o]));
    }
    aligned += best >= 0.6 * (x1 - x0);
  }
  return grid.n_cols() > 0 && aligned * 4 >= grid.n_cols() * 3 &&
         std::abs(grid.box.x0 - other.box.x0) < 0.15 * other.box.width() + 20;
}

// The kind of a document by its titles: the tables named by title, else the
// words 决算 / 预算 in its running text. "" when nothing says.
std::string KindOfDocument(const std::vector<Piece>& pieces, const std::vector<PageLayout>& pages) {
  std::map<std::string, int> votes;
  for (const Piece& p : pieces) {
    if (p.def && p.identified_by == "title") ++votes[p.def->kind];
  }
  if (votes.empty()) {
    for (const PageLayout& page : pages) {
      for (const TextLine& line : page.lines) {
        std::string text = CompactText(line.text);
        if (Contains(text, "决算表") || Contains(text, "部门决算") || Contains(text, "单位决算")) ++votes["juesuan"];
        if (Contains(text, "预算表") || Contains(text, "预算总表") || Contains(text, "部门预算") ||
            Contains(text, "单位预算")) {
          ++votes["yusuan"];
        }
      }
    }
  }
  std::string best;
  int most = 0;
  for (const auto& [kind, n] : votes) {
    if (n > most) best = kind, most = n;
  }
  return best;
}

// The family of the budget tables named by title (shanghai, jiangsu …).
std::string FamilyOfDocument(const std::vector<Piece>& pieces, const std::string& kind) {
  std::map<std::string, int> votes;
  for (const Piece& p : pieces) {
    if (p.def && p.def->kind == kind && p.identified_by == "title") ++votes[p.def->family];
  }
  std::string best;
  int most = 0;
  for (const auto& [family, n] : votes) {
    if (n > most) best = family, most = n;
  }
  return best;
}

// A table definition by structure alone, among those of the document's kind
// (and family) not yet used: the best score, clear of the runner-up.
const TableDef* IdentifyByStructure(const Piece& piece, const TableSchema& schema, const std::string& kind,
                                    const std::string& family, const std::set<const TableDef*>& used,
                                    const TableDef* previous) {
  const TableDef* best = nullptr;
  double best_score = -1e9, second = -1e9;
  for (const TableDef& def : schema.tables) {
    if (def.kind != (kind.empty() ? "juesuan" : kind)) continue;
    if (!family.empty() && def.family != family) continue;
    HeaderInfo header = AnalyseHeader(*piece.grid, &def);
    double score = StructureScore(*piece.grid, header, def, schema);
    if (used.count(&def)) score -= 2;
    // Tables come in the template's order.
    if (previous && previous->kind == def.kind && previous->family == def.family) {
      if (def.order == previous->order + 1) score += 1.0;
      if (def.order <= previous->order) score -= 1.0;
    }
    if (score > best_score) {
      second = best_score;
      best_score = score;
      best = &def;
    } else if (score > second) {
      second = score;
    }
  }
  if (best_score < 4.0 || best_score - second < 0.75) return nullptr;
  return best;
}

FindingPlace PlaceOf(const Cell& cell, int page) { return FindingPlace{page, cell.box, cell.text}; }

Finding Unmapped(const std::string& table, const Cell& cell, int page, const std::string& why) {
  Finding f;
  f.kind = "unmapped";
  f.message = (table.empty() ? std::string("unidentified table") : table) + " p" + std::to_string(page) + " r" +
              std::to_string(cell.row) + " c" + std::to_string(cell.col) + ": figure '" + cell.text +
              "' has no key: " + why;
  f.place = PlaceOf(cell, page);
  return f;
}

// The first header words of a grid, for a reader looking for it.
std::string FirstWords(const TableGrid& grid) {
  std::string words;
  for (const Cell& cell : grid.cells) {
    std::string text = CompactText(cell.text);
    if (text.empty()) continue;
    if (!words.empty()) words += " ";
    words += text;
    if (DecodeUtf8(words).size() > 40) break;
  }
  return words;
}

// The title line of a caption naming `def`, and its printed caption code.
void ReadCaption(const std::string& caption, const TableDef* def, const TableSchema& schema, Table& table) {
  for (const std::string& line : SplitLines(caption)) {
    auto names_def = [&](const std::string& l) {
      const std::vector<const TableDef*> titled = TitleCandidates(l, schema);
      return std::find(titled.begin(), titled.end(), def) != titled.end();
    };
    if (table.title.empty() && def && names_def(line) && FindAmountUnit(line).empty() && CaptionCode(line).empty()) {
      table.title = line;
    }
    static const std::wregex kCaption(LR"((公开\s*\d{1,2}\s*表|[(（]?表\s*[1-9]\d?[)）]?))");
    std::wsmatch m;
    std::wstring compact = WidenUtf8(CompactText(line));
    if (table.caption.empty() && std::regex_search(compact, m, kCaption)) table.caption = NarrowToUtf8(m[1].str());
  }
  if (table.title.empty() && def) {
    // The title shares its line with the caption code or the unit.
    for (const std::string& line : SplitLines(caption)) {
      const std::vector<const TableDef*> titled = TitleCandidates(line, schema);
      if (std::find(titled.begin(), titled.end(), def) != titled.end()) {
        table.title = line;
        break;
      }
    }
  }
}

// A grid's text set in another grid's columns: one cell per row and column
// of `columns`, holding the texts whose printed position falls in it (left
// to right). Rows and their edges stay. Cells of text that fits no column
// keep their own.
TableGrid RegridOnto(const TableGrid& grid, const TableGrid& columns) {
  TableGrid out;
  out.page = grid.page;
  out.ruling = grid.ruling;
  out.row_edges = grid.row_edges;
  out.row_edge_between_lines = grid.row_edge_between_lines;
  out.col_edges = columns.col_edges;
  out.box = Box{std::min(grid.box.x0, columns.box.x0), grid.box.y0, std::max(grid.box.x1, columns.box.x1), grid.box.y1};
  const int n_cols = out.n_cols();
  struct Placed {
    const Cell* from;
    std::string raw;
    Box box;
  };
  for (int row = 0; row < grid.n_rows(); ++row) {
    std::vector<std::vector<Placed>> texts(n_cols);
    auto place = [&](const Cell& from, const std::string& raw, const Box& box) {
      int col = static_cast<int>(std::upper_bound(out.col_edges.begin(), out.col_edges.end(), box.cx()) -
                                 out.col_edges.begin()) - 1;
      texts[std::clamp(col, 0, n_cols - 1)].push_back({&from, raw, box});
    };
    for (const Cell& cell : grid.cells) {
      if (cell.row != row || CompactText(cell.text).empty()) continue;
      if (cell.pieces.empty()) {
        place(cell, cell.raw_text.empty() ? cell.text : cell.raw_text, cell.text_box);
      } else {
        for (const TextPiece& piece : cell.pieces) place(cell, piece.text, piece.box);
      }
    }
    for (int col = 0; col < n_cols; ++col) {
      Cell cell;
      cell.row = row;
      cell.col = col;
      cell.box = Box{out.col_edges[col], out.row_edges[row], out.col_edges[col + 1], out.row_edges[row + 1]};
      cell.text_box = cell.box;
      std::sort(texts[col].begin(), texts[col].end(), [](const Placed& a, const Placed& b) { return a.box.x0 < b.box.x0; });
      for (size_t k = 0; k < texts[col].size(); ++k) {
        const Placed& p = texts[col][k];
        cell.raw_text += p.raw;
        cell.text_box = k == 0 ? p.box : cell.text_box.Union(p.box);
        cell.source = p.from->source;
        cell.confidence = std::min(cell.confidence, p.from->confidence);
        cell.alternatives.insert(cell.alternatives.end(), p.from->alternatives.begin(), p.from->alternatives.end());
      }
      cell.text = NormaliseText(cell.raw_text);
      out.cells.push_back(std::move(cell));
    }
  }
  return out;
}

// Whether a grid's header rows repeat words of an earlier header.
// A figure and the 类 code of the next panel set close enough to read as one
// piece ("950.75 302", the columns not told apart by the text): the figure
// alone is the cell's, and the code goes to the 款 beside it ("28" → "30228"),
// or, with no 款 there, is left out. Read as one, the two would be one
// wrong figure (950.75302).
void SplitFigureFromCode(TableGrid& grid) {
  static const std::regex kFigureThenCode(R"(^(-?[0-9][0-9,]*\.[0-9]{2}) ([0-9]{3})$)");
  for (Cell& cell : grid.cells) {
    std::smatch m;
    const std::string text = NormaliseText(cell.text);
    if (!std::regex_match(text, m, kFigureThenCode)) continue;
    const std::string code = m[2].str();
    cell.text = m[1].str();
    const int next = grid.CellAt(cell.row, cell.col + cell.col_span);
    if (next < 0) continue;
    Cell& kuan = grid.cells[next];
    const std::string part = CompactText(kuan.text);
    if (part.size() == 2 && IsSmallInteger(part)) {
      kuan.text = code + part;
    }
  }
}

bool RepeatsHeader(const TableGrid& grid, const HeaderInfo& header, const HeaderInfo& earlier) {
  std::set<std::string> words;
  for (const auto& levels : earlier.levels) words.insert(levels.begin(), levels.end());
  for (const Cell& cell : grid.cells) {
    if (cell.row < header.body_start && words.count(CompactText(cell.text))) return true;
  }
  return words.empty();
}

// Whether a grid's header is the earlier one printed again: at least three
// header words, nearly all of them words of the earlier header. A header
// repeated on the next page identifies the part as the table it continues,
// whatever columns its text lines up in.
bool RepeatsWholeHeader(const TableGrid& grid, const HeaderInfo& header, const TableGrid& earlier_grid,
                        const HeaderInfo& earlier, const TableDef& def) {
  // A row of the table's own set below the repeated header with its figure
  // on the next line (a bare 公用经费合计) reads as header: not another word.
  auto names_row = [&](const std::string& word) {
    const std::string stripped = StripOrdinal(word);
    return std::find(def.totals.begin(), def.totals.end(), stripped) != def.totals.end() ||
           std::any_of(def.rows.begin(), def.rows.end(), [&](const RowDef& r) { return r.Names(stripped); });
  };
  auto words_of = [](const TableGrid& g, const HeaderInfo& h) {
    std::vector<std::string> words;
    for (const Cell& cell : g.cells) {
      const std::string text = CompactText(cell.text);
      if (cell.row < h.body_start && !text.empty() && !IsSmallInteger(text)) words.push_back(text);
    }
    return words;
  };
  // Words are compared within cells: two headers set close may read as
  // one cell on one page and as two on the other.
  const std::vector<std::string> before = words_of(earlier_grid, earlier);
  int same = 0, other = 0;
  for (const std::string& word : words_of(grid, header)) {
    const bool known = std::any_of(before.begin(), before.end(), [&](const std::string& earlier_word) {
      return Contains(earlier_word, word) || Contains(word, earlier_word);
    });
    if (!known && names_row(word)) continue;
    (known ? same : other) += 1;
  }
  return same >= 3 && other * 10 <= same;
}

}  // namespace

std::string TableKeyFromTitle(const std::string& title, const TableSchema& schema) {
  std::string compact = CaptionWithoutNoise(title);
  for (const std::string& noise : schema.title_noise) {
    size_t at;
    while (!noise.empty() && (at = compact.find(noise)) != std::string::npos) compact.erase(at, noise.size());
  }
  std::wstring text = WidenUtf8(compact);
  // The caption code and the unit may share the title's line.
  static const std::wregex kCaption(LR"(公开\d{1,2}表|[(（]?表\d{1,2}[)）]?)");
  text = std::regex_replace(text, kCaption, L"");
  if (size_t unit = text.find(L"单位:"); unit != std::wstring::npos) text = text.substr(0, unit);
  if (size_t unit = text.find(L"单位："); unit != std::wstring::npos) text = text.substr(0, unit);
  static const std::wregex kOrdinal(LR"(^(?:[一二三四五六七八九十]+[、.．,，。”“"'_:：;；·]|\d{1,2}[、.．]|[(（][一二三四五六七八九十\d]+[)）]))");
  text = std::regex_replace(text, kOrdinal, L"", std::regex_constants::format_first_only);
  static const std::wregex kYear(LR"(^\d{4}年度?)");
  text = std::regex_replace(text, kYear, L"", std::regex_constants::format_first_only);
  std::vector<std::wstring> prefixes;
  for (const std::string& p : schema.title_prefixes) prefixes.push_back(WidenUtf8(p));
  if (prefixes.empty()) prefixes = {L"部门", L"单位"};
  std::sort(prefixes.begin(), prefixes.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const std::wstring& prefix : prefixes) {
    if (!prefix.empty() && text.rfind(prefix, 0) == 0) {
      text = text.substr(prefix.size());
      break;
    }
  }
  for (wchar_t& ch : text) {
    if (ch == L'(') ch = L'（';
    if (ch == L')') ch = L'）';
  }
  return NarrowToUtf8(text);
}

const TableDef* IdentifyCaption(const std::string& caption, const TableSchema& schema, const std::string& kind) {
  std::vector<const TableDef*> titled = TitleCandidates(caption, schema);
  if (!titled.empty()) {
    // Tied titles (收入预算总表 of two provinces): the caption code, else the first.
    const std::string code = CaptionCode(CaptionWithoutNoise(caption));
    for (const TableDef* def : titled) {
      if (std::find(def->captions.begin(), def->captions.end(), code) != def->captions.end()) return def;
    }
    return titled.front();
  }
  std::string code = CaptionCode(CaptionWithoutNoise(caption));
  if (code.empty()) return nullptr;
  const std::string want = kind.empty() ? "juesuan" : kind;
  for (const TableDef& def : schema.tables) {
    if (def.kind == want && std::find(def.captions.begin(), def.captions.end(), code) != def.captions.end()) {
      return &def;
    }
  }
  return nullptr;
}

MapperOutput MapTables(const std::vector<PageLayout>& pages, const TableSchema& schema) {
  MapperOutput out;
  // 1. Each grid with its caption: the lines above it, below the previous grid.
  std::vector<Piece> pieces;
  for (const PageLayout& page : pages) {
    double floor = 0;
    for (const TableGrid& grid : page.grids) {
      Piece piece;
      piece.page = page.page;
      piece.grid = &grid;
      for (const TextLine& line : page.lines) {
        if (line.box.cy() >= floor && line.box.cy() <= grid.box.y0 + 1) piece.caption += line.text + "\n";
      }
      floor = grid.box.y1;
      piece.header = AnalyseHeader(grid, nullptr);
      pieces.push_back(std::move(piece));
    }
  }
  out.coverage.grids = static_cast<int>(pieces.size());
  // 2. Titles name tables and tell the document's kind; caption codes are
  // read in that kind (公开01表 is a 决算 table in one document, a budget
  // table in another).
  // Titles tied between definitions (the same title in two provinces' sets)
  // are told apart by the caption code, then by the header words each
  // definition's signature lists, then by the family of the other tables.
  std::vector<std::vector<const TableDef*>> tied(pieces.size());
  for (size_t i = 0; i < pieces.size(); ++i) {
    Piece& p = pieces[i];
    std::vector<const TableDef*> candidates = TitleCandidates(p.caption, schema);
    if (candidates.size() > 1) {
      const std::string code = CaptionCode(CaptionWithoutNoise(p.caption));
      std::vector<const TableDef*> by_code;
      for (const TableDef* def : candidates) {
        if (std::find(def->captions.begin(), def->captions.end(), code) != def->captions.end()) by_code.push_back(def);
      }
      if (!by_code.empty()) candidates = by_code;
    }
    if (candidates.size() > 1) {
      std::string header_text;
      for (const Cell& cell : p.grid->cells) {
        if (cell.row < std::max(1, p.header.body_start)) header_text += CompactText(cell.text);
      }
      int most = -1;
      std::vector<const TableDef*> by_signature;
      for (const TableDef* def : candidates) {
        int n = 0;
        for (const std::string& word : def->signature) n += Contains(header_text, word);
        if (n > most) by_signature.clear(), most = n;
        if (n == most) by_signature.push_back(def);
      }
      candidates = by_signature;
    }
    if (candidates.empty()) continue;
    p.def = candidates.front();
    p.identified_by = "title";
    if (candidates.size() > 1) tied[i] = candidates;
  }
  const std::string kind = KindOfDocument(pieces, pages);
  const std::string family = FamilyOfDocument(pieces, kind);
  for (size_t i = 0; i < pieces.size(); ++i) {
    for (const TableDef* def : tied[i]) {
      if (def->family == family) pieces[i].def = def;
    }
  }
  for (Piece& p : pieces) {
    if (p.def) continue;
    if (const TableDef* def = IdentifyCaption(p.caption, schema, kind)) {
      p.def = def;
      p.identified_by = "caption";
    }
  }
  // 3. Pieces into tables: a named piece starts a table, or continues the
  // same table after "（续）" or on a later page; an unnamed piece continues
  // the table before it when it has no header of its own and its columns
  // line up (a tail of rows on the next page), or when it repeats that
  // table's header; else it is identified by its structure.
  std::vector<Assembly> assemblies;
  std::set<const TableDef*> used;
  const TableDef* previous_def = nullptr;
  for (const Piece& p : pieces) {
    const TableDef* def = p.def;
    std::string identified_by = p.identified_by;
    bool continuation = false;
    // A stray grid with neither a name nor a figure (a seal's ring, a
    // footer's rule read as a table) does not come between a table and
    // its continuation.
    auto stray = [](const Assembly& a) {
      if (a.def) return false;
      for (const TableGrid& g : a.table.grids)
        for (const Cell& c : g.cells)
          if (IsPrintedAmount(c.text)) return false;
      return true;
    };
    size_t last_index = assemblies.size();
    while (last_index > 0 && stray(assemblies[last_index - 1])) --last_index;
    if (last_index > 0) {
      Assembly& last = assemblies[last_index - 1];
      const Piece& last_piece = *last.pieces.back();
      const bool later_page = p.page > last_piece.page && p.page - last.table.pages.back() <= 1;
      if (def && def == last.def) {
        // The same table named again on its page (a caption under a title
        // that had a stray grid of its own) is the same table.
        continuation = IsContinuationCaption(p.caption) || later_page || p.page == last_piece.page;
      } else if (!def && last.def && (later_page || p.page == last_piece.page)) {
        // No title: a continuation when its rows read as rows of the table
        // before (no header of its own, or that table's header repeated) and
        // its columns line up; a table of another kind when its structure
        // says so.
        const bool titled = CompactText(p.caption).find("表") != std::string::npos;
        if (!titled) {
          const HeaderInfo own = AnalyseHeader(*p.grid, last.def);
          const bool aligned = ColumnsAlign(*p.grid, *last_piece.grid);
          if (!own.HasHeader()) {
            continuation = aligned || later_page;
          } else {
            // A unit line above it ("单位：万元") starts a table of its own,
            // unless it repeats the header of the table before and no table
            // not yet read has its structure (a continued page printing the
            // unit line and the header again).
            const bool new_table_caption = !FindAmountUnit(p.caption).empty() && !IsContinuationCaption(p.caption);
            const TableDef* other = IdentifyByStructure(p, schema, kind, family, {}, nullptr);
            const bool no_new_table =
                !new_table_caption || IdentifyByStructure(p, schema, kind, family, used, nullptr) == nullptr;
            continuation =
                other == last.def || (aligned && other == nullptr && later_page && !new_table_caption) ||
                (later_page && no_new_table &&
                 RepeatsWholeHeader(*p.grid, p.header, *last_piece.grid, last_piece.header, *last.def));
          }
        }
      }
    }
    if (continuation) {
      Assembly& last = assemblies[last_index - 1];
      if (last.table.pages.back() != p.page) last.table.pages.push_back(p.page);
      last.table.grids.push_back(*p.grid);
      last.pieces.push_back(&p);
      continue;
    }
    if (!def && p.header.HasHeader()) {
      def = IdentifyByStructure(p, schema, kind, family, used, previous_def);
      if (def) identified_by = "structure";
    }
    Assembly a;
    a.def = def;
    a.table.pages.push_back(p.page);
    a.table.grids.push_back(*p.grid);
    a.pieces.push_back(&p);
    if (def) {
      used.insert(def);
      previous_def = def;
      a.table.kind = def->kind;
      a.table.schema_id = def->id;
      a.table.identified_by = identified_by;
    }
    ReadCaption(p.caption, def, schema, a.table);
    a.table.unit = FindAmountUnit(p.caption);
    if (def) {
      a.table.code = def->key_from_title && !a.table.title.empty() ? TableKeyFromTitle(a.table.title, schema) : def->key;
    }
    assemblies.push_back(std::move(a));
  }
  // 4. Rows of each identified table; every figure accounted for.
  for (Assembly& a : assemblies) {
    Table& table = a.table;
    if (table.unit.empty()) table.unit = "万元";
    if (!a.def) {
      out.tables.push_back(std::move(table));
      continue;
    }
    const TableDef& def = *a.def;
    out.coverage.grids_identified += static_cast<int>(table.grids.size());
    RowCarry carry;
    std::set<std::string> keys_seen;
    ColumnModel previous_model;
    HeaderInfo previous_header;
    size_t previous_keyed = 0;  // facts the part before made
    for (size_t g = 0; g < table.grids.size(); ++g) {
      SplitFigureFromCode(table.grids[g]);
      GridContext ctx;
      ctx.grid = &table.grids[g];
      ctx.grid_index = static_cast<int>(g);
      ctx.header = AnalyseHeader(*ctx.grid, &def);
      if (g > 0 && ctx.header.HasHeader() && previous_keyed > 0 &&
          !RepeatsHeader(*ctx.grid, ctx.header, previous_header)) {
        // Rows above its first figures that share no word with the header
        // of the part it continues are body rows (labels whose figures are
        // zero and left blank), not a header. (A part before that keyed
        // nothing — debris a large title left as a grid — says nothing.)
        ctx.header.body_start = 0;
        ctx.header.lanci_row = -1;
      }
      if (ctx.header.HasHeader() || previous_model.roles.empty()) {
        ctx.columns = AssignColumns(*ctx.grid, ctx.header, def, schema);
      } else {
        // Columns inferred from a few rows of text can differ from those of
        // the part it continues: set its text in the columns of that part.
        if (ctx.grid->ruling != Ruling::kFull && table.grids[g - 1].ruling != Ruling::kFull) {
          table.grids[g] = RegridOnto(table.grids[g], table.grids[g - 1]);
          ctx.header = AnalyseHeader(*ctx.grid, &def);
          ctx.header.body_start = 0;  // it has no header: every row is body
          ctx.header.lanci_row = -1;
        }
        ctx.columns = InheritColumns(*ctx.grid, table.grids[g - 1], previous_model);
      }
      for (const Cell& cell : ctx.grid->cells) {
        if (DeclaresEmpty(cell.text, schema)) table.declared_empty = true;
      }
      size_t facts_before = table.facts.size();
      RowsResult rows = MapRows(ctx, def, table, carry);
      keys_seen.insert(rows.keys_seen.begin(), rows.keys_seen.end());
      out.coverage.figures += static_cast<int>(table.facts.size() - facts_before);
      out.coverage.mapped += static_cast<int>(table.facts.size() - facts_before);
      for (const auto& u : rows.unreadable) {
        Finding f;
        f.kind = "unreadable";
        f.message = table.code + " p" + std::to_string(ctx.grid->page) + " r" + std::to_string(u.cell->row) +
                    " c" + std::to_string(u.cell->col) + ": cell '" + u.cell->text + "' is not a readable figure";
        f.cells.push_back(FindingCell{table.code, u.row, u.col, ctx.grid->page, u.cell->box, u.cell->text});
        f.place = PlaceOf(*u.cell, ctx.grid->page);
        out.findings.push_back(std::move(f));
        // "#####" is what the document printed; other debris is a figure we lost.
        ++out.coverage.figures;
        if (u.cell->text.find('#') != std::string::npos) {
          ++out.coverage.mapped;
        } else {
          ++out.coverage.unmapped;
        }
      }
      for (const auto& [cell, why] : rows.unkeyed) {
        out.findings.push_back(Unmapped(table.code, *cell, ctx.grid->page, why));
        ++out.coverage.figures;
        ++out.coverage.unmapped;
      }
      previous_model = std::move(ctx.columns);
      if (ctx.header.HasHeader()) previous_header = ctx.header;
      previous_keyed = table.facts.size() - facts_before;
    }
    // Two figures printed in different cells with different values under
    // one key: the key does not tell them apart, and keeping either would
    // lose the other without a word. Neither is a fact; both are reported.
    {
      std::map<std::pair<std::string, std::string>, std::vector<size_t>> by_key;
      for (size_t i = 0; i < table.facts.size(); ++i) by_key[{table.facts[i].row, table.facts[i].col}].push_back(i);
      // Two printed rows with one key and the same value: the value is
      // right whichever row is, so the first stays a fact; the others are
      // reported, since one row's own key was lost.
      std::vector<char> clash(table.facts.size(), 0), repeated(table.facts.size(), 0);
      for (const auto& [key, members] : by_key) {
        for (size_t m : members) {
          if (table.facts[m].value.ToString() != table.facts[members.front()].value.ToString()) {
            for (size_t n : members) clash[n] = 1;
            break;
          }
        }
        if (clash[members.front()]) continue;
        for (size_t k = 1; k < members.size(); ++k) {
          const Fact& first = table.facts[members.front()];
          const Fact& other = table.facts[members[k]];
          if (other.grid != first.grid || other.cell_row != first.cell_row) repeated[members[k]] = 1;
        }
      }
      std::vector<Fact> kept;
      for (size_t i = 0; i < table.facts.size(); ++i) {
        Fact& fact = table.facts[i];
        if (!clash[i] && !repeated[i]) {
          kept.push_back(std::move(fact));
          continue;
        }
        const TableGrid& grid = table.grids[fact.grid];
        const int at = grid.CellAt(fact.cell_row, fact.cell_col);
        if (at >= 0) {
          out.findings.push_back(Unmapped(table.code, grid.cells[at], grid.page,
                                          "another figure of the table has the same key '" + fact.row + "' / '" +
                                              fact.col + (clash[i] ? "' and a different value"
                                                                   : "' in another row: this row's own key was lost")));
        }
        --out.coverage.mapped;
        ++out.coverage.unmapped;
      }
      table.facts = std::move(kept);
    }
    // Notes under a table ("此表无数值") declare it empty.
    for (const PageLayout& page : pages) {
      for (const TextLine& line : page.lines) {
        if (!DeclaresEmpty(line.text, schema)) continue;
        for (const TableGrid& grid : table.grids) {
          if (grid.page != page.page || grid.box.y1 > line.box.cy() || line.box.cy() - grid.box.y1 > 60) continue;
          bool nearer_table = false;
          for (const Assembly& other : assemblies) {
            for (const TableGrid& og : other.table.grids) {
              nearer_table |= &other != &a && og.page == page.page && og.box.y1 <= line.box.cy() &&
                              og.box.y1 > grid.box.y1;
            }
          }
          if (!nearer_table) table.declared_empty = true;
        }
      }
    }
    if (!table.declared_empty || !table.facts.empty()) {
      for (const std::string& row : def.mandatory) {
        if (keys_seen.count(row)) continue;
        Finding f;
        f.kind = "missing";
        f.identity = "mandatory_row";
        f.message = table.code + " (p" + std::to_string(table.pages.front()) + "): mandatory row '" + row +
                    "' not found";
        f.place = FindingPlace{table.pages.back(), table.grids.back().box, row};
        out.findings.push_back(std::move(f));
        ++out.coverage.missing_rows;
      }
    }
    out.tables.push_back(std::move(table));
  }
  // 5. A title with no grid under it and a note saying the table is empty
  // ("此表无数值" printed without rules): an empty table, not a missing one.
  std::set<const TableDef*> found;
  for (const Table& t : out.tables) {
    if (const TableDef* def = schema.Find(t.schema_id)) found.insert(def);
  }
  for (const PageLayout& page : pages) {
    for (size_t i = 0; i < page.lines.size(); ++i) {
      const TextLine& line = page.lines[i];
      const std::vector<const TableDef*> titled = TitleCandidates(line.text, schema);
      if (titled.empty() || titled.front()->kind != (kind.empty() ? "juesuan" : kind)) continue;
      const TableDef* def = titled.front();
      if (std::any_of(titled.begin(), titled.end(), [&](const TableDef* d) { return found.count(d) > 0; })) continue;
      // A contents line (ending with its page number, or one of a list of
      // titles) names a table printed elsewhere.
      if (std::isdigit(static_cast<unsigned char>(line.text.back()))) continue;
      auto names_a_table = [&](size_t j) {
        return j < page.lines.size() && !TitleCandidates(page.lines[j].text, schema).empty() &&
               TitleCandidates(page.lines[j].text, schema).front() != def;
      };
      if ((i > 0 && names_a_table(i - 1)) || names_a_table(i + 1)) continue;
      // A title line, not a sentence that names a table.
      size_t longest = 0;
      for (const std::string& t : def->titles) {
        if (Contains(CompactText(line.text), t)) longest = std::max(longest, DecodeUtf8(t).size());
      }
      if (DecodeUtf8(CompactText(line.text)).size() > longest + 14) continue;
      bool empty_note = false;
      for (size_t j = i + 1; j < page.lines.size() && !empty_note; ++j) {
        const std::vector<const TableDef*> next = TitleCandidates(page.lines[j].text, schema);
        if (!next.empty() && next.front() != def) break;  // the next table's title
        empty_note = DeclaresEmpty(page.lines[j].text, schema);
      }
      if (!empty_note) {
        // A table's title with nothing read under it: the table was lost.
        Finding f;
        f.kind = "missing";
        f.identity = "table";
        f.message = "p" + std::to_string(page.page) + ": '" + line.text + "' is printed but no table was read under it";
        f.place = FindingPlace{page.page, line.box, line.text};
        out.findings.push_back(std::move(f));
        ++out.coverage.missing_rows;
        found.insert(def);
        continue;
      }
      Table table;
      table.code = def->key_from_title ? TableKeyFromTitle(line.text, schema) : def->key;
      table.kind = def->kind;
      table.schema_id = def->id;
      table.identified_by = "title";
      table.title = line.text;
      table.pages = {page.page};
      table.declared_empty = true;
      table.unit = "万元";
      found.insert(def);
      out.tables.push_back(std::move(table));
    }
  }
  std::stable_sort(out.tables.begin(), out.tables.end(), [](const Table& a, const Table& b) {
    return (a.pages.empty() ? 0 : a.pages.front()) < (b.pages.empty() ? 0 : b.pages.front());
  });

  // 6. Figures standing alone outside every grid: a table (or part of one)
  // no grid was found for.
  for (const PageLayout& page : pages) {
    for (const TextLine& line : page.lines) {
      std::string text = CompactText(line.text);
      if (!IsPrintedAmount(text) || text.find('#') != std::string::npos) continue;
      Finding f;
      f.kind = "unmapped";
      f.message = "p" + std::to_string(page.page) + ": figure '" + line.text + "' printed outside every table";
      f.place = FindingPlace{page.page, line.box, line.text};
      out.findings.push_back(std::move(f));
      ++out.coverage.figures;
      ++out.coverage.unmapped;
    }
  }
  return out;
}

void AccountUnidentified(const Table& table, std::vector<Finding>& findings, Coverage& coverage) {
  for (const TableGrid& grid : table.grids) {
    Finding f;
    f.kind = "unidentified_table";
    f.message = "p" + std::to_string(grid.page) + ": a table no definition fits (" +
                std::to_string(grid.n_rows()) + "x" + std::to_string(grid.n_cols()) + "): " + FirstWords(grid);
    f.place = FindingPlace{grid.page, grid.box, FirstWords(grid)};
    findings.push_back(std::move(f));
    for (const Cell& cell : grid.cells) {
      std::string text = CompactText(cell.text);
      if (!IsPrintedAmount(text)) continue;
      findings.push_back(Unmapped("", cell, grid.page, "its table was not identified"));
      ++coverage.figures;
      ++coverage.unmapped;
    }
  }
}

}  // namespace juesuan
