#include "pipeline/store/store.h"

#include <sqlite3.h>

#include <chrono>
#include <ctime>

#include "pipeline/write/document_writer.h"

namespace juesuan {

const char* const kStoreSchema = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
INSERT OR IGNORE INTO meta VALUES ('schema_version', '1');
CREATE TABLE IF NOT EXISTS documents(
  sha256 TEXT PRIMARY KEY,
  path TEXT NOT NULL,          -- the file it was read from
  doc_id TEXT NOT NULL,        -- that file's name without .pdf
  kind TEXT,                   -- juesuan, jixiao, unknown
  unit TEXT,                   -- 部门/单位
  year INTEGER,
  pages INTEGER,
  status TEXT NOT NULL,        -- complete, partial, failed
  error TEXT,                  -- the reason, when not complete
  seconds REAL,                -- pipeline time in the worker
  wall_seconds REAL,           -- dispatch to stored, parent's clock
  peak_rss_kb INTEGER,         -- the worker's peak RSS when it finished
  tool_version TEXT,
  finished_at TEXT             -- UTC, ISO 8601
);
CREATE TABLE IF NOT EXISTS paths(
  sha256 TEXT NOT NULL REFERENCES documents(sha256), path TEXT NOT NULL,
  PRIMARY KEY(sha256, path));
CREATE TABLE IF NOT EXISTS pages(
  sha256 TEXT NOT NULL, page INTEGER NOT NULL, verdict TEXT, source TEXT, reason TEXT,
  rotation INTEGER, skew_degrees REAL, PRIMARY KEY(sha256, page));
CREATE TABLE IF NOT EXISTS tables(
  sha256 TEXT NOT NULL, table_index INTEGER NOT NULL, code TEXT, title TEXT, caption TEXT,
  scale TEXT, pages TEXT, declared_empty INTEGER, PRIMARY KEY(sha256, table_index));
CREATE TABLE IF NOT EXISTS cells(
  sha256 TEXT NOT NULL, table_index INTEGER NOT NULL, grid INTEGER NOT NULL, page INTEGER,
  r INTEGER, c INTEGER, rs INTEGER, cs INTEGER, text TEXT, source TEXT, confidence REAL,
  x0 REAL, y0 REAL, x1 REAL, y1 REAL);
CREATE TABLE IF NOT EXISTS facts(
  sha256 TEXT NOT NULL, table_code TEXT NOT NULL, row TEXT NOT NULL, col TEXT NOT NULL,
  value TEXT NOT NULL,         -- exact decimal string, in `scale`
  scale TEXT,                  -- 万元 or 元
  printed TEXT, page INTEGER, line TEXT, source TEXT, confidence REAL,
  x0 REAL, y0 REAL, x1 REAL, y1 REAL);
CREATE TABLE IF NOT EXISTS flags(
  sha256 TEXT NOT NULL, table_code TEXT, row TEXT, col TEXT, kind TEXT);
CREATE TABLE IF NOT EXISTS findings(
  sha256 TEXT NOT NULL, idx INTEGER NOT NULL, kind TEXT, identity TEXT, formula TEXT,
  message TEXT, printed TEXT, expected TEXT, difference TEXT, cells TEXT, suspects TEXT);
CREATE INDEX IF NOT EXISTS documents_unit_year ON documents(unit, year);
CREATE INDEX IF NOT EXISTS documents_status ON documents(status);
CREATE INDEX IF NOT EXISTS cells_doc ON cells(sha256, table_index);
CREATE INDEX IF NOT EXISTS facts_key ON facts(table_code, row, col);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(sha256);
CREATE INDEX IF NOT EXISTS flags_doc ON flags(sha256);
CREATE INDEX IF NOT EXISTS findings_kind ON findings(kind, sha256);
CREATE INDEX IF NOT EXISTS findings_doc ON findings(sha256);
)SQL";

