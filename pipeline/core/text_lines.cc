#include "pipeline/core/text_lines.h"

#include <algorithm>

namespace juesuan {
namespace {

bool IsAsciiWord(const std::string& text) {
  return !text.empty() && static_cast<unsigned char>(text[0]) < 0x80 && text[0] != ' ';
}

}  // namespace

std::string JoinGlyphs(std::vector<const Glyph*> glyphs) {
  std::sort(glyphs.begin(), glyphs.end(),
            [](const Glyph* a, const Glyph* b) { return a->box.x0 < b->box.x0; });
  std::string out;
  const Glyph* prev = nullptr;
  for (const Glyph* g : glyphs) {
    if (prev && IsAsciiWord(prev->text) && IsAsciiWord(g->text)) {
      double em = std::max(1.0, std::max(prev->box.height(), g->box.height()));
      if (g->box.x0 - prev->box.x1 > 0.3 * em) out += ' ';
    }
    out += g->text;
    prev = g;
  }
  return out;
}

std::vector<TextLine> BuildTextLines(int page, const std::vector<Glyph>& glyphs,
                                     const std::vector<Box>& exclude,
                                     const TextLineOptions& options) {
  std::vector<const Glyph*> loose;
  for (const Glyph& g : glyphs) {
    bool inside = false;
    for (const Box& b : exclude) inside |= b.Contains(g.box.cx(), g.box.cy());
    if (!inside) loose.push_back(&g);
  }
  std::sort(loose.begin(), loose.end(), [](const Glyph* a, const Glyph* b) {
    return a->box.cy() < b->box.cy() || (a->box.cy() == b->box.cy() && a->box.x0 < b->box.x0);
  });
  // Band the glyphs: a glyph joins the current band when its centre lies
  // within the band's vertical extent.
  std::vector<std::vector<const Glyph*>> bands;
  double band_y0 = 0, band_y1 = 0;
  for (const Glyph* g : loose) {
    if (bands.empty() || g->box.cy() > band_y1) {
      bands.emplace_back();
      band_y0 = g->box.y0;
      band_y1 = g->box.y1;
    }
    bands.back().push_back(g);
    band_y0 = std::min(band_y0, g->box.y0);
    band_y1 = std::max(band_y1, std::min(g->box.y1, band_y0 + 2 * g->box.height()));
  }
  std::vector<TextLine> lines;
  for (auto& band : bands) {
    std::sort(band.begin(), band.end(),
              [](const Glyph* a, const Glyph* b) { return a->box.x0 < b->box.x0; });
    std::vector<const Glyph*> segment;
    auto flush = [&] {
      if (segment.empty()) return;
      TextLine line;
      line.page = page;
      line.box = segment.front()->box;
      for (const Glyph* g : segment) line.box = line.box.Union(g->box);
      line.text = JoinGlyphs(segment);
      lines.push_back(std::move(line));
      segment.clear();
    };
    for (const Glyph* g : band) {
      if (!segment.empty()) {
        double em = std::max(4.0, segment.back()->box.height());
        if (g->box.x0 - segment.back()->box.x1 > options.split_gap_em * em) flush();
      }
      segment.push_back(g);
    }
    flush();
  }
  return lines;
}

}  // namespace juesuan
