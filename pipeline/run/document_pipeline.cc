#include "pipeline/run/document_pipeline.h"

#include <chrono>
#include <filesystem>
#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "extractors/jixiao/jixiao_forms.h"
#include "extractors/jixiao/jixiao_mapper.h"
#include "extractors/tables/table_mapper.h"
#include "pipeline/core/limits.h"
#include "pipeline/core/text_lines.h"
#include "pipeline/core/utf8.h"
#include "pipeline/normalise/normalise.h"
#include "pipeline/ocr/ocr_engine.h"
#include "pipeline/reconcile/reconcile.h"
#include "pipeline/label/fact_labels.h"
#include "pipeline/render/pdf_source.h"
#include "pipeline/run/ocr_page.h"
#include "pipeline/tables/table_detector.h"

namespace juesuan {

struct DocumentPipeline::State {
  PipelineOptions options;
  TableSchema table_schema;
  JixiaoSchema jixiao_schema;
  JixiaoFormsSchema forms_schema;
  IdentitySet identities;  // empty unless options.reconcile
  LabelVocabulary vocabulary;  // template labels, for OCR readings
  LabelCatalogue labels;       // names of rows and columns, for readers of the data
  // Loaded on the first page that needs it, then kept for every document.
  std::unique_ptr<OcrEngine> ocr;
  std::string ocr_error;

