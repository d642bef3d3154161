// The store on hand-built documents: the migration of a version-1 store,
// kind and coverage in the documents table and in the exports, and the
// budget-against-决算 comparison (pipeline/store/compare.h).
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/store/compare.h"
#include "pipeline/store/store.h"
#include "pipeline/write/document_writer.h"
#include "tests/test_support.h"

using namespace juesuan;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path FreshDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("juesuan-store-test-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Rows of a query, each row's columns joined with '|' (NULL as "NULL").
std::vector<std::string> Query(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  INFO(sql);
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  std::vector<std::string> rows;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const unsigned char* t = sqlite3_column_text(stmt, i);
      row += (i ? "|" : "") + std::string(t ? reinterpret_cast<const char*>(t) : "NULL");
    }
    rows.push_back(row);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

void Exec(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  char* message = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  INFO((message ? message : ""));
  sqlite3_free(message);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A table of hand-written facts: {row, col, value}.
Table MakeTable(const std::string& code, const std::string& kind, const std::string& schema_id,
                const std::string& unit, const std::vector<std::vector<std::string>>& cells) {
  Table t;
  t.code = code;
  t.kind = kind;
  t.schema_id = schema_id;
  t.identified_by = "title";
  t.title = code;
  t.unit = unit;
  t.pages = {1};
  for (const auto& c : cells) {
    Fact f;
    f.table = code;
    f.row = c[0];
    f.col = c[1];
    f.value = *Decimal::Parse(c[2]);
    f.printed = c[2];
    f.page = 1;
    t.facts.push_back(f);
  }
  return t;
}

Document MakeDocument(const std::string& path, const std::string& kind, const std::string& unit, int year,
                      std::vector<Table> tables) {
  Document d;
  d.source_path = path;
  d.doc_id = fs::path(path).stem().string();
  d.kind = kind;
  d.unit_name = unit;
  d.year = year;
  d.page_count = 3;
  d.tables = std::move(tables);
  for (const Table& t : d.tables) {
    d.coverage.figures += static_cast<int>(t.facts.size());
    d.coverage.mapped += static_cast<int>(t.facts.size());
    d.coverage.grids += 1;
    d.coverage.grids_identified += 1;
  }
  return d;
}

// Stores `doc` under a made-up hash derived from its path.
void Put(Store& store, const Document& doc) {
  json j = DocumentToJson(doc);
  std::string sha(64, '0');
  std::string tag = std::to_string(std::hash<std::string>{}(doc.source_path));
  sha.replace(0, tag.size(), tag);
  j["sha256"] = sha;
  auto put = store.PutDocument(j, json::array(), {doc.source_path}, RunInfo{"test", 0.5, 1000});
  INFO((put ? std::string() : put.error().message));
  REQUIRE(put.ok());
}

const char* const kVersion1Schema = R"SQL(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
INSERT INTO meta VALUES ('schema_version', '1');
CREATE TABLE documents(sha256 TEXT PRIMARY KEY, path TEXT NOT NULL, doc_id TEXT NOT NULL, kind TEXT, unit TEXT,
  year INTEGER, pages INTEGER, status TEXT NOT NULL, error TEXT, seconds REAL, wall_seconds REAL,
  peak_rss_kb INTEGER, tool_version TEXT, finished_at TEXT);
CREATE TABLE paths(sha256 TEXT NOT NULL REFERENCES documents(sha256), path TEXT NOT NULL,
  PRIMARY KEY(sha256, path));
CREATE TABLE pages(sha256 TEXT NOT NULL, page INTEGER NOT NULL, verdict TEXT, source TEXT, reason TEXT,
  rotation INTEGER, skew_degrees REAL, PRIMARY KEY(sha256, page));
CREATE TABLE tables(sha256 TEXT NOT NULL, table_index INTEGER NOT NULL, code TEXT, title TEXT, caption TEXT,
  scale TEXT, pages TEXT, declared_empty INTEGER, PRIMARY KEY(sha256, table_index));
CREATE TABLE cells(sha256 TEXT NOT NULL, table_index INTEGER NOT NULL, grid INTEGER NOT NULL, page INTEGER,
  r INTEGER, c INTEGER, rs INTEGER, cs INTEGER, text TEXT, source TEXT, confidence REAL,
  x0 REAL, y0 REAL, x1 REAL, y1 REAL);
CREATE TABLE facts(sha256 TEXT NOT NULL, table_code TEXT NOT NULL, row TEXT NOT NULL, col TEXT NOT NULL,
  value TEXT NOT NULL, scale TEXT, printed TEXT, page INTEGER, line TEXT, source TEXT, confidence REAL,
  x0 REAL, y0 REAL, x1 REAL, y1 REAL);
CREATE TABLE flags(sha256 TEXT NOT NULL, table_code TEXT, row TEXT, col TEXT, kind TEXT);
CREATE TABLE findings(sha256 TEXT NOT NULL, idx INTEGER NOT NULL, kind TEXT, identity TEXT, formula TEXT,
  message TEXT, printed TEXT, expected TEXT, difference TEXT, cells TEXT, suspects TEXT);
CREATE INDEX documents_unit_year ON documents(unit, year);
INSERT INTO documents VALUES ('aa', '/old/a.pdf', 'a', 'juesuan', '青石区　商务委员会', 2023, 9, 'complete', NULL,
  1.5, 2.0, 1000, '0.9', '2024-01-01T00:00:00Z');
INSERT INTO documents VALUES ('bb', '/old/b.pdf', 'b', 'unknown', '', NULL, 0, 'failed', 'b: corrupt', 0, 0, 0,
  '0.9', '2024-01-01T00:00:00Z');
INSERT INTO paths VALUES ('aa', '/old/a.pdf'), ('bb', '/old/b.pdf');
INSERT INTO tables VALUES ('aa', 0, '公开03表', '支出决算表', '公开03表', '万元', '[5]', 0),
                          ('aa', 1, '公开07表', '“三公”经费支出决算表', '公开07表', '万元', '[8]', 0);
INSERT INTO facts VALUES ('aa', '公开07表', '1', '1', '50.00', '万元', '50.00', 8, NULL, 'text_layer', 100,
  0, 0, 0, 0), ('aa', '公开07表', '1', '7', '45.00', '万元', '45.00', 8, NULL, 'text_layer', 100, 0, 0, 0, 0);
)SQL";

}  // namespace

