// Fuzz target: the grid builder (ruled, partly ruled and text-aligned
// tables) on random rules and glyph boxes, then cell filling and text lines.
//
// Input bytes are a little program: page size, then records of 6 bytes, each
// a rule (horizontal or vertical, position, extent, thickness) or a glyph
// (box and one of a set of characters: digits, separators, CJK labels,
// codes). Checks: every grid's cells lie on its edges and cover each slot
// exactly once, edges increase.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "pipeline/core/document.h"
#include "pipeline/core/text_lines.h"
#include "pipeline/tables/table_detector.h"

namespace {

using namespace juesuan;

const char* const kGlyphs[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ".", ",", "-", "%",
                               "合", "计", "支", "出", "收", "入", "项", "目", "决", "算", "数", "类",
                               "款", "2", "0", "1", "公", "开", "表", "单", "位", "万", "元", " "};

void CheckGrid(const TableGrid& grid) {
  for (size_t i = 1; i < grid.row_edges.size(); ++i) {
    if (!(grid.row_edges[i] > grid.row_edges[i - 1])) std::abort();
  }
  for (size_t i = 1; i < grid.col_edges.size(); ++i) {
    if (!(grid.col_edges[i] > grid.col_edges[i - 1])) std::abort();
  }
  std::vector<int> covered(static_cast<size_t>(grid.n_rows()) * grid.n_cols(), 0);
  for (const Cell& cell : grid.cells) {
    if (cell.row < 0 || cell.col < 0 || cell.row_span < 1 || cell.col_span < 1 ||
        cell.row + cell.row_span > grid.n_rows() || cell.col + cell.col_span > grid.n_cols()) {
      std::abort();
    }
    for (int r = cell.row; r < cell.row + cell.row_span; ++r) {
      for (int c = cell.col; c < cell.col + cell.col_span; ++c) ++covered[static_cast<size_t>(r) * grid.n_cols() + c];
    }
  }
  for (int n : covered) {
    if (n != 1) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  Raster page;
  page.dpi = 72;
  page.width = 100 + data[0] * 4;   // 100..1120 px = pt at 72 dpi
  page.height = 100 + data[1] * 4;
  page.pixels.assign(static_cast<size_t>(page.width) * page.height, 255);
  std::vector<Glyph> glyphs;
  auto scaled = [](uint8_t v, int extent) { return v * extent / 256; };
  for (size_t at = 2; at + 6 <= size; at += 6) {
    const uint8_t* r = data + at;
    const int kind = r[0] % 3;
    if (kind < 2) {  // a rule: horizontal (0) or vertical (1)
      const bool horizontal = kind == 0;
      const int along = horizontal ? page.width : page.height;
      const int across = horizontal ? page.height : page.width;
      const int pos = scaled(r[1], across), from = scaled(r[2], along);
      const int to = std::min(along, from + 1 + scaled(r[3], along));
      const int thickness = 1 + r[4] % 3;
      const uint8_t ink = r[5] < 128 ? 0 : r[5];
      for (int t = 0; t < thickness && pos + t < across; ++t) {
        for (int i = from; i < to; ++i) {
          const int x = horizontal ? i : pos + t, y = horizontal ? pos + t : i;
          page.pixels[static_cast<size_t>(y) * page.width + x] = ink;
        }
      }
    } else {  // a glyph
      Glyph glyph;
      glyph.text = kGlyphs[r[1] % std::size(kGlyphs)];
      const double x = scaled(r[2], page.width), y = scaled(r[3], page.height);
      const double w = 1 + r[4] % 12, h = 1 + r[5] % 14;
      glyph.box = Box{x, y, x + w, y + h};
      glyphs.push_back(std::move(glyph));
    }
  }
  DetectOptions options;
  std::vector<TableGrid> grids = DetectTables(page, glyphs, options);
  std::vector<Box> boxes;
  for (TableGrid& grid : grids) {
    CheckGrid(grid);
    FillCells(grid, glyphs);
    boxes.push_back(grid.box);
  }
  BuildTextLines(1, glyphs, boxes);
  options.find_unruled_tables = false;  // the scan setting: columns from ink
  for (const TableGrid& grid : DetectTables(page, {}, options)) CheckGrid(grid);
  return 0;
}
