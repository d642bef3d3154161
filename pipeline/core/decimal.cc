#include "pipeline/core/decimal.h"

#include <cassert>
#include <cmath>

namespace juesuan {
namespace {

constexpr int kMaxScale = 9;

int64_t Pow10(int n) {
  int64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

}  // namespace

std::optional<Decimal> Decimal::Parse(std::string_view text) {
  if (text.empty()) return std::nullopt;
  size_t pos = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    pos = 1;
  }
  int64_t units = 0;
  int scale = 0;
  bool seen_point = false;
  bool seen_digit = false;
  for (; pos < text.size(); ++pos) {
    char ch = text[pos];
    if (ch == '.') {
      if (seen_point) return std::nullopt;
      seen_point = true;
      continue;
    }
    if (ch < '0' || ch > '9') return std::nullopt;
    seen_digit = true;
    if (units > (INT64_MAX - 9) / 10) return std::nullopt;  // overflow
    units = units * 10 + (ch - '0');
    if (seen_point && ++scale > kMaxScale) return std::nullopt;
  }
  if (!seen_digit) return std::nullopt;
  return Decimal(negative ? -units : units, scale);
}

Decimal Decimal::Rescaled(int scale) const {
  assert(scale >= scale_);
  return Decimal(units_ * Pow10(scale - scale_), scale);
}

Decimal Decimal::Rounded(int scale) const {
  if (scale >= scale_) return Rescaled(scale);
  int64_t div = Pow10(scale_ - scale);
  int64_t q = units_ / div;
  int64_t r = units_ % div;
  if (2 * (r < 0 ? -r : r) >= div) q += units_ < 0 ? -1 : 1;
  return Decimal(q, scale);
}

Decimal Decimal::operator+(const Decimal& other) const {
  int scale = scale_ > other.scale_ ? scale_ : other.scale_;
  return Decimal(Rescaled(scale).units_ + other.Rescaled(scale).units_, scale);
}

Decimal Decimal::operator-(const Decimal& other) const { return *this + (-other); }

Decimal Decimal::operator*(const Decimal& other) const {
  Decimal product(units_ * other.units_, scale_ + other.scale_);
  return product.scale_ > kMaxScale ? product.Rounded(kMaxScale) : product;
}

Decimal Decimal::DividedBy(const Decimal& other, int scale) const {
  assert(!other.IsZero());
  // (a / 10^sa) / (b / 10^sb) at `scale` digits, computed in long double
  // then rounded: exact enough for the 2-4 digit rates printed in documents.
  __int128 num = static_cast<__int128>(units_) * Pow10(other.scale_) * Pow10(scale + 1);
  __int128 den = static_cast<__int128>(other.units_) * Pow10(scale_);
  __int128 q = num / den;  // one extra digit for rounding
  __int128 last = q % 10;
  q /= 10;
  if (last >= 5) q += 1;
  if (last <= -5) q -= 1;
  return Decimal(static_cast<int64_t>(q), scale);
}

int Decimal::Compare(const Decimal& other) const {
  int scale = scale_ > other.scale_ ? scale_ : other.scale_;
  int64_t a = Rescaled(scale).units_;
  int64_t b = other.Rescaled(scale).units_;
  return a < b ? -1 : (a > b ? 1 : 0);
}

std::string Decimal::ToString() const {
  int64_t magnitude = units_ < 0 ? -units_ : units_;
  std::string digits = std::to_string(magnitude);
  if (scale_ > 0) {
    if (static_cast<int>(digits.size()) <= scale_) {
      digits.insert(0, scale_ + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - scale_, ".");
  }
  return units_ < 0 ? "-" + digits : digits;
}

double Decimal::ToDouble() const {
  return static_cast<double>(units_) / std::pow(10.0, scale_);
}

}  // namespace juesuan
