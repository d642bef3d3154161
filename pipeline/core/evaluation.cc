#include "pipeline/core/evaluation.h"

namespace juesuan {

const char* IndicatorValueKindName(IndicatorValueKind kind) {
  switch (kind) {
    case IndicatorValueKind::kEmpty: return "empty";
    case IndicatorValueKind::kNumber: return "number";
    case IndicatorValueKind::kDate: return "date";
    case IndicatorValueKind::kQualitative: return "qualitative";
  }
  return "empty";
}
const JixiaoFigure* JixiaoFundsRow::Find(const std::string& col) const {
  for (const auto& [key, figure] : figures) {
    if (key == col) return &figure;
  }
  return nullptr;
}
}  // namespace juesuan
