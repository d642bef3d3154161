// Fuzz target: the PDF intake end to end — bytes → Document, as a worker
// reads a file of an archive (text layer, table detection, mapping,
// reconciliation; OCR is left out: Tesseract is fuzzed by its own project,
// and pages it would read count as unread here).
//
// Checks: Process returns (never throws, never crashes); a failed document
// says why, a document read has its pages, and `complete` carries no loss.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "pipeline/run/document_pipeline.h"
#include "pipeline/write/document_writer.h"

namespace {

juesuan::DocumentPipeline& Pipeline() {
  static std::unique_ptr<juesuan::DocumentPipeline> pipeline = [] {
    juesuan::PipelineOptions options;
    options.schema_dir = JUESUAN_SCHEMA_DIR;
    options.ocr = juesuan::OcrMode::kNever;
    auto created = juesuan::DocumentPipeline::Create(options);
    if (!created) std::abort();
    return std::move(created.value());
  }();
  return *pipeline;
}

const std::string& ScratchFile() {
  static const std::string path = "/tmp/juesuan-fuzz-intake-" + std::to_string(getpid()) + ".pdf";
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace juesuan;
  {
    std::ofstream out(ScratchFile(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  Document doc = Pipeline().Process(ScratchFile());
  if (doc.status != DocumentStatus::kFailed) {
    if (doc.page_count <= 0 || doc.pages.empty()) std::abort();
    if (doc.status == DocumentStatus::kComplete && !doc.error.empty()) std::abort();
  } else if (doc.error.empty()) {
    std::abort();  // a failure always says why
  }
  (void)DumpJson(DocumentToJson(doc));
  return 0;
}