TEST_CASE("store: a version-1 store is migrated in place and resumes", "[store]") {
  fs::path dir = FreshDir("migrate");
  fs::path db = dir / "old.sqlite";
  Exec(db, kVersion1Schema);
  {
    auto store = Store::Open(db.string());
    REQUIRE(store.ok());
    // Resume reads the statuses as before.
    auto statuses = store.value()->Statuses();
    REQUIRE(statuses.ok());
    CHECK(statuses.value() == std::map<std::string, std::string>{{"aa", "complete"}, {"bb", "failed"}});
  }
  CHECK(Query(db, "SELECT value FROM meta WHERE key = 'schema_version'") == std::vector<std::string>{"3"});
  // The new columns come last, in the order a new store has them.
  auto columns = [&](const fs::path& path, const std::string& table) {
    auto rows = Query(path, "SELECT group_concat(name, ',') FROM pragma_table_info('" + table + "')");
    return rows.at(0);
  };
  fs::path fresh = dir / "fresh.sqlite";
  REQUIRE(Store::Open(fresh.string()).ok());
  for (const char* table : {"documents", "tables", "facts", "paths", "pages", "cells", "flags", "findings"}) {
    INFO(table);
    CHECK(columns(db, table) == columns(fresh, table));
  }
  CHECK(columns(db, "documents").find(",finished_at,figures,mapped,unmapped,grids,grids_identified,missing_rows,"
                                      "unit_key") != std::string::npos);
  CHECK(columns(db, "tables").find(",declared_empty,kind,schema_id,identified_by") != std::string::npos);
  // Old rows: coverage unknown, unit key computed, facts linked to their table.
  CHECK(Query(db, "SELECT sha256, figures, mapped, unit_key FROM documents ORDER BY sha256") ==
        std::vector<std::string>{"aa|NULL|NULL|青石区商务委员会", "bb|NULL|NULL|"});
  CHECK(Query(db, "SELECT DISTINCT table_index FROM facts") == std::vector<std::string>{"1"});
  // Opening again changes nothing; a new document goes in beside the old ones.
  {
    auto store = Store::Open(db.string());
    REQUIRE(store.ok());
    Put(*store.value(), MakeDocument("/new/c.pdf", "yusuan", "青石区商务委员会", 2023,
                                     {MakeTable("“三公”经费和机关运行经费预算表", "yusuan",
                                                "预算:sh:“三公”经费和机关运行经费预算表", "万元",
                                                {{"1", "合计", "52.50"}})}));
  }
  CHECK(Query(db, "SELECT count(*), sum(figures IS NULL) FROM documents") == std::vector<std::string>{"3|2"});
  // A version-1 store merged into a new one keeps its documents.
  fs::path old2 = dir / "old2.sqlite";
  Exec(old2, kVersion1Schema);
  {
    auto store = Store::Open(fresh.string());
    REQUIRE(store.ok());
    auto merged = store.value()->MergeFrom(old2.string());
    INFO((merged ? std::string() : merged.error().message));
    REQUIRE(merged.ok());
  }
  CHECK(Query(fresh, "SELECT sha256, status, unit_key FROM documents ORDER BY sha256") ==
        std::vector<std::string>{"aa|complete|青石区商务委员会", "bb|failed|"});
  CHECK(Query(fresh, "SELECT count(*) FROM facts WHERE table_index = 1") == std::vector<std::string>{"2"});
  // The migrated store compares like a new one: its 决算表预算数 row, and the
  // budget stored after the migration paired with the old 决算 (2023).
  auto mapping = LoadCompareMapping(test::kSchemas);
  REQUIRE(mapping.ok());
  std::ostringstream out;
  REQUIRE(Store::Open(db.string()).value()->ExportComparison(mapping.value(), out).ok());
  CHECK(Lines(out.str()) ==
        std::vector<std::string>{
            ComparisonCsvHeader().substr(0, ComparisonCsvHeader().size() - 1),
            "青石区　商务委员会,2023,“三公”经费合计,,预算表,52.50,万元,45.00,万元,-7.50,/new/c.pdf,/old/a.pdf,"
            "“三公”经费和机关运行经费预算表|1|合计,公开07表|1|7,52.50,万元,45.00,万元",
            "青石区　商务委员会,2023,“三公”经费合计,,决算表预算数,50.00,万元,45.00,万元,-5.00,/old/a.pdf,/old/a.pdf,"
            "公开07表|1|1,公开07表|1|7,50.00,万元,45.00,万元"});
}

