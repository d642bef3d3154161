// Cell text from glyphs: each glyph goes to the cell holding its centre; a
// cell's text reads its lines top to bottom, glyphs left to right.
#include <algorithm>

#include "pipeline/core/utf8.h"
#include "pipeline/tables/grid_internal.h"
#include "pipeline/tables/table_detector.h"

namespace juesuan {
namespace {

bool IsAsciiWordChar(unsigned char c) { return c < 0x80 && c > ' '; }
bool IsDigitGlyph(const Glyph& g) { return !g.text.empty() && g.text[0] >= '0' && g.text[0] <= '9'; }


int EdgeIndex(const std::vector<double>& edges, double v) {
  if (edges.size() < 2 || v < edges.front() || v > edges.back()) return -1;
  int index = static_cast<int>(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin()) - 1;
  return std::min(index, static_cast<int>(edges.size()) - 2);
}

}  // namespace

void FillCells(TableGrid& grid, const std::vector<Glyph>& glyphs) {
  const int n_rows = grid.n_rows(), n_cols = grid.n_cols();
  if (n_rows <= 0 || n_cols <= 0) return;
  std::vector<int> slot_cell(static_cast<size_t>(n_rows) * n_cols, -1);
  for (size_t i = 0; i < grid.cells.size(); ++i) {
    const Cell& cell = grid.cells[i];
    for (int row_idx = cell.row; row_idx < std::min(n_rows, cell.row + cell.row_span); ++row_idx) {
      for (int col_idx = cell.col; col_idx < std::min(n_cols, cell.col + cell.col_span); ++col_idx) {
        slot_cell[static_cast<size_t>(row_idx) * n_cols + col_idx] = static_cast<int>(i);
      }
    }
  }
  std::vector<std::vector<int>> members(grid.cells.size());
  for (size_t i = 0; i < glyphs.size(); ++i) {
    const Glyph& g = glyphs[i];
    if (g.text.empty() || tables_internal::IsBlank(g.text)) continue;
    const int row_idx = EdgeIndex(grid.row_edges, g.box.cy());
    const int col_idx = EdgeIndex(grid.col_edges, g.box.cx());
    if (row_idx < 0 || col_idx < 0) continue;
    const int cell = slot_cell[static_cast<size_t>(row_idx) * n_cols + col_idx];
    if (cell >= 0) members[cell].push_back(static_cast<int>(i));
  }
  for (size_t i = 0; i < grid.cells.size(); ++i) {
    Cell& cell = grid.cells[i];
    cell.raw_text.clear();
    cell.confidence = 100.0f;
    cell.text_box = cell.box;
    cell.pieces.clear();
    if (members[i].empty()) {
      cell.text.clear();
      continue;
    }
    std::vector<double> heights;
    std::vector<Glyph> own;
    cell.text_box = glyphs[members[i].front()].box;
    for (int index : members[i]) {
      heights.push_back(glyphs[index].box.height());
      own.push_back(glyphs[index]);
      cell.text_box = cell.text_box.Union(glyphs[index].box);
      cell.confidence = std::min(cell.confidence, glyphs[index].confidence);
    }
    std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
    const double height = heights[heights.size() / 2];
    const double em = std::min(height, tables_internal::TypicalEm(own));
    cell.pieces.clear();
    for (const auto& line : tables_internal::GroupLines(glyphs, members[i], 0.4 * height)) {
      const Glyph* previous = nullptr;
      for (int index : line) {
        const Glyph& g = glyphs[index];
        if (previous != nullptr && IsAsciiWordChar(previous->text.back()) && IsAsciiWordChar(g.text.front()) &&
            g.box.x0 - previous->box.x1 > 0.3 * em) {
          cell.raw_text += ' ';
        }
        // Runs of text apart from each other are pieces of their own.
        // So are a figure and a label set close (a shrunk label nearly
        // touching the figure of the column before it).
        const bool script_change = previous != nullptr && IsDigitGlyph(*previous) != IsDigitGlyph(g) &&
                                   (StartsWithCjkIdeograph(previous->text) || StartsWithCjkIdeograph(g.text)) &&
                                   g.box.x0 - previous->box.x1 > 0.1 * em;
        if (previous == nullptr || g.box.x0 - previous->box.x1 > 0.8 * em || script_change) {
          cell.pieces.push_back(TextPiece{"", g.box});
        }
        cell.pieces.back().text += g.text;
        cell.pieces.back().box = cell.pieces.back().box.Union(g.box);
        cell.raw_text += g.text;
        previous = &g;
      }
    }
    if (cell.pieces.size() == 1) cell.pieces.clear();  // the cell's text_box says it all
    cell.text = cell.raw_text;
  }
}

}  // namespace juesuan
