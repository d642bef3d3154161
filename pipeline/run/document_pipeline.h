// DocumentPipeline: runs every stage over one PDF and returns the Document.
//
//   PdfSource (render + text layer) -> DetectTables + FillCells (or OCR)
//   -> NormaliseText -> MapJuesuanTables -> Reconcile -> Document
//
// Create one per worker: it holds the loaded schemas (and the worker's OCR
// engine). Process() never throws and never aborts: a document that cannot be
// read comes back with status kFailed and a one-line error naming the file
// and the reason; a document read in part comes back kPartial.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "pipeline/core/document.h"
#include "pipeline/core/result.h"

namespace juesuan {

enum class OcrMode { kAuto, kAlways, kNever };

struct PipelineOptions {
  std::string schema_dir;
  OcrMode ocr = OcrMode::kAuto;
  double detect_dpi = 72;    // table-line detection on text-layer pages
  double ocr_dpi = 300;      // rendering of pages that are read by OCR
  double reread_dpi = 450;   // OCR figures of broken identities, read again
  bool reconcile = true;
  // When set, only this page (1-based) is read: the other pages are left
  // out of the document (`juesuan debug`, which shows one page).
  std::optional<int> only_page;
};

class DocumentPipeline {
 public:
  static Result<std::unique_ptr<DocumentPipeline>> Create(const PipelineOptions& options);
  ~DocumentPipeline();
  DocumentPipeline(const DocumentPipeline&) = delete;
  DocumentPipeline& operator=(const DocumentPipeline&) = delete;

  Document Process(const std::string& path);

 private:
  struct State;
  explicit DocumentPipeline(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// The document id of a path: the file name without ".pdf".
std::string DocIdOf(const std::string& path);

}  // namespace juesuan
