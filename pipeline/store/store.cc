#include "pipeline/store/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>
#include <set>
#include <tuple>

#include "pipeline/store/compare.h"
#include "pipeline/write/document_writer.h"

namespace juesuan {

// Columns added after version 1 come last in their tables, in the order the
// migration adds them (Store::Open), so that a migrated store and a new one
// have the same columns in the same order.
const char* const kStoreSchema = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
INSERT OR IGNORE INTO meta VALUES ('schema_version', '3');
CREATE TABLE IF NOT EXISTS documents(
  sha256 TEXT PRIMARY KEY,
  path TEXT NOT NULL,          -- the file it was read from
  doc_id TEXT NOT NULL,        -- that file's name without .pdf
  kind TEXT,                   -- juesuan, yusuan, jixiao, unknown
  unit TEXT,                   -- 部门/单位
  year INTEGER,
  pages INTEGER,
  status TEXT NOT NULL,        -- complete, partial, failed
  error TEXT,                  -- the reason, when not complete
  seconds REAL,                -- pipeline time in the worker
  wall_seconds REAL,           -- dispatch to stored, parent's clock
  peak_rss_kb INTEGER,         -- the worker's peak RSS when it finished
  tool_version TEXT,
  finished_at TEXT,            -- UTC, ISO 8601
  figures INTEGER,             -- coverage: figures printed in tables
  mapped INTEGER,              --   of them keyed
  unmapped INTEGER,            --   of them without a key
  grids INTEGER,               --   table regions detected
  grids_identified INTEGER,    --   of them in an identified table
  missing_rows INTEGER,        --   mandatory rows not found
  unit_key TEXT                -- unit without spaces, full-width forms folded
);
CREATE TABLE IF NOT EXISTS paths(
  sha256 TEXT NOT NULL REFERENCES documents(sha256), path TEXT NOT NULL,
  PRIMARY KEY(sha256, path));
CREATE TABLE IF NOT EXISTS pages(
  sha256 TEXT NOT NULL, page INTEGER NOT NULL, verdict TEXT, source TEXT, reason TEXT,
  rotation INTEGER, skew_degrees REAL, PRIMARY KEY(sha256, page));
CREATE TABLE IF NOT EXISTS tables(
  sha256 TEXT NOT NULL, table_index INTEGER NOT NULL, code TEXT, title TEXT, caption TEXT,
  scale TEXT, pages TEXT, declared_empty INTEGER,
  kind TEXT,                   -- juesuan, yusuan, jixiao; NULL or '' when unidentified
  schema_id TEXT,              -- the definition it was mapped with (预算:sh:支出预算总表)
  identified_by TEXT,          -- title, caption, structure
  PRIMARY KEY(sha256, table_index));
CREATE TABLE IF NOT EXISTS cells(
  sha256 TEXT NOT NULL, table_index INTEGER NOT NULL, grid INTEGER NOT NULL, page INTEGER,
  r INTEGER, c INTEGER, rs INTEGER, cs INTEGER, text TEXT, source TEXT, confidence REAL,
  x0 REAL, y0 REAL, x1 REAL, y1 REAL);
CREATE TABLE IF NOT EXISTS facts(
  sha256 TEXT NOT NULL, table_code TEXT NOT NULL, row TEXT NOT NULL, col TEXT NOT NULL,
  value TEXT NOT NULL,         -- exact decimal string, in `scale`
  scale TEXT,                  -- 万元 or 元
  printed TEXT, page INTEGER, line TEXT, source TEXT, confidence REAL,
  x0 REAL, y0 REAL, x1 REAL, y1 REAL,
  table_index INTEGER,         -- the table it belongs to (tables.table_index)
  row_label TEXT,              -- the row's name (classification list, template, else printed)
  printed_label TEXT,          -- the name as printed, where it differs from row_label
  col_label TEXT,              -- the column's meaning
  level TEXT,                  -- 类/款/项, 经济分类类/经济分类款; '' for item rows
  label_source TEXT,           -- classification, template, printed
  value_yuan TEXT);            -- exact decimal string in 元; NULL for scores and rates
CREATE TABLE IF NOT EXISTS flags(
  sha256 TEXT NOT NULL, table_code TEXT, row TEXT, col TEXT, kind TEXT);
CREATE TABLE IF NOT EXISTS findings(
  sha256 TEXT NOT NULL, idx INTEGER NOT NULL, kind TEXT, identity TEXT, formula TEXT,
  message TEXT, printed TEXT, expected TEXT, difference TEXT, cells TEXT, suspects TEXT);
)SQL";

