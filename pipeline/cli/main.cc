// juesuan: command-line entry point. Parses arguments and wires the stages;
// the work itself lives in the stage libraries.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "pipeline/run/document_pipeline.h"
#include "pipeline/write/document_writer.h"

#ifndef JUESUAN_SCHEMA_DIR
#define JUESUAN_SCHEMA_DIR "schemas"
#endif
#ifndef JUESUAN_VERSION
#define JUESUAN_VERSION "0"
#endif

namespace juesuan {
namespace {

constexpr const char* kUsage = R"(juesuan — structured data from Chinese fiscal disclosures (部门决算, 绩效自评)

usage:
  juesuan extract PATH... --out DIR [options]
  juesuan check DOC.json [--out DIR]
  juesuan --help | --version

extract   reads each PDF (PATH = PDF files or folders, searched recursively)
          and writes, for each input NAME.pdf:
            DIR/NAME.json       the document: metadata, per-page text decision,
                                tables with their grids, cells and facts, findings
            DIR/NAME.facts.csv  one figure a row: table,row,col,value
            DIR/NAME.flags.csv  flagged cells: table,row,col,kind
          A document that cannot be read gets DIR/NAME.json with status
          "failed" and its reason; the other inputs are still processed.
check     re-runs the reconciliation on an existing DOC.json.

options:
  --out DIR        output folder (created if missing); required for extract
  --ocr MODE       auto (default): OCR the pages without a usable text layer;
                   always: OCR every page, ignoring the text layer;
                   never: use only text layers (pages without one are reported)
  --dpi N          resolution for OCR rendering (default 300)
  --schemas DIR    table and identity definitions (default: the installed schemas/)
  --quiet          no per-document summary lines
  --help           this text
  --version        the program version

exit status: 0 every document complete; 1 some document failed or was read
only in part; 2 bad usage.
)";

struct CliOptions {
  std::string command;
  std::vector<std::string> inputs;
  std::string out_dir;
  PipelineOptions pipeline;
  bool quiet = false;
};

int UsageError(const std::string& message) {
  std::cerr << "juesuan: " << message << "\n(run juesuan --help for usage)\n";
  return 2;
}

// Expands folders into the PDFs below them, sorted; files are kept as given.
std::vector<std::string> ExpandInputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> out;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(input, ec)) {
      std::vector<std::string> found;
      for (auto it = std::filesystem::recursive_directory_iterator(
               input, std::filesystem::directory_options::skip_permission_denied, ec);
           it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        std::string ext = it->path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
        if (it->is_regular_file(ec) && ext == ".pdf") found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.push_back(input);
    }
  }
  return out;
}

std::string Summary(const Document& doc) {
  size_t facts = 0, tables = 0;
  for (const Table& t : doc.tables) {
    facts += t.facts.size();
    tables += !t.code.empty();
  }
  char line[512];
  std::snprintf(line, sizeof(line), "%s: %s, %d pages, %zu tables, %zu figures, %zu findings (%.2fs)",
                doc.source_path.c_str(), DocumentStatusName(doc.status), doc.page_count, tables, facts,
                doc.findings.size(), doc.seconds);
  return line;
}

int RunExtract(const CliOptions& cli) {
  if (cli.inputs.empty()) return UsageError("extract needs at least one PDF or folder");
  if (cli.out_dir.empty()) return UsageError("extract needs --out DIR");
  std::error_code ec;
  std::filesystem::create_directories(cli.out_dir, ec);
  if (ec) return UsageError("cannot create " + cli.out_dir + ": " + ec.message());
  auto pipeline = DocumentPipeline::Create(cli.pipeline);
  if (!pipeline) {
    std::cerr << "juesuan: " << pipeline.error().message << "\n";
    return 2;
  }
  int exit_code = 0;
  for (const std::string& path : ExpandInputs(cli.inputs)) {
    Document doc = pipeline.value()->Process(path);
    std::vector<FlagRow> flags;  // filled by the reconcile stage
    Result<bool> written = doc.status == DocumentStatus::kFailed
                               ? WriteFileAtomically((std::filesystem::path(cli.out_dir) / (doc.doc_id + ".json")).string(),
                                                     DumpJson(DocumentToJson(doc)))
                               : WriteDocumentFiles(doc, flags, cli.out_dir);
    if (doc.status == DocumentStatus::kFailed) {
      std::cerr << "juesuan: error: " << doc.error << "\n";
      exit_code = 1;
    } else {
      if (doc.status == DocumentStatus::kPartial) {
        std::cerr << "juesuan: warning: " << path << ": partial: " << doc.error << "\n";
        exit_code = 1;
      }
      if (!cli.quiet) std::cout << Summary(doc) << "\n";
    }
    if (!written) {
      std::cerr << "juesuan: error: " << written.error().message << "\n";
      exit_code = 1;
    }
  }
  return exit_code;
}

int RunCheck(const CliOptions& cli) {
  if (cli.inputs.size() != 1) return UsageError("check needs exactly one DOC.json");
  std::ifstream in(cli.inputs[0]);
  if (!in) return UsageError("cannot open " + cli.inputs[0]);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) {
    std::cerr << "juesuan: error: " << cli.inputs[0] << ": not JSON\n";
    return 1;
  }
  auto doc = DocumentFromJson(j);
  if (!doc) {
    std::cerr << "juesuan: error: " << cli.inputs[0] << ": " << doc.error().message << "\n";
    return 1;
  }
  std::cout << Summary(doc.value()) << "\n";
  return 0;
}

}  // namespace
}  // namespace juesuan

int main(int argc, char** argv) {
  using namespace juesuan;
  CliOptions cli;
  cli.pipeline.schema_dir = JUESUAN_SCHEMA_DIR;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return UsageError("no command");
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&](const char* name) -> std::string {
      if (i + 1 >= args.size()) {
        UsageError(std::string(name) + " needs a value");
        std::exit(2);
      }
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--version") {
      std::cout << "juesuan " << JUESUAN_VERSION << "\n";
      return 0;
    } else if (arg == "--out") {
      cli.out_dir = value("--out");
    } else if (arg == "--ocr") {
      std::string mode = value("--ocr");
      if (mode == "auto") cli.pipeline.ocr = OcrMode::kAuto;
      else if (mode == "always") cli.pipeline.ocr = OcrMode::kAlways;
      else if (mode == "never") cli.pipeline.ocr = OcrMode::kNever;
      else return UsageError("--ocr must be auto, always or never");
    } else if (arg == "--dpi") {
      try {
        cli.pipeline.ocr_dpi = std::stod(value("--dpi"));
      } catch (...) {
        return UsageError("--dpi needs a number");
      }
      if (cli.pipeline.ocr_dpi < 72 || cli.pipeline.ocr_dpi > 1200) return UsageError("--dpi must be 72..1200");
    } else if (arg == "--schemas") {
      cli.pipeline.schema_dir = value("--schemas");
    } else if (arg == "--quiet") {
      cli.quiet = true;
    } else if (arg.rfind("--", 0) == 0) {
      return UsageError("unknown option " + arg);
    } else if (cli.command.empty()) {
      cli.command = arg;
    } else {
      cli.inputs.push_back(arg);
    }
  }
  if (cli.command == "extract") return RunExtract(cli);
  if (cli.command == "check") return RunCheck(cli);
  return UsageError("unknown command '" + cli.command + "'");
}
