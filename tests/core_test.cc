#include <catch2/catch.hpp>

#include "pipeline/core/decimal.h"
#include "pipeline/core/utf8.h"

using juesuan::Decimal;

TEST_CASE("Decimal parses and prints as printed", "[core]") {
  auto [text, expected] = GENERATE(table<std::string, std::string>({
      {"19436.23", "19436.23"}, {"0.80", "0.80"}, {"-5", "-5"}, {"+7.1", "7.1"}, {".5", "0.5"}}));
  auto d = Decimal::Parse(text);
  REQUIRE(d.has_value());
  CHECK(d->ToString() == expected);
}

TEST_CASE("Decimal rejects what is not a plain number", "[core]") {
  auto text = GENERATE("", "-", "1,000", "1.2.3", "12a", " 1", "1.0000000001");
  CHECK_FALSE(Decimal::Parse(text).has_value());
}

TEST_CASE("Decimal sums are exact across scales", "[core]") {
  Decimal a = *Decimal::Parse("0.1"), b = *Decimal::Parse("0.20");
  CHECK((a + b).ToString() == "0.30");
  CHECK((a + b) == *Decimal::Parse("0.3"));
  CHECK((a - b).ToString() == "-0.10");
  CHECK(Decimal::Parse("18532.63")->Compare(*Decimal::Parse("18532.630")) == 0);
}

TEST_CASE("Decimal division rounds half away from zero", "[core]") {
  CHECK(Decimal::Parse("31.67")->DividedBy(*Decimal::Parse("31.76"), 4).ToString() == "0.9972");
  CHECK(Decimal::Parse("1")->DividedBy(*Decimal::Parse("8"), 2).ToString() == "0.13");
  CHECK(Decimal::Parse("-1")->DividedBy(*Decimal::Parse("8"), 2).ToString() == "-0.13");
  CHECK(Decimal::Parse("2.345")->Rounded(2).ToString() == "2.35");
}

TEST_CASE("UTF-8 round trip keeps CJK and counts code points", "[core]") {
  std::string text = "公开01表 ⼊";
  CHECK(juesuan::EncodeUtf8(juesuan::DecodeUtf8(text)) == text);
  CHECK(juesuan::Utf8Length(text) == 7);
  CHECK(juesuan::IsCjkIdeograph(U'决'));
  CHECK_FALSE(juesuan::IsCjkIdeograph(U'Þ'));
}
