// Hostile input (docs/RELIABILITY.md): arithmetic that cannot wrap, numerals
// that cannot overflow, JSON that cannot nest without end, and PDFs over the
// caps of pipeline/core/limits.h, read through the real Poppler: the
// document says which cap, and is never `complete`.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "pipeline/core/decimal.h"
#include "pipeline/core/limits.h"
#include "pipeline/label/fact_labels.h"
#include "pipeline/normalise/normalise.h"
#include "pipeline/reconcile/reconcile.h"
#include "pipeline/run/document_pipeline.h"
#include "pipeline/run/recheck.h"

namespace fs = std::filesystem;
using juesuan::Decimal;

namespace {

// A one-page PDF (uncompressed, Helvetica) with `content` as its page's
// content stream and the given MediaBox size.
std::string OnePagePdf(double width, double height, const std::string& content) {
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + std::to_string(width) + " " + std::to_string(height) +
          "] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
  };
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t offset : offsets) {
    char line[32];
    std::snprintf(line, sizeof(line), "%010zu 00000 n \n", offset);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

fs::path WriteTemp(const std::string& name, const std::string& bytes) {
  fs::path path = fs::temp_directory_path() / ("juesuan-reliability-" + std::to_string(getpid()) + "-" + name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

juesuan::Document Process(const fs::path& pdf) {
  juesuan::PipelineOptions options;
  options.schema_dir = JUESUAN_SCHEMA_DIR;
  options.ocr = juesuan::OcrMode::kNever;
  auto pipeline = juesuan::DocumentPipeline::Create(options);
  REQUIRE(pipeline);
  return pipeline.value()->Process(pdf.string());
}

}  // namespace

TEST_CASE("reliability: decimal arithmetic saturates, never wraps", "[reliability]") {
  const Decimal max = *Decimal::Parse("9223372036854775807");
  CHECK(max.ToString() == "9223372036854775807");
  CHECK((max + max).units() == INT64_MAX);
  CHECK((-max - max).units() == -INT64_MAX);
  CHECK((max * max).units() == INT64_MAX);
  // Fraction digits go before the value saturates: 9·10^10 at scale 9 does
  // not fit 64 bits, at scale 8 it does.
  const Decimal big = *Decimal::Parse("90000000000.1"), fine = *Decimal::Parse("0.000000001");
  const Decimal sum = big + fine;
  CHECK(sum.scale() < 9);
  CHECK(sum.Rounded(1) == big);
  CHECK(big.Compare(fine) == 1);
  CHECK(max.DividedBy(fine, 4).units() == INT64_MAX);
  CHECK_FALSE(Decimal::Parse("9223372036854775808").has_value());
}

TEST_CASE("reliability: Chinese numerals past 10^15 are no figure", "[reliability]") {
  CHECK(juesuan::ParseChineseNumber("3亿")->ToString() == "300000000");
  CHECK_FALSE(juesuan::ParseChineseNumber("19181111111111111万").has_value());
  CHECK_FALSE(juesuan::ParseChineseNumber("一亿亿亿亿亿").has_value());
  CHECK_FALSE(juesuan::ParseChineseNumber("〇〇〇〇〇〇〇〇〇〇〇〇〇〇〇〇〇〇〇〇九").has_value());
}

TEST_CASE("reliability: check refuses JSON nested past the cap, and JSON of the wrong shape", "[reliability]") {
  auto identities = juesuan::LoadIdentities(JUESUAN_SCHEMA_DIR);
  auto labels = juesuan::LabelCatalogue::Load(JUESUAN_SCHEMA_DIR);
  REQUIRE(identities);
  REQUIRE(labels);
  CHECK(juesuan::limits::JsonNestingDepth(R"({"a": [1, {"b": "[[[["}]})") == 3);
  const std::string deep(100000, '[');
  auto refused = juesuan::RecheckDocumentJson(deep, identities.value(), labels.value());
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == juesuan::ErrorCode::kLimit);
  for (const char* text : {"", "not json", "[]", R"({"tables": 5})", R"({"tables": [{"facts": [{"value": []}]}]})",
                           R"({"doc_id": 7, "findings": {"x": 1}})"}) {
    INFO(text);
    auto checked = juesuan::RecheckDocumentJson(text, identities.value(), labels.value());
    if (checked) CHECK(checked.value().doc.tables.empty());
  }
}

TEST_CASE("reliability: a page over the size cap is not read, and the document says so", "[reliability]") {
  CHECK(juesuan::limits::RasterOverLimit(595, 842, 300).empty());
  CHECK_FALSE(juesuan::limits::RasterOverLimit(595, 842, 3000).empty());
  CHECK_FALSE(juesuan::limits::RasterOverLimit(20000, 842, 72).empty());
  CHECK_FALSE(juesuan::limits::RasterOverLimit(-5, 842, 72).empty());
  // 14000 pt square: within the page cap, but 196 Mpx at 72 dpi.
  const std::string text = "BT /F1 12 Tf 72 72 Td (1,234.50 2,345.60 Total) Tj ET";
  fs::path pdf = WriteTemp("huge.pdf", OnePagePdf(14000, 14000, text));
  juesuan::Document doc = Process(pdf);
  CHECK(doc.status != juesuan::DocumentStatus::kComplete);
  CHECK(doc.error.find("over the limit") != std::string::npos);
  fs::remove(pdf);
}
