// Review report: a static site over the output folder of `juesuan extract`,
// for reading findings and checking tables on the page, in a browser.
//
// Input: DIR with the NAME.json files of a batch and its store
// (DIR/juesuan.sqlite); the PDFs are opened again from the paths recorded in
// the documents, for the images. Output, under DIR/report/:
//   index.html        one row per document (name, kind, unit, year, pages,
//                     status, coverage, findings by kind, seconds), sortable
//                     and filterable by status and finding kind; failed
//                     documents with their reason
//   NAME.html         a summary; every finding as <div class="finding"
//                     data-kind="KIND"> with its crop, the identity and the
//                     figures; then every table with its overlay image per
//                     page and its facts
//   NAME.fN.png       finding N's crop: involved cells outlined, suspects in
//                     another colour (a card saying why when it has no page)
//   NAME.tN.gM.png    table N's grid M over its page: cells, spans, keys,
//                     unmapped figures in a warning colour
// Plain HTML with a little inline JavaScript, no network: it works from the
// file system. Every text taken from a document is HTML-escaped.
//
// Each page is rendered once, at ReportOptions::dpi. Documents are reported
// in parallel, one thread per document (a PdfSource is not shared). A
// document that cannot be read (bad JSON, PDF gone) still gets its row and
// page, with the reason; only an unwritable DIR/report fails the report.
#pragma once

#include <string>

#include "pipeline/core/document.h"
#include "pipeline/core/result.h"

namespace juesuan {

struct ReportOptions {
  std::string dir;         // the extract output folder
  std::string store_path;  // empty: DIR/juesuan.sqlite (absent: NAME.json files only)
  int jobs = 0;            // threads; 0: one per core
  double dpi = 100;        // resolution of the page images
  bool quiet = false;      // no progress lines
};

struct ReportSummary {
  int documents = 0;       // rows of the index
  int failed = 0;          // of them, failed
  int pages_rendered = 0;  // pages rendered for images
  int images = 0;          // PNG files written
  long png_bytes = 0;
  std::string index_path;  // DIR/report/index.html
};

// Errors: kInvalidArgument when DIR has no NAME.json, kUnreadable when
// DIR/report cannot be written.
Result<ReportSummary> WriteReport(const ReportOptions& options);

// `juesuan debug`: page `page` of `doc` (as the pipeline left it, the PDF at
// doc.source_path) drawn whole with what the stages saw: the text-layer
// verdict, the kept grid edges (rules), every grid's cells and spans, the
// key of every mapped cell, the unmapped figures and the table names.
// Errors: the PDF cannot be opened or rendered, page out of range, or the
// PNG cannot be written.
Result<long> WriteDebugPage(const Document& doc, int page, const std::string& png_path, double dpi);

}  // namespace juesuan
