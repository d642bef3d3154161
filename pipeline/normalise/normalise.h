// Normalisation of text and figures (ICU). Only this module links ICU.
//
// Input: UTF-8 text as read from the text layer or OCR. Output: UTF-8 text in
// one canonical form, and figures as exact Decimals with their kind. Pure
// functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pipeline/core/decimal.h"

namespace juesuan {

// NFKC (full-width forms → ASCII, Kangxi radicals such as ⼊ → 入, ㈠ → (一)),
// then: all whitespace removed between CJK characters and runs of
// whitespace collapsed to one space elsewhere, dashes unified to '-', and
// Chinese quotes kept. Used for labels, captions and running text.
std::string NormaliseText(std::string_view text);

// Like NormaliseText but removes every space: the form used to compare
// labels ("一 、一般公共预算 财政拨款收入" == "一、一般公共预算财政拨款收入").
std::string CompactText(std::string_view text);

enum class FigureKind {
  kBlank,       // empty cell
  kDash,        // "-", "—", "--", "/": explicitly no figure
  kNumber,      // a number: value set
  kUnreadable,  // "#####" or a number broken beyond repair ("12,3.4.5")
  kText,        // words, not a figure
};

struct Figure {
  FigureKind kind = FigureKind::kBlank;
  Decimal value;            // kNumber only; percent figures keep their printed number
  bool percent = false;     // printed with %
  std::string plain;        // the value as a plain decimal string ("19436.23")
};

// Parses a table cell that should hold a figure: thousands separators (, ，
// and thin spaces), full-width digits, leading sign or (parentheses) as
// negative, trailing %, surrounding spaces.
Figure ParseFigure(std::string_view cell_text);
// A cell holding a dash alone as OCR reads one: one to three strokes of
// '-', '—', '_', '~' or the ideograph 一 (the text model's reading of a
// dash). In a column of figures it is a zero printed as a dash, no word.
bool IsDashMark(std::string_view cell_text);

// Chinese numerals: "一千二百万" → 12000000, "壹佰贰拾叁" → 123, "二〇二一" → 2021
// (digit-by-digit form), "十五" → 15, "1.2万" → 12000, "3亿" → 300000000.
// nullopt when not a number, or over 10^15 (no figure of any document).
std::optional<Decimal> ParseChineseNumber(std::string_view text);

// The amount unit declared in a caption such as "单位：万元" or "金额单位:元":
// "万元", "元" or "亿元"; empty when none.
std::string FindAmountUnit(std::string_view text);

}  // namespace juesuan
