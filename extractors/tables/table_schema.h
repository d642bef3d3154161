// The standard disclosure tables as data: the nine 决算 tables of the national
// template (schemas/juesuan_tables.json) and the budget (预算) table sets of
// the provinces (schemas/yusuan_tables.json) — how each table is recognised
// and how its columns and rows map to fact keys. Loaded once, read-only
// afterwards; safe to share between threads.
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/result.h"

namespace juesuan {

// A column identified by its meaning. A header matches when one of `leaf`
// is contained in the column's lowest header cell and, when `path` is not
// empty, one of `path` is contained in the column's whole header path.
struct ColumnDef {
  std::string id;  // the fact's col, verbatim: 栏次 by meaning ("1", "2" …) or a budget column name
  std::vector<std::string> leaf;
  std::vector<std::string> path;
  std::vector<std::string> path_not;  // patterns none of which may be in the header path
};

struct RowDef {
  std::string key;                   // canonical item name, verbatim (the fact's row)
  std::string match;                 // key compacted, for matching printed labels
  std::vector<std::string> aliases;  // other printed wordings, compacted
  bool Names(const std::string& compact_label) const;
};

// Rows printed under a heading row and keyed "heading:child".
struct RowGroupDef {
  std::string key;    // verbatim
  std::string match;  // compacted
  std::vector<RowDef> children;
};

// One panel of a table printed as several side by side, each with its own
// label and value columns (收入 | 支出 of the 总表s).
struct SideDef {
  std::string side;                  // "income" / "expenditure" / ...
  std::vector<std::string> group;    // the header group naming this panel
  std::vector<ColumnDef> columns;
  std::vector<RowDef> rows;
  std::vector<RowGroupDef> groups;
  bool open_rows = false;            // labels outside `rows` are keys as printed
};

enum class TableLayout {
  kCoded,      // rows keyed by 科目编码 (function or economic), totals by label
  kTwoSided,   // panels side by side, rows keyed by item names (收入 | 支出)
  kItems,      // one panel of item names, nested labels keyed "parent:item" when repeated
  kSingleRow,  // one data row
};

enum class CodeKind { kNone, kFunction, kEconomic };

struct TableDef {
  std::string id;       // schema id: "公开01表", "预算:sh:财务收支预算总表"
  std::string kind;     // "juesuan" or "yusuan"
  std::string family;   // budgets: "shanghai", "jiangsu"; empty for the national template
  std::string key;      // the fact table key when no printed title gives one
  bool key_from_title = false;  // budgets: facts keyed by the title as printed
  int order = 0;        // position in its family's set (document order)
  std::vector<std::string> titles;
  std::vector<std::string> captions;  // caption codes printed with it: 公开01表 …
  // Header words that tell this table from another of the same title (收入预算总表
  // of two provinces): the definition whose words the header holds most wins.
  std::vector<std::string> signature;
  TableLayout layout = TableLayout::kCoded;
  CodeKind codes = CodeKind::kNone;   // kCoded
  bool repeat_panels = false;         // kCoded: may be printed as identical panels side by side
  std::vector<ColumnDef> columns;     // kCoded, kItems, kSingleRow
  std::vector<SideDef> sides;         // kTwoSided
  std::vector<std::string> totals;    // labelled total rows (合计, 人员经费合计 …)
  std::vector<RowDef> rows;           // kItems: known vocabulary
  std::vector<RowGroupDef> groups;    // kItems: known nested rows
  bool open_rows = false;             // kItems: rows not from a closed list
  std::vector<std::string> label_headers;      // kItems: headers of label columns
  std::vector<std::string> attribute_headers;  // kItems: text columns that qualify a row (采购组织形式)
  std::string row_key;                // kSingleRow
  std::vector<std::string> mandatory; // rows every such table prints

  // The value columns of panel `side` (kTwoSided) or of the table.
  const std::vector<ColumnDef>& PanelColumns(int side) const;
  int ValueColumnCount() const;
};

struct TableSchema {
  std::vector<TableDef> tables;
  std::vector<std::string> title_prefixes;  // 部门, 单位, 预算单位: not part of a title's key
  std::vector<std::string> title_noise;     // （续）: not part of a title
  std::vector<std::string> code_headers;  // header words of 科目编码 columns
  std::vector<std::string> name_headers;  // header words of label columns
  std::vector<std::string> empty_notes;   // "此表无数值" ...
  const TableDef* Find(const std::string& id) const;
};

// Reads `schema_dir`/juesuan_tables.json and, when present,
// `schema_dir`/yusuan_tables.json. Patterns are compacted (CompactText) on
// load so that matching compares like with like.
Result<TableSchema> LoadTableSchema(const std::string& schema_dir);

}  // namespace juesuan
