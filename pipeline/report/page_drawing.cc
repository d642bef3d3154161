#include "pipeline/report/page_drawing.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <vector>

#include <opencv2/freetype.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "pipeline/imaging/page_prep.h"

namespace juesuan {
namespace {

struct Ink {
  cv::Scalar colour;  // BGR
  int thickness;      // pixels
  bool tinted;        // the box is filled lightly as well
};

Ink InkOf(MarkStyle style) {
  switch (style) {
    case MarkStyle::kGridRule: return {{200, 0, 200}, 1, false};
    case MarkStyle::kCell: return {{210, 140, 40}, 1, false};
    case MarkStyle::kSpan: return {{210, 140, 40}, 1, true};
    case MarkStyle::kKey: return {{0, 110, 0}, 1, true};
    case MarkStyle::kUnmapped: return {{0, 140, 255}, 2, true};
    case MarkStyle::kInvolved: return {{220, 70, 0}, 2, false};
    case MarkStyle::kSuspect: return {{0, 0, 220}, 3, true};
    case MarkStyle::kNote: return {{0, 0, 0}, 1, false};
  }
  return {{0, 0, 0}, 1, false};
}

// The first Debian CJK font installed, loaded once per thread (FreeType
// faces are not shared across threads); null when there is none.
cv::freetype::FreeType2* CjkFont() {
  thread_local cv::Ptr<cv::freetype::FreeType2> font = []() -> cv::Ptr<cv::freetype::FreeType2> {
    for (const char* path : {"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                             "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                             "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"}) {
      if (!std::filesystem::exists(path)) continue;
      try {
        cv::Ptr<cv::freetype::FreeType2> loaded = cv::freetype::createFreeType2();
        loaded->loadFontData(path, 0);
        return loaded;
      } catch (const cv::Exception&) {
      }
    }
    return nullptr;
  }();
  return font.get();
}

// Text in `area` (pixels) from its top-left corner, on a white band so that
// it reads over the page; clipped to the area.
void DrawText(cv::Mat& image, const cv::Rect& area, const std::string& text, const cv::Scalar& colour,
              int height_px) {
  cv::Rect clipped = area & cv::Rect(0, 0, image.cols, image.rows);
  if (clipped.width < 4 || clipped.height < 4 || text.empty()) return;
  cv::Mat roi = image(clipped);
  int band_height = std::min(roi.rows, height_px + 4);
  int baseline = 0;
  cv::Size size;
  cv::freetype::FreeType2* font = CjkFont();
  if (font) {
    size = font->getTextSize(text, height_px, -1, &baseline);
  } else {
    size = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, height_px / 22.0, 1, &baseline);
  }
  cv::Rect band(0, 0, std::min(roi.cols, size.width + 4), band_height);
  cv::Mat white(band.size(), roi.type(), cv::Scalar(255, 255, 255));
  cv::addWeighted(roi(band), 0.25, white, 0.75, 0, roi(band));
  if (font) {
    font->putText(roi, text, cv::Point(2, 2), height_px, colour, -1, cv::LINE_AA, false);
  } else {
    cv::putText(roi, text, cv::Point(2, 2 + size.height), cv::FONT_HERSHEY_SIMPLEX, height_px / 22.0, colour, 1,
                cv::LINE_AA);
  }
}

cv::Rect ClampedRect(int x0, int y0, int x1, int y1, const cv::Mat& image) {
  return cv::Rect(cv::Point(x0, y0), cv::Point(x1, y1)) & cv::Rect(0, 0, image.cols, image.rows);
}

}  // namespace

struct RenderedPage::Image {
  cv::Mat gray;
  double dpi = 0;
};

RenderedPage::RenderedPage(std::unique_ptr<Image> image) : image_(std::move(image)) {}
RenderedPage::RenderedPage(RenderedPage&&) noexcept = default;
RenderedPage::~RenderedPage() = default;

