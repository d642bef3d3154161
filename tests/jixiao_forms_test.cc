// The other 绩效 forms (整体支出绩效评价基础数据表, the Hunan 整体支出绩效自评表,
// 项目单位自评基本情况表) on their generated fixtures, digital and scanned at
// 200 dpi, and ruled across only or not at all: exact facts, every figure
// accounted for, the forms' structures; each rule of schemas/jixiao_forms.json
// failing on one altered figure, naming it, and a comparison the form
// explains not flagged.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "extractors/jixiao/jixiao_forms.h"
#include "pipeline/write/document_writer.h"
#include "tests/test_support.h"

using namespace juesuan;
using namespace juesuan::test;

namespace {

const JixiaoFormsSchema& FormsSchema() {
  static const JixiaoFormsSchema schema = [] {
    auto loaded = LoadJixiaoFormsSchema(kSchemas);
    REQUIRE(loaded.ok());
    return loaded.value();
  }();
  return schema;
}

const Table& TableWithPrefix(const Document& doc, const std::string& prefix) {
  for (const Table& t : doc.tables) {
    if (t.code.rfind(prefix, 0) == 0) return t;
  }
  FAIL("no table " << prefix);
  return doc.tables.front();
}

Fact& FactOf(Table& table, const std::string& row, const std::string& col) {
  for (Fact& fact : table.facts) {
    if (fact.row == row && fact.col == col) return fact;
  }
  FAIL("no fact " << row << "," << col);
  return table.facts.front();
}

}  // namespace

TEST_CASE("Every other 绩效 form yields exactly the generator's facts, digital and scanned", "[jixiao][forms][e2e]") {
  auto [name, tables] = GENERATE(table<std::string, size_t>({
      {"jixiao-jichushuju", 1},
      {"jixiao-jichushuju-scan", 1},
      {"jixiao-zhengti-hunan", 2},
      {"jixiao-zhengti-hunan-scan", 2},
      {"jixiao-xiangmu-jiben", 2},
      {"jixiao-xiangmu-jiben-scan", 2},
      {"jixiao-xiangmu-jiben-hrules", 2},
      {"jixiao-jichushuju-norules", 1},
      {"jixiao-zhengti-hunan-threeline", 2},
  }));
  DYNAMIC_SECTION(name) {
    const Document& doc = ProcessedFixture(name);
    CHECK(doc.status == DocumentStatus::kComplete);
    CHECK(doc.kind == "jixiao");
    std::string expected = ReadFile(kFixtures + "/" + name + "/expected.facts.csv");
    std::string got = FactsCsv(doc);
    INFO("missing:\n" << MissingLines(expected, got) << "unexpected:\n" << MissingLines(got, expected));
    CHECK(got == expected);
    // Every rule holds in these forms (or the form says why it does not):
    // nothing is flagged or unkeyed.
    for (const Finding& f : doc.findings) {
      if (f.kind != "ocr_error" && f.kind != "explained") FAIL_CHECK(f.kind << ": " << f.message);
    }
    CHECK(FlagRowsOf(doc).empty());
    CHECK(doc.coverage.unmapped == 0);
    CHECK(doc.coverage.figures == doc.coverage.mapped);
    size_t identified = 0;
    for (const Table& t : doc.tables) identified += t.kind == "jixiao";
    CHECK(identified == tables);
  }
}

TEST_CASE("Each form rule fails on one altered figure, naming it; a clean form passes", "[jixiao][forms][checks]") {
  // fixture, table, the figure altered, its new value, the rule that must fail
  auto [fixture, prefix, row, col, value, rule] =
      GENERATE(table<std::string, std::string, std::string, std::string, std::string, std::string>({
          {"jixiao-jichushuju", "整体支出绩效评价基础数据表:", "公车购置", "本年决算数", "999.99", "jx.basic.car"},
          {"jixiao-jichushuju", "整体支出绩效评价基础数据表:", "公务接待", "上年决算数", "999.99", "jx.basic.sangong"},
          {"jixiao-jichushuju", "整体支出绩效评价基础数据表:", "办公经费", "本年预算数", "999.99", "jx.basic.public"},
          {"jixiao-jichushuju", "整体支出绩效评价基础数据表:", "财政供养人员", "控制率", "50.00",
           "jx.basic.staff_rate"},
          {"jixiao-xiangmu-jiben", "项目单位自评基本情况表:", "市县财政", "计划安排资金", "0.01",
           "jx.project_basic.sources"},
          {"jixiao-xiangmu-jiben", "项目单位自评基本情况表:", "资金总额", "实际到位资金", "999.99",
           "jx.project_basic.arrived"},
          {"jixiao-xiangmu-jiben", "项目单位自评基本情况表:", "实际支出", "金额", "999.99",
           "jx.project_basic.spent"},
          {"jixiao-xiangmu-jiben", "项目单位自评基本情况表:", "支出合计", "计划支出数", "0.01",
           "jx.project_basic.spending"},
      }));
  DYNAMIC_SECTION(rule << " " << row << "," << col) {
    Table table = TableWithPrefix(ProcessedFixture(fixture), prefix);
    CHECK(CheckJixiaoForm(table, FormsSchema()).empty());
    Fact& fact = FactOf(table, row, col);
    fact.printed = value;
    fact.value = *Decimal::Parse(value);
    std::vector<Finding> findings = CheckJixiaoForm(table, FormsSchema());
    bool named = false;
    for (const Finding& f : findings) {
      CHECK(f.kind == "source_error");
      if (f.identity != rule) continue;
      for (const FindingCell& cell : f.cells) named = named || (cell.row == row && cell.col == col);
    }
    INFO(findings.size() << " findings");
    CHECK(named);
  }
}

