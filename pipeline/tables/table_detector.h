// Table detection: finds the tables on a rendered page and their cell grid.
//
// Input: a grayscale page Raster (any dpi) and, for tables that are not fully
// ruled, the page's glyphs (to infer columns from text alignment). Output: one
// TableGrid per table region, in points (top-left origin), with row/column
// edges and cells carrying spans for merged cells; cell text is left empty
// (see FillCells). Several tables on a page come back in reading order.
// Stateless and thread-safe. Only this module links OpenCV.
#pragma once

#include <vector>

#include "pipeline/core/document.h"

namespace juesuan {

struct DetectOptions {
  // A ruling line must be at least this long (points) to count.
  double min_line_length_pt = 12.0;
  // Lines closer than this (points) are one line (double rules, anti-aliasing).
  double merge_distance_pt = 2.5;
  // Minimum table size in points.
  double min_table_width_pt = 80.0;
  double min_table_height_pt = 12.0;  // one ruled row
  // Look for tables printed without rules in the glyphs' text. Off where the
  // glyphs are ink blobs of a scan: blobs align in paragraphs and seals too.
  bool find_unruled_tables = true;
};

// Finds ruled and partly ruled tables. `glyphs` may be empty (then tables
// without vertical rules get columns from the image's ink instead).
std::vector<TableGrid> DetectTables(const Raster& page, const std::vector<Glyph>& glyphs,
                                    const DetectOptions& options);

// Assigns glyphs to cells by the centre of each glyph and builds each cell's
// raw_text in reading order: lines top to bottom, glyphs left to right,
// wrapped lines joined without a separator (a space is kept between two
// ASCII runs). Glyphs outside every cell are ignored.
void FillCells(TableGrid& grid, const std::vector<Glyph>& glyphs);

}  // namespace juesuan