TEST_CASE("store: kind, coverage and table definitions are stored and exported", "[store]") {
  fs::path dir = FreshDir("columns");
  fs::path db = dir / "s.sqlite";
  auto store = Store::Open(db.string());
  REQUIRE(store.ok());
  Document doc = MakeDocument("/in/ys.pdf", "yusuan", "青石区商务委员会", 2024,
                              {MakeTable("支出预算总表", "yusuan", "预算:sh:支出预算总表", "元",
                                         {{"合计", "合计", "100.00"}, {"201", "合计", "100.00"}})});
  Table unidentified;
  unidentified.pages = {4};
  doc.tables.push_back(unidentified);
  doc.coverage = Coverage{12, 10, 2, 3, 2, 1};
  doc.status = DocumentStatus::kPartial;
  doc.error = "2 of 12 figures unkeyed";
  Put(*store.value(), doc);
  CHECK(Query(db, "SELECT kind, status, figures, mapped, unmapped, grids, grids_identified, missing_rows, unit_key"
                  " FROM documents") ==
        std::vector<std::string>{"yusuan|partial|12|10|2|3|2|1|青石区商务委员会"});
  CHECK(Query(db, "SELECT table_index, code, kind, schema_id, identified_by, scale FROM tables ORDER BY table_index") ==
        std::vector<std::string>{"0|支出预算总表|yusuan|预算:sh:支出预算总表|title|元", "1|||NULL|NULL|"});
  CHECK(Query(db, "SELECT DISTINCT table_index FROM facts") == std::vector<std::string>{"0"});

  std::ostringstream csv;
  REQUIRE(store.value()->ExportFacts(ExportFormat::kCsv, csv).ok());
  auto lines = Lines(csv.str());
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] ==
        "unit,year,table,row,col,value,scale,path,sha256,kind,status,figures,mapped,unmapped,missing_rows,grids,"
        "grids_identified,value_yuan,row_label,printed_label,col_label,level,label_source,unit_key");
  CHECK(lines[1].rfind("青石区商务委员会,2024,支出预算总表,201,合计,100.00,元,/in/ys.pdf,", 0) == 0);
  // The document's kind and coverage, then the labels (none on a hand-built
  // document) and the unit_key.
  const std::string tail = ",yusuan,partial,12,10,2,1,3,2,,,,,,,青石区商务委员会";
  CHECK(lines[1].size() > tail.size());
  CHECK(lines[1].substr(lines[1].size() - tail.size()) == tail);

  std::ostringstream jsonl;
  REQUIRE(store.value()->ExportFacts(ExportFormat::kJsonl, jsonl).ok());
  json first = json::parse(Lines(jsonl.str()).at(0));
  CHECK(first["kind"] == "yusuan");
  CHECK(first["status"] == "partial");
  CHECK(first["unmapped"] == 2);
  CHECK(first["year"] == 2024);
  CHECK(first["value"] == "100.00");

  std::ostringstream documents;
  REQUIRE(store.value()->ExportDocuments(ExportFormat::kCsv, documents).ok());
  auto rows = Lines(documents.str());
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] ==
        "unit,year,kind,status,pages,tables_identified,tables,figures,mapped,unmapped,missing_rows,grids,"
        "grids_identified,facts,findings,error,path,sha256");
  CHECK(rows[1].rfind("青石区商务委员会,2024,yusuan,partial,3,1,2,12,10,2,1,3,2,2,0,2 of 12 figures unkeyed,"
                      "/in/ys.pdf,",
                      0) == 0);
}

