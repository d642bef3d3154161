#include "pipeline/write/document_writer.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <tuple>


namespace juesuan {
namespace {

using nlohmann::json;

json BoxToJson(const Box& b) {
  auto r = [](double v) { return std::round(v * 100) / 100; };
  return json::array({r(b.x0), r(b.y0), r(b.x1), r(b.y1)});
}

Box BoxFromJson(const json& j) {
  if (!j.is_array() || j.size() != 4) return Box{};
  return Box{j[0].get<double>(), j[1].get<double>(), j[2].get<double>(), j[3].get<double>()};
}

json CellToJson(const Cell& c) {
  json j = {{"r", c.row}, {"c", c.col}, {"rs", c.row_span}, {"cs", c.col_span},
            {"box", BoxToJson(c.box)}, {"text", c.text}};
  if (c.source == TextSource::kOcr) {
    j["source"] = TextSourceName(c.source);
    j["confidence"] = c.confidence;
    if (!c.alternatives.empty()) j["alternatives"] = c.alternatives;
  }
  return j;
}

// One element of "evaluations" in NAME.json (schemas/jixiao.schema.json): a
// 绩效自评表 or a 绩效目标表.
json EvaluationToJson(const JixiaoEvaluation& ev) {
  auto figure = [](const JixiaoFigure& f) {
    json j = {{"printed", f.printed}, {"page", f.page}, {"cell", {{"r", f.row}, {"c", f.col}}}};
    j["value"] = f.value ? json(f.value->ToString()) : json(nullptr);
    if (f.unreadable) j["unreadable"] = true;
    return j;
  };
  auto optional_figure = [&](const std::optional<JixiaoFigure>& f) { return f ? figure(*f) : json(nullptr); };
  auto value = [](const IndicatorValue& v) {
    json j = {{"kind", IndicatorValueKindName(v.kind)}, {"text", v.text}};
    if (!v.comparator.empty()) j["comparator"] = v.comparator;
    if (v.number) j["number"] = v.number->ToString();
    if (!v.unit.empty()) j["unit"] = v.unit;
    if (!v.date.empty()) j["date"] = v.date;
    if (!v.target.empty()) j["target"] = v.target;
    return j;
  };
  json j = {{"table", ev.table}, {"kind", ev.kind}, {"title", ev.title}, {"name", ev.name},
            {"unit", ev.unit}, {"pages", ev.pages}, {"rate_percent", ev.rate_percent}};
  j["fields"] = json::object();
  for (const auto& [key, text] : ev.fields) j["fields"][key] = text;
  j["funds"] = json::array();
  for (const JixiaoFundsRow& row : ev.funds) {
    json rj = {{"row", row.key}, {"label", row.label}, {"figures", json::object()}};
    for (const auto& [col, f] : row.figures) rj["figures"][col] = figure(f);
    j["funds"].push_back(rj);
  }
  j["goals"] = {{"expected", ev.goal_expected}, {"actual", ev.goal_actual}};
  if (!ev.goal_project.empty()) j["goals"]["project"] = ev.goal_project;
  j["indicators"] = json::array();
  for (const JixiaoIndicator& ind : ev.indicators) {
    j["indicators"].push_back({{"level1", ind.level1}, {"level2", ind.level2}, {"level3", ind.level3},
                               {"target", value(ind.target)}, {"actual", value(ind.actual)},
                               {"weight", optional_figure(ind.weight)}, {"score", optional_figure(ind.score)},
                               {"deviation", ind.deviation}});
  }
  j["total"] = {{"weight", optional_figure(ev.total_weight)}, {"score", optional_figure(ev.total_score)}};
  j["grade"] = ev.grade;
  return j;
}

json FactToJson(const Fact& f) {
  json j = {{"table", f.table}, {"row", f.row}, {"col", f.col}, {"value", f.value.ToString()},
            {"printed", f.printed}, {"page", f.page}, {"grid", f.grid},
            {"cell", {{"r", f.cell_row}, {"c", f.cell_col}}}, {"box", BoxToJson(f.box)},
            {"source", TextSourceName(f.source)}, {"confidence", f.confidence}};
  if (!f.line.empty()) j["line"] = f.line;
  if (!f.alternatives.empty()) j["alternatives"] = f.alternatives;
  if (f.reread) j["reread"] = {{"text", *f.reread}, {"confidence", f.reread_confidence}};
  j["row_label"] = f.row_label;
  j["printed_label"] = f.printed_label;
  j["col_label"] = f.col_label;
  j["level"] = f.level;
  j["label_source"] = f.label_source;
  if (f.value_yuan) j["value_yuan"] = f.value_yuan->ToString();
  return j;
}

json FindingCellToJson(const FindingCell& c) {
  return {{"table", c.table}, {"row", c.row}, {"col", c.col}, {"page", c.page},
          {"box", BoxToJson(c.box)}, {"printed", c.printed}};
}

FindingCell FindingCellFromJson(const json& j) {
  FindingCell c;
  c.table = j.value("table", "");
  c.row = j.value("row", "");
  c.col = j.value("col", "");
  c.page = j.value("page", 0);
  if (j.contains("box")) c.box = BoxFromJson(j["box"]);
  c.printed = j.value("printed", "");
  return c;
}

json FindingToJson(const Finding& f) {
  json j = {{"kind", f.kind}, {"message", f.message}};
  if (!f.identity.empty()) j["identity"] = f.identity;
  if (!f.formula.empty()) j["formula"] = f.formula;
  if (f.printed) j["printed"] = f.printed->ToString();
  if (f.expected) j["expected"] = f.expected->ToString();
  if (f.difference) j["difference"] = f.difference->ToString();
  j["cells"] = json::array();
  for (const auto& c : f.cells) j["cells"].push_back(FindingCellToJson(c));
  j["suspects"] = json::array();
  for (const auto& c : f.suspects) j["suspects"].push_back(FindingCellToJson(c));
  if (f.place) j["place"] = {{"page", f.place->page}, {"box", BoxToJson(f.place->box)}, {"text", f.place->text}};
  return j;
}

json CoverageToJson(const Coverage& c) {
  return {{"figures", c.figures},   {"mapped", c.mapped},
          {"unmapped", c.unmapped}, {"grids", c.grids},
          {"grids_identified", c.grids_identified}, {"missing_rows", c.missing_rows}};
}

std::optional<Decimal> OptionalDecimal(const json& j, const char* key) {
  if (!j.contains(key)) return std::nullopt;
  return Decimal::Parse(j[key].get<std::string>());
}

Cell CellFromJson(const json& j) {
  Cell c;
  c.row = j.value("r", 0);
  c.col = j.value("c", 0);
  c.row_span = j.value("rs", 1);
  c.col_span = j.value("cs", 1);
  if (j.contains("box")) c.box = BoxFromJson(j["box"]);
  c.text_box = c.box;
  c.text = j.value("text", "");
  c.source = j.value("source", "text_layer") == "ocr" ? TextSource::kOcr : TextSource::kTextLayer;
  c.confidence = j.value("confidence", 100.0f);
  c.alternatives = j.value("alternatives", std::vector<std::string>{});
  return c;
}

TableGrid GridFromJson(const json& j) {
  TableGrid g;
  g.page = j.value("page", 0);
  if (j.contains("box")) g.box = BoxFromJson(j["box"]);
  const std::string ruling = j.value("ruling", "");
  for (Ruling r : {Ruling::kFull, Ruling::kHorizontalOnly, Ruling::kNone}) {
    if (ruling == RulingName(r)) g.ruling = r;
  }
  g.row_edges = j.value("row_edges", std::vector<double>{});
  g.col_edges = j.value("col_edges", std::vector<double>{});
  for (const json& cj : j.value("cells", json::array())) g.cells.push_back(CellFromJson(cj));
  return g;
}

PageText PageTextFromJson(const json& j) {
  PageText p;
  p.page = j.value("page", 0);
  const std::string verdict = j.value("verdict", "");
  for (PageTextVerdict v : {PageTextVerdict::kUsable, PageTextVerdict::kNoText, PageTextVerdict::kGarbled}) {
    if (verdict == PageTextVerdictName(v)) p.verdict = v;
  }
  p.verdict_reason = j.value("reason", "");
  p.source = j.value("source", "text_layer") == "ocr" ? TextSource::kOcr : TextSource::kTextLayer;
  p.width = j.value("width", 0.0);
  p.height = j.value("height", 0.0);
  p.rotation = j.value("rotation", 0);
  p.skew_degrees = j.value("skew_degrees", 0.0);
  return p;
}

// The parts of a document only the report needs (DocumentJsonParts::kReport).
void ReadReportParts(const json& j, Document& doc) {
  const std::string status = j.value("status", "failed");
  for (DocumentStatus s : {DocumentStatus::kComplete, DocumentStatus::kPartial, DocumentStatus::kFailed}) {
    if (status == DocumentStatusName(s)) doc.status = s;
  }
  doc.error = j.value("error", "");
  doc.seconds = j.value("seconds", 0.0);
  for (const json& pj : j.value("page_text", json::array())) doc.pages.push_back(PageTextFromJson(pj));
  const json& tables = j.at("tables");
  for (size_t t = 0; t < doc.tables.size() && t < tables.size(); ++t) {
    for (const json& gj : tables[t].value("grids", json::array())) doc.tables[t].grids.push_back(GridFromJson(gj));
    const json& facts = tables[t].at("facts");
    for (size_t f = 0; f < doc.tables[t].facts.size() && f < facts.size(); ++f) {
      const json& cell = facts[f].value("cell", json::object());
      doc.tables[t].facts[f].cell_row = cell.value("r", 0);
      doc.tables[t].facts[f].cell_col = cell.value("c", 0);
    }
  }
}

}  // namespace

json DocumentToJson(const Document& doc) {
  json j;
  j["doc_id"] = doc.doc_id;
  j["source_path"] = doc.source_path;
  if (!doc.sha256.empty()) j["sha256"] = doc.sha256;
  j["kind"] = doc.kind;
  j["unit"] = doc.unit_name;
  j["year"] = doc.year ? json(*doc.year) : json(nullptr);
  j["pages"] = doc.page_count;
  j["status"] = DocumentStatusName(doc.status);
  if (!doc.error.empty()) j["error"] = doc.error;
  j["seconds"] = std::round(doc.seconds * 1000) / 1000;
  j["coverage"] = CoverageToJson(doc.coverage);
  j["page_text"] = json::array();
  for (const PageText& p : doc.pages) {
    json pj = {{"page", p.page}, {"verdict", PageTextVerdictName(p.verdict)},
               {"reason", p.verdict_reason}, {"source", TextSourceName(p.source)},
               {"width", p.width}, {"height", p.height}};
    if (p.rotation) pj["rotation"] = p.rotation;
    if (p.skew_degrees != 0) pj["skew_degrees"] = p.skew_degrees;
    j["page_text"].push_back(pj);
  }
  j["tables"] = json::array();
  for (const Table& t : doc.tables) {
    json tj = {{"table", t.code}, {"kind", t.kind}, {"title", t.title}, {"caption", t.caption},
               {"unit", t.unit}, {"pages", t.pages}, {"declared_empty", t.declared_empty}};
    if (!t.schema_id.empty()) tj["schema_id"] = t.schema_id;
    if (!t.identified_by.empty()) tj["identified_by"] = t.identified_by;
    tj["grids"] = json::array();
    for (const TableGrid& g : t.grids) {
      json gj = {{"page", g.page}, {"box", BoxToJson(g.box)}, {"ruling", RulingName(g.ruling)},
                 {"n_rows", g.n_rows()}, {"n_cols", g.n_cols()}, {"row_edges", g.row_edges},
                 {"col_edges", g.col_edges}};
      gj["cells"] = json::array();
      for (const Cell& c : g.cells) gj["cells"].push_back(CellToJson(c));
      tj["grids"].push_back(gj);
    }
    tj["facts"] = json::array();
    for (const Fact& f : t.facts) tj["facts"].push_back(FactToJson(f));
    j["tables"].push_back(tj);
  }
  if (!doc.evaluations.empty()) {
    j["evaluations"] = json::array();
    for (const JixiaoEvaluation& ev : doc.evaluations) j["evaluations"].push_back(EvaluationToJson(ev));
  }
  j["findings"] = json::array();
  for (const Finding& f : doc.findings) j["findings"].push_back(FindingToJson(f));
  if (!doc.unknown_codes.empty()) {
    j["unknown_codes"] = json::array();
    for (const auto& u : doc.unknown_codes) j["unknown_codes"].push_back({{"code", u.code}, {"printed", u.printed}});
  }
  j["lines"] = json::array();
  for (const TextLine& l : doc.lines) {
    j["lines"].push_back({{"page", l.page}, {"box", BoxToJson(l.box)}, {"text", l.text}});
  }
  return j;
}

Result<Document> DocumentFromJson(const json& j, DocumentJsonParts parts) {
  try {
    Document doc;
    doc.doc_id = j.value("doc_id", "");
    doc.source_path = j.value("source_path", "");
    doc.sha256 = j.value("sha256", "");
    doc.kind = j.value("kind", "");
    doc.unit_name = j.value("unit", "");
    if (j.contains("year") && j["year"].is_number()) doc.year = j["year"].get<int>();
    if (j.contains("coverage")) {
      const json& cj = j["coverage"];
      doc.coverage = Coverage{cj.value("figures", 0), cj.value("mapped", 0), cj.value("unmapped", 0),
                              cj.value("grids", 0), cj.value("grids_identified", 0), cj.value("missing_rows", 0)};
    }
    doc.page_count = j.value("pages", 0);
    for (const json& tj : j.at("tables")) {
      Table t;
      t.code = tj.value("table", "");
      t.kind = tj.value("kind", "");
      t.schema_id = tj.value("schema_id", "");
      t.identified_by = tj.value("identified_by", "");
      t.title = tj.value("title", "");
      t.caption = tj.value("caption", "");
      t.unit = tj.value("unit", "");
      t.pages = tj.value("pages", std::vector<int>{});
      t.declared_empty = tj.value("declared_empty", false);
      for (const json& fj : tj.at("facts")) {
        Fact f;
        f.table = fj.at("table").get<std::string>();
        f.row = fj.at("row").get<std::string>();
        f.col = fj.at("col").get<std::string>();
        auto value = Decimal::Parse(fj.at("value").get<std::string>());
        if (!value) return MakeError(ErrorCode::kInvalidArgument, "bad fact value " + fj.dump());
        f.value = *value;
        f.printed = fj.value("printed", "");
        f.page = fj.value("page", 0);
        f.grid = fj.value("grid", 0);
        if (fj.contains("box")) f.box = BoxFromJson(fj["box"]);
        f.source = fj.value("source", "text_layer") == "ocr" ? TextSource::kOcr : TextSource::kTextLayer;
        f.confidence = fj.value("confidence", 100.0f);
        f.alternatives = fj.value("alternatives", std::vector<std::string>{});
        if (fj.contains("reread")) {
          f.reread = fj["reread"].value("text", "");
          f.reread_confidence = fj["reread"].value("confidence", 0.0f);
        }
        f.line = fj.value("line", "");
        f.row_label = fj.value("row_label", "");
        f.printed_label = fj.value("printed_label", "");
        f.col_label = fj.value("col_label", "");
        f.level = fj.value("level", "");
        f.label_source = fj.value("label_source", "");
        f.value_yuan = OptionalDecimal(fj, "value_yuan");
        t.facts.push_back(std::move(f));
      }
      doc.tables.push_back(std::move(t));
    }
    for (const json& u : j.value("unknown_codes", json::array()))
      doc.unknown_codes.push_back({u.value("code", ""), u.value("printed", "")});
    if (j.contains("lines")) {
      for (const json& lj : j["lines"]) {
        TextLine l;
        l.page = lj.value("page", 0);
        if (lj.contains("box")) l.box = BoxFromJson(lj["box"]);
        l.text = lj.value("text", "");
        doc.lines.push_back(std::move(l));
      }
    }
    if (j.contains("findings")) {
      for (const json& fj : j["findings"]) {
        Finding f;
        f.kind = fj.value("kind", "");
        f.message = fj.value("message", "");
        f.identity = fj.value("identity", "");
        f.formula = fj.value("formula", "");
        f.printed = OptionalDecimal(fj, "printed");
        f.expected = OptionalDecimal(fj, "expected");
        f.difference = OptionalDecimal(fj, "difference");
        for (const json& c : fj.value("cells", json::array())) f.cells.push_back(FindingCellFromJson(c));
        for (const json& c : fj.value("suspects", json::array())) f.suspects.push_back(FindingCellFromJson(c));
        if (fj.contains("place")) {
          const json& pj = fj["place"];
          f.place = FindingPlace{pj.value("page", 0), pj.contains("box") ? BoxFromJson(pj["box"]) : Box{},
                                 pj.value("text", "")};
        }
        doc.findings.push_back(std::move(f));
      }
    }
    if (parts == DocumentJsonParts::kReport) ReadReportParts(j, doc);
    return doc;
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, std::string("not a juesuan document JSON: ") + e.what());
  }
}

