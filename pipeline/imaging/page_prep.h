// Page clean-up for scanned pages, before table detection and OCR.
//
// Input: a page Raster as rendered or extracted from a scan: `pixels` gray and,
// when the page has colour, `rgb` (3 bytes per pixel, RGB, same size). Output:
// a PreparedPage holding an upright, deskewed grayscale image at the same dpi
// with red seals and stamps faded to background (dark strokes under a seal are
// kept), isolated specks (dust, scanner noise) painted out, a binarised copy
// robust to uneven grey (Sauvola), and the geometry that maps prepared pixels
// back to the source page. The skew is measured on the table rules when the
// page has them (long straight lines give a sharper angle than text), else on
// all the ink.
//
// Frames. "Prepared pixels" index PreparedPage::gray. "Upright points" are
// prepared pixels times 72/dpi: the frame the rest of the OCR path works in
// (table detection, cell boxes, OCR glyphs). "Source points" are points on the
// page as it was given (before the coarse rotation and the deskew), for
// pointing a reader back at the original scan.
//
// Stateless and thread-safe. Only this module and pipeline/tables link OpenCV.
#pragma once

#include <array>
#include <functional>
#include <optional>

#include "pipeline/core/document.h"
#include "pipeline/core/result.h"

namespace juesuan {

enum class SealMode {
  kSuppress,  // red/colour-dominant ink fades to background
  kKeep,
};

enum class RotationMode {
  kDetect,  // choose 0/90/180/270 from the page
  kNone,    // the page is known to be upright
  kGiven,   // turn by PrepareOptions::given_rotation (a page prepared before)
};

struct PrepareOptions {
  SealMode seals = SealMode::kSuppress;
  // A pixel counts as seal ink when red exceeds max(green, blue) by more
  // than half this (0..255); seal pixels and their neighbours are then read
  // in the red channel (SuppressSeals).
  int seal_red_margin = 28;
  RotationMode rotation = RotationMode::kDetect;
  // The line direction (0 or 90) comes from the page's ink. Telling upright
  // from upside down needs reading: this optional probe (e.g.
  // OcrEngine::DetectUpsideDown from pipeline/ocr) gets the page turned so
  // its lines run across, deskewed and despeckled, and answers whether it is
  // upside down, or nullopt when unsure. Without it, 180 and 270 are never
  // chosen.
  std::function<std::optional<bool>(const Raster&)> upside_down_probe;
  // kGiven: clockwise degrees, 0/90/180/270. Re-preparing a page at another
  // dpi with its first rotation and skew gives the same upright points.
  int given_rotation = 0;
  // When set, the skew to correct instead of measuring it.
  std::optional<double> given_skew_degrees;
  // Skew search range and resolution, degrees.
  double max_skew_degrees = 5.0;
  double skew_step_degrees = 0.05;
  // Skews smaller than this are measured but not corrected (saves a resample).
  double min_correction_degrees = 0.05;
  // Grey scans (paper at 200, ink at 60, blurred strokes lighter still)
  // are stretched so that the paper is near white and the darkest ink
  // black: absolute thresholds downstream (what counts as ink, as an empty
  // cell) then hold for faint scans as for crisp ones.
  bool stretch_contrast = true;
  // Specks: ink blobs no larger than this (points, either side) with no
  // other ink within despeckle_gap_pt are painted paper, unless they stand
  // between two glyphs of a line (a decimal point or comma, even in a wide
  // font). Dust on the glass is neither near ink nor between glyphs.
  bool despeckle = true;
  double speck_max_pt = 2.8;
  double despeckle_gap_pt = 1.6;
  // Sauvola window (points; ~ two text lines) and sensitivity k.
  double binarize_window_pt = 12.0;
  double sauvola_k = 0.25;
  // Callers that threshold per cell skip the page-wide binarisation.
  bool binarize = true;
};

struct PreparedPage {
  Raster gray;    // upright, deskewed, seals suppressed; same dpi; no rgb
  Raster binary;  // same size; 0 = ink, 255 = background (empty unless
                  // PrepareOptions::binarize)
  double skew_degrees = 0;  // measured skew of the upright page (positive:
                            // text lines fall to the right, clockwise)
  bool skew_corrected = false;
  int rotation = 0;         // clockwise degrees applied: 0, 90, 180, 270
  int source_width = 0, source_height = 0;  // pixels of the input raster
  // Affine map from prepared pixels to source pixels:
  //   sx = a[0]*x + a[1]*y + a[2];  sy = a[3]*x + a[4]*y + a[5]
  std::array<double, 6> to_source{1, 0, 0, 0, 1, 0};
};

// REQUIRES: page.width, page.height > 0, page.dpi > 0, page.pixels.size() ==
// width*height, and page.rgb empty or 3*width*height.
// Errors: kInvalidArgument for an inconsistent raster, kEngine when OpenCV
// throws.
Result<PreparedPage> PreparePage(const Raster& page, const PrepareOptions& options);

// Box conversions. `prepared_px` / the result are in prepared pixels.
Box PreparedPixelsToUprightPoints(const PreparedPage& page, const Box& prepared_px);
Box UprightPointsToPreparedPixels(const PreparedPage& page, const Box& upright_pt);
// The axis-aligned box, in source points, around the four corners of a box in
// upright points (so it grows slightly when the page was deskewed).
Box UprightPointsToSourcePoints(const PreparedPage& page, const Box& upright_pt);
Box SourcePointsToUprightPoints(const PreparedPage& page, const Box& source_pt);

// Lower-level steps, exposed for tests and for callers with their own order.
// Gray copy of `page` with seal ink faded: where the page is red (a seal)
// it is read through a red filter, seal ink alone becoming paper and the
// strokes under it staying dark (returns page.pixels unchanged when rgb is
// empty).
std::vector<uint8_t> SuppressSeals(const Raster& page, int red_margin);
// Skew of a gray page, degrees, within +-max_degrees (see PreparedPage):
// from the table rules when the page has enough of them, else from all ink.
double MeasureSkew(const Raster& gray, double max_degrees, double step_degrees);
// Stretches gray levels linearly so that the paper (the page's median) maps
// to 245 and the darkest ink (0.3th percentile) to 0. No-op on a page with
// no ink.
void StretchContrast(Raster& gray);
// Paints isolated specks (see PrepareOptions::speck_max_pt) with the paper
// around them; returns how many it removed.
int Despeckle(Raster& gray, double speck_max_pt, double gap_pt);
// 0 or 90: whether text lines run across (0) or down (90) the page.
int MeasureLineDirection(const Raster& gray);
// Sauvola binarisation: 0 = ink, 255 = background.
Raster Binarize(const Raster& gray, double window_pt, double k);
// Boxes (points) of the ink blobs of a prepared page, rules, frames and
// specks left out: stand-ins for glyphs where tables without vertical rules
// take their columns from where the text is. Ink is what is well below the
// paper (the page's median) relative to its darkest ink.
std::vector<Box> InkBlobBoxes(const Raster& gray);
// The words of ink in `box` (points) of a gray page: its ink components
// (those whose centre lies in `box`) joined where they stand on one line,
// overlapping vertically by half the smaller, and lie within an em (the
// taller's height) of each other. A figure set above its label, or a label
// wrapped over two lines, is two words however close they are across.
std::vector<Box> InkWordsIn(const Raster& gray, const Box& box);
// Boxes (points) of the runs of running text on a gray page whose tables
// were painted out: bands of inked rows, cut where the gap between words
// exceeds twice the band's height (a caption at the left, the unit at the
// right). Scan grain, specks (ink too small and too far from other ink to be
// part of a glyph, even in clusters of a few), rules and page-edge shadows do
// not count as ink.
std::vector<Box> FindTextRuns(const Raster& gray);
// The page with its dust painted out: blots of ink under 1.5 points on
// each side with no larger ink within 1.5 points (dust on the glass, not a
// decimal point or a 、, which sit against their glyphs). Tesseract reads a
// speckled page's lines as strings of debris otherwise.
Raster RemoveSpecks(const Raster& gray);
// The page with its horizontal rules (ink runs of `min_length_pt` or more)
// painted paper. A glyph that touches a rule on a blurred scan is one blob
// with it, and Tesseract then reads the blob as a symbol as wide as the
// table or loses the line.
Raster WithoutHorizontalRules(const Raster& gray, double min_length_pt);
// The page sharpened by an unsharp mask: gray + amount * (gray - blurred),
// the blur Gaussian of `sigma_pt` points.
Raster Sharpened(const Raster& gray, double sigma_pt, double amount);

}  // namespace juesuan
