// MapJixiaoForms and the forms schema (declared in jixiao_forms.h).
#include "extractors/jixiao/jixiao_forms.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "extractors/jixiao/jixiao_layout.h"
#include "extractors/jixiao/jixiao_schema.h"
#include "extractors/tables/table_mapper.h"
#include "pipeline/core/json_guard.h"
#include "pipeline/core/utf8.h"
#include "pipeline/normalise/normalise.h"

namespace juesuan {
namespace {

using jixiao::Item;
using jixiao::Line;
using jixiao::Stream;
using jixiao::Use;
using nlohmann::json;

std::vector<std::string> CompactStrings(const json& j) {
  std::vector<std::string> out;
  for (const json& s : j) out.push_back(CompactText(s.get<std::string>()));
  return out;
}

std::vector<std::string> OptionalStrings(const json& j, const char* member) {
  return j.contains(member) ? CompactStrings(j.at(member)) : std::vector<std::string>{};
}

// A printed row label reduced to the item's name: no ordinal (nor one OCR
// garbled into a few Latin letters and a bracket: "(1L)", "U)"), no 其中：, no
// trailing colon, no unit or note in brackets ("实际支出(万元)").
std::string CleanLabel(const std::string& printed) {
  static const std::regex kBracketed(R"(\([^()]*\)$)");
  static const std::regex kGarbledOrdinal(R"(^\(?[0-9A-Za-z|!]{1,3}\))");
  std::string text = std::regex_replace(StripOrdinal(printed), kGarbledOrdinal, "");
  for (int pass = 0; pass < 2; ++pass) {
    text = std::regex_replace(text, kBracketed, "");
    while (!text.empty() && text.back() == ':') text.pop_back();
  }
  return text;
}

// A label without its punctuation marks: enumerations are printed with 、,
// ，or nothing, and OCR reads 、 as ” or ,.
std::string WithoutPunctuation(const std::string& compact) {
  static const std::regex kPunctuation("、|，|,|”|“|\"|·|'|‘|’");
  return std::regex_replace(compact, kPunctuation, "");
}

// The schema row a cleaned label names: one of its labels exactly (their
// punctuation aside), else the longest label of four characters or more it
// contains (a wrapped or misread remainder around it).
const FormRow* RowNamed(const std::string& clean, const FormBlock& block) {
  const FormRow* best = nullptr;
  size_t best_size = 0;
  const std::string bare = WithoutPunctuation(clean);
  for (const FormRow& row : block.rows) {
    for (const std::string& label : row.labels) {
      if (bare == WithoutPunctuation(label)) return &row;
      if (label.size() >= 12 && label.size() > best_size && clean.find(label) != std::string::npos) {
        best = &row;
        best_size = label.size();
      }
    }
  }
  return best;
}

const FormRow* RowByKey(const FormDef& form, const std::string& key) {
  for (const FormBlock& block : form.blocks) {
    for (const FormRow& row : block.rows) {
      if (row.key == key) return &row;
    }
  }
  return nullptr;
}

// The year printed in a header ("2021年决算数" → 2021), or 0.
int YearIn(const std::string& compact) {
  static const std::regex kYear(R"((\d{4})年)");
  std::smatch m;
  return std::regex_search(compact, m, kYear) ? std::stoi(m[1].str()) : 0;
}

std::string WithoutYear(const std::string& compact) {
  static const std::regex kYear(R"(\d{4}年度?)");
  return std::regex_replace(compact, kYear, "");
}

// A header cell's text with its year: OCR readings snapped to the label
// vocabulary lose it ("2018年决算数" → "本年决算数"), the raw reading stays
// among the alternatives.
std::string HeaderText(const Item& item) {
  if (YearIn(item.compact) > 0) return item.compact;
  for (const std::string& alternative : item.alternatives) {
    const std::string compact = CompactText(alternative);
    if (YearIn(compact) > 0) return compact;
  }
  return item.compact;
}

// The column a header cell names, given the latest year printed on its line.
const FormColumn* ColumnNamed(const std::string& compact, int latest_year, const FormBlock& block) {
  const int year = YearIn(compact);
  const std::string text = WithoutYear(compact);
  if (year > 0) {
    const std::string wanted = year < latest_year ? "previous" : "current";
    for (const FormColumn& col : block.columns) {
      if (col.year == wanted && ContainsAny(text, col.year_labels)) return &col;
    }
  }
  const FormColumn* best = nullptr;
  size_t best_size = 0;
  for (const FormColumn& col : block.columns) {
    for (const std::string& label : col.labels) {
      if (label.size() > best_size && text.find(label) != std::string::npos) {
        best = &col;
        best_size = label.size();
      }
    }
  }
  return best;
}

// One form being read.
struct FormDraft {
  const FormDef* def = nullptr;
  Table table;
  std::string name;
  bool closed = false;
  const FormBlock* block = nullptr;
  jixiao::Columns columns;                // of a block with columns
  std::vector<std::pair<double, std::string>> sides;  // x0 of each side label, column key
  std::set<int> side_labels;              // the pieces printing them
  bool in_text = false;                   // lines of a text block
  std::string text_label;                 // the text block's label (schema's)
  std::vector<std::pair<double, std::string>> text_columns;  // goal header centres: x, "expected"/"actual"
  struct TextPiece {
    std::string key;  // the text block's label, or the goal column: expected / actual
    int page = 0, line = 0;
    std::string text;
  };
  std::vector<TextPiece> texts;                               // in reading order
  std::vector<std::pair<std::string, std::string>> fields;    // field label (clean) → value as printed
  std::map<std::string, std::string> row_labels;              // row key → its label as printed
  std::string last_row;                   // the row read last (open parts)
  std::string open_total;                 // the total unknown rows are parts of
  std::set<std::pair<size_t, int>> grids; // (candidate, grid) holding its pieces
  std::vector<int> items;                 // every piece it claimed
};

class FormReader {
 public:
  FormReader(Stream& stream, const JixiaoFormsSchema& schema) : s_(stream), schema_(schema) {}

