// Labels, one unit and wide tables for readers of the data
// (pipeline/label/fact_labels.h, Store::ExportFacts): on the fixtures read by
// the whole pipeline, through the store and its export.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/label/fact_labels.h"
#include "pipeline/store/store.h"
#include "pipeline/write/document_writer.h"
#include "tests/test_support.h"

using namespace juesuan;
using namespace juesuan::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const LabelCatalogue& Catalogue() {
  static const LabelCatalogue catalogue = [] {
    auto loaded = LabelCatalogue::Load(kSchemas);
    REQUIRE(loaded.ok());
    return loaded.value();
  }();
  return catalogue;
}

Decimal Dec(const std::string& text) {
  auto d = Decimal::Parse(text);
  REQUIRE(d.has_value());
  return *d;
}

// A fresh store holding the fixtures `names`, read by the pipeline.
std::unique_ptr<Store> StoreOf(const std::string& tag, const std::vector<std::string>& names) {
  fs::path dir = fs::temp_directory_path() / ("juesuan-labels-test-" + tag + "-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto store = Store::Open((dir / "store.sqlite").string());
  REQUIRE(store.ok());
  int n = 0;
  for (const std::string& name : names) {
    json j = DocumentToJson(ProcessedFixture(name));
    std::string sha(64, 'a');
    sha.back() = static_cast<char>('0' + n++);
    j["sha256"] = sha;
    REQUIRE(store.value()->PutDocument(j, json::array(), {name}, RunInfo{"test", 0, 0}).ok());
  }
  return std::move(store.value());
}

std::string Export(Store& store, const ExportOptions& options) {
  std::ostringstream out;
  auto done = store.ExportFacts(options, out);
  INFO((done ? std::string() : done.error().message));
  REQUIRE(done.ok());
  return out.str();
}

// RFC 4180 lines of a CSV without line breaks inside fields.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') fields.back() += '"', ++i;
      else if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) fields.emplace_back();
      else fields.back() += c;
    }
    rows.push_back(fields);
  }
  return rows;
}

}  // namespace

TEST_CASE("value_yuan moves the point of a 万元 figure four places, exactly", "[labels]") {
  CHECK(ValueInYuan(Dec("413.09"), "万元")->ToString() == "4130900");
  CHECK(ValueInYuan(Dec("0.5"), "万元")->ToString() == "5000");
  CHECK(ValueInYuan(Dec("12.34567"), "万元")->ToString() == "123456.7");
  CHECK(ValueInYuan(Dec("-3.20"), "万元")->ToString() == "-32000");
  CHECK(ValueInYuan(Dec("171915169"), "万元")->ToString() == "1719151690000");
  CHECK(ValueInYuan(Dec("0.80"), "元")->ToString() == "0.80");
  CHECK_FALSE(ValueInYuan(Dec("1"), "").has_value());
}

TEST_CASE("科目 codes are named for the document's year and levelled by their digits", "[labels]") {
  const LabelCatalogue& c = Catalogue();
  CHECK(c.CodeName("210", 2018) == "医疗卫生与计划生育支出");
  CHECK(c.CodeName("210", 2019) == "卫生健康支出");
  CHECK(c.CodeName("210", std::nullopt) == "卫生健康支出");
  CHECK(c.CodeName("30101", 2023) == "基本工资");
  CHECK_FALSE(c.CodeName("224", 2018).has_value());  // not yet a class
  CHECK(c.CodeName("224", 2019).has_value());
  CHECK_FALSE(c.CodeName("2999901", 2023).has_value());
  CHECK(CodeLevel("208") == "类");
  CHECK(CodeLevel("20805") == "款");
  CHECK(CodeLevel("2080505") == "项");
  CHECK(CodeLevel("301") == "经济分类类");
  CHECK(CodeLevel("30101") == "经济分类款");
  CHECK(CodeLevel("合计") == "");
  CHECK(CodeLevel("1") == "");
  CHECK(c.ColumnLabel("公开03表", "2") == "基本支出");
  CHECK(c.ColumnLabel("公开07表", "12") == "决算数:公务接待费");
}