// Indexes and views, created after the migration (they use its columns).
const char* const kStoreIndexes = R"SQL(
CREATE INDEX IF NOT EXISTS documents_unit_year ON documents(unit, year);
CREATE INDEX IF NOT EXISTS documents_unit_key ON documents(unit_key, year);
CREATE INDEX IF NOT EXISTS documents_status ON documents(status);
CREATE INDEX IF NOT EXISTS cells_doc ON cells(sha256, table_index);
CREATE INDEX IF NOT EXISTS facts_key ON facts(table_code, row, col);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(sha256);
CREATE INDEX IF NOT EXISTS flags_doc ON flags(sha256);
CREATE INDEX IF NOT EXISTS findings_kind ON findings(kind, sha256);
CREATE INDEX IF NOT EXISTS findings_doc ON findings(sha256);
-- A unit's budget and its final accounts of the same year (docs/BATCH.md).
CREATE VIEW IF NOT EXISTS budget_final_pairs AS
  SELECT b.unit_key AS unit_key, b.year AS year, f.unit AS unit,
         b.sha256 AS budget_sha256, b.path AS budget_path,
         f.sha256 AS final_sha256, f.path AS final_path
  FROM documents b JOIN documents f ON f.unit_key = b.unit_key AND f.year = b.year
  WHERE b.kind = 'yusuan' AND f.kind = 'juesuan' AND b.status <> 'failed' AND f.status <> 'failed'
    AND b.unit_key <> '';
)SQL";

