// End to end on the project's own fixtures: real Poppler, OpenCV and the
// schema-driven mapping, compared with the facts the generator knows.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <set>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "extractors/tables/table_mapper.h"
#include "pipeline/run/document_pipeline.h"
#include "pipeline/write/document_writer.h"
#include "tests/test_support.h"

using namespace juesuan;
using namespace juesuan::test;

namespace {


}  // namespace

TEST_CASE("Born-digital fixtures yield exactly the generator's facts", "[extract][e2e]") {
  std::string name = GENERATE("digital-basic", "digital-landscape", "digital-split", "digital-hrules",
                              "digital-errors");
  DYNAMIC_SECTION(name) {
    Document doc = SharedPipeline().Process(kFixtures + "/" + name + "/input.pdf");
    CHECK(doc.status == DocumentStatus::kComplete);
    CHECK(doc.kind == "juesuan");
    std::string expected = ReadFile(kFixtures + "/" + name + "/expected.facts.csv");
    std::string got = FactsCsv(doc);
    INFO("missing:\n" << MissingLines(expected, got) << "unexpected:\n" << MissingLines(got, expected));
    CHECK(got == expected);
    int identified = 0;
    for (const Table& t : doc.tables) identified += !t.code.empty();
    CHECK(identified == 9);
  }
}

TEST_CASE("The document JSON validates against schemas/document.schema.json", "[extract][schema]") {
  Document doc = SharedPipeline().Process(kFixtures + "/digital-split/input.pdf");
  nlohmann::json json = DocumentToJson(doc);
  std::vector<std::string> errors = ValidateAgainstSchema(json, "document.schema.json");
  INFO((errors.empty() ? std::string() : errors.front()));
  CHECK(errors.empty());
  // The schema is not vacuous: a fact without a value fails it.
  nlohmann::json broken = json;
  broken["tables"][0]["facts"][0].erase("value");
  CHECK_FALSE(ValidateAgainstSchema(broken, "document.schema.json").empty());
}

TEST_CASE("Tables are identified by title, code or numbered caption", "[extract][mapper]") {
  auto schema = LoadTableSchema(kSchemas);
  REQUIRE(schema.ok());
  auto [caption, code] = GENERATE(table<std::string, std::string>({
      {"收入支出决算总表\n部门：某局 公开01表 单位：万元", "公开01表"},
      {"2021年度财政拨款收入支出决算总表（表4）", "公开04表"},
      {"一般公共预算财政拨款基本支出决算明细表（续）", "公开06表"},
      {"一般公共预算财政拨款支出决算表", "公开05表"},
      {"财政拨款“三公”经费支出决算表", "公开07表"},
      {"国有资本经营预算财政拨款收入支出决算表", "公开09表"},
      {"部门：某局 公开02表 单位：万元", "公开02表"},
      {"收⼊决算表", "公开02表"},
      {"项目支出绩效自评表", ""},
  }));
  const TableDef* def = IdentifyCaption(caption, schema.value());
  CHECK((def ? def->id : std::string()) == code);
}

TEST_CASE("Ordinals are stripped from item labels", "[extract][mapper]") {
  CHECK(StripOrdinal("二十六、抗疫特别国债安排的支出") == "抗疫特别国债安排的支出");
  CHECK(StripOrdinal("（一）一般公共预算财政拨款") == "一般公共预算财政拨款");
  CHECK(StripOrdinal("1.上级补助收入") == "上级补助收入");
  CHECK(StripOrdinal("本年收入合计") == "本年收入合计");
  CHECK(StripOrdinal(" 其中：事业收入") == "事业收入");
}

TEST_CASE("Item labels find their row key", "[extract][mapper]") {
  const std::vector<RowDef> rows = {{"社会保障和就业支出", {}}, {"其他收入", {}}, {"上级补助收入", {"上级补助"}}};
  CHECK(CanonicalRow("八、社会保障和就业支出", rows) == "社会保障和就业支出");
  CHECK(CanonicalRow("上级补助", rows) == "上级补助收入");
  CHECK(CanonicalRow("社会保障和", rows) == "社会保障和就业支出");  // wrapped
  CHECK(CanonicalRow("/狼社会保障和就业支出", rows) == "社会保障和就业支出");  // OCR'd ordinal
  CHECK(CanonicalRow("狼其他收入", rows) == "其他收入");
  CHECK(CanonicalRow("附属单位上缴其他收入", rows) == "附属单位上缴其他收入");  // not two stray characters
  CHECK(CanonicalRow("社会保障和就业文出", rows) == "社会保障和就业支出");  // one glyph misread
  CHECK(CanonicalRow("其他支入", rows) == "其他收入");
  CHECK(CanonicalRow("其他", rows) == "其他");  // too short to guess
}

