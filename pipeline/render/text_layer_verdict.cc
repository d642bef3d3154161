// Text-layer usability. Fonts without a usable ToUnicode map decode to Latin-1
// letters, private-use code points or scripts that never occur in a Chinese
// fiscal document; a few such glyphs among many CJK ones are normal (symbols),
// a noticeable share means the layer cannot be trusted for any figure.
#include <cstdio>

#include "pipeline/core/utf8.h"
#include "pipeline/render/pdf_source.h"

namespace juesuan {
namespace {

constexpr size_t kMinGlyphs = 8;
constexpr double kMaxForeignShare = 0.04;

bool IsExpected(char32_t cp) {
  if (cp >= 0x20 && cp < 0x7F) return true;                 // ASCII
  if (IsCjkIdeograph(cp)) return true;                      // incl. Kangxi radicals
  if (cp >= 0x3000 && cp <= 0x303F) return true;            // CJK punctuation
  if (cp >= 0xFF00 && cp <= 0xFFEF) return true;            // full-width forms
  if (cp >= 0x2000 && cp <= 0x206F) return true;            // general punctuation
  if (cp >= 0x2150 && cp <= 0x218F) return true;            // number forms (Ⅰ Ⅱ)
  if (cp >= 0x2190 && cp <= 0x22FF) return true;            // arrows, maths (≥ ≤)
  if (cp >= 0x2460 && cp <= 0x24FF) return true;            // enclosed numerals
  if (cp >= 0x2500 && cp <= 0x25FF) return true;            // boxes, shapes
  if (cp == 0x00D7 || cp == 0x00F7 || cp == 0x00B7 || cp == 0x00B0 || cp == 0x00A5) return true;
  if (cp >= 0xFE30 && cp <= 0xFE4F) return true;            // CJK compatibility forms
  return false;
}

}  // namespace

void ClassifyTextLayer(PageText& page) {
  size_t total = 0, foreign = 0, cjk = 0;
  for (const Glyph& glyph : page.glyphs) {
    for (char32_t cp : DecodeUtf8(glyph.text)) {
      ++total;
      if (!IsExpected(cp)) ++foreign;
      if (IsCjkIdeograph(cp)) ++cjk;
    }
  }
  char reason[160];
  if (total < kMinGlyphs) {
    page.verdict = PageTextVerdict::kNoText;
    std::snprintf(reason, sizeof(reason), "%zu glyphs in the text layer", total);
  } else if (static_cast<double>(foreign) / total > kMaxForeignShare) {
    page.verdict = PageTextVerdict::kGarbled;
    std::snprintf(reason, sizeof(reason), "%zu of %zu glyphs decode outside CJK/ASCII (%.0f%%)",
                  foreign, total, 100.0 * foreign / total);
  } else {
    page.verdict = PageTextVerdict::kUsable;
    std::snprintf(reason, sizeof(reason), "%zu glyphs, %zu CJK, %zu foreign", total, cjk, foreign);
  }
  page.verdict_reason = reason;
}

}  // namespace juesuan
