#include "pipeline/render/pdf_source.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
// Poppler's core API (libpoppler-private-dev): poppler-cpp cannot keep a
// renderer across pages nor leave the text out.
#include <GlobalParams.h>
#include <PDFDoc.h>
#include <SplashOutputDev.h>
#include <splash/SplashBitmap.h>
#include <poppler-page.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "pipeline/core/limits.h"
#include "pipeline/core/utf8.h"

namespace juesuan {
namespace {

// Poppler reports recoverable syntax errors on stderr by default; in a batch
// run they are noise (the document's own outcome is what we report).
void SilencePoppler() {
  static std::once_flag once;
  std::call_once(once, [] {
    poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
  });
}

std::string ToUtf8(const poppler::ustring& text) {
  poppler::byte_array bytes = text.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

bool StartsWithPdfHeader(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[1024] = {};
  in.read(head, sizeof(head));
  std::string prefix(head, static_cast<size_t>(in.gcount()));
  return prefix.find("%PDF-") != std::string::npos;
}

}  // namespace

struct PdfSource::Impl {
  std::string path;
  std::unique_ptr<poppler::document> doc;
  // Pages are created lazily and kept: creating one parses its content stream.
  mutable std::vector<std::unique_ptr<poppler::page>> pages;
  // Core document and graphics-only renderer, created on first use.
  mutable std::unique_ptr<PDFDoc> core_doc;
  mutable std::unique_ptr<SplashOutputDev> graphics_renderer;

  poppler::page* Page(int number) const {
    auto& slot = pages[number - 1];
    if (!slot) slot.reset(doc->create_page(number - 1));
    return slot.get();
  }
};

PdfSource::PdfSource(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfSource::~PdfSource() = default;

Result<std::unique_ptr<PdfSource>> PdfSource::Open(const std::string& path) {
  SilencePoppler();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return MakeError(ErrorCode::kNotFound, path + ": no such file");
  }
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return MakeError(ErrorCode::kUnreadable, path + ": cannot read: " + ec.message());
  if (size == 0) return MakeError(ErrorCode::kEmpty, path + ": empty file (0 bytes)");
  if (!StartsWithPdfHeader(path)) {
    return MakeError(ErrorCode::kUnreadable, path + ": not a PDF (no %PDF header)");
  }
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path));
  if (!doc) {
    return MakeError(ErrorCode::kUnreadable, path + ": corrupt PDF (Poppler cannot parse it)");
  }
  if (doc->is_locked()) {
    return MakeError(ErrorCode::kEncrypted, path + ": encrypted PDF (needs a password)");
  }
  int count = doc->pages();
  if (count <= 0) return MakeError(ErrorCode::kEmpty, path + ": PDF has no pages");
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->doc = std::move(doc);
  impl->pages.resize(count);
  return std::unique_ptr<PdfSource>(new PdfSource(std::move(impl)));
}

Result<bool> PdfSource::CheckRenderable(int page, double dpi) const {
  Box size = PageBox(page);
  std::string over = limits::RasterOverLimit(size.x1, size.y1, dpi);
  if (!over.empty()) {
    return MakeError(ErrorCode::kLimit, impl_->path + ": page " + std::to_string(page) + ": " + over);
  }
  return true;
}

int PdfSource::page_count() const { return impl_->doc->pages(); }

Box PdfSource::PageBox(int page) const {
  poppler::page* p = impl_->Page(page);
  if (!p) return Box{};
  poppler::rectf rect = p->page_rect(poppler::crop_box);
  double w = rect.width(), h = rect.height();
  auto orientation = p->orientation();
  if (orientation == poppler::page::landscape || orientation == poppler::page::seascape) {
    std::swap(w, h);
  }
  return Box{0, 0, w, h};
}

Result<PageText> PdfSource::ReadTextLayer(int page) const {
  poppler::page* p = impl_->Page(page);
  if (!p) {
    return MakeError(ErrorCode::kUnreadable,
                     impl_->path + ": page " + std::to_string(page) + " cannot be parsed");
  }
  PageText out;
  out.page = page;
  Box size = PageBox(page);
  out.width = size.x1;
  out.height = size.y1;
  out.source = TextSource::kTextLayer;
  std::vector<poppler::text_box> boxes = p->text_list();
  size_t glyph_count = 0;  // counted while decoding: each box's text is read once
  for (const poppler::text_box& box : boxes) {
    std::u32string chars = DecodeUtf8(ToUtf8(box.text()));
    glyph_count += chars.size();
    if (glyph_count > limits::kMaxGlyphsPerPage) {
      return MakeError(ErrorCode::kLimit, impl_->path + ": page " + std::to_string(page) +
                                              ": its glyphs are over the limit of " +
                                              std::to_string(limits::kMaxGlyphsPerPage));
    }
    for (size_t i = 0; i < chars.size(); ++i) {
      if (chars[i] == U' ' || chars[i] == U'\u3000') continue;
      poppler::rectf r = box.char_bbox(i);
      Glyph glyph;
      glyph.text = EncodeUtf8(chars[i]);
      if (r.width() <= 0 && r.height() <= 0) r = box.bbox();  // glyph count mismatch
      glyph.box = Box{r.left(), r.top(), r.right(), r.bottom()};
      out.glyphs.push_back(std::move(glyph));
    }
  }
  ClassifyTextLayer(out);
  return out;
}

