#include <catch2/catch.hpp>

#include "pipeline/normalise/normalise.h"

using namespace juesuan;

TEST_CASE("Kangxi radicals and full-width forms normalise to ordinary characters", "[normalise]") {
  CHECK(NormaliseText("本年收⼊合计") == "本年收入合计");
  CHECK(NormaliseText("（表３）") == "(表3)");
  CHECK(NormaliseText("公开０１表　单位：万元") == "公开01表单位:万元");
  CHECK(CompactText(" 一 、一般公共预算 财政拨款收入 ") == "一、一般公共预算财政拨款收入");
  CHECK(NormaliseText("Tax  Office 2021") == "Tax Office 2021");
}

TEST_CASE("Figures parse with separators, signs and percentages", "[normalise]") {
  auto [text, plain, percent] = GENERATE(table<std::string, std::string, bool>({
      {"19,436.23", "19436.23", false},
      {"１８，５３２．６３", "18532.63", false},
      {" 0.00 ", "0.00", false},
      {"-12.5", "-12.5", false},
      {"(1,000.00)", "-1000.00", false},
      {"95.35%", "95.35", true},
      {"885.77", "885.77", false},
  }));
  Figure fig = ParseFigure(text);
  REQUIRE(fig.kind == FigureKind::kNumber);
  CHECK(fig.plain == plain);
  CHECK(fig.percent == percent);
}

TEST_CASE("Blanks, dashes and hashes are not figures", "[normalise]") {
  CHECK(ParseFigure("").kind == FigureKind::kBlank);
  CHECK(ParseFigure("  ").kind == FigureKind::kBlank);
  CHECK(ParseFigure("-").kind == FigureKind::kDash);
  CHECK(ParseFigure("—").kind == FigureKind::kDash);
  CHECK(ParseFigure("－－").kind == FigureKind::kDash);
  CHECK(ParseFigure("#####").kind == FigureKind::kUnreadable);
  CHECK(ParseFigure("12,34.5").kind == FigureKind::kUnreadable);
  CHECK(ParseFigure("一般公共服务支出").kind == FigureKind::kText);
}

TEST_CASE("A dash as OCR reads it is a dash mark, a word or a figure is not", "[normalise]") {
  CHECK(IsDashMark("-"));
  CHECK(IsDashMark("一"));
  CHECK(IsDashMark("--"));
  CHECK(IsDashMark("—"));
  CHECK(IsDashMark(" ＿ "));
  CHECK_FALSE(IsDashMark(""));
  CHECK_FALSE(IsDashMark("一一一一"));
  CHECK_FALSE(IsDashMark("一般"));
  CHECK_FALSE(IsDashMark("-1"));
  CHECK_FALSE(IsDashMark("0.00"));
}

TEST_CASE("Chinese numerals parse to exact values", "[normalise]") {
  auto [text, value] = GENERATE(table<std::string, std::string>({
      {"一千二百万", "12000000"},
      {"壹佰贰拾叁", "123"},
      {"二〇二一", "2021"},
      {"十五", "15"},
      {"二十六", "26"},
      {"1.2万", "12000.0"},
      {"3亿", "300000000"},
      {"三亿五千万", "350000000"},
  }));
  auto parsed = ParseChineseNumber(text);
  REQUIRE(parsed.has_value());
  CHECK(parsed->ToString() == value);
}

TEST_CASE("The amount unit is read from the caption", "[normalise]") {
  CHECK(FindAmountUnit("公开01表 单位：万元") == "万元");
  CHECK(FindAmountUnit("金额单位: 元") == "元");
  CHECK(FindAmountUnit("收入支出决算总表") == "");
}
