// Reading one page by its image: the OCR counterpart of "text layer glyphs +
// FillCells" for scans and pages whose text layer is unusable.
//
//   Raster (gray + rgb) -> PreparePage (rotation, deskew on the rules, seals,
//   specks) -> fully ruled grids from the rules -> everything else read as
//   text symbol by symbol (OcrEngine::ReadLines, run by run) -> DetectTables
//   again with those symbols, as on a text layer (三线表 and tables without
//   rules found from the text's alignment) -> cells of ruled grids read one
//   by one (OcrEngine::ReadCell); cells of the others take their symbols,
//   those holding digits read again alone by ReadCell
//
// Input: the page rendered at the OCR resolution (rgb kept so that red seals
// can be suppressed), the worker's OcrEngine and, optionally, the template's
// label vocabulary. Output: the page in upright points (the frame after
// rotation and deskew): its grids with every cell's raw_text as read (not
// normalised), source kOcr, confidence and alternative readings, and the
// lines of text outside the grids as glyphs (one per line). With a
// vocabulary, a label cell read close to a template term is read as that
// term (the engine's own reading becomes the first alternative) and a line
// holding a table title with a glyph misread gets the title written out:
// both identify tables and key rows. Single-threaded; the engine is not
// thread-safe, so one call at a time per engine.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/core/document.h"
#include "pipeline/core/result.h"
#include "pipeline/ocr/figure_shapes.h"
#include "pipeline/ocr/label_vocabulary.h"
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
Result<OcrPage> ReadPageImage(const Raster& page, OcrEngine& engine,
                              const LabelVocabulary* vocabulary = nullptr);

// 科目编码 printed split over 类 | 款 | 项 columns, its two-digit parts read
// against the classification: in a row whose name is a 科目 name, the 款
// and 项 cells are rewritten to the parts of the one code the
// classification gives that name under the row's 类 (and its 款, when read
// whole or carried from the row above) at the row's level (项 when the 项
// cell holds anything, else 款). The readings replaced become the cells'
// first alternatives; rows whose name is no 科目 name, or names several
// codes that way, are left as read.
void FixSplitCodesByNames(TableGrid& grid, const LabelVocabulary& vocabulary);

// The label vocabulary of the schemas in `schema_dir`: every name in
// juesuan_tables.json, jixiao_table.json, kemu_names.json (科目 names) and
// identities/catalogue.json, the table titles among them. Errors: kNotFound
// / kInvalidArgument when juesuan_tables.json is missing or malformed (the
// other files are optional).
Result<LabelVocabulary> LoadLabelVocabulary(const std::string& schema_dir);

// Reads single figure cells again, from the page rendered at another
// resolution and turned by the rotation and skew its first reading measured
// (so the cell boxes, in upright points, still fit), as a second opinion:
// the text model restricted to figure characters reads first, so the
// re-read is independent of the first reading's model as well as its
// resolution. Keeps the last page it
// prepared: call it in page order. A page that fails to render gives an
// empty reading.
class CellRereader {
 public:
  using Render = std::function<Result<Raster>(int page, double dpi)>;
  CellRereader(Render render, double dpi, OcrEngine& engine)
      : render_(std::move(render)), dpi_(dpi), engine_(engine) {}
  CellReading Reread(int page, int rotation, double skew_degrees, const Box& cell_box_points);
  // Compares the cell's digits with those of `exemplars` (cells of the same
  // page read surely, with their readings) on the page prepared as Reread
  // prepares it (FigureShapes).
  ShapeCheck CheckShape(int page, int rotation, double skew_degrees, const Box& cell_box_points,
                        const std::string& reading, const std::vector<std::pair<Box, std::string>>& exemplars);

 private:
  void Prepare(int page, int rotation, double skew_degrees);
  Render render_;
  double dpi_;
  OcrEngine& engine_;
  int page_ = 0;
  std::optional<Raster> prepared_;
  std::optional<FigureShapes> shapes_;  // of page_
};

}  // namespace juesuan
