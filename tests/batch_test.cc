// The batch end to end through the real binary: worker processes, the SQLite
// store, resume, failure isolation, shards and merge, export. Inputs are the
// small digital fixtures and the broken PDFs of fixtures/bad.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/batch/batch.h"
#include "pipeline/store/sha256.h"
#include "pipeline/write/document_writer.h"

namespace fs = std::filesystem;

namespace {

const std::string kFixtures = JUESUAN_FIXTURE_DIR;
const std::string kBinary = JUESUAN_BINARY;

// A fresh folder of inputs: two digital documents under their own names, one
// of them also under a second name, and three broken files.
fs::path MakeInputs(const std::string& name) {
  // Per process: several builds of the suite may run at once on one machine.
  fs::path dir = fs::temp_directory_path() / ("juesuan-batch-test-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "in" / "sub");
  fs::copy_file(kFixtures + "/jixiao-yuan/input.pdf", dir / "in" / "jx.pdf");
  fs::copy_file(kFixtures + "/jixiao-yuan/input.pdf", dir / "in" / "sub" / "jx-copy.pdf");
  fs::copy_file(kFixtures + "/jixiao-wanyuan/input.pdf", dir / "in" / "jw.pdf");
  fs::copy_file(kFixtures + "/bad/corrupt.pdf", dir / "in" / "corrupt.pdf");
  fs::copy_file(kFixtures + "/bad/encrypted.pdf", dir / "in" / "encrypted.pdf");
  fs::copy_file(kFixtures + "/bad/empty.pdf", dir / "in" / "empty.pdf");
  return dir;
}

// Runs the binary with a shell command line; returns its exit status.
int Run(const std::string& args, const std::string& env = "") {
  std::string cmd = env + " '" + kBinary + "' " + args + " --quiet 2>/dev/null";
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Rows of a query, each row's columns joined with '|'; with `may_fail`, an
// error (a store still being created) gives no rows instead of a failure.
std::vector<std::string> Query(const fs::path& db_path, const std::string& sql, bool may_fail = false) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  // The batch may be writing (or creating the store) while the test polls.
  sqlite3_busy_timeout(db, 10000);
  sqlite3_stmt* stmt = nullptr;
  const int prepared = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  if (may_fail && prepared != SQLITE_OK) {
    sqlite3_close(db);
    return {};
  }
  REQUIRE(prepared == SQLITE_OK);
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

// The store's content without timings: what two runs must agree on.
const char* const kContent =
    "SELECT d.sha256, d.status, d.error, d.pages, d.unit, d.year,"
    " (SELECT group_concat(path, ';') FROM (SELECT path FROM paths p WHERE p.sha256 = d.sha256 ORDER BY path)),"
    " (SELECT count(*) FROM facts f WHERE f.sha256 = d.sha256),"
    " (SELECT count(*) FROM cells c WHERE c.sha256 = d.sha256),"
    " (SELECT total(CAST(value AS REAL)) FROM facts f WHERE f.sha256 = d.sha256)"
    " FROM documents d ORDER BY d.sha256";

std::string Sha(const fs::path& path) { return juesuan::Sha256File(path.string()).value(); }

}  // namespace

TEST_CASE("batch: store schema, duplicates, failures recorded, export") {
  fs::path dir = MakeInputs("schema");
  int rc = Run("extract '" + (dir / "in").string() + "' --out '" + (dir / "out").string() + "' --jobs 2");
  CHECK(rc == 1);  // the broken files fail, the batch goes on
  fs::path db = dir / "out" / "juesuan.sqlite";
  REQUIRE(fs::exists(db));
  for (const char* table : {"documents", "paths", "pages", "tables", "cells", "facts", "flags", "findings"}) {
    CHECK(Query(db, std::string("SELECT name FROM sqlite_master WHERE type='table' AND name='") + table + "'").size() == 1);
  }
  CHECK(Query(db, "SELECT name FROM sqlite_master WHERE name='facts_key'").size() == 1);
  // Five distinct contents; the duplicate is read once with both paths kept.
  CHECK(Query(db, "SELECT count(*) FROM documents") == std::vector<std::string>{"5"});
  CHECK(Query(db, "SELECT count(*) FROM paths WHERE sha256='" + Sha(dir / "in" / "jx.pdf") + "'") ==
        std::vector<std::string>{"2"});
  auto failed = Query(db, "SELECT doc_id, error FROM documents WHERE status='failed' ORDER BY doc_id");
  REQUIRE(failed.size() == 3);
  CHECK(failed[0].rfind("corrupt|unreadable", 0) == 0);
  CHECK(failed[2].rfind("encrypted|encrypted", 0) == 0);
  CHECK(Query(db, "SELECT count(*) FROM documents WHERE status='complete' AND tool_version IS NOT NULL"
                  " AND pages > 0 AND kind = 'jixiao'") == std::vector<std::string>{"2"});
  // Per-document files exist for every name, the duplicate's included.
  CHECK(fs::exists(dir / "out" / "jx-copy.facts.csv"));
  CHECK(fs::exists(dir / "out" / "corrupt.json"));
  // Export: header plus one line per stored fact, identical on a second call.
  std::string csv = (dir / "export.csv").string();
  REQUIRE(Run("export '" + db.string() + "' --format csv > '" + csv + "'") == 0);
  auto facts = Query(db, "SELECT count(*) FROM facts");
  std::FILE* f = std::fopen(csv.c_str(), "r");
  REQUIRE(f);
  int lines = 0;
  for (int c; (c = std::fgetc(f)) != EOF;) lines += c == '\n';
  std::fclose(f);
  CHECK(lines == std::stoi(facts[0]) + 1);
  CHECK(std::stoi(facts[0]) > 100);
  // Kind and coverage: in the documents table and in every exported figure.
  CHECK(Query(db, "SELECT count(*) FROM documents WHERE kind = 'jixiao' AND figures > 0 AND mapped = figures"
                  " AND unmapped = 0 AND missing_rows = 0 AND unit_key IS NOT NULL") == std::vector<std::string>{"2"});
  CHECK(Query(db, "SELECT count(*) FROM documents WHERE status = 'failed' AND figures = 0") ==
        std::vector<std::string>{"3"});
  std::FILE* header = std::fopen(csv.c_str(), "r");
  REQUIRE(header);
  char first[512] = {};
  REQUIRE(std::fgets(first, sizeof(first), header));
  std::fclose(header);
  CHECK(std::string(first) ==
        "unit,year,table,row,col,value,scale,path,sha256,kind,status,figures,mapped,unmapped,missing_rows,grids,"
        "grids_identified,value_yuan,row_label,printed_label,col_label,level,label_source,unit_key\n");
  std::string docs = (dir / "documents.csv").string();
  REQUIRE(Run("export '" + db.string() + "' --format documents > '" + docs + "'") == 0);
  std::FILE* d = std::fopen(docs.c_str(), "r");
  REQUIRE(d);
  int jixiao_rows = 0;
  for (char line[4096]; std::fgets(line, sizeof(line), d);) jixiao_rows += std::string(line).find(",jixiao,complete,") != std::string::npos;
  std::fclose(d);
  CHECK(jixiao_rows == 2);
  CHECK(Run("export '" + db.string() + "' --format nonsense > /dev/null") == 2);
}

TEST_CASE("batch: the summary line says the kind and the coverage") {
  juesuan::Document doc;
  doc.source_path = "in/x.pdf";
  doc.doc_id = "x";
  doc.kind = "juesuan";
  doc.page_count = 30;
  doc.status = juesuan::DocumentStatus::kPartial;
  doc.seconds = 0.41;
  for (int i = 0; i < 10; ++i) {
    juesuan::Table t;
    if (i < 9) t.code = "公开0" + std::to_string(i + 1) + "表";
    doc.tables.push_back(t);
  }
  doc.coverage = juesuan::Coverage{308, 298, 10, 12, 11, 2};
  for (const char* kind : {"unmapped", "missing", "unmapped", "source_error", "missing"}) {
    juesuan::Finding f;
    f.kind = kind;
    doc.findings.push_back(f);
  }
  CHECK(juesuan::DocumentSummary(juesuan::DocumentToJson(doc)) ==
        "in/x.pdf: partial, juesuan, 30 pages, 9/10 tables identified, 298/308 figures keyed (10 unkeyed), "
        "2 mandatory rows missing, 5 findings (0.41s): missing 2, source_error 1, unmapped 2");

  // Complete: nothing unkeyed, nothing missing, and no findings to list.
  doc.kind = "yusuan";
  doc.status = juesuan::DocumentStatus::kComplete;
  doc.tables.pop_back();
  doc.coverage = juesuan::Coverage{308, 308, 0, 9, 9, 0};
  doc.findings.clear();
  doc.seconds = 0.4;
  CHECK(juesuan::DocumentSummary(juesuan::DocumentToJson(doc)) ==
        "in/x.pdf: complete, yusuan, 30 pages, 9/9 tables identified, 308/308 figures keyed, 0 findings (0.40s)");

  // Missing rows alone (every figure keyed).
  doc.status = juesuan::DocumentStatus::kPartial;
  doc.coverage.missing_rows = 1;
  CHECK(juesuan::DocumentSummary(juesuan::DocumentToJson(doc)) ==
        "in/x.pdf: partial, yusuan, 30 pages, 9/9 tables identified, 308/308 figures keyed, "
        "1 mandatory row missing, 0 findings (0.40s)");
}

TEST_CASE("batch: a rerun resumes by content hash; --force redoes") {
  fs::path dir = MakeInputs("resume");
  std::string out = (dir / "out").string();
  Run("extract '" + (dir / "in" / "jx.pdf").string() + "' --out '" + out + "'");
  fs::path db = dir / "out" / "juesuan.sqlite";
  auto first = Query(db, "SELECT finished_at, seconds FROM documents");
  REQUIRE(first.size() == 1);
  // A half-finished state: one document done, the rest interrupted.
  Run("extract '" + (dir / "in").string() + "' --out '" + out + "' --jobs 2");
  auto after = Query(db, "SELECT finished_at, seconds FROM documents WHERE sha256='" + Sha(dir / "in" / "jx.pdf") + "'");
  CHECK(after == first);  // not redone
  CHECK(Query(db, "SELECT count(*) FROM documents") == std::vector<std::string>{"5"});
  CHECK(Query(db, "SELECT count(*) FROM paths") == std::vector<std::string>{"6"});

  // Same content as one uninterrupted run.
  fs::path whole = dir / "whole";
  Run("extract '" + (dir / "in").string() + "' --out '" + whole.string() + "' --jobs 2");
  CHECK(Query(db, kContent) == Query(whole / "juesuan.sqlite", kContent));

  Run("extract '" + (dir / "in" / "jx.pdf").string() + "' --out '" + out + "' --force");
  CHECK(Query(db, "SELECT count(*) FROM documents WHERE sha256='" + Sha(dir / "in" / "jx.pdf") +
                      "' AND seconds IS NOT NULL") == std::vector<std::string>{"1"});
  CHECK(Query(db, "SELECT count(*) FROM facts WHERE sha256='" + Sha(dir / "in" / "jx.pdf") + "'") ==
        Query(whole / "juesuan.sqlite", "SELECT count(*) FROM facts WHERE sha256='" + Sha(dir / "in" / "jx.pdf") + "'"));
}

TEST_CASE("batch: killed with SIGKILL mid-run and rerun, the store equals an uninterrupted run") {
  fs::path dir = MakeInputs("kill");
  // The last input hangs its worker, so the kill surely lands mid-run.
  fs::copy_file(kFixtures + "/bad/not-fiscal.pdf", dir / "in" / "zz-last.pdf");
  std::string in = (dir / "in").string(), out = (dir / "out").string();
  fs::path db = dir / "out" / "juesuan.sqlite";
  pid_t pid = fork();
  if (pid == 0) {
    setenv("JUESUAN_TEST_FAULT", "hang:zz-last", 1);
    std::freopen("/dev/null", "w", stderr);
    execl(kBinary.c_str(), kBinary.c_str(), "extract", in.c_str(), "--out", out.c_str(), "--jobs", "1", "--quiet",
          "--timeout", "120", static_cast<char*>(nullptr));
    _exit(127);
  }
  REQUIRE(pid > 0);
  // Kills the batch even when a check below throws.
  struct Killer {
    pid_t pid;
    ~Killer() {
      if (pid > 0 && kill(pid, SIGKILL) == 0) waitpid(pid, nullptr, 0);
    }
  } killer{pid};
  // Wait until the five other contents are stored (a minute at most).
  for (int i = 0; i < 600; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (fs::exists(db) && Query(db, "SELECT count(*) FROM documents", true) == std::vector<std::string>{"5"}) break;
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  killer.pid = 0;  // reaped
  CHECK(Query(db, "SELECT count(*) FROM documents") == std::vector<std::string>{"5"});
  // The hanging worker died with its parent.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // (The bracket keeps pgrep from matching the shell that runs it.)
  CHECK(std::system(("pgrep -f '[_]_worker --out " + out + "' >/dev/null").c_str()) != 0);

  Run("extract '" + in + "' --out '" + out + "' --jobs 2");
  Run("extract '" + in + "' --out '" + (dir / "whole").string() + "' --jobs 2");
  CHECK(Query(db, "SELECT count(*) FROM documents") == std::vector<std::string>{"6"});
  CHECK(Query(db, kContent) == Query(dir / "whole" / "juesuan.sqlite", kContent));
}

TEST_CASE("batch: a crashing, hanging or memory-hungry worker costs one document") {
  fs::path dir = MakeInputs("isolation");
  fs::copy_file(dir / "in" / "jw.pdf", dir / "in" / "hang.pdf");
  fs::copy_file(kFixtures + "/digital-basic/input.pdf", dir / "in" / "oom.pdf");
  fs::copy_file(kFixtures + "/digital-split/input.pdf", dir / "in" / "crash.pdf");
  fs::path out = dir / "out";
  int rc = Run("extract '" + (dir / "in" / "crash.pdf").string() + "' '" + (dir / "in" / "oom.pdf").string() +
                   "' '" + (dir / "in" / "jx.pdf").string() + "' --out '" + out.string() +
                   "' --jobs 1 --max-memory 1024",
               "JUESUAN_TEST_FAULT=crash:crash.pdf");
  CHECK(rc == 1);
  fs::path db = out / "juesuan.sqlite";
  auto rows = Query(db, "SELECT doc_id, status, error FROM documents ORDER BY doc_id");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].find("crash|failed|") == 0);
  CHECK(rows[0].find("signal") != std::string::npos);
  CHECK(rows[1].rfind("jx|complete", 0) == 0);  // the worker was replaced
  CHECK(rows[2].rfind("oom|complete", 0) == 0);

  rc = Run("extract '" + (dir / "in" / "oom.pdf").string() + "' '" + (dir / "in" / "jx.pdf").string() +
               "' --out '" + (dir / "out2").string() + "' --jobs 1 --max-memory 1024",
           "JUESUAN_TEST_FAULT=oom:oom.pdf");
  rows = Query(dir / "out2" / "juesuan.sqlite", "SELECT doc_id, status FROM documents ORDER BY doc_id");
  CHECK(rows == std::vector<std::string>{"jx|complete", "oom|failed"});

  rc = Run("extract '" + (dir / "in" / "hang.pdf").string() + "' '" + (dir / "in" / "jx.pdf").string() +
               "' --out '" + (dir / "out3").string() + "' --jobs 1 --timeout 3",
           "JUESUAN_TEST_FAULT=hang:hang.pdf");
  CHECK(rc == 1);
  rows = Query(dir / "out3" / "juesuan.sqlite", "SELECT doc_id, status, error FROM documents ORDER BY doc_id");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].find("hang|failed|") == 0);
  CHECK(rows[0].find("time limit") != std::string::npos);
  CHECK(rows[1].rfind("jx|complete", 0) == 0);
}