  void Run() {
    for (size_t l = 0; l < s_.lines.size(); ++l) OnLine(static_cast<int>(l));
    if (Open()) drafts_.back().closed = true;
  }

  std::vector<FormDraft>& drafts() { return drafts_; }

 private:
  bool Open() const { return !drafts_.empty() && !drafts_.back().closed; }
  const Line& L(int l) const { return s_.lines[l]; }
  Item& I(int i) { return s_.items[i]; }

  bool LineHas(int l, const std::vector<std::string>& labels) const {
    for (int index : L(l).items) {
      const Item& item = s_.items[index];
      if (!item.IsFigure() && ContainsAny(item.compact, labels)) return true;
    }
    return false;
  }

  // A piece of a sentence ("年中追加资金…，实际到位资金…。"): a block label
  // inside it opens no block.
  static bool IsProse(const Item& item) {
    return item.compact.find("。") != std::string::npos || item.compact.find(',') != std::string::npos ||
           item.compact.find(';') != std::string::npos;
  }

  const FormDef* TitleOf(int l) const {
    for (const FormDef& form : schema_.forms) {
      if (LineHas(l, form.titles)) return &form;
    }
    return nullptr;
  }

  const FormDef* MarkedBy(int l) const {
    for (const FormDef& form : schema_.forms) {
      if (LineHas(l, form.markers)) return &form;
    }
    return nullptr;
  }

  const FormBlock* BlockOf(int l, const FormDef& form) const {
    for (const FormBlock& block : form.blocks) {
      for (int index : L(l).items) {
        const Item& item = s_.items[index];
        if (!item.IsFigure() && !IsProse(item) && ContainsAny(item.compact, block.labels)) return &block;
      }
    }
    return nullptr;
  }

