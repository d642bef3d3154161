// A check of a figure's reading against the page's own digits, independent
// of Tesseract: the same font prints the same digit alike all over a page,
// so a digit of a suspect cell is compared with the digits of the page's
// figures that were read surely (their sums hold). A reading whose ink
// holds another number of digits, or one of whose digits looks more like
// another digit of the page than like its own, is not confirmed.
//
// Input: a prepared page (pipeline/imaging) and cell boxes in upright
// points with their readings. Plain pixel code, no engine; not thread-safe
// (one per worker, like the engine).
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/document.h"

namespace juesuan {

struct ShapeCheck {
  bool checked = false;  // enough of the page's digits to compare with
  bool agrees = true;    // meaningful when checked
  std::string why;       // when it does not agree, for the finding's message
  // Readings the shapes suggest instead (one digit changed, or the digit
  // count the ink shows), best first.
  std::vector<std::string> alternatives;
};

class FigureShapes {
 public:
  // Digits of the page from one surely read figure cell: its ink cut into
  // as many digits as the reading has, or nothing when the cut disagrees.
  void AddExemplar(const Raster& prepared, const Box& cell_box_points, const std::string& reading);
  int exemplar_count() const { return static_cast<int>(digits_.size()); }
  // Compares the cell's ink with `reading`. Not checked when fewer than
  // `min_exemplars` digits of the page are known.
  ShapeCheck Check(const Raster& prepared, const Box& cell_box_points, const std::string& reading,
                   int min_exemplars = 30) const;

 private:
  struct Digit {
    char label = 0;
    std::vector<float> shape;  // normalised window, kWindowW x kWindowH
  };
  std::vector<Digit> digits_;
  std::vector<double> advances_;  // digit advance / line height, per exemplar cell
};

}  // namespace juesuan