TEST_CASE("Every fact of the fixtures carries its labels and its value in 元", "[labels]") {
  // 万元 决算, 元 and 万元 绩效自评表, a budget printing 元 and 万元 tables.
  auto name = GENERATE(as<std::string>{}, "digital-basic", "scan-basic", "jixiao-yuan", "jixiao-wanyuan",
                       "budget-sh");
  DYNAMIC_SECTION(name) {
    const Document& doc = ProcessedFixture(name);
    const Decimal ten_thousand = Decimal::FromInt(10000);
    int facts = 0, coded = 0, wanyuan = 0, yuan = 0;
    for (const Table& t : doc.tables) {
      for (const Fact& f : t.facts) {
        INFO(f.table << " " << f.row << " " << f.col << " " << f.value.ToString());
        ++facts;
        CHECK_FALSE(f.col_label.empty());
        CHECK_FALSE(f.row_label.empty());
        CHECK_FALSE(f.label_source.empty());
        if (!f.level.empty()) ++coded;
        const bool score = f.col == "分值" || f.col == "得分" || f.col == "执行率";
        if (score) {
          CHECK_FALSE(f.value_yuan.has_value());
          continue;
        }
        REQUIRE(f.value_yuan.has_value());
        if (t.unit == "万元") {
          ++wanyuan;
          CHECK(*f.value_yuan == f.value * ten_thousand);
        } else {
          REQUIRE(t.unit == "元");
          ++yuan;
          CHECK(f.value_yuan->ToString() == f.value.ToString());
        }
      }
    }
    CHECK(facts > 0);
    CHECK(wanyuan + yuan > 0);
    if (doc.kind == "juesuan") CHECK(coded > 0);
  }
}

TEST_CASE("A code the classification list does not know keeps its printed name and is reported", "[labels]") {
  Document doc = ProcessedFixture("digital-basic");
  Table* t05 = nullptr;
  for (Table& t : doc.tables) t05 = t.code == "公开05表" ? &t : t05;
  REQUIRE(t05 != nullptr);
  Fact* fact = nullptr;
  for (Fact& f : t05->facts) fact = (!fact && f.row.size() == 7) ? &f : fact;
  REQUIRE(fact != nullptr);
  const std::string template_name = fact->row_label;
  REQUIRE_FALSE(template_name.empty());
  fact->row = "2999901";  // a 项 no year's list has, printed with the same name
  LabelFacts(doc, Catalogue());
  CHECK(fact->row_label == template_name);
  CHECK(fact->label_source == "printed");
  CHECK(fact->level == "项");
  bool reported = false;
  for (const auto& u : doc.unknown_codes) reported = reported || (u.code == "2999901" && u.printed == template_name);
  CHECK(reported);
  CHECK(ValidateAgainstSchema(DocumentToJson(doc), "document.schema.json").empty());
}

TEST_CASE("Labels survive NAME.json: a document read back is labelled the same", "[labels]") {
  const Document& doc = ProcessedFixture("digital-basic");
  auto back = DocumentFromJson(DocumentToJson(doc));
  REQUIRE(back.ok());
  Document relabelled = back.value();
  LabelFacts(relabelled, Catalogue());
  CHECK(LabelledFactsCsv(relabelled) == LabelledFactsCsv(doc));
}

TEST_CASE("NAME.facts.csv keeps table,row,col,value first, then the labels", "[labels]") {
  const Document& doc = ProcessedFixture("digital-basic");
  auto labelled = ParseCsv(LabelledFactsCsv(doc));
  auto keys = ParseCsv(FactsCsv(doc));
  REQUIRE(labelled.size() == keys.size());
  REQUIRE(labelled[0].size() == 11);
  CHECK(labelled[0][6] == "row_label");
  for (size_t i = 0; i < keys.size(); ++i) {
    CHECK(std::vector<std::string>(labelled[i].begin(), labelled[i].begin() + 4) == keys[i]);
  }
}

