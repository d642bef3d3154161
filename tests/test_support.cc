#include "tests/test_support.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

namespace juesuan::test {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string MissingLines(const std::string& a, const std::string& b) {
  std::istringstream in(a);
  std::string line, out;
  while (std::getline(in, line)) {
    if (b.find(line + "\n") == std::string::npos) out += line + "\n";
  }
  return out;
}

std::vector<std::string> ValidateAgainstSchema(const nlohmann::json& value, const std::string& schema_file) {
  const nlohmann::json schema_json = nlohmann::json::parse(ReadFile(kSchemas + "/" + schema_file));
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_json);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter adapter(value);
  std::vector<std::string> errors;
  if (!validator.validate(schema, adapter, &results)) {
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      std::string where;
      for (const auto& part : error.context) where += part;
      errors.push_back(where + ": " + error.description);
    }
  }
  return errors;
}

DocumentPipeline& SharedPipeline() {
  static std::unique_ptr<DocumentPipeline> pipeline = [] {
    PipelineOptions options;
    options.schema_dir = kSchemas;
    auto created = DocumentPipeline::Create(options);
    REQUIRE(created.ok());
    return std::move(created.value());
  }();
  return *pipeline;
}

const Document& ProcessedFixture(const std::string& name) {
  static std::map<std::string, Document> docs;
  auto it = docs.find(name);
  if (it != docs.end()) return it->second;
  return docs[name] = SharedPipeline().Process(kFixtures + "/" + name + "/input.pdf");
}

nlohmann::json FixtureTruth(const std::string& name) {
  return nlohmann::json::parse(ReadFile(kFixtures + "/" + name + "/truth.json"));
}

}  // namespace juesuan::test