namespace {

// The coverage counts, as named in NAME.json and in the documents table.
const char* const kCoverageCounts[] = {"figures", "mapped", "unmapped", "grids", "grids_identified", "missing_rows"};

// The child tables, in the order a document's rows are deleted and copied.
const char* const kChildTables[] = {"paths", "pages", "tables", "cells", "facts", "flags", "findings"};

// A prepared statement that binds by position and finalises itself.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  bool ok() const { return stmt_ != nullptr; }
  Statement& Bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(int i, const char* v) { return Bind(i, std::string(v)); }
  Statement& Bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  Statement& Bind(int i, long long v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& Bind(int i, int v) { return Bind(i, static_cast<long long>(v)); }
  Statement& Bind(int i, long v) { return Bind(i, static_cast<long long>(v)); }
  Statement& Bind(int i, bool v) { return Bind(i, static_cast<long long>(v)); }
  Statement& BindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // Binds a JSON scalar: strings as text, numbers as numbers, null as NULL.
  Statement& BindJson(int i, const nlohmann::json& v) {
    if (v.is_string()) return Bind(i, v.get<std::string>());
    if (v.is_number_integer()) return Bind(i, v.get<long long>());
    if (v.is_number()) return Bind(i, v.get<double>());
    if (v.is_boolean()) return Bind(i, v.get<bool>());
    if (v.is_null()) return BindNull(i);
    return Bind(i, v.dump());
  }
  // Runs to completion and resets for the next row.
  bool Run() {
    int rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    return rc == SQLITE_DONE || rc == SQLITE_ROW;
  }
  bool Step() { return sqlite3_step(stmt_) == SQLITE_ROW; }
  // Ends a Step() loop: ready to bind and step again.
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string Text(int col) {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  bool IsNull(int col) { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  long long Int(int col) { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) { return sqlite3_column_double(stmt_, col); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

Error DbError(sqlite3* db, const std::string& what) {
  return MakeError(ErrorCode::kEngine, "store: " + what + ": " + sqlite3_errmsg(db));
}

std::string UtcNow() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

const nlohmann::json& Field(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

void BindBox(Statement& s, int first, const nlohmann::json& box) {
  for (int k = 0; k < 4; ++k) {
    if (box.is_array() && box.size() == 4) s.BindJson(first + k, box[k]);
    else s.BindNull(first + k);
  }
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    line += CsvField(fields[i]);
  }
  return line + "\n";
}

}  // namespace

Store::Store(sqlite3* db) : db_(db) {}

Store::~Store() { sqlite3_close(db_); }

Result<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    Error e = MakeError(ErrorCode::kUnreadable, "store: cannot open " + path + ": " + sqlite3_errmsg(db));
    sqlite3_close(db);
    return e;
  }
  std::unique_ptr<Store> store(new Store(db));
  sqlite3_busy_timeout(db, 10000);
  // WAL: a killed writer loses at most its open transaction, never the file;
  // NORMAL sync is durable against process death, which is what batches meet.
  auto setup = store->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
  if (!setup) return setup.error();
  auto schema = store->Exec(kStoreSchema);
  if (!schema) return schema.error();
  auto migrated = store->Migrate();
  if (!migrated) return migrated.error();
  auto indexes = store->Exec(kStoreIndexes);
  if (!indexes) return indexes.error();
  return store;
}

Result<std::vector<std::string>> Store::Columns(const std::string& table) {
  Statement s(db_, ("PRAGMA main.table_info(" + table + ")").c_str());
  if (!s.ok()) return DbError(db_, "reading the columns of " + table);
  std::vector<std::string> columns;
  while (s.Step()) columns.push_back(s.Text(1));
  return columns;
}

Result<bool> Store::Migrate() {
  // Version 1 stores lack these; ADD COLUMN appends them, as kStoreSchema
  // has them, so every store has the same column order.
  struct Added {
    const char* table;
    const char* column;
    const char* type;
  };
  static const Added kAdded[] = {
      {"documents", "figures", "INTEGER"},  {"documents", "mapped", "INTEGER"},
      {"documents", "unmapped", "INTEGER"}, {"documents", "grids", "INTEGER"},
      {"documents", "grids_identified", "INTEGER"}, {"documents", "missing_rows", "INTEGER"},
      {"documents", "unit_key", "TEXT"},    {"tables", "kind", "TEXT"},
      {"tables", "schema_id", "TEXT"},      {"tables", "identified_by", "TEXT"},
      {"facts", "table_index", "INTEGER"},  {"facts", "row_label", "TEXT"},
      {"facts", "printed_label", "TEXT"},   {"facts", "col_label", "TEXT"},
      {"facts", "level", "TEXT"},           {"facts", "label_source", "TEXT"},
      {"facts", "value_yuan", "TEXT"},
  };
  auto find_missing = [&]() -> Result<std::vector<const Added*>> {
    std::map<std::string, std::vector<std::string>> columns;
    std::vector<const Added*> missing;
    for (const Added& a : kAdded) {
      if (!columns.count(a.table)) {
        auto got = Columns(a.table);
        if (!got) return got.error();
        columns[a.table] = got.value();
      }
      const auto& have = columns[a.table];
      if (std::find(have.begin(), have.end(), a.column) == have.end()) missing.push_back(&a);
    }
    return missing;
  };
  auto before = find_missing();
  if (!before) return before.error();
  if (before.value().empty()) return true;
  // Under the write lock, again: another process may have migrated meanwhile.
  auto begun = Exec("BEGIN IMMEDIATE");
  if (!begun) return begun;
  auto fail = [&](const Error& e) -> Result<bool> {
    Exec("ROLLBACK");
    return e;
  };
  auto still = find_missing();
  if (!still) return fail(still.error());
  const std::vector<const Added*>& missing = still.value();
  bool unit_key_added = false, table_index_added = false;
  for (const Added* a : missing) {
    auto added = Exec(std::string("ALTER TABLE ") + a->table + " ADD COLUMN " + a->column + " " + a->type);
    if (!added) return fail(added.error());
    unit_key_added |= std::string(a->column) == "unit_key";
    table_index_added |= std::string(a->column) == "table_index";
  }
  if (unit_key_added) {
    // The key is computed here, not in SQL (full-width folding).
    std::vector<std::pair<std::string, std::string>> units;
    {
      Statement s(db_, "SELECT sha256, unit FROM documents");
      while (s.Step()) units.emplace_back(s.Text(0), s.Text(1));
    }
    Statement u(db_, "UPDATE documents SET unit_key = ? WHERE sha256 = ?");
    for (const auto& [sha, unit] : units)
      if (!u.Bind(1, UnitKey(unit)).Bind(2, sha).Run()) return fail(DbError(db_, "migrating unit_key"));
  }
  if (table_index_added) {
    // Version 1 linked facts to tables by code only.
    auto linked = Exec(
        "UPDATE facts SET table_index = (SELECT min(t.table_index) FROM tables t"
        " WHERE t.sha256 = facts.sha256 AND t.code = facts.table_code)");
    if (!linked) return fail(linked.error());
  }
  auto version = Exec("UPDATE meta SET value = '3' WHERE key = 'schema_version'");
  if (!version) return fail(version.error());
  return Exec("COMMIT");
}

Result<bool> Store::Exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    return MakeError(ErrorCode::kEngine, "store: " + text);
  }
  return true;
}

Result<std::map<std::string, std::string>> Store::Statuses() {
  Statement s(db_, "SELECT sha256, status FROM documents");
  if (!s.ok()) return DbError(db_, "reading statuses");
  std::map<std::string, std::string> out;
  while (s.Step()) out[s.Text(0)] = s.Text(1);
  return out;
}

