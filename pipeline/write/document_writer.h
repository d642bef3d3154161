// Writers of one finished Document: NAME.json (the whole document, schema
// schemas/document.schema.json), NAME.facts.csv (table,row,col,value — the
// corpus format — then the labels: kLabelledFactsHeader) and NAME.flags.csv
// (table,row,col,kind).
//
// Files are written to a temporary name and renamed, so a reader never sees
// half a file. Thread-safe for distinct documents.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/core/document.h"
#include "pipeline/core/result.h"

namespace juesuan {

// One row of NAME.flags.csv.
struct FlagRow {
  std::string table, row, col, kind;
};

nlohmann::json DocumentToJson(const Document& doc);

// What DocumentFromJson reads back.
enum class DocumentJsonParts {
  // What `juesuan check` reconciles: tables with their facts, findings,
  // lines, coverage and metadata.
  kReconcile,
  // Everything the review report shows besides: status, error, seconds,
  // the per-page text decision, each table's grids with their cells, and
  // each fact's source cell.
  kReport,
};
// The inverse of DocumentToJson, in part.
Result<Document> DocumentFromJson(const nlohmann::json& json,
                                  DocumentJsonParts parts = DocumentJsonParts::kReconcile);

// Facts sorted by table, row, col; one row per figure, in the table's unit:
// the four key columns table,row,col,value (the corpus truth format of
// fixtures/*/expected.facts.csv).
std::string FactsCsv(const Document& doc);

// The columns of NAME.facts.csv: the four of FactsCsv first, then the table's
// unit, the value in 元 and the labels of pipeline/label/fact_labels.h.
inline constexpr const char* kLabelledFactsHeader =
    "table,row,col,value,unit,value_yuan,row_label,printed_label,col_label,level,label_source";
// NAME.facts.csv: the rows of FactsCsv, in its order, with the labels.
std::string LabelledFactsCsv(const Document& doc);
std::string FlagsCsv(const std::vector<FlagRow>& rows);

// The flags of a document, from its findings: one row per cell a finding
// of a flagged kind (source_error, rounding, missing, unreadable,
// narrative_mismatch) names — its suspects, else its cells — in finding
// order, each cell once. ocr_error (a misreading already corrected in the
// facts), uncertain (a break among OCR readings not confirmed: blaming the
// document would be a guess; docs/VERDICTS.md), disclosure and mapping
// findings stay in NAME.json.
std::vector<FlagRow> FlagRowsOf(const Document& doc);

// Serialises with invalid UTF-8 replaced (never throws on bad text).
std::string DumpJson(const nlohmann::json& json);

// Quotes a CSV field when it needs it (RFC 4180).
std::string CsvField(const std::string& field);

// Writes `content` to `path` atomically (temp file + rename).
Result<bool> WriteFileAtomically(const std::string& path, const std::string& content);

// Writes NAME.json, NAME.facts.csv and NAME.flags.csv into out_dir.
Result<bool> WriteDocumentFiles(const Document& doc, const std::vector<FlagRow>& flags,
                                const std::string& out_dir);

}  // namespace juesuan