TEST_CASE("A part left out of a total's printed parts is summed as nothing, a total without parts is not split",
          "[jixiao][forms][checks]") {
  Table table = TableWithPrefix(ProcessedFixture("jixiao-jichushuju"), "整体支出绩效评价基础数据表:");
  // Drop the 公车 rows: 公务用车购置和维护经费 has no printed part any more.
  auto car_parts = [](const Fact& f) { return f.row == "公车购置" || f.row == "公车运行维护"; };
  table.facts.erase(std::remove_if(table.facts.begin(), table.facts.end(), car_parts), table.facts.end());
  CHECK(CheckJixiaoForm(table, FormsSchema()).empty());
}

TEST_CASE("A malformed forms schema is refused, naming the problem", "[jixiao][forms][schema]") {
  CHECK_FALSE(ParseJixiaoFormsSchema("{}").ok());
  auto bad_op = ParseJixiaoFormsSchema(
      R"({"closing_titles": [], "forms": [{"form": "f", "titles": [], "markers": [], "name_labels": [],
          "blocks": [], "sums": [{"id": "x", "total": "t", "op": "<"}], "compares": [], "rates": []}]})");
  REQUIRE_FALSE(bad_op.ok());
  CHECK(bad_op.error().message.find("bad op") != std::string::npos);
}

TEST_CASE("More funds than planned, with the reason printed, is explained, not flagged", "[jixiao][forms][checks]") {
  const Document& doc = ProcessedFixture("jixiao-xiangmu-jiben-hrules");
  std::vector<const Finding*> explained;
  for (const Finding& f : doc.findings) {
    if (f.kind == "explained") explained.push_back(&f);
  }
  REQUIRE(explained.size() == 1);
  CHECK(explained.front()->identity == "jx.project_basic.arrived");
  CHECK(explained.front()->message.find("追加") != std::string::npos);
  CHECK(FlagRowsOf(doc).empty());
  // The same figures without the sentence that explains them accuse the source.
  const Table& table = TableWithPrefix(doc, explained.front()->cells.front().table);
  const JixiaoEvaluation* evaluation = nullptr;
  for (const JixiaoEvaluation& ev : doc.evaluations) {
    if (ev.table == table.code) evaluation = &ev;
  }
  REQUIRE(evaluation != nullptr);
  CHECK(CheckJixiaoForm(table, FormsSchema(), evaluation).front().kind == "explained");
  JixiaoEvaluation silent = *evaluation;
  silent.goal_actual = silent.goal_expected;
  std::vector<Finding> findings = CheckJixiaoForm(table, FormsSchema(), &silent);
  REQUIRE(findings.size() == 1);
  CHECK(findings.front().kind == "source_error");
}

TEST_CASE("Each form is written as a structure: fields, rows of figures, goals", "[jixiao][forms][schema]") {
  auto [name, kind] = GENERATE(table<std::string, std::string>({
      {"jixiao-xiangmu-jiben", "project_basic"},
      {"jixiao-xiangmu-jiben-hrules", "project_basic"},
      {"jixiao-jichushuju", "basic_data"},
      {"jixiao-jichushuju-norules", "basic_data"},
  }));
  DYNAMIC_SECTION(name) {
    const Document& doc = ProcessedFixture(name);
    nlohmann::json json = DocumentToJson(doc);
    CHECK(ValidateAgainstSchema(json, "document.schema.json").empty());
    size_t forms = 0;
    for (const nlohmann::json& ev : json["evaluations"]) {
      if (ev["kind"] != kind) continue;
      ++forms;
      std::vector<std::string> errors = ValidateAgainstSchema(ev, "jixiao.schema.json");
      INFO(ev["table"].get<std::string>() << ": " << (errors.empty() ? std::string() : errors.front()));
      CHECK(errors.empty());
      // Every figure of the table is in the structure, under its fact's key.
      const Table& table = TableWithPrefix(doc, ev["table"].get<std::string>());
      size_t figures = 0;
      for (const nlohmann::json& row : ev["funds"]) {
        for (const auto& [col, figure] : row["figures"].items()) {
          ++figures;
          bool found = false;
          for (const Fact& fact : table.facts) {
            found = found || (fact.row == row["row"] && fact.col == col && fact.value.ToString() == figure["value"]);
          }
          CHECK(found);
        }
      }
      CHECK(figures == table.facts.size());
      if (kind == "project_basic") {
        CHECK(ev["fields"]["项目负责人"] == "蓝斌");
        CHECK(ev["fields"]["项目起止时间"].get<std::string>().find("1月至12月") != std::string::npos);
        CHECK(ev["fields"]["评价人员"].get<std::string>().find("韦东禄") != std::string::npos);
        CHECK(ev["goals"]["expected"].get<std::string>().rfind("确保", 0) == 0);
        CHECK(ev["goals"]["actual"].get<std::string>().find("按计划实施") != std::string::npos);
        CHECK(ev["funds"].front()["row"] == "资金总额");
      } else {
        CHECK(ev["funds"].front()["row"] == "财政供养人员");
      }
    }
    CHECK(forms == (kind == "project_basic" ? 2u : 1u));
  }
}
