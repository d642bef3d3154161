// Groups loose glyphs into lines of running text (captions, notes, narrative).
//
// Input: glyphs in points and the boxes to leave out (the tables). Output:
// lines top to bottom, each split where the gap between glyphs exceeds
// `split_gap_em` glyph heights, text joined in reading order (a space only
// between two ASCII glyphs that are visibly apart). Pure; thread-safe.
#pragma once

#include <vector>

#include "pipeline/core/document.h"

namespace juesuan {

struct TextLineOptions {
  double split_gap_em = 3.0;
};

std::vector<TextLine> BuildTextLines(int page, const std::vector<Glyph>& glyphs,
                                     const std::vector<Box>& exclude,
                                     const TextLineOptions& options = {});

// Joins glyphs already known to form one line, in reading order.
std::string JoinGlyphs(std::vector<const Glyph*> glyphs);

}  // namespace juesuan
