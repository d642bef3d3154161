// Fuzz target: `juesuan check` on any JSON — a DOC.json read back,
// reconciled, labelled and written out again (JSON and flags CSV).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pipeline/reconcile/reconcile.h"
#include "pipeline/label/fact_labels.h"
#include "pipeline/run/recheck.h"
#include "pipeline/write/document_writer.h"

namespace {

struct Schemas {
  juesuan::IdentitySet identities;
  juesuan::LabelCatalogue labels;
};

const Schemas& LoadedSchemas() {
  static const Schemas schemas = [] {
    auto identities = juesuan::LoadIdentities(JUESUAN_SCHEMA_DIR);
    auto labels = juesuan::LabelCatalogue::Load(JUESUAN_SCHEMA_DIR);
    if (!identities || !labels) std::abort();
    return Schemas{std::move(identities.value()), std::move(labels.value())};
  }();
  return schemas;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace juesuan;
  const Schemas& schemas = LoadedSchemas();
  auto checked =
      RecheckDocumentJson(std::string_view(reinterpret_cast<const char*>(data), size), schemas.identities, schemas.labels);
  if (!checked) return 0;
  const Document& doc = checked.value().doc;
  (void)SummaryLine(checked.value().summary);
  (void)DumpJson(DocumentToJson(doc));
  (void)FlagsCsv(FlagRowsOf(doc));
  (void)LabelledFactsCsv(doc);
  return 0;
}