Result<RenderedPage> RenderedPage::Render(const PdfSource& pdf, const PageText& page, double dpi) {
  auto raster = pdf.Render(page.page, dpi, ColourMode::kGrayOnly);
  if (!raster) return raster.error();
  Raster upright = std::move(raster.value());
  if (page.source == TextSource::kOcr) {
    // The frame the OCR boxes are in: the page as its reading turned it.
    PrepareOptions prepare;
    prepare.seals = SealMode::kKeep;
    prepare.rotation = RotationMode::kGiven;
    prepare.given_rotation = page.rotation;
    prepare.given_skew_degrees = page.skew_degrees;
    prepare.stretch_contrast = false;
    prepare.despeckle = false;
    prepare.binarize = false;
    auto prepared = PreparePage(upright, prepare);
    if (!prepared) return prepared.error();
    upright = std::move(prepared.value().gray);
  }
  auto image = std::make_unique<Image>();
  image->dpi = upright.dpi;
  image->gray = cv::Mat(upright.height, upright.width, CV_8UC1, upright.pixels.data()).clone();
  // Sixteen grey levels: the text still reads smoothly and the PNGs come out
  // at about half the size (a report of thousands of documents).
  image->gray.forEach<uchar>([](uchar& level, const int*) { level = static_cast<uchar>(level / 17 * 17); });
  return RenderedPage(std::move(image));
}

RenderedPage RenderedPage::Blank(double width, double height) {
  auto image = std::make_unique<Image>();
  image->dpi = 72;
  image->gray = cv::Mat(static_cast<int>(height), static_cast<int>(width), CV_8UC1, cv::Scalar(235));
  return RenderedPage(std::move(image));
}

Box RenderedPage::Bounds() const {
  double points_per_pixel = 72.0 / image_->dpi;
  return Box{0, 0, image_->gray.cols * points_per_pixel, image_->gray.rows * points_per_pixel};
}

struct Sketch::Canvas {
  cv::Mat bgr;
  Box region;    // points
  double scale;  // pixels per point

  cv::Point ToPixels(double x, double y) const {
    return cv::Point(static_cast<int>(std::lround((x - region.x0) * scale)),
                     static_cast<int>(std::lround((y - region.y0) * scale)));
  }
  cv::Rect ToPixels(const Box& box) const {
    cv::Point a = ToPixels(box.x0, box.y0), b = ToPixels(box.x1, box.y1);
    return ClampedRect(a.x, a.y, b.x, b.y, bgr);
  }
};

Sketch::Sketch(const RenderedPage& page, const Box& region) : canvas_(std::make_unique<Canvas>()) {
  const cv::Mat& gray = page.image_->gray;
  canvas_->scale = page.image_->dpi / 72.0;
  Box bounds = page.Bounds();
  canvas_->region = Box{std::max(region.x0, 0.0), std::max(region.y0, 0.0), std::min(region.x1, bounds.x1),
                        std::min(region.y1, bounds.y1)};
  cv::Rect pixels(cv::Point(static_cast<int>(canvas_->region.x0 * canvas_->scale),
                            static_cast<int>(canvas_->region.y0 * canvas_->scale)),
                  cv::Point(static_cast<int>(std::ceil(canvas_->region.x1 * canvas_->scale)),
                            static_cast<int>(std::ceil(canvas_->region.y1 * canvas_->scale))));
  pixels &= cv::Rect(0, 0, gray.cols, gray.rows);
  if (pixels.width <= 0 || pixels.height <= 0) pixels = cv::Rect(0, 0, gray.cols, gray.rows);
  canvas_->region.x0 = pixels.x / canvas_->scale;
  canvas_->region.y0 = pixels.y / canvas_->scale;
  cv::cvtColor(gray(pixels), canvas_->bgr, cv::COLOR_GRAY2BGR);
}

Sketch::Sketch(Sketch&&) noexcept = default;
Sketch::~Sketch() = default;

