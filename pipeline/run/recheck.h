// Recheck: what `juesuan check` does with a DOC.json written by extract —
// read it back and reconcile its facts afresh with the identities of
// schemas/ (findings of the earlier run are replaced; labels follow repaired
// values).
//
// Input: the text of a DOC.json, from anywhere (it may be hand-edited or
// damaged). Output: the Document with its new findings and the summary, or
// an error saying why the text is no document (not JSON, nested past
// limits::kMaxJsonDepth, fields of the wrong type). Never throws.
#pragma once

#include <string_view>

#include "pipeline/core/document.h"
#include "pipeline/core/result.h"
#include "pipeline/label/fact_labels.h"
#include "pipeline/reconcile/reconcile.h"

namespace juesuan {

struct Rechecked {
  Document doc;
  ReconcileSummary summary;
};

Result<Rechecked> RecheckDocumentJson(std::string_view json_text, const IdentitySet& identities,
                                      const LabelCatalogue& labels);

}  // namespace juesuan