Result<Raster> PdfSource::RenderGraphics(int page, double dpi) const {
  if (auto renderable = CheckRenderable(page, dpi); !renderable) return renderable.error();
  if (!impl_->graphics_renderer) {
    if (!globalParams) globalParams = std::make_unique<GlobalParams>();
    auto doc = std::make_unique<PDFDoc>(std::make_unique<GooString>(impl_->path));
    if (!doc->isOk()) {
      return MakeError(ErrorCode::kUnreadable, impl_->path + ": page " + std::to_string(page) + " cannot be parsed");
    }
    SplashColor paper;
    paper[0] = 255;
    auto renderer = std::make_unique<SplashOutputDev>(splashModeMono8, 4, false, paper);
    renderer->setSkipText(true, true);
    renderer->setVectorAntialias(true);
    renderer->startDoc(doc.get());
    impl_->core_doc = std::move(doc);
    impl_->graphics_renderer = std::move(renderer);
  }
  if (page < 1 || page > impl_->core_doc->getNumPages()) {
    return MakeError(ErrorCode::kInvalidArgument, impl_->path + ": no page " + std::to_string(page));
  }
  impl_->core_doc->displayPage(impl_->graphics_renderer.get(), page, dpi, dpi, 0, false, false, false);
  SplashBitmap* bitmap = impl_->graphics_renderer->getBitmap();
  if (bitmap == nullptr || bitmap->getWidth() <= 0 || bitmap->getHeight() <= 0) {
    return MakeError(ErrorCode::kEngine, impl_->path + ": page " + std::to_string(page) + " failed to render");
  }
  Raster out;
  out.width = bitmap->getWidth();
  out.height = bitmap->getHeight();
  out.dpi = dpi;
  out.pixels.resize(static_cast<size_t>(out.width) * out.height);
  const auto* data = reinterpret_cast<const char*>(bitmap->getDataPtr());
  const int stride = bitmap->getRowSize();
  for (int y = 0; y < out.height; ++y) {
    std::copy_n(data + static_cast<size_t>(y) * stride, out.width,
                reinterpret_cast<char*>(out.pixels.data()) + static_cast<size_t>(y) * out.width);
  }
  return out;
}

Result<Raster> PdfSource::Render(int page, double dpi, ColourMode colour) const {
  poppler::page* p = impl_->Page(page);
  if (!p) {
    return MakeError(ErrorCode::kUnreadable,
                     impl_->path + ": page " + std::to_string(page) + " cannot be parsed");
  }
  if (auto renderable = CheckRenderable(page, dpi); !renderable) return renderable.error();
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  bool rgb = colour == ColourMode::kWithRgb;
  renderer.set_image_format(rgb ? poppler::image::format_argb32 : poppler::image::format_gray8);
  poppler::image image = renderer.render_page(p, dpi, dpi);
  if (!image.is_valid()) {
    return MakeError(ErrorCode::kEngine,
                     impl_->path + ": page " + std::to_string(page) + " failed to render");
  }
  Raster out;
  out.width = image.width();
  out.height = image.height();
  out.dpi = dpi;
  out.pixels.resize(static_cast<size_t>(out.width) * out.height);
  const char* data = image.const_data();
  int stride = image.bytes_per_row();
  if (rgb) {
    out.rgb.resize(static_cast<size_t>(out.width) * out.height * 3);
    for (int y = 0; y < out.height; ++y) {
      // format_argb32 is stored as 32-bit ARGB little-endian words: B, G, R, A
      // (format_rgb24 is packed 3 bytes per pixel).
      const auto* row = reinterpret_cast<const uint8_t*>(data + static_cast<size_t>(y) * stride);
      for (int x = 0; x < out.width; ++x) {
        uint8_t b = row[4 * x], g = row[4 * x + 1], r = row[4 * x + 2];
        size_t at = static_cast<size_t>(y) * out.width + x;
        out.rgb[3 * at] = r;
        out.rgb[3 * at + 1] = g;
        out.rgb[3 * at + 2] = b;
        out.pixels[at] = static_cast<uint8_t>((299 * r + 587 * g + 114 * b) / 1000);
      }
    }
  } else {
    for (int y = 0; y < out.height; ++y) {
      std::copy_n(data + static_cast<size_t>(y) * stride, out.width,
                  reinterpret_cast<char*>(out.pixels.data()) + static_cast<size_t>(y) * out.width);
    }
  }
  return out;
}

std::string PdfSource::InfoField(const std::string& key) const {
  return ToUtf8(impl_->doc->info_key(key));
}

}  // namespace juesuan
