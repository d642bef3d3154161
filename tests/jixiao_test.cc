// 绩效自评表 on the generated fixtures (real Poppler and OpenCV): exact facts,
// the structure against schemas/jixiao.schema.json, the meaning of indicator
// values, and each rule check failing on one altered figure.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "extractors/jixiao/jixiao_mapper.h"
#include "pipeline/run/document_pipeline.h"
#include "pipeline/write/document_writer.h"
#include "tests/test_support.h"

using namespace juesuan;
using namespace juesuan::test;

namespace {


// Each fixture is processed once for all the tests that read it.
const Document& Fixture(const std::string& name) {
  static std::map<std::string, Document> docs;
  auto it = docs.find(name);
  if (it != docs.end()) return it->second;
  return docs[name] = SharedPipeline().Process(kFixtures + "/" + name + "/input.pdf");
}

const JixiaoSchema& Schema() {
  static const JixiaoSchema schema = [] {
    auto loaded = LoadJixiaoSchema(kSchemas);
    REQUIRE(loaded.ok());
    return loaded.value();
  }();
  return schema;
}

std::vector<JixiaoEvaluation> Evaluations(const Document& doc) { return doc.evaluations; }

JixiaoFigure* FundsFigure(JixiaoEvaluation& ev, const std::string& row, const std::string& col) {
  for (JixiaoFundsRow& r : ev.funds) {
    if (r.key != row) continue;
    for (auto& [key, figure] : r.figures) {
      if (key == col) return &figure;
    }
  }
  return nullptr;
}

void Reprint(JixiaoFigure& figure, const std::string& text) {
  figure.printed = text;
  figure.value = Decimal::Parse(text);
}

}  // namespace

TEST_CASE("绩效 fixtures in 元 and 万元 yield exactly the generator's facts", "[jixiao][e2e]") {
  std::string name = GENERATE("jixiao-yuan", "jixiao-wanyuan");
  DYNAMIC_SECTION(name) {
    const Document& doc = Fixture(name);
    CHECK(doc.status == DocumentStatus::kComplete);
    CHECK(doc.kind == "jixiao");
    std::string expected = ReadFile(kFixtures + "/" + name + "/expected.facts.csv");
    std::string got = FactsCsv(doc);
    INFO("missing:\n" << MissingLines(expected, got) << "unexpected:\n" << MissingLines(got, expected));
    CHECK(got == expected);
    // All rules hold in these fixtures: no rule check and no narrative quote fails.
    for (const Finding& f : doc.findings) {
      INFO(f.message);
      CHECK(f.identity.rfind("jx.", 0) != 0);
    }
  }
}

TEST_CASE("The unit of a 绩效自评表 comes from its header or caption", "[jixiao]") {
  for (const JixiaoEvaluation& ev : Evaluations(Fixture("jixiao-yuan"))) CHECK(ev.unit == "元");
  for (const JixiaoEvaluation& ev : Evaluations(Fixture("jixiao-wanyuan"))) {
    CHECK(ev.unit == "万元");
    CHECK(ev.rate_percent);
  }
}

TEST_CASE("Evaluations are written under schemas/jixiao.schema.json", "[jixiao][schema]") {
  nlohmann::json json = DocumentToJson(Fixture("jixiao-wanyuan"));
  CHECK(ValidateAgainstSchema(json, "document.schema.json").empty());
  REQUIRE(json.contains("evaluations"));
  REQUIRE(json["evaluations"].size() == 3);
  for (const nlohmann::json& ev : json["evaluations"]) {
    std::vector<std::string> errors = ValidateAgainstSchema(ev, "jixiao.schema.json");
    INFO((errors.empty() ? std::string() : errors.front()));
    CHECK(errors.empty());
    CHECK(ev["kind"] == "project");
    CHECK(ev["funds"].size() == 4);
    CHECK(!ev["goals"]["expected"].get<std::string>().empty());
    CHECK(!ev["grade"].get<std::string>().empty());
    for (const nlohmann::json& ind : ev["indicators"]) {
      CHECK(!ind["level1"].get<std::string>().empty());  // spans resolved
      CHECK(!ind["level2"].get<std::string>().empty());
      CHECK(ind["target"]["kind"] != "empty");
    }
  }
}

