// The SQLite store of a batch: one database file holding every document the
// batch has read, keyed by the SHA-256 of the PDF bytes.
//
//   documents(sha256 PK, path, doc_id, kind, unit, year, pages, status, error,
//             seconds, wall_seconds, peak_rss_kb, tool_version, finished_at,
//             figures, mapped, unmapped, grids, grids_identified, missing_rows,
//             unit_key)
//   paths(sha256, path)            every file name the content was seen under
//   pages, tables, cells, facts, flags, findings   children of a document
//   budget_final_pairs             view: a unit's budget and 决算 of one year
//
// The full schema is kStoreSchema with kStoreIndexes (docs/BATCH.md explains
// it). Open migrates a store of an earlier version in place (ALTER TABLE ...
// ADD COLUMN; the new columns are NULL for documents stored before).
// PutDocument writes a document and all its children in one transaction, so a
// process killed at any moment leaves either the whole document or none of it.
// Not thread-safe: one writer (the batch parent) per Store object.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/core/result.h"

struct sqlite3;

namespace juesuan {

extern const char* const kStoreSchema;
extern const char* const kStoreIndexes;

struct CompareMapping;

// What the batch measured around one document, besides the document itself.
struct RunInfo {
  std::string tool_version;
  double wall_seconds = 0;  // parent's clock, dispatch to result
  long peak_rss_kb = 0;     // the worker's peak resident set so far
};

enum class ExportFormat { kCsv, kJsonl };

// One row of the documents table, as the report lists it.
struct StoredDocument {
  std::string sha256, path, doc_id, kind, unit, status, error;
  std::optional<int> year;
  int pages = 0;
  double seconds = 0;
};

// What `juesuan export` writes of the facts (docs/DATA.md).
struct ExportOptions {
  ExportFormat format = ExportFormat::kCsv;
  std::string table;  // only this table's facts ("" every table)
  std::string where;  // an SQL condition on the export's columns ("" none)
  // One row per document, table and row, one column per table column named
  // by its col_label (values as printed, in the table's unit); else one row
  // per figure.
  bool wide = false;
};

class Store {
 public:
  // Opens or creates the database and its schema.
  static Result<std::unique_ptr<Store>> Open(const std::string& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // sha256 -> status ("complete", "partial", "failed") of every document.
  Result<std::map<std::string, std::string>> Statuses();

  // Replaces the document `doc` (the JSON of DocumentToJson, with "sha256"
  // set) and its children; `flags` is an array of {table,row,col,kind};
  // `paths` are all file names the content was found under.
  Result<bool> PutDocument(const nlohmann::json& doc, const nlohmann::json& flags,
                           const std::vector<std::string>& paths, const RunInfo& run);

  // Records more file names for a document already stored.
  Result<bool> AddPaths(const std::string& sha256, const std::vector<std::string>& paths);

  // Copies the documents of another store into this one, one transaction per
  // input. A document present in both keeps the better status (complete or
  // partial over failed); paths are united.
  Result<bool> MergeFrom(const std::string& other_path);

  // Every fact, tidy, in a stable order: unit, year, table, row, col, value,
  // scale (万元/元), path, sha256, then its document's kind, status and
  // coverage (figures, mapped, unmapped, missing_rows, grids, grids_identified).
  // Then the labels: value_yuan, row_label, printed_label, col_label, level,
  // label_source, and the document's unit_key.
  Result<bool> ExportFacts(ExportFormat format, std::ostream& out);
  // The facts `options` select, long or wide. Byte-stable for one store.
  Result<bool> ExportFacts(const ExportOptions& options, std::ostream& out);

  // Every document of the store, by path.
  Result<std::vector<StoredDocument>> Documents();

  // One row per document: unit, year, kind, status, pages, tables identified
  // and in all, the coverage counts, facts, findings, error, path, sha256.
  Result<bool> ExportDocuments(ExportFormat format, std::ostream& out);

  // Budget against 决算 as CSV (pipeline/store/compare.h): documents grouped
  // by unit_key and year, in that order.
  Result<bool> ExportComparison(const CompareMapping& mapping, std::ostream& out);

 private:
  explicit Store(sqlite3* db);
  Result<bool> Exec(const std::string& sql);
  // Adds the columns a store of an earlier version lacks (one transaction).
  Result<bool> Migrate();
  // ExportFacts --wide of the facts of `selected` (an SQL query).
  Result<bool> ExportWide(const ExportOptions& options, const std::string& selected, std::ostream& out);
  // The columns of a table of the main database, in order.
  Result<std::vector<std::string>> Columns(const std::string& table);
  sqlite3* db_;
};

}  // namespace juesuan