  OcrEngine* Ocr() {
    if (!ocr && ocr_error.empty()) {
      auto engine = OcrEngine::Create(OcrOptions{});
      if (engine) ocr = std::move(engine.value());
      else ocr_error = engine.error().message;
    }
    return ocr.get();
  }
};

DocumentPipeline::DocumentPipeline(std::unique_ptr<State> state) : state_(std::move(state)) {}
DocumentPipeline::~DocumentPipeline() = default;

Result<std::unique_ptr<DocumentPipeline>> DocumentPipeline::Create(const PipelineOptions& options) {
  auto state = std::make_unique<State>();
  state->options = options;
  auto schema = LoadTableSchema(options.schema_dir);
  if (!schema) return schema.error();
  state->table_schema = std::move(schema.value());
  auto jixiao_schema = LoadJixiaoSchema(options.schema_dir);
  if (!jixiao_schema) return jixiao_schema.error();
  state->jixiao_schema = std::move(jixiao_schema.value());
  auto forms_schema = LoadJixiaoFormsSchema(options.schema_dir);
  if (!forms_schema) return forms_schema.error();
  state->forms_schema = std::move(forms_schema.value());
  auto vocabulary = LoadLabelVocabulary(options.schema_dir);
  if (!vocabulary) return vocabulary.error();
  state->vocabulary = std::move(vocabulary.value());
  auto labels = LabelCatalogue::Load(options.schema_dir);
  if (!labels) return labels.error();
  state->labels = std::move(labels.value());
  if (options.reconcile) {
    auto identities = LoadIdentities(options.schema_dir);
    if (!identities) return identities.error();
    state->identities = std::move(identities.value());
  }
  return std::unique_ptr<DocumentPipeline>(new DocumentPipeline(std::move(state)));
}

std::string DocIdOf(const std::string& path) {
  std::filesystem::path p(path);
  std::string name = p.filename().string();
  if (name.size() > 4 && (name.substr(name.size() - 4) == ".pdf" || name.substr(name.size() - 4) == ".PDF")) {
    name = name.substr(0, name.size() - 4);
  }
  return name;
}

namespace {

// Figures a scan's unnamed tables must hold before it is taken for a
// disclosure read too poorly rather than for no disclosure (a letter's
// small table holds fewer).
constexpr int kFiguresOfAnUnreadScan = 20;

// Unit name and year from the captions and the cover: "部门：XX", "单位：XX",
// "XX2020年度部门决算".
void ReadMetadata(Document& doc) {
  static const std::wregex kDept(
      LR"((?:^|\s|[)）])(?:预算主管部门|主管部门|预算单位|编制单位|编制部门|部门名称|单位名称|部门|单位)[:：]\s*([^\s:：]{2,40}?)(?:\s|公开|$))");
  static const std::wregex kTitle(
      LR"(([^\s\d]{2,40}?)\s*(20\d\d)\s*年度?\s*[^\d，。,\s]{0,4}?(?:部门|单位)?(?:决算|绩效|预算))");
  static const std::wregex kPart(LR"(^第[一二三四五六七八九十\d]+部分)");
  // A title that names no unit: "2019 年度项目支出绩效自评结果".
  static const std::wregex kYearOfReport(LR"((20\d\d)\s*年度?[^\d，。,]{0,12}?(?:决算|绩效|预算))");
  std::map<std::string, int> unit_votes;
  for (const TextLine& line : doc.lines) {
    std::wstring text = WidenUtf8(line.text);
    std::wsmatch m;
    if (std::regex_search(text, m, kDept)) {
      std::string unit = NarrowToUtf8(m[1].str());
      if (unit != "万元" && unit != "元") unit_votes[unit] += 2;
    }
    if (std::regex_search(text, m, kTitle)) {
      if (!doc.year) doc.year = std::stoi(NarrowToUtf8(m[2].str()));
      std::string unit = NarrowToUtf8(std::regex_replace(m[1].str(), kPart, L""));
      if (DecodeUtf8(unit).size() >= 2) unit_votes[unit] += 1;
    } else if (!doc.year && std::regex_search(text, m, kYearOfReport)) {
      doc.year = std::stoi(NarrowToUtf8(m[1].str()));
    }
  }
  int best = 0;
  for (const auto& [unit, votes] : unit_votes) {
    if (votes > best) {
      best = votes;
      doc.unit_name = unit;
    }
  }
  // The same unit printed shorter in some titles ("上海市规划和自然资源局" for
  // "上海市普陀区规划和自然资源局"): the fuller name it abbreviates.
  const std::u32string chosen = DecodeUtf8(doc.unit_name);
  for (const auto& [unit, votes] : unit_votes) {
    const std::u32string longer = DecodeUtf8(unit);
    if (longer.size() <= chosen.size() || chosen.size() < 4) continue;
    const bool same_end = longer.compare(longer.size() - 4, 4, chosen, chosen.size() - 4, 4) == 0;
    const bool same_start = longer.compare(0, 2, chosen, 0, 2) == 0;
    if (same_end && same_start) doc.unit_name = unit;
  }
}

// On a page with a grid that is not fully ruled, the text outside the
// fully ruled grids as runs: the glyphs of one baseline (centres within a
// third of a glyph height: the lines of a wrapped cell and a label centred
// beside them stay apart), split where the gap between two exceeds half a
// glyph height (two cells of a row without rules between them).
std::vector<TextLine> TextRuns(int page, const std::vector<Glyph>& glyphs, const std::vector<TableGrid>& grids) {
  bool unruled = false;
  for (const TableGrid& grid : grids) unruled = unruled || grid.ruling != Ruling::kFull;
  if (!unruled) return {};
  std::vector<const Glyph*> outside_ruled;
  for (const Glyph& g : glyphs) {
    if (g.text.empty() || g.text == " ") continue;
    bool in_ruled = false;
    for (const TableGrid& grid : grids) {
      in_ruled = in_ruled || (grid.ruling == Ruling::kFull && grid.box.Contains(g.box.cx(), g.box.cy()));
    }
    if (!in_ruled) outside_ruled.push_back(&g);
  }
  std::sort(outside_ruled.begin(), outside_ruled.end(), [](const Glyph* a, const Glyph* b) {
    return a->box.cy() != b->box.cy() ? a->box.cy() < b->box.cy() : a->box.x0 < b->box.x0;
  });
  std::vector<std::vector<const Glyph*>> baselines;
  for (const Glyph* g : outside_ruled) {
    if (!baselines.empty()) {
      const Glyph* first = baselines.back().front();
      double h = std::max(1.0, std::min(first->box.height(), g->box.height()));
      if (std::abs(g->box.cy() - first->box.cy()) <= h / 3) {
        baselines.back().push_back(g);
        continue;
      }
    }
    baselines.push_back({g});
  }
  std::vector<TextLine> runs;
  for (std::vector<const Glyph*>& line : baselines) {
    std::sort(line.begin(), line.end(), [](const Glyph* a, const Glyph* b) { return a->box.x0 < b->box.x0; });
    std::vector<const Glyph*> run;
    auto flush = [&] {
      if (run.empty()) return;
      TextLine out;
      out.page = page;
      out.box = run.front()->box;
      for (const Glyph* g : run) out.box = out.box.Union(g->box);
      out.text = NormaliseText(JoinGlyphs(run));
      runs.push_back(std::move(out));
      run.clear();
    };
    for (const Glyph* g : line) {
      if (!run.empty() && g->box.x0 - run.back()->box.x1 > 0.5 * std::max(4.0, run.back()->box.height())) flush();
      run.push_back(g);
    }
    flush();
  }
  return runs;
}

// Maps the 绩效 forms (基础数据表, 项目单位自评基本情况表), then the 绩效自评表
// and 绩效目标表 among the grids the 决算 mapper left unidentified and no
// form took: they replace those grids in doc.tables (in document order),
// and their figures are counted into doc.coverage; the codes of the tables
// with figures that have no key go to `incomplete`. Returns the number of
// forms and 绩效自评表 found (target forms are budget material: they make
// no document a 绩效自评).
size_t MapJixiao(Document& doc, const std::vector<PageLayout>& layouts, const JixiaoSchema& schema,
                 const JixiaoFormsSchema& forms_schema, std::set<std::string>& incomplete) {
  JixiaoFormsOutput forms = MapJixiaoForms(doc.tables, layouts, forms_schema);
  // The grids a form took are no candidates of the 绩效自评表 reader (it
  // skips tables with a code), whose indices stay those of doc.tables.
  std::vector<Table> rest = doc.tables;
  for (size_t t : forms.used_candidates) rest[t].code = forms_schema.forms.front().form;
  JixiaoOutput jixiao = MapJixiaoTables(rest, layouts, schema);
  rest.clear();
  if (jixiao.tables.empty() && forms.tables.empty()) return 0;
  for (size_t t = 0; t < forms.tables.size(); ++t) {
    if (forms.coverage[t].unmapped > 0) incomplete.insert(forms.tables[t].code);
  }
  for (size_t t = 0; t < jixiao.tables.size(); ++t) {
    if (jixiao.coverage[t].unmapped > 0) incomplete.insert(jixiao.tables[t].code);
  }
  // Figures of running text the tables read were counted by the table
  // mapper as printed outside every table.
  for (const FindingPlace& claimed : jixiao.claimed_lines) {
    for (auto f = doc.findings.begin(); f != doc.findings.end(); ++f) {
      if (f->kind != "unmapped" || !f->place || f->place->page != claimed.page) continue;
      if (!f->place->box.Contains(claimed.box.cx(), claimed.box.cy())) continue;
      doc.findings.erase(f);
      --doc.coverage.figures;
      --doc.coverage.unmapped;
      break;
    }
  }
  for (const std::vector<Coverage>* coverages : {&forms.coverage, &jixiao.coverage}) {
    for (const Coverage& c : *coverages) {
      doc.coverage.figures += c.figures;
      doc.coverage.mapped += c.mapped;
      doc.coverage.unmapped += c.unmapped;
      doc.coverage.grids_identified += c.grids_identified;
    }
  }
  std::set<size_t> used(forms.used_candidates.begin(), forms.used_candidates.end());
  used.insert(jixiao.used_candidates.begin(), jixiao.used_candidates.end());
  std::vector<Table> tables;
  for (size_t t = 0; t < doc.tables.size(); ++t) {
    if (!used.count(t)) {
      tables.push_back(std::move(doc.tables[t]));
      continue;
    }
    if (t == *used.begin()) {
      for (Table& table : forms.tables) tables.push_back(std::move(table));
      for (Table& table : jixiao.tables) tables.push_back(std::move(table));
    }
  }
  doc.tables = std::move(tables);
  doc.findings.insert(doc.findings.end(), forms.findings.begin(), forms.findings.end());
  doc.findings.insert(doc.findings.end(), jixiao.findings.begin(), jixiao.findings.end());
  doc.evaluations = std::move(jixiao.evaluations);
  if (doc.unit_name.empty() && !doc.evaluations.empty()) {
    // A standalone self-evaluation names its unit in each table.
    for (const auto& [field, text] : doc.evaluations.front().fields) {
      if (field == "实施单位") doc.unit_name = text;
    }
  }
  size_t self_evaluations = forms.tables.size();
  for (const JixiaoEvaluation& evaluation : doc.evaluations) {
    self_evaluations += evaluation.kind != schema.target.kind;
  }
  for (JixiaoEvaluation& evaluation : forms.evaluations) doc.evaluations.push_back(std::move(evaluation));
  return self_evaluations;
}

// The 绩效 rules and narrative quotes, on the figures as reconciled (an OCR
// misreading repaired by reconcile is not a source error). A sum over a
// table some of whose figures have no key may miss them: its break is
// `uncertain`, not the publisher's error.
void CheckJixiaoTables(Document& doc, const JixiaoSchema& schema, const JixiaoFormsSchema& forms_schema,
                       const std::set<std::string>& incomplete) {
  // The forms' structures (基础数据表, 项目单位自评基本情况表) hold their text,
  // which may explain a broken comparison; the rest are 绩效自评表 and 绩效目标表.
  std::map<std::string, JixiaoEvaluation*> form_evaluations;
  std::vector<JixiaoEvaluation*> self_evaluations;
  for (JixiaoEvaluation& evaluation : doc.evaluations) {
    if (forms_schema.FormOf(evaluation.table)) {
      form_evaluations[evaluation.table] = &evaluation;
    } else {
      self_evaluations.push_back(&evaluation);
    }
  }
  for (const Table& t : doc.tables) {
    auto form = form_evaluations.find(t.code);
    const JixiaoEvaluation* evaluation = form == form_evaluations.end() ? nullptr : form->second;
    for (Finding& f : CheckJixiaoForm(t, forms_schema, evaluation)) doc.findings.push_back(std::move(f));
  }
  for (Finding& f : doc.findings) {
    if (f.identity.rfind("jx.", 0) != 0 || f.kind == "uncertain" || f.kind == "explained") continue;
    bool in_incomplete = false;
    for (const FindingCell& c : f.cells) in_incomplete = in_incomplete || incomplete.count(c.table) > 0;
    if (!in_incomplete) continue;
    f.message += " (uncertain: figures of the table have no key, the sum may miss them; was " + f.kind + ")";
    f.kind = "uncertain";
  }
  for (JixiaoEvaluation& evaluation : doc.evaluations) {
    for (const Table& t : doc.tables) {
      if (t.code == evaluation.table) UpdateJixiaoFigures(evaluation, t);
    }
  }
  std::vector<JixiaoEvaluation> checked;
  for (const JixiaoEvaluation* evaluation : self_evaluations) {
    for (Finding& f : CheckJixiao(*evaluation, schema)) doc.findings.push_back(std::move(f));
    checked.push_back(*evaluation);
  }
  for (Finding& f : CheckJixiaoNarrative(checked, doc.lines)) doc.findings.push_back(std::move(f));
}

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : separator) + part;
  return out;
}