TEST_CASE("export --wide of 公开05表 is the printed table, cell for cell", "[labels][export]") {
  auto store = StoreOf("wide", {"digital-basic", "jixiao-yuan"});
  ExportOptions options;
  options.table = "公开05表";
  options.wide = true;
  const std::string csv = Export(*store, options);
  CHECK(Export(*store, options) == csv);  // byte-stable
  auto rows = ParseCsv(csv);
  REQUIRE(rows.size() > 1);
  const auto& header = rows[0];
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
  // The printed table: the fixture's truth, its columns named as the schema names them.
  const json truth = FixtureTruth("digital-basic");
  std::map<std::string, std::map<std::string, std::string>> printed;  // row -> col label -> value
  std::vector<std::string> printed_rows;
  for (const json& f : truth["facts"]) {
    if (f["table"] != "公开05表") continue;
    const std::string row = f["row"];
    if (!printed.count(row)) printed_rows.push_back(row);
    printed[row][Catalogue().ColumnLabel("公开05表", f["col"])] = f["value"];
  }
  REQUIRE(printed_rows.size() == rows.size() - 1);
  for (const std::string& label : {"本年支出合计", "基本支出", "项目支出"}) REQUIRE(column.count(label));
  std::vector<std::string> exported_rows;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    REQUIRE(row.size() == header.size());
    CHECK(row[column["table"]] == "公开05表");
    CHECK(row[column["scale"]] == "万元");
    CHECK_FALSE(row[column["row_label"]].empty());
    const std::string key = row[column["row"]];
    exported_rows.push_back(key);
    REQUIRE(printed.count(key));
    for (const std::string& label : {"本年支出合计", "基本支出", "项目支出"}) {
      INFO(key << " " << label);
      const auto it = printed[key].find(label);
      CHECK(row[column[label]] == (it == printed[key].end() ? "" : it->second));
    }
  }
  // In the order the table prints its rows.
  CHECK(exported_rows == printed_rows);
}

TEST_CASE("export --table and --where select; JSONL rows follow their schemas", "[labels][export]") {
  auto store = StoreOf("select", {"digital-basic", "jixiao-yuan"});
  ExportOptions options;
  options.format = ExportFormat::kJsonl;
  options.where = "level = '项' AND \"table\" = '公开03表'";
  std::istringstream lines(Export(*store, options));
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    json row = json::parse(line);
    ++n;
    CHECK(row["level"] == "项");
    CHECK(row["table"] == "公开03表");
    CHECK(row["value_yuan"].is_string());
    auto errors = ValidateAgainstSchema(row, "export_fact.schema.json");
    INFO(line << "\n" << (errors.empty() ? "" : errors[0]));
    CHECK(errors.empty());
  }
  CHECK(n > 0);
  // Every figure of the store, and a row the schema refuses.
  options.where.clear();
  std::istringstream all(Export(*store, options));
  int total = 0;
  json last;
  while (std::getline(all, line)) {
    last = json::parse(line);
    ++total;
    CHECK(ValidateAgainstSchema(last, "export_fact.schema.json").empty());
  }
  CHECK(total > n);
  last["value_yuan"] = 4130900.0;  // a float is no exact decimal
  CHECK_FALSE(ValidateAgainstSchema(last, "export_fact.schema.json").empty());
  // Wide rows.
  options.wide = true;
  options.table = "绩效自评表:健康教育宣传";
  std::istringstream wide(Export(*store, options));
  int wide_rows = 0;
  while (std::getline(wide, line)) {
    json row = json::parse(line);
    ++wide_rows;
    CHECK(row["table"] == options.table);
    CHECK(ValidateAgainstSchema(row, "export_wide.schema.json").empty());
  }
  CHECK(wide_rows > 0);
  // One condition, never a second statement.
  options.where = "1; DROP TABLE facts";
  std::ostringstream out;
  CHECK_FALSE(store->ExportFacts(options, out).ok());
}
