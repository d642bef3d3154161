// The printed text of 绩效自评表 regions as positioned pieces, for reading the
// tables by their layout rather than by a detected cell grid (internal to
// extractors/jixiao).
//
// A 绩效自评表 is printed ruled, with horizontal rules only, three-line or
// without any rule; the grid detector's columns for the unruled kinds come
// from text alignment over the whole region and need not agree with the
// table's own header. The reader therefore works on pieces of text with
// their boxes:
//
//   - the cells of fully ruled grids and of grids read by OCR (one piece per
//     cell, wrapped text already joined, merged cells spanning rows marked);
//   - otherwise the text runs of the page inside the grid (PageLayout::runs:
//     a grid line's glyphs split where they stand apart), tagged with the
//     band between two printed rules that holds them;
//   - the running-text lines lying between the grids of a page (rows the
//     grid detector left out: goals text, a wrapped header).
//
// Pieces are grouped into visual lines (rows of text) and, per column, into
// blocks (the lines of one wrapped cell). Geometry across pages uses a
// global y: page * kPageStride + y, so nothing joins across a page break.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "extractors/jixiao/jixiao_schema.h"
#include "pipeline/core/document.h"
#include "pipeline/normalise/normalise.h"

namespace juesuan::jixiao {

constexpr double kPageStride = 100000.0;
constexpr double kInf = std::numeric_limits<double>::infinity();

// What became of a piece that prints a figure (accounting).
enum class Use { kNone, kFact, kStructure, kIgnored, kUnmapped };

struct Item {
  std::string text;     // normalised
  std::string compact;  // CompactText(text)
  Box box;              // on its page
  int page = 0;
  double y0 = 0, y1 = 0;  // global
  double h = 0;           // height of the text (box height)
  size_t candidate = 0;   // the candidate table it came from
  int grid = 0;           // index into that table's grids (the nearest one for page lines)
  int cell_row = 0, cell_col = 0;  // the grid slot holding it
  long band = -1;         // the band between two printed rules; -1 unknown
  bool is_cell = false;   // a whole grid cell
  bool spans_rows = false;
  bool page_line = false;   // running text outside the grids
  bool above_grids = false; // a page line above the page's first grid
  double above_by = 0;      // its distance above that grid
  TextSource source = TextSource::kTextLayer;
  float confidence = 100.0f;
  std::vector<std::string> alternatives;
  Figure figure;          // the text read as a figure
  int line = -1;          // its visual line; -1 for cells spanning rows

  // Bookkeeping of the reader.
  int evaluation = -1;
  Use use = Use::kNone;
  std::string why;        // why a figure has no key

  bool IsFigure() const { return figure.kind == FigureKind::kNumber || figure.kind == FigureKind::kUnreadable; }
  bool IsDash() const { return figure.kind == FigureKind::kDash; }
  double cx() const { return box.cx(); }
  double cy() const { return (y0 + y1) / 2; }
  double x0() const { return box.x0; }
  double x1() const { return box.x1; }
};

struct Line {
  std::vector<int> items;  // left to right
  int page = 0;
  double y0 = 0, y1 = 0, cy = 0, h = 0;
  bool cells = false;      // ruled cells: their rows never join
  bool has_figure = false;
};

struct Stream {
  std::vector<Item> items;
  std::vector<Line> lines;     // in reading order: page, then top to bottom
  std::vector<int> spanning;   // cells spanning rows, by their top
};

// The pieces of the candidate tables (code empty) and the running text
// between their grids, grouped into lines. With `text_below`, also the
// lines that follow a page's last grid closely (a form's text blocks, which
// an unruled page's table region leaves out as prose).
Stream BuildStream(const std::vector<Table>& candidates, const std::vector<PageLayout>& pages,
                   bool text_below = false);

// A group of pieces printed as one cell: the lines of a wrapped label.
struct Block {
  std::vector<int> items;  // reading order
  int page = 0;
  double y0 = 0, y1 = 0, x0 = 0, x1 = 0;
  double cy() const { return (y0 + y1) / 2; }
  std::string Text(const Stream& stream) const;     // normalised, lines joined
  std::string Compact(const Stream& stream) const;  // compact
  float Confidence(const Stream& stream) const;     // min over its pieces
  bool spans = false;      // one cell spanning rows
};

// The fact a piece prints, keyed (table, row, col): its reading, place and
// the engine's confidence and other readings. REQUIRES: a number piece.
Fact FactOf(const Item& item, const std::string& table, const std::string& row, const std::string& col);

// Blocks of `items`: a piece joins the block above it when it overlaps it
// horizontally, lies in the same band between printed rules and follows
// within half a text height; with `join_same_line`, also a piece just right
// of it on the same line ("≥" "20台"). Cells are blocks of their own.
std::vector<Block> GroupBlocks(const Stream& stream, std::vector<int> items, bool join_same_line);

// A table column from its header: the extent of the header text and the
// bounds half-way to its neighbours.
struct Column {
  std::string key;   // "" for a header no label names
  std::string text;  // header text (compact), wrapped parts joined
  double x0 = 0, x1 = 0;
  double lo = -kInf, hi = kInf;
};

struct Columns {
  std::vector<Column> cols;  // left to right
  bool empty() const { return cols.empty(); }
  // Index of the column holding x, or -1 left of the first one.
  int At(double x) const;
  int Find(const std::string& key) const;
  // The key of the column holding x ("" when none or unnamed).
  std::string KeyAt(double x) const;
};

// Header cells whose label was not recognised (misprinted, misread by OCR)
// take the column keys missing between their recognised neighbours, when
// the gap holds exactly as many cells as keys (labels keep their canonical
// order in every template), before the first one likewise; after the last
// recognised column, the next keys in order. `columns` is sorted left to
// right.
void FillHeaderGaps(std::vector<Column>& columns, const std::vector<JixiaoLabel>& canon);

// Sets lo/hi of columns sorted by x: half-way between neighbouring header
// extents; the first column's lo is half its gap to the next one before its
// header (or -inf when `open_left`), the last column's hi is +inf.
void SetBounds(Columns& columns, bool open_left);

}  // namespace juesuan::jixiao
