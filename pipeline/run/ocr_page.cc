#include "pipeline/run/ocr_page.h"

#include <algorithm>
#include <cmath>

#include "pipeline/imaging/page_prep.h"
#include "pipeline/tables/table_detector.h"

namespace juesuan {
namespace {

// Paints the grids white so that reading the running text does not read
// the tables a second time.
Raster WithoutGrids(const Raster& gray, const std::vector<TableGrid>& grids) {
  Raster out = gray;
  const double px_per_pt = gray.dpi / 72.0;
  const double margin = 2.0 * px_per_pt;  // the outer rules
  for (const TableGrid& grid : grids) {
    int x0 = std::clamp(static_cast<int>(grid.box.x0 * px_per_pt - margin), 0, gray.width);
    int y0 = std::clamp(static_cast<int>(grid.box.y0 * px_per_pt - margin), 0, gray.height);
    int x1 = std::clamp(static_cast<int>(std::ceil(grid.box.x1 * px_per_pt + margin)), 0, gray.width);
    int y1 = std::clamp(static_cast<int>(std::ceil(grid.box.y1 * px_per_pt + margin)), 0, gray.height);
    for (int y = y0; y < y1; ++y)
      std::fill_n(&out.pixels[static_cast<size_t>(y) * gray.width + x0], x1 - x0, 255);
  }
  return out;
}

}  // namespace

Result<OcrPage> ReadPageImage(const Raster& page, OcrEngine& engine) {
  PrepareOptions prepare;
  prepare.binarize = false;  // cells are thresholded one by one
  prepare.upside_down_probe = [&engine](const Raster& upright) {
    return engine.DetectUpsideDown(upright);
  };
  auto prepared = PreparePage(page, prepare);
  if (!prepared) return prepared.error();
  const PreparedPage& image = prepared.value();

  OcrPage out;
  out.rotation = image.rotation;
  out.skew_degrees = image.skew_degrees;
  out.width = image.gray.width * image.gray.PointsPerPixel();
  out.height = image.gray.height * image.gray.PointsPerPixel();

  // No glyphs yet: grids without vertical rules take their columns from
  // the image's ink.
  out.grids = DetectTables(image.gray, {}, DetectOptions{});
  for (TableGrid& grid : out.grids) {
    for (Cell& cell : grid.cells) {
      CellReading reading = engine.ReadCell(image.gray, cell.box, CellContent::kAuto);
      cell.raw_text = reading.text;
      cell.text = reading.text;
      cell.source = TextSource::kOcr;
      cell.confidence = reading.confidence;
      cell.alternatives = std::move(reading.alternatives);
    }
  }

  // The running text, run by run: one call on the whole page lets
  // Tesseract's page layout analysis lose short captions among the blanks.
  Raster text_only = WithoutGrids(image.gray, out.grids);
  for (const Box& run : FindTextRuns(text_only)) {
    std::vector<Glyph> words = engine.ReadLines(text_only, run, GlyphLevel::kWord);
    out.glyphs.insert(out.glyphs.end(), words.begin(), words.end());
  }
  return out;
}

CellReading CellRereader::Reread(int page, int rotation, double skew_degrees, const Box& cell_box_points) {
  if (page != page_) {
    page_ = page;
    prepared_.reset();
    auto raster = render_(page, dpi_);
    if (raster) {
      PrepareOptions prepare;
      prepare.binarize = false;
      prepare.rotation = RotationMode::kGiven;
      prepare.given_rotation = rotation;
      prepare.given_skew_degrees = skew_degrees;
      auto prepared = PreparePage(raster.value(), prepare);
      if (prepared) prepared_ = std::move(prepared.value().gray);
    }
  }
  if (!prepared_) return CellReading{"", 0.0f, {}, 0};
  return engine_.ReadCell(*prepared_, cell_box_points, CellContent::kNumeric);
}

}  // namespace juesuan
