#include "pipeline/run/recheck.h"

#include <nlohmann/json.hpp>

#include "pipeline/core/limits.h"
#include "pipeline/write/document_writer.h"

namespace juesuan {

Result<Rechecked> RecheckDocumentJson(std::string_view json_text, const IdentitySet& identities,
                                      const LabelCatalogue& labels) {
  if (limits::JsonNestingDepth(json_text) > limits::kMaxJsonDepth) {
    return MakeError(ErrorCode::kLimit,
                     "JSON nested deeper than " + std::to_string(limits::kMaxJsonDepth) + " levels");
  }
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded()) return MakeError(ErrorCode::kInvalidArgument, "not JSON");
  Result<Document> read = DocumentFromJson(j);
  if (!read) return read.error();
  Rechecked out{std::move(read.value()), {}};
  out.summary = Reconcile(out.doc, identities, ReconcileOptions{});
  LabelFacts(out.doc, labels);  // a repaired value has a new value_yuan
  return out;
}

}  // namespace juesuan
