// Private helpers of the table-detection stage, shared by its .cc files and
// exercised by tests through the public functions only. Geometry in points.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pipeline/core/document.h"

namespace juesuan::tables_internal {

// A ruling line: `pos` is y for a horizontal line (x for a vertical one) and
// [lo, hi] its extent along the line.
struct Segment {
  double pos = 0, lo = 0, hi = 0;
  double length() const { return hi - lo; }
};

// Fraction of [lo, hi] covered by the union of `segments` (each [lo, hi]).
double Coverage(const std::vector<Segment>& segments, double lo, double hi);

// Builds the cells of a grid from its edges. `split_right(row, col)` says
// whether slot (row, col) is separated from (row, col + 1); `split_below`
// likewise from (row + 1, col). Slots joined by a missing separator become
// one cell; joined groups that are not rectangles are cut into rectangles, so
// every slot is covered by exactly one cell.
std::vector<Cell> BuildCells(const std::vector<double>& row_edges, const std::vector<double>& col_edges,
                             const std::function<bool(int, int)>& split_right,
                             const std::function<bool(int, int)>& split_below);

// A typical character size (points) of a set of glyphs: the width of a CJK
// character when there are any, else estimated from the other glyphs.
double TypicalEm(const std::vector<Glyph>& glyphs);

// True when the text is whitespace only.
bool IsBlank(const std::string& text);

// True for digits and the characters of printed figures (",", ".", "-", "%").
bool IsFigureText(const std::string& text);

// True for a dash alone ("-", "—", "－"): a figure printed as no amount.
bool IsDashText(const std::string& text);

// Groups glyphs into text lines by their vertical centres. Returns indices
// into `glyphs`, lines top to bottom, glyphs in each line left to right.
std::vector<std::vector<int>> GroupLines(const std::vector<Glyph>& glyphs, const std::vector<int>& members,
                                         double tolerance);

// Infers a table whose columns are not ruled: `rules` are its horizontal
// rules (at least the top and bottom one), `glyphs` the text inside its box.
// Column edges come from the alignment of the text; bands between rules that
// hold several rows of figures are split at the text lines. Returns false
// when the text does not form at least two columns.
bool InferTextGrid(const Box& region, const std::vector<Segment>& rules, const std::vector<Glyph>& glyphs,
                   TableGrid& grid);

// Regions of a page where text forms a table printed without any rules:
// lines that break into aligned runs holding figures, with the header lines
// just above them; captions, titles, notes and prose are left out. `taken`
// are regions already found (ruled tables): their glyphs are ignored.
// `slight`, when given, receives the regions too small to be a table alone
// (one line of figures, one figure under a label): the caller may join them
// to a table next to them (a row left above the first rule of a page).
std::vector<Box> FindUnruledTableRegions(const std::vector<Glyph>& glyphs, const std::vector<Box>& taken,
                                         std::vector<Box>* slight = nullptr);

// Lines of text that stand outside tables: titles, captions, units, notes
// (注：…) and page numbers. A stack of horizontal rules with such a
// line between two of its rules is two tables.
std::vector<Box> FindCaptionLines(const std::vector<Glyph>& glyphs);

}  // namespace juesuan::tables_internal