TEST_CASE("store: a budget and its 决算 side by side, in 万元", "[store][compare]") {
  fs::path dir = FreshDir("compare");
  fs::path db = dir / "s.sqlite";
  auto store = Store::Open(db.string());
  REQUIRE(store.ok());
  // The budget in 元 (its “三公” table in 万元), the 决算 in 万元; the unit
  // names differ by a space only.
  Put(*store.value(),
      MakeDocument("/in/ys.pdf", "yusuan", "青石区商务委员会", 2024,
                   {MakeTable("支出预算总表", "yusuan", "预算:sh:支出预算总表", "元",
                              {{"201", "合计", "43343783.27"},
                               {"20113", "合计", "30000000.00"},
                               {"合计", "合计", "57049758.66"},
                               {"合计", "基本支出", "24005417.19"},
                               {"合计", "项目支出", "33044341.47"}}),
                    MakeTable("“三公”经费和机关运行经费预算表", "yusuan", "预算:sh:“三公”经费和机关运行经费预算表",
                              "万元", {{"1", "合计", "71.15"}, {"1", "公务接待费", "31.65"}})}));
  Put(*store.value(),
      MakeDocument("/in/js.pdf", "juesuan", "青石区 商务委员会", 2024,
                   {MakeTable("公开03表", "juesuan", "公开03表", "万元",
                              {{"合计", "1", "5612.34"},
                               {"合计", "2", "2400.54"},
                               {"合计", "3", "3211.80"},
                               {"201", "1", "4301.2"},
                               {"20113", "1", "2998.00"},
                               {"205", "1", "10.00"}}),
                    MakeTable("公开07表", "juesuan", "公开07表", "万元",
                              {{"1", "1", "70.00"}, {"1", "6", "30.00"}, {"1", "7", "65.43"}, {"1", "8", "0"},
                               {"1", "12", "28.6"}})}));
  // The year before: its own 预算数 only; it is no match for the 2024 budget.
  Put(*store.value(), MakeDocument("/in/js2023.pdf", "juesuan", "青石区商务委员会", 2023,
                                   {MakeTable("公开07表", "juesuan", "公开07表", "万元",
                                              {{"1", "1", "50.00"}, {"1", "7", "45.00"}})}));
  // Another unit's budget of the same year, and a 绩效 document: no part in it.
  Put(*store.value(), MakeDocument("/in/other.pdf", "yusuan", "青石区财政局", 2024,
                                   {MakeTable("支出预算总表", "yusuan", "预算:sh:支出预算总表", "元",
                                              {{"合计", "合计", "1.00"}})}));
  Put(*store.value(), MakeDocument("/in/jx.pdf", "jixiao", "青石区商务委员会", 2024,
                                   {MakeTable("公开03表", "jixiao", "", "万元", {{"合计", "1", "1.00"}})}));

  auto mapping = LoadCompareMapping(test::kSchemas);
  INFO((mapping ? std::string() : mapping.error().message));
  REQUIRE(mapping.ok());
  std::ostringstream out;
  REQUIRE(store.value()->ExportComparison(mapping.value(), out).ok());
  const std::string b = "/in/ys.pdf,/in/js.pdf,";
  const std::string own = "/in/js.pdf,/in/js.pdf,";
  const std::string unit = "青石区 商务委员会,2024,";
  CHECK(Lines(out.str()) ==
        std::vector<std::string>{
            "unit,year,item,code,source,budget_value,budget_unit,final_value,final_unit,difference,budget_doc,"
            "final_doc,budget_fact,final_fact,budget_table_value,budget_table_unit,final_table_value,final_table_unit",
            "青石区商务委员会,2023,“三公”经费合计,,决算表预算数,50.00,万元,45.00,万元,-5.00,/in/js2023.pdf,"
            "/in/js2023.pdf,公开07表|1|1,公开07表|1|7,50.00,万元,45.00,万元",
            unit + "本年支出合计,,预算表,5704.975866,万元,5612.34,万元,-92.635866," + b +
                "支出预算总表|合计|合计,公开03表|合计|1,57049758.66,元,5612.34,万元",
            unit + "基本支出,,预算表,2400.541719,万元,2400.54,万元,-0.001719," + b +
                "支出预算总表|合计|基本支出,公开03表|合计|2,24005417.19,元,2400.54,万元",
            unit + "项目支出,,预算表,3304.434147,万元,3211.80,万元,-92.634147," + b +
                "支出预算总表|合计|项目支出,公开03表|合计|3,33044341.47,元,3211.80,万元",
            unit + "支出功能分类,201,预算表,4334.378327,万元,4301.20,万元,-33.178327," + b +
                "支出预算总表|201|合计,公开03表|201|1,43343783.27,元,4301.2,万元",
            unit + "支出功能分类,20113,预算表,3000.00,万元,2998.00,万元,-2.00," + b +
                "支出预算总表|20113|合计,公开03表|20113|1,30000000.00,元,2998.00,万元",
            unit + "“三公”经费合计,,预算表,71.15,万元,65.43,万元,-5.72," + b +
                "“三公”经费和机关运行经费预算表|1|合计,公开07表|1|7,71.15,万元,65.43,万元",
            unit + "“三公”经费合计,,决算表预算数,70.00,万元,65.43,万元,-4.57," + own +
                "公开07表|1|1,公开07表|1|7,70.00,万元,65.43,万元",
            unit + "公务接待费,,预算表,31.65,万元,28.60,万元,-3.05," + b +
                "“三公”经费和机关运行经费预算表|1|公务接待费,公开07表|1|12,31.65,万元,28.6,万元",
            unit + "公务接待费,,决算表预算数,30.00,万元,28.60,万元,-1.40," + own +
                "公开07表|1|6,公开07表|1|12,30.00,万元,28.6,万元"});

  // The same pairs through the store's view.
  CHECK(Query(db, "SELECT year, budget_path, final_path FROM budget_final_pairs ORDER BY year") ==
        std::vector<std::string>{"2024|/in/ys.pdf|/in/js.pdf"});
}

