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

// Boxes (points) of the runs of text on a page whose tables were painted
// out: bands of inked rows, cut where the gap between words exceeds twice
// the band's height (a caption at the left and the unit at the right).
std::vector<Box> TextRuns(const Raster& gray) {
  const int w = gray.width, h = gray.height;
  std::vector<int> hist(256, 0);
  for (uint8_t v : gray.pixels) ++hist[v];
  int paper = 255;
  for (long seen = 0, want = static_cast<long>(0.9 * gray.pixels.size()), v = 0; v < 256; ++v) {
    seen += hist[v];
    if (seen > want) {
      paper = static_cast<int>(v);
      break;
    }
  }
  const int threshold = paper - 60;  // well below paper grain and JPEG noise
  const double pt_per_px = gray.PointsPerPixel(), px_per_pt = 1 / pt_per_px;
  std::vector<uint8_t> mask(gray.pixels.size());
  for (size_t i = 0; i < mask.size(); ++i) mask[i] = gray.pixels[i] < threshold;
  // Runs longer than half an inch are rules, frames or the shadow at a
  // scanned page's edge, never text: without them every row would look inked.
  const int long_run = static_cast<int>(36 * px_per_pt);
  std::vector<uint8_t> keep = mask;
  for (int y = 0; y < h; ++y)
    for (int x = 0, run = 0; x <= w; ++x) {
      if (x < w && mask[static_cast<size_t>(y) * w + x]) {
        ++run;
        continue;
      }
      if (run >= long_run) std::fill_n(&keep[static_cast<size_t>(y) * w + x - run], run, 0);
      run = 0;
    }
  for (int x = 0; x < w; ++x)
    for (int y = 0, run = 0; y <= h; ++y) {
      if (y < h && mask[static_cast<size_t>(y) * w + x]) {
        ++run;
        continue;
      }
      if (run >= long_run)
        for (int k = y - run; k < y; ++k) keep[static_cast<size_t>(k) * w + x] = 0;
      run = 0;
    }
  auto ink = [&](int x, int y) { return keep[static_cast<size_t>(y) * w + x] != 0; };
  const int min_row_ink = 2;
  std::vector<int> rows(h, 0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) rows[y] += ink(x, y);
  std::vector<Box> out;
  const int max_gap = static_cast<int>(1.5 * px_per_pt);  // inside a glyph (二, 三)
  for (int y = 0; y < h;) {
    if (rows[y] < min_row_ink) {
      ++y;
      continue;
    }
    int y0 = y, last = y;
    while (y < h && (rows[y] >= min_row_ink || y - last <= max_gap)) {
      if (rows[y] >= min_row_ink) last = y;
      ++y;
    }
    const int y1 = last + 1, band = y1 - y0;
    if (band < 4 * px_per_pt || band > 40 * px_per_pt) continue;  // specks, pictures
    std::vector<int> cols(w, 0);
    for (int x = 0; x < w; ++x)
      for (int yy = y0; yy < y1; ++yy) cols[x] += ink(x, yy);
    const int split = 2 * band;
    for (int x = 0; x < w;) {
      if (cols[x] == 0) {
        ++x;
        continue;
      }
      int x0 = x, end = x;
      while (x < w && (cols[x] > 0 || x - end <= split)) {
        if (cols[x] > 0) end = x;
        ++x;
      }
      const int x1 = end + 1;
      if (x1 - x0 < band / 2) continue;  // a speck
      const double pad = 2;  // points of paper around the run
      out.push_back({x0 * pt_per_px - pad, y0 * pt_per_px - pad, x1 * pt_per_px + pad,
                     y1 * pt_per_px + pad});
    }
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
  for (const Box& run : TextRuns(text_only)) {
    std::vector<Glyph> words = engine.ReadLines(text_only, run, GlyphLevel::kWord);
    out.glyphs.insert(out.glyphs.end(), words.begin(), words.end());
  }
  return out;
}

}  // namespace juesuan