TEST_CASE("A malformed 绩效 schema is refused", "[jixiao][schema]") {
  CHECK(ParseJixiaoSchema("{}").error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("Indicator values keep their meaning", "[jixiao]") {
  struct Case {
    const char* printed;
    IndicatorValueKind kind;
    const char* comparator;
    const char* number;
    const char* unit;
    const char* date_or_target;
  };
  auto c = GENERATE(
      Case{"≥95.00(%)", IndicatorValueKind::kNumber, "≥", "95.00", "%", ""},
      Case{"=12.00(月)", IndicatorValueKind::kNumber, "=", "12.00", "月", ""},
      Case{"> 34家", IndicatorValueKind::kNumber, ">", "34", "家", ""},
      Case{"<24小时", IndicatorValueKind::kNumber, "<", "24", "小时", ""},
      Case{"99.60%", IndicatorValueKind::kNumber, "", "99.60", "%", ""},
      Case{"95%及以上", IndicatorValueKind::kNumber, "≥", "95", "%", ""},
      Case{"3个工作日之内", IndicatorValueKind::kNumber, "≤", "3", "个工作日", ""},
      Case{"2020年8月31日前", IndicatorValueKind::kDate, "≤", "", "", "2020-08-31"},
      Case{"12月31日前", IndicatorValueKind::kDate, "≤", "", "", "12-31"},
      Case{"不超过预算投入", IndicatorValueKind::kQualitative, "≤", "", "", "预算投入"},
      Case{"得到保障", IndicatorValueKind::kQualitative, "", "", "", "得到保障"},
      Case{"", IndicatorValueKind::kEmpty, "", "", "", ""});
  DYNAMIC_SECTION(c.printed) {
    IndicatorValue v = ParseIndicatorValue(c.printed);
    CHECK(IndicatorValueKindName(v.kind) == std::string(IndicatorValueKindName(c.kind)));
    CHECK(v.comparator == c.comparator);
    CHECK((v.number ? v.number->ToString() : std::string()) == c.number);
    CHECK(v.unit == c.unit);
    CHECK((v.kind == IndicatorValueKind::kDate ? v.date : v.target) == c.date_or_target);
  }
}

TEST_CASE("Each 绩效 rule fails on one altered figure, naming it", "[jixiao][checks]") {
  std::vector<JixiaoEvaluation> evaluations = Evaluations(Fixture("jixiao-yuan"));
  REQUIRE(evaluations.size() == 4);
  for (const JixiaoEvaluation& ev : evaluations) CHECK(CheckJixiao(ev, Schema()).empty());
  JixiaoEvaluation ev = evaluations.front();  // 公共卫生应急物资储备: 3016001.96 / 3108051.43
  REQUIRE(ev.name == "公共卫生应急物资储备");

  SECTION("执行率") {
    Reprint(*FundsFigure(ev, "年度资金总额", "执行率"), "0.99");
    std::vector<Finding> findings = CheckJixiao(ev, Schema());
    REQUIRE(findings.size() == 1);  // 资金得分 still follows from 执行数 / 预算数
    CHECK(findings[0].identity == "jx.rate");
    CHECK(findings[0].message ==
          "绩效自评表:公共卫生应急物资储备 p3 r3 c6: 年度资金总额 执行率 printed 0.99, 全年执行数 / 全年预算数 = 0.97");
    REQUIRE(findings[0].suspects.size() == 1);
    CHECK(findings[0].suspects[0].col == "执行率");
  }
  SECTION("资金得分") {
    Reprint(*FundsFigure(ev, "年度资金总额", "得分"), "9.90");
    std::vector<Finding> findings = CheckJixiao(ev, Schema());
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].identity == "jx.funds_score");
    CHECK(findings[0].suspects[0].row == "年度资金总额");
    CHECK(findings[0].suspects[0].col == "得分");
  }
  SECTION("得分 ≤ 分值") {
    JixiaoIndicator& ind = ev.indicators.front();
    Reprint(*ind.score, ind.weight->value->ToString() + "5");
    std::vector<Finding> findings = CheckJixiao(ev, Schema());
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].identity == "jx.score_le_weight");
    CHECK(findings[0].suspects[0].row == "指标:" + ind.level3);
  }
  SECTION("总分 分值 = 100") {
    Reprint(*ev.total_weight, "90");
    std::vector<Finding> findings = CheckJixiao(ev, Schema());
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].identity == "jx.weight_100");
  }
  SECTION("评分等级") {
    ev.grade = "良";
    std::vector<Finding> findings = CheckJixiao(ev, Schema());
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].identity == "jx.grade");
    CHECK(findings[0].message ==
          "绩效自评表:公共卫生应急物资储备 p3 r" + std::to_string(ev.total_score->row) + " c" +
              std::to_string(ev.total_score->col) + ": 评分等级 良 but 总分 92.70 is 优");
  }
}