TEST_CASE("compare: families, class names, fallback keys and conversions", "[store][compare]") {
  auto mapping = LoadCompareMapping(test::kSchemas);
  REQUIRE(mapping.ok());
  auto fact = [](std::string table, std::string schema, std::string row, std::string col, std::string value,
                 std::string scale) {
    return CompareFact{table, schema, row, col, scale, *Decimal::Parse(value)};
  };
  // A Jiangsu budget (万元) whose tables' definitions are unknown (a store of
  // an earlier version): the canonical keys still find its figures; its
  // classes are named, the 决算's coded.
  CompareDocument budget{"b", "/in/js-ys.pdf", "yusuan", "西江省高级人民法院", 2019,
                         {fact("支出预算总表", "", "1", "基本支出", "12597.68", "万元"),
                          fact("收支预算总表", "", "公共安全支出", "金额", "14377.89", "万元"),
                          fact("“三公”经费、会议费、培训费支出预算表", "", "1", "“三公”经费:小计", "338.72", "万元"),
                          fact("“三公”经费、会议费、培训费支出预算表", "", "1", "合计", "1254.31", "万元")}};
  CompareDocument final{"f", "/in/js-js.pdf", "juesuan", "西江省高级人民法院", 2019,
                        {fact("公开03表", "公开03表", "合计", "2", "12000.5", "万元"),
                         fact("公开03表", "公开03表", "204", "1", "14000", "万元"),
                         fact("公开07表", "公开07表", "1", "7", "300", "万元")}};
  auto rows = CompareDocuments(mapping.value(), {final, budget});
  std::vector<std::string> got;
  for (const ComparisonRow& r : rows)
    got.push_back(r.item + "|" + r.code + "|" + r.budget.ToString() + "|" + r.final.ToString());
  CHECK(got == std::vector<std::string>{"基本支出||12597.68|12000.50", "支出功能分类|204|14377.89|14000.00",
                                        "“三公”经费合计||338.72|300.00"});

  CHECK(ConvertMoney(*Decimal::Parse("57049758.66"), "元", "万元")->ToString() == "5704.975866");
  CHECK(ConvertMoney(*Decimal::Parse("1.5"), "亿元", "万元")->ToString() == "15000.0");
  CHECK(ConvertMoney(*Decimal::Parse("2.5"), "万元", "元")->ToString() == "25000.0");
  CHECK_FALSE(ConvertMoney(*Decimal::Parse("1"), "", "万元"));
  CHECK(UnitKey(" 上海市（普陀区）　财政局 ") == "上海市(普陀区)财政局");
  CHECK(UnitKey("") == "");
}

