#include "pipeline/core/decimal.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace juesuan {
namespace {

constexpr int kMaxScale = 9;       // fraction digits a parsed figure may have
[[maybe_unused]] constexpr int kMaxWideScale = 18;  // fraction digits any result may ask for

__int128 Pow10(int n) {
  __int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// Rounds half away from zero to `drop` fewer fraction digits.
__int128 DropDigits(__int128 units, int drop) {
  if (drop <= 0) return units;
  __int128 div = Pow10(drop);
  __int128 q = units / div, r = units % div;
  if (2 * (r < 0 ? -r : r) >= div) q += units < 0 ? -1 : 1;
  return q;
}

// Sums and products are computed in 128 bits. A result that does not fit 64
// bits loses fraction digits first, then saturates at ±INT64_MAX units (far
// beyond any printed amount: only crafted input gets there), never wraps.
Decimal Narrowed(__int128 units, int scale) {
  constexpr __int128 kMax = INT64_MAX;
  while ((units > kMax || units < -kMax) && scale > 0) {
    units = DropDigits(units, 1);
    --scale;
  }
  if (units > kMax) units = kMax;
  if (units < -kMax) units = -kMax;
  return Decimal(static_cast<int64_t>(units), scale);
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
    if (units > (INT64_MAX - (ch - '0')) / 10) return std::nullopt;  // overflow
    units = units * 10 + (ch - '0');
    if (seen_point && ++scale > kMaxScale) return std::nullopt;
  }
  if (!seen_digit) return std::nullopt;
  return Decimal(negative ? -units : units, scale);
}

Decimal Decimal::Rescaled(int scale) const {
  assert(scale >= scale_ && scale <= kMaxWideScale);
  return Narrowed(static_cast<__int128>(units_) * Pow10(scale - scale_), scale);
}

Decimal Decimal::Rounded(int scale) const {
  if (scale >= scale_) return Rescaled(scale);
  return Narrowed(DropDigits(units_, scale_ - scale), scale);
}

Decimal Decimal::operator+(const Decimal& other) const {
  int scale = scale_ > other.scale_ ? scale_ : other.scale_;
  return Narrowed(static_cast<__int128>(units_) * Pow10(scale - scale_) +
                      static_cast<__int128>(other.units_) * Pow10(scale - other.scale_),
                  scale);
}

Decimal Decimal::operator-(const Decimal& other) const { return *this + (-other); }

Decimal Decimal::operator*(const Decimal& other) const {
  __int128 product = static_cast<__int128>(units_) * other.units_;
  int scale = scale_ + other.scale_;
  if (scale > kMaxScale) {
    product = DropDigits(product, scale - kMaxScale);
    scale = kMaxScale;
  }
  return Narrowed(product, scale);
}

Decimal Decimal::DividedBy(const Decimal& other, int scale) const {
  assert(!other.IsZero());
  // (a / 10^sa) / (b / 10^sb) at `scale` digits, computed in long double
  // then rounded: exact enough for the 2-4 digit rates printed in documents.
  assert(scale >= 0 && scale <= kMaxWideScale);
  // Digits past kMaxScale are zeros appended after the division, so that the
  // intermediate products stay within 128 bits.
  const int exact = std::min(scale, kMaxScale);
  __int128 num = static_cast<__int128>(units_) * Pow10(other.scale_) * Pow10(exact + 1);
  __int128 den = static_cast<__int128>(other.units_) * Pow10(scale_);
  __int128 q = num / den;  // one extra digit for rounding
  __int128 last = q % 10;
  q /= 10;
  if (last >= 5) q += 1;
  if (last <= -5) q -= 1;
  if (q > INT64_MAX || q < -INT64_MAX) return Narrowed(q, exact);
  return Narrowed(q * Pow10(scale - exact), scale);
}

int Decimal::Compare(const Decimal& other) const {
  int scale = scale_ > other.scale_ ? scale_ : other.scale_;
  __int128 a = static_cast<__int128>(units_) * Pow10(scale - scale_);
  __int128 b = static_cast<__int128>(other.units_) * Pow10(scale - other.scale_);
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
