// Tests for the reconcile stage: identity families, rounding tolerance,
// suspect selection, blanks, OCR repair, narrative parsing and flag rows.
#include <algorithm>
#include <optional>
#include <set>

#include <catch2/catch.hpp>

#include "pipeline/reconcile/reconcile.h"
#include "pipeline/write/document_writer.h"

namespace juesuan {
namespace {

const IdentitySet& Schema() {
  static const IdentitySet set = [] {
    auto loaded = LoadIdentities(JUESUAN_SCHEMA_DIR);
    REQUIRE(loaded.ok());
    return loaded.value();
  }();
  return set;
}

Decimal D(const char* text) { return Decimal::Parse(text).value(); }

// A small document builder: facts keyed as in the corpus truth.
struct DocBuilder {
  Document doc;
  DocBuilder& Add(const std::string& table, const std::string& row, const std::string& col, const std::string& value,
                  TextSource source = TextSource::kTextLayer, float confidence = 100.0f,
                  std::vector<std::string> alternatives = {}) {
    Table* t = nullptr;
    for (auto& existing : doc.tables) {
      if (existing.code == table) t = &existing;
    }
    if (!t) {
      doc.tables.push_back(Table{});
      t = &doc.tables.back();
      t->code = table;
      t->unit = "万元";
    }
    Fact f;
    f.table = table;
    f.row = row;
    f.col = col;
    f.printed = value;
    f.value = Decimal::Parse(value).value_or(Decimal());
    f.page = 3;
    f.source = source;
    f.confidence = confidence;
    f.alternatives = std::move(alternatives);
    t->facts.push_back(f);
    return *this;
  }
};

Fact& FactAt(Document& doc, const std::string& table, const std::string& row, const std::string& col) {
  for (auto& t : doc.tables) {
    for (auto& f : t.facts) {
      if (f.table == table && f.row == row && f.col == col) return f;
    }
  }
  FAIL("no fact " << table << " " << row << " " << col);
  throw 0;
}

// Makes `f` a figure read by OCR as `value`, with the engine's confidence
// and other readings.
void ReadByOcr(Fact& f, const char* value, float confidence, std::vector<std::string> alternatives = {}) {
  f.value = Decimal::Parse(value).value();
  f.printed = value;
  f.source = TextSource::kOcr;
  f.confidence = confidence;
  f.alternatives = std::move(alternatives);
}

ReconcileOptions TablesOnly() {
  ReconcileOptions o;
  o.check_narrative = false;
  o.check_disclosure = false;
  return o;
}

std::vector<std::string> FlagKeys(const Document& doc) {
  std::vector<std::string> out;
  for (const auto& r : FlagRowsOf(doc)) out.push_back(r.table + "/" + r.row + "/" + r.col + "/" + r.kind);
  return out;
}

// 公开05表 with one 类/款/项 chain, consistent.
DocBuilder Table05() {
  DocBuilder b;
  for (const char* row : {"合计", "210", "21001", "2100101"}) {
    b.Add("公开05表", row, "1", "30.00").Add("公开05表", row, "2", "20.00").Add("公开05表", row, "3", "10.00");
  }
  return b;
}

TEST_CASE("identities load from the schema with ids, formulas and tables") {
  const auto& set = Schema();
  REQUIRE(set.rules.size() > 30);
  REQUIRE(set.class_names.at("210") == "卫生健康支出");
  for (const auto& rule : set.rules) {
    REQUIRE_FALSE(rule.id.empty());
    REQUIRE_FALSE(rule.formula.empty());
    REQUIRE_FALSE(rule.tables.empty());
  }
}

TEST_CASE("a missing schema directory is kNotFound") {
  auto loaded = LoadIdentities("/nonexistent/schemas");
  REQUIRE_FALSE(loaded.ok());
  REQUIRE(loaded.error().code == ErrorCode::kNotFound);
}

TEST_CASE("a consistent 公开05表 raises no finding") {
  auto b = Table05();
  auto summary = Reconcile(b.doc, Schema(), TablesOnly());
  REQUIRE(b.doc.findings.empty());
  REQUIRE(summary.identities_checked > 0);
  REQUIRE(summary.held == summary.identities_checked);
}

TEST_CASE("row sum and roll-up single out the one cell in both broken identities") {
  auto b = Table05();
  Fact& f = FactAt(b.doc, "公开05表", "2100101", "3");  // was 10.00
  f.value = D("13.00");
  f.printed = "13.00";
  Reconcile(b.doc, Schema(), TablesOnly());
  REQUIRE(FlagKeys(b.doc) == std::vector<std::string>{"公开05表/2100101/3/source_error"});
  REQUIRE(b.doc.findings[0].difference.has_value());
}

TEST_CASE("a one-cent difference is rounding, kept and flagged on every term") {
  auto b = Table05();
  b.doc.tables[0].facts[0].value = D("30.01");  // 合计 col1
  Reconcile(b.doc, Schema(), TablesOnly());
  bool rounding = false;
  for (const auto& f : b.doc.findings) {
    REQUIRE(f.kind == "rounding");
    rounding = true;
  }
  REQUIRE(rounding);
  auto keys = FlagKeys(b.doc);
  REQUIRE(std::find(keys.begin(), keys.end(), "公开05表/合计/1/rounding") != keys.end());
}

TEST_CASE("a difference beyond the rounding bound is a source error") {
  auto b = Table05();
  b.doc.tables[0].facts[0].value = D("30.10");
  Reconcile(b.doc, Schema(), TablesOnly());
  REQUIRE(b.doc.findings.size() >= 1);
  REQUIRE(b.doc.findings[0].kind == "source_error");
}

TEST_CASE("公开01表 totals: 总计 = 本年支出合计 + 结余分配 + 年末结转和结余") {
  DocBuilder b;
  b.Add("公开01表", "卫生健康支出", "2", "100.00")
      .Add("公开01表", "本年支出合计", "2", "100.00")
      .Add("公开01表", "年末结转和结余", "2", "70.00")
      .Add("公开01表", "总计", "2", "150.00")
      .Add("公开01表", "总计", "1", "150.00");
  Reconcile(b.doc, Schema(), TablesOnly());
  REQUIRE(b.doc.findings.size() == 1);
  REQUIRE(b.doc.findings[0].identity == "01.expense_grand_total");
  REQUIRE(FlagKeys(b.doc) == std::vector<std::string>{"公开01表/年末结转和结余/2/source_error"});
}

TEST_CASE("公开04表 row identity col2 = col3 + col4 + col5") {
  DocBuilder b;
  b.Add("公开04表", "卫生健康支出", "2", "10.00").Add("公开04表", "卫生健康支出", "3", "8.00");
  Reconcile(b.doc, Schema(), TablesOnly());
  REQUIRE(b.doc.findings.size() == 1);
  REQUIRE(b.doc.findings[0].identity.rfind("04.expense_row", 0) == 0);
}

TEST_CASE("公开06表 roll-up and 人员经费合计 = 301 + 303") {
  DocBuilder b;
  b.Add("公开06表", "301", "1", "10.00")
      .Add("公开06表", "30101", "1", "6.00")
      .Add("公开06表", "30102", "1", "4.00")
      .Add("公开06表", "303", "1", "1.00")
      .Add("公开06表", "人员经费合计", "1", "12.00");
  Reconcile(b.doc, Schema(), TablesOnly());
  REQUIRE(b.doc.findings.size() == 1);
  REQUIRE(b.doc.findings[0].identity == "06.personnel");
}

TEST_CASE("公开07表 合计 = 因公出国 + 公务用车 + 公务接待 and 小计 = 购置 + 运行") {
  DocBuilder b;
  b.Add("公开07表", "1", "7", "10.00")
      .Add("公开07表", "1", "8", "2.00")
      .Add("公开07表", "1", "9", "5.00")
      .Add("公开07表", "1", "10", "1.00")
      .Add("公开07表", "1", "11", "4.00")
      .Add("公开07表", "1", "12", "3.00");
  Reconcile(b.doc, Schema(), TablesOnly());
  REQUIRE(b.doc.findings.empty());
}

TEST_CASE("公开08表 col6 = col1 + col2 - col3") {
  DocBuilder b;
  b.Add("公开08表", "22960", "1", "5.00")
      .Add("公开08表", "22960", "2", "10.00")
      .Add("公开08表", "22960", "3", "12.00")
      .Add("公开08表", "22960", "5", "12.00")
      .Add("公开08表", "22960", "6", "3.00");
  Reconcile(b.doc, Schema(), TablesOnly());
  REQUIRE(b.doc.findings.empty());
}

TEST_CASE("cross-table: 05 基本支出 = 06 人员经费合计 + 公用经费合计") {
  auto b = Table05();
  b.Add("公开06表", "人员经费合计", "1", "15.00").Add("公开06表", "公用经费合计", "1", "6.00");
  Reconcile(b.doc, Schema(), TablesOnly());
  REQUIRE(b.doc.findings.size() == 1);
  REQUIRE(b.doc.findings[0].identity == "x.05_06_basic");
}

// 公开02/03表 beside Table05(): all income is appropriation and spent in the
// year, but 03 splits 基本/项目 as 21/9 where 05 says 20/10.
DocBuilder AllAppropriationWithSplit(const char* income_col2) {
  auto b = Table05();
  for (const char* row : {"合计", "210", "21001", "2100101"}) {
    b.Add("公开02表", row, "1", "30.00").Add("公开02表", row, "2", income_col2);
    if (std::string(income_col2) != "30.00") b.Add("公开02表", row, "4", "5.00");
    b.Add("公开03表", row, "1", "30.00").Add("公开03表", row, "2", "21.00").Add("公开03表", row, "3", "9.00");
  }
  return b;
}

TEST_CASE("cross-table per 科目编码: 03 = 05 where the funding is all general-budget") {
  auto b = AllAppropriationWithSplit("30.00");
  Reconcile(b.doc, Schema(), TablesOnly());
  std::set<std::string> broken;
  for (const auto& f : b.doc.findings) {
    REQUIRE(f.identity.rfind("x.03_05_code[", 0) == 0);
    broken.insert(f.identity);
  }
  // 基本支出 and 项目支出 of the four rows; 1栏 agrees.
  REQUIRE(broken.size() == 8);
}

TEST_CASE("the 03 = 05 identity is not applied where some income is not appropriation") {
  auto b = AllAppropriationWithSplit("25.00");
  Reconcile(b.doc, Schema(), TablesOnly());
  REQUIRE(b.doc.findings.empty());
}

TEST_CASE("the 03 = 05 identity is not applied to a code with government-fund figures") {
  auto b = AllAppropriationWithSplit("30.00");
  for (const char* row : {"合计", "210", "21001", "2100101"}) b.Add("公开08表", row, "2", "0.00");
  b.Add("公开08表", "2100101", "1", "1.00").Add("公开08表", "2100101", "6", "1.00");
  Reconcile(b.doc, Schema(), TablesOnly());
  for (const auto& f : b.doc.findings) {
    INFO(f.identity);
    REQUIRE(f.identity.find("2100101") == std::string::npos);
  }
  REQUIRE(!b.doc.findings.empty());
}

TEST_CASE("a blank 类 row in 公开04表 is missing, with the value 公开05表 implies") {
  auto b = Table05();
  b.Add("公开04表", "本年支出合计", "2", "30.00").Add("公开04表", "本年支出合计", "3", "30.00");
  Reconcile(b.doc, Schema(), TablesOnly());
  auto keys = FlagKeys(b.doc);
  REQUIRE(std::find(keys.begin(), keys.end(), "公开04表/卫生健康支出/3/missing") != keys.end());
  REQUIRE(std::find(keys.begin(), keys.end(), "公开04表/卫生健康支出/2/missing") != keys.end());
  for (const auto& f : b.doc.findings) REQUIRE(f.kind == "missing");
}

TEST_CASE("a ##### cell is unreadable and its value inferred") {
  auto b = Table05();
  FactAt(b.doc, "公开05表", "2100101", "1").printed = "#####";
  Reconcile(b.doc, Schema(), TablesOnly());
  REQUIRE(FlagKeys(b.doc) == std::vector<std::string>{"公开05表/2100101/1/unreadable"});
  REQUIRE(b.doc.findings[0].expected.value() == D("30"));
}

TEST_CASE("an OCR misreading with a repairing alternative is corrected as ocr_error") {
  auto b = Table05();
  ReadByOcr(FactAt(b.doc, "公开05表", "2100101", "3"), "18.00", 62.0f, {"10.00", "16.00"});
  Reconcile(b.doc, Schema(), TablesOnly());
  REQUIRE(b.doc.findings.size() == 1);
  REQUIRE(b.doc.findings[0].kind == "ocr_error");
  REQUIRE(FactAt(b.doc, "公开05表", "2100101", "3").value == D("10.00"));
  REQUIRE(b.doc.findings[0].printed.value() == D("18.00"));
}

TEST_CASE("two OCR cells misread alike (a 款 and its only 项) are repaired together") {
  auto b = Table05();
  for (const char* row : {"21001", "2100101"}) {
    ReadByOcr(FactAt(b.doc, "公开05表", row, "1"), "80.00", 88.0f, {"30.00", "60.00"});
  }
  Reconcile(b.doc, Schema(), TablesOnly());
  REQUIRE(b.doc.findings.size() == 2);
  for (const auto& f : b.doc.findings) REQUIRE(f.kind == "ocr_error");
  REQUIRE(FactAt(b.doc, "公开05表", "21001", "1").value == D("30.00"));
  REQUIRE(FactAt(b.doc, "公开05表", "2100101", "1").value == D("30.00"));
  REQUIRE(FlagKeys(b.doc).empty());  // corrected figures are not flagged
}

TEST_CASE("an alternative that mends one identity but breaks another is not taken") {
  auto b = Table05();
  ReadByOcr(FactAt(b.doc, "公开05表", "2100101", "3"), "18.00", 90.0f, {"16.00"});
  ReconcileOptions options = TablesOnly();
  options.reread_cell = [](const Fact&) { return CellRereading{{"18.00"}, 94.0f}; };
  Reconcile(b.doc, Schema(), options);
  REQUIRE(FactAt(b.doc, "公开05表", "2100101", "3").value == D("18.00"));
  REQUIRE(FlagKeys(b.doc) == std::vector<std::string>{"公开05表/2100101/3/source_error"});
}

TEST_CASE("a doubtful short OCR reading the re-read sees no figure in is withdrawn, not kept as a fact") {
  // What a dash or a speck gives the digit model: "5" with low confidence,
  // and nothing at all when the cell is read again.
  auto unseen = [](const Fact&) { return CellRereading{{}, 0.0f}; };
  SECTION("withdrawn: an uncertain finding names the cell, the figure counts as unkeyed") {
    auto b = Table05();
    ReadByOcr(FactAt(b.doc, "公开05表", "2100101", "3"), "5", 40.0f);
    b.doc.coverage.figures = b.doc.coverage.mapped = static_cast<int>(b.doc.tables[0].facts.size());
    ReconcileOptions options = TablesOnly();
    options.reread_cell = unseen;
    Reconcile(b.doc, Schema(), options);
    const auto& facts = b.doc.tables[0].facts;
    REQUIRE(std::none_of(facts.begin(), facts.end(), [](const Fact& f) { return f.row == "2100101" && f.col == "3"; }));
    REQUIRE(b.doc.coverage.unmapped == 1);
    REQUIRE(std::any_of(b.doc.findings.begin(), b.doc.findings.end(), [](const Finding& f) {
      return f.kind == "uncertain" && f.cells.size() == 1 && f.cells[0].row == "2100101" && f.cells[0].printed == "5";
    }));
    CAPTURE(FlagKeys(b.doc));
    REQUIRE(FlagKeys(b.doc).empty());
    REQUIRE(b.doc.status == DocumentStatus::kPartial);
  }
  SECTION("withdrawn too when the re-read sees only a mark") {
    auto b = Table05();
    ReadByOcr(FactAt(b.doc, "公开05表", "2100101", "3"), "5", 35.0f);
    ReconcileOptions options = TablesOnly();
    options.reread_cell = [](const Fact&) { return CellRereading{{"."}, 20.0f}; };
    Reconcile(b.doc, Schema(), options);
    const auto& facts = b.doc.tables[0].facts;
    REQUIRE(std::none_of(facts.begin(), facts.end(), [](const Fact& f) { return f.row == "2100101" && f.col == "3"; }));
    REQUIRE(FlagKeys(b.doc).empty());
  }
  SECTION("kept: read with confidence, or seen again, or an amount with its decimals") {
    for (int variant = 0; variant < 3; ++variant) {
      auto b = Table05();
      ReadByOcr(FactAt(b.doc, "公开05表", "2100101", "3"), variant == 2 ? "5.00" : "5", variant == 0 ? 90.0f : 40.0f);
      ReconcileOptions options = TablesOnly();
      options.reread_cell = variant == 1 ? std::function<CellRereading(const Fact&)>(
                                               [](const Fact&) { return CellRereading{{"5"}, 45.0f}; })
                                         : unseen;
      Reconcile(b.doc, Schema(), options);
      INFO("variant " << variant);
      REQUIRE(FactAt(b.doc, "公开05表", "2100101", "3").printed.find('5') != std::string::npos);
    }
  }
}

TEST_CASE("a cell the mapper reported unreadable gets the value the identities imply") {
  auto b = Table05();
  auto& facts = b.doc.tables[0].facts;
  facts.erase(std::remove_if(facts.begin(), facts.end(),
                             [](const Fact& f) { return f.row == "2100101" && f.col == "2"; }),
              facts.end());
  Finding reported;
  reported.kind = "unreadable";
  reported.cells.push_back({"公开05表", "2100101", "2", 3, {}, "#####"});
  b.doc.findings.push_back(reported);
  Reconcile(b.doc, Schema(), TablesOnly());
  REQUIRE(b.doc.findings.size() == 1);
  REQUIRE(b.doc.findings[0].kind == "unreadable");
  REQUIRE(b.doc.findings[0].expected.value() == D("20"));
  REQUIRE(FlagKeys(b.doc) == std::vector<std::string>{"公开05表/2100101/2/unreadable"});
}

TEST_CASE("reconciling twice replaces the earlier findings") {
  auto b = Table05();
  FactAt(b.doc, "公开05表", "2100101", "3").value = D("13.00");
  Reconcile(b.doc, Schema(), ReconcileOptions());
  auto first = b.doc.findings.size();
  Reconcile(b.doc, Schema(), ReconcileOptions());
  REQUIRE(b.doc.findings.size() == first);
}

TEST_CASE("a confident OCR figure nobody read again is the suspect: one glyph repaired as ocr_error") {
  // Every other figure is from the text layer, so the one OCR figure is
  // what a one-glyph repair may touch; 13.00 -> 10.00 mends the row and
  // both roll-ups.
  auto b = Table05();
  ReadByOcr(FactAt(b.doc, "公开05表", "2100101", "3"), "13.00", 96.0f);
  Reconcile(b.doc, Schema(), TablesOnly());
  REQUIRE(b.doc.findings.size() == 1);
  REQUIRE(b.doc.findings[0].kind == "ocr_error");
  REQUIRE(FactAt(b.doc, "公开05表", "2100101", "3").value == D("10.00"));
  REQUIRE(FlagKeys(b.doc).empty());
}

TEST_CASE("a re-read that proposes the consistent figure repairs it as ocr_error") {
  auto b = Table05();
  ReadByOcr(FactAt(b.doc, "公开05表", "2100101", "3"), "18.00", 96.0f);
  ReconcileOptions options = TablesOnly();
  std::vector<std::string> reread;
  options.reread_cell = [&](const Fact& f) {
    reread.push_back(f.row + "/" + f.col);
    return CellRereading{{"10.00"}, 91.0f};
  };
  Reconcile(b.doc, Schema(), options);
  // Only the OCR figure of the broken identities is read again.
  REQUIRE(reread == std::vector<std::string>{"2100101/3"});
  REQUIRE(b.doc.findings.size() == 1);
  REQUIRE(b.doc.findings[0].kind == "ocr_error");
  const Fact& fixed = FactAt(b.doc, "公开05表", "2100101", "3");
  REQUIRE(fixed.value == D("10.00"));
  REQUIRE(fixed.reread == std::optional<std::string>("10.00"));
}

TEST_CASE("a re-read that confirms the printed figure leaves a source error that says so") {
  auto b = Table05();
  ReadByOcr(FactAt(b.doc, "公开05表", "2100101", "3"), "13.00", 96.0f);
  ReconcileOptions options = TablesOnly();
  options.reread_cell = [](const Fact&) { return CellRereading{{"13.00"}, 95.0f}; };
  Reconcile(b.doc, Schema(), options);
  REQUIRE(b.doc.findings[0].kind == "source_error");
  REQUIRE(b.doc.findings[0].message.find("1 of 1 OCR figures confirmed by re-reading") != std::string::npos);
  REQUIRE(FactAt(b.doc, "公开05表", "2100101", "3").value == D("13.00"));
}

// --- The OCR verdict rule (docs/VERDICTS.md) ---------------------------------

// 公开05表 read by OCR throughout, every figure at `confidence`.
DocBuilder Table05ByOcr(float confidence) {
  auto b = Table05();
  for (auto& f : b.doc.tables[0].facts) ReadByOcr(f, f.printed.c_str(), confidence);
  b.doc.pages.resize(3);
  for (auto& p : b.doc.pages) p.source = TextSource::kOcr;
  return b;
}

// 公开05表 read by OCR, 2100101 col 3 read as `printed` (the row breaks).
DocBuilder Table05ByOcrWith(float confidence, const char* printed) {
  auto b = Table05ByOcr(confidence);
  Fact& f = FactAt(b.doc, "公开05表", "2100101", "3");
  f.value = D(printed);
  f.printed = printed;
  return b;
}

TEST_CASE("a break among OCR figures all read confidently and confirmed by a re-read is a source error") {
  auto b = Table05ByOcrWith(95.0f, "13.00");
  ReconcileOptions options = TablesOnly();
  // The re-read sees what the first reading saw, confidently.
  options.reread_cell = [](const Fact& f) { return CellRereading{{f.printed}, 93.0f}; };
  Reconcile(b.doc, Schema(), options);
  REQUIRE_FALSE(b.doc.findings.empty());
  for (const auto& f : b.doc.findings) REQUIRE(f.kind == "source_error");
  REQUIRE(FlagKeys(b.doc) == std::vector<std::string>{"公开05表/2100101/3/source_error"});
  REQUIRE(b.doc.status == DocumentStatus::kComplete);
}

TEST_CASE("a confirmed OCR figure without the decimal part the table's amounts print is no proof of a source error") {
  // "13" where the table prints "13.00": a figure cut at its point (its
  // decimals read into the next column) reads alike twice all the same.
  auto b = Table05ByOcrWith(95.0f, "13");
  ReconcileOptions options = TablesOnly();
  options.reread_cell = [](const Fact& f) { return CellRereading{{f.printed}, 93.0f}; };
  Reconcile(b.doc, Schema(), options);
  REQUIRE_FALSE(b.doc.findings.empty());
  bool named = false;
  for (const auto& f : b.doc.findings) {
    INFO(f.kind << ": " << f.message);
    REQUIRE(f.kind != "source_error");
    for (const auto& s : f.suspects) named |= s.row == "2100101" && s.col == "3";
  }
  REQUIRE(named);
  REQUIRE(FlagKeys(b.doc).empty());
  REQUIRE(b.doc.status == DocumentStatus::kPartial);
}

TEST_CASE("a break among OCR figures the re-read does not confirm is uncertain, not the document's error") {
  // 2100101 col 2 and col 3 both read 13.57 / 20.00 unsure; no one-glyph
  // change of one cell mends the row (30.00 = 20.00 + 13.57 is 3.57 off).
  auto b = Table05ByOcr(95.0f);
  for (const char* col : {"2", "3"}) {
    Fact& f = FactAt(b.doc, "公开05表", "2100101", col);
    f.confidence = 62.0f;
  }
  Fact& odd = FactAt(b.doc, "公开05表", "2100101", "3");
  odd.value = D("13.57");
  odd.printed = "13.57";
  ReconcileOptions options = TablesOnly();
  options.reread_cell = [](const Fact& f) {
    // The other figures are confirmed; these two are read otherwise.
    if (f.row == "2100101" && f.col != "1") return CellRereading{{f.col == "3" ? "18.57" : "26.00"}, 70.0f};
    return CellRereading{{f.printed}, 93.0f};
  };
  Reconcile(b.doc, Schema(), options);
  bool any_uncertain = false;
  for (const auto& f : b.doc.findings) {
    INFO(f.kind << ": " << f.message);
    REQUIRE(f.kind != "source_error");
    if (f.kind != "uncertain") continue;
    any_uncertain = true;
    for (const auto& s : f.suspects) REQUIRE(s.row == "2100101");
  }
  REQUIRE(any_uncertain);
  REQUIRE(FlagKeys(b.doc).empty());  // our misreading is never the publisher's error
  REQUIRE(b.doc.status == DocumentStatus::kPartial);
  REQUIRE(b.doc.error.find("uncertain:") != std::string::npos);
  // The figures are left as read: nothing says which reading is right.
  REQUIRE(FactAt(b.doc, "公开05表", "2100101", "3").value == D("13.57"));
}

TEST_CASE("a confident first reading is not enough: a break the re-read does not confirm is uncertain") {
  auto b = Table05ByOcrWith(96.0f, "13.57");
  ReconcileOptions options = TablesOnly();
  // Same value, but the re-read is unsure of it.
  options.reread_cell = [](const Fact& fact) { return CellRereading{{fact.printed}, fact.col == "3" ? 41.0f : 94.0f}; };
  Reconcile(b.doc, Schema(), options);
  REQUIRE_FALSE(b.doc.findings.empty());
  for (const auto& finding : b.doc.findings) REQUIRE(finding.kind == "uncertain");
  REQUIRE(b.doc.findings[0].suspects.size() == 1);
  REQUIRE(b.doc.findings[0].suspects[0].col == "3");
  REQUIRE(FlagKeys(b.doc).empty());
}

TEST_CASE("the one unconfirmed OCR figure of a break is repaired when one glyph mends it") {
  auto b = Table05ByOcr(95.0f);
  Fact& f = FactAt(b.doc, "公开05表", "2100101", "3");
  f.value = D("16.00");  // a blurred 1 and 0 read as 1 and 6
  f.printed = "16.00";
  ReconcileOptions options = TablesOnly();
  options.reread_cell = [](const Fact& fact) {
    return CellRereading{{fact.printed}, fact.col == "3" && fact.row == "2100101" ? 55.0f : 93.0f};
  };
  Reconcile(b.doc, Schema(), options);
  REQUIRE(b.doc.findings.size() == 1);
  REQUIRE(b.doc.findings[0].kind == "ocr_error");
  REQUIRE(FactAt(b.doc, "公开05表", "2100101", "3").value == D("10.00"));
  REQUIRE(b.doc.status == DocumentStatus::kComplete);
}

// The break of "a break among OCR figures all read confidently ...": the
// re-read confirms every figure, so only the shapes or the page's record can
// keep the figures from accusing the publisher.
DocBuilder ConfirmedBreak(ReconcileOptions& options) {
  auto b = Table05ByOcr(95.0f);
  FactAt(b.doc, "公开05表", "2100101", "3").value = D("13.00");
  FactAt(b.doc, "公开05表", "2100101", "3").printed = "13.00";
  options = TablesOnly();
  options.reread_cell = [](const Fact& f) { return CellRereading{{f.printed}, 93.0f}; };
  return b;
}

TEST_CASE("a confirmed OCR figure whose digits do not look like the page's own is not trusted") {
  ReconcileOptions options;
  auto b = ConfirmedBreak(options);
  std::vector<std::string> compared;
  const bool doubted = GENERATE(false, true);
  options.check_shape = [&](const Fact& f, const std::vector<const Fact*>&) {
    compared.push_back(f.row + "/" + f.col);
    CellShapeCheck out;
    if (doubted && f.row == "2100101" && f.col == "3") out = {"its ink holds 5 digits, the reading 4", {"113.00"}};
    return out;
  };
  Reconcile(b.doc, Schema(), options);
  REQUIRE_FALSE(compared.empty());
  REQUIRE_FALSE(b.doc.findings.empty());
  if (!doubted) {
    for (const auto& f : b.doc.findings) REQUIRE(f.kind == "source_error");
    return;
  }
  // The doubted figure is the one untrusted figure of the break: it is our
  // misreading (repaired, as the trusted figures single it out), never the
  // publisher's error.
  for (const auto& f : b.doc.findings) {
    INFO(f.kind << ": " << f.message);
    REQUIRE(f.kind == "ocr_error");
    REQUIRE(f.suspects.size() == 1);
    REQUIRE(f.suspects[0].col == "3");
  }
  REQUIRE(FlagKeys(b.doc).empty());
  const Fact& fact = FactAt(b.doc, "公开05表", "2100101", "3");
  REQUIRE(fact.shape_doubt == "its ink holds 5 digits, the reading 4");
  REQUIRE(std::find(fact.alternatives.begin(), fact.alternatives.end(), "113.00") != fact.alternatives.end());
}

TEST_CASE("a page the reader was proven wrong on more than once gives no trusted figure") {
  ReconcileOptions options;
  auto b = ConfirmedBreak(options);
  Reconcile(b.doc, Schema(), options);
  const size_t breaks = b.doc.findings.size();
  REQUIRE(breaks >= 1);
  for (const auto& f : b.doc.findings) REQUIRE(f.kind == "source_error");
  // Misreadings the identities proved and repaired elsewhere on page 3.
  const int misreads = GENERATE(1, 2);
  for (int i = 0; i < misreads; ++i) {
    Finding repaired;
    repaired.kind = "ocr_error";
    FindingCell cell;
    cell.table = "公开05表";
    cell.row = "2100102";
    cell.col = std::to_string(i + 1);
    cell.page = 3;
    repaired.suspects.push_back(cell);
    b.doc.findings.push_back(repaired);
  }
  SettleOcrFindings(b.doc, options);
  for (size_t i = 0; i < breaks; ++i) {
    const Finding& f = b.doc.findings[i];
    INFO(f.message);
    if (misreads <= options.ocr_misreads_per_trusted_page) {
      REQUIRE(f.kind == "source_error");
    } else {
      REQUIRE(f.kind == "uncertain");
      REQUIRE(f.message.find("2 figures of page 3 were misread") != std::string::npos);
    }
  }
  REQUIRE(FlagKeys(b.doc).empty() == (misreads > options.ocr_misreads_per_trusted_page));
}

TEST_CASE("a text-layer break stays a source error whatever the OCR figures beside it") {
  auto b = Table05();
  FactAt(b.doc, "公开05表", "2100101", "3").value = D("13.57");
  ReadByOcr(FactAt(b.doc, "公开05表", "2100101", "2"), "20.00", 40.0f);
  ReconcileOptions options = TablesOnly();
  options.reread_cell = [](const Fact& f) { return CellRereading{{f.printed}, 93.0f}; };
  Reconcile(b.doc, Schema(), options);
  // The OCR figure was unsure at first: not trusted, so the row sum it is
  // in is uncertain; the roll-ups among text-layer figures stay the
  // document's error.
  std::set<std::string> kinds;
  for (const auto& f : b.doc.findings) kinds.insert(f.kind);
  REQUIRE(kinds.count("source_error"));
  REQUIRE(FlagKeys(b.doc).size() >= 1);
  for (const auto& key : FlagKeys(b.doc)) REQUIRE(key.find("/source_error") != std::string::npos);
}

TEST_CASE("a source error found outside the identities (绩效 rules) on unconfirmed OCR figures is settled as uncertain") {
  auto b = Table05ByOcr(95.0f);
  Finding rule;
  rule.kind = "source_error";
  rule.identity = "jx.rate";
  rule.message = "执行率 printed 0.83, 全年执行数 / 全年预算数 = 0.88";
  rule.cells.push_back({"公开05表", "合计", "1", 3, {}, "30.00"});
  rule.suspects = rule.cells;
  b.doc.findings.push_back(rule);
  ReconcileOptions options = TablesOnly();
  int rereads = 0;
  options.reread_cell = [&](const Fact&) {
    ++rereads;
    return CellRereading{{"36.00"}, 90.0f};
  };
  SettleOcrFindings(b.doc, options);
  REQUIRE(rereads == 1);
  REQUIRE(b.doc.findings[0].kind == "uncertain");
  REQUIRE(b.doc.status == DocumentStatus::kPartial);
  SettleOcrFindings(b.doc, options);  // idempotent
  REQUIRE(rereads == 1);
  REQUIRE(b.doc.findings[0].kind == "uncertain");
  REQUIRE(std::count(b.doc.error.begin(), b.doc.error.end(), ';') == 0);
}

TEST_CASE("TrustedFigure: text layer always; OCR only confident, confirmed and uncorrected") {
  ReconcileOptions options;
  Fact f;
  f.value = D("12.30");
  f.printed = "12.30";
  REQUIRE(TrustedFigure(f, options));
  f.source = TextSource::kOcr;
  f.confidence = 95.0f;
  REQUIRE_FALSE(TrustedFigure(f, options));  // never read again
  f.reread = "12.30";
  f.reread_confidence = 91.0f;
  REQUIRE(TrustedFigure(f, options));
  f.reread = "12.80";
  REQUIRE_FALSE(TrustedFigure(f, options));
  f.reread = "12.30";
  f.confidence = 60.0f;
  REQUIRE_FALSE(TrustedFigure(f, options));
  f.confidence = 95.0f;
  f.printed = "12.80";  // corrected by an ocr_error repair
  REQUIRE_FALSE(TrustedFigure(f, options));
}

TEST_CASE("narrative amounts and shares parse") {
  auto m = ParseNarrative("本年收入 19,436.23 万元，占 95.35%");
  REQUIRE(m.size() == 2);
  REQUIRE(m[0].kind == MentionKind::kAmount);
  REQUIRE(m[0].label == "本年收入");
  REQUIRE(m[0].value == D("19436.23"));
  REQUIRE(m[0].unit == "万元");
  REQUIRE(m[1].kind == MentionKind::kPercent);
  REQUIRE(m[1].cue == "占");
  REQUIRE(m[1].value == D("95.35"));
}

TEST_CASE("narrative change, flat and completion cues parse") {
  auto up = ParseNarrative("收入增加 6,498.01 万元，增长 50.22%");
  REQUIRE(up.size() == 2);
  REQUIRE(up[0].cue == "增加");
  REQUIRE(up[1].cue == "增长");
  REQUIRE(up[1].value == D("50.22"));
  auto flat = ParseNarrative("与上年持平");
  REQUIRE(flat.size() == 1);
  REQUIRE(flat[0].kind == MentionKind::kFlat);
  auto done = ParseNarrative("完成年初预算的 87.39%");
  REQUIRE(done.size() == 1);
  REQUIRE(done[0].cue == "完成年初预算的");
  REQUIRE(done[0].value == D("87.39"));
  REQUIRE(ParseNarrative("2020 年度").empty());
}

TEST_CASE("a narrative total that differs from the table is narrative_mismatch") {
  DocBuilder b;
  b.Add("公开01表", "本年收入合计", "1", "100.00");
  b.doc.lines.push_back({9, {}, "本年收入 120.00 万元。"});
  b.doc.lines.push_back({9, {}, "本年收入 100.00 万元。"});
  ReconcileOptions o;
  o.check_disclosure = false;
  Reconcile(b.doc, Schema(), o);
  REQUIRE(b.doc.findings.size() == 1);
  REQUIRE(b.doc.findings[0].kind == "narrative_mismatch");
  REQUIRE(FlagKeys(b.doc) == std::vector<std::string>{"公开01表/本年收入合计/1/narrative_mismatch"});
}

TEST_CASE("narrative shares and growth rates are recomputed") {
  DocBuilder b;
  b.doc.lines.push_back({9, {}, "财政拨款收入 95.00 万元，占 95.00%；其他收入 5.00 万元，占 5.00%。"});
  b.doc.lines.push_back({9, {}, "本年收入 150.00 万元，收入增加 50.00 万元，增长 50.00%。"});
  b.doc.lines.push_back({9, {}, "本年收入 150.00 万元，收入增加 50.00 万元，增长 40.00%。"});
  b.doc.lines.push_back({9, {}, "收入增加 50.00 万元，下降 40.00%。"});
  b.doc.lines.push_back({9, {}, "年初预算 200.00 万元，决算数 150.00 万元，完成年初预算的 75.00%。"});
  b.doc.lines.push_back({9, {}, "年初预算 200.00 万元，决算数 150.00 万元，完成年初预算的 80.00%。"});
  ReconcileOptions o;
  o.check_disclosure = false;
  Reconcile(b.doc, Schema(), o);
  REQUIRE(b.doc.findings.size() == 3);
  for (const auto& f : b.doc.findings) REQUIRE(f.kind == "narrative_mismatch");
}

// The identities of the narrative findings, in order.
std::vector<std::string> NarrativeChecks(const Document& doc) {
  std::vector<std::string> out;
  for (const auto& f : doc.findings) {
    if (f.kind == "narrative_mismatch") out.push_back(f.identity);
  }
  return out;
}

Document Narrate(DocBuilder b, std::vector<std::string> sentences, int year = 2024) {
  b.doc.year = year;
  b.doc.kind = "juesuan";
  for (auto& s : sentences) b.doc.lines.push_back({20, {}, s});
  ReconcileOptions o;
  o.check_disclosure = false;
  Reconcile(b.doc, Schema(), o);
  return b.doc;
}

TEST_CASE("narrative totals: 收入支出总计 and 财政拨款收入支出总计 each against its table") {
  DocBuilder b;
  b.Add("公开01表", "总计", "1", "9859.38").Add("公开04表", "总计", "1", "2961.68");
  auto right = Narrate(b, {"本局2024年度收入支出总计9859.38万元。", "本局2024年度财政拨款收入支出总计2961.68万元。"});
  CHECK(NarrativeChecks(right).empty());
  auto wrong = Narrate(b, {"本局2024年度收入支出总计9859.38万元。", "本局2024年度财政拨款收入支出总计0.3万元。"});
  REQUIRE(NarrativeChecks(wrong) == std::vector<std::string>{"narrative[quote]"});
  CHECK(wrong.findings[0].suspects[0].table == "公开04表");
  CHECK(*wrong.findings[0].expected == D("2961.68"));
  CHECK(*wrong.findings[0].printed == D("0.3"));
}

TEST_CASE("narrative 三公: budget and 决算 by role, the subject carried to 支出决算为") {
  DocBuilder b;
  b.Add("公开07表", "1", "1", "2.85").Add("公开07表", "1", "7", "0.39").Add("公开07表", "1", "12", "0.39");
  const char* right = "“三公”经费财政拨款支出年初预算为2.85万元,支出决算为0.39万元,完成预算的13.68%,"
                      "其中:公务接待费支出决算为0.39万元,完成预算的13.68%。决算数小于预算数的主要原因是节约。";
  CHECK(NarrativeChecks(Narrate(b, {right})).empty());
  auto budget = Narrate(b, {"“三公”经费财政拨款支出年初预算为3.85万元,支出决算为0.39万元。"});
  REQUIRE(NarrativeChecks(budget) == std::vector<std::string>{"narrative[quote]"});
  CHECK(budget.findings[0].suspects[0].col == "1");
  auto word = Narrate(b, {"“三公”经费财政拨款支出年初预算为2.85万元,支出决算为0.39万元。", "决算数大于预算数的主要原因是节约。"});
  CHECK(NarrativeChecks(word) == std::vector<std::string>{"narrative[comparison]"});
  // The table printed blank: the quotes are reported once, on the table.
  DocBuilder blank;
  blank.doc.tables.push_back(Table{});
  blank.doc.tables.back().code = "公开07表";
  auto none = Narrate(blank, {right});
  REQUIRE(NarrativeChecks(none) == std::vector<std::string>{"narrative[blank_table]"});
  CHECK(none.findings[0].suspects[0].table == "公开07表");
  CHECK(NarrativeChecks(Narrate(blank, {"“三公”经费财政拨款支出年初预算为0.00万元,支出决算为0.00万元。"})).empty());
}

TEST_CASE("narrative comparison words against the pair before them, 全年预算 too") {
  DocBuilder b;
  std::string pair = "年初预算为0万元,全年预算为321.02万元,支出决算为307.82万元,完成年初预算的95.89%。";
  CHECK(NarrativeChecks(Narrate(b, {pair + "决算数小于预算数的主要原因:人员变动。"})).empty());
  CHECK(NarrativeChecks(Narrate(b, {pair + "决算数大于预算数的主要原因:人员变动。"})).empty());  // 年初预算 0
  CHECK(NarrativeChecks(Narrate(b, {"年初预算为54.53万元,支出决算为54.53万元。", "决算数同预算数持平。"})).empty());
  CHECK(NarrativeChecks(Narrate(b, {"年初预算为54.53万元,支出决算为54.50万元。", "决算数同预算数持平。"})) ==
        std::vector<std::string>{"narrative[comparison]"});
  CHECK(NarrativeChecks(Narrate(b, {"年初预算为54.53万元,支出决算为54.50万元,完成年初预算的99.95%。"})).empty());
  CHECK(NarrativeChecks(Narrate(b, {"年初预算为54.53万元,支出决算为54.50万元,完成年初预算的99.90%。"})) ==
        std::vector<std::string>{"narrative[completion]"});
}

TEST_CASE("narrative rate: against last year's figure from the table when the quote is wrong") {
  DocBuilder b;
  b.Add("公开01表", "总计", "1", "2961.68");
  // 56.95 / (2961.68 + 56.95) = 1.89%; the total misquoted as 0 is the one finding.
  auto doc = Narrate(b, {"本局2024年度收入支出总计0万元。与2023年度相比,收入支出总计减少56.95万元,下降1.89%。"});
  CHECK(NarrativeChecks(doc) == std::vector<std::string>{"narrative[quote]"});
  auto rate = Narrate(b, {"本局2024年度收入支出总计2961.68万元。与2023年度相比,收入支出总计减少56.95万元,下降1.87%。"});
  CHECK(NarrativeChecks(rate) == std::vector<std::string>{"narrative[rate]"});
}

TEST_CASE("narrative years: headings, figures, 截至 and 与…年度相比 against the fiscal year") {
  DocBuilder b;
  std::vector<std::string> right = {"第三部分 本局2024年度部门决算情况说明", "截至2024年12月31日,本局共有车辆0辆。",
                                    "与2023年度相比,收入增加。", "编报绩效目标的2024年度项目1个。"};
  CHECK(NarrativeChecks(Narrate(b, right)).empty());
  auto doc = Narrate(b, {"第三部分 本局2023年度部门决算情况说明", "截至2023年12月31日,本局共有车辆0辆。",
                         "与2024年度相比,收入增加。"});
  CHECK(NarrativeChecks(doc) == std::vector<std::string>{"narrative[year:heading]", "narrative[year:asset_date]",
                                                         "narrative[year:compared_with]"});
  CHECK(*doc.findings[2].expected == D("2023"));
  // A 预算 document speaks of last year's 决算 by right.
  DocBuilder y;
  y.doc.year = 2025;
  y.doc.kind = "yusuan";
  y.doc.lines.push_back({3, {}, "本局2024年度部门决算已公开,截至2024年12月31日共有车辆0辆。"});
  ReconcileOptions o;
  o.check_disclosure = false;
  Reconcile(y.doc, Schema(), o);
  CHECK(NarrativeChecks(y.doc).empty());
}

TEST_CASE("narrative 无…收入和支出 against the fund's tables; labels of a missing table are not guessed") {
  DocBuilder b;
  b.Add("公开08表", "合计", "3", "0.00");
  const char* none = "本局2024年度无政府性基金预算财政拨款收入和支出。";
  CHECK(NarrativeChecks(Narrate(b, {none})).empty());
  b.Add("公开08表", "2120801", "3", "12.00");
  CHECK(NarrativeChecks(Narrate(b, {none})) == std::vector<std::string>{"narrative[none]"});
  // 基本支出 names 公开03表 or 公开05表: with 公开03表 missing it is not checked against 05.
  DocBuilder c;
  c.Add("公开05表", "合计", "2", "5364.75");
  CHECK(NarrativeChecks(Narrate(c, {"本年支出合计9759.38万元,其中:基本支出5377.64万元,占55.10%。"})).empty());
  c.Add("公开03表", "合计", "2", "5377.64");
  CHECK(NarrativeChecks(Narrate(c, {"本年支出合计9759.38万元,其中:基本支出5377.64万元,占55.10%。"})).empty());
  CHECK(NarrativeChecks(Narrate(c, {"本年支出合计9759.38万元,其中:基本支出5300.00万元,占54.31%。"})) ==
        std::vector<std::string>{"narrative[quote]"});
}

TEST_CASE("disclosure: absent tables, placeholders, title year and unit") {
  auto b = Table05();
  b.doc.year = 2020;
  b.doc.tables[0].title = "2019年度一般公共预算财政拨款支出决算表";
  b.Add("公开06表", "人员经费合计", "1", "20.00");
  b.doc.tables[1].unit = "元";
  b.doc.lines.push_back({2, {}, "XX局2020年度部门决算"});
  Reconcile(b.doc, Schema(), ReconcileOptions());
  int disclosure = 0;
  for (const auto& f : b.doc.findings) disclosure += f.kind == "disclosure";
  // 7 tables absent, one placeholder, one year, one unit.
  REQUIRE(disclosure == 10);
  for (const auto& r : FlagRowsOf(b.doc)) REQUIRE(r.kind != "disclosure");
}

TEST_CASE("flags.csv has the scorer's header and quotes fields with commas") {
  std::vector<FlagRow> rows{{"公开02表", "合计", "1", "missing"}, {"t", "a,b", "1", "rounding"}};
  REQUIRE(FlagsCsv(rows) == "table,row,col,kind\n公开02表,合计,1,missing\nt,\"a,b\",1,rounding\n");
}

TEST_CASE("the summary line counts figures, identities and findings") {
  auto b = Table05();
  auto s = Reconcile(b.doc, Schema(), TablesOnly());
  REQUIRE(SummaryLine(s).rfind("12 figures, ", 0) == 0);
}

}  // namespace
}  // namespace juesuan