  void OnLine(int l) {
    if (const FormDef* titled = TitleOf(l)) {
      if (Open()) drafts_.back().closed = true;
      Start(*titled, l);
      return;
    }
    if (!Open()) {
      if (const FormDef* marked = MarkedBy(l)) {
        Start(*marked, -1);
        LookBackForName(l);
        OnFormLine(l);
      } else {
        recent_.push_back(l);
      }
      return;
    }
    FormDraft& d = drafts_.back();
    if (LineHas(l, d.def->end_labels) || LineHas(l, schema_.closing_titles)) {
      d.closed = true;
      recent_.clear();
      return;
    }
    if (!d.name.empty() && NameOn(l, *d.def).size() > 0 && !BlockOf(l, *d.def)) {
      d.closed = true;  // the next form of the kind, untitled
      recent_.assign(1, l);
      return;
    }
    OnFormLine(l);
  }

  void Start(const FormDef& def, int title_line) {
    if (!drafts_.empty() && title_line >= 0) {
      // Lines above a title on its page (附件2) head the new form, not the
      // text block the last form ended with.
      std::erase_if(drafts_.back().texts, [&](const FormDraft::TextPiece& piece) {
        return piece.page == L(title_line).page && piece.line < title_line;
      });
    }
    FormDraft d;
    d.def = &def;
    d.table.kind = "jixiao";
    d.table.schema_id = "jixiao_forms.json#" + def.form;
    d.table.identified_by = title_line >= 0 ? "title" : "structure";
    if (title_line >= 0) {
      for (int index : L(title_line).items) {
        if (ContainsAny(I(index).compact, def.titles)) d.table.title = I(index).text;
      }
      Claim(d, title_line);
    }
    recent_.clear();
    drafts_.push_back(std::move(d));
  }

  // An untitled form names itself on the lines above its first block.
  void LookBackForName(int l) {
    FormDraft& d = drafts_.back();
    for (auto it = recent_.rbegin(); it != recent_.rend(); ++it) {
      if (L(*it).page != L(l).page) break;
      if (!NameOn(*it, *d.def).empty()) {
        ReadName(d, *it);
        break;
      }
    }
    recent_.clear();
  }

  // The name printed on a line after one of the form's name labels ("" none).
  std::string NameOn(int l, const FormDef& def) const {
    const std::vector<int>& items = L(l).items;
    for (size_t k = 0; k < items.size(); ++k) {
      const std::string& text = s_.items[items[k]].compact;
      for (const std::string& label : def.name_labels) {
        if (text.rfind(label, 0) != 0) continue;
        std::string rest = text.substr(label.size());
        if (!rest.empty() && rest[0] == ':') rest = rest.substr(1);
        if (rest.empty() && k + 1 < items.size()) rest = s_.items[items[k + 1]].compact;
        if (!rest.empty()) return rest;
      }
    }
    return "";
  }

  void ReadName(FormDraft& d, int l) {
    d.name = NameOn(l, *d.def);
    for (int index : L(l).items) MarkStructure(d, index);
  }

  void Claim(FormDraft& d, int l) {
    for (int index : L(l).items) Claim(d, index, Use::kNone);
  }

  void Claim(FormDraft& d, int index, Use use) {
    Item& item = I(index);
    if (item.evaluation < 0) d.items.push_back(index);
    item.evaluation = static_cast<int>(drafts_.size()) - 1;
    if (use != Use::kNone) item.use = use;
    if (!item.page_line) d.grids.insert({item.candidate, item.grid});
  }

  void MarkStructure(FormDraft& d, int index) {
    Claim(d, index, I(index).IsFigure() ? Use::kStructure : Use::kNone);
  }

  void OnFormLine(int l) {
    FormDraft& d = drafts_.back();
    Claim(d, l);
    if (d.name.empty() && !NameOn(l, *d.def).empty()) {
      ReadName(d, l);
      return;
    }
    if (const FormBlock* block = BlockOf(l, *d.def)) {
      OpenBlock(d, *block, l);
      if (!block->sides) return;
    } else if (std::string label = TextLabelOn(l, *d.def); !label.empty() && !(d.in_text && label == d.text_label)) {
      // (a block's label repeated beside its text, 项目绩效目标及实施计划, opens nothing)
      d.in_text = true;
      d.block = nullptr;
      d.text_label = label;
      d.text_columns.clear();
    }
    if (d.in_text) {
      for (int index : L(l).items) {
        MarkStructure(d, index);
        ReadText(d, index);
      }
      return;
    }
    ReadRow(d, l);
  }