std::string DumpJson(const nlohmann::json& json) {
  // Text from broken fonts can carry invalid UTF-8; it is replaced, not fatal.
  return json.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string CsvField(const std::string& field) {
  if (field.find_first_of(",\"\n\r") == std::string::npos) return field;
  std::string out = "\"";
  for (char ch : field) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string FactsCsv(const Document& doc) {
  std::vector<const Fact*> facts;
  for (const Table& t : doc.tables) {
    for (const Fact& f : t.facts) facts.push_back(&f);
  }
  std::stable_sort(facts.begin(), facts.end(), [](const Fact* a, const Fact* b) {
    return std::tie(a->table, a->row, a->col) < std::tie(b->table, b->row, b->col);
  });
  std::string out = "table,row,col,value\n";
  for (const Fact* f : facts) {
    out += CsvField(f->table) + "," + CsvField(f->row) + "," + CsvField(f->col) + "," +
           f->value.ToString() + "\n";
  }
  return out;
}

std::string LabelledFactsCsv(const Document& doc) {
  std::vector<std::pair<const Fact*, const Table*>> facts;
  for (const Table& t : doc.tables) {
    for (const Fact& f : t.facts) facts.emplace_back(&f, &t);
  }
  std::stable_sort(facts.begin(), facts.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first->table, a.first->row, a.first->col) < std::tie(b.first->table, b.first->row, b.first->col);
  });
  std::string out = std::string(kLabelledFactsHeader) + "\n";
  for (const auto& [f, t] : facts) {
    const std::string fields[] = {f->table,     f->row,           f->col,
                                  f->value.ToString(), t->unit,
                                  f->value_yuan ? f->value_yuan->ToString() : "",
                                  f->row_label, f->printed_label, f->col_label,
                                  f->level,     f->label_source};
    for (size_t i = 0; i < std::size(fields); ++i) out += (i ? "," : "") + CsvField(fields[i]);
    out += "\n";
  }
  return out;
}

