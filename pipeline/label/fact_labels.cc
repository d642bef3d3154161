#include "pipeline/label/fact_labels.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "extractors/tables/table_mapper.h"
#include "pipeline/core/json_guard.h"
#include "pipeline/core/utf8.h"
#include "pipeline/normalise/normalise.h"

namespace juesuan {
namespace {

using nlohmann::json;

Result<json> ReadJson(const std::string& schema_dir, const std::string& file) {
  const std::string path = (std::filesystem::path(schema_dir) / file).string();
  std::ifstream in(path);
  if (!in) return MakeError(ErrorCode::kNotFound, "labels: cannot read " + path);
  json j = json::parse(in, nullptr, false);
  if (j.is_discarded()) return MakeError(ErrorCode::kInvalidArgument, "labels: malformed " + path);
  return j;
}

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The single data row of a single-row table when its definition names none:
// the row holds the unit's figures of every column.
constexpr const char* kSingleRowDefault = "合计";

bool HasIdeograph(const std::string& text) { return CountCjkIdeographs(text) > 0; }

// The name printed beside the figure of `fact`: in its grid row, the cell
// with ideographs nearest to the left of the figure (past a 行次, a code or
// the figures of an earlier panel); in a grid whose rows were split between text
// lines, the line above or below when the figure's own line prints none.
std::string PrintedLabel(const Table& table, const Fact& fact) {
  if (fact.grid < 0 || fact.grid >= static_cast<int>(table.grids.size())) return "";
  const TableGrid& grid = table.grids[fact.grid];
  auto label_in_row = [&](int row) {
    std::vector<const Cell*> left;
    for (const Cell& c : grid.cells) {
      if (c.row <= row && row < c.row + c.row_span && c.col + c.col_span <= fact.cell_col) left.push_back(&c);
    }
    std::sort(left.begin(), left.end(), [](const Cell* a, const Cell* b) { return a->col > b->col; });
    // The innermost label: a block label merged over several rows to its
    // left (项目资金(元) over the funds rows) is a parent, not the name.
    for (const Cell* c : left) {
      const std::string text = CompactText(c->text);
      if (HasIdeograph(text)) return text;
    }
    return std::string();
  };
  std::string label = label_in_row(fact.cell_row);
  if (!label.empty()) return label;
  for (int row : {fact.cell_row - 1, fact.cell_row + 1}) {
    if (row < 0 || row >= grid.n_rows()) continue;
    const int edge = std::max(row, fact.cell_row);
    if (grid.RowEdgeIsRule(edge)) continue;
    label = label_in_row(row);
    if (!label.empty()) return label;
  }
  return "";
}

}  // namespace

Result<LabelCatalogue> LabelCatalogue::Load(const std::string& schema_dir) {
  // A value of the wrong type in the file is an error, not an exception.
  return GuardJson<LabelCatalogue>(schema_dir + ": label catalogue", [&]() -> Result<LabelCatalogue> {
    LabelCatalogue c;
    auto kemu = ReadJson(schema_dir, "kemu_names.json");
    if (!kemu) return kemu.error();
    // Objects by value: a range over the items of a temporary would dangle.
    auto member = [](const json& j, const std::string& key) {
      auto it = j.find(key);
      return it != j.end() && it->is_object() ? *it : json::object();
    };
    for (const char* group : {"功能分类", "经济分类"}) {
      const json current = member(kemu.value(), group);
      for (const auto& [code, name] : current.items()) {
        if (name.is_string()) c.kemu_[code].push_back(KemuName{name.get<std::string>(), 0, 0});
      }
      const json earlier = member(member(kemu.value(), "earlier_names"), group);
      for (const auto& [code, names] : earlier.items()) {
        for (const json& n : names) c.kemu_[code].push_back(KemuName{n.value("name", ""), n.value("from", 0), n.value("until", 0)});
      }
      const json introduced = member(member(kemu.value(), "introduced"), group);
      for (const auto& [code, year] : introduced.items()) {
        for (KemuName& n : c.kemu_[code]) {
          if (n.until == 0 && n.from == 0) n.from = year.get<int>();
        }
      }
    }
    auto juesuan = ReadJson(schema_dir, "juesuan_tables.json");
    if (!juesuan) return juesuan.error();
    const json juesuan_tables = juesuan.value().value("tables", json::array());
    for (const json& t : juesuan_tables) {
      const std::string code = t.value("code", "");
      auto add_columns = [&](const json& columns) {
        for (const json& col : columns) c.columns_[code][col.value("id", "")] = col.value("label", "");
      };
      add_columns(t.value("columns", json::array()));
      const json sides = t.value("sides", json::array());
      for (const json& side : sides) add_columns(side.value("columns", json::array()));
      if (t.value("layout", "") == "single_row") c.single_rows_[code] = t.value("row_label", kSingleRowDefault);
    }
    auto yusuan = ReadJson(schema_dir, "yusuan_tables.json");
    if (!yusuan) return yusuan.error();
    const json yusuan_tables = yusuan.value().value("tables", json::array());
    for (const json& t : yusuan_tables) {
      if (t.value("layout", "") == "single_row") c.single_rows_[t.value("code", "")] = t.value("row_label", kSingleRowDefault);
    }
    auto jixiao = ReadJson(schema_dir, "jixiao_table.json");
    if (!jixiao) return jixiao.error();
    const json funds_columns = jixiao.value().value("funds_columns", json::array());
    for (const json& col : funds_columns) {
      if (!col.value("amount", true)) c.non_amount_columns_.insert(col.value("key", ""));
    }
    // The other 绩效 forms print counts, areas and rates beside their money.
    auto forms = ReadJson(schema_dir, "jixiao_forms.json");
    if (!forms) return forms.error();
    for (const json& form : forms.value().value("forms", json::array())) {
      for (const json& block : form.value("blocks", json::array())) {
        for (const json& col : block.value("columns", json::array())) {
          if (!col.value("amount", true)) c.non_amount_columns_.insert(col.value("key", ""));
        }
      }
    }
    return c;
  });
}

std::optional<std::string> LabelCatalogue::CodeName(const std::string& code, std::optional<int> year) const {
  auto it = kemu_.find(code);
  if (it == kemu_.end()) return std::nullopt;
  const KemuName* current = nullptr;
  const KemuName* earlier = nullptr;  // the earliest name still printed in `year`
  for (const KemuName& n : it->second) {
    if (n.until == 0) {
      current = &n;
    } else if (year && *year <= n.until && (n.from == 0 || *year >= n.from) &&
               (!earlier || n.until < earlier->until)) {
      earlier = &n;
    }
  }
  if (earlier) return earlier->name;
  if (!current || current->name.empty()) return std::nullopt;
  if (year && current->from != 0 && *year < current->from) return std::nullopt;  // not yet a code
  return current->name;
}

std::string LabelCatalogue::ColumnLabel(const std::string& table, const std::string& col) const {
  auto t = columns_.find(table);
  if (t == columns_.end()) return "";
  auto c = t->second.find(col);
  return c == t->second.end() ? "" : c->second;
}

std::string LabelCatalogue::SingleRowLabel(const std::string& table, const std::string& schema_id) const {
  for (const std::string& key : {schema_id, table}) {
    auto it = single_rows_.find(key);
    if (it != single_rows_.end()) return it->second;
  }
  return "";
}

std::string CodeLevel(const std::string& row) {
  if (!AllDigits(row)) return "";
  const bool economic = row[0] == '3' || row[0] == '5';
  switch (row.size()) {
    case 3: return economic ? "经济分类类" : "类";
    case 5: return economic ? "经济分类款" : "款";
    case 7: return economic ? "" : "项";
    default: return "";
  }
}

std::optional<Decimal> ValueInYuan(const Decimal& value, const std::string& unit) {
  if (unit == "元") return value;
  if (unit != "万元") return std::nullopt;
  // Moving the point four places: the printed precision is kept, no digit invented.
  if (value.scale() >= 4) return Decimal(value.units(), value.scale() - 4);
  int64_t units = value.units();
  for (int k = value.scale(); k < 4; ++k) units *= 10;
  return Decimal(units, 0);
}

void LabelFacts(Document& doc, const LabelCatalogue& catalogue) {
  std::map<std::string, std::string> unknown;  // code -> printed name
  for (Table& table : doc.tables) {
    const std::string single_row = catalogue.SingleRowLabel(table.code, table.schema_id);
    for (Fact& fact : table.facts) {
      // 绩效 tables print text in their value columns (指标值 beside 分值):
      // the nearest text is no label there, and their keys are printed labels.
      // Read back from NAME.json (no grids): an empty printed_label meant the
      // printed name was the row label.
      const bool jixiao = table.kind == "jixiao" || table.code.rfind("绩效", 0) == 0;
      const std::string printed = jixiao                        ? std::string()
                                  : !table.grids.empty()          ? StripOrdinal(PrintedLabel(table, fact))
                                  : !fact.printed_label.empty() ? fact.printed_label
                                                                : fact.row_label;
      fact.level = CodeLevel(fact.row);
      fact.row_label.clear();
      fact.label_source.clear();
      if (!fact.level.empty()) {
        if (auto name = catalogue.CodeName(fact.row, doc.year)) {
          fact.row_label = *name;
          fact.label_source = "classification";
        } else {
          fact.row_label = printed;
          if (!printed.empty()) fact.label_source = "printed";
          auto& seen = unknown[fact.row];
          if (seen.empty()) seen = printed;
        }
      } else if (!single_row.empty() && AllDigits(fact.row)) {
        fact.row_label = single_row;
        fact.label_source = "template";
      } else {
        // Item rows are keyed by the template's name (docs/KEYS.md).
        fact.row_label = fact.row;
        fact.label_source = "template";
      }
      // The printed name, when it says something the label does not.
      const size_t colon = fact.row_label.rfind(':');
      const std::string own = colon == std::string::npos ? fact.row_label : fact.row_label.substr(colon + 1);
      // Compared NFKC-compact: （室） printed (室) is the same name.
      const std::string seen = CompactText(printed);
      fact.printed_label = (seen == CompactText(own) || seen == CompactText(fact.row_label)) ? "" : printed;
      fact.col_label = catalogue.ColumnLabel(table.code, fact.col);
      if (fact.col_label.empty()) fact.col_label = fact.col;  // budget and 绩效 columns: the printed header
      const bool amount = !jixiao || !catalogue.IsNonAmountColumn(fact.col);
      fact.value_yuan = amount ? ValueInYuan(fact.value, table.unit) : std::nullopt;
    }
  }
  doc.unknown_codes.clear();
  for (const auto& [code, printed] : unknown) doc.unknown_codes.push_back({code, printed});
}

}  // namespace juesuan