Result<bool> Store::PutDocument(const nlohmann::json& doc, const nlohmann::json& flags,
                                const std::vector<std::string>& paths, const RunInfo& run) {
  const std::string sha = doc.value("sha256", "");
  if (sha.empty()) return MakeError(ErrorCode::kInvalidArgument, "store: document without sha256");
  auto begun = Exec("BEGIN IMMEDIATE");
  if (!begun) return begun;
  auto fail = [&](const std::string& what) -> Result<bool> {
    Error e = DbError(db_, what);
    Exec("ROLLBACK");
    return e;
  };
  for (const char* table : kChildTables) {
    Statement del(db_, (std::string("DELETE FROM ") + table + " WHERE sha256 = ?").c_str());
    if (!del.ok() || !del.Bind(1, sha).Run()) return fail(std::string("clearing ") + table);
  }
  {
    Statement s(db_,
                "INSERT OR REPLACE INTO documents(sha256, path, doc_id, kind, unit, year, pages, status,"
                " error, seconds, wall_seconds, peak_rss_kb, tool_version, finished_at, figures, mapped,"
                " unmapped, grids, grids_identified, missing_rows, unit_key)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s.Bind(1, sha).Bind(2, doc.value("source_path", "")).Bind(3, doc.value("doc_id", ""))
        .BindJson(4, Field(doc, "kind")).BindJson(5, Field(doc, "unit")).BindJson(6, Field(doc, "year"))
        .BindJson(7, Field(doc, "pages")).Bind(8, doc.value("status", "failed"))
        .BindJson(9, Field(doc, "error")).BindJson(10, Field(doc, "seconds"))
        .Bind(11, run.wall_seconds).Bind(12, run.peak_rss_kb).Bind(13, run.tool_version)
        .Bind(14, UtcNow());
    // Coverage: NULL when the document carries none (a worker that died).
    const nlohmann::json& coverage = Field(doc, "coverage");
    int column = 15;
    for (const char* count : kCoverageCounts) s.BindJson(column++, Field(coverage, count));
    const nlohmann::json& unit = Field(doc, "unit");
    s.Bind(column, UnitKey(unit.is_string() ? unit.get<std::string>() : ""));
    if (!s.ok() || !s.Run()) return fail("writing document");
  }
  {
    Statement s(db_, "INSERT OR IGNORE INTO paths(sha256, path) VALUES (?,?)");
    for (const std::string& p : paths)
      if (!s.Bind(1, sha).Bind(2, p).Run()) return fail("writing paths");
  }
  {
    Statement s(db_, "INSERT OR REPLACE INTO pages VALUES (?,?,?,?,?,?,?)");
    for (const auto& p : Field(doc, "page_text")) {
      s.Bind(1, sha).BindJson(2, Field(p, "page")).BindJson(3, Field(p, "verdict"))
          .BindJson(4, Field(p, "source")).BindJson(5, Field(p, "reason"))
          .Bind(6, p.value("rotation", 0)).Bind(7, p.value("skew_degrees", 0.0));
      if (!s.Run()) return fail("writing pages");
    }
  }
  {
    Statement t(db_,
                "INSERT INTO tables(sha256, table_index, code, title, caption, scale, pages, declared_empty,"
                " kind, schema_id, identified_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    Statement c(db_, "INSERT INTO cells VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    Statement f(db_,
                "INSERT INTO facts(sha256, table_code, row, col, value, scale, printed, page, line, source,"
                " confidence, x0, y0, x1, y1, table_index, row_label, printed_label, col_label, level,"
                " label_source, value_yuan) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    int table_index = 0;
    for (const auto& tj : Field(doc, "tables")) {
      t.Bind(1, sha).Bind(2, table_index).BindJson(3, Field(tj, "table")).BindJson(4, Field(tj, "title"))
          .BindJson(5, Field(tj, "caption")).BindJson(6, Field(tj, "unit"))
          .Bind(7, Field(tj, "pages").dump()).Bind(8, tj.value("declared_empty", false))
          .BindJson(9, Field(tj, "kind")).BindJson(10, Field(tj, "schema_id"))
          .BindJson(11, Field(tj, "identified_by"));
      if (!t.Run()) return fail("writing tables");
      int grid = 0;
      for (const auto& gj : Field(tj, "grids")) {
        for (const auto& cj : Field(gj, "cells")) {
          c.Bind(1, sha).Bind(2, table_index).Bind(3, grid).BindJson(4, Field(gj, "page"))
              .BindJson(5, Field(cj, "r")).BindJson(6, Field(cj, "c")).BindJson(7, Field(cj, "rs"))
              .BindJson(8, Field(cj, "cs")).BindJson(9, Field(cj, "text"))
              .Bind(10, cj.value("source", "text_layer")).Bind(11, cj.value("confidence", 100.0));
          BindBox(c, 12, Field(cj, "box"));
          if (!c.Run()) return fail("writing cells");
        }
        ++grid;
      }
      for (const auto& fj : Field(tj, "facts")) {
        f.Bind(1, sha).BindJson(2, Field(fj, "table")).BindJson(3, Field(fj, "row"))
            .BindJson(4, Field(fj, "col")).BindJson(5, Field(fj, "value")).BindJson(6, Field(tj, "unit"))
            .BindJson(7, Field(fj, "printed")).BindJson(8, Field(fj, "page")).BindJson(9, Field(fj, "line"))
            .BindJson(10, Field(fj, "source")).BindJson(11, Field(fj, "confidence"));
        BindBox(f, 12, Field(fj, "box"));
        f.Bind(16, table_index);
        int column = 17;
        for (const char* label : {"row_label", "printed_label", "col_label", "level", "label_source", "value_yuan"})
          f.BindJson(column++, Field(fj, label));
        if (!f.Run()) return fail("writing facts");
      }
      ++table_index;
    }
  }
  {
    Statement s(db_, "INSERT INTO flags VALUES (?,?,?,?,?)");
    for (const auto& fl : flags) {
      s.Bind(1, sha).BindJson(2, Field(fl, "table")).BindJson(3, Field(fl, "row"))
          .BindJson(4, Field(fl, "col")).BindJson(5, Field(fl, "kind"));
      if (!s.Run()) return fail("writing flags");
    }
  }
  {
    Statement s(db_, "INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    int idx = 0;
    for (const auto& fj : Field(doc, "findings")) {
      s.Bind(1, sha).Bind(2, idx++).BindJson(3, Field(fj, "kind")).BindJson(4, Field(fj, "identity"))
          .BindJson(5, Field(fj, "formula")).BindJson(6, Field(fj, "message"))
          .BindJson(7, Field(fj, "printed")).BindJson(8, Field(fj, "expected"))
          .BindJson(9, Field(fj, "difference")).Bind(10, Field(fj, "cells").dump())
          .Bind(11, Field(fj, "suspects").dump());
      if (!s.Run()) return fail("writing findings");
    }
  }
  return Exec("COMMIT");
}

Result<bool> Store::AddPaths(const std::string& sha256, const std::vector<std::string>& paths) {
  Statement s(db_, "INSERT OR IGNORE INTO paths(sha256, path) VALUES (?,?)");
  for (const std::string& p : paths)
    if (!s.ok() || !s.Bind(1, sha256).Bind(2, p).Run()) return DbError(db_, "writing paths");
  return true;
}

Result<bool> Store::MergeFrom(const std::string& other_path) {
  // Validate the input by opening it as a store (creates nothing new if it
  // is one; a store of an earlier version is migrated like this one).
  {
    auto other = Open(other_path);
    if (!other) return other.error();
  }
  // Named columns: stores made by different versions may order them differently.
  std::map<std::string, std::string> column_lists;
  for (const char* table : {"documents", "paths", "pages", "tables", "cells", "facts", "flags", "findings"}) {
    auto columns = Columns(table);
    if (!columns) return columns.error();
    std::string list;
    for (const std::string& c : columns.value()) list += (list.empty() ? "" : ", ") + c;
    column_lists[table] = list;
  }
  auto copy = [&](const std::string& verb, const char* table, const std::string& where) {
    const std::string& cols = column_lists[table];
    return verb + " INTO main." + table + "(" + cols + ") SELECT " + cols + " FROM src." + table + where + ";";
  };
  Statement attach(db_, "ATTACH DATABASE ? AS src");
  if (!attach.ok() || !attach.Bind(1, other_path).Run()) return DbError(db_, "attaching " + other_path);
  const std::string taken = " WHERE sha256 IN (SELECT sha256 FROM take)";
  std::string sql =
      "BEGIN IMMEDIATE;"
      "CREATE TEMP TABLE take AS SELECT s.sha256 FROM src.documents s"
      "  LEFT JOIN main.documents m ON m.sha256 = s.sha256"
      "  WHERE m.sha256 IS NULL OR m.status = 'failed' OR s.status <> 'failed';";
  for (const char* table : kChildTables) {
    if (std::string(table) == "paths") continue;
    sql += std::string("DELETE FROM main.") + table + taken + ";";
    sql += copy("INSERT", table, taken);
  }
  sql += copy("INSERT OR REPLACE", "documents", taken);
  sql += copy("INSERT OR IGNORE", "paths", "");
  sql +=
      "DROP TABLE temp.take;"
      "COMMIT;";
  auto merged = Exec(sql);
  if (!merged) Exec("ROLLBACK; DROP TABLE IF EXISTS temp.take;");
  Exec("DETACH DATABASE src");
  return merged;
}

namespace {

// Writes the rows of `s` as CSV (with a header) or JSON lines; `integers`
// are the columns written as JSON numbers.
void WriteRows(Statement& s, const std::vector<std::string>& columns, const std::set<std::string>& integers,
               ExportFormat format, std::ostream& out) {
  if (format == ExportFormat::kCsv) out << CsvLine(columns);
  while (s.Step()) {
    if (format == ExportFormat::kCsv) {
      std::vector<std::string> fields;
      for (size_t i = 0; i < columns.size(); ++i) fields.push_back(s.Text(static_cast<int>(i)));
      out << CsvLine(fields);
    } else {
      nlohmann::json j = nlohmann::json::object();
      for (size_t i = 0; i < columns.size(); ++i) {
        int col = static_cast<int>(i);
        if (s.IsNull(col)) j[columns[i]] = nullptr;
        else if (integers.count(columns[i])) j[columns[i]] = s.Int(col);
        else j[columns[i]] = s.Text(col);
      }
      out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
  }
}

const std::set<std::string> kIntegerColumns = {"year", "pages", "figures", "mapped", "unmapped",
                                               "grids", "grids_identified", "missing_rows"};

}  // namespace

namespace {

// The columns of a long (one figure a row) export, in order: those of
// version 1, then the document's kind, status and coverage, then the labels
// (docs/DATA.md, schemas/export_fact.schema.json).
const std::vector<std::string> kFactColumns = {
    "unit", "year", "table", "row", "col", "value", "scale", "path", "sha256", "kind", "status", "figures",
    "mapped", "unmapped", "missing_rows", "grids", "grids_identified", "value_yuan", "row_label", "printed_label",
    "col_label", "level", "label_source", "unit_key"};

// Every fact with its export columns (named as in kFactColumns), and `fact_id`
// (the fact's rowid: its place in the printed table) for the wide layout.
const char* const kFactsQuery =
    "SELECT d.unit AS unit, d.year AS year, f.table_code AS \"table\", f.row AS row, f.col AS col,"
    " f.value AS value, f.scale AS scale, d.path AS path, d.sha256 AS sha256, d.kind AS kind,"
    " d.status AS status, d.figures AS figures, d.mapped AS mapped, d.unmapped AS unmapped,"
    " d.missing_rows AS missing_rows, d.grids AS grids, d.grids_identified AS grids_identified,"
    " f.value_yuan AS value_yuan, f.row_label AS row_label, f.printed_label AS printed_label,"
    " f.col_label AS col_label, f.level AS level, f.label_source AS label_source, d.unit_key AS unit_key,"
    " f.rowid AS fact_id"
    " FROM facts f JOIN documents d ON d.sha256 = f.sha256";

// The selected facts: kFactsQuery narrowed by --table and --where.
Result<std::string> SelectedFacts(const ExportOptions& options) {
  std::string sql = std::string("SELECT * FROM (") + kFactsQuery + ") WHERE 1";
  if (!options.table.empty()) sql += " AND \"table\" = ?1";
  if (!options.where.empty()) {
    // One condition, not a second statement.
    if (options.where.find(';') != std::string::npos)
      return MakeError(ErrorCode::kInvalidArgument, "--where takes one SQL condition, without ';'");
    sql += " AND (" + options.where + ")";
  }
  return sql;
}

// A column key's place among its table's columns: 决算 栏次 by number, other
// keys after them, in the order they were first printed.
std::string ColumnOrder(const std::string& col, long long first_fact) {
  char buf[64];
  const bool number = !col.empty() && col.size() < 6 && std::all_of(col.begin(), col.end(), ::isdigit);
  std::snprintf(buf, sizeof(buf), "%d%06d%020lld", number ? 0 : 1, number ? std::stoi(col) : 0, first_fact);
  return buf;
}

}  // namespace

Result<bool> Store::ExportFacts(ExportFormat format, std::ostream& out) {
  ExportOptions options;
  options.format = format;
  return ExportFacts(options, out);
}

Result<bool> Store::ExportFacts(const ExportOptions& options, std::ostream& out) {
  auto selected = SelectedFacts(options);
  if (!selected) return selected.error();
  if (options.wide) return ExportWide(options, selected.value(), out);
  std::string columns;
  for (const std::string& c : kFactColumns) columns += (columns.empty() ? "" : ", ") + ("\"" + c + "\"");
  const std::string sql = "SELECT " + columns + " FROM (" + selected.value() +
                          ") ORDER BY unit, year, sha256, \"table\", row, col, value";
  Statement s(db_, sql.c_str());
  if (!s.ok()) return DbError(db_, "exporting");
  if (!options.table.empty()) s.Bind(1, options.table);
  WriteRows(s, kFactColumns, kIntegerColumns, options.format, out);
  return true;
}

Result<bool> Store::ExportWide(const ExportOptions& options, const std::string& selected, std::ostream& out) {
  // The value columns: each table's columns in their order, named by
  // col_label; tables that share a meaning (基本支出) share the column.
  struct Column {
    std::string order, table, col, label;
  };
  std::vector<Column> table_columns;
  {
    const std::string sql = "SELECT \"table\", col, coalesce(col_label, ''), min(fact_id) FROM (" + selected +
                            ") GROUP BY \"table\", col, coalesce(col_label, '')";
    Statement s(db_, sql.c_str());
    if (!s.ok()) return DbError(db_, "exporting");
    if (!options.table.empty()) s.Bind(1, options.table);
    while (s.Step()) {
      std::string label = s.Text(2).empty() ? s.Text(1) : s.Text(2);
      table_columns.push_back({ColumnOrder(s.Text(1), s.Int(3)), s.Text(0), s.Text(1), label});
    }
  }
  std::sort(table_columns.begin(), table_columns.end(), [](const Column& a, const Column& b) {
    return std::tie(a.table, a.order, a.col) < std::tie(b.table, b.order, b.col);
  });
  std::vector<std::string> header = {"unit", "year", "table", "row", "row_label", "printed_label", "level", "scale"};
  const size_t first_value = header.size();
  std::map<std::pair<std::string, std::string>, size_t> place;  // (table, col) -> header index
  std::map<std::string, std::string> label_owner;               // label -> table,col that took it
  for (const Column& c : table_columns) {
    std::string name = c.label;
    // Two columns of one table with one meaning stay apart.
    auto owner = label_owner.find(name);
    if (owner != label_owner.end() && owner->second.rfind(c.table + "\t", 0) == 0 &&
        owner->second != c.table + "\t" + c.col)
      name += "[" + c.col + "]";
    auto at = std::find(header.begin() + first_value, header.end(), name);
    if (at == header.end()) {
      header.push_back(name);
      label_owner[name] = c.table + "\t" + c.col;
      at = header.end() - 1;
    }
    place[{c.table, c.col}] = static_cast<size_t>(at - header.begin());
  }
  for (const char* tail : {"unit_key", "kind", "status", "path", "sha256"}) header.push_back(tail);
  // One row per document, table and row, in the order the table printed them.
  const std::string sql =
      "SELECT unit, year, \"table\", row, row_label, printed_label, level, scale, col, value, unit_key, kind, status,"
      " path, sha256, min(fact_id) OVER (PARTITION BY sha256, \"table\", row) AS row_order FROM (" +
      selected + ") ORDER BY unit, year, sha256, \"table\", row_order, row, fact_id";
  Statement s(db_, sql.c_str());
  if (!s.ok()) return DbError(db_, "exporting");
  if (!options.table.empty()) s.Bind(1, options.table);
  if (options.format == ExportFormat::kCsv) out << CsvLine(header);
  std::vector<std::optional<std::string>> row;
  std::string row_key;
  auto flush = [&]() {
    if (row.empty()) return;
    if (options.format == ExportFormat::kCsv) {
      std::vector<std::string> fields;
      for (const auto& v : row) fields.push_back(v.value_or(""));
      out << CsvLine(fields);
    } else {
      nlohmann::ordered_json j = nlohmann::ordered_json::object();  // keys in header order
      for (size_t i = 0; i < header.size(); ++i) {
        if (!row[i]) j[header[i]] = nullptr;
        else if (header[i] == "year") j[header[i]] = std::stoll(*row[i]);
        else j[header[i]] = *row[i];
      }
      out << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
    }
    row.clear();
  };
  while (s.Step()) {
    const std::string key = s.Text(14) + "\t" + s.Text(2) + "\t" + s.Text(3);
    if (key != row_key) {
      flush();
      row_key = key;
      row.assign(header.size(), std::nullopt);
      for (int i = 0; i < 8; ++i) {
        if (!s.IsNull(i)) row[i] = s.Text(i);
      }
      for (int i = 0; i < 5; ++i) {
        if (!s.IsNull(10 + i)) row[header.size() - 5 + i] = s.Text(10 + i);
      }
    }
    auto at = place.find({s.Text(2), s.Text(8)});
    if (at != place.end()) row[at->second] = s.Text(9);
  }
  flush();
  return true;
}

Result<std::vector<StoredDocument>> Store::Documents() {
  Statement s(db_,
              "SELECT sha256, path, doc_id, coalesce(kind, ''), coalesce(unit, ''), status, coalesce(error, ''),"
              " year, coalesce(pages, 0), coalesce(seconds, 0) FROM documents ORDER BY path, sha256");
  if (!s.ok()) return DbError(db_, "reading documents");
  std::vector<StoredDocument> documents;
  while (s.Step()) {
    StoredDocument d{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6)};
    if (!s.IsNull(7)) d.year = static_cast<int>(s.Int(7));
    d.pages = static_cast<int>(s.Int(8));
    d.seconds = s.Double(9);
    documents.push_back(std::move(d));
  }
  return documents;
}

Result<bool> Store::ExportDocuments(ExportFormat format, std::ostream& out) {
  Statement s(db_,
              "SELECT d.unit, d.year, d.kind, d.status, d.pages,"
              " (SELECT count(*) FROM tables t WHERE t.sha256 = d.sha256 AND coalesce(t.code, '') <> ''),"
              " (SELECT count(*) FROM tables t WHERE t.sha256 = d.sha256),"
              " d.figures, d.mapped, d.unmapped, d.missing_rows, d.grids, d.grids_identified,"
              " (SELECT count(*) FROM facts f WHERE f.sha256 = d.sha256),"
              " (SELECT count(*) FROM findings g WHERE g.sha256 = d.sha256),"
              " d.error, d.path, d.sha256"
              " FROM documents d ORDER BY d.unit, d.year, d.sha256");
  if (!s.ok()) return DbError(db_, "exporting documents");
  WriteRows(s,
            {"unit", "year", "kind", "status", "pages", "tables_identified", "tables", "figures", "mapped",
             "unmapped", "missing_rows", "grids", "grids_identified", "facts", "findings", "error", "path",
             "sha256"},
            {"year", "pages", "tables_identified", "tables", "figures", "mapped", "unmapped", "missing_rows", "grids",
             "grids_identified", "facts", "findings"},
            format, out);
  return true;
}

Result<bool> Store::ExportComparison(const CompareMapping& mapping, std::ostream& out) {
  // Documents that can take part, grouped by unit and year; one group's
  // figures at a time are held in memory.
  Statement docs(db_,
                 "SELECT sha256, path, kind, coalesce(unit, ''), year, coalesce(unit_key, '') FROM documents"
                 " WHERE kind IN ('yusuan', 'juesuan') AND status <> 'failed'"
                 " ORDER BY coalesce(unit_key, ''), year, path, sha256");
  if (!docs.ok()) return DbError(db_, "reading documents");
  struct Entry {
    std::string key;  // unit_key + year; empty: the document stands alone
    CompareDocument doc;
  };
  std::vector<Entry> entries;
  while (docs.Step()) {
    Entry e;
    e.doc.sha256 = docs.Text(0);
    e.doc.path = docs.Text(1);
    e.doc.kind = docs.Text(2);
    e.doc.unit = docs.Text(3);
    if (!docs.IsNull(4)) e.doc.year = static_cast<int>(docs.Int(4));
    if (!docs.Text(5).empty() && e.doc.year) e.key = docs.Text(5) + "\t" + std::to_string(*e.doc.year);
    entries.push_back(std::move(e));
  }
  Statement facts(db_,
                  "SELECT f.table_code, coalesce(t.schema_id, ''), f.row, f.col, f.value, coalesce(f.scale, '')"
                  " FROM facts f LEFT JOIN tables t ON t.sha256 = f.sha256 AND t.table_index = f.table_index"
                  " WHERE f.sha256 = ? ORDER BY f.rowid");
  if (!facts.ok()) return DbError(db_, "reading facts");
  auto load = [&](CompareDocument& doc) {
    facts.Bind(1, doc.sha256);
    while (facts.Step()) {
      auto value = Decimal::Parse(facts.Text(4));
      if (!value) continue;
      doc.facts.push_back(CompareFact{facts.Text(0), facts.Text(1), facts.Text(2), facts.Text(3), facts.Text(5),
                                      *value});
    }
    facts.Reset();
  };
  out << ComparisonCsvHeader();
  for (size_t i = 0; i < entries.size();) {
    size_t end = i + 1;
    if (!entries[i].key.empty()) {
      while (end < entries.size() && entries[end].key == entries[i].key) ++end;
    }
    std::vector<CompareDocument> group;
    for (size_t k = i; k < end; ++k) {
      load(entries[k].doc);
      group.push_back(std::move(entries[k].doc));
    }
    for (const ComparisonRow& row : CompareDocuments(mapping, group)) out << ComparisonCsvLine(row, mapping.unit);
    i = end;
  }
  return true;
}

}  // namespace juesuan
