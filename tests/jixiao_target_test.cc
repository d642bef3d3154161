// 绩效目标表 (a budget's project performance-target forms) on the generated
// fixtures budget-targets (a Shanghai budget, forms with horizontal rules
// only) and digital-targets (a 决算 with fully ruled forms appended): exact
// facts, the structure, the document's kind, the funds identities, and a
// figure whose label the schema loses reported rather than dropped.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "extractors/jixiao/jixiao_mapper.h"
#include "pipeline/reconcile/reconcile.h"
#include "pipeline/run/document_pipeline.h"
#include "pipeline/write/document_writer.h"
#include "tests/test_support.h"

using namespace juesuan;
using namespace juesuan::test;

namespace {

// The truth's target forms: table key -> its truth entry.
std::map<std::string, nlohmann::json> TargetTables(const std::string& name) {
  std::map<std::string, nlohmann::json> out;
  const nlohmann::json truth = FixtureTruth(name);
  for (const nlohmann::json& t : truth["tables"]) {
    if (t.value("kind", "") == "target") out[t["table"].get<std::string>()] = t;
  }
  return out;
}

std::string Field(const JixiaoEvaluation& ev, const std::string& key) {
  for (const auto& [k, v] : ev.fields) {
    if (k == key) return v;
  }
  return "<none>";
}

const JixiaoFigure* FundsFigure(const JixiaoEvaluation& ev, const std::string& row, const std::string& col) {
  for (const JixiaoFundsRow& r : ev.funds) {
    if (r.key == row) return r.Find(col);
  }
  return nullptr;
}

// The lines of a facts CSV whose table starts with `prefix`.
std::string FactsOf(const std::string& csv, const std::string& prefix) {
  std::string out, line;
  std::istringstream in(csv);
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) out += line + "\n";
  }
  return out;
}

const char* const kTargetFixtures[] = {"budget-targets", "digital-targets"};

}  // namespace

TEST_CASE("Target forms are tables of their own, every figure keyed, in a budget or a 决算", "[jixiao][target][e2e]") {
  std::string name = GENERATE(from_range(std::begin(kTargetFixtures), std::end(kTargetFixtures)));
  DYNAMIC_SECTION(name) {
    const Document& doc = ProcessedFixture(name);
    CHECK(doc.status == DocumentStatus::kComplete);
    // Target forms are budget material: they leave the document's kind to its
    // other tables.
    CHECK(doc.kind == (name == "budget-targets" ? "yusuan" : "juesuan"));
    CHECK(doc.coverage.unmapped == 0);
    CHECK(doc.coverage.figures == doc.coverage.mapped);
    const std::string expected = ReadFile(kFixtures + "/" + name + "/expected.facts.csv");
    const std::string got = FactsCsv(doc);
    INFO("missing:\n" << MissingLines(expected, got) << "unexpected:\n" << MissingLines(got, expected));
    CHECK(FactsOf(got, "绩效目标表:") == FactsOf(expected, "绩效目标表:"));
    CHECK(!FactsOf(expected, "绩效目标表:").empty());
    CHECK(FlagRowsOf(doc).empty());
    for (const Finding& f : doc.findings) CHECK(f.kind != "unmapped");
    // One table and one evaluation per form, over the page it is printed on.
    std::map<std::string, nlohmann::json> truth = TargetTables(name);
    REQUIRE(!truth.empty());
    std::set<std::string> seen;
    for (const Table& t : doc.tables) {
      if (t.code.rfind("绩效目标表:", 0) != 0) continue;
      INFO(t.code);
      REQUIRE(truth.count(t.code));
      CHECK(t.kind == "jixiao");
      CHECK(t.pages == truth[t.code]["pages"].get<std::vector<int>>());
      CHECK(t.unit == truth[t.code]["unit"].get<std::string>());
      seen.insert(t.code);
    }
    CHECK(seen.size() == truth.size());
    REQUIRE(doc.evaluations.size() == truth.size());
    for (const JixiaoEvaluation& ev : doc.evaluations) {
      CHECK(ev.kind == "target");
      CHECK(truth.count(ev.table));
      CHECK(ev.title == truth[ev.table]["title"].get<std::string>());
    }
  }
}

