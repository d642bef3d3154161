// 绩效自评表 on the generated fixtures (real Poppler and OpenCV): exact facts,
// the structure against schemas/jixiao.schema.json, the meaning of indicator
// values, and each rule check failing on one altered figure.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "extractors/jixiao/jixiao_mapper.h"
#include "pipeline/core/utf8.h"
#include "pipeline/run/document_pipeline.h"
#include "pipeline/write/document_writer.h"
#include "tests/test_support.h"

using namespace juesuan;
using namespace juesuan::test;

namespace {


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

bool SameBoxForTest(const Box& a, const Box& b) {
  return a.x0 == b.x0 && a.y0 == b.y0 && a.x1 == b.x1 && a.y1 == b.y1;
}

void Reprint(JixiaoFigure& figure, const std::string& text) {
  figure.printed = text;
  figure.value = Decimal::Parse(text);
}


// The layouts of the clean fixtures, one dimension each (CASE.md of each):
// ruled (yuan, wanyuan), horizontal rules only, three-line, no rules, tables
// flowing several to a page and split across pages with wrapped names, ruled
// (variety) and as text lines (textrows).
const char* const kCleanFixtures[] = {"jixiao-yuan",     "jixiao-wanyuan", "jixiao-hrules",  "jixiao-threeline",
                                      "jixiao-norules",  "jixiao-variety", "jixiao-textrows"};

// 一级/二级指标 of the generator's 三级指标 (scripts/fixturegen/jixiao.py).
const std::map<std::string, std::pair<std::string, std::string>>& Levels() {
  static const std::map<std::string, std::pair<std::string, std::string>> levels = {
      {"设备采购数量", {"产出指标", "数量指标"}},
      {"培训人次", {"产出指标", "数量指标"}},
      {"巡检次数", {"产出指标", "数量指标"}},
      {"家庭医生签约服务重点人群覆盖人数", {"产出指标", "数量指标"}},
      {"设备验收合格率", {"产出指标", "质量指标"}},
      {"系统可用率", {"产出指标", "质量指标"}},
      {"突发公共卫生事件报告及时率", {"产出指标", "质量指标"}},
      {"基本公共卫生服务项目资金拨付准确率", {"产出指标", "质量指标"}},
      {"项目完成时间", {"产出指标", "时效指标"}},
      {"运维响应及时率", {"产出指标", "时效指标"}},
      {"项目资金拨付至基层医疗卫生机构及时率", {"产出指标", "时效指标"}},
      {"项目成本控制", {"产出指标", "成本指标"}},
      {"公共服务水平提升", {"效益指标", "社会效益指标"}},
      {"群众健康知识知晓率", {"效益指标", "社会效益指标"}},
      {"城乡居民健康素养水平较上年提升幅度", {"效益指标", "社会效益指标"}},
      {"信息化管理制度建设情况", {"效益指标", "可持续影响指标"}},
      {"基层医疗卫生服务体系长效运行机制建立情况", {"效益指标", "可持续影响指标"}},
      {"服务对象满意度", {"满意度指标", "服务对象满意度指标"}},
  };
  return levels;
}

}  // namespace

TEST_CASE("Every 绩效 layout yields exactly the generator's facts, accounted for in full", "[jixiao][e2e]") {
  std::string name = GENERATE(from_range(std::begin(kCleanFixtures), std::end(kCleanFixtures)));
  DYNAMIC_SECTION(name) {
    const Document& doc = ProcessedFixture(name);
    CHECK(doc.status == DocumentStatus::kComplete);
    CHECK(doc.kind == "jixiao");
    std::string expected = ReadFile(kFixtures + "/" + name + "/expected.facts.csv");
    std::string got = FactsCsv(doc);
    INFO("missing:\n" << MissingLines(expected, got) << "unexpected:\n" << MissingLines(got, expected));
    CHECK(got == expected);
    // All rules hold in these fixtures: no rule, identity or quote fails,
    // nothing is flagged, every figure printed is a fact or structure.
    for (const Finding& f : doc.findings) FAIL_CHECK(f.kind << ": " << f.message);
    CHECK(FlagRowsOf(doc).empty());
    CHECK(doc.coverage.unmapped == 0);
    CHECK(doc.coverage.figures == doc.coverage.mapped);
    CHECK(doc.coverage.grids_identified <= doc.coverage.grids);
    // One table per project, over the pages the generator printed it on.
    nlohmann::json truth = FixtureTruth(name);
    REQUIRE(doc.evaluations.size() == truth["tables"].size());
    std::map<std::string, std::vector<int>> pages;
    for (const Table& t : doc.tables) pages[t.code] = t.pages;
    for (const nlohmann::json& t : truth["tables"]) {
      INFO(t["table"].get<std::string>());
      CHECK(pages[t["table"].get<std::string>()] == t["pages"].get<std::vector<int>>());
    }
  }
}

