// Decimal: an exact fixed-point number for money and rates.
//
// Figures are never held as double: a printed "19,436.23" is 1943623 units at
// scale 2, and sums are exact. Scale is the number of fraction digits as
// printed, kept so that "0.80" writes back as "0.80". Values are immutable
// and cheap to copy; thread-safe. Arithmetic never wraps: a result beyond 64
// bits of units loses fraction digits, then saturates at ±INT64_MAX units.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace juesuan {

class Decimal {
 public:
  Decimal() = default;
  Decimal(int64_t units, int scale) : units_(units), scale_(scale) {}
  static Decimal FromInt(int64_t value) { return Decimal(value, 0); }

  // Parses a plain ASCII decimal: optional sign, digits, optional '.' and
  // digits. No separators, no spaces. Returns nullopt on anything else or on
  // more than 9 fraction digits.
  static std::optional<Decimal> Parse(std::string_view text);

  int64_t units() const { return units_; }
  int scale() const { return scale_; }
  bool IsZero() const { return units_ == 0; }
  bool IsNegative() const { return units_ < 0; }

  // The value at a larger (or equal) scale. REQUIRES: scale() <= scale <= 18.
  Decimal Rescaled(int scale) const;
  // Rounded half away from zero to `scale` fraction digits.
  Decimal Rounded(int scale) const;

  Decimal operator+(const Decimal& other) const;
  Decimal operator-(const Decimal& other) const;
  Decimal operator-() const { return Decimal(-units_, scale_); }
  Decimal Abs() const { return Decimal(units_ < 0 ? -units_ : units_, scale_); }
  Decimal operator*(const Decimal& other) const;
  // Quotient rounded to `scale` digits. REQUIRES: !other.IsZero(), 0 <= scale <= 18.
  Decimal DividedBy(const Decimal& other, int scale) const;

  // Numeric comparison, scale ignored: 1.0 == 1.00.
  int Compare(const Decimal& other) const;
  bool operator==(const Decimal& o) const { return Compare(o) == 0; }
  bool operator!=(const Decimal& o) const { return Compare(o) != 0; }
  bool operator<(const Decimal& o) const { return Compare(o) < 0; }
  bool operator<=(const Decimal& o) const { return Compare(o) <= 0; }
  bool operator>(const Decimal& o) const { return Compare(o) > 0; }
  bool operator>=(const Decimal& o) const { return Compare(o) >= 0; }

  // "-1234.50": plain, no separators, as many fraction digits as the scale.
  std::string ToString() const;
  // Approximate value, for display and ratios only.
  double ToDouble() const;

 private:
  int64_t units_ = 0;
  int scale_ = 0;
};

}  // namespace juesuan
