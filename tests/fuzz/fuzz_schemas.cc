// Fuzz target: every loader of schemas/ on any JSON (or not JSON at all).
//
// The real schemas are copied once into a scratch folder; each input
// replaces one of their files (chosen by the first byte) and every loader is
// run. A loader must return a value or an error, never crash or throw.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "extractors/jixiao/jixiao_forms.h"
#include "extractors/jixiao/jixiao_schema.h"
#include "extractors/tables/table_schema.h"
#include "pipeline/label/fact_labels.h"
#include "pipeline/reconcile/reconcile.h"
#include "pipeline/run/ocr_page.h"
#include "pipeline/store/compare.h"

namespace {

namespace fs = std::filesystem;

const char* const kFiles[] = {
    "juesuan_tables.json",     "yusuan_tables.json",       "jixiao_table.json",         "jixiao_forms.json",
    "kemu_names.json",         "budget_vs_final.json",     "identities/juesuan.json",   "identities/yusuan.json",
    "identities/jixiao.json",  "identities/narrative.json", "identities/catalogue.json",
};

const fs::path& ScratchSchemas() {
  static const fs::path dir = [] {
    char pattern[] = "/tmp/juesuan-fuzz-schemas-XXXXXX";
    fs::path made = mkdtemp(pattern);
    fs::copy(JUESUAN_SCHEMA_DIR, made, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    return made;
  }();
  return dir;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void WriteAll(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace juesuan;
  if (size < 1) return 0;
  const std::string dir = ScratchSchemas().string();
  const fs::path target = ScratchSchemas() / kFiles[data[0] % std::size(kFiles)];
  const std::string original = ReadAll(target);
  WriteAll(target, std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  (void)LoadTableSchema(dir);
  (void)LoadJixiaoSchema(dir);
  (void)LoadJixiaoFormsSchema(dir);
  (void)LoadIdentities(dir);
  (void)LabelCatalogue::Load(dir);
  (void)LoadLabelVocabulary(dir);
  (void)LoadCompareMapping(dir);
  WriteAll(target, original);
  return 0;
}
