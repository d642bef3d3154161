#include "pipeline/run/document_pipeline.h"

#include <chrono>
#include <filesystem>
#include <map>
#include <regex>

#include "extractors/jixiao/jixiao_mapper.h"
#include "extractors/juesuan/table_mapper.h"
#include "pipeline/core/text_lines.h"
#include "pipeline/core/utf8.h"
#include "pipeline/normalise/normalise.h"
#include "pipeline/ocr/ocr_engine.h"
#include "pipeline/reconcile/reconcile.h"
#include "pipeline/render/pdf_source.h"
#include "pipeline/run/ocr_page.h"
#include "pipeline/tables/table_detector.h"

namespace juesuan {

struct DocumentPipeline::State {
  PipelineOptions options;
  JuesuanSchema juesuan_schema;
  JixiaoSchema jixiao_schema;
  IdentitySet identities;  // empty unless options.reconcile
  LabelVocabulary vocabulary;  // template labels, for OCR readings
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
  auto schema = LoadJuesuanSchema(options.schema_dir);
  if (!schema) return schema.error();
  state->juesuan_schema = std::move(schema.value());
  auto jixiao_schema = LoadJixiaoSchema(options.schema_dir);
  if (!jixiao_schema) return jixiao_schema.error();
  state->jixiao_schema = std::move(jixiao_schema.value());
  auto vocabulary = LoadLabelVocabulary(options.schema_dir);
  if (!vocabulary) return vocabulary.error();
  state->vocabulary = std::move(vocabulary.value());
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

// Unit name and year from the captions and the cover: "部门：XX", "单位：XX",
// "XX2020年度部门决算".
void ReadMetadata(Document& doc) {
  static const std::wregex kDept(LR"((?:^|\s)(?:部门|单位)(?:名称)?[:：]\s*([^\s:：]{2,40}?)(?:\s|公开|$))");
  static const std::wregex kTitle(LR"(([^\s\d]{2,40}?)\s*(20\d\d)\s*年度?\s*(?:部门|单位)?(?:决算|绩效))");
  // A title that names no unit: "2019 年度项目支出绩效自评结果".
  static const std::wregex kYearOfReport(LR"((20\d\d)\s*年度?[^\d，。,]{0,12}?(?:决算|绩效))");
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
      std::string unit = NarrowToUtf8(m[1].str());
      if (unit.find("第") == std::string::npos) unit_votes[unit] += 1;
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
}

// Maps the 绩效自评表 among the grids the 决算 mapper left unidentified:
// they replace those grids in doc.tables (in document order). Returns the
// number found.
size_t MapJixiao(Document& doc, const std::vector<PageLayout>& layouts, const JixiaoSchema& schema) {
  JixiaoOutput jixiao = MapJixiaoTables(doc.tables, layouts, schema);
  if (jixiao.tables.empty()) return 0;
  std::vector<Table> tables;
  size_t next_used = 0;
  for (size_t t = 0; t < doc.tables.size(); ++t) {
    bool used = next_used < jixiao.used_candidates.size() && jixiao.used_candidates[next_used] == t;
    if (!used) {
      tables.push_back(std::move(doc.tables[t]));
      continue;
    }
    if (next_used++ == 0) {
      for (Table& table : jixiao.tables) tables.push_back(std::move(table));
    }
  }
  doc.tables = std::move(tables);
  doc.findings.insert(doc.findings.end(), jixiao.findings.begin(), jixiao.findings.end());
  if (doc.unit_name.empty()) {
    // A standalone self-evaluation names its unit in each table.
    for (const auto& [field, text] : jixiao.evaluations.front().fields) {
      if (field == "实施单位") doc.unit_name = text;
    }
  }
  return jixiao.evaluations.size();
}

// The 绩效 rules and narrative quotes, on the figures as reconciled (an OCR
// misreading repaired by reconcile is not a source error).
void CheckJixiaoTables(Document& doc, const JixiaoSchema& schema) {
  std::vector<JixiaoEvaluation> evaluations;
  for (const Table& t : doc.tables) {
    if (t.code.rfind(schema.table_prefix + ":", 0) == 0) evaluations.push_back(ReadJixiaoTable(t, schema));
  }
  for (const JixiaoEvaluation& evaluation : evaluations) {
    for (Finding& f : CheckJixiao(evaluation, schema)) doc.findings.push_back(std::move(f));
  }
  for (Finding& f : CheckJixiaoNarrative(evaluations, doc.lines)) doc.findings.push_back(std::move(f));
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
  const PipelineOptions& options = state_->options;
  for (int page = 1; page <= doc.page_count; ++page) {
    auto text = pdf.ReadTextLayer(page);
    if (!text) {
      unread_pages.push_back(page);
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

  MapperOutput mapped = MapJuesuanTables(layouts, state_->juesuan_schema);
  doc.tables = std::move(mapped.tables);
  doc.findings = std::move(mapped.findings);
  ReadMetadata(doc);
  size_t evaluations = MapJixiao(doc, layouts, state_->jixiao_schema);

  bool any_juesuan = false;
  for (const Table& t : doc.tables) {
    any_juesuan |= !t.code.empty() && t.code.rfind(state_->jixiao_schema.table_prefix, 0) != 0;
  }
  // A 决算 document with 绩效 appendices is a 决算 document; 绩效 tables alone make a 绩效自评 one.
  bool any_known = any_juesuan || evaluations > 0;
  doc.kind = any_juesuan ? "juesuan" : evaluations > 0 ? "jixiao" : "unknown";
  // Figures read by OCR are read again at a higher resolution before a
  // broken identity is blamed on them or on the document.
  ReconcileOptions reconcile;
  std::optional<CellRereader> rereader;
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
  }
  if (options.reconcile && any_known) Reconcile(doc, state_->identities, reconcile);
  if (evaluations > 0) {
    CheckJixiaoTables(doc, state_->jixiao_schema);
    // The 绩效 rules blame the document too: the same OCR verdict rule.
    if (options.reconcile) SettleOcrFindings(doc, reconcile);
  }
  if (!unread_pages.empty()) {
    std::string list;
    for (int p : unread_pages) list += (list.empty() ? "" : ",") + std::to_string(p);
    doc.status = DocumentStatus::kPartial;
    doc.error = "pages without a usable text layer were not read: " + list +
                (doc.error.empty() ? "" : "; " + doc.error);
  }
  if (!any_known && unread_pages.size() < static_cast<size_t>(doc.page_count)) {
    return fail(MakeError(ErrorCode::kNotFiscal,
                          path + ": not a 决算 disclosure (none of the nine tables found)"));
  }
  if (!any_known) {
    return fail(MakeError(ErrorCode::kNotFiscal, path + ": no page has a usable text layer"));
  }
  return finish(doc);
}

}  // namespace juesuan
