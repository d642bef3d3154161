// Fuzz target: the normaliser on any bytes (valid UTF-8 or not).
//
// Checks besides "no crash, no UB": a cell parsed as a number writes back as
// a plain decimal that parses to the same value.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pipeline/core/decimal.h"
#include "pipeline/normalise/normalise.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace juesuan;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  NormaliseText(text);
  CompactText(text);
  FindAmountUnit(text);
  Figure figure = ParseFigure(text);
  if (figure.kind == FigureKind::kNumber) {
    auto again = Decimal::Parse(figure.plain);
    if (!again || *again != figure.value) std::abort();
  }
  return 0;
}
