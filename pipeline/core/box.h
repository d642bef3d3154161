// Box: an axis-aligned rectangle in PDF points, top-left origin, y growing
// downwards (the page's displayed orientation).
#pragma once

namespace juesuan {

struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
  double cx() const { return (x0 + x1) / 2; }
  double cy() const { return (y0 + y1) / 2; }
  bool Contains(double x, double y) const { return x >= x0 && x <= x1 && y >= y0 && y <= y1; }
  Box Union(const Box& o) const;
  double OverlapX(const Box& o) const;
  double OverlapY(const Box& o) const;
};

}  // namespace juesuan
