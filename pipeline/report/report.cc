#include "pipeline/report/report.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/core/progress.h"
#include "pipeline/render/pdf_source.h"
#include "pipeline/report/page_drawing.h"
#include "pipeline/store/store.h"
#include "pipeline/write/document_writer.h"

namespace juesuan {
namespace {

namespace fs = std::filesystem;

// ---- text -----------------------------------------------------------------

std::string Html(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

// A file name as a relative URL: everything but unreserved bytes escaped
// (document names are often Chinese, and may hold '#' or '%').
std::string Url(const std::string& file_name) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : file_name) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

std::string Fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, value);
  return buf;
}

std::string Optional(const std::optional<Decimal>& value) { return value ? value->ToString() : ""; }

std::string CellName(const FindingCell& cell) { return cell.table + " " + cell.row + " " + cell.col; }

// ---- what is drawn ----------------------------------------------------------

// One image of a document's page: a region drawn on, or, with page 0, a card
// saying why there is no region.
struct ImagePlan {
  std::string file;  // under DIR/report
  int page = 0;
  Box region;
  std::string no_page_reason;
  std::function<void(Sketch&)> draw;
};

bool HasArea(const Box& box) { return box.width() > 0 && box.height() > 0; }

Box Padded(const Box& box, double sides, double top, double bottom) {
  return Box{box.x0 - sides, box.y0 - top, box.x1 + sides, box.y1 + bottom};
}

// The page and region a finding points at: its suspects, else its cells,
// else its place, on the page of the first of them; widened to the grid
// they sit in so the row's label is in the crop.
std::optional<std::pair<int, Box>> FindingRegion(const Finding& finding, const Document& doc) {
  std::vector<std::pair<int, Box>> marks;
  for (const auto* cells : {&finding.suspects, &finding.cells}) {
    for (const FindingCell& c : *cells) {
      if (c.page > 0 && HasArea(c.box)) marks.emplace_back(c.page, c.box);
    }
  }
  if (finding.place && finding.place->page > 0 && HasArea(finding.place->box))
    marks.emplace_back(finding.place->page, finding.place->box);
  if (marks.empty()) return std::nullopt;
  const int page = marks.front().first;
  Box region = marks.front().second;
  for (const auto& [p, box] : marks) {
    if (p == page) region = region.Union(box);
  }
  for (const Table& t : doc.tables) {
    for (const TableGrid& g : t.grids) {
      if (g.page != page || g.box.OverlapY(region) <= 0 || g.box.OverlapX(region) <= 0) continue;
      region.x0 = std::min(region.x0, g.box.x0);
      region.x1 = std::max(region.x1, g.box.x1);
    }
  }
  return std::make_pair(page, Padded(region, 8, 14, 14));
}

void DrawFinding(Sketch& sketch, const Finding& finding, int page) {
  for (const FindingCell& c : finding.cells) {
    if (c.page == page) sketch.Outline(c.box, MarkStyle::kInvolved);
  }
  for (const FindingCell& c : finding.suspects) {
    if (c.page == page) sketch.Outline(c.box, MarkStyle::kSuspect);
  }
  if (finding.place && finding.place->page == page) sketch.Outline(finding.place->box, MarkStyle::kUnmapped);
}

// A table's grid over its page: cells and spans (and with `rules` the kept
// edges), each mapped cell's key, the unmapped figures and the cells
// findings suspect in it.
void DrawTableGrid(Sketch& sketch, const Document& doc, const Table& table, int grid_index, bool rules) {
  const TableGrid& grid = table.grids[grid_index];
  sketch.Grid(grid, rules);
  for (const Fact& f : table.facts) {
    if (f.grid != grid_index) continue;
    int cell = grid.CellAt(f.cell_row, f.cell_col);
    sketch.Key(cell >= 0 ? grid.cells[cell].box : f.box, f.row + " · " + f.col);
  }
  for (const Finding& finding : doc.findings) {
    if (finding.kind == "unmapped" && finding.place && finding.place->page == grid.page &&
        grid.box.Contains(finding.place->box.cx(), finding.place->box.cy())) {
      sketch.Outline(finding.place->box, MarkStyle::kUnmapped);
    }
    for (const FindingCell& c : finding.suspects) {
      if (c.table == table.code && !table.code.empty() && c.page == grid.page) sketch.Outline(c.box, MarkStyle::kSuspect);
    }
  }
}