TEST_CASE("batch: shards merged equal a single run") {
  fs::path dir = MakeInputs("shards");
  std::string in = (dir / "in").string();
  Run("extract '" + in + "' --out '" + (dir / "single").string() + "' --jobs 2");
  std::string merge_args = "merge '" + (dir / "merged.sqlite").string() + "'";
  size_t total = 0;
  for (int k = 0; k < 3; ++k) {
    std::string shard_out = (dir / ("shard" + std::to_string(k))).string();
    Run("extract '" + in + "' --out '" + shard_out + "' --shard " + std::to_string(k) + "/3");
    total += std::stoul(Query(shard_out + "/juesuan.sqlite", "SELECT count(*) FROM documents")[0]);
    merge_args += " '" + shard_out + "/juesuan.sqlite'";
  }
  CHECK(total == 5);  // every content in exactly one shard
  REQUIRE(Run(merge_args) == 0);
  CHECK(Query(dir / "merged.sqlite", kContent) == Query(dir / "single" / "juesuan.sqlite", kContent));
  CHECK(Query(dir / "merged.sqlite", "SELECT count(*) FROM facts") ==
        Query(dir / "single" / "juesuan.sqlite", "SELECT count(*) FROM facts"));
  // Merging the same shard again changes nothing.
  REQUIRE(Run("merge '" + (dir / "merged.sqlite").string() + "' '" + (dir / "shard0").string() + "/juesuan.sqlite'") == 0);
  CHECK(Query(dir / "merged.sqlite", kContent) == Query(dir / "single" / "juesuan.sqlite", kContent));
}

