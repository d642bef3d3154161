// PdfSource on the project's own fixture PDFs (real Poppler, real files).
#include <catch2/catch.hpp>

#include <string>

#include "pipeline/core/utf8.h"
#include "pipeline/render/pdf_source.h"

using namespace juesuan;

namespace {
const std::string kFixtures = JUESUAN_FIXTURE_DIR;
}

TEST_CASE("A born-digital fixture opens with a usable CJK text layer", "[render]") {
  auto pdf = PdfSource::Open(kFixtures + "/digital-basic/input.pdf");
  REQUIRE(pdf.ok());
  CHECK(pdf.value()->page_count() == 11);
  auto text = pdf.value()->ReadTextLayer(3);
  REQUIRE(text.ok());
  CHECK(text->verdict == PageTextVerdict::kUsable);
  size_t cjk = 0;
  for (const Glyph& g : text->glyphs) {
    for (char32_t cp : DecodeUtf8(g.text)) cjk += IsCjkIdeograph(cp);
    CHECK(g.box.x1 >= g.box.x0);
    CHECK(g.box.y1 >= g.box.y0);
    CHECK(g.box.x1 <= text->width + 1);
    CHECK(g.box.y1 <= text->height + 1);
  }
  CHECK(cjk > 50);
}

TEST_CASE("Rendering gives a grey page of the requested resolution", "[render]") {
  auto pdf = PdfSource::Open(kFixtures + "/digital-basic/input.pdf");
  REQUIRE(pdf.ok());
  Box page = pdf.value()->PageBox(1);
  auto raster = pdf.value()->Render(1, 72, ColourMode::kWithRgb);
  REQUIRE(raster.ok());
  CHECK(std::abs(raster->width - page.x1) <= 1);
  CHECK(std::abs(raster->height - page.y1) <= 1);
  CHECK(raster->pixels.size() == static_cast<size_t>(raster->width) * raster->height);
  CHECK(raster->rgb.size() == raster->pixels.size() * 3);
  // Mostly white paper.
  size_t light = 0;
  for (uint8_t v : raster->pixels) light += v > 200;
  CHECK(light > raster->pixels.size() / 2);
}

TEST_CASE("A scanned fixture has no text layer", "[render]") {
  auto pdf = PdfSource::Open(kFixtures + "/scan-basic/input.pdf");
  REQUIRE(pdf.ok());
  auto text = pdf.value()->ReadTextLayer(3);
  REQUIRE(text.ok());
  CHECK(text->verdict == PageTextVerdict::kNoText);
}

TEST_CASE("Bad files fail with the reason and the file name", "[render]") {
  auto [name, code, reason] = GENERATE(table<std::string, ErrorCode, std::string>({
      {"encrypted.pdf", ErrorCode::kEncrypted, "encrypted PDF (needs a password)"},
      {"corrupt.pdf", ErrorCode::kUnreadable, "corrupt PDF (Poppler cannot parse it)"},
      {"empty.pdf", ErrorCode::kEmpty, "empty file (0 bytes)"},
      {"not-a-pdf.pdf", ErrorCode::kUnreadable, "not a PDF (no %PDF header)"},
      {"missing.pdf", ErrorCode::kNotFound, "no such file"},
  }));
  std::string path = kFixtures + "/bad/" + name;
  auto pdf = PdfSource::Open(path);
  REQUIRE_FALSE(pdf.ok());
  CHECK(pdf.error().code == code);
  CHECK(pdf.error().message == path + ": " + reason);
}

TEST_CASE("Glyphs that decode to Latin-1 noise make a page garbled", "[render]") {
  PageText page;
  for (const char* text : {"Þ", "门", "/", "Ì", "6", "y", "水", "Þ", "à", "¶", "目", "þ", "入"}) {
    page.glyphs.push_back(Glyph{text, Box{0, 0, 5, 5}});
  }
  ClassifyTextLayer(page);
  CHECK(page.verdict == PageTextVerdict::kGarbled);

  PageText clean;
  for (const char* text : {"收", "入", "支", "出", "决", "算", "表", "1", "2", ".", "3", "4", "⼊"}) {
    clean.glyphs.push_back(Glyph{text, Box{0, 0, 5, 5}});
  }
  ClassifyTextLayer(clean);
  CHECK(clean.verdict == PageTextVerdict::kUsable);
}
