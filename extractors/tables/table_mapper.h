// Maps detected grids to the standard tables of schemas/ — the nine 决算
// tables and the budget (预算) tables — and their cells to facts.
//
// Input: per page, the grids (cells filled, text normalised) and the running
// text lines outside them (captions: titles, 公开0N表 / 表N, 单位：万元, （续）).
// Output: Tables in document order, each with its grids (a table continued on
// later pages, with or without a repeated header, is stitched into one) and
// its facts keyed as documented in docs/KEYS.md; grids no definition claims
// come back as Tables with an empty code, for the other extractors.
//
// A table is identified from all the evidence: its title (which also tells a
// 决算 table from a 预算 one), its caption code read together with the
// document's kind, and, when neither is readable, its structure — header
// words, the kind of row keys (function codes 2xx, economic codes 3xx, item
// names), the number of value columns and the order of the tables around it.
// Tables printed as panels side by side (收入 | 支出, 公开06表 in two or three
// panels), codes split over 类/款/项 columns, labels wrapped over lines and
// figures set above or below their labels are read by layout, not by
// position in a template.
//
// Every figure in an identified table is accounted for: a fact, a non-data
// number (栏次, 行次, 科目编码), or an `unmapped` finding saying where it is
// and why it has no key; mandatory rows (schemas/: `mandatory`) that are not
// found are `missing` findings. Pure; thread-safe given a shared const schema.
#pragma once

#include <string>
#include <vector>

#include "extractors/tables/table_schema.h"
#include "pipeline/core/document.h"

namespace juesuan {

struct MapperOutput {
  std::vector<Table> tables;        // identified ones and unidentified grids (code ""), in order
  std::vector<Finding> findings;    // unreadable cells, unmapped figures, missing rows
  Coverage coverage;                // of the identified tables (grids counts cover all grids)
};

MapperOutput MapTables(const std::vector<PageLayout>& pages, const TableSchema& schema);

// The accounting of a grid no extractor identified: an `unidentified_table`
// finding (page, box, first header words) and one `unmapped` finding per
// figure in it, added to `coverage`.
void AccountUnidentified(const Table& table, std::vector<Finding>& findings, Coverage& coverage);

// Whether an unidentified grid holds no fiscal table at all: a contents list
// (the titles of the tables, their numbering and page numbers) or a chart's
// labels and legend (shares, short labels next to a chart's caption). A grid
// with a figure, a code or a table's header words is never one. `page` (the
// grid's page, may be null) gives the text around it.
bool IsNotATable(const TableGrid& grid, const PageLayout* page, const TableSchema& schema);

// Removes from `tables` the unidentified ones (code "") whose grids are all
// not tables; returns the number of grids removed, for Coverage::grids.
int DropNonTables(std::vector<Table>& tables, const std::vector<PageLayout>& pages, const TableSchema& schema);

// Building blocks, exposed for tests.

// The table definition a caption names: by its title (longest title wins,
// "（续）" and a leading year ignored), else by a caption code (公开0N表)
// among the tables of `kind` ("juesuan" when empty); nullptr when none.
const TableDef* IdentifyCaption(const std::string& caption, const TableSchema& schema,
                                const std::string& kind = "");

// The fact table key of a budget table from its printed title: without the
// year, the schema's title prefixes (部门, 单位, 预算单位), the ordinal, the
// caption code, "（续）" and spaces; parentheses full-width as printed
// ("财政拨款支出预算表（功能科目）").
std::string TableKeyFromTitle(const std::string& title, const TableSchema& schema);

// An item label without its ordinal ("二十六、", "(一)", "1.") and spaces.
std::string StripOrdinal(const std::string& label);

// The row key of a printed item label among `rows`: by name or alias, by a
// unique key a wrapped label begins, or by the key it ends with after an
// ordinal OCR garbled. Else the label without its ordinal.
std::string CanonicalRow(const std::string& label, const std::vector<RowDef>& rows);

}  // namespace juesuan