std::string FindingFile(const std::string& name, size_t index) {
  return name + ".f" + std::to_string(index + 1) + ".png";
}
std::string GridFile(const std::string& name, size_t table, size_t grid) {
  return name + ".t" + std::to_string(table + 1) + ".g" + std::to_string(grid + 1) + ".png";
}

std::vector<ImagePlan> PlanImages(const Document& doc, const std::string& name) {
  std::vector<ImagePlan> plans;
  for (size_t i = 0; i < doc.findings.size(); ++i) {
    const Finding& finding = doc.findings[i];
    ImagePlan plan;
    plan.file = FindingFile(name, i);
    if (auto region = FindingRegion(finding, doc)) {
      plan.page = region->first;
      plan.region = region->second;
      const int page = plan.page;
      plan.draw = [&finding, page](Sketch& s) { DrawFinding(s, finding, page); };
    } else {
      plan.no_page_reason = finding.kind + ": no place on a page";
    }
    plans.push_back(std::move(plan));
  }
  for (size_t t = 0; t < doc.tables.size(); ++t) {
    const Table& table = doc.tables[t];
    for (size_t g = 0; g < table.grids.size(); ++g) {
      ImagePlan plan;
      plan.file = GridFile(name, t, g);
      plan.page = table.grids[g].page;
      plan.region = Padded(table.grids[g].box, 8, 40, 8);  // the title above stays in
      const int grid_index = static_cast<int>(g);
      plan.draw = [&doc, &table, grid_index](Sketch& s) { DrawTableGrid(s, doc, table, grid_index, false); };
      plans.push_back(std::move(plan));
    }
  }
  // One rendering per page: the images of a page are drawn together.
  std::stable_sort(plans.begin(), plans.end(), [](const ImagePlan& a, const ImagePlan& b) { return a.page < b.page; });
  return plans;
}

struct ImageTally {
  int pages_rendered = 0, images = 0;
  long png_bytes = 0;
  std::vector<std::string> errors;
};

void Count(ImageTally& tally, const Result<long>& written) {
  if (!written) {
    tally.errors.push_back(written.error().message);
    return;
  }
  ++tally.images;
  tally.png_bytes += written.value();
}

// The PDF a document was read from. Paths are recorded as extract was
// given them: a relative one is taken from the working directory, else from
// the folder above DIR (extract in --out out, then report from elsewhere).
std::string LocatePdf(const std::string& recorded, const fs::path& dir) {
  fs::path path(recorded);
  std::error_code ec;
  if (path.is_absolute() || fs::exists(path, ec)) return recorded;
  fs::path beside = fs::absolute(dir, ec).parent_path() / path;
  return fs::exists(beside, ec) ? beside.string() : recorded;
}

// Page `page` of the document as its boxes see it, or why not.
Result<RenderedPage> RenderPage(const PdfSource* pdf, const std::string& pdf_error, const Document& doc, int page,
                                double dpi) {
  if (!pdf) return MakeError(ErrorCode::kNotFound, pdf_error);
  if (page > static_cast<int>(doc.pages.size()) || page > pdf->page_count())
    return MakeError(ErrorCode::kInvalidArgument, "page " + std::to_string(page) + " is not in the PDF");
  return RenderedPage::Render(*pdf, doc.pages[page - 1], dpi);
}

