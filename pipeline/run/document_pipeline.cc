#include "pipeline/run/document_pipeline.h"

#include <chrono>
#include <filesystem>
#include <map>
#include <regex>

#include "extractors/juesuan/table_mapper.h"
#include "pipeline/core/text_lines.h"
#include "pipeline/core/utf8.h"
#include "pipeline/normalise/normalise.h"
#include "pipeline/render/pdf_source.h"
#include "pipeline/tables/table_detector.h"

namespace juesuan {

struct DocumentPipeline::State {
  PipelineOptions options;
  JuesuanSchema juesuan_schema;
};

DocumentPipeline::DocumentPipeline(std::unique_ptr<State> state) : state_(std::move(state)) {}
DocumentPipeline::~DocumentPipeline() = default;

Result<std::unique_ptr<DocumentPipeline>> DocumentPipeline::Create(const PipelineOptions& options) {
  auto state = std::make_unique<State>();
  state->options = options;
  auto schema = LoadJuesuanSchema(options.schema_dir);
  if (!schema) return schema.error();
  state->juesuan_schema = std::move(schema.value());
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
      auto raster = pdf.Render(page, options.detect_dpi, ColourMode::kGrayOnly);
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

  bool any_known = false;
  for (const Table& t : doc.tables) any_known |= !t.code.empty();
  doc.kind = any_known ? "juesuan" : "unknown";
  if (!unread_pages.empty()) {
    std::string list;
    for (int p : unread_pages) list += (list.empty() ? "" : ",") + std::to_string(p);
    doc.status = DocumentStatus::kPartial;
    doc.error = "pages without a usable text layer were not read: " + list;
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
