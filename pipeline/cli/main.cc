// juesuan: command-line entry point. Parses arguments and wires the stages;
// the work itself lives in the stage libraries.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "pipeline/batch/batch.h"
#include "pipeline/label/fact_labels.h"
#include "pipeline/reconcile/reconcile.h"
#include "pipeline/report/report.h"
#include "pipeline/run/document_pipeline.h"
#include "pipeline/run/recheck.h"
#include "pipeline/store/compare.h"
#include "pipeline/store/store.h"
#include "pipeline/write/document_writer.h"

#ifndef JUESUAN_SCHEMA_DIR
#define JUESUAN_SCHEMA_DIR "schemas"
#endif
#ifndef JUESUAN_VERSION
#define JUESUAN_VERSION "0"
#endif

namespace juesuan {
namespace {

constexpr const char* kUsage = R"(juesuan — structured data from Chinese fiscal disclosures (部门决算, 部门预算, 绩效自评)

usage:
  juesuan extract PATH... --out DIR [options]
  juesuan check DOC.json [--out DIR]
  juesuan merge OUT.sqlite IN.sqlite...
  juesuan export STORE.sqlite [--format csv|jsonl|documents|compare]
                 [--table T] [--wide] [--where SQL]
  juesuan report DIR [--jobs N] [--store FILE]
  juesuan debug PDF --page N --out FILE.png
  juesuan --help | --version

extract   reads each PDF (PATH = PDF files or folders, searched recursively)
          and writes, for each input NAME.pdf:
            DIR/NAME.json       the document: metadata, per-page text decision,
                                tables with their grids, cells and facts, findings
            DIR/NAME.facts.csv  one figure a row: table,row,col,value, then
                                unit,value_yuan,row_label,printed_label,
                                col_label,level,label_source
            DIR/NAME.flags.csv  flagged cells: table,row,col,kind
          A document that cannot be read gets DIR/NAME.json with status
          "failed" and its reason; the other inputs are still processed.
          With --report, runs `report DIR` at the end of the batch.
          Every document also goes into the store DIR/juesuan.sqlite, keyed
          by content hash: a rerun skips what is done (resume), the same
          content under two names is read once (docs/BATCH.md).
check     re-runs the reconciliation on an existing DOC.json: prints the
          summary and every finding, then the flags (table,row,col,kind), or
          with --out DIR rewrites DIR/NAME.json, .facts.csv and .flags.csv.
merge     copies shard stores into OUT.sqlite (created if missing).
export    writes from the store to stdout, in a stable order:
          csv, jsonl  one figure a row: unit,year,table,row,col,value,scale,
                      path,sha256, then the document's kind,status and
                      coverage (figures,mapped,unmapped,missing_rows,grids,
                      grids_identified), then value_yuan (exact, in 元),
                      row_label, printed_label, col_label, level (类/款/项),
                      label_source and unit_key (docs/DATA.md);
                      with --wide one row per document, table and row, one
                      column per table column named by its col_label
          documents   one document a row (CSV): kind, status, tables
                      identified, coverage, facts, findings, error
          compare     budget against 决算 (CSV): for each unit and year with
                      both, the items both disclose (schemas/budget_vs_final.json)
                      side by side in 万元, and the 决算's own 预算数 columns
report    writes a review site from an extract folder (its NAME.json files,
          the store, and the PDFs read again for images) into DIR/report/:
            index.html          one row per document: kind, unit, year, pages,
                                status, coverage, findings by kind, seconds;
                                sortable, filterable; failed ones with reason
            NAME.html           every finding with a crop of the page (cells
                                outlined, suspects in red), its identity and
                                figures, OCR readings; every table drawn over
                                its page (grid, spans, keys, unkeyed figures)
                                and its facts
          Static files (HTML, PNG): open index.html from the file system.
debug     reads one page of a PDF (only that page) and draws what the stages
          saw into FILE.png: the text-layer verdict, the grid edges kept as
          rules, every grid's cells and spans, the key of each mapped cell,
          figures without a key and the table names.

options:
  --out DIR        output folder (created if missing); required for extract;
                   debug: the PNG file to write
  --ocr MODE       auto (default): OCR the pages without a usable text layer;
                   always: OCR every page, ignoring the text layer;
                   never: use only text layers (pages without one are reported)
  --dpi N          resolution for OCR rendering (default 300)
  --schemas DIR    table and identity definitions and the budget/决算 comparison
                   (default: the installed schemas/)
  --quiet          no per-document summary lines
  --jobs N         worker processes, or report threads (default: one per core)
  --report         extract: write the review report (DIR/report/) at the end
  --page N         debug: the page to draw (1-based)
  --store FILE     the SQLite store (default DIR/juesuan.sqlite)
  --force          redo documents the store already has
  --shard K/N      only the contents whose hash falls in shard K of N (0 <= K < N)
  --timeout S      per-document time limit in seconds (default 900)
  --max-memory MB  address-space limit per worker (default 4096; 0: none)
  --format F       export: csv (default), jsonl, documents or compare
  --table T        export csv/jsonl: only table T (公开05表, 收支预算总表, ...)
  --where SQL      export csv/jsonl: only the figures meeting an SQL condition
                   on the export's columns (year >= 2022 AND level = '项')
  --wide           export csv/jsonl: the tables as printed, one column per
                   table column
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
  BatchOptions batch;
  std::string format = "csv";
  std::string table, where;
  bool wide = false;
  bool report = false;
  int page = 0;
};

int UsageError(const std::string& message) {
  std::cerr << "juesuan: " << message << "\n(run juesuan --help for usage)\n";
  return 2;
}

// Writes DIR/report/; returns 0, or 1 when it could not.
int Report(const std::string& dir, const CliOptions& cli) {
  ReportOptions options;
  options.dir = dir;
  options.store_path = cli.batch.store_path;
  options.jobs = cli.batch.jobs;
  options.quiet = cli.quiet;
  auto report = WriteReport(options);
  if (!report) {
    std::cerr << "juesuan: report: " << report.error().message << "\n";
    return 1;
  }
  const ReportSummary& r = report.value();
  std::cerr << "juesuan: report: " << r.index_path << " (" << r.documents << " documents, " << r.failed
            << " failed; " << r.pages_rendered << " pages rendered, " << r.images << " images, "
            << r.png_bytes / 1024 << " KB)\n";
  return 0;
}

int RunExtract(const CliOptions& cli) {
  if (cli.inputs.empty()) return UsageError("extract needs at least one PDF or folder");
  if (cli.out_dir.empty()) return UsageError("extract needs --out DIR");
  BatchOptions batch = cli.batch;
  batch.inputs = cli.inputs;
  batch.out_dir = cli.out_dir;
  batch.pipeline = cli.pipeline;
  batch.quiet = cli.quiet;
  batch.tool_version = JUESUAN_VERSION;
  const int extracted = RunBatch(batch);
  if (!cli.report || extracted == 2) return extracted;
  return std::max(extracted, Report(cli.out_dir, cli));
}

int RunReport(const CliOptions& cli) {
  if (cli.inputs.size() != 1) return UsageError("report needs exactly one DIR (the --out of extract)");
  if (!std::filesystem::is_directory(cli.inputs[0])) return UsageError("no folder " + cli.inputs[0]);
  return Report(cli.inputs[0], cli);
}

int RunDebug(const CliOptions& cli) {
  if (cli.inputs.size() != 1) return UsageError("debug needs exactly one PDF");
  if (cli.page < 1) return UsageError("debug needs --page N (1-based)");
  if (cli.out_dir.empty()) return UsageError("debug needs --out FILE.png");
  PipelineOptions options = cli.pipeline;
  options.only_page = cli.page;
  options.reconcile = false;  // what the stages saw, not the verdicts
  auto pipeline = DocumentPipeline::Create(options);
  if (!pipeline) {
    std::cerr << "juesuan: " << pipeline.error().message << "\n";
    return 2;
  }
  Document doc = pipeline.value()->Process(cli.inputs[0]);
  if (cli.page > doc.page_count) {
    std::cerr << "juesuan: error: " << (doc.error.empty() ? cli.inputs[0] + ": no page " + std::to_string(cli.page)
                                                          : doc.error) << "\n";
    return 1;
  }
  auto drawn = WriteDebugPage(doc, cli.page, cli.out_dir, 100);
  if (!drawn) {
    std::cerr << "juesuan: error: " << drawn.error().message << "\n";
    return 1;
  }
  size_t grids = 0, facts = 0;
  for (const Table& t : doc.tables) {
    for (const TableGrid& g : t.grids) grids += g.page == cli.page;
    for (const Fact& f : t.facts) facts += f.page == cli.page;
  }
  const PageText& page = doc.pages[cli.page - 1];
  std::cout << cli.out_dir << ": page " << cli.page << ", text layer " << PageTextVerdictName(page.verdict)
            << ", read from " << TextSourceName(page.source) << ", " << grids << " grids, " << facts << " facts\n";
  return 0;
}

int RunMerge(const CliOptions& cli) {
  if (cli.inputs.size() < 2) return UsageError("merge needs OUT.sqlite and at least one input store");
  auto out = Store::Open(cli.inputs[0]);
  if (!out) {
    std::cerr << "juesuan: " << out.error().message << "\n";
    return 2;
  }
  int exit_code = 0;
  for (size_t i = 1; i < cli.inputs.size(); ++i) {
    if (!std::filesystem::exists(cli.inputs[i])) {
      std::cerr << "juesuan: error: " << cli.inputs[i] << ": no such file\n";
      exit_code = 1;
      continue;
    }
    auto merged = out.value()->MergeFrom(cli.inputs[i]);
    if (!merged) {
      std::cerr << "juesuan: error: " << cli.inputs[i] << ": " << merged.error().message << "\n";
      exit_code = 1;
    }
  }
  return exit_code;
}

int RunExport(const CliOptions& cli) {
  if (cli.inputs.size() != 1) return UsageError("export needs exactly one STORE");
  if (cli.format != "csv" && cli.format != "jsonl" && cli.format != "documents" && cli.format != "compare")
    return UsageError("--format must be csv, jsonl, documents or compare");
  if ((cli.wide || !cli.table.empty() || !cli.where.empty()) && cli.format != "csv" && cli.format != "jsonl")
    return UsageError("--table, --where and --wide go with --format csv or jsonl");
  if (!std::filesystem::exists(cli.inputs[0])) return UsageError("no store at " + cli.inputs[0]);
  auto store = Store::Open(cli.inputs[0]);
  if (!store) {
    std::cerr << "juesuan: " << store.error().message << "\n";
    return 1;
  }
  Result<bool> exported = true;
  if (cli.format == "compare") {
    auto mapping = LoadCompareMapping(cli.pipeline.schema_dir);
    if (!mapping) {
      std::cerr << "juesuan: " << mapping.error().message << "\n";
      return 2;
    }
    exported = store.value()->ExportComparison(mapping.value(), std::cout);
  } else if (cli.format == "documents") {
    exported = store.value()->ExportDocuments(ExportFormat::kCsv, std::cout);
  } else {
    ExportOptions options;
    options.format = cli.format == "csv" ? ExportFormat::kCsv : ExportFormat::kJsonl;
    options.table = cli.table;
    options.where = cli.where;
    options.wide = cli.wide;
    exported = store.value()->ExportFacts(options, std::cout);
  }
  if (!exported) {
    std::cerr << "juesuan: " << exported.error().message << "\n";
    return 1;
  }
  return 0;
}

int RunCheck(const CliOptions& cli) {
  if (cli.inputs.size() != 1) return UsageError("check needs exactly one DOC.json");
  std::ifstream in(cli.inputs[0], std::ios::binary);
  if (!in) return UsageError("cannot open " + cli.inputs[0]);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto identities = LoadIdentities(cli.pipeline.schema_dir);
  if (!identities) {
    std::cerr << "juesuan: " << identities.error().message << "\n";
    return 2;
  }
  auto labels = LabelCatalogue::Load(cli.pipeline.schema_dir);
  if (!labels) {
    std::cerr << "juesuan: " << labels.error().message << "\n";
    return 2;
  }
  // Replaces the findings of the earlier run with a fresh reconciliation.
  auto checked = RecheckDocumentJson(text, identities.value(), labels.value());
  if (!checked) {
    std::cerr << "juesuan: error: " << cli.inputs[0] << ": " << checked.error().message << "\n";
    return 1;
  }
  Document& d = checked.value().doc;
  std::cout << d.doc_id << ": " << SummaryLine(checked.value().summary) << "\n";
  for (const Finding& f : d.findings) std::cout << "  [" << f.kind << "] " << f.message << "\n";
  if (cli.out_dir.empty()) {
    std::cout << FlagsCsv(FlagRowsOf(d));
    return 0;
  }
  std::filesystem::create_directories(cli.out_dir);
  auto written = WriteDocumentFiles(d, FlagRowsOf(d), cli.out_dir);
  if (!written) {
    std::cerr << "juesuan: " << written.error().message << "\n";
    return 1;
  }
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
    } else if (arg == "--jobs" || arg == "--timeout" || arg == "--max-memory") {
      std::string name = arg;
      try {
        double number = std::stod(value(name.c_str()));
        if (number < 0) return UsageError(name + " must not be negative");
        if (name == "--jobs") cli.batch.jobs = static_cast<int>(number);
        if (name == "--timeout") cli.batch.timeout_seconds = number;
        if (name == "--max-memory") cli.batch.max_memory_mb = static_cast<long>(number);
      } catch (...) {
        return UsageError(name + " needs a number");
      }
    } else if (arg == "--store") {
      cli.batch.store_path = value("--store");
    } else if (arg == "--force") {
      cli.batch.force = true;
    } else if (arg == "--shard") {
      std::string shard = value("--shard");
      int k = -1, n = 0;
      if (std::sscanf(shard.c_str(), "%d/%d", &k, &n) != 2 || n < 1 || k < 0 || k >= n)
        return UsageError("--shard must be K/N with 0 <= K < N");
      cli.batch.shard_index = k;
      cli.batch.shard_count = n;
    } else if (arg == "--format") {
      cli.format = value("--format");
    } else if (arg == "--table") {
      cli.table = value("--table");
    } else if (arg == "--where") {
      cli.where = value("--where");
    } else if (arg == "--wide") {
      cli.wide = true;
    } else if (arg == "--report") {
      cli.report = true;
    } else if (arg == "--page") {
      try {
        cli.page = std::stoi(value("--page"));
      } catch (...) {
        return UsageError("--page needs a number");
      }
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
  if (cli.command == "merge") return RunMerge(cli);
  if (cli.command == "export") return RunExport(cli);
  if (cli.command == "report") return RunReport(cli);
  if (cli.command == "debug") return RunDebug(cli);
  // Hidden: one worker process of an extract batch (pipeline/batch/batch.h).
  if (cli.command == "__worker") return RunWorker(cli.pipeline, cli.out_dir);
  return UsageError("unknown command '" + cli.command + "'");
}