  // The text label a line prints (the schema's), or "".
  std::string TextLabelOn(int l, const FormDef& def) const {
    for (int index : L(l).items) {
      const Item& item = s_.items[index];
      if (item.IsFigure() || IsProse(item)) continue;
      for (const std::string& label : def.text_labels) {
        if (item.compact.find(label) != std::string::npos) return label;
      }
    }
    return "";
  }

  // A piece of a text block: a goal column's header (which sets where that
  // column's text is), or text kept under its goal column or the block's
  // label, to be joined by EvaluationOf.
  void ReadText(FormDraft& d, int index) {
    const Item& item = I(index);
    if (item.compact.find(d.text_label) != std::string::npos) return;  // the block's own label
    if (!IsProse(item)) {
      const std::string clean = CleanLabel(item.compact);
      for (const auto& [labels, key] : {std::pair{&d.def->goal_expected_labels, "expected"},
                                        std::pair{&d.def->goal_actual_labels, "actual"}}) {
        for (const std::string& label : *labels) {
          if (clean != label) continue;
          d.text_columns.push_back({item.cx(), key});
          return;
        }
      }
    }
    std::string key = d.text_label;
    if (!d.text_columns.empty()) {
      double nearest = jixiao::kInf;
      for (const auto& [x, column] : d.text_columns) {
        if (std::abs(x - item.cx()) < nearest) nearest = std::abs(x - item.cx()), key = column;
      }
    }
    d.texts.push_back({key, item.page, item.line, item.text});
  }

  void OpenBlock(FormDraft& d, const FormBlock& block, int l) {
    d.block = &block;
    d.in_text = false;
    d.columns = {};
    d.sides.clear();
    d.side_labels.clear();
    d.last_row.clear();
    d.open_total.clear();
    int latest_year = 0;
    for (int index : L(l).items) latest_year = std::max(latest_year, YearIn(HeaderText(I(index))));
    if (block.sides) {
      for (int index : L(l).items) {
        const Item& item = I(index);
        if (item.IsFigure()) continue;
        if (const FormColumn* col = ColumnNamed(HeaderText(item), latest_year, block)) {
          d.sides.push_back({item.x0(), col->key});
          d.side_labels.insert(index);
        }
      }
      std::sort(d.sides.begin(), d.sides.end());
      return;
    }
    for (const HeaderPiece& piece : SplitRunTogether(HeaderPieces(d, block, l), block)) {
      if (piece.own_label) continue;  // the block's own label, left of its columns
      // A header misread beyond recognition still holds its column's place.
      const FormColumn* col = ColumnNamed(piece.text, latest_year, block);
      jixiao::Column c;
      c.key = col ? col->key : "";
      c.text = piece.text;
      c.x0 = piece.x0;
      c.x1 = piece.x1;
      d.columns.cols.push_back(c);
    }
    std::sort(d.columns.cols.begin(), d.columns.cols.end(),
              [](const jixiao::Column& a, const jixiao::Column& b) { return a.x0 < b.x0; });
    std::vector<JixiaoLabel> canon;
    for (const FormColumn& col : block.columns) canon.push_back({col.key, col.labels});
    jixiao::FillHeaderGaps(d.columns.cols, canon);
    jixiao::SetBounds(d.columns, false);
  }

  // One column header: its text joined over the lines it wraps onto.
  struct HeaderPiece {
    double x0 = 0, x1 = 0;
    std::string text;  // compact (with its year, HeaderText)
    bool own_label = false;
  };

