// Page images for the review report and `juesuan debug`: a PDF page rendered
// in the frame the document's boxes are in, and regions of it drawn over
// (cell outlines, grid rules, keys, marks) and written as PNG.
//
// Input: an open PdfSource and the page's PageText as written in NAME.json
// (text-layer pages are rendered as displayed; OCR pages are turned by the
// rotation and deskewed by the skew their reading measured, so that their
// boxes, in upright points, fit). Output: PNG files.
//
// Boxes are in points of that frame. Text is drawn with a Debian CJK font
// (fonts-wqy-microhei, else fonts-noto-cjk) when one is installed, else
// with OpenCV's Latin font (keys then lose their Chinese characters).
// A RenderedPage is immutable once made; Sketches of one page can be made
// and drawn from any thread. The font is loaded once per thread.
#pragma once

#include <memory>
#include <string>

#include "pipeline/core/document.h"
#include "pipeline/core/result.h"
#include "pipeline/render/pdf_source.h"

namespace juesuan {

// What a mark on the page means; each has its own colour.
enum class MarkStyle {
  kGridRule,  // a kept grid edge (debug)
  kCell,      // a cell of a detected grid
  kSpan,      // a merged cell (tinted)
  kKey,       // a mapped cell (tinted) and its key (text)
  kUnmapped,  // a figure without a key (warning colour, tinted)
  kInvolved,  // a cell a finding involves
  kSuspect,   // the cell a finding suspects (tinted)
  kNote,      // a caption or banner (text on white)
};

// A page rendered once; Sketch copies regions of it to draw on.
class RenderedPage {
 public:
  // REQUIRES: 1 <= page.page <= pdf.page_count(). Errors: those of
  // PdfSource::Render and PreparePage.
  static Result<RenderedPage> Render(const PdfSource& pdf, const PageText& page, double dpi);
  // A light grey card of that size in points (at 72 dpi), to write on.
  static RenderedPage Blank(double width, double height);
  RenderedPage(RenderedPage&&) noexcept;
  ~RenderedPage();

  // The whole page, in points.
  Box Bounds() const;

 private:
  friend class Sketch;
  struct Image;
  explicit RenderedPage(std::unique_ptr<Image> image);
  std::unique_ptr<Image> image_;
};

// A region of a rendered page (clipped to the page), drawn on in colour.
class Sketch {
 public:
  Sketch(const RenderedPage& page, const Box& region);
  Sketch(Sketch&&) noexcept;
  ~Sketch();

  void Outline(const Box& box, MarkStyle style);
  // Text `height` points tall at the box's top-left corner, clipped to the
  // box (keys in cells).
  void Label(const Box& box, const std::string& text, MarkStyle style, double height = 7);
  // A mapped cell: tinted, its key written in the blank part of the cell
  // left of what is printed in it (clipped there, so the figure stays
  // readable; left out when there is no room).
  void Key(const Box& cell, const std::string& key);
  // A line segment, points.
  void Line(double x0, double y0, double x1, double y1, MarkStyle style);
  // The cells of a grid (spans tinted) and, with `rules`, its row and column
  // edges across the whole grid.
  void Grid(const TableGrid& grid, bool rules);

  // Writes the PNG; returns its size in bytes.
  Result<long> WritePng(const std::string& path) const;

 private:
  struct Canvas;
  std::unique_ptr<Canvas> canvas_;
};

// A small PNG saying why a finding has no page region (a missing table, a
// page that could not be rendered): `text` on a grey card. Returns its size.
Result<long> WritePlaceholderPng(const std::string& path, const std::string& text);

}  // namespace juesuan