TEST_CASE("Narrative quotes of a project are checked against its table in 万元", "[jixiao][checks]") {
  const Document& doc = Fixture("jixiao-yuan");
  std::vector<JixiaoEvaluation> evaluations = Evaluations(doc);
  CHECK(CheckJixiaoNarrative(evaluations, doc.lines).empty());
  std::vector<TextLine> lines = doc.lines;
  bool altered = false;
  for (TextLine& line : lines) {
    size_t at = line.text.find("310.81");
    if (at == std::string::npos) continue;
    line.text.replace(at, 6, "310.18");
    altered = true;
  }
  REQUIRE(altered);
  std::vector<Finding> findings = CheckJixiaoNarrative(evaluations, lines);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].kind == "narrative_mismatch");
  REQUIRE(findings[0].cells.size() == 1);
  CHECK(findings[0].cells[0].table == "绩效自评表:公共卫生应急物资储备");
  CHECK(findings[0].cells[0].row == "年度资金总额");
  CHECK(findings[0].cells[0].col == "全年预算数");
}

TEST_CASE("Low-confidence OCR misreadings of indicator names are repaired", "[jixiao][ocr]") {
  const Document& doc = Fixture("jixiao-yuan");
  std::vector<Table> candidates = doc.tables;
  for (Table& t : candidates) t.code.clear();
  // Misread two names in the first evaluation: one read correctly in another
  // table, one a standard term away.
  auto misread = [&](const std::string& from, const std::string& to, float confidence) {
    for (TableGrid& grid : candidates.front().grids) {
      for (Cell& cell : grid.cells) {
        if (cell.text == from) {
          cell.text = to;
          cell.confidence = confidence;
          return true;
        }
      }
    }
    return false;
  };
  auto facts_of = [](const std::vector<Table>& tables) {
    Document mapped;
    mapped.tables = tables;
    return FactsCsv(mapped);
  };
  SECTION("below the confidence threshold") {
    REQUIRE(misread("设备验收合格率", "设备验收合格素", 36));
    REQUIRE(misread("服务对象满意度", "服务对象满六度", 20));
    JixiaoOutput out = MapJixiaoTables(candidates, {}, Schema());
    CHECK(facts_of(out.tables) == ReadFile(kFixtures + "/jixiao-yuan/expected.facts.csv"));
    CHECK(out.evaluations.front().indicators.size() == Evaluations(doc).front().indicators.size());
  }
  SECTION("text layer names are kept as printed") {
    REQUIRE(misread("设备验收合格率", "设备验收合格素", 100));
    JixiaoOutput out = MapJixiaoTables(candidates, {}, Schema());
    CHECK(facts_of(out.tables).find("指标:设备验收合格素") != std::string::npos);
  }
}

TEST_CASE("OCR decimal commas in amounts read as decimal points", "[jixiao][ocr]") {
  const Document& doc = Fixture("jixiao-yuan");
  std::vector<Table> candidates = doc.tables;
  for (Table& t : candidates) t.code.clear();
  int changed = 0;
  for (Cell& cell : candidates.front().grids.front().cells) {
    if (cell.text == "3108051.43") {
      cell.text = "3108051,43";
      ++changed;
    }
  }
  REQUIRE(changed > 0);
  Document mapped;
  mapped.tables = MapJixiaoTables(candidates, {}, Schema()).tables;
  CHECK(FactsCsv(mapped) == ReadFile(kFixtures + "/jixiao-yuan/expected.facts.csv"));
}