std::string FlagsCsv(const std::vector<FlagRow>& rows) {
  std::string out = "table,row,col,kind\n";
  for (const FlagRow& r : rows) {
    out += CsvField(r.table) + "," + CsvField(r.row) + "," + CsvField(r.col) + "," + CsvField(r.kind) + "\n";
  }
  return out;
}

std::vector<FlagRow> FlagRowsOf(const Document& doc) {
  // ocr_error is not flagged: the corrected figure satisfies every identity
  // of its cell; the misreading stays in NAME.json as evidence. Nor is
  // uncertain: nothing says the document is wrong rather than our reading.
  static const std::set<std::string> kFlagged = {"source_error", "rounding", "missing", "unreadable",
                                                 "narrative_mismatch"};
  std::vector<FlagRow> rows;
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (const Finding& f : doc.findings) {
    if (!kFlagged.count(f.kind)) continue;
    for (const FindingCell& c : f.suspects.empty() ? f.cells : f.suspects) {
      if (c.table.empty() || !seen.insert({c.table, c.row, c.col}).second) continue;
      rows.push_back({c.table, c.row, c.col, f.kind});
    }
  }
  return rows;
}

Result<bool> WriteFileAtomically(const std::string& path, const std::string& content) {
  std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return MakeError(ErrorCode::kUnreadable, temp + ": cannot write");
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) return MakeError(ErrorCode::kUnreadable, temp + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) return MakeError(ErrorCode::kUnreadable, path + ": cannot rename: " + ec.message());
  return true;
}

Result<bool> WriteDocumentFiles(const Document& doc, const std::vector<FlagRow>& flags,
                                const std::string& out_dir) {
  std::string base = (std::filesystem::path(out_dir) / doc.doc_id).string();
  auto json_written = WriteFileAtomically(base + ".json", DumpJson(DocumentToJson(doc)));
  if (!json_written) return json_written;
  auto facts_written = WriteFileAtomically(base + ".facts.csv", LabelledFactsCsv(doc));
  if (!facts_written) return facts_written;
  return WriteFileAtomically(base + ".flags.csv", FlagsCsv(flags));
}

}  // namespace juesuan
