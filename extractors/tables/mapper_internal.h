// Private parts of the table mapper, shared by its .cc files: the reading of
// a grid's header into columns by meaning and panels, and the assembly of
// printed rows into keyed rows. Exercised by tests through MapTables.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "extractors/tables/table_mapper.h"

namespace juesuan::mapper {

bool Contains(const std::string& text, const std::string& pattern);
bool MatchesAny(const std::string& text, const std::vector<std::string>& patterns);
// A 科目编码: 3, 5 or 7 digits.
bool IsCode(const std::string& text);
bool IsSmallInteger(const std::string& text);
// A figure as printed in a table body (as opposed to a 栏次/行次 number).
bool LooksLikeAmount(const std::string& text);
// A cell holding a number or an unreadable figure ("#####").
bool IsFigureText(const std::string& text);
// An amount as tables print them: "1,234.56", "0.00", "-3.10" (a decimal
// point or thousands separators), or "#####".
bool IsPrintedAmount(const std::string& text);
std::string CellText(const TableGrid& grid, int row, int col);
bool DeclaresEmpty(const std::string& text, const TableSchema& schema);

// ------------------------------------------------------------------ header

struct HeaderInfo {
  int body_start = 0;        // first body row
  int lanci_row = -1;        // the 栏次 row, if printed
  std::vector<std::string> leaf, path, top;      // per column
  std::vector<std::vector<std::string>> levels;  // per column, top to bottom
  bool words = false;         // some header row holds text
  bool HasHeader() const { return body_start > 0 && words; }
};

// Header rows are those above the first row carrying a code, a figure or
// (for `def`'s item tables) a known row label. `def` may be null.
HeaderInfo AnalyseHeader(const TableGrid& grid, const TableDef* def);

// kAttribute: words that qualify a row without naming it (采购组织形式).
enum class Role { kNone, kCode, kName, kLine, kValue, kAttribute };

struct ColumnRole {
  Role role = Role::kNone;
  std::string id;  // kValue: the column key
  int panel = 0;   // index into the grid's panels (left to right)
};

// Columns grouped into panels printed side by side: each panel has its own
// label columns and value columns.
struct Panel {
  int side = 0;                 // kTwoSided: index into TableDef::sides
  int first_col = 0, last_col = 0;
  std::vector<int> code_cols, name_cols, value_cols, attribute_cols;
  int line_col = -1;
};

struct ColumnModel {
  std::vector<ColumnRole> roles;  // per grid column
  std::vector<Panel> panels;
};

// Columns by meaning from the header words (and, where the header says
// nothing, from the body: a column of codes, of names, of figures), grouped
// into panels and matched to `def`'s columns.
ColumnModel AssignColumns(const TableGrid& grid, const HeaderInfo& header, const TableDef& def,
                          const TableSchema& schema);

// Roles for a continuation grid printed without a header: the previous
// grid's column under the same x range.
ColumnModel InheritColumns(const TableGrid& grid, const TableGrid& previous, const ColumnModel& previous_model);

// How well a grid's header and body fit `def` (0 none .. about 10), for
// identification without a title.
double StructureScore(const TableGrid& grid, const HeaderInfo& header, const TableDef& def,
                      const TableSchema& schema);

// -------------------------------------------------------------------- rows

// One grid of a table being mapped, with what the mapper knows of it.
struct GridContext {
  const TableGrid* grid = nullptr;
  int grid_index = 0;           // index into Table::grids
  HeaderInfo header;
  ColumnModel columns;
};

// What row mapping produced for one grid: facts go straight into the table;
// the keys of the rows seen (for the mandatory-row check); the cells that
// hold figures without a key, with the reason.
struct RowsResult {
  std::set<std::string> keys_seen;
  std::vector<std::pair<const Cell*, std::string>> unkeyed;  // cell, why
  std::set<const Cell*> non_data;                            // codes, 栏次, 行次 numbers
  // Keyed cells whose text is no readable figure ("#####", OCR debris).
  struct Unreadable {
    const Cell* cell;
    std::string row, col;
  };
  std::vector<Unreadable> unreadable;
};

// Maps the body rows of one grid of `table` (facts appended to table.facts).
// `carry` holds the code parts carried from the previous grid of the table
// (a 类 printed only on the first row of its group).
// An item row keyed in an earlier part of a table: a name printed again on
// a later page may make its key need a parent after all.
struct KeyedItemRow {
  std::vector<std::string> path;  // labels in force, outer to inner
  std::string attributes;
  std::string key;
  int grid = 0;
  std::vector<std::pair<int, int>> figure_cells;  // (row, col) in that grid
};
struct RowCarry {
  std::vector<std::string> code_parts;  // per panel: last 类 / 款
  std::vector<std::string> group;       // per panel: open row group (kTwoSided)
  // kItems, per panel: the labels in force at the end of the part before
  // (a continued table's first rows print no outer label) and its rows.
  std::vector<std::vector<std::string>> in_force;
  std::vector<std::vector<KeyedItemRow>> item_rows;
};
RowsResult MapRows(const GridContext& context, const TableDef& def, Table& table, RowCarry& carry);

}  // namespace juesuan::mapper