TEST_CASE("A target form's structure: the name up to the next label, dates as fields, two funds sides",
          "[jixiao][target]") {
  std::string name = GENERATE(from_range(std::begin(kTargetFixtures), std::end(kTargetFixtures)));
  DYNAMIC_SECTION(name) {
    const Document& doc = ProcessedFixture(name);
    nlohmann::json truth = FixtureTruth(name);
    const int year = truth["year"].get<int>();
    const std::map<std::string, nlohmann::json> tables = TargetTables(name);
    const nlohmann::json variant = tables.begin()->second["variant"];
    const std::string sep = variant["date_sep"].get<std::string>();
    int dates = 0;
    for (const JixiaoEvaluation& ev : doc.evaluations) {
      INFO(ev.table);
      CHECK(ev.table == "绩效目标表:" + ev.name);
      CHECK(ev.name.find("项目性质") == std::string::npos);
      if (variant["kind_row"].get<bool>()) {
        CHECK((Field(ev, "项目性质") == "经常性项目" || Field(ev, "项目性质") == "阶段性项目"));
        CHECK((Field(ev, "项目类别") == "特定目标类" || Field(ev, "项目类别") == "其他运转类"));
      }
      CHECK(Field(ev, "主管部门") == truth["unit"].get<std::string>());
      CHECK(Field(ev, "计划开始日期") == std::to_string(year) + sep + "01" + sep + "01");
      CHECK(Field(ev, "计划完成日期") == std::to_string(year) + sep + "12" + sep + "31");
      // The two sides keep apart: 其他资金 under 项目资金 and under 年度资金.
      REQUIRE(FundsFigure(ev, "项目资金总额", "项目资金"));
      REQUIRE(FundsFigure(ev, "年度资金申请总额", "年度资金"));
      CHECK(FundsFigure(ev, "当年财政拨款", "年度资金"));
      CHECK(!FundsFigure(ev, "项目资金总额", "年度资金"));
      if (variant["zeros"] == "0.00") {
        CHECK(FundsFigure(ev, "其他资金", "项目资金"));
        CHECK(FundsFigure(ev, "其他资金", "年度资金"));
      }
      CHECK(ev.goal_project.rfind("按计划完成" + ev.name, 0) == 0);
      CHECK(ev.goal_expected.rfind("按计划完成" + ev.name, 0) == 0);
      CHECK(ev.goal_actual.empty());
      CHECK(!ev.total_score);
      REQUIRE(ev.indicators.size() >= 4);
      for (const JixiaoIndicator& ind : ev.indicators) {
        INFO(ind.level3);
        CHECK((ind.level1 == "产出指标" || ind.level1 == "效益指标" || ind.level1 == "满意度指标"));
        CHECK(ind.level2.size() > 6);
        CHECK(ind.target.kind != IndicatorValueKind::kEmpty);
        CHECK(ind.actual.kind == IndicatorValueKind::kEmpty);
        if (ind.level3 == "项目完成时间") {
          CHECK(ind.target.kind == IndicatorValueKind::kDate);
          CHECK(ind.target.date == std::to_string(year) + "-12-31");
        }
      }
      CHECK(ev.indicators.back().level3 == "服务对象满意度");
      for (const auto& [key, value] : ev.fields) dates += key.find("日期") != std::string::npos;
    }
    CHECK(dates == 2 * static_cast<int>(doc.evaluations.size()));
    // The dates are fields, never figures without a key.
    for (const Finding& f : doc.findings) {
      CHECK(f.message.find(std::to_string(year) + sep + "01") == std::string::npos);
    }
    nlohmann::json json = DocumentToJson(doc);
    CHECK(ValidateAgainstSchema(json, "document.schema.json").empty());
    for (const nlohmann::json& ev : json["evaluations"]) {
      std::vector<std::string> errors = ValidateAgainstSchema(ev, "jixiao.schema.json");
      INFO((errors.empty() ? std::string() : errors.front()));
      CHECK(errors.empty());
      CHECK(ev["goals"].contains("project"));
    }
  }
}

