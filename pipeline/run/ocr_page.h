// Reading one page by its image: the OCR counterpart of "text layer glyphs +
// FillCells" for scans and pages whose text layer is unusable.
//
//   Raster (gray + rgb) -> PreparePage (rotation, deskew, seals, binarise)
//   -> DetectTables on the prepared image -> OcrEngine::ReadCell per cell
//   -> OcrEngine::ReadLines for the text outside the tables
//
// Input: the page rendered at the OCR resolution (rgb kept so that red seals
// can be suppressed) and the worker's OcrEngine. Output: the page in upright
// points (the frame after rotation and deskew): its grids with every cell's
// raw_text as read (not normalised), source kOcr, confidence and alternative
// readings, and the words outside the grids as glyphs. Single-threaded; the
// engine is not thread-safe, so one call at a time per engine.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "pipeline/core/document.h"
#include "pipeline/core/result.h"
#include "pipeline/ocr/ocr_engine.h"

namespace juesuan {

struct OcrPage {
  double width = 0, height = 0;  // upright page, points
  int rotation = 0;              // clockwise degrees applied to the source
  double skew_degrees = 0;       // measured on the upright image
  std::vector<TableGrid> grids;  // cells read; page number left to the caller
  std::vector<Glyph> glyphs;     // words outside the grids, upright points
};

// Errors: those of PreparePage (an inconsistent raster, OpenCV failures).
Result<OcrPage> ReadPageImage(const Raster& page, OcrEngine& engine);

// Reads single figure cells again, from the page rendered at another
// resolution and turned by the rotation and skew its first reading measured
// (so the cell boxes, in upright points, still fit). Keeps the last page it
// prepared: call it in page order. A page that fails to render gives an
// empty reading.
class CellRereader {
 public:
  using Render = std::function<Result<Raster>(int page, double dpi)>;
  CellRereader(Render render, double dpi, OcrEngine& engine)
      : render_(std::move(render)), dpi_(dpi), engine_(engine) {}
  CellReading Reread(int page, int rotation, double skew_degrees, const Box& cell_box_points);

 private:
  Render render_;
  double dpi_;
  OcrEngine& engine_;
  int page_ = 0;
  std::optional<Raster> prepared_;
};

}  // namespace juesuan
