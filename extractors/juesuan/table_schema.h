// The national template's nine 决算 tables as data (schemas/juesuan_tables.json):
// how each table is recognised and how its columns and rows map to fact keys.
// Loaded once, read-only afterwards; safe to share between threads.
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/result.h"

namespace juesuan {

// A column identified by its meaning. A header matches when one of `leaf`
// is contained in the column's lowest header cell and, when `path` is not
// empty, one of `path` is contained in the column's whole header path.
struct ColumnDef {
  std::string id;  // 栏次 by meaning: "1", "2", ...
  std::vector<std::string> leaf;
  std::vector<std::string> path;
};

struct RowDef {
  std::string key;                   // canonical item name
  std::vector<std::string> aliases;  // other printed wordings
};

// Rows printed under a heading row and keyed "heading:child".
struct RowGroupDef {
  std::string key;
  std::vector<RowDef> children;
};

// One half of a two-sided table (收入 | 支出).
struct SideDef {
  std::string side;                  // "income" / "expenditure"
  std::vector<std::string> group;    // the header group naming this side
  std::vector<ColumnDef> columns;
  std::vector<RowDef> rows;
  std::vector<RowGroupDef> groups;
};

enum class TableLayout {
  kCoded,      // rows keyed by 功能分类科目编码 (02, 03, 05, 08, 09)
  kTwoSided,   // 收入 | 支出 item tables (01, 04)
  kEconomic,   // side-by-side 经济分类 code/name/amount groups (06)
  kSingleRow,  // one data row (07)
};

struct TableDef {
  std::string code;                  // 公开01表 ...
  int number = 0;                    // 1..9
  std::vector<std::string> titles;
  TableLayout layout = TableLayout::kCoded;
  std::vector<ColumnDef> columns;    // kCoded, kEconomic, kSingleRow
  std::vector<SideDef> sides;        // kTwoSided
  std::vector<std::string> totals;   // kEconomic: labelled total rows
  std::string row_key;               // kSingleRow
};

struct JuesuanSchema {
  std::vector<TableDef> tables;
  std::vector<std::string> code_headers;  // header words of 科目编码 columns
  std::vector<std::string> name_headers;  // header words of label columns
  std::vector<std::string> empty_notes;   // "此表无数值" ...
  const TableDef* Find(const std::string& code) const;
};

// Reads `schema_dir`/juesuan_tables.json. Patterns are compacted
// (CompactText) on load so that matching compares like with like.
Result<JuesuanSchema> LoadJuesuanSchema(const std::string& schema_dir);

}  // namespace juesuan
