// Input limits: the caps a crafted or damaged PDF cannot get past.
//
// Each cap is far above what a published disclosure needs (a 部门决算 is
// 20–120 A4/A3 pages, a few thousand glyphs a page, tables of at most a few
// hundred rows) and low enough that one document cannot exhaust a worker's
// memory or time. What crosses a cap is not read, and says so: a page over a
// cap is an unread page (the document is `partial`, the reason names the cap),
// a document over the page cap is read up to the cap (`partial`), a JSON input
// nested too deep is refused. docs/RELIABILITY.md lists them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace juesuan::limits {

// Pages read of one document; the rest are listed as not read.
inline constexpr int kMaxPages = 2000;
// A page side in points: 200 inches, the largest page PDF viewers support.
inline constexpr double kMaxPageSidePt = 14400;
// Pixels of one rendered page image: an A3 page at 450 dpi is 39 Mpx.
inline constexpr size_t kMaxRasterPixels = 80'000'000;
// Glyphs of one page's text layer (a dense A3 table page holds ~10,000).
inline constexpr size_t kMaxGlyphsPerPage = 200'000;
// Rows and columns of one detected table grid.
inline constexpr int kMaxGridRows = 2000;
inline constexpr int kMaxGridCols = 200;
// Nesting depth of a JSON input (DOC.json of `juesuan check`, schemas).
inline constexpr int kMaxJsonDepth = 128;

// Empty when a page of this size in points renders within the caps at `dpi`;
// else why not: "page of 20000×30000 pt is over the limit of 14400 pt a side",
// "page image of 12000×9000 px at 600 dpi is over the limit of 80000000 px".
std::string RasterOverLimit(double width_pt, double height_pt, double dpi);

// The deepest nesting of [ and { in JSON text (brackets inside strings do
// not count); checked before parsing so that no input is nested past
// kMaxJsonDepth.
int JsonNestingDepth(std::string_view text);

}  // namespace juesuan::limits
