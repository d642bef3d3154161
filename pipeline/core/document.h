// The value types that flow between stages:
//
//   PDF -> PageText (+ Raster) -> TableGrid -> cells with text -> Table
//       -> Fact + Finding -> Document -> JSON / CSV / SQLite / report
//
// Geometry is in PDF points (1/72 inch) with the origin at the page's top-left
// corner, y growing downwards, in the page's displayed orientation. All types
// are plain values: copyable, no engine types, safe to move between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/core/box.h"
#include "pipeline/core/decimal.h"
#include "pipeline/core/evaluation.h"

namespace juesuan {

// Where a piece of text came from.
enum class TextSource { kTextLayer, kOcr };
const char* TextSourceName(TextSource source);

// One glyph (text layer) or one recognised symbol/word (OCR).
struct Glyph {
  std::string text;  // UTF-8, as decoded (not yet normalised)
  Box box;
  float confidence = 100.0f;  // 0..100; 100 for the text layer
};

// The per-page decision on where text comes from.
enum class PageTextVerdict {
  kUsable,      // text layer decodes to sensible CJK and digits
  kNoText,      // no text layer at all (scan)
  kGarbled,     // text present but undecodable fonts
};
const char* PageTextVerdictName(PageTextVerdict verdict);

struct PageText {
  int page = 0;  // 1-based
  double width = 0, height = 0;  // points, displayed orientation
  int rotation = 0;              // degrees applied to get upright text
  std::vector<Glyph> glyphs;
  PageTextVerdict verdict = PageTextVerdict::kNoText;
  std::string verdict_reason;    // e.g. "93% of 1,204 glyphs are CJK/digits"
  TextSource source = TextSource::kTextLayer;
  double skew_degrees = 0;       // measured on the image (OCR path)
};

// A grayscale page image. Row-major, 8 bits per pixel.
struct Raster {
  int width = 0, height = 0;
  double dpi = 0;
  std::vector<uint8_t> pixels;
  // RGB copy, kept only where colour matters (red seal suppression).
  std::vector<uint8_t> rgb;
  double PointsPerPixel() const { return 72.0 / dpi; }
};

// A line of running text outside the tables, normalised.
struct TextLine {
  int page = 0;
  Box box;
  std::string text;
};

// How the table's cell structure was found.
enum class Ruling { kFull, kHorizontalOnly, kNone };
const char* RulingName(Ruling ruling);

// A run of text within a cell, as printed (raw), with where it is.
struct TextPiece {
  std::string text;
  Box box;
};

struct Cell {
  int row = 0, col = 0;
  int row_span = 1, col_span = 1;
  Box box;
  Box text_box;                // where its text is printed (its glyphs' extent); box when unknown
  // Runs of text set apart within the cell (two labels a merged cell of a
  // text-aligned grid holds); empty when the text is one run.
  std::vector<TextPiece> pieces;
  std::string text;            // normalised text in reading order
  std::string raw_text;        // as read, before normalisation
  TextSource source = TextSource::kTextLayer;
  float confidence = 100.0f;   // min over the cell's glyphs
  std::vector<std::string> alternatives;  // other readings (OCR)
};

// One detected table region on one page.
struct TableGrid {
  int page = 0;
  Box box;
  Ruling ruling = Ruling::kFull;
  std::vector<double> row_edges;  // n_rows + 1 y positions
  std::vector<double> col_edges;  // n_cols + 1 x positions
  std::vector<Cell> cells;        // each grid slot covered by exactly one
  // Per row edge (n_rows + 1): 1 where the edge was put between two lines of
  // text rather than at a printed rule (tables without rules between rows).
  // Rows split that way may be pieces of one printed row (a wrapped label, a
  // figure set above its label); the mapper joins them. Empty: every edge is
  // a rule.
  std::vector<char> row_edge_between_lines;
  bool RowEdgeIsRule(int edge) const {
    return row_edge_between_lines.empty() || !row_edge_between_lines[edge];
  }
  int n_rows() const { return row_edges.empty() ? 0 : static_cast<int>(row_edges.size()) - 1; }
  int n_cols() const { return col_edges.empty() ? 0 : static_cast<int>(col_edges.size()) - 1; }
  // Index into cells of the cell covering (row, col), or -1.
  int CellAt(int row, int col) const;
};

// One figure mapped to its schema key. `value` is in the table's own unit.
struct Fact {
  std::string table;  // "公开02表" or "绩效自评表:<项目名称>"
  std::string row;    // 科目编码, item name, ...
  std::string col;    // 栏次 by meaning
  Decimal value;
  std::string printed;  // the cell text it was read from
  int page = 0;
  int grid = 0;         // index into Table::grids
  int cell_row = 0, cell_col = 0;
  Box box;
  TextSource source = TextSource::kTextLayer;
  float confidence = 100.0f;
  std::vector<std::string> alternatives;  // other readings of the cell (OCR)
  // OCR cells of a broken identity are read again before the verdict
  // (ReconcileOptions::reread_cell): that reading, and its confidence.
  std::optional<std::string> reread;
  float reread_confidence = 0.0f;
  // Why its digits do not look like the page's own (ReconcileOptions::
  // check_shape); empty when they do or were not compared.
  std::string shape_doubt;
  std::string line;     // printed 行次, when there is one (a hint, not the key)
  // For readers of the data (pipeline/label/fact_labels.h): the row's name
  // (the template's, else as printed), the printed name where it differs,
  // the column's meaning, the level of a coded row (类/款/项, 经济分类类/款),
  // where row_label came from (classification, template, printed) and the
  // value in 元 (none for scores and rates).
  std::string row_label, printed_label, col_label, level, label_source;
  std::optional<Decimal> value_yuan;
};

// A mapped table: one of the nine 决算 tables, a budget table or a 绩效自评表,
// possibly over pages.
struct Table {
  std::string code;    // the fact table key: 公开01表, 收支预算总表, 绩效自评表:<名称>;
                       // empty when unidentified
  std::string kind;    // juesuan, yusuan, jixiao; empty when unidentified
  std::string schema_id;      // the definition it was mapped with (schemas/)
  std::string identified_by;  // title, caption, structure
  std::string title;   // as printed
  std::string caption; // the code/caption as printed: 公开01表, 表1, （表3）
  std::string unit;    // 万元 or 元
  std::vector<int> pages;
  std::vector<TableGrid> grids;  // one per page piece, stitched in order
  std::vector<Fact> facts;
  bool declared_empty = false;   // "此表无数值" and similar
};

// Something in the document a reader should know about: a broken identity,
// an unreadable cell, a missing table. Findings never stop processing.
struct FindingCell {
  std::string table, row, col;
  int page = 0;
  Box box;
  std::string printed;
};

// Where on the page an extraction finding points (unmapped figures,
// unidentified tables), with the text printed there.
struct FindingPlace {
  int page = 0;
  Box box;
  std::string text;
};

struct Finding {
  std::string kind;     // source_error, ocr_error, rounding, missing, unreadable,
                        // uncertain, narrative_mismatch, disclosure, unmapped,
                        // unidentified_table, ...
  std::string identity; // identity id, when there is one
  std::string formula;  // readable formula
  std::string message;  // one line: what and where
  std::optional<Decimal> printed, expected, difference;
  std::vector<FindingCell> cells;      // every cell involved
  std::vector<FindingCell> suspects;   // the cells most likely wrong
  std::optional<FindingPlace> place;   // extraction findings: where it is
};

// What was printed in table regions and what became of it: the measure of
// whether a document was read in full.
struct Coverage {
  int figures = 0;           // figures printed in tables (not 栏次/行次/codes)
  int mapped = 0;            // of them, keyed as facts or structured fields
  int unmapped = 0;          // of them, no key: `unmapped` findings
  int grids = 0;             // table regions detected
  int grids_identified = 0;  // of them, belonging to an identified table
  int missing_rows = 0;      // mandatory rows not found in identified tables
  // Nothing lost: every figure keyed and every mandatory row found (a grid
  // without figures that is no table, a box on the cover, loses nothing).
  bool Complete() const { return unmapped == 0 && missing_rows == 0; }
};

// One page's tables and the running text around them, as read: the input of
// the extractors.
struct PageLayout {
  int page = 0;
  double width = 0, height = 0;
  std::vector<TableGrid> grids;  // top to bottom
  std::vector<TextLine> lines;   // outside the grids, normalised
  // Pages with a grid that is not fully ruled (text layer only): the text
  // outside the fully ruled grids as runs, each line's glyphs split where
  // they stand apart (two cells of a row without rules), normalised; for
  // extractors that read such tables by their layout (extractors/jixiao).
  std::vector<TextLine> runs;
};

enum class DocumentStatus { kComplete, kPartial, kFailed };
const char* DocumentStatusName(DocumentStatus status);

struct Document {
  std::string source_path;
  std::string doc_id;       // file stem
  std::string sha256;
  std::string kind;         // juesuan (决算), yusuan (预算), jixiao (绩效自评 only), unknown
  std::string unit_name;    // 部门/单位
  std::optional<int> year;
  int page_count = 0;
  std::vector<PageText> pages;  // per page decision (glyphs dropped on output)
  std::vector<Table> tables;
  std::vector<Finding> findings;
  std::vector<TextLine> lines;  // page text outside the tables (narrative, captions)
  std::vector<JixiaoEvaluation> evaluations;  // the 绩效自评表 as structures
  // 科目 codes of facts the classification lists do not know (their facts
  // keep the printed name as row_label): code, printed name.
  struct UnknownCode {
    std::string code, printed;
  };
  std::vector<UnknownCode> unknown_codes;
  Coverage coverage;
  DocumentStatus status = DocumentStatus::kComplete;
  std::string error;        // set when status != kComplete
  double seconds = 0;
};

}  // namespace juesuan