TEST_CASE("A target form without its title is told by the labels only it prints", "[jixiao][target]") {
  // The fully ruled forms of digital-targets read from their grids alone: no
  // caption, so no title; 计划开始日期 and the funds labels make them target
  // forms, keyed as with the title.
  const Document& doc = ProcessedFixture("digital-targets");
  std::vector<Table> candidates;
  for (const Table& t : doc.tables) {
    if (t.code.rfind("绩效目标表:", 0) != 0) continue;
    candidates.push_back(t);
    candidates.back().code.clear();
  }
  REQUIRE(candidates.size() == 2);
  auto schema = LoadJixiaoSchema(kSchemas);
  REQUIRE(schema.ok());
  JixiaoOutput out = MapJixiaoTables(candidates, {}, schema.value());
  Document mapped;
  mapped.tables = out.tables;
  CHECK(FactsCsv(mapped) == "table,row,col,value\n" + FactsOf(FactsCsv(doc), "绩效目标表:"));
  for (const JixiaoEvaluation& ev : out.evaluations) {
    CHECK(ev.kind == "target");
    CHECK(ev.title.empty());
  }
  for (const Finding& f : out.findings) CHECK(f.kind != "unmapped");
}

TEST_CASE("The funds identities of a target form hold, and break on one altered figure", "[jixiao][target][checks]") {
  const Document& doc = ProcessedFixture("budget-targets");
  auto identities = LoadIdentities(kSchemas);
  REQUIRE(identities.ok());
  std::string table;
  for (const Table& t : doc.tables) {
    if (t.code.rfind("绩效目标表:", 0) == 0 && table.empty()) table = t.code;
  }
  REQUIRE(!table.empty());
  auto broken_by = [&](const std::string& row, const std::string& col) {
    auto copy = DocumentFromJson(DocumentToJson(doc));
    REQUIRE(copy.ok());
    Document& altered = copy.value();
    altered.findings.clear();
    bool changed = false;
    for (Table& t : altered.tables) {
      for (Fact& f : t.facts) {
        if (f.table == table && f.row == row && f.col == col) {
          f.value = f.value + Decimal::FromInt(1000);
          changed = true;
        }
      }
    }
    REQUIRE(changed);
    Reconcile(altered, identities.value(), ReconcileOptions());
    std::set<std::string> ids;
    for (const Finding& f : altered.findings) {
      if (f.kind == "source_error" || f.kind == "rounding") ids.insert(f.identity.substr(0, f.identity.find('[')));
    }
    return ids;
  };
  SECTION("held on the fixture") {
    auto copy = DocumentFromJson(DocumentToJson(doc));
    REQUIRE(copy.ok());
    copy.value().findings.clear();
    Reconcile(copy.value(), identities.value(), ReconcileOptions());
    for (const Finding& f : copy.value().findings) CHECK(f.identity.rfind("jx.target", 0) != 0);
  }
  SECTION("项目资金总额 = 财政资金 + 其他资金") {
    CHECK(broken_by("财政资金", "项目资金") == std::set<std::string>{"jx.target.project_funds"});
  }
  SECTION("年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金") {
    CHECK(broken_by("当年财政拨款", "年度资金") == std::set<std::string>{"jx.target.annual_funds"});
  }
}