void Sketch::Outline(const Box& box, MarkStyle style) {
  cv::Rect rect = canvas_->ToPixels(box);
  if (rect.width <= 0 || rect.height <= 0) return;
  Ink ink = InkOf(style);
  if (ink.tinted) {
    cv::Mat tint(rect.size(), canvas_->bgr.type(), ink.colour);
    cv::addWeighted(canvas_->bgr(rect), 0.8, tint, 0.2, 0, canvas_->bgr(rect));
  }
  cv::rectangle(canvas_->bgr, rect, ink.colour, ink.thickness);
}

void Sketch::Label(const Box& box, const std::string& text, MarkStyle style, double height) {
  // At least 9 pixels, to stay legible at low resolutions.
  int height_px = std::max(9, static_cast<int>(std::lround(height * canvas_->scale)));
  DrawText(canvas_->bgr, canvas_->ToPixels(box), text, InkOf(style).colour, height_px);
}

void Sketch::Key(const Box& cell, const std::string& key) {
  cv::Rect rect = canvas_->ToPixels(cell);
  // The blank part: from the left border to the first ink inside the cell
  // (the cell's rules and outline left out by the inset).
  const int inset = 3;
  int blank = 0;
  for (int x = rect.x + inset; x < rect.x + rect.width - inset; ++x, ++blank) {
    bool ink = false;
    for (int y = rect.y + inset; y < rect.y + rect.height - inset && !ink; ++y) {
      ink = canvas_->bgr.at<cv::Vec3b>(y, x)[1] < 128;
    }
    if (ink) break;
  }
  Ink ink = InkOf(MarkStyle::kKey);
  if (rect.width > 0 && rect.height > 0) {
    cv::Mat tint(rect.size(), canvas_->bgr.type(), ink.colour);
    cv::addWeighted(canvas_->bgr(rect), 0.9, tint, 0.1, 0, canvas_->bgr(rect));
  }
  if (blank < 14) return;
  int height_px = std::max(9, static_cast<int>(std::lround(6 * canvas_->scale)));
  cv::Rect room(rect.x + 1, rect.y + (rect.height - height_px) / 2 - 2, blank + inset - 2, height_px + 4);
  DrawText(canvas_->bgr, room, key, ink.colour, height_px);
}

void Sketch::Line(double x0, double y0, double x1, double y1, MarkStyle style) {
  Ink ink = InkOf(style);
  cv::line(canvas_->bgr, canvas_->ToPixels(x0, y0), canvas_->ToPixels(x1, y1), ink.colour, ink.thickness);
}

void Sketch::Grid(const TableGrid& grid, bool rules) {
  for (const Cell& cell : grid.cells) {
    Outline(cell.box, cell.row_span > 1 || cell.col_span > 1 ? MarkStyle::kSpan : MarkStyle::kCell);
  }
  if (!rules) return;
  for (double y : grid.row_edges) Line(grid.box.x0, y, grid.box.x1, y, MarkStyle::kGridRule);
  for (double x : grid.col_edges) Line(x, grid.box.y0, x, grid.box.y1, MarkStyle::kGridRule);
}

Result<long> Sketch::WritePng(const std::string& path) const {
  std::vector<uchar> png;
  try {
    if (!cv::imencode(".png", canvas_->bgr, png, {cv::IMWRITE_PNG_COMPRESSION, 6}))
      return MakeError(ErrorCode::kEngine, path + ": PNG encoding failed");
  } catch (const cv::Exception& e) {
    return MakeError(ErrorCode::kEngine, path + ": " + e.what());
  }
  FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) return MakeError(ErrorCode::kUnreadable, path + ": cannot write");
  size_t written = std::fwrite(png.data(), 1, png.size(), out);
  bool closed = std::fclose(out) == 0;
  if (written != png.size() || !closed) return MakeError(ErrorCode::kUnreadable, path + ": write failed");
  return static_cast<long>(png.size());
}

Result<long> WritePlaceholderPng(const std::string& path, const std::string& text) {
  // A card the size of a short crop.
  RenderedPage card = RenderedPage::Blank(420, 60);
  Sketch sketch(card, card.Bounds());
  sketch.Label(Box{8, 20, 412, 52}, text, MarkStyle::kNote, 14);
  return sketch.WritePng(path);
}

}  // namespace juesuan