// A grid from cell texts: {row, col, row_span, col_span, text}, 20pt cells.
TableGrid GridOf(int n_rows, int n_cols, const std::vector<std::tuple<int, int, int, int, std::string>>& cells) {
  TableGrid grid;
  grid.page = 1;
  for (int r = 0; r <= n_rows; ++r) grid.row_edges.push_back(100 + 20.0 * r);
  for (int c = 0; c <= n_cols; ++c) grid.col_edges.push_back(50 + 80.0 * c);
  grid.box = Box{grid.col_edges.front(), grid.row_edges.front(), grid.col_edges.back(), grid.row_edges.back()};
  for (const auto& [r, c, rs, cs, text] : cells) {
    Cell cell;
    cell.row = r;
    cell.col = c;
    cell.row_span = rs;
    cell.col_span = cs;
    cell.text = text;
    cell.box = Box{grid.col_edges[c], grid.row_edges[r], grid.col_edges[c + cs], grid.row_edges[r + rs]};
    grid.cells.push_back(cell);
  }
  return grid;
}

TEST_CASE("A 栏次 row merged with header words still names the columns", "[extract][mapper]") {
  // Ruled only horizontally, read by OCR: "科目名称" and "栏次" are one cell,
  // and each column's number sits in its header cell.
  auto schema = LoadTableSchema(kSchemas);
  REQUIRE(schema.ok());
  PageLayout page;
  page.page = 1;
  page.width = 842;
  page.height = 595;
  page.lines.push_back(TextLine{1, Box{300, 60, 500, 75}, "收入决算表"});
  page.lines.push_back(TextLine{1, Box{600, 80, 780, 92}, "公开02表 单位：万元"});
  page.grids.push_back(GridOf(4, 4, {{0, 0, 1, 2, "项目"},
                                     {0, 2, 2, 1, "本年收入合计1"},
                                     {0, 3, 2, 1, "财政拨款收入2"},
                                     {1, 0, 1, 1, "功能分类科目编码"},
                                     {1, 1, 1, 1, "科目名称栏次"},
                                     {2, 0, 1, 1, ""},
                                     {2, 1, 1, 1, "合计"},
                                     {2, 2, 1, 1, "30.00"},
                                     {2, 3, 1, 1, "30.00"},
                                     {3, 0, 1, 1, "201"},
                                     {3, 1, 1, 1, "一般公共服务支出"},
                                     {3, 2, 1, 1, "30.00"},
                                     {3, 3, 1, 1, "30.00"}}));
  MapperOutput out = MapTables({page}, schema.value());
  REQUIRE(out.tables.size() == 1);
  CHECK(out.tables[0].code == "公开02表");
  std::set<std::string> keys;
  for (const Fact& f : out.tables[0].facts) keys.insert(f.row + "/" + f.col + "=" + f.value.ToString());
  CHECK(keys == std::set<std::string>{"合计/1=30.00", "合计/2=30.00", "201/1=30.00", "201/2=30.00"});
}

TEST_CASE("Bad inputs fail alone with a one-line reason", "[extract][bad]") {
  auto [name, prefix] = GENERATE(table<std::string, std::string>({
      {"encrypted.pdf", "encrypted: "},
      {"corrupt.pdf", "unreadable: "},
      {"empty.pdf", "empty: "},
      {"not-a-pdf.pdf", "unreadable: "},
      {"not-fiscal.pdf", "not_fiscal: "},
  }));
  std::string path = kFixtures + "/bad/" + name;
  Document doc = SharedPipeline().Process(path);
  CHECK(doc.status == DocumentStatus::kFailed);
  CHECK(doc.error.rfind(prefix + path + ": ", 0) == 0);
  CHECK(doc.error.find('\n') == std::string::npos);
  CHECK(doc.tables.empty());
}

#ifdef JUESUAN_BINARY
TEST_CASE("The CLI processes the good files of a mixed batch and reports the bad ones", "[extract][cli]") {
  namespace fs = std::filesystem;
  fs::path out = fs::temp_directory_path() / "juesuan_cli_test";
  fs::remove_all(out);
  std::string command = std::string(JUESUAN_BINARY) + " extract " + kFixtures + "/bad/corrupt.pdf " +
                        kFixtures + "/digital-basic/input.pdf " + kFixtures + "/bad/encrypted.pdf --out " +
                        out.string() + " 2>" + (out.string() + ".err") + " >/dev/null";
  int status = std::system(command.c_str());
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(ReadFile((out / "input.facts.csv").string()) ==
        ReadFile(kFixtures + "/digital-basic/expected.facts.csv"));
  std::string err = ReadFile(out.string() + ".err");
  CHECK(err.find("corrupt.pdf: corrupt PDF") != std::string::npos);
  CHECK(err.find("encrypted.pdf: encrypted PDF") != std::string::npos);
  auto failed = nlohmann::json::parse(ReadFile((out / "corrupt.json").string()));
  CHECK(failed["status"] == "failed");
  CHECK_FALSE(fs::exists(out / "corrupt.facts.csv"));
  CHECK(std::system((std::string(JUESUAN_BINARY) + " --help >/dev/null").c_str()) == 0);
  CHECK(WEXITSTATUS(std::system((std::string(JUESUAN_BINARY) + " extract 2>/dev/null").c_str())) == 2);
}
#endif
