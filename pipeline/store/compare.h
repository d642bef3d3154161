// Planned against spent: the budget (部门预算/单位预算) and the final accounts
// (部门决算) of one unit and year, item by item, in one money unit.
//
//   schemas/budget_vs_final.json  what is comparable: per item the 决算 cells,
//                                 the budget cells of each budget family and
//                                 the 决算's own 预算数 cells
//   CompareDocuments(mapping, documents of one unit and year) -> rows
//
// A budget document is paired with every 决算 of the same unit (UnitKey of
// the unit names) and year; an item gives a row where both documents have a
// figure for it (per 科目编码 for coded items). The 决算's own 预算数 columns
// give rows of source "决算表预算数" without a budget document. Values are
// converted exactly (Decimal) into the mapping's unit. Pure functions of
// their arguments; the store feeds them (Store::ExportComparison).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/core/decimal.h"
#include "pipeline/core/result.h"

namespace juesuan {

// The `source` of a comparison row.
inline constexpr const char* kSourceBudgetDocument = "预算表";
inline constexpr const char* kSourceFinalBudgetColumns = "决算表预算数";

// One cell of the mapping.
struct CompareSource {
  std::string table;   // fact table key (公开07表); for budgets the fallback
                       // when a store does not know its tables' definitions
  std::string schema;  // budgets: the table definition id (预算:sh:支出预算总表)
  std::string row;     // a row key, or kCodeRows / kClassRows
  std::string col;
};
inline constexpr const char* kCodeRows = "{code}";    // every 科目编码 row
inline constexpr const char* kClassRows = "{class}";  // every row naming a 类

struct CompareItem {
  std::string item;
  bool coded = false;  // rows {code}/{class}: one comparison per 科目编码
  std::vector<CompareSource> final_sources;         // in the 决算
  std::vector<CompareSource> budget_sources;        // in a budget document
  std::vector<CompareSource> final_budget_sources;  // the 决算's 预算数
};

struct CompareMapping {
  std::string unit = "万元";  // the unit every value is converted into
  std::vector<CompareItem> items;
  std::map<std::string, std::string> class_codes;  // 类 name -> 3-digit code
};

// Reads schema_dir/budget_vs_final.json and schema_dir/identities/catalogue.json.
Result<CompareMapping> LoadCompareMapping(const std::string& schema_dir);
// The same from parsed JSON; errors name the item at fault.
Result<CompareMapping> ParseCompareMapping(const nlohmann::json& mapping, const nlohmann::json& catalogue);

// One stored figure, in its table's unit (`scale`: 元, 万元, 亿元).
struct CompareFact {
  std::string table, schema_id, row, col, scale;
  Decimal value;
};

struct CompareDocument {
  std::string sha256, path;
  std::string kind;  // yusuan or juesuan; others take no part
  std::string unit;  // the unit name as read
  std::optional<int> year;
  std::vector<CompareFact> facts;
};

struct ComparisonRow {
  std::string unit;  // the 决算's unit name
  std::optional<int> year;
  std::string item, code, source;
  Decimal budget, final;  // in CompareMapping::unit
  std::string budget_doc, final_doc;  // paths
  CompareFact budget_fact, final_fact;  // as stored, in their tables' units
};

// The key that matches a budget to its 决算: the unit name without spaces,
// full-width ASCII forms folded ("（" -> "("). Empty for an empty name.
std::string UnitKey(const std::string& unit_name);

// `value` in `from` (元, 万元, 亿元) expressed exactly in `to`; nullopt when
// either unit is unknown.
std::optional<Decimal> ConvertMoney(const Decimal& value, const std::string& from, const std::string& to);

// The comparison rows of documents that belong together (same UnitKey and
// year; the caller groups them): every budget paired with every 决算, and
// the 决算表预算数 rows of every 决算. Order: item (mapping order), code,
// source (预算表 first), budget path, 决算 path.
std::vector<ComparisonRow> CompareDocuments(const CompareMapping& mapping,
                                            const std::vector<CompareDocument>& documents);

// CSV of comparison rows: header and one line per row.
std::string ComparisonCsvHeader();
std::string ComparisonCsvLine(const ComparisonRow& row, const std::string& unit);

}  // namespace juesuan