// Removes grids over the size caps (a crafted page of hairlines); returns why,
// empty when none was.
std::string DropOversizedGrids(std::vector<TableGrid>& grids) {
  std::string reason;
  std::erase_if(grids, [&](const TableGrid& grid) {
    if (grid.n_rows() <= limits::kMaxGridRows && grid.n_cols() <= limits::kMaxGridCols) return false;
    reason = "a table of " + std::to_string(grid.n_rows()) + "×" + std::to_string(grid.n_cols()) +
             " cells is over the limit of " + std::to_string(limits::kMaxGridRows) + "×" +
             std::to_string(limits::kMaxGridCols);
    return true;
  });
  return reason;
}

// Reads a page from its image into `layout`; on success marks `page_text` as
// read by OCR with the rotation and skew found, else notes why in its reason.
void ReadPageByOcr(const PdfSource& pdf, double dpi, OcrEngine& engine, const LabelVocabulary& vocabulary,
                   PageText& page_text, PageLayout& layout) {
  auto raster = pdf.Render(page_text.page, dpi, ColourMode::kWithRgb);
  auto read = raster ? ReadPageImage(raster.value(), engine, &vocabulary) : Result<OcrPage>(raster.error());
  if (!read) {
    page_text.verdict_reason += "; OCR failed: " + read.error().message;
    return;
  }
  OcrPage& ocr = read.value();
  if (std::string over = DropOversizedGrids(ocr.grids); !over.empty()) {
    page_text.verdict_reason += "; " + over;
    return;
  }
  page_text.source = TextSource::kOcr;
  page_text.rotation = ocr.rotation;
  page_text.skew_degrees = ocr.skew_degrees;
  layout.width = ocr.width;
  layout.height = ocr.height;
  std::vector<Box> grid_boxes;
  for (TableGrid& grid : ocr.grids) {
    grid.page = page_text.page;
    for (Cell& cell : grid.cells) cell.text = NormaliseText(cell.raw_text);
    grid_boxes.push_back(grid.box);
  }
  layout.grids = std::move(ocr.grids);
  for (TextLine& line : BuildTextLines(page_text.page, ocr.glyphs, grid_boxes)) {
    line.text = NormaliseText(line.text);
    layout.lines.push_back(line);
  }
}

}  // namespace