TEST_CASE("Every 绩效 layout yields the structure: levels, values, goals, grade", "[jixiao][e2e]") {
  std::string name = GENERATE(from_range(std::begin(kCleanFixtures), std::end(kCleanFixtures)));
  DYNAMIC_SECTION(name) {
    const Document& doc = ProcessedFixture(name);
    REQUIRE(!doc.evaluations.empty());
    for (const JixiaoEvaluation& ev : doc.evaluations) {
      INFO(ev.table);
      CHECK(ev.kind == "project");
      CHECK(ev.title == "项目支出绩效自评表");
      CHECK(ev.funds.size() == 4);
      CHECK(ev.fields.size() == 2);
      CHECK(ev.goal_expected.rfind("按计划完成" + ev.name, 0) == 0);
      CHECK(ev.goal_actual.rfind("已按计划完成" + ev.name, 0) == 0);
      CHECK(ev.goal_expected.find('\n') == std::string::npos);  // wrapped lines joined
      CHECK(!ev.grade.empty());
      REQUIRE(ev.total_score);
      for (const JixiaoIndicator& ind : ev.indicators) {
        INFO(ind.level3);
        auto level = Levels().find(ind.level3);
        REQUIRE(level != Levels().end());
        CHECK(ind.level1 == level->second.first);
        CHECK(ind.level2 == level->second.second);
        CHECK(ind.target.kind != IndicatorValueKind::kEmpty);
        CHECK(ind.actual.kind != IndicatorValueKind::kEmpty);
        CHECK((ind.deviation.empty() || ind.deviation == "部分工作进度滞后,下一步加强督导。"));
        REQUIRE((ind.weight && ind.score));
        CHECK(ind.deviation.empty() == (ind.weight->value->ToDouble() == ind.score->value->ToDouble()));
      }
    }
  }
}

TEST_CASE("Units and rates: 元 or 万元, 执行率 as a fraction or a percentage", "[jixiao]") {
  std::string name = GENERATE(from_range(std::begin(kCleanFixtures), std::end(kCleanFixtures)));
  DYNAMIC_SECTION(name) {
    nlohmann::json truth = FixtureTruth(name);
    const Document& doc = ProcessedFixture(name);
    bool percent = truth["variant"].contains("style") ? truth["variant"]["style"]["pct"].get<bool>()
                                                      : name == "jixiao-wanyuan";
    for (const JixiaoEvaluation& ev : doc.evaluations) {
      CHECK(ev.unit == truth["tables"][0]["unit"].get<std::string>());
      CHECK(ev.rate_percent == percent);
    }
  }
}

TEST_CASE("Tables flowing several to a page and split across pages stay apart and whole", "[jixiao][e2e]") {
  std::string name = GENERATE("jixiao-variety", "jixiao-textrows");
  DYNAMIC_SECTION(name) {
    const Document& doc = ProcessedFixture(name);
    std::map<int, int> tables_on_page;
    int split = 0;
    for (const Table& t : doc.tables) {
      for (int page : t.pages) ++tables_on_page[page];
      split += t.pages.size() > 1;
    }
    CHECK(split >= 1);
    int shared = 0;
    for (const auto& [page, n] : tables_on_page) shared += n > 1;
    CHECK(shared >= 1);
  }
}

TEST_CASE("The unit of a 绩效自评表 comes from its header or caption", "[jixiao]") {
  for (const JixiaoEvaluation& ev : Evaluations(ProcessedFixture("jixiao-yuan"))) CHECK(ev.unit == "元");
  for (const JixiaoEvaluation& ev : Evaluations(ProcessedFixture("jixiao-wanyuan"))) {
    CHECK(ev.unit == "万元");
    CHECK(ev.rate_percent);
  }
}

