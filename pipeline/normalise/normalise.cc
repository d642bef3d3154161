#include "pipeline/normalise/normalise.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <regex>

#include "pipeline/core/utf8.h"

namespace juesuan {
namespace {

icu::UnicodeString Nfkc(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (U_FAILURE(status)) return source;
  icu::UnicodeString out = nfkc->normalize(source, status);
  return U_FAILURE(status) ? source : out;
}

bool IsWideChar(UChar32 cp) {
  // Characters between which a space carries no meaning.
  UBlockCode block = ublock_getCode(cp);
  return u_hasBinaryProperty(cp, UCHAR_IDEOGRAPHIC) || block == UBLOCK_CJK_SYMBOLS_AND_PUNCTUATION ||
         block == UBLOCK_HALFWIDTH_AND_FULLWIDTH_FORMS || cp == 0x201C || cp == 0x201D ||
         cp == 0x2018 || cp == 0x2019 || cp == '(' || cp == ')' || cp == 0x3001;
}

bool IsDash(UChar32 cp) {
  return cp == '-' || cp == 0x2010 || cp == 0x2011 || cp == 0x2012 || cp == 0x2013 ||
         cp == 0x2014 || cp == 0x2015 || cp == 0x2212 || cp == 0xFE63 || cp == 0xFF0D ||
         cp == 0x2500 || cp == 0x30FC;
}

std::string Canonical(std::string_view text, bool drop_all_spaces) {
  icu::UnicodeString norm = Nfkc(text);
  icu::UnicodeString out;
  UChar32 prev = 0;        // last non-space code point written
  bool pending_space = false;
  for (int32_t i = 0; i < norm.length();) {
    UChar32 cp = norm.char32At(i);
    i += U16_LENGTH(cp);
    if (u_isUWhiteSpace(cp) || cp == 0x200B || cp == 0xFEFF) {
      pending_space = prev != 0;
      continue;
    }
    if (IsDash(cp)) cp = '-';
    if (pending_space && !drop_all_spaces && !IsWideChar(prev) && !IsWideChar(cp)) out.append(' ');
    pending_space = false;
    out.append(cp);
    prev = cp;
  }
  std::string result;
  out.toUTF8String(result);
  return result;
}

int ChineseDigit(char32_t cp) {
  switch (cp) {
    case U'〇': case U'零': case U'○': case U'O': return 0;
    case U'一': case U'壹': return 1;
    case U'二': case U'贰': case U'两': case U'貳': return 2;
    case U'三': case U'叁': case U'參': return 3;
    case U'四': case U'肆': return 4;
    case U'五': case U'伍': return 5;
    case U'六': case U'陆': case U'陸': return 6;
    case U'七': case U'柒': return 7;
    case U'八': case U'捌': return 8;
    case U'九': case U'玖': return 9;
    default: return -1;
  }
}

int64_t SmallUnit(char32_t cp) {
  switch (cp) {
    case U'十': case U'拾': return 10;
    case U'百': case U'佰': return 100;
    case U'千': case U'仟': return 1000;
    default: return 0;
  }
}

}  // namespace

std::string NormaliseText(std::string_view text) { return Canonical(text, false); }
std::string CompactText(std::string_view text) { return Canonical(text, true); }

Figure ParseFigure(std::string_view cell_text) {
  Figure fig;
  std::string text = CompactText(cell_text);
  if (text.empty()) return fig;
  // Dashes and slashes alone are "no figure".
  if (text.find_first_not_of("-/—") == std::string::npos || text == "--") {
    fig.kind = FigureKind::kDash;
    return fig;
  }
  if (text.find("##") != std::string::npos) {
    fig.kind = FigureKind::kUnreadable;
    return fig;
  }
  bool negative = false;
  if (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
    negative = true;
    text = text.substr(1, text.size() - 2);
  }
  if (!text.empty() && text.back() == '%') {
    fig.percent = true;
    text.pop_back();
  }
  std::string digits;
  bool has_digit = false;
  for (char ch : text) {
    if (ch == ',' || ch == '\'') continue;  // thousands separators
    if ((ch >= '0' && ch <= '9')) has_digit = true;
    digits += ch;
  }
  if (!has_digit) {
    fig.kind = FigureKind::kText;
    return fig;
  }
  // Thousands separators must sit every three digits left of the point.
  static const std::regex kGrouped(R"(^[+-]?\d{1,3}(,\d{3})*(\.\d+)?$)");
  if (text.find(',') != std::string::npos && !std::regex_match(text, kGrouped)) {
    fig.kind = FigureKind::kUnreadable;
    return fig;
  }
  auto value = Decimal::Parse(digits);
  if (!value) {
    bool wordy = false;
    for (unsigned char ch : digits) wordy |= ch >= 0x80;
    fig.kind = wordy ? FigureKind::kText : FigureKind::kUnreadable;
    return fig;
  }
  fig.kind = FigureKind::kNumber;
  fig.value = negative ? -*value : *value;
  fig.plain = fig.value.ToString();
  return fig;
}

bool IsDashMark(std::string_view cell_text) {
  const std::u32string marks = DecodeUtf8(CompactText(cell_text));
  return !marks.empty() && marks.size() <= 3 && std::all_of(marks.begin(), marks.end(), [](char32_t c) {
    return c == U'-' || c == U'一' || c == U'_' || c == U'~';
  });
}

// Beyond a thousand 万亿 a "number" is no figure of a document; the cap also
// keeps every step below within 64 bits.
constexpr int64_t kMaxChineseNumber = 1'000'000'000'000'000;

std::optional<Decimal> ParseChineseNumber(std::string_view text) {
  std::string compact = CompactText(text);
  if (compact.empty()) return std::nullopt;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(compact);
  std::u32string cps;
  for (int32_t i = 0; i < u.length();) {
    UChar32 cp = u.char32At(i);
    i += U16_LENGTH(cp);
    cps.push_back(static_cast<char32_t>(cp));
  }
  // Arabic number with a 万/亿 suffix: "1.2万".
  size_t arabic_end = 0;
  while (arabic_end < cps.size() &&
         ((cps[arabic_end] >= U'0' && cps[arabic_end] <= U'9') || cps[arabic_end] == U'.')) {
    ++arabic_end;
  }
  if (arabic_end > 0) {
    std::string number;
    for (size_t i = 0; i < arabic_end; ++i) number += static_cast<char>(cps[i]);
    auto value = Decimal::Parse(number);
    if (!value) return std::nullopt;
    std::u32string rest = cps.substr(arabic_end);
    const int64_t factor = rest.empty()       ? 1
                           : rest == U"万"    ? 10000
                           : rest == U"亿"    ? 100000000
                           : rest == U"万亿"  ? 1000000000000
                                              : 0;
    if (factor == 0 || value->Abs() > Decimal::FromInt(kMaxChineseNumber / factor)) return std::nullopt;
    return *value * Decimal::FromInt(factor);
  }
  // Digit-by-digit form ("二〇二一"): only digits, no unit characters.
  bool all_digits = true;
  for (char32_t cp : cps) all_digits &= ChineseDigit(cp) >= 0;
  if (all_digits && cps.size() > 1 && cps.find(U'〇') != std::u32string::npos) {
    if (cps.size() > 15) return std::nullopt;
    int64_t v = 0;
    for (char32_t cp : cps) v = v * 10 + ChineseDigit(cp);
    return Decimal::FromInt(v);
  }
  // Positional form with 十百千 inside 万/亿 sections.
  int64_t total = 0, section = 0, digit = -1;
  bool any = false;
  for (char32_t cp : cps) {
    int d = ChineseDigit(cp);
    if (d >= 0) {
      digit = d;
      any = true;
      continue;
    }
    if (total > kMaxChineseNumber || section > kMaxChineseNumber) return std::nullopt;
    if (int64_t unit = SmallUnit(cp)) {
      section += (digit < 0 ? 1 : digit) * unit;  // "十五": implicit one
      digit = -1;
      any = true;
    } else if (cp == U'万' || cp == U'萬') {
      section += digit < 0 ? 0 : digit;
      if (section > kMaxChineseNumber / 10000) return std::nullopt;
      total += (section == 0 ? 1 : section) * 10000;
      section = 0;
      digit = -1;
    } else if (cp == U'亿' || cp == U'億') {
      section += digit < 0 ? 0 : digit;
      if (total + section > kMaxChineseNumber / 100000000) return std::nullopt;
      total = (total + (section == 0 ? 1 : section)) * 100000000;
      section = 0;
      digit = -1;
    } else {
      return std::nullopt;
    }
  }
  if (!any && total == 0) return std::nullopt;
  section += digit < 0 ? 0 : digit;
  if (total + section > kMaxChineseNumber) return std::nullopt;
  return Decimal::FromInt(total + section);
}

std::string FindAmountUnit(std::string_view text) {
  std::string compact = CompactText(text);
  // Compacted NFKC text: the full-width colon is already ':'.
  for (const char* lead : {"单位:", "单位"}) {
    size_t at = compact.find(lead);
    if (at == std::string::npos) continue;
    std::string rest = compact.substr(at + std::string(lead).size());
    for (const char* unit : {"万元", "亿元", "元"}) {
      if (rest.rfind(unit, 0) == 0) return unit;
    }
  }
  return "";
}

}  // namespace juesuan