TEST_CASE("compare: the mapping names only tables and columns the schemas define", "[store][compare]") {
  const json mapping = json::parse(test::ReadFile(test::kSchemas + "/budget_vs_final.json"));
  const json yusuan = json::parse(test::ReadFile(test::kSchemas + "/yusuan_tables.json"));
  const json juesuan = json::parse(test::ReadFile(test::kSchemas + "/juesuan_tables.json"));
  // Columns of every table definition, by id.
  std::map<std::string, std::set<std::string>> columns;
  for (const json* tables : {&yusuan, &juesuan}) {
    for (const json& t : tables->at("tables")) {
      auto& cols = columns[t.at("code").get<std::string>()];
      for (const json& c : t.value("columns", json::array())) cols.insert(c.at("id").get<std::string>());
      for (const json& side : t.value("sides", json::array()))
        for (const json& c : side.at("columns")) cols.insert(c.at("id").get<std::string>());
    }
  }
  int checked = 0;
  for (const json& item : mapping.at("items")) {
    for (const char* side : {"final", "budget", "final_budget"}) {
      for (const json& s : item.value(side, json::array())) {
        std::string table = s.contains("schema") ? s["schema"].get<std::string>() : s["table"].get<std::string>();
        INFO(item["item"].get<std::string>() << ": " << table << " / " << s["col"].get<std::string>());
        REQUIRE(columns.count(table));
        CHECK(columns[table].count(s["col"].get<std::string>()));
        CHECK((std::string(side) == "budget") == s.contains("schema"));
        ++checked;
      }
    }
  }
  CHECK(checked > 40);
  CHECK(LoadCompareMapping(test::kSchemas).ok());
  // A malformed mapping is refused with the item named.
  auto bad = ParseCompareMapping(json::parse(R"({"items": [{"item": "x", "final": [{"table": "公开03表",
      "row": "{code}", "col": "1"}], "budget": [{"schema": "预算:sh:支出预算总表", "row": "合计", "col": "合计"}]}]})"),
                                 json::parse(R"({"classes": {}})"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("x: mixes") == 0);
}

TEST_CASE("store: a budget document's JSON validates against the document schema", "[store][schema]") {
  Document doc = test::SharedPipeline().Process(test::kFixtures + "/budget-sh/input.pdf");
  CHECK(doc.kind == "yusuan");
  json j = DocumentToJson(doc);
  // An extraction finding with its place, as the mapper writes them.
  Finding unmapped;
  unmapped.kind = "unmapped";
  unmapped.message = "a figure without a key";
  unmapped.place = FindingPlace{3, Box{1, 2, 3, 4}, "12.00"};
  Document carrier;
  carrier.findings.push_back(unmapped);
  j["findings"].push_back(DocumentToJson(carrier)["findings"][0]);
  auto errors = test::ValidateAgainstSchema(j, "document.schema.json");
  INFO((errors.empty() ? std::string() : errors.front()));
  CHECK(errors.empty());
  // The schema describes the new parts: a wrong coverage, table kind or
  // finding kind fails it.
  for (const auto& [path, value] : std::vector<std::pair<std::string, json>>{
           {"/coverage/unmapped", -1}, {"/tables/0/kind", "budget"}, {"/findings/0/kind", "whatever"}}) {
    json broken = j;
    broken[json::json_pointer(path)] = value;
    INFO(path);
    CHECK_FALSE(test::ValidateAgainstSchema(broken, "document.schema.json").empty());
  }
  json no_coverage = j;
  no_coverage.erase("coverage");
  CHECK_FALSE(test::ValidateAgainstSchema(no_coverage, "document.schema.json").empty());
}