  // Headers set so close that they read as one piece ("批复规模(㎡)实际规模(㎡)")
  // are split where each column's label begins, the extent shared out by
  // characters.
  static std::vector<HeaderPiece> SplitRunTogether(std::vector<HeaderPiece> pieces, const FormBlock& block) {
    std::vector<HeaderPiece> out;
    for (HeaderPiece& piece : pieces) {
      std::vector<size_t> starts;  // byte offsets where a column label begins
      for (size_t at = 0; !piece.own_label && at < piece.text.size();) {
        size_t longest = 0;
        for (const FormColumn& col : block.columns) {
          for (const std::string& label : col.labels) {
            if (label.size() > longest && piece.text.compare(at, label.size(), label) == 0) longest = label.size();
          }
        }
        if (longest > 0) starts.push_back(at);
        at += longest > 0 ? longest : 1;
      }
      if (starts.size() < 2) {
        out.push_back(std::move(piece));
        continue;
      }
      starts.front() = 0;
      starts.push_back(piece.text.size());
      const double per_char = (piece.x1 - piece.x0) / static_cast<double>(Utf8Length(piece.text));
      for (size_t k = 0; k + 1 < starts.size(); ++k) {
        HeaderPiece part;
        part.text = piece.text.substr(starts[k], starts[k + 1] - starts[k]);
        part.x0 = piece.x0 + per_char * static_cast<double>(Utf8Length(piece.text.substr(0, starts[k])));
        part.x1 = part.x0 + per_char * static_cast<double>(Utf8Length(part.text));
        out.push_back(std::move(part));
      }
    }
    return out;
  }

  // The header pieces of the block opened on line l: that line's words, and
  // the words of the lines just above and below it that print no figure —
  // headers wrapped over two or three lines, set centred, stand higher and
  // lower than the block's label ("预算投资(万元" / ")"). A word overlapping a
  // header joins its text; one right of the block's label is a header of
  // its own.
  std::vector<HeaderPiece> HeaderPieces(FormDraft& d, const FormBlock& block, int l) {
    std::vector<HeaderPiece> pieces;
    double label_x1 = -jixiao::kInf;
    for (int index : L(l).items) {
      const Item& item = I(index);
      if (item.IsFigure()) continue;
      const bool own = ContainsAny(item.compact, block.labels);
      if (own) label_x1 = std::max(label_x1, item.x1());
      pieces.push_back({item.x0(), item.x1(), HeaderText(item), own});
    }
    for (int step : {-1, 1}) {
      int near = l;
      for (int m = l + step; m >= 0 && m < static_cast<int>(s_.lines.size()); m += step) {
        const Line& line = L(m);
        const double gap = step < 0 ? L(near).y0 - line.y1 : line.y0 - L(near).y1;
        if (line.page != L(l).page || line.has_figure || gap > 0.8 * std::max(line.h, L(near).h)) break;
        if (BlockOf(m, *d.def) || !TextLabelOn(m, *d.def).empty()) break;
        for (int index : line.items) {
          const Item& item = I(index);
          auto overlaps = [&](const HeaderPiece& p) { return std::min(p.x1, item.x1()) > std::max(p.x0, item.x0()); };
          auto piece = std::find_if(pieces.begin(), pieces.end(), overlaps);
          if (piece != pieces.end()) {
            piece->text = step < 0 ? item.compact + piece->text : piece->text + item.compact;
            piece->x0 = std::min(piece->x0, item.x0());
            piece->x1 = std::max(piece->x1, item.x1());
          } else if (item.x0() > label_x1) {
            pieces.push_back({item.x0(), item.x1(), item.compact, false});
          } else {
            continue;
          }
          Claim(d, index, Use::kNone);
        }
        near = m;
      }
    }
    return pieces;
  }

  // The key of a row label printed by the open block, and whether the schema
  // knows it.
  std::string RowKey(FormDraft& d, const std::string& printed, bool* known) {
    const std::string clean = CleanLabel(printed);
    *known = false;
    if (clean.empty()) return d.block->row;
    if (const FormRow* row = RowNamed(clean, *d.block)) {
      *known = true;
      return row->key;
    }
    return d.block->row_prefix + clean;
  }

