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

#include "pipeline/core/decimal.h"

namespace juesuan {

struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
  double cx() const { return (x0 + x1) / 2; }
  double cy() const { return (y0 + y1) / 2; }
  bool Contains(double x, double y) const { return x >= x0 && x <= x1 && y >= y0 && y <= y1; }
  Box Union(const Box& o) const;
  double OverlapX(const Box& o) const;
  double OverlapY(const Box& o) const;
};

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

// How the table's cell structure was found.
enum class Ruling { kFull, kHorizontalOnly, kNone };
const char* RulingName(Ruling ruling);

struct Cell {
  int row = 0, col = 0;
  int row_span = 1, col_span = 1;
  Box box;
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
  std::string line;     // printed 行次, when there is one (a hint, not the key)
};

// A mapped table: one of the nine (or a 绩效自评表), possibly over pages.
struct Table {
  std::string code;    // 公开01表 ...; empty when unidentified
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

struct Finding {
  std::string kind;     // source_error, ocr_error, rounding, missing, unreadable,
                        // narrative_mismatch, disclosure, unmapped, ...
  std::string identity; // identity id, when there is one
  std::string formula;  // readable formula
  std::string message;  // one line: what and where
  std::optional<Decimal> printed, expected, difference;
  std::vector<FindingCell> cells;      // every cell involved
  std::vector<FindingCell> suspects;   // the cells most likely wrong
};

// A line of running text outside the tables, normalised.
struct TextLine {
  int page = 0;
  Box box;
  std::string text;
};

enum class DocumentStatus { kComplete, kPartial, kFailed };
const char* DocumentStatusName(DocumentStatus status);

struct Document {
  std::string source_path;
  std::string doc_id;       // file stem
  std::string sha256;
  std::string kind;         // juesuan, jixiao, unknown
  std::string unit_name;    // 部门/单位
  std::optional<int> year;
  int page_count = 0;
  std::vector<PageText> pages;  // per page decision (glyphs dropped on output)
  std::vector<Table> tables;
  std::vector<Finding> findings;
  std::vector<TextLine> lines;  // page text outside the tables (narrative, captions)
  DocumentStatus status = DocumentStatus::kComplete;
  std::string error;        // set when status != kComplete
  double seconds = 0;
};

}  // namespace juesuan