// Draws every plan, rendering each page once; a page that cannot be rendered
// (the PDF moved, a page out of range) gives its images a card with the reason.
ImageTally DrawImages(const Document& doc, const std::vector<ImagePlan>& plans, const fs::path& out, double dpi) {
  ImageTally tally;
  std::unique_ptr<PdfSource> pdf;
  std::string pdf_error;
  bool needs_pdf = std::any_of(plans.begin(), plans.end(), [](const ImagePlan& p) { return p.page > 0; });
  if (needs_pdf) {
    auto opened = PdfSource::Open(LocatePdf(doc.source_path, out.parent_path()));
    if (opened) pdf = std::move(opened.value());
    else pdf_error = opened.error().message;
  }
  std::optional<Result<RenderedPage>> rendered;
  int rendered_page = 0;
  for (const ImagePlan& plan : plans) {
    const std::string path = (out / plan.file).string();
    if (plan.page == 0) {
      Count(tally, WritePlaceholderPng(path, plan.no_page_reason));
      continue;
    }
    if (plan.page != rendered_page) {
      rendered_page = plan.page;
      rendered.reset();
      rendered.emplace(RenderPage(pdf.get(), pdf_error, doc, plan.page, dpi));
      tally.pages_rendered += rendered->ok();
    }
    if (!*rendered) {
      Count(tally, WritePlaceholderPng(path, "page image unavailable: " + rendered->error().message));
      continue;
    }
    Sketch sketch(rendered->value(), plan.region);
    plan.draw(sketch);
    Count(tally, sketch.WritePng(path));
  }
  return tally;
}

// ---- the document page -------------------------------------------------------

