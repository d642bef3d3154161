// Helpers shared by the tests that run the whole pipeline on the fixtures.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/run/document_pipeline.h"

namespace juesuan::test {

inline const std::string kFixtures = JUESUAN_FIXTURE_DIR;
inline const std::string kSchemas = JUESUAN_SCHEMA_DIR;

// The whole file, bytes as they are ("" when it cannot be read).
std::string ReadFile(const std::string& path);

// The lines of `a` that `b` lacks, for a readable failure message.
std::string MissingLines(const std::string& a, const std::string& b);

// Validation errors of `value` against schemas/<schema_file> ("where: what").
std::vector<std::string> ValidateAgainstSchema(const nlohmann::json& value, const std::string& schema_file);

// One pipeline with the repository's schemas, created on first use and kept
// for the test binary (loading schemas and the OCR engine is not free).
DocumentPipeline& SharedPipeline();

// fixtures/<name>/input.pdf processed by SharedPipeline(), once per test
// binary for all the tests that read it.
const Document& ProcessedFixture(const std::string& name);

// fixtures/<name>/truth.json, parsed.
nlohmann::json FixtureTruth(const std::string& name);

}  // namespace juesuan::test