  void ReadRow(FormDraft& d, int l) {
    std::string label;  // the text left of the figures read so far
    int label_item = -1;
    std::string field;   // a field label: what follows is its value
    std::string spaced;  // short pieces in a row: a label set with wide spaces (地     址)
    for (int index : L(l).items) {
      Item& item = I(index);
      if (!item.IsFigure() && !item.IsDash()) {
        if (!field.empty()) {
          d.fields.push_back({field, item.text});
          field.clear();
        } else {
          spaced = spaced.size() <= 6 ? spaced + item.compact : item.compact;
          for (const std::string& text : {item.compact, spaced}) {
            if (const std::string clean = CleanLabel(text); ContainsAny(clean, d.def->field_labels)) field = clean;
          }
          if (!field.empty()) spaced.clear();
        }
        label = item.compact;
        label_item = index;
        continue;
      }
      spaced.clear();
      if (!field.empty()) {
        MarkStructure(d, index);
        d.fields.push_back({field, item.text});
        field.clear();
      } else if (item.IsFigure() && !d.block) {
        Unmapped(d, index, "printed outside every block of the form");
      } else if (item.IsFigure()) {
        ReadFigure(d, index, label, label_item);
      }
    }
  }

  void ReadFigure(FormDraft& d, int index, const std::string& label, int label_item) {
    Item& item = I(index);
    const FormBlock& block = *d.block;
    std::string col, row;
    bool known = false;
    if (block.sides) {
      for (const auto& [x0, key] : d.sides) {
        if (x0 <= item.cx()) col = key;
      }
      if (d.side_labels.count(label_item)) {
        row = block.total_row;
        known = true;
      } else {
        row = RowKey(d, label, &known);
      }
    } else {
      col = d.columns.KeyAt(item.cx());
      row = RowKey(d, label, &known);
    }
    if (const FormRow* def = known ? RowByKey(*d.def, row) : nullptr; def && !def->col.empty()) col = def->col;
    if (row.empty() || col.empty()) {
      Unmapped(d, index, row.empty() ? "no row label beside it" : "under no column of its block");
      return;
    }
    for (const Fact& fact : d.table.facts) {
      if (fact.row == row && fact.col == col) {
        Unmapped(d, index, "another figure of the form has the key " + row + "," + col);
        return;
      }
    }
    if (item.figure.kind != FigureKind::kNumber) {
      Unmapped(d, index, "unreadable");
      return;
    }
    d.row_labels.emplace(row, label_item >= 0 ? I(label_item).text : "");
    Fact fact = jixiao::FactOf(item, "", row, col);  // the table key once the form is named
    d.table.facts.push_back(std::move(fact));
    Claim(d, index, Use::kFact);
  }

  void Unmapped(FormDraft& d, int index, const std::string& why) {
    Claim(d, index, Use::kUnmapped);
    I(index).why = why;
  }

