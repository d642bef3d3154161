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
