// Labels for the readers of the data: what a fact's key means in words, and
// its value in 元, so that pooled documents need no lookup tables.
//
//   Document (tables with keyed facts and their grids) + schemas/
//     -> every Fact gets row_label, printed_label, col_label, level,
//        label_source and value_yuan; Document::unknown_codes lists the
//        科目 codes the classification lists do not know.
//
// Row labels: a 科目 code (功能分类 3/5/7 digits beginning with 2, 经济分类
// 3/5 digits beginning with 3 or 5) is named by schemas/kemu_names.json for
// the document's year (names change from year to year); a code the list does
// not know keeps its printed name and is reported. An item row is keyed by
// the template's item name already (docs/KEYS.md): that is its label. A
// single-row table's row takes its definition's row_label. printed_label is
// the name printed beside the figure when it differs from row_label (an
// earlier or local wording), else empty.
// Column labels: the 决算 tables' column meanings (schemas/juesuan_tables.json
// `label`); budget and 绩效 columns are keyed by their printed header, which
// is their label.
// value_yuan: value × 10000 for a 万元 table, value for a 元 table, exact
// (Decimal); none for scores, rates and counts (columns with "amount": false
// in schemas/jixiao_table.json and jixiao_forms.json) and for tables of no
// known unit.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pipeline/core/decimal.h"
#include "pipeline/core/document.h"
#include "pipeline/core/result.h"

namespace juesuan {

// One name a code had, for the years [from, until] (0: open).
struct KemuName {
  std::string name;
  int from = 0, until = 0;
};

class LabelCatalogue {
 public:
  // Reads kemu_names.json, juesuan_tables.json, yusuan_tables.json and
  // jixiao_table.json and jixiao_forms.json of `schema_dir`.
  static Result<LabelCatalogue> Load(const std::string& schema_dir);

  // The list's name of a 科目 code in `year` (the current name when the year
  // is unknown); nullopt when the list does not know the code in that year.
  std::optional<std::string> CodeName(const std::string& code, std::optional<int> year) const;
  // The meaning of column `col` of 决算 table `table` ("" when not defined).
  std::string ColumnLabel(const std::string& table, const std::string& col) const;
  // The row label of a single-row table, by its table code or schema id.
  std::string SingleRowLabel(const std::string& table, const std::string& schema_id) const;
  // Whether a column of a 绩效 table holds scores or rates, not money.
  bool IsNonAmountColumn(const std::string& col) const { return non_amount_columns_.count(col) > 0; }

 private:
  std::map<std::string, std::vector<KemuName>> kemu_;                 // code -> names over the years
  std::map<std::string, std::map<std::string, std::string>> columns_;  // table -> col -> label
  std::map<std::string, std::string> single_rows_;                     // table code / schema id -> label
  std::set<std::string> non_amount_columns_;
};

// The level of a coded row: 类/款/项 for 功能分类 codes (3/5/7 digits),
// 经济分类类/经济分类款 for 经济分类 codes (3/5 digits beginning with 3 or 5);
// "" for any other row key.
std::string CodeLevel(const std::string& row);

// The value in 元 of a figure printed in `unit` (万元 or 元); nullopt for
// any other unit. Exact: 413.09 万元 -> 4130900, 0.5 万元 -> 5000.
std::optional<Decimal> ValueInYuan(const Decimal& value, const std::string& unit);

// Fills the labels and value_yuan of every fact of `doc`, and
// doc.unknown_codes. The printed names are read from the table grids when
// the document has them (a document read back from NAME.json has none: the
// printed names it carries are kept).
void LabelFacts(Document& doc, const LabelCatalogue& catalogue);

}  // namespace juesuan