  Stream& s_;
  const JixiaoFormsSchema& schema_;
  std::vector<FormDraft> drafts_;
  std::vector<int> recent_;  // lines seen while no form was open
};

// Facts take their grid index in the table's grids (document order).
void AttachGrids(FormDraft& d, const std::vector<Table>& candidates, const Stream& stream) {
  std::map<std::pair<size_t, int>, int> index_of;
  for (const auto& ref : d.grids) {
    index_of[ref] = static_cast<int>(d.table.grids.size());
    const TableGrid& grid = candidates[ref.first].grids[ref.second];
    d.table.grids.push_back(grid);
    if (std::find(d.table.pages.begin(), d.table.pages.end(), grid.page) == d.table.pages.end()) {
      d.table.pages.push_back(grid.page);
    }
  }
  std::sort(d.table.pages.begin(), d.table.pages.end());
  for (Fact& fact : d.table.facts) {
    for (int index : d.items) {
      const Item& item = stream.items[index];
      if (item.page != fact.page || item.box.x0 != fact.box.x0 || item.box.y0 != fact.box.y0) continue;
      if (auto it = index_of.find({item.candidate, item.grid}); it != index_of.end()) fact.grid = it->second;
    }
  }
}

// The form as a structure: its fields, its figures row by row in printed
// order (columns by key), its goals and other text blocks.
JixiaoEvaluation EvaluationOf(const FormDraft& d) {
  JixiaoEvaluation ev;
  ev.kind = d.def->kind;
  ev.title = d.table.title;
  ev.name = d.name;
  ev.table = d.table.code;
  ev.unit = d.table.unit;
  ev.pages = d.table.pages;
  ev.fields = d.fields;
  // Goals are wrapped prose (lines joined as they are); other blocks
  // (评价人员) keep a space between pieces and a line break per line.
  std::vector<std::pair<std::string, std::string>> texts;
  std::map<std::string, int> last_line;
  for (const FormDraft::TextPiece& piece : d.texts) {
    auto text = std::find_if(texts.begin(), texts.end(), [&](const auto& t) { return t.first == piece.key; });
    if (text == texts.end()) {
      texts.push_back({piece.key, piece.text});
    } else {
      const bool goal = piece.key == "expected" || piece.key == "actual";
      text->second += goal ? "" : last_line[piece.key] != piece.line ? "\n" : " ";
      text->second += piece.text;
    }
    last_line[piece.key] = piece.line;
  }
  for (const auto& [key, text] : texts) {
    if (key == "expected") {
      ev.goal_expected = text;
    } else if (key == "actual") {
      ev.goal_actual = text;
    } else {
      ev.fields.push_back({key, text});
    }
  }
  std::vector<const Fact*> facts;
  for (const Fact& fact : d.table.facts) facts.push_back(&fact);
  std::stable_sort(facts.begin(), facts.end(), [](const Fact* a, const Fact* b) {
    return std::make_pair(a->page, a->box.y0) < std::make_pair(b->page, b->box.y0);
  });
  for (const Fact* fact : facts) {
    auto row = std::find_if(ev.funds.begin(), ev.funds.end(), [&](const JixiaoFundsRow& r) { return r.key == fact->row; });
    if (row == ev.funds.end()) {
      auto label = d.row_labels.find(fact->row);
      ev.funds.push_back({fact->row, label == d.row_labels.end() ? "" : label->second, {}});
      row = ev.funds.end() - 1;
    }
    JixiaoFigure figure;
    figure.printed = fact->printed;
    figure.value = fact->value;
    figure.page = fact->page;
    figure.grid = fact->grid;
    figure.row = fact->cell_row;
    figure.col = fact->cell_col;
    figure.box = fact->box;
    row->figures.push_back({fact->col, figure});
  }
  return ev;
}

}  // namespace

const FormDef* JixiaoFormsSchema::FormOf(const std::string& table_code) const {
  for (const FormDef& form : forms) {
    if (table_code.rfind(form.form + ":", 0) == 0) return &form;
  }
  return nullptr;
}

Result<JixiaoFormsSchema> ParseJixiaoFormsSchema(const std::string& json_text) {
  try {
    json j = json::parse(json_text);
    JixiaoFormsSchema s;
    s.closing_titles = CompactStrings(j.at("closing_titles"));
    for (const json& f : j.at("forms")) {
      FormDef form;
      form.form = f.at("form").get<std::string>();
      form.titles = CompactStrings(f.at("titles"));
      form.markers = CompactStrings(f.at("markers"));
      form.name_labels = CompactStrings(f.at("name_labels"));
      form.field_labels = OptionalStrings(f, "field_labels");
      form.text_labels = OptionalStrings(f, "text_labels");
      form.end_labels = OptionalStrings(f, "end_labels");
      form.kind = f.value("kind", std::string("form"));
      if (f.contains("goal_labels")) {
        form.goal_expected_labels = OptionalStrings(f.at("goal_labels"), "expected");
        form.goal_actual_labels = OptionalStrings(f.at("goal_labels"), "actual");
      }
      for (const json& b : f.at("blocks")) {
        FormBlock block;
        block.labels = CompactStrings(b.at("labels"));
        block.sides = b.value("sides", false);
        block.row = b.value("row", std::string());
        block.total_row = b.value("total_row", std::string());
        block.row_prefix = b.value("row_prefix", std::string());
        for (const json& c : b.at("columns")) {
          block.columns.push_back({c.at("key").get<std::string>(), CompactStrings(c.at("labels")),
                                   OptionalStrings(c, "year_labels"), c.value("year", std::string()),
                                   c.value("amount", true)});
        }
        if (b.contains("rows")) {
          for (const json& r : b.at("rows")) {
            block.rows.push_back({r.at("key").get<std::string>(), CompactStrings(r.at("labels")),
                                  r.value("parent", std::string()), r.value("open_parts", false),
                                  r.value("col", std::string())});
          }
        }
        form.blocks.push_back(std::move(block));
      }
      for (const json& sum : f.at("sums")) {
        form.sums.push_back({sum.at("id").get<std::string>(), sum.at("total").get<std::string>(),
                             sum.at("op").get<std::string>(), sum.value("parts_prefix", std::string())});
        if (form.sums.back().op != "=" && form.sums.back().op != ">=") {
          return MakeError(ErrorCode::kInvalidArgument, "jixiao forms schema: bad op in " + sum.dump());
        }
      }
      for (const json& c : f.at("compares")) {
        const json& lhs = c.at("lhs");
        const json& rhs = c.at("rhs");
        form.compares.push_back({c.at("id").get<std::string>(), lhs.at(0).get<std::string>(),
                                 lhs.at(1).get<std::string>(), rhs.at(0).get<std::string>(),
                                 rhs.at(1).get<std::string>(), OptionalStrings(c, "explained_by")});
      }
      for (const json& r : f.at("rates")) {
        form.rates.push_back({r.at("id").get<std::string>(), r.at("row").get<std::string>(),
                              r.at("rate").get<std::string>(), r.at("numerator").get<std::string>(),
                              r.at("denominator").get<std::string>()});
      }
      s.forms.push_back(std::move(form));
    }
    return s;
  } catch (const json::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, std::string("jixiao forms schema: ") + e.what());
  }
}