namespace {

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
  std::string Text(int col) {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  bool IsNull(int col) { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  long long Int(int col) { return sqlite3_column_int64(stmt_, col); }

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
  return store;
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
                " error, seconds, wall_seconds, peak_rss_kb, tool_version, finished_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s.Bind(1, sha).Bind(2, doc.value("source_path", "")).Bind(3, doc.value("doc_id", ""))
        .BindJson(4, Field(doc, "kind")).BindJson(5, Field(doc, "unit")).BindJson(6, Field(doc, "year"))
        .BindJson(7, Field(doc, "pages")).Bind(8, doc.value("status", "failed"))
        .BindJson(9, Field(doc, "error")).BindJson(10, Field(doc, "seconds"))
        .Bind(11, run.wall_seconds).Bind(12, run.peak_rss_kb).Bind(13, run.tool_version)
        .Bind(14, UtcNow());
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
    Statement t(db_, "INSERT INTO tables VALUES (?,?,?,?,?,?,?,?)");
    Statement c(db_, "INSERT INTO cells VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    Statement f(db_, "INSERT INTO facts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    int table_index = 0;
    for (const auto& tj : Field(doc, "tables")) {
      t.Bind(1, sha).Bind(2, table_index).BindJson(3, Field(tj, "table")).BindJson(4, Field(tj, "title"))
          .BindJson(5, Field(tj, "caption")).BindJson(6, Field(tj, "unit"))
          .Bind(7, Field(tj, "pages").dump()).Bind(8, tj.value("declared_empty", false));
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
  // Validate the input by opening it as a store (creates nothing new if it is one).
  {
    auto other = Open(other_path);
    if (!other) return other.error();
  }
  Statement attach(db_, "ATTACH DATABASE ? AS src");
  if (!attach.ok() || !attach.Bind(1, other_path).Run()) return DbError(db_, "attaching " + other_path);
  std::string sql =
      "BEGIN IMMEDIATE;"
      "CREATE TEMP TABLE take AS SELECT s.sha256 FROM src.documents s"
      "  LEFT JOIN main.documents m ON m.sha256 = s.sha256"
      "  WHERE m.sha256 IS NULL OR m.status = 'failed' OR s.status <> 'failed';";
  for (const char* table : kChildTables) {
    if (std::string(table) == "paths") continue;
    sql += std::string("DELETE FROM main.") + table + " WHERE sha256 IN (SELECT sha256 FROM take);";
    sql += std::string("INSERT INTO main.") + table + " SELECT * FROM src." + table +
           " WHERE sha256 IN (SELECT sha256 FROM take);";
  }
  sql +=
      "INSERT OR REPLACE INTO main.documents SELECT * FROM src.documents"
      "  WHERE sha256 IN (SELECT sha256 FROM take);"
      "INSERT OR IGNORE INTO main.paths SELECT * FROM src.paths;"
      "DROP TABLE temp.take;"
      "COMMIT;";
  auto merged = Exec(sql);
  if (!merged) Exec("ROLLBACK; DROP TABLE IF EXISTS temp.take;");
  Exec("DETACH DATABASE src");
  return merged;
}

Result<bool> Store::ExportFacts(ExportFormat format, std::ostream& out) {
  Statement s(db_,
              "SELECT d.unit, d.year, f.table_code, f.row, f.col, f.value, f.scale, d.path, d.sha256"
              " FROM facts f JOIN documents d ON d.sha256 = f.sha256"
              " ORDER BY d.unit, d.year, d.sha256, f.table_code, f.row, f.col, f.value");
  if (!s.ok()) return DbError(db_, "exporting");
  static const char* const kColumns[] = {"unit", "year", "table", "row", "col", "value", "scale", "path", "sha256"};
  if (format == ExportFormat::kCsv) {
    out << CsvLine(std::vector<std::string>(std::begin(kColumns), std::end(kColumns)));
  }
  while (s.Step()) {
    if (format == ExportFormat::kCsv) {
      std::vector<std::string> fields;
      for (int i = 0; i < 9; ++i) fields.push_back(s.Text(i));
      out << CsvLine(fields);
    } else {
      nlohmann::json j;
      for (int i = 0; i < 9; ++i) {
        if (s.IsNull(i)) j[kColumns[i]] = nullptr;
        else if (i == 1) j[kColumns[i]] = s.Int(i);
        else j[kColumns[i]] = s.Text(i);
      }
      out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
  }
  return true;
}

}  // namespace juesuan
