// Fuzz target: the decimal and Chinese-numeral parsers, and decimal
// arithmetic on what they return.
//
// Input: two texts separated by the first newline. Checks: ToString parses
// back to the same value; a + b - b == a and a * 1 == a whenever no result
// saturated; Compare is antisymmetric.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pipeline/core/decimal.h"
#include "pipeline/normalise/normalise.h"

namespace {

using juesuan::Decimal;

bool Saturated(const Decimal& d) { return d.units() == INT64_MAX || d.units() == -INT64_MAX; }

void CheckArithmetic(const Decimal& a, const Decimal& b) {
  auto back = Decimal::Parse(a.ToString());
  if (!back || *back != a || back->scale() != a.scale()) std::abort();
  if (a.Compare(b) != -b.Compare(a)) std::abort();
  Decimal sum = a + b;
  Decimal difference = sum - b;
  if (!Saturated(sum) && sum.scale() == std::max(a.scale(), b.scale()) && difference != a) std::abort();
  if (a * Decimal::FromInt(1) != a) std::abort();
  (void)(a * b);
  (void)a.Rounded(2);
  (void)a.Rounded(0);
  (void)a.Rescaled(a.scale() + 2 <= 18 ? a.scale() + 2 : a.scale());
  if (!b.IsZero()) {
    (void)a.DividedBy(b, 4);
    (void)a.DividedBy(b, 18);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view first = input.substr(0, newline);
  const std::string_view second = newline == std::string_view::npos ? first : input.substr(newline + 1);
  auto a = Decimal::Parse(first);
  auto b = Decimal::Parse(second);
  auto ca = juesuan::ParseChineseNumber(first);
  auto cb = juesuan::ParseChineseNumber(second);
  if (a && b) CheckArithmetic(*a, *b);
  if (ca && cb) CheckArithmetic(*ca, *cb);
  if (a && cb) CheckArithmetic(*a, *cb);
  return 0;
}