TEST_CASE("batch: shard assignment is deterministic and partitions") {
  for (const char* sha : {"00", "ff00aa", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}) {
    int owners = 0;
    for (int k = 0; k < 4; ++k) owners += juesuan::InShard(sha, k, 4);
    CHECK(owners == 1);
    CHECK(juesuan::InShard(sha, 0, 1));
  }
}

TEST_CASE("batch: inputs sharing a file name get distinct output names") {
  auto names = juesuan::OutputNames({"dump/a/input.pdf", "dump/b/input.pdf", "dump/x/y/report.pdf",
                                     "one/same/input.PDF", "two/same/input.pdf"});
  CHECK(names.at("dump/x/y/report.pdf") == "report");
  CHECK(names.at("dump/a/input.pdf") == "a_input");
  CHECK(names.at("dump/b/input.pdf") == "b_input");
  // One parent folder is not enough here: two are taken.
  CHECK(names.at("one/same/input.PDF") == "one_same_input");
  CHECK(names.at("two/same/input.pdf") == "two_same_input");
}

TEST_CASE("batch: damaged copies of good files lose nothing and crash no worker") {
  // scripts/make_damaged: truncated, bytes flipped, ranges zeroed, xref
  // removed, streams cut, bad incremental updates, header only, doubled.
  fs::path dir = fs::temp_directory_path() / ("juesuan-batch-test-damaged-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "good");
  const std::vector<std::string> sources = {"jixiao-yuan", "jixiao-wanyuan", "layout-tails"};
  std::string source_args;
  for (const std::string& s : sources) {
    fs::copy_file(kFixtures + "/" + s + "/input.pdf", dir / "good" / (s + ".pdf"));
    source_args += " '" + kFixtures + "/" + s + "/input.pdf'";
  }
  fs::create_directories(dir / "mixed");
  fs::copy(dir / "good", dir / "mixed" / "good");
  const std::string make = "/usr/bin/python3 '" + kFixtures + "/../scripts/make_damaged' '" +
                           (dir / "mixed" / "damaged").string() + "' --count 36 --seed 16" + source_args +
                           " > /dev/null";
  REQUIRE(std::system(make.c_str()) == 0);
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir / "mixed")) files += entry.path().extension() == ".pdf";
  REQUIRE(files == 39);

  // OCR is left out: damaged fonts would send pages to Tesseract, which
  // costs minutes and tests nothing the batch does.
  REQUIRE(Run("extract '" + (dir / "good").string() + "' --out '" + (dir / "clean").string() + "' --ocr never") == 0);
  const int rc = Run("extract '" + (dir / "mixed").string() + "' --out '" + (dir / "out").string() +
                     "' --jobs 2 --ocr never");
  CHECK(rc == 1);
  const fs::path db = dir / "out" / "juesuan.sqlite";
  // Every file is recorded, under its path, with a status; whatever is not
  // complete says why; no worker died on the way.
  CHECK(Query(db, "SELECT count(*) FROM paths") == std::vector<std::string>{std::to_string(files)});
  CHECK(Query(db, "SELECT count(*) FROM documents WHERE status NOT IN ('complete', 'partial', 'failed')") ==
        std::vector<std::string>{"0"});
  CHECK(Query(db, "SELECT count(*) FROM documents WHERE status != 'complete' AND coalesce(error, '') = ''") ==
        std::vector<std::string>{"0"});
  CHECK(Query(db, "SELECT doc_id, error FROM documents WHERE error LIKE '%worker%' OR error LIKE '%time limit%'")
            .empty());
  CHECK(Query(db, "SELECT count(*) FROM documents WHERE status = 'failed'") !=
        std::vector<std::string>{"0"});  // the damage did reach the reader
  // The good files' facts are those of a clean run, value for value.
  const char* const facts =
      "SELECT table_code, row, col, value FROM facts WHERE sha256 = '%s' ORDER BY 1, 2, 3, 4";
  for (const std::string& s : sources) {
    const std::string sha = Sha(dir / "good" / (s + ".pdf"));
    char sql[512];
    std::snprintf(sql, sizeof(sql), facts, sha.c_str());
    auto clean = Query(dir / "clean" / "juesuan.sqlite", sql);
    CHECK(clean.size() > 20);
    CHECK(Query(db, sql) == clean);
  }
}