constexpr const char* kStyle = R"html(<style>
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:1.5em;color:#222}
#documents td{white-space:nowrap}#documents td:last-child{white-space:normal;min-width:24em}#documents th{cursor:pointer}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.num{text-align:right;font-variant-numeric:tabular-nums}
.status-complete{color:#176b2c}.status-partial{color:#9a6700}.status-failed{color:#b3261e}
.finding{border:1px solid #ddd;border-left:5px solid #b3261e;margin:1em 0;padding:.5em 1em;background:#fffafa}
.finding[data-kind=rounding],.finding[data-kind=ocr_error]{border-left-color:#9a6700}
.finding[data-kind=unmapped],.finding[data-kind=unidentified_table]{border-left-color:#e8710a}
.finding img,.table img{max-width:100%;border:1px solid #999;display:block;margin:.4em 0}
[hidden]{display:none!important}
.formula{font-family:monospace;background:#f6f6f6;padding:2px 4px}
.legend span{display:inline-block;margin-right:1em}.swatch{display:inline-block;width:1em;height:.8em;margin-right:.3em;vertical-align:middle}
img[data-loaded=false]{outline:3px dashed #b3261e}
</style>)html";

// Marks every image with whether it loaded (data-loaded="true"/"false"), so
// a broken one shows and the browser test can read it from the DOM. With
// ?only=ID (f3, t2) the page shows that finding or table alone: a link to
// one item, and what the README's screenshots show.
constexpr const char* kImageCheck = R"html(<script>
const only=new URLSearchParams(location.search).get('only');
if(only&&document.getElementById(only)){
  for(const el of document.querySelectorAll('.finding,section.table,h2,p.legend,table.summary'))
    el.hidden=el.id!==only;
}
window.addEventListener('load',function(){
  for(const img of document.images){img.dataset.loaded=String(img.complete&&img.naturalWidth>0);}
  document.body.dataset.imagesChecked='true';
});
</script>)html";

constexpr const char* kLegend = R"html(<p class="legend">
<span><i class="swatch" style="background:rgb(220,0,0)"></i>suspect cell</span>
<span><i class="swatch" style="background:rgb(0,70,220)"></i>involved cell</span>
<span><i class="swatch" style="background:rgb(255,140,0)"></i>figure without a key</span>
<span><i class="swatch" style="background:rgb(40,140,210)"></i>detected cell</span>
<span><i class="swatch" style="background:rgb(0,110,0)"></i>key of a mapped cell</span></p>)html";

std::string PageHead(const std::string& title) {
  return "<!doctype html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>" + Html(title) + "</title>" +
         kStyle + "</head>\n<body>\n";
}

// Facts by key, for the reading of an OCR cell a finding names.
using FactIndex = std::map<std::tuple<std::string, std::string, std::string>, const Fact*>;

FactIndex IndexFacts(const Document& doc) {
  FactIndex index;
  for (const Table& t : doc.tables) {
    for (const Fact& f : t.facts) index.emplace(std::make_tuple(f.table, f.row, f.col), &f);
  }
  return index;
}

std::string OcrReading(const Fact* fact) {
  if (!fact || fact->source != TextSource::kOcr) return "<td></td><td></td><td></td><td></td>";
  std::string alternatives;
  for (const std::string& a : fact->alternatives) alternatives += (alternatives.empty() ? "" : ", ") + a;
  std::string reread = fact->reread ? *fact->reread + " (" + Fixed(fact->reread_confidence, 0) + ")" : "";
  return "<td>" + Html(fact->printed) + "</td><td class=\"num\">" + Fixed(fact->confidence, 0) + "</td><td>" +
         Html(alternatives) + "</td><td>" + Html(reread) + "</td>";
}

std::string FindingCellsTable(const Finding& finding, const FactIndex& facts) {
  if (finding.cells.empty() && finding.suspects.empty()) return "";
  std::set<std::tuple<std::string, std::string, std::string>> suspects;
  for (const FindingCell& c : finding.suspects) suspects.insert({c.table, c.row, c.col});
  std::string html =
      "<table class=\"cells\"><tr><th>cell</th><th>page</th><th>printed</th><th>role</th>"
      "<th>OCR reading</th><th>confidence</th><th>alternatives</th><th>re-read</th></tr>\n";
  std::vector<FindingCell> listed = finding.cells;
  for (const FindingCell& c : finding.suspects) {
    bool present = std::any_of(listed.begin(), listed.end(), [&](const FindingCell& l) {
      return l.table == c.table && l.row == c.row && l.col == c.col;
    });
    if (!present) listed.push_back(c);
  }
  for (const FindingCell& c : listed) {
    auto key = std::make_tuple(c.table, c.row, c.col);
    auto fact = facts.find(key);
    html += "<tr><td>" + Html(CellName(c)) + "</td><td class=\"num\">" + (c.page ? std::to_string(c.page) : "") +
            "</td><td class=\"num\">" + Html(c.printed) + "</td><td>" + (suspects.count(key) ? "suspect" : "involved") +
            "</td>" + OcrReading(fact == facts.end() ? nullptr : fact->second) + "</tr>\n";
  }
  return html + "</table>\n";
}

std::string FindingHtml(const Finding& finding, size_t index, const std::string& name, const FactIndex& facts) {
  std::string html = "<div class=\"finding\" data-kind=\"" + Html(finding.kind) + "\" id=\"f" +
                     std::to_string(index + 1) + "\">\n<h3>" + std::to_string(index + 1) + ". " + Html(finding.kind);
  if (!finding.identity.empty()) html += " · " + Html(finding.identity);
  html += "</h3>\n<p>" + Html(finding.message) + "</p>\n";
  html += "<img src=\"" + Url(FindingFile(name, index)) + "\" alt=\"" + Html(finding.kind) + " on the page\">\n";
  if (!finding.formula.empty()) html += "<p>identity: <span class=\"formula\">" + Html(finding.formula) + "</span></p>\n";
  if (finding.printed || finding.expected || finding.difference) {
    html += "<p>printed <b>" + Optional(finding.printed) + "</b> · expected <b>" + Optional(finding.expected) +
            "</b> · difference <b>" + Optional(finding.difference) + "</b></p>\n";
  }
  return html + FindingCellsTable(finding, facts) + "</div>\n";
}

std::string FactsTable(const Table& table) {
  std::string html =
      "<table class=\"facts\"><tr><th>row</th><th>col</th><th>row label</th><th>col label</th><th>value</th>"
      "<th>printed</th><th>page</th><th>source</th><th>confidence</th></tr>\n";
  for (const Fact& f : table.facts) {
    html += "<tr><td>" + Html(f.row) + "</td><td>" + Html(f.col) + "</td><td>" + Html(f.row_label) + "</td><td>" +
            Html(f.col_label) + "</td><td class=\"num\">" + f.value.ToString() + "</td><td class=\"num\">" +
            Html(f.printed) + "</td><td class=\"num\">" + std::to_string(f.page) + "</td><td>" +
            TextSourceName(f.source) + "</td><td class=\"num\">" + Fixed(f.confidence, 0) + "</td></tr>\n";
  }
  return html + "</table>\n";
}

std::string TableHtml(const Table& table, size_t index, const std::string& name) {
  std::string code = table.code.empty() ? "unidentified table" : table.code;
  std::string html = "<section class=\"table\" id=\"t" + std::to_string(index + 1) + "\" data-grids=\"" +
                     std::to_string(table.grids.size()) + "\">\n<h3>" + Html(code) + " " + Html(table.title) +
                     "</h3>\n<p>";
  if (!table.identified_by.empty()) html += "identified by " + Html(table.identified_by) + " · ";
  if (!table.unit.empty()) html += "unit " + Html(table.unit) + " · ";
  html += std::to_string(table.facts.size()) + " facts</p>\n";
  for (size_t g = 0; g < table.grids.size(); ++g) {
    html += "<figure class=\"overlay\"><img src=\"" + Url(GridFile(name, index, g)) + "\" alt=\"" + Html(code) +
            " over page " + std::to_string(table.grids[g].page) + "\"><figcaption>page " +
            std::to_string(table.grids[g].page) + ", " + RulingName(table.grids[g].ruling) + " ruling</figcaption></figure>\n";
  }
  if (!table.facts.empty()) html += FactsTable(table);
  return html + "</section>\n";
}

std::string FindingCounts(const std::map<std::string, int>& by_kind) {
  std::string out;
  for (const auto& [kind, n] : by_kind) out += (out.empty() ? "" : ", ") + kind + " " + std::to_string(n);
  return out;
}

std::map<std::string, int> FindingsByKind(const Document& doc) {
  std::map<std::string, int> by_kind;
  for (const Finding& f : doc.findings) ++by_kind[f.kind];
  return by_kind;
}

std::string SummaryHtml(const Document& doc) {
  const Coverage& c = doc.coverage;
  auto row = [](const std::string& label, const std::string& value) {
    return "<tr><th>" + label + "</th><td>" + value + "</td></tr>\n";
  };
  std::string html = "<table class=\"summary\">\n";
  html += row("file", Html(fs::path(doc.source_path).filename().string()));
  html += row("status", "<span class=\"status-" + std::string(DocumentStatusName(doc.status)) + "\">" +
                            DocumentStatusName(doc.status) + "</span>");
  if (!doc.error.empty()) html += row("reason", Html(doc.error));
  html += row("kind", Html(doc.kind)) + row("unit", Html(doc.unit_name)) +
          row("year", doc.year ? std::to_string(*doc.year) : "") + row("pages", std::to_string(doc.page_count));
  html += row("figures keyed", std::to_string(c.mapped) + " / " + std::to_string(c.figures) + " printed");
  html += row("tables identified", std::to_string(c.grids_identified) + " / " + std::to_string(c.grids) + " detected");
  if (c.missing_rows) html += row("mandatory rows missing", std::to_string(c.missing_rows));
  html += row("findings", std::to_string(doc.findings.size()) + (doc.findings.empty() ? "" : ": ") +
                              Html(FindingCounts(FindingsByKind(doc))));
  html += row("seconds", Fixed(doc.seconds, 2));
  return html + "</table>\n";
}

std::string DocumentHtml(const Document& doc, const std::string& name) {
  std::string html = PageHead(name + " — juesuan review");
  html += "<nav><a href=\"index.html\">all documents</a></nav>\n<h1>" + Html(name) + "</h1>\n" + SummaryHtml(doc);
  html += kLegend;
  html += "<h2>Findings (" + std::to_string(doc.findings.size()) + ")</h2>\n";
  const FactIndex facts = IndexFacts(doc);
  for (size_t i = 0; i < doc.findings.size(); ++i) html += FindingHtml(doc.findings[i], i, name, facts);
  html += "<h2>Tables (" + std::to_string(doc.tables.size()) + ")</h2>\n";
  for (size_t t = 0; t < doc.tables.size(); ++t) html += TableHtml(doc.tables[t], t, name);
  return html + kImageCheck + "</body></html>\n";
}

// ---- one document -------------------------------------------------------------

// A row of the index.
struct IndexRow {
  std::string name, page_file;  // page_file empty: no page (a store row without NAME.json)
  std::string kind, unit, status, error, sha256, source_path;
  std::optional<int> year;
  int pages = 0;
  std::optional<Coverage> coverage;
  std::map<std::string, int> findings;
  double seconds = 0;
};

IndexRow RowOf(const Document& doc, const std::string& name) {
  IndexRow row;
  row.name = name;
  row.page_file = name + ".html";
  row.kind = doc.kind;
  row.unit = doc.unit_name;
  row.status = DocumentStatusName(doc.status);
  row.error = doc.error;
  row.sha256 = doc.sha256;
  row.source_path = doc.source_path;
  row.year = doc.year;
  row.pages = doc.page_count;
  if (doc.status != DocumentStatus::kFailed) row.coverage = doc.coverage;
  row.findings = FindingsByKind(doc);
  row.seconds = doc.seconds;
  return row;
}

Result<Document> ReadDocument(const fs::path& json_path) {
  std::ifstream in(json_path);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return MakeError(ErrorCode::kInvalidArgument, "not JSON");
  return DocumentFromJson(j, DocumentJsonParts::kReport);
}

struct DocumentOutcome {
  IndexRow row;
  ImageTally images;
};

DocumentOutcome ReportDocument(const fs::path& json_path, const fs::path& out, double dpi) {
  const std::string name = json_path.stem().string();
  auto read = ReadDocument(json_path);
  Document doc;
  if (read) {
    doc = std::move(read.value());
  } else {
    doc.source_path = json_path.string();
    doc.status = DocumentStatus::kFailed;
    doc.error = json_path.filename().string() + ": " + read.error().message;
  }
  DocumentOutcome outcome{RowOf(doc, name), DrawImages(doc, PlanImages(doc, name), out, dpi)};
  auto written = WriteFileAtomically((out / (name + ".html")).string(), DocumentHtml(doc, name));
  if (!written) outcome.images.errors.push_back(written.error().message);
  return outcome;
}

// ---- the index ------------------------------------------------------------------

constexpr const char* kIndexScript = R"html(<script>
const table=document.getElementById('documents');
const statusFilter=document.getElementById('status-filter'),kindFilter=document.getElementById('kind-filter');
function applyFilters(){
  for(const tr of table.tBodies[0].rows){
    const kinds=tr.dataset.kinds.split(' ');
    tr.hidden=(statusFilter.value&&tr.dataset.status!==statusFilter.value)||(kindFilter.value&&!kinds.includes(kindFilter.value));
  }
}
statusFilter.addEventListener('change',applyFilters);kindFilter.addEventListener('change',applyFilters);
table.querySelectorAll('th').forEach(function(th,col){th.addEventListener('click',function(){
  const dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir>0?'asc':'desc';
  const key=function(tr){const td=tr.cells[col];return td.dataset.sort!==undefined?td.dataset.sort:td.textContent;};
  const rows=[...table.tBodies[0].rows];
  rows.sort(function(a,b){const x=key(a),y=key(b),nx=parseFloat(x),ny=parseFloat(y);
    return dir*(!isNaN(nx)&&!isNaN(ny)?nx-ny:x.localeCompare(y,'zh'));});
  rows.forEach(function(r){table.tBodies[0].appendChild(r);});
});});
</script>)html";

std::string Ratio(int part, int whole) { return std::to_string(part) + " / " + std::to_string(whole); }

std::string IndexRowHtml(const IndexRow& row) {
  std::string kinds;
  for (const auto& [kind, n] : row.findings) kinds += " " + kind;
  int findings = 0;
  for (const auto& [kind, n] : row.findings) findings += n;
  std::string name = row.page_file.empty() ? Html(row.name)
                                           : "<a href=\"" + Url(row.page_file) + "\">" + Html(row.name) + "</a>";
  std::string html = "<tr data-status=\"" + Html(row.status) + "\" data-kinds=\"" + Html(kinds) + " \">";
  html += "<td>" + name + "</td><td>" + Html(row.kind) + "</td><td>" + Html(row.unit) + "</td><td class=\"num\">" +
          (row.year ? std::to_string(*row.year) : "") + "</td><td class=\"num\">" + std::to_string(row.pages) +
          "</td><td class=\"status-" + Html(row.status) + "\">" + Html(row.status) + "</td>";
  if (row.coverage) {
    const Coverage& c = *row.coverage;
    html += "<td class=\"num\" data-sort=\"" + std::to_string(c.mapped) + "\">" + Ratio(c.mapped, c.figures) +
            "</td><td class=\"num\" data-sort=\"" + std::to_string(c.grids_identified) + "\">" +
            Ratio(c.grids_identified, c.grids) + "</td>";
  } else {
    html += "<td></td><td></td>";
  }
  html += "<td data-sort=\"" + std::to_string(findings) + "\">" + Html(FindingCounts(row.findings)) +
          "</td><td class=\"num\">" + Fixed(row.seconds, 2) + "</td><td>" + Html(row.error) + "</td></tr>\n";
  return html;
}

std::string IndexHtml(const std::vector<IndexRow>& rows) {
  std::set<std::string> statuses, kinds;
  for (const IndexRow& row : rows) {
    statuses.insert(row.status);
    for (const auto& [kind, n] : row.findings) kinds.insert(kind);
  }
  std::string html = PageHead("juesuan review: " + std::to_string(rows.size()) + " documents");
  html += "<h1>" + std::to_string(rows.size()) + " documents</h1>\n<p>status <select id=\"status-filter\">"
          "<option value=\"\">all</option>";
  for (const std::string& s : statuses) html += "<option>" + Html(s) + "</option>";
  html += "</select> finding kind <select id=\"kind-filter\"><option value=\"\">all</option>";
  for (const std::string& k : kinds) html += "<option>" + Html(k) + "</option>";
  html += "</select> (click a column to sort)</p>\n<table id=\"documents\"><thead><tr><th>document</th><th>kind</th>"
          "<th>unit</th><th>year</th><th>pages</th><th>status</th><th>figures keyed / printed</th>"
          "<th>tables identified / detected</th><th>findings</th><th>seconds</th><th>reason</th></tr></thead>\n<tbody>\n";
  for (const IndexRow& row : rows) html += IndexRowHtml(row);
  return html + "</tbody></table>\n" + kIndexScript + "</body></html>\n";
}

// Documents of the store that no NAME.json of DIR stands for (another
// folder's batch sharing the store, a file removed): listed without a page.
std::vector<IndexRow> StoreOnlyRows(const std::string& store_path, const std::vector<IndexRow>& rows) {
  if (!fs::exists(store_path)) return {};
  auto store = Store::Open(store_path);
  if (!store) return {};
  auto documents = store.value()->Documents();
  if (!documents) return {};
  std::set<std::string> seen;
  for (const IndexRow& row : rows) {
    seen.insert(row.sha256);
    seen.insert(row.source_path);
  }
  std::vector<IndexRow> extra;
  for (const StoredDocument& d : documents.value()) {
    if (seen.count(d.sha256) || seen.count(d.path)) continue;
    IndexRow row;
    row.name = d.doc_id;
    row.kind = d.kind;
    row.unit = d.unit;
    row.status = d.status;
    row.error = d.error.empty() ? "no NAME.json in this folder" : d.error;
    row.year = d.year;
    row.pages = d.pages;
    row.seconds = d.seconds;
    extra.push_back(std::move(row));
  }
  return extra;
}

std::vector<fs::path> DocumentFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Reports documents on `jobs` threads, each taking the next document.
std::vector<DocumentOutcome> ReportDocuments(const std::vector<fs::path>& files, const fs::path& out,
                                             const ReportOptions& options) {
  std::vector<DocumentOutcome> outcomes(files.size());
  std::atomic<size_t> next{0};
  std::mutex progress_mutex;
  Progress progress(files.size(), options.quiet);
  auto work = [&] {
    for (size_t i = next++; i < files.size(); i = next++) {
      outcomes[i] = ReportDocument(files[i], out, options.dpi);
      std::lock_guard<std::mutex> lock(progress_mutex);
      progress.Done(outcomes[i].row.pages, outcomes[i].row.status == "failed");
      for (const std::string& error : outcomes[i].images.errors) progress.Log(std::cerr, "juesuan: report: " + error);
      progress.Tick();
    }
  };
  int jobs = options.jobs > 0 ? options.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  jobs = static_cast<int>(std::min<size_t>(jobs, files.size()));
  std::vector<std::thread> threads;
  for (int j = 1; j < jobs; ++j) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  if (!options.quiet) progress.Finish();
  return outcomes;
}

}  // namespace

Result<ReportSummary> WriteReport(const ReportOptions& options) {
  const fs::path dir(options.dir);
  const std::vector<fs::path> files = DocumentFiles(dir);
  if (files.empty()) return MakeError(ErrorCode::kInvalidArgument, options.dir + ": no NAME.json to report on");
  const fs::path out = dir / "report";
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) return MakeError(ErrorCode::kUnreadable, out.string() + ": " + ec.message());

  ReportSummary summary;
  std::vector<IndexRow> rows;
  for (DocumentOutcome& outcome : ReportDocuments(files, out, options)) {
    summary.pages_rendered += outcome.images.pages_rendered;
    summary.images += outcome.images.images;
    summary.png_bytes += outcome.images.png_bytes;
    rows.push_back(std::move(outcome.row));
  }
  const std::string store = options.store_path.empty() ? (dir / "juesuan.sqlite").string() : options.store_path;
  for (IndexRow& row : StoreOnlyRows(store, rows)) rows.push_back(std::move(row));
  for (const IndexRow& row : rows) summary.failed += row.status == "failed";
  summary.documents = static_cast<int>(rows.size());
  summary.index_path = (out / "index.html").string();
  auto written = WriteFileAtomically(summary.index_path, IndexHtml(rows));
  if (!written) return written.error();
  return summary;
}

Result<long> WriteDebugPage(const Document& doc, int page, const std::string& png_path, double dpi) {
  if (page < 1 || page > static_cast<int>(doc.pages.size()))
    return MakeError(ErrorCode::kInvalidArgument, doc.source_path + ": no page " + std::to_string(page));
  auto pdf = PdfSource::Open(doc.source_path);
  if (!pdf) return pdf.error();
  const PageText& text = doc.pages[page - 1];
  auto rendered = RenderedPage::Render(*pdf.value(), text, dpi);
  if (!rendered) return rendered.error();
  Sketch sketch(rendered.value(), rendered.value().Bounds());
  for (const Table& table : doc.tables) {
    for (size_t g = 0; g < table.grids.size(); ++g) {
      const TableGrid& grid = table.grids[g];
      if (grid.page != page) continue;
      DrawTableGrid(sketch, doc, table, static_cast<int>(g), true);
      std::string name = table.code.empty() ? "unidentified" : table.code + " (" + table.identified_by + ")";
      sketch.Label(Box{grid.box.x0, grid.box.y0 - 12, grid.box.x1, grid.box.y0}, name, MarkStyle::kNote, 9);
    }
  }
  std::string banner = "p" + std::to_string(page) + ": text layer " + PageTextVerdictName(text.verdict) + " (" +
                       text.verdict_reason + "), read from " + TextSourceName(text.source);
  if (text.rotation) banner += ", turned " + std::to_string(text.rotation) + "°";
  if (text.skew_degrees != 0) banner += ", skew " + Fixed(text.skew_degrees, 2) + "°";
  sketch.Label(Box{0, 0, rendered.value().Bounds().x1, 13}, banner, MarkStyle::kNote, 9);
  return sketch.WritePng(png_path);
}

}  // namespace juesuan
