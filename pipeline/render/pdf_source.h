// PdfSource: opens one PDF with Poppler and yields, per page, the text layer
// (glyph boxes) and rendered images.
//
// Input: a path. Output: PageText (glyphs in points, top-left origin, in the
// page's displayed orientation, with the usability verdict) and Raster
// (grayscale, optional RGB) at a resolution chosen by the caller.
// Not thread-safe: use one PdfSource per worker. Only this module links Poppler.
#pragma once

#include <memory>
#include <string>

#include "pipeline/core/document.h"
#include "pipeline/core/result.h"

namespace juesuan {

enum class ColourMode { kGrayOnly, kWithRgb };

class PdfSource {
 public:
  // Fails with kNotFound, kUnreadable (not a PDF, corrupt), kEncrypted or
  // kEmpty (zero pages). The message names the file and the reason.
  static Result<std::unique_ptr<PdfSource>> Open(const std::string& path);
  ~PdfSource();
  PdfSource(const PdfSource&) = delete;
  PdfSource& operator=(const PdfSource&) = delete;

  int page_count() const;
  // Page size in points, displayed orientation. REQUIRES: 1 <= page <= count.
  Box PageBox(int page) const;
  // The glyphs of the text layer with the verdict set (see ClassifyTextLayer).
  // Fails with kLimit when the page holds more than limits::kMaxGlyphsPerPage.
  Result<PageText> ReadTextLayer(int page) const;
  // Both renderers fail with kLimit when the page or its image is over the
  // caps of pipeline/core/limits.h (checked before any pixel is allocated).
  Result<Raster> Render(int page, double dpi, ColourMode colour) const;
  // The page's graphics without its text, grayscale: what ruling-line
  // detection needs on pages whose text comes from the text layer. Reuses one
  // renderer (and its font and image caches) for the whole document, several
  // times faster than Render.
  Result<Raster> RenderGraphics(int page, double dpi) const;
  // Document information dictionary entries (Title, Producer...), UTF-8.
  std::string InfoField(const std::string& key) const;

 private:
  struct Impl;
  Result<bool> CheckRenderable(int page, double dpi) const;
  explicit PdfSource(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Decides whether a text layer is usable: present, and decoding to CJK,
// digits and the punctuation of a Chinese document rather than to the Latin-1
// or private-use noise of fonts without a ToUnicode map. Sets verdict and
// verdict_reason on `page`.
void ClassifyTextLayer(PageText& page);

}  // namespace juesuan