Document DocumentPipeline::Process(const std::string& path) {
  auto start = std::chrono::steady_clock::now();
  Document doc;
  doc.source_path = path;
  doc.doc_id = DocIdOf(path);
  auto finish = [&](Document& d) -> Document {
    d.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return std::move(d);
  };
  auto fail = [&](const Error& error) {
    doc.status = DocumentStatus::kFailed;
    doc.error = std::string(ErrorCodeName(error.code)) + ": " + error.message;
    return finish(doc);
  };
  auto opened = PdfSource::Open(path);
  if (!opened) return fail(opened.error());
  PdfSource& pdf = *opened.value();
  doc.page_count = pdf.page_count();

  std::vector<PageLayout> layouts;
  std::vector<int> unread_pages;
  std::vector<std::string> page_losses;  // pages not read in full, and why
  const PipelineOptions& options = state_->options;
  const int pages_read = std::min(doc.page_count, limits::kMaxPages);
  if (pages_read < doc.page_count) {
    page_losses.push_back("pages " + std::to_string(pages_read + 1) + "-" + std::to_string(doc.page_count) +
                          " not read (over the limit of " + std::to_string(limits::kMaxPages) + " pages)");
  }
  for (int page = 1; page <= pages_read; ++page) {
    if (options.only_page && page != *options.only_page) {
      // Kept as a stand-in so that doc.pages stays indexed by page number.
      PageText skipped;
      skipped.page = page;
      skipped.verdict_reason = "not read (only page " + std::to_string(*options.only_page) + ")";
      doc.pages.push_back(std::move(skipped));
      continue;
    }
    auto text = pdf.ReadTextLayer(page);
    if (!text) {
      if (text.error().code == ErrorCode::kLimit) {
        page_losses.push_back(text.error().message);
      } else {
        unread_pages.push_back(page);
      }
      PageText failed;
      failed.page = page;
      failed.verdict_reason = text.error().message;
      doc.pages.push_back(std::move(failed));
      continue;
    }
    PageText page_text = std::move(text.value());
    PageLayout layout;
    layout.page = page;
    layout.width = page_text.width;
    layout.height = page_text.height;
    bool use_text = page_text.verdict == PageTextVerdict::kUsable && options.ocr != OcrMode::kAlways;
    if (use_text) {
      auto raster = pdf.RenderGraphics(page, options.detect_dpi);
      if (raster) {
        layout.grids = DetectTables(raster.value(), page_text.glyphs, DetectOptions{});
        if (std::string over = DropOversizedGrids(layout.grids); !over.empty()) {
          page_losses.push_back("page " + std::to_string(page) + ": " + over);
        }
      } else {
        // Without the image no table is found: the page's figures are lost.
        page_losses.push_back(raster.error().message);
      }
      std::vector<Box> grid_boxes;
      for (TableGrid& grid : layout.grids) {
        grid.page = page;
        FillCells(grid, page_text.glyphs);
        for (Cell& cell : grid.cells) cell.text = NormaliseText(cell.raw_text);
        grid_boxes.push_back(grid.box);
      }
      for (TextLine& line : BuildTextLines(page, page_text.glyphs, grid_boxes)) {
        line.text = NormaliseText(line.text);
        layout.lines.push_back(line);
      }
      layout.runs = TextRuns(page, page_text.glyphs, layout.grids);
    } else if (options.ocr != OcrMode::kNever && state_->Ocr() != nullptr) {
      ReadPageByOcr(pdf, options.ocr_dpi, *state_->ocr, state_->vocabulary, page_text, layout);
      if (page_text.source != TextSource::kOcr) unread_pages.push_back(page);
    } else if (page_text.verdict != PageTextVerdict::kNoText || options.ocr != OcrMode::kNever) {
      // Pages without a usable text layer need OCR.
      unread_pages.push_back(page);
    }
    page_text.glyphs.clear();  // not kept in the document
    doc.pages.push_back(std::move(page_text));
    doc.lines.insert(doc.lines.end(), layout.lines.begin(), layout.lines.end());
    layouts.push_back(std::move(layout));
  }

  MapperOutput mapped = MapTables(layouts, state_->table_schema);
  doc.tables = std::move(mapped.tables);
  doc.findings = std::move(mapped.findings);
  doc.coverage = mapped.coverage;
  ReadMetadata(doc);
  std::set<std::string> incomplete_jixiao;
  size_t evaluations =
      MapJixiao(doc, layouts, state_->jixiao_schema, state_->forms_schema, incomplete_jixiao);
  // Contents lists and chart legends drawn as grids are no table regions.
  doc.coverage.grids -= DropNonTables(doc.tables, layouts, state_->table_schema);
  for (Table& t : doc.tables) {
    if (state_->jixiao_schema.IsTableKey(t.code)) {
      t.kind = "jixiao";  // counted by MapJixiao
    } else if (t.code.empty()) {
      AccountUnidentified(t, doc.findings, doc.coverage);
    }
  }
  // The document's kind: its 决算 tables make it a 决算 (with 绩效 or 预算
  // appendices), else its budget tables a 预算; 绩效自评表 alone a 绩效自评;
  // 绩效目标表 alone (the targets of a budget's projects) a 预算.
  std::map<std::string, int> kinds;
  for (const Table& t : doc.tables) {
    if (!t.kind.empty()) ++kinds[t.kind];
  }
  doc.kind = kinds.count("juesuan")  ? "juesuan"
             : kinds.count("yusuan") ? "yusuan"
             : evaluations > 0       ? "jixiao"
             : !doc.evaluations.empty() ? "yusuan"
                                        : "unknown";
  const bool any_known = doc.kind != "unknown";
  // Figures read by OCR are read again at a higher resolution before a
  // broken identity is blamed on them or on the document.
  ReconcileOptions reconcile;
  std::optional<CellRereader> rereader;
  if (options.reconcile && any_known) {
    if (state_->ocr) {
      rereader.emplace(
          [&pdf](int page, double dpi) { return pdf.Render(page, dpi, ColourMode::kWithRgb); },
          options.reread_dpi, *state_->ocr);
      reconcile.reread_cell = [&](const Fact& fact) {
        CellRereading out;
        if (fact.page < 1 || fact.page > static_cast<int>(doc.pages.size())) return out;
        const PageText& page = doc.pages[fact.page - 1];
        if (page.source != TextSource::kOcr) return out;
        CellReading reading = rereader->Reread(fact.page, page.rotation, page.skew_degrees, fact.box);
        if (!reading.text.empty()) out.readings.push_back(reading.text);
        out.readings.insert(out.readings.end(), reading.alternatives.begin(), reading.alternatives.end());
        out.confidence = reading.confidence;
        return out;
      };
      if (!std::getenv("JUESUAN_NO_SHAPE")) reconcile.check_shape = [&](const Fact& fact, const std::vector<const Fact*>& exemplars) {
        CellShapeCheck out;
        if (fact.page < 1 || fact.page > static_cast<int>(doc.pages.size())) return out;
        const PageText& page = doc.pages[fact.page - 1];
        if (page.source != TextSource::kOcr) return out;
        std::vector<std::pair<Box, std::string>> cells;
        for (const Fact* e : exemplars) cells.push_back({e->box, e->printed});
        ShapeCheck check = rereader->CheckShape(fact.page, page.rotation, page.skew_degrees, fact.box,
                                                fact.printed, cells);
        if (check.checked && !check.agrees) out = {check.why, check.alternatives};
        return out;
      };
    }
    Reconcile(doc, state_->identities, reconcile);
  }
  const bool any_form = std::any_of(doc.tables.begin(), doc.tables.end(), [&](const Table& t) {
    return state_->forms_schema.FormOf(t.code) != nullptr;
  });
  if (!doc.evaluations.empty() || any_form) {
    CheckJixiaoTables(doc, state_->jixiao_schema, state_->forms_schema, incomplete_jixiao);
    // The 绩效 rules blame the document too: the same OCR verdict rule.
    if (options.reconcile) SettleOcrFindings(doc, reconcile);
  }
  // Labels last: reconciliation may have repaired values (value_yuan).
  LabelFacts(doc, state_->labels);
  // Complete means nothing was lost: every page read, every figure keyed,
  // every mandatory row found.
  std::vector<std::string> losses;
  if (!unread_pages.empty()) {
    std::vector<std::string> pages;
    for (int p : unread_pages) pages.push_back(std::to_string(p));
    losses.push_back("pages without a usable text layer were not read: " + Join(pages, ","));
  }
  losses.insert(losses.end(), page_losses.begin(), page_losses.end());
  if (doc.coverage.unmapped > 0) {
    losses.push_back(std::to_string(doc.coverage.unmapped) + " of " + std::to_string(doc.coverage.figures) +
                     " figures unkeyed");
  }
  if (doc.coverage.missing_rows > 0) {
    losses.push_back(std::to_string(doc.coverage.missing_rows) + " mandatory rows missing");
  }
  if (!losses.empty()) {
    doc.status = DocumentStatus::kPartial;
    doc.error = Join(losses, "; ");
  }
  // A document with no table known may have lost it to a cap: say so.
  const std::string over_caps = page_losses.empty() ? "" : " (" + Join(page_losses, "; ") + ")";
  // A scan whose tables hold figures but none could be named is a reading
  // we failed, not proof that the document is no disclosure: it is kept,
  // partial, with every figure an `unmapped` finding.
  // So is a scan whose OCR text names a 决算 or 预算 where no table was
  // found at all.
  bool any_ocr_page = false, names_accounts = false;
  for (const PageText& page : doc.pages) any_ocr_page |= page.source == TextSource::kOcr;
  for (const TextLine& line : doc.lines)
    if (line.page >= 1 && line.page <= static_cast<int>(doc.pages.size()) && doc.pages[line.page - 1].source == TextSource::kOcr)
      names_accounts |= line.text.find("决算") != std::string::npos || line.text.find("预算") != std::string::npos;
  if (!any_known && any_ocr_page && (doc.coverage.unmapped >= kFiguresOfAnUnreadScan || names_accounts)) {
    doc.status = DocumentStatus::kPartial;
    doc.error = "no standard table identified among " + std::to_string(doc.coverage.grids) +
                " table regions read by OCR (" + std::to_string(doc.coverage.unmapped) +
                " figures unkeyed" + (names_accounts ? "; its text names a 决算 or 预算" : "") +
                "): a disclosure read too poorly to tell its tables" + (doc.error.empty() ? "" : "; " + doc.error);
    return finish(doc);
  }
  if (!any_known && unread_pages.size() < static_cast<size_t>(pages_read)) {
    return fail(MakeError(ErrorCode::kNotFiscal,
                          path + ": not a 决算 or 预算 disclosure (no standard table found)" + over_caps));
  }
  if (!any_known) {
    return fail(MakeError(ErrorCode::kNotFiscal, path + ": no page has a usable text layer" + over_caps));
  }
  return finish(doc);
}

}  // namespace juesuan