TEST_CASE("Evaluations are written under schemas/jixiao.schema.json", "[jixiao][schema]") {
  nlohmann::json json = DocumentToJson(ProcessedFixture("jixiao-wanyuan"));
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
  std::vector<JixiaoEvaluation> evaluations = Evaluations(ProcessedFixture("jixiao-yuan"));
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
  const Document& doc = ProcessedFixture("jixiao-yuan");
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
  const Document& doc = ProcessedFixture("jixiao-yuan");
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

TEST_CASE("An OCR misreading of a project name is mended by the goals that repeat it", "[jixiao][ocr]") {
  const Document& doc = ProcessedFixture("jixiao-yuan");
  std::vector<Table> candidates = doc.tables;
  for (Table& t : candidates) t.code.clear();
  // The name cell of the first table misread (卫 as 五), every cell read by OCR.
  int renamed = 0;
  for (TableGrid& grid : candidates.front().grids) {
    for (Cell& cell : grid.cells) {
      cell.source = TextSource::kOcr;
      if (cell.text == "公共卫生应急物资储备") {
        cell.text = "公共五生应急物资储备";
        cell.confidence = 90;
        ++renamed;
      }
    }
  }
  REQUIRE(renamed == 1);
  auto facts_of = [](const std::vector<Table>& tables) {
    Document mapped;
    mapped.tables = tables;
    return FactsCsv(mapped);
  };
  SECTION("the goals print the name twice as read: the name follows them") {
    JixiaoOutput out = MapJixiaoTables(candidates, {}, Schema());
    CHECK(out.tables.front().code == "绩效自评表:公共卫生应急物资储备");
    CHECK(facts_of(out.tables) == ReadFile(kFixtures + "/jixiao-yuan/expected.facts.csv"));
  }
  SECTION("a name the rest of the table does not repeat is kept as read") {
    for (TableGrid& grid : candidates.front().grids) {
      for (Cell& cell : grid.cells) {
        const std::string name = "公共卫生应急物资储备";
        for (size_t at; (at = cell.text.find(name)) != std::string::npos && cell.text != "公共五生应急物资储备";) {
          cell.text.replace(at, name.size(), "本项目");
        }
      }
    }
    JixiaoOutput out = MapJixiaoTables(candidates, {}, Schema());
    CHECK(out.tables.front().code == "绩效自评表:公共五生应急物资储备");
  }
}

TEST_CASE("OCR decimal commas in amounts read as decimal points", "[jixiao][ocr]") {
  const Document& doc = ProcessedFixture("jixiao-yuan");
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

// ---- Accounting: no figure is dropped without a word ----

TEST_CASE("Figures without a key are unmapped findings with their place; the document is partial",
          "[jixiao][accounting][e2e]") {
  // The second indicator of the first table prints no 三级指标 name.
  const Document& doc = ProcessedFixture("jixiao-noname");
  CHECK(doc.status == DocumentStatus::kPartial);
  std::string expected = ReadFile(kFixtures + "/jixiao-noname/expected.facts.csv");
  CHECK(FactsCsv(doc) == expected);
  // The lost 分值 and 得分 are what the table's sums miss.
  nlohmann::json truth = FixtureTruth("jixiao-noname");
  const std::string table = truth["tables"][0]["table"];
  double weight = 0, score = 0;
  for (const nlohmann::json& f : truth["facts"]) {
    if (f["table"] != table) continue;
    double v = std::stod(f["value"].get<std::string>());
    double sign = f["row"] == "总分" ? 1 : -1;
    if (f["col"] == "分值" && (f["row"] == "总分" || f["row"] == "年度资金总额" ||
                               f["row"].get<std::string>().rfind("指标:", 0) == 0)) {
      weight += sign * v;
    }
    if (f["col"] == "得分" && (f["row"] == "总分" || f["row"] == "年度资金总额" ||
                               f["row"].get<std::string>().rfind("指标:", 0) == 0)) {
      score += sign * v;
    }
  }
  std::vector<double> lost;
  for (const Finding& f : doc.findings) {
    if (f.kind != "unmapped") continue;
    INFO(f.message);
    REQUIRE(f.place);
    CHECK(f.place->page == truth["tables"][0]["pages"][0].get<int>());
    CHECK(f.place->box.width() > 0);
    CHECK(f.message.find("三级指标") != std::string::npos);
    lost.push_back(std::stod(f.place->text));
  }
  std::sort(lost.begin(), lost.end());
  CHECK(lost == std::vector<double>{std::min(weight, score), std::max(weight, score)});
  CHECK(doc.coverage.unmapped == 2);
  CHECK(doc.coverage.figures == doc.coverage.mapped + 2);
  // The table's sums may miss the lost figures: uncertain, never a flag
  // against the publisher.
  CHECK(FlagRowsOf(doc).empty());
  int uncertain = 0;
  for (const Finding& f : doc.findings) uncertain += f.kind == "uncertain" && f.identity.rfind("jx.total", 0) == 0;
  CHECK(uncertain == 2);
}

namespace {

Cell* CellWithText(Table& table, const std::string& text) {
  for (TableGrid& grid : table.grids) {
    for (Cell& cell : grid.cells) {
      if (cell.text == text) return &cell;
    }
  }
  return nullptr;
}

std::vector<const Finding*> UnmappedOf(const JixiaoOutput& out) {
  std::vector<const Finding*> found;
  for (const Finding& f : out.findings) {
    if (f.kind == "unmapped") found.push_back(&f);
  }
  return found;
}

}  // namespace

TEST_CASE("A figure printed where no key reaches is reported, never dropped", "[jixiao][accounting]") {
  const Document& doc = ProcessedFixture("jixiao-yuan");
  std::vector<Table> candidates = doc.tables;
  for (Table& t : candidates) t.code.clear();
  auto facts_of = [](const JixiaoOutput& out) {
    Document mapped;
    mapped.tables = out.tables;
    return FactsCsv(mapped);
  };
  const std::string expected = ReadFile(kFixtures + "/jixiao-yuan/expected.facts.csv");
  {
    JixiaoOutput clean = MapJixiaoTables(candidates, {}, Schema());
    CHECK(facts_of(clean) == expected);
    CHECK(UnmappedOf(clean).empty());
    for (const Coverage& c : clean.coverage) CHECK(c.figures == c.mapped);
  }
  SECTION("in the 偏差原因 column") {
    TableGrid& grid = candidates.front().grids.front();
    int deviation_col = -1, header_row = -1;
    for (const Cell& cell : grid.cells) {
      if (cell.text.find("偏差原因") != std::string::npos) {
        deviation_col = cell.col;
        header_row = cell.row;
      }
    }
    REQUIRE(deviation_col >= 0);
    Cell* blank = nullptr;
    for (Cell& cell : grid.cells) {
      if (cell.col == deviation_col && cell.row > header_row && cell.text.empty() && !blank) blank = &cell;
    }
    REQUIRE(blank);
    blank->text = "12.5";
    JixiaoOutput out = MapJixiaoTables(candidates, {}, Schema());
    CHECK(facts_of(out) == expected);
    std::vector<const Finding*> unmapped = UnmappedOf(out);
    REQUIRE(unmapped.size() == 1);
    REQUIRE(unmapped[0]->place);
    CHECK(unmapped[0]->place->text == "12.5");
    CHECK(unmapped[0]->place->page == grid.page);
    CHECK(SameBoxForTest(unmapped[0]->place->box, blank->box));
    CHECK(out.coverage.front().unmapped == 1);
    CHECK(out.coverage.front().figures == out.coverage.front().mapped + 1);
  }
  SECTION("in place of a funds row label") {
    Cell* label = CellWithText(candidates.front(), "上年结转资金");
    REQUIRE(label);
    label->text = "3.00";
    JixiaoOutput out = MapJixiaoTables(candidates, {}, Schema());
    // The row is still read (rows keep their order); the stray is reported.
    CHECK(facts_of(out) == expected);
    std::vector<const Finding*> unmapped = UnmappedOf(out);
    REQUIRE(unmapped.size() == 1);
    CHECK(unmapped[0]->place->text == "3.00");
  }
}

// ---- Layouts the generator does not draw: a table printed without rules,
// built from positioned text runs as the text layer gives them ----

namespace {

// A run of 8 pt text centred at (cx, cy): CJK 8 pt wide, ASCII 4.4 pt.
struct Printed {
  double cx, cy;
  std::string text;
};

TextLine RunOf(int page, const Printed& p) {
  double width = 0;
  for (char32_t c : DecodeUtf8(p.text)) width += c < 0x80 ? 4.4 : 8.0;
  return TextLine{page, Box{p.cx - width / 2, p.cy - 4, p.cx + width / 2, p.cy + 4}, p.text};
}

// The page as the pipeline gives it: the grid a detector reports around the
// table (no rule, one cell), the runs of the page and the lines around the
// grid.
PageLayout PageOf(int page, const std::vector<Printed>& table, const std::vector<Printed>& around) {
  PageLayout layout;
  layout.page = page;
  layout.width = 595;
  layout.height = 842;
  TableGrid grid;
  grid.page = page;
  grid.ruling = Ruling::kNone;
  bool first = true;
  for (const Printed& p : table) {
    TextLine run = RunOf(page, p);
    grid.box = first ? run.box : grid.box.Union(run.box);
    first = false;
    layout.runs.push_back(run);
  }
  grid.box = Box{grid.box.x0 - 2, grid.box.y0 - 2, grid.box.x1 + 2, grid.box.y1 + 2};
  grid.row_edges = {grid.box.y0, grid.box.y1};
  grid.col_edges = {grid.box.x0, grid.box.x1};
  Cell cell;
  cell.box = grid.box;
  grid.cells.push_back(cell);
  layout.grids.push_back(grid);
  for (const Printed& p : around) {
    layout.lines.push_back(RunOf(page, p));
    layout.runs.push_back(RunOf(page, p));
  }
  return layout;
}

std::vector<Table> CandidatesOf(const std::vector<PageLayout>& pages) {
  std::vector<Table> out;
  for (const PageLayout& page : pages) {
    Table t;
    t.grids = page.grids;
    t.pages = {page.page};
    out.push_back(t);
  }
  return out;
}

// Funds columns at x 170 … 440, indicator columns at 70 … 495.
std::vector<Printed> HeadAndFunds() {
  return {
      {100, 100, "项目名称"}, {300, 95, "基层医疗卫生机构信息化"}, {300, 105, "建设"},  // name over two lines
      {80, 122, "主管部门"}, {170, 122, "青石市卫生健康局"}, {280, 122, "实施单位"}, {400, 122, "青石市疾病预防控制中心"},
      {170, 142, "年初预算数"}, {230, 142, "全年预算数"}, {290, 142, "全年执行数"}, {345, 142, "分值"},
      {390, 138, "执行率"}, {390, 146, "(%)"}, {440, 142, "得分"},  // 执行率 over two lines
      {45, 187, "项目资金"}, {45, 195, "(元)"},
      {100, 162, "年度资金总额"}, {170, 162, "100000.00"}, {230, 162, "100000.00"}, {290, 162, "95000.00"},
      {345, 162, "10"}, {390, 162, "95.00"}, {440, 162, "9.50"},
      {100, 174, "其中:当年财政"}, {100, 182, "拨款"}, {170, 178, "100000.00"}, {230, 178, "100000.00"},
      {290, 178, "95000.00"}, {345, 178, "-"}, {390, 178, "95.00"}, {440, 178, "-"},
      {100, 196, "上年结转资金"}, {170, 196, "0.00"}, {230, 196, "0.00"}, {290, 196, "0.00"}, {345, 196, "-"},
      {390, 196, "0.00"}, {440, 196, "-"},
      {100, 212, "其他资金"}, {170, 212, "0.00"}, {230, 212, "0.00"}, {290, 212, "0.00"}, {345, 212, "-"},
      {390, 212, "0.00"}, {440, 212, "-"},
      {70, 234, "年度总体目标"}, {200, 234, "预期目标"}, {400, 234, "实际完成情况"},
      {200, 250, "按计划完成项目建设"}, {400, 250, "已完成项目建设"},
  };
}

std::vector<Printed> IndicatorHeader(double y) {
  return {{70, y, "一级指标"},   {130, y, "二级指标"}, {205, y, "三级指标"}, {275, y, "年度指标值"},
          {335, y, "实际完成值"}, {385, y, "分值"},     {430, y, "得分"},     {495, y - 4, "偏差原因分析"},
          {495, y + 4, "及改进措施"}};
}

// Labels, names and reasons at the top of their rows, wrapped below.
std::vector<Printed> FirstRow(double y) {
  return {{70, y, "产出指标"}, {130, y, "数量指标"}, {205, y, "家庭医生签约服务"}, {205, y + 9, "重点人群覆盖人数"},
          {275, y, "≥5000人"}, {335, y, "5236人"},   {385, y, "20"},             {430, y, "20.00"}};
}

std::vector<Printed> OtherRows(double y) {
  std::vector<Printed> rows = {
      {130, y, "质量指标"},            {205, y, "设备验收合格率"}, {275, y, "≥95%"},   {335, y, "93%"},
      {385, y, "20"},                  {430, y, "18.00"},         {495, y, "部分设备"}, {495, y + 9, "返修"},
      {70, y + 26, "满意度指标"},      {130, y + 26, "服务对象满意度"}, {130, y + 35, "指标"},
      {205, y + 26, "服务对象满意度"}, {275, y + 26, "≥90%"},     {335, y + 26, "96%"}, {385, y + 26, "50"},
      {430, y + 26, "48.00"},          {205, y + 54, "总分"},     {385, y + 54, "100"}, {430, y + 54, "95.50"},
      {70, y + 74, "评分等级"},        {205, y + 74, "优"},
  };
  return rows;
}

const char* const kSyntheticFacts =
    "table,row,col,value\n"
    "绩效自评表:基层医疗卫生机构信息化建设,上年结转资金,全年执行数,0.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,上年结转资金,全年预算数,0.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,上年结转资金,年初预算数,0.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,上年结转资金,执行率,0.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,其他资金,全年执行数,0.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,其他资金,全年预算数,0.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,其他资金,年初预算数,0.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,其他资金,执行率,0.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,年度资金总额,全年执行数,95000.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,年度资金总额,全年预算数,100000.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,年度资金总额,分值,10\n"
    "绩效自评表:基层医疗卫生机构信息化建设,年度资金总额,年初预算数,100000.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,年度资金总额,得分,9.50\n"
    "绩效自评表:基层医疗卫生机构信息化建设,年度资金总额,执行率,95.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,当年财政拨款,全年执行数,95000.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,当年财政拨款,全年预算数,100000.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,当年财政拨款,年初预算数,100000.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,当年财政拨款,执行率,95.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,总分,分值,100\n"
    "绩效自评表:基层医疗卫生机构信息化建设,总分,得分,95.50\n"
    "绩效自评表:基层医疗卫生机构信息化建设,指标:家庭医生签约服务重点人群覆盖人数,分值,20\n"
    "绩效自评表:基层医疗卫生机构信息化建设,指标:家庭医生签约服务重点人群覆盖人数,得分,20.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,指标:服务对象满意度,分值,50\n"
    "绩效自评表:基层医疗卫生机构信息化建设,指标:服务对象满意度,得分,48.00\n"
    "绩效自评表:基层医疗卫生机构信息化建设,指标:设备验收合格率,分值,20\n"
    "绩效自评表:基层医疗卫生机构信息化建设,指标:设备验收合格率,得分,18.00\n";

void CheckSynthetic(const JixiaoOutput& out, const std::vector<int>& pages) {
  Document mapped;
  mapped.tables = out.tables;
  std::string got = FactsCsv(mapped);
  INFO("missing:\n" << MissingLines(kSyntheticFacts, got) << "unexpected:\n" << MissingLines(got, kSyntheticFacts));
  CHECK(got == kSyntheticFacts);
  REQUIRE(out.evaluations.size() == 1);
  const JixiaoEvaluation& ev = out.evaluations.front();
  CHECK(ev.title == "项目支出绩效自评表");
  CHECK(ev.unit == "元");
  CHECK(ev.rate_percent);
  CHECK(ev.pages == pages);
  CHECK(ev.fields == std::vector<std::pair<std::string, std::string>>{{"主管部门", "青石市卫生健康局"},
                                                                      {"实施单位", "青石市疾病预防控制中心"}});
  CHECK(ev.goal_expected == "按计划完成项目建设");
  CHECK(ev.goal_actual == "已完成项目建设");
  CHECK(ev.grade == "优");
  REQUIRE(ev.indicators.size() == 3);
  CHECK(ev.indicators[0].level1 == "产出指标");
  CHECK(ev.indicators[0].level2 == "数量指标");
  CHECK(ev.indicators[0].target.number->ToString() == "5000");
  CHECK(ev.indicators[1].level1 == "产出指标");
  CHECK(ev.indicators[1].level2 == "质量指标");
  CHECK(ev.indicators[1].deviation == "部分设备返修");
  CHECK(ev.indicators[2].level1 == "满意度指标");
  CHECK(ev.indicators[2].level2 == "服务对象满意度指标");
  CHECK(CheckJixiao(ev, Schema()).empty());
  REQUIRE(out.coverage.size() == 1);
  CHECK(out.coverage[0].unmapped == 0);
  CHECK(out.coverage[0].figures == out.coverage[0].mapped);
}

}  // namespace

TEST_CASE("A table without rules, top-aligned and wrapped, reads by its layout", "[jixiao][layout]") {
  const std::vector<Printed> caption = {{300, 60, "项目支出绩效自评表"}, {500, 80, "单位:元"}};
  std::vector<Printed> table = HeadAndFunds();
  for (const std::vector<Printed>& part : {IndicatorHeader(274), FirstRow(294), OtherRows(320)}) {
    table.insert(table.end(), part.begin(), part.end());
  }
  SECTION("on one page") {
    std::vector<PageLayout> pages = {PageOf(3, table, caption)};
    CheckSynthetic(MapJixiaoTables(CandidatesOf(pages), pages, Schema()), {3});
  }
  SECTION("with a figure where no key reaches") {
    table.push_back({495, 294, "7"});
    std::vector<PageLayout> pages = {PageOf(3, table, caption)};
    JixiaoOutput out = MapJixiaoTables(CandidatesOf(pages), pages, Schema());
    std::vector<const Finding*> unmapped = UnmappedOf(out);
    REQUIRE(unmapped.size() == 1);
    CHECK(unmapped[0]->place->text == "7");
    CHECK(out.coverage[0].unmapped == 1);
  }
}

TEST_CASE("A table without rules split across pages reads as one", "[jixiao][layout]") {
  const std::vector<Printed> caption = {{300, 60, "项目支出绩效自评表"}, {500, 80, "单位:元"}};
  std::vector<Printed> first = HeadAndFunds();
  for (const std::vector<Printed>& part : {IndicatorHeader(274), FirstRow(294)}) {
    first.insert(first.end(), part.begin(), part.end());
  }
  SECTION("continued with its rows alone") {
    std::vector<PageLayout> pages = {PageOf(3, first, caption), PageOf(4, OtherRows(60), {})};
    CheckSynthetic(MapJixiaoTables(CandidatesOf(pages), pages, Schema()), {3, 4});
  }
  SECTION("continued under a repeated header") {
    std::vector<Printed> second = IndicatorHeader(60);
    std::vector<Printed> rows = OtherRows(84);
    second.insert(second.end(), rows.begin(), rows.end());
    std::vector<PageLayout> pages = {PageOf(3, first, caption), PageOf(4, second, {})};
    CheckSynthetic(MapJixiaoTables(CandidatesOf(pages), pages, Schema()), {3, 4});
  }
}

namespace {

// A fully ruled grid: columns and rows of the given sizes from (50, 100),
// cells (row, col, rows, cols, text).
struct Slot {
  int row, col, rows, cols;
  std::string text;
};

TableGrid RuledGrid(int page, const std::vector<double>& widths, const std::vector<double>& heights,
                    const std::vector<Slot>& slots) {
  TableGrid grid;
  grid.page = page;
  grid.ruling = Ruling::kFull;
  grid.col_edges = {50};
  for (double w : widths) grid.col_edges.push_back(grid.col_edges.back() + w);
  grid.row_edges = {100};
  for (double h : heights) grid.row_edges.push_back(grid.row_edges.back() + h);
  grid.box = Box{grid.col_edges.front(), grid.row_edges.front(), grid.col_edges.back(), grid.row_edges.back()};
  std::vector<std::vector<bool>> taken(heights.size(), std::vector<bool>(widths.size(), false));
  auto add = [&](int row, int col, int rows, int cols, const std::string& text) {
    Cell cell;
    cell.row = row;
    cell.col = col;
    cell.row_span = rows;
    cell.col_span = cols;
    cell.box = Box{grid.col_edges[col], grid.row_edges[row], grid.col_edges[col + cols], grid.row_edges[row + rows]};
    cell.text = cell.raw_text = text;
    grid.cells.push_back(cell);
    for (int r = row; r < row + rows; ++r) {
      for (int c = col; c < col + cols; ++c) taken[r][c] = true;
    }
  };
  for (const Slot& s : slots) add(s.row, s.col, s.rows, s.cols, s.text);
  for (size_t r = 0; r < heights.size(); ++r) {
    for (size_t c = 0; c < widths.size(); ++c) {
      if (!taken[r][c]) add(static_cast<int>(r), static_cast<int>(c), 1, 1, "");
    }
  }
  return grid;
}

}  // namespace

TEST_CASE("A ruled table with merged cells and a header over two rows", "[jixiao][layout]") {
  const std::vector<Slot> slots = {
      {0, 0, 1, 2, "项目名称"}, {0, 2, 1, 6, "基层医疗卫生机构信息化建设"},
      {1, 0, 1, 2, "主管部门"}, {1, 2, 1, 2, "青石市卫生健康局"}, {1, 4, 1, 1, "实施单位"}, {1, 5, 1, 3, "青石市疾病预防控制中心"},
      {2, 0, 5, 1, "项目资金(元)"}, {2, 2, 1, 1, "年初预算数"}, {2, 3, 1, 1, "全年预算数"}, {2, 4, 1, 1, "全年执行数"},
      {2, 5, 1, 1, "分值"}, {2, 6, 1, 1, "执行率(%)"}, {2, 7, 1, 1, "得分"},
      {3, 1, 1, 1, "年度资金总额"}, {3, 2, 1, 1, "100000.00"}, {3, 3, 1, 1, "100000.00"}, {3, 4, 1, 1, "95000.00"},
      {3, 5, 1, 1, "10"}, {3, 6, 1, 1, "95.00"}, {3, 7, 1, 1, "9.50"},
      {4, 1, 1, 1, "其中:当年财政拨款"}, {4, 2, 1, 1, "100000.00"}, {4, 3, 1, 1, "100000.00"}, {4, 4, 1, 1, "95000.00"},
      {4, 5, 1, 1, "-"}, {4, 6, 1, 1, "95.00"}, {4, 7, 1, 1, "-"},
      {5, 1, 1, 1, "上年结转资金"}, {5, 2, 1, 1, "0.00"}, {5, 3, 1, 1, "0.00"}, {5, 4, 1, 1, "0.00"},
      {5, 5, 1, 1, "-"}, {5, 6, 1, 1, "0.00"}, {5, 7, 1, 1, "-"},
      {6, 1, 1, 1, "其他资金"}, {6, 2, 1, 1, "0.00"}, {6, 3, 1, 1, "0.00"}, {6, 4, 1, 1, "0.00"},
      {6, 5, 1, 1, "-"}, {6, 6, 1, 1, "0.00"}, {6, 7, 1, 1, "-"},
      {7, 0, 2, 1, "年度总体目标"}, {7, 1, 1, 3, "预期目标"}, {7, 4, 1, 4, "实际完成情况"},
      {8, 1, 1, 3, "按计划完成项目建设"}, {8, 4, 1, 4, "已完成项目建设"},
      // 绩效指标 over 一级/二级/三级; the other headers merged over both rows.
      {9, 0, 1, 3, "绩效指标"}, {9, 3, 2, 1, "年度指标值"}, {9, 4, 2, 1, "实际完成值"}, {9, 5, 2, 1, "分值"},
      {9, 6, 2, 1, "得分"}, {9, 7, 2, 1, "偏差原因分析及改进措施"},
      {10, 0, 1, 1, "一级指标"}, {10, 1, 1, 1, "二级指标"}, {10, 2, 1, 1, "三级指标"},
      {11, 0, 2, 1, "产出指标"}, {11, 1, 1, 1, "数量指标"}, {11, 2, 1, 1, "家庭医生签约服务重点人群覆盖人数"},
      {11, 3, 1, 1, "≥5000人"}, {11, 4, 1, 1, "5236人"}, {11, 5, 1, 1, "20"}, {11, 6, 1, 1, "20.00"},
      {12, 1, 1, 1, "质量指标"}, {12, 2, 1, 1, "设备验收合格率"}, {12, 3, 1, 1, "≥95%"}, {12, 4, 1, 1, "93%"},
      {12, 5, 1, 1, "20"}, {12, 6, 1, 1, "18.00"}, {12, 7, 1, 1, "部分设备返修"},
      {13, 0, 1, 1, "满意度指标"}, {13, 1, 1, 1, "服务对象满意度指标"}, {13, 2, 1, 1, "服务对象满意度"},
      {13, 3, 1, 1, "≥90%"}, {13, 4, 1, 1, "96%"}, {13, 5, 1, 1, "50"}, {13, 6, 1, 1, "48.00"},
      {14, 0, 1, 5, "总分"}, {14, 5, 1, 1, "100"}, {14, 6, 1, 1, "95.50"},
      {15, 0, 1, 2, "评分等级"}, {15, 2, 1, 6, "优"},
  };
  std::vector<double> heights(16, 20);
  heights[11] = 30;
  PageLayout page;
  page.page = 3;
  page.grids = {RuledGrid(3, {60, 60, 90, 60, 60, 40, 45, 80}, heights, slots)};
  page.lines = {RunOf(3, {300, 60, "项目支出绩效自评表"}), RunOf(3, {500, 85, "单位:元"})};
  std::vector<PageLayout> pages = {page};
  CheckSynthetic(MapJixiaoTables(CandidatesOf(pages), pages, Schema()), {3});
}

TEST_CASE("A funds row the template does not have is reported, not keyed by its position", "[jixiao][accounting]") {
  const std::vector<Printed> caption = {{300, 60, "项目支出绩效自评表"}, {500, 80, "单位:元"}};
  std::vector<Printed> table = HeadAndFunds();
  for (Printed& p : table) {
    if (p.text == "其他资金") p.text = "专项债券资金";
  }
  for (const std::vector<Printed>& part : {IndicatorHeader(274), FirstRow(294), OtherRows(320)}) {
    table.insert(table.end(), part.begin(), part.end());
  }
  std::vector<PageLayout> pages = {PageOf(3, table, caption)};
  JixiaoOutput out = MapJixiaoTables(CandidatesOf(pages), pages, Schema());
  Document mapped;
  mapped.tables = out.tables;
  CHECK(FactsCsv(mapped).find(",其他资金,") == std::string::npos);
  std::vector<const Finding*> unmapped = UnmappedOf(out);
  CHECK(unmapped.size() == 4);  // its three amounts and its rate
  for (const Finding* f : unmapped) CHECK(f->message.find("专项债券资金") != std::string::npos);
  CHECK(out.coverage[0].unmapped == 4);
}
