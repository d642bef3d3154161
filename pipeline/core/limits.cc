#include "pipeline/core/limits.h"

#include <algorithm>
#include <cmath>

namespace juesuan::limits {

std::string RasterOverLimit(double width_pt, double height_pt, double dpi) {
  // NaN and negative sizes fail these tests too (a malformed MediaBox).
  if (!(width_pt > 0 && height_pt > 0 && width_pt <= kMaxPageSidePt && height_pt <= kMaxPageSidePt)) {
    return "page of " + std::to_string(std::lround(width_pt)) + "×" + std::to_string(std::lround(height_pt)) +
           " pt is outside 0.." + std::to_string(static_cast<int>(kMaxPageSidePt)) + " pt a side";
  }
  const double width_px = std::ceil(width_pt * dpi / 72.0), height_px = std::ceil(height_pt * dpi / 72.0);
  if (!(width_px * height_px <= static_cast<double>(kMaxRasterPixels))) {
    return "page image of " + std::to_string(std::llround(width_px)) + "×" + std::to_string(std::llround(height_px)) +
           " px at " + std::to_string(std::lround(dpi)) + " dpi is over the limit of " +
           std::to_string(kMaxRasterPixels) + " px";
  }
  return "";
}

int JsonNestingDepth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') deepest = std::max(deepest, ++depth);
    else if (c == ']' || c == '}') --depth;
  }
  return deepest;
}

}  // namespace juesuan::limits