Result<JixiaoFormsSchema> LoadJixiaoFormsSchema(const std::string& schema_dir) {
  // A value of the wrong type in the file is an error, not an exception.
  return GuardJson<JixiaoFormsSchema>(schema_dir + "/jixiao_forms.json", [&]() -> Result<JixiaoFormsSchema> {
    const std::string path = schema_dir + "/jixiao_forms.json";
    std::ifstream in(path);
    if (!in) return MakeError(ErrorCode::kNotFound, "cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    return ParseJixiaoFormsSchema(text.str());
  });
}

JixiaoFormsOutput MapJixiaoForms(const std::vector<Table>& candidates, const std::vector<PageLayout>& pages,
                                 const JixiaoFormsSchema& schema) {
  JixiaoFormsOutput out;
  Stream stream = jixiao::BuildStream(candidates, pages, /*text_below=*/true);
  FormReader reader(stream, schema);
  reader.Run();
  std::set<size_t> used;
  for (FormDraft& d : reader.drafts()) {
    if (d.table.facts.empty() && d.name.empty()) continue;
    d.table.code = d.def->form + ":" + d.name;
    d.table.unit = "万元";
    Coverage coverage;
    for (int index : d.items) {
      Item& item = stream.items[index];
      if (!item.IsFigure()) continue;
      ++coverage.figures;
      if (item.use == Use::kFact || item.use == Use::kStructure) {
        ++coverage.mapped;
        continue;
      }
      ++coverage.unmapped;
      Finding f;
      f.kind = "unmapped";
      f.message = d.table.code + " p" + std::to_string(item.page) + ": figure '" + item.text +
                  "' has no key: " + (item.why.empty() ? std::string("read in no row of the form") : item.why);
      f.place = FindingPlace{item.page, item.box, item.text};
      out.findings.push_back(std::move(f));
    }
    for (Fact& fact : d.table.facts) fact.table = d.table.code;
    AttachGrids(d, candidates, stream);
    for (const auto& ref : d.grids) used.insert(ref.first);
    coverage.grids = coverage.grids_identified = static_cast<int>(d.grids.size());
    out.evaluations.push_back(EvaluationOf(d));
    out.tables.push_back(std::move(d.table));
    out.coverage.push_back(coverage);
  }
  out.used_candidates.assign(used.begin(), used.end());
  return out;
}

}  // namespace juesuan
