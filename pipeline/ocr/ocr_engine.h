// OCR of table cells and running text on prepared page images (see
// pipeline/imaging/page_prep.h), with Tesseract's LSTM engine.
//
// Input: a prepared grayscale Raster (upright, deskewed, seals suppressed) and
// boxes in upright points (points = pixels * 72 / dpi). Output: UTF-8 text as
// read, not yet normalised (full-width forms, stray spaces are the
// normaliser's business), with Tesseract's confidence (0..100).
//
// Figures are read with a figure-only character set and must also have a
// figure's shape (FitsFigurePattern: two decimals, commas every three
// digits, a decimal point where the ink has one); a reading that does not
// is read again with other settings, and the reading most passes agree on
// wins.
//
// An OcrEngine owns its Tesseract instances and all their variables; nothing
// is process-global. It is NOT thread-safe: create one per worker. Creation
// loads the models once (chi_sim+eng for text, eng for figure cells) and is
// the only step that can fail.
//
// Tesseract parallelises with OpenMP; with one engine per worker run the
// process with OMP_THREAD_LIMIT=1 (measured: 3x less CPU per cell).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/core/document.h"
#include "pipeline/core/result.h"

namespace tesseract {
class TessBaseAPI;
}

namespace juesuan {

struct CellImageOptions;

enum class CellContent {
  kAuto,     // read as text; re-read as a figure when it looks like one
  kNumeric,  // a figure: digits and . , - %
  // A figure read for a second opinion: the text model restricted to figure
  // characters reads it first, so that a misreading the figure model makes
  // of a font (a faint 4 taken for 1) is not simply made again.
  kNumericSecondOpinion,
  // A figure of a column of amounts: it has two decimals, so a reading
  // without them lost its point (re-read, or given one, before the last two
  // digits).
  kAmount,
  kText,     // a label: CJK and ASCII
};

struct OcrOptions {
  // Directory holding <lang>.traineddata. Empty: $TESSDATA_PREFIX, else
  // Tesseract's compiled-in default.
  std::string tessdata_dir;
  // Labels are Chinese: with an English model beside it Tesseract reads
  // small or blurred CJK glyphs as Latin letters ("Bike aa" for 项目).
  std::string text_languages = "chi_sim";
  std::string numeric_languages = "eng";
  std::string numeric_whitelist = "0123456789.,-%";
  // Readings below this confidence are re-read with other settings.
  float reread_below = 88.0f;
  // At most this many Tesseract calls per cell.
  int max_attempts = 4;
  // Cell crops are shrunk by this much on every side (points) to leave the
  // ruling lines outside.
  double inset_pt = 1.2;
  // Crops are scaled so that a line of glyphs is about this tall (pixels).
  double target_digit_height_px = 32.0;
  double target_cjk_height_px = 40.0;
  // ReadLines scales the region to at least this resolution.
  double lines_min_dpi = 300.0;
  // Ink darker than the crop's background by less than this (0..255) is
  // noise: a cell without such ink is empty and Tesseract is not called.
  int min_ink_contrast = 70;
  // Ink specks smaller than this (square points) are ignored.
  double min_speck_pt2 = 0.5;
  // Cell crops are sharpened (unsharp mask of this radius, points, and
  // strength) before Tesseract reads them: a blurred scan's digits run
  // together and read as other digits or as Chinese otherwise.
  double sharpen_sigma_pt = 0.6;
  double sharpen_amount = 2.0;
};

struct CellReading {
  std::string text;          // empty for an empty cell
  float confidence = 100.0f; // 0..100; 100 for an empty cell
  std::vector<std::string> alternatives;  // other readings, best first
  int attempts = 0;          // Tesseract calls made (0 for an empty cell)
};

enum class GlyphLevel { kSymbol, kWord, kLine };

// What a cell's ink looks like before any reading (CellImage, summarised).
struct CellInkShape {
  bool empty = true;
  int lines = 0;
  double line_height_px = 0;  // ink height of the tallest line
  bool figure_shaped = false; // glyphs parted and each of a digit's shape
  double edge_steepness = 1.0;  // CellImage::ink_edge_steepness: low for blurred ink
};

// Whether `text` has the shape of a printed figure: an amount with two
// decimals and optional thousands commas ("-1,234.56"), a rate or score
// ("83.75%", "0.83"), a whole number (codes, counts), or a dash. A cell with
// `foot_marks` > 0 (CellImage) needs its '.' or ','.
bool FitsFigurePattern(const std::string& text, int foot_marks);

class OcrEngine {
 public:
  // Errors: kEngine when a traineddata file is missing or Tesseract fails
  // to initialise; the message names the directory and language.
  static Result<std::unique_ptr<OcrEngine>> Create(const OcrOptions& options);
  ~OcrEngine();
  OcrEngine(const OcrEngine&) = delete;
  OcrEngine& operator=(const OcrEngine&) = delete;

  // Reads one table cell. `cell_box_points` is the cell as the table detector
  // found it (ruling lines included); ruling remnants inside the crop are
  // removed. REQUIRES: prepared.pixels holds width*height gray bytes, dpi > 0.
  CellReading ReadCell(const Raster& prepared, const Box& cell_box_points, CellContent content);

  // Whether the cell holds ink ReadCell would read (ruling remnants and
  // specks aside). No Tesseract call. Same REQUIRES as ReadCell.
  bool HasInk(const Raster& prepared, const Box& cell_box_points) const;
  // The cell's ink as ReadCell would crop it. No Tesseract call.
  CellInkShape InkShape(const Raster& prepared, const Box& cell_box_points) const;
  // Whether the crops of the page being read are sharpened (the options'
  // unsharp mask) before Tesseract sees them: for a blurred page only, as
  // sharpening crisp ink lifts JPEG ringing and grain into strokes.
  void SetSharpening(bool on) { sharpen_ = on; }

  // Reads running text (captions, titles, units, paragraphs) in a region.
  // Returns one Glyph per symbol, word or line, boxes in upright points, in
  // reading order (a symbol's box spans its line's height, as a text
  // layer's glyph does). An empty region gives an empty vector.
  std::vector<Glyph> ReadLines(const Raster& prepared, const Box& region_points,
                               GlyphLevel level = GlyphLevel::kWord);

  // Whether a page whose text lines run horizontally is upside down: reads
  // the longest few runs of text (FindTextRuns, pipeline/imaging) as they are
  // and turned 180 degrees and compares Tesseract's confidence. nullopt when
  // fewer than two runs read either way up (too little text to tell).
  // (Tesseract's own OSD proved slow and unsure on these pages.)
  // Suitable as PrepareOptions::upside_down_probe.
  std::optional<bool> DetectUpsideDown(const Raster& gray);

 private:
  struct Attempt;
  explicit OcrEngine(const OcrOptions& options);
  CellImageOptions ImageOptions() const;
  Attempt Recognise(tesseract::TessBaseAPI& api, const std::vector<uint8_t>& pixels, int width,
                    int height, double dpi, int psm, bool want_choices);

  OcrOptions options_;
  std::string tessdata_dir_;
  std::unique_ptr<tesseract::TessBaseAPI> text_api_;
  std::unique_ptr<tesseract::TessBaseAPI> numeric_api_;
  bool sharpen_ = false;
};

}  // namespace juesuan