TEST_CASE("A target-form figure whose label the schema lacks is reported, never dropped", "[jixiao][target][accounting]") {
  // The schema without the 上年结转资金 row of the year's side: the figures
  // printed beside that label have no key any more, and must not vanish.
  namespace fs = std::filesystem;
  fs::path schemas = fs::temp_directory_path() / "juesuan_schema_without_a_target_row";
  fs::remove_all(schemas);
  fs::copy(kSchemas, schemas, fs::copy_options::recursive);
  nlohmann::json jixiao = nlohmann::json::parse(ReadFile((schemas / "jixiao_table.json").string()));
  for (auto& side : jixiao["target"]["funds_sides"]) {
    auto& rows = side["rows"];
    rows.erase(std::remove_if(rows.begin(), rows.end(),
                              [](const nlohmann::json& r) { return r["key"] == "上年结转资金"; }),
               rows.end());
  }
  std::ofstream((schemas / "jixiao_table.json").string()) << jixiao.dump(1);
  PipelineOptions options;
  options.schema_dir = schemas.string();
  auto pipeline = DocumentPipeline::Create(options);
  REQUIRE(pipeline.ok());
  Document doc = pipeline.value()->Process(kFixtures + "/budget-targets/input.pdf");
  fs::remove_all(schemas);
  CHECK(doc.status == DocumentStatus::kPartial);
  CHECK(doc.kind == "yusuan");
  CHECK(doc.coverage.mapped + doc.coverage.unmapped == doc.coverage.figures);
  // One figure a form, each an unmapped finding with its place.
  std::vector<const Finding*> unmapped;
  for (const Finding& f : doc.findings) {
    if (f.kind == "unmapped") unmapped.push_back(&f);
  }
  CHECK(static_cast<int>(unmapped.size()) == doc.coverage.unmapped);
  CHECK(unmapped.size() == doc.evaluations.size());
  nlohmann::json truth = FixtureTruth("budget-targets");
  for (const Finding* f : unmapped) {
    REQUIRE(f->place);
    std::string text = f->place->text;
    text.erase(std::remove(text.begin(), text.end(), ','), text.end());
    bool printed = false;
    for (const nlohmann::json& fact : truth["facts"]) {
      printed = printed || (fact["row"] == "上年结转资金" && fact["page"] == f->place->page && fact["value"] == text);
    }
    INFO(f->message);
    CHECK(printed);
  }
  // Every other figure keeps its key.
  std::string expected = ReadFile(kFixtures + "/budget-targets/expected.facts.csv"), kept;
  std::istringstream in(expected);
  for (std::string line; std::getline(in, line);) {
    if (line.find(",上年结转资金,年度资金,") == std::string::npos) kept += line + "\n";
  }
  CHECK(FactsCsv(doc) == kept);
}

TEST_CASE("A table titled as a target form that prints a 绩效自评表's blocks is a 绩效自评表", "[jixiao][target]") {
  // jixiao-yuan with its captions retitled 项目绩效目标表: the funds header
  // (年初预算数 …), 总分 and 评分等级 make each table a self-evaluation again,
  // keyed as before.
  Document doc = SharedPipeline().Process(kFixtures + "/jixiao-yuan/input.pdf");
  std::vector<Table> candidates = doc.tables;
  for (Table& t : candidates) t.code.clear();
  std::map<int, PageLayout> pages;
  int retitled = 0;
  for (TextLine line : doc.lines) {
    if (line.text.find("项目支出绩效自评表") != std::string::npos) {
      line.text = "项目绩效目标表";
      ++retitled;
    }
    pages[line.page].page = line.page;
    pages[line.page].lines.push_back(line);
  }
  REQUIRE(retitled == 4);
  std::vector<PageLayout> layouts;
  for (auto& [page, layout] : pages) layouts.push_back(layout);
  auto schema = LoadJixiaoSchema(kSchemas);
  REQUIRE(schema.ok());
  JixiaoOutput out = MapJixiaoTables(candidates, layouts, schema.value());
  Document mapped;
  mapped.tables = out.tables;
  CHECK(FactsCsv(mapped) == ReadFile(kFixtures + "/jixiao-yuan/expected.facts.csv"));
  REQUIRE(out.evaluations.size() == 4);
  for (const JixiaoEvaluation& ev : out.evaluations) {
    CHECK(ev.title == "项目绩效目标表");  // read as a target form's title first
    CHECK(ev.kind == "project");
    CHECK(ev.table.rfind("绩效自评表:", 0) == 0);
  }
}
