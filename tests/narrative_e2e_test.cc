// The 情况说明 sentence checks end to end: fixtures/narrative-clean carries
// every sentence type the checks read, all right; narrative-edits is the same
// document with one planted edit of each kind (truth.json narrative_edits).
// Each edit must be found once, by the check meant for it, on the sentence
// it is in, and nothing else; the clean document must raise nothing.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "pipeline/normalise/normalise.h"
#include "pipeline/reconcile/reconcile.h"
#include "tests/test_support.h"

namespace juesuan {
namespace {

// The identity of the finding each kind of edit must raise.
const std::map<std::string, std::string>& CheckOfEdit() {
  static const std::map<std::string, std::string> kChecks = {
      {"total", "narrative[quote]"},
      {"grant_total", "narrative[quote]"},
      {"sangong", "narrative[quote]"},
      {"share", "narrative[share]"},
      {"rate", "narrative[rate]"},
      {"completion", "narrative[completion]"},
      {"comparison", "narrative[comparison]"},
      {"flat", "narrative[comparison]"},
      {"none", "narrative[none]"},
      {"heading_year", "narrative[year:heading]"},
      {"compare_year", "narrative[year:compared_with]"},
      {"asset_date", "narrative[year:asset_date]"},
      {"placeholder", "disclosure"},
  };
  return kChecks;
}

// The sentence a narrative finding quotes ("" for other findings).
std::string Quote(const Finding& f) {
  for (const auto& c : f.cells) {
    if (c.table.empty() && c.row == "情况说明") return c.printed;
  }
  return "";
}

bool Raises(const Finding& f, const nlohmann::json& edit) {
  std::string text = CompactText(edit["text"].get<std::string>());
  if (f.kind == "disclosure") return f.message.find(text) != std::string::npos;
  return f.kind == "narrative_mismatch" && CompactText(Quote(f)).find(text) != std::string::npos;
}

std::string Describe(const Document& doc) {
  std::string out;
  for (const auto& f : doc.findings) out += f.kind + " " + f.identity + ": " + f.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("narrative-clean: every sentence type checked, nothing raised", "[narrative][e2e]") {
  const Document& doc = test::ProcessedFixture("narrative-clean");
  REQUIRE(doc.status == DocumentStatus::kComplete);
  REQUIRE(doc.year == 2024);
  INFO(Describe(doc));
  CHECK(doc.findings.empty());
  // The figure quotes the generator printed are all there to be checked.
  auto truth = test::FixtureTruth("narrative-clean");
  REQUIRE(truth["narrative"].size() >= 15);
  REQUIRE_FALSE((truth.contains("narrative_edits") && !truth["narrative_edits"].empty()));
}

TEST_CASE("narrative-edits: each planted edit found once by its check, nothing else", "[narrative][e2e]") {
  const Document& doc = test::ProcessedFixture("narrative-edits");
  REQUIRE(doc.status == DocumentStatus::kComplete);
  auto truth = test::FixtureTruth("narrative-edits");
  const auto& edits = truth["narrative_edits"];
  REQUIRE(edits.size() == CheckOfEdit().size());  // one edit of every kind
  INFO(Describe(doc));
  std::map<std::string, const Fact*> facts;
  for (const auto& t : doc.tables) {
    for (const auto& f : t.facts) facts[f.table + "/" + f.row + "/" + f.col] = &f;
  }
  std::vector<bool> used(doc.findings.size(), false);
  for (const auto& edit : edits) {
    std::string kind = edit["kind"];
    {
      INFO("edit " << kind << ": " << edit["text"].get<std::string>());
      const std::string& check = CheckOfEdit().at(kind);
      int raised = 0;
      for (size_t i = 0; i < doc.findings.size(); ++i) {
        const Finding& f = doc.findings[i];
        if (f.identity != check || !Raises(f, edit)) continue;
        ++raised;
        used[i] = true;
        if (f.kind == "narrative_mismatch") {
          // The sentence is named where it is printed.
          CHECK(f.cells.back().page == edit["page"].get<int>());
          CHECK(f.cells.back().box.width() > 0);
        }
        if (edit.contains("table")) {
          // A misquoted figure: the cell it should quote, and its value.
          std::string key = edit["table"].get<std::string>() + "/" + edit["row"].get<std::string>() + "/" +
                            edit["col"].get<std::string>();
          REQUIRE(f.suspects.size() == 1);
          CHECK(f.suspects[0].table + "/" + f.suspects[0].row + "/" + f.suspects[0].col == key);
          REQUIRE(facts.count(key));
          REQUIRE(f.expected.has_value());
          CHECK(*f.expected == facts[key]->value);
          CHECK(*f.printed != facts[key]->value);
        }
        if (check.rfind("narrative[year:", 0) == 0) {
          CHECK(*f.expected == Decimal::FromInt(kind == "compare_year" ? 2023 : 2024));
        }
      }
      CHECK(raised == 1);
    }
  }
  // Nothing else: every finding is one of the edits'.
  for (size_t i = 0; i < doc.findings.size(); ++i) {
    INFO(doc.findings[i].identity + ": " + doc.findings[i].message);
    CHECK(used[i]);
  }
}

}  // namespace juesuan
