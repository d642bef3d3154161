#include "pipeline/core/document.h"

#include <algorithm>

#include "pipeline/core/result.h"

namespace juesuan {

Box Box::Union(const Box& o) const {
  return Box{std::min(x0, o.x0), std::min(y0, o.y0), std::max(x1, o.x1), std::max(y1, o.y1)};
}

double Box::OverlapX(const Box& o) const { return std::max(0.0, std::min(x1, o.x1) - std::max(x0, o.x0)); }
double Box::OverlapY(const Box& o) const { return std::max(0.0, std::min(y1, o.y1) - std::max(y0, o.y0)); }

int TableGrid::CellAt(int row, int col) const {
  for (size_t i = 0; i < cells.size(); ++i) {
    const Cell& c = cells[i];
    if (row >= c.row && row < c.row + c.row_span && col >= c.col && col < c.col + c.col_span) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

const char* TextSourceName(TextSource source) {
  return source == TextSource::kOcr ? "ocr" : "text_layer";
}

const char* PageTextVerdictName(PageTextVerdict verdict) {
  switch (verdict) {
    case PageTextVerdict::kUsable: return "usable";
    case PageTextVerdict::kNoText: return "no_text";
    case PageTextVerdict::kGarbled: return "garbled";
  }
  return "?";
}

const char* RulingName(Ruling ruling) {
  switch (ruling) {
    case Ruling::kFull: return "full";
    case Ruling::kHorizontalOnly: return "horizontal_only";
    case Ruling::kNone: return "none";
  }
  return "?";
}

const char* DocumentStatusName(DocumentStatus status) {
  switch (status) {
    case DocumentStatus::kComplete: return "complete";
    case DocumentStatus::kPartial: return "partial";
    case DocumentStatus::kFailed: return "failed";
  }
  return "?";
}

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kUnreadable: return "unreadable";
    case ErrorCode::kEncrypted: return "encrypted";
    case ErrorCode::kEmpty: return "empty";
    case ErrorCode::kNotFiscal: return "not_fiscal";
    case ErrorCode::kEngine: return "engine";
    case ErrorCode::kLimit: return "limit";
    case ErrorCode::kInvalidArgument: return "invalid_argument";
  }
  return "?";
}

}  // namespace juesuan
