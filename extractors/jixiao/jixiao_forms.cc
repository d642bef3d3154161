// MapJixiaoForms and the forms schema (declared in jixiao_forms.h).
#include "extractors/jixiao/jixiao_forms.h"

#include <algorithm>
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
      if (LineHas(l, block.labels)) return &block;
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
    } else if (LineHas(l, d.def->text_labels)) {
      d.in_text = true;
      d.block = nullptr;
    }
    if (d.in_text) {
      for (int index : L(l).items) MarkStructure(d, index);
      return;
    }
    ReadRow(d, l);
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
    for (int index : L(l).items) {
      const Item& item = I(index);
      if (item.IsFigure()) continue;
      const FormColumn* col = ColumnNamed(HeaderText(item), latest_year, block);
      if (block.sides) {
        if (!col) continue;
        d.sides.push_back({item.x0(), col->key});
        d.side_labels.insert(index);
        continue;
      }
      if (ContainsAny(item.compact, block.labels)) continue;  // the block's own label, left of its columns
      // A header misread beyond recognition still holds its column's place.
      jixiao::Column c;
      c.key = col ? col->key : "";
      c.text = item.compact;
      c.x0 = item.x0();
      c.x1 = item.x1();
      d.columns.cols.push_back(c);
    }
    std::sort(d.columns.cols.begin(), d.columns.cols.end(),
              [](const jixiao::Column& a, const jixiao::Column& b) { return a.x0 < b.x0; });
    std::vector<JixiaoLabel> canon;
    for (const FormColumn& col : block.columns) canon.push_back({col.key, col.labels});
    jixiao::FillHeaderGaps(d.columns.cols, canon);
    jixiao::SetBounds(d.columns, false);
    std::sort(d.sides.begin(), d.sides.end());
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
    bool after_field = false;  // a field label: what follows is its value
    for (int index : L(l).items) {
      Item& item = I(index);
      if (!item.IsFigure() && !item.IsDash()) {
        after_field = ContainsAny(CleanLabel(item.compact), d.def->field_labels);
        label = item.compact;
        label_item = index;
        continue;
      }
      if (after_field) {
        MarkStructure(d, index);
        after_field = false;
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
                                 rhs.at(1).get<std::string>()});
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
  Stream stream = jixiao::BuildStream(candidates, pages);
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
    out.tables.push_back(std::move(d.table));
    out.coverage.push_back(coverage);
  }
  out.used_candidates.assign(used.begin(), used.end());
  return out;
}

}  // namespace juesuan
