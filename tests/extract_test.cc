// End to end on the project's own fixtures: real Poppler, OpenCV and the
// schema-driven mapping, compared with the facts the generator knows.
#include <catch2/catch.hpp>

#include <algorithm>
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
  // One layout dimension per fixture (fixtures/*/CASE.md): rules, panels,
  // offsets, tails, several tables a page, no titles, fonts; and budgets,
  // with and without project performance-target forms.
  auto [name, kind, tables] = GENERATE(table<std::string, std::string, int>({
      {"digital-basic", "juesuan", 9},    {"digital-landscape", "juesuan", 9}, {"digital-split", "juesuan", 9},
      {"digital-hrules", "juesuan", 9},   {"digital-errors", "juesuan", 9},    {"layout-norules", "juesuan", 9},
      {"layout-panels", "juesuan", 9},    {"layout-offset", "juesuan", 9},     {"layout-tails", "juesuan", 5},
      {"layout-multi", "juesuan", 9},     {"layout-untitled", "juesuan", 9},   {"font-kai", "juesuan", 9},
      {"layout-offset-hrules", "juesuan", 9}, {"layout-untitled-norules", "juesuan", 9},
      {"variety-0154", "juesuan", 9},     {"variety-0230", "juesuan", 9},      {"variety-0244", "juesuan", 9},
      {"variety-0356", "juesuan", 9},     {"variety-0376", "juesuan", 9},      {"variety-0394", "juesuan", 9},
      {"variety-0402", "juesuan", 9},     {"variety-0476", "juesuan", 9},
      {"budget-sh", "yusuan", 9},         {"budget-js", "yusuan", 12},
      // 绩效目标表 after a budget's tables and after a 决算's: budget material
      // that leaves the document's kind to its other tables.
      {"budget-targets", "yusuan", 9},    {"digital-targets", "juesuan", 5},
  }));
  DYNAMIC_SECTION(name) {
    Document doc = SharedPipeline().Process(kFixtures + "/" + name + "/input.pdf");
    CHECK(doc.status == DocumentStatus::kComplete);
    CHECK(doc.kind == kind);
    CHECK(doc.coverage.unmapped == 0);
    CHECK(doc.coverage.missing_rows == 0);
    std::string expected = ReadFile(kFixtures + "/" + name + "/expected.facts.csv");
    std::string got = FactsCsv(doc);
    INFO("missing:\n" << MissingLines(expected, got) << "unexpected:\n" << MissingLines(got, expected));
    CHECK(got == expected);
    int identified = 0;
    for (const Table& t : doc.tables) identified += !t.code.empty() && t.kind == kind;
    CHECK(identified == tables);
  }
}

TEST_CASE("A figure dropped from a table leaves the document partial, with the figure named", "[extract][coverage]") {
  // The rule-less fixture read with a schema that lacks one column of
  // 公开02表: its figures have no key any more, and must not vanish.
  namespace fs = std::filesystem;
  fs::path schemas = fs::temp_directory_path() / "juesuan_schema_without_a_column";
  fs::remove_all(schemas);
  fs::copy(kSchemas, schemas, fs::copy_options::recursive);
  nlohmann::json tables = nlohmann::json::parse(ReadFile((schemas / "juesuan_tables.json").string()));
  for (auto& t : tables["tables"]) {
    if (t["code"] != "公开02表") continue;
    auto& columns = t["columns"];
    columns.erase(std::remove_if(columns.begin(), columns.end(), [](const nlohmann::json& c) { return c["id"] == "4"; }),
                  columns.end());
  }
  std::ofstream((schemas / "juesuan_tables.json").string()) << tables.dump(1);
  PipelineOptions options;
  options.schema_dir = schemas.string();
  auto pipeline = DocumentPipeline::Create(options);
  REQUIRE(pipeline.ok());
  Document doc = pipeline.value()->Process(kFixtures + "/layout-norules/input.pdf");
  CHECK(doc.status == DocumentStatus::kPartial);
  CHECK(doc.coverage.unmapped > 0);
  CHECK(doc.coverage.mapped + doc.coverage.unmapped == doc.coverage.figures);
  CHECK(doc.error.find("figures unkeyed") != std::string::npos);
  int unmapped = 0;
  for (const Finding& f : doc.findings) {
    if (f.kind != "unmapped") continue;
    ++unmapped;
    REQUIRE(f.place.has_value());
    CHECK(f.place->page > 0);
    CHECK_FALSE(f.place->text.empty());
  }
  CHECK(unmapped == doc.coverage.unmapped);
  for (const Table& t : doc.tables) {
    for (const Fact& f : t.facts) CHECK_FALSE((f.table == "公开02表" && f.col == "4"));
  }
  fs::remove_all(schemas);
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
  // NAME.facts.csv: the key columns first, as the corpus format has them.
  std::istringstream written(ReadFile((out / "input.facts.csv").string()));
  std::string line, keys;
  while (std::getline(written, line)) {
    size_t end = 0;
    for (int comma = 0; comma < 4 && end != std::string::npos; ++comma) end = line.find(',', end + (comma ? 1 : 0));
    keys += line.substr(0, end) + "\n";
  }
  CHECK(keys == ReadFile(kFixtures + "/digital-basic/expected.facts.csv"));
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
