// Cell crops for OCR: cut a cell out of a prepared page, drop ruling-line
// remnants and specks, decide whether there is any ink, and tighten the crop
// around it. Plain pixel code (no engine types); stateless and thread-safe.
// Internal to pipeline/ocr, exposed for tests.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "pipeline/core/document.h"

namespace juesuan {

struct Gray {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;
};

struct CellImageOptions {
  double inset_pt = 1.2;
  int min_ink_contrast = 70;
  double min_speck_pt2 = 0.5;
  // Unsharp mask applied to the crop handed to the reader (0: none). Ink,
  // lines and the tight box are found on the crop as scanned: sharpening
  // lifts the grain of an empty cell to ink.
  double sharpen_sigma_pt = 0.0;
  double sharpen_amount = 0.0;
  // Whether CellImage::ink_edge_steepness is measured (one more pass over
  // the ink): the page's blur measure needs it, reading a cell does not.
  bool measure_edge_steepness = false;
};

struct CellImage {
  bool empty = true;
  Gray gray;               // tight crop, contrast-stretched (ink ~0, paper 255), padded
  int pad_px = 0;          // paper added on each side of the ink in `gray`
  int threshold = 128;     // ink/paper split in `gray`
  int lines = 0;           // text lines found
  std::vector<std::pair<int, int>> line_rows;  // each line's first and last row in `gray`
  double line_height_px = 0;  // ink height of the tallest line
  int tall_glyphs = 0;     // glyphs at least half the line height (~ digits); the
                           // arcs of a glyph broken by a faint stroke count once
  // Small blobs at the foot of a one-line cell with a tall blob on either
  // side: decimal points and thousands commas. A reading of a figure with
  // such marks that has neither '.' nor ',' dropped them.
  int foot_marks = 0;
  // Tall blobs right of the last foot mark (-1 without one): a decimal
  // point has the two decimals after it.
  int glyphs_after_foot_mark = -1;
  // One line of digit-shaped blobs: tall ones no wider than a digit, small
  // ones at the foot (. ,) or thin dashes. CJK glyphs nearly always have a
  // blob as wide as the line is tall, or a dot above the foot.
  bool figure_shaped = false;
  Box ink_box_px;          // ink extent in page pixels
  // The steepest steps between neighbouring pixels of the ink box against
  // the ink's contrast: about 1 for crisp ink, 0.3 for ink blurred by a
  // sigma of 1.3 pixels. Measured only with
  // CellImageOptions::measure_edge_steepness (1.0 otherwise).
  double ink_edge_steepness = 1.0;
};

// REQUIRES: 0 <= x0 <= x1 <= page.width, 0 <= y0 <= y1 <= page.height.
Gray CropGray(const Raster& page, int x0, int y0, int x1, int y1);
// Bilinear resampling by `scale` (> 0).
Gray ScaleGray(const Gray& image, double scale);
CellImage ExtractCell(const Raster& page, const Box& cell_box_points,
                      const CellImageOptions& options);
// The cell's gray crop thresholded at its own split: 0 or 255.
Gray BinarizeCell(const CellImage& cell);
// Line `index` of a multi-line cell (CellImage::line_rows) as a crop of its
// own with the cell's padding above and below. REQUIRES: index < lines.
Gray CellLine(const CellImage& cell, int index);

}  // namespace juesuan
