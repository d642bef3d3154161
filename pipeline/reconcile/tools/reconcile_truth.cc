// reconcile_truth: development harness for the reconcile stage.
//
//   reconcile_truth TRUTH_DIR OUT_DIR [--schemas DIR] [--verbose]
//
// For every TRUTH_DIR/ID.truth.json builds the Document an ideal extractor
// would produce (the truth facts as printed, cells printed as "#####" kept as
// unreadable facts, running text of the non-table pages from `pdftotext`
// where the PDF has a text layer), reconciles it and writes OUT_DIR/ID.facts.csv
// and OUT_DIR/ID.flags.csv for corpus/score.py, plus a one-line summary per
// document on stdout (and every finding with --verbose).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "pipeline/reconcile/reconcile.h"
#include "pipeline/write/document_writer.h"

namespace fs = std::filesystem;
using juesuan::Decimal;

namespace {

std::string PdfPageText(const fs::path& pdf, int page) {
  std::string cmd = "pdftotext -q -f " + std::to_string(page) + " -l " + std::to_string(page) + " '" + pdf.string() +
                    "' - 2>/dev/null";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: reconcile_truth TRUTH_DIR OUT_DIR [--schemas DIR] [--verbose]\n";
    return 2;
  }
  fs::path truth_dir = argv[1], out_dir = argv[2];
  std::string schemas = JUESUAN_SCHEMA_DIR;
  bool verbose = false;
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--schemas" && i + 1 < argc) schemas = argv[++i];
    if (a == "--verbose") verbose = true;
  }
  auto set = juesuan::LoadIdentities(schemas);
  if (!set.ok()) {
    std::cerr << set.error().message << "\n";
    return 1;
  }
  fs::create_directories(out_dir);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(truth_dir)) {
    std::string name = e.path().filename().string();
    if (name.size() > 11 && name.substr(name.size() - 11) == ".truth.json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    nlohmann::json t;
    in >> t;
    juesuan::Document doc;
    std::string name = path.filename().string();
    doc.doc_id = name.substr(0, name.size() - 11);
    doc.kind = t.value("kind", "");
    if (t.contains("year") && t["year"].is_number_integer()) doc.year = t["year"].get<int>();
    bool scan = t.contains("variant") && t["variant"].contains("scan") && !t["variant"]["scan"].is_null();
    std::map<std::string, size_t> table_index;
    std::set<int> table_pages;
    for (const auto& tj : t["tables"]) {
      juesuan::Table table;
      table.code = tj.value("table", "");
      table.title = tj.value("title", "");
      table.unit = tj.value("unit", "");
      for (const auto& p : tj["pages"]) {
        table.pages.push_back(p.get<int>());
        table_pages.insert(p.get<int>());
      }
      table_index[table.code] = doc.tables.size();
      doc.tables.push_back(std::move(table));
    }
    auto add_fact = [&](const std::string& table, const std::string& row, const std::string& col,
                        const std::string& printed, int page) {
      auto it = table_index.find(table);
      if (it == table_index.end()) {
        table_index[table] = doc.tables.size();
        juesuan::Table tb;
        tb.code = table;
        doc.tables.push_back(tb);
        it = table_index.find(table);
      }
      juesuan::Fact f;
      f.table = table;
      f.row = row;
      f.col = col;
      f.printed = printed;
      f.value = Decimal::Parse(printed).value_or(Decimal());
      f.page = page;
      f.source = scan ? juesuan::TextSource::kOcr : juesuan::TextSource::kTextLayer;
      f.confidence = scan ? 95.0f : 100.0f;
      doc.tables[it->second].facts.push_back(f);
    };
    for (const auto& fj : t["facts"]) {
      add_fact(fj["table"], fj["row"], fj["col"], fj["value"], fj.value("page", 0));
    }
    // Cells the page prints but that are not numbers (#####) reach reconcile
    // as facts whose printed text is kept.
    for (const auto& ej : t.value("injected", nlohmann::json::array())) {
      std::string printed = ej.value("printed", "");
      if (!printed.empty() && !Decimal::Parse(printed)) add_fact(ej["table"], ej["row"], ej["col"], printed, 0);
    }
    for (auto& table : doc.tables) table.declared_empty = table.facts.empty();
    // Running text of the pages without tables.
    fs::path pdf = truth_dir / (doc.doc_id + ".pdf");
    int pages = t.value("pages", 0);
    if (!scan && fs::exists(pdf)) {
      for (int p = 1; p <= pages; ++p) {
        if (table_pages.count(p)) continue;
        std::istringstream text(PdfPageText(pdf, p));
        std::string line;
        while (std::getline(text, line)) {
          if (!line.empty()) doc.lines.push_back({p, {}, line});
        }
      }
    } else {
      for (const auto& nj : t.value("narrative", nlohmann::json::array())) {
        doc.lines.push_back({nj.value("page", 0), {}, nj.value("text", "")});
      }
    }
    juesuan::ReconcileOptions options;
    auto summary = juesuan::Reconcile(doc, set.value(), options);
    std::ofstream facts(out_dir / (doc.doc_id + ".facts.csv"));
    facts << "table,row,col,value\n";
    for (const auto& table : doc.tables) {
      for (const auto& f : table.facts) {
        if (f.printed.find('#') != std::string::npos) continue;
        facts << juesuan::CsvField(f.table) << "," << juesuan::CsvField(f.row) << "," << juesuan::CsvField(f.col) << "," << f.value.ToString() << "\n";
      }
    }
    std::ofstream flags(out_dir / (doc.doc_id + ".flags.csv"));
    flags << juesuan::FlagsCsv(juesuan::FlagRowsOf(doc));
    std::cout << doc.doc_id << ": " << juesuan::SummaryLine(summary) << "\n";
    if (verbose) {
      for (const auto& f : doc.findings) {
        std::cout << "  [" << f.kind << "] " << f.message;
        if (!f.suspects.empty() && f.kind != "rounding") {
          std::cout << " {";
          for (const auto& c : f.suspects) std::cout << c.table << "/" << c.row << "/" << c.col << " ";
          std::cout << "}";
        }
        std::cout << "\n";
      }
    }
  }
  return 0;
}
