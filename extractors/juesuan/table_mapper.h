// Maps detected grids to the nine 决算 tables and their cells to facts.
//
// Input: per page, the grids (cells filled, text normalised) and the running
// text lines outside them (captions: titles, 公开0N表 / 表N, 单位：万元, （续）).
// Output: Tables in document order, each with its grids (a table continued on
// the next page is stitched into one) and its facts keyed by the national
// template: 科目编码, item names, 栏次 by meaning. Cells that cannot be read
// (#####) become findings. Pure; thread-safe given a shared const schema.
#pragma once

#include <vector>

#include "extractors/juesuan/table_schema.h"
#include "pipeline/core/document.h"

namespace juesuan {

struct PageLayout {
  int page = 0;
  double width = 0, height = 0;
  std::vector<TableGrid> grids;  // top to bottom
  std::vector<TextLine> lines;   // outside the grids, normalised
};

struct MapperOutput {
  std::vector<Table> tables;        // identified ones and unidentified grids (code "")
  std::vector<Finding> findings;    // unreadable cells, unmapped columns
};

MapperOutput MapJuesuanTables(const std::vector<PageLayout>& pages, const JuesuanSchema& schema);

// Building blocks, exposed for tests.

// The table a caption names: by title (longest match wins, "（续）" and a
// leading year ignored), else by a 公开0N表 code. Empty when none.
std::string IdentifyCaption(const std::string& caption, const JuesuanSchema& schema);

// An item label without its ordinal ("二十六、", "(一)", "1.") and spaces.
std::string StripOrdinal(const std::string& label);

// The row key of a printed item label among `rows`: by name or alias, by a
// unique key a wrapped label begins, or by the key it ends with after an
// ordinal OCR garbled. Else the label without its ordinal.
std::string CanonicalRow(const std::string& label, const std::vector<RowDef>& rows);

}  // namespace juesuan
