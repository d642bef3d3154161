#include "pipeline/run/ocr_page.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "pipeline/core/debug_flags.h"
#include "pipeline/core/json_guard.h"
#include "pipeline/core/text_lines.h"
#include "pipeline/core/utf8.h"
#include "pipeline/imaging/page_prep.h"
#include "pipeline/normalise/normalise.h"
#include "pipeline/tables/table_detector.h"

namespace juesuan {
namespace {

// Paints the regions (tables) white so that reading the running text does
// not read them a second time.
Raster WithoutRegions(const Raster& gray, const std::vector<Box>& regions) {
  Raster out = gray;
  const double px_per_pt = gray.dpi / 72.0;
  const double margin = 2.0 * px_per_pt;  // the outer rules
  for (const Box& box : regions) {
    int x0 = std::clamp(static_cast<int>(box.x0 * px_per_pt - margin), 0, gray.width);
    int y0 = std::clamp(static_cast<int>(box.y0 * px_per_pt - margin), 0, gray.height);
    int x1 = std::clamp(static_cast<int>(std::ceil(box.x1 * px_per_pt + margin)), 0, gray.width);
    int y1 = std::clamp(static_cast<int>(std::ceil(box.y1 * px_per_pt + margin)), 0, gray.height);
    for (int y = y0; y < y1; ++y)
      std::fill_n(&out.pixels[static_cast<size_t>(y) * gray.width + x0], x1 - x0, 255);
  }
  return out;
}

bool HasIdeograph(const std::string& text) { return CountCjkIdeographs(text) > 0; }

// The rules WithoutHorizontalRules painted out inside `region`: runs of
// pixel rows where most of the region's width changed.
int CountRulesPainted(const Raster& before, const Raster& after, const Box& region) {
  const double px_per_pt = before.dpi / 72.0;
  const int x0 = std::clamp(static_cast<int>(region.x0 * px_per_pt), 0, before.width);
  const int x1 = std::clamp(static_cast<int>(region.x1 * px_per_pt), 0, before.width);
  const int y0 = std::clamp(static_cast<int>(region.y0 * px_per_pt), 0, before.height);
  const int y1 = std::clamp(static_cast<int>(region.y1 * px_per_pt), 0, before.height);
  int rules = 0;
  bool in_rule = false;
  for (int y = y0; y < y1; ++y) {
    const size_t row = static_cast<size_t>(y) * before.width;
    int changed = 0;
    for (int x = x0; x < x1; ++x) changed += before.pixels[row + x] != after.pixels[row + x];
    const bool rule = 2 * changed > x1 - x0;
    rules += rule && !in_rule;
    in_rule = rule;
  }
  return rules;
}

double MedianGlyphHeight(const std::vector<Glyph>& glyphs) {
  std::vector<double> heights;
  for (const Glyph& g : glyphs) heights.push_back(g.box.height());
  if (heights.empty()) return 0.0;
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  return heights[heights.size() / 2];
}

// Whether the page's table ink is blurred: the median over its inked cells
// of the steepness of the ink's edges (CellImage::ink_edge_steepness).
// Measured on the development half of the scan variety set: pages of scans
// blurred by 1.1-1.4 px sit at 0.13-0.21 (150-240 dpi), pages blurred by
// under 0.8 px at 0.27 and over, the shared corpus's scans at 0.25-0.34;
// sharpening those hurt (JPEG ringing and grain become strokes).
// `shapes` holds each grid's cells' ink shapes (OcrEngine::InkShape).
bool IsBlurred(const std::vector<std::vector<CellInkShape>>& shapes) {
  std::vector<double> steepness;
  for (const std::vector<CellInkShape>& grid_shapes : shapes)
    for (const CellInkShape& shape : grid_shapes)
      if (!shape.empty) steepness.push_back(shape.edge_steepness);
  if (steepness.empty()) return false;
  std::nth_element(steepness.begin(), steepness.begin() + steepness.size() / 2, steepness.end());
  const double median = steepness[steepness.size() / 2];
  const bool blurred = median < 0.23;
  if (debug::Ocr()) std::fprintf(stderr, "page ink edge steepness %.3f: %s\n", median, blurred ? "blurred" : "crisp");
  return blurred;
}

// How each cell of a fully ruled grid is read: as a figure where its ink is
// a figure's. On a blurred scan a figure's digits run together, so the ink
// alone no longer shows digit shapes and the cell reader tries the text
// model, which makes Chinese of them ("了二.50" for 338.56). Height still
// tells: digits stand about 0.7 of the em that Chinese labels fill. A cell
// one line high and clearly shorter than the grid's labels, in a column
// most of whose cells are as short, is read as a figure. The em is taken
// from the tallest cells; a grid without labels to measure it by (every
// cell as tall) keeps the cell reader's own choice.
// `shapes` holds the grid's cells' ink shapes, in the order of grid.cells.
std::vector<CellContent> ContentByInkHeight(const TableGrid& grid, const std::vector<CellInkShape>& shapes) {
  std::vector<CellContent> content(grid.cells.size(), CellContent::kAuto);
  std::vector<double> heights;
  for (const CellInkShape& shape : shapes)
    if (!shape.empty && shape.lines == 1) heights.push_back(shape.line_height_px);
  if (heights.size() < 8) return content;
  std::sort(heights.begin(), heights.end());
  const double em = heights[heights.size() * 85 / 100];
  auto short_ink = [&](const CellInkShape& s) { return !s.empty && s.lines == 1 && s.line_height_px <= 0.8 * em; };
  std::map<int, std::pair<int, int>> by_column;  // short cells, inked cells
  for (size_t i = 0; i < grid.cells.size(); ++i) {
    if (shapes[i].empty || grid.cells[i].col_span > 1) continue;
    auto& [short_cells, inked] = by_column[grid.cells[i].col];
    short_cells += short_ink(shapes[i]);
    ++inked;
  }
  for (size_t i = 0; i < grid.cells.size(); ++i) {
    if (grid.cells[i].col_span > 1 || shapes[i].figure_shaped || !short_ink(shapes[i])) continue;
    const auto& [short_cells, inked] = by_column[grid.cells[i].col];
    if (10 * short_cells >= 6 * inked) content[i] = CellContent::kNumeric;
  }
  return content;
}

// A label cell's reading against the vocabulary: of the engine's reading
// and its other readings, the one that snaps to a term most closely (the
// engine's own first among equals). The engine's reading is kept as the
// first alternative.
void SnapLabel(Cell& cell, const LabelVocabulary& vocabulary, bool header) {
  if (vocabulary.IsTerm(cell.raw_text)) return;
  // A long confident reading that is no term is free text (a project's
  // name, a unit's): the vocabulary corrects misreadings, it does not rename.
  if (cell.confidence >= 85 && CountCjkIdeographs(cell.raw_text) >= 5) return;
  auto snap = [&](const std::string& text) -> std::optional<LabelSnap> {
    if (vocabulary.IsTerm(text)) return LabelSnap{text, 1.0};
    std::optional<LabelSnap> s = vocabulary.SnapCell(text);
    if (!s && header) s = vocabulary.SnapHeader(text);
    return s;
  };
  std::optional<LabelSnap> best = snap(cell.raw_text);
  if (!best || best->score < 1.0) {
    for (const std::string& alt : cell.alternatives) {
      std::optional<LabelSnap> s = snap(alt);
      if (s && (!best || s->score > best->score)) best = s;
    }
  }
  if (!best || best->text == cell.raw_text) return;
  std::erase(cell.alternatives, best->text);
  cell.alternatives.insert(cell.alternatives.begin(), cell.raw_text);
  cell.raw_text = best->text;
}

bool IsFigureText(const std::string& text) {
  return !text.empty() && FitsFigurePattern(text, 0) && text != "-" && text != "--";
}

// A line Tesseract read across words of ink that stand on different lines,
// a figure set above or below the label beside it: read as one line, the
// figure off the line's main band (the band of ink holding most of its
// width) comes out as one wide symbol or as debris. Each word off the band
// is read again alone, and that reading replaces the line's where it is an
// amount or a dash (words that read otherwise, a header wrapped beside one
// on one line, keep the line's reading, which had its context). `read`
// holds symbols in reading order, each with its line's height (ReadLines),
// so a line is a run of symbols of one height.
std::vector<Glyph> RereadFiguresOffLine(std::vector<Glyph> read, const Raster& source, OcrEngine& engine) {
  std::vector<Glyph> out;
  for (size_t i = 0, j = 0; i < read.size(); i = j) {
    Box line = read[i].box;
    for (j = i + 1; j < read.size() && read[j].box.y0 == read[i].box.y0 && read[j].box.y1 == read[i].box.y1 &&
                    read[j].box.x0 >= read[j - 1].box.x0;
         ++j)
      line = line.Union(read[j].box);
    const std::vector<Box> words = InkWordsIn(source, line);
    double tallest = 0;
    for (const Box& w : words) tallest = std::max(tallest, w.height());
    // The main band: the word (of a line's height, not a dash or a point)
    // whose ink line holds the most width.
    auto same_band = [](const Box& a, const Box& b) {
      return a.OverlapY(b) >= 0.5 * std::min(a.height(), b.height());
    };
    const Box* main_word = nullptr;
    double main_width = 0;
    for (const Box& w : words) {
      if (w.height() < 0.5 * tallest) continue;
      double width = 0;
      for (const Box& o : words)
        if (o.height() >= 0.5 * tallest && same_band(w, o)) width += o.width();
      if (width > main_width) main_width = width, main_word = &w;
    }
    // Words off the band, of a line's height or a dash's width, read alone.
    std::vector<bool> replaced(words.size(), false);
    std::vector<Glyph> reread;
    for (size_t n = 0; n < words.size(); ++n) {
      const Box& w = words[n];
      if (!main_word || std::max(w.height(), w.width()) < 0.5 * tallest ||
          w.OverlapY(*main_word) >= 0.2 * std::min(w.height(), main_word->height()))
        continue;
      std::vector<Glyph> word =
          engine.ReadLines(source, {w.x0 - 1.5, w.y0 - 1.5, w.x1 + 1.5, w.y1 + 1.5}, GlyphLevel::kSymbol);
      std::string text;
      for (const Glyph& g : word) text += g.text;
      // A flat stroke alone, which the text model reads as nothing or as
      // 一, is a dash: a zero set off its label's line as the figures are.
      // (A longer stroke is a rule's remnant, under a group header.)
      const bool flat = w.height() <= 0.25 * w.width() && w.width() <= 3.0 * tallest;
      if (flat && (word.empty() || IsDashMark(text))) word = {Glyph{"—", w, 50.0f}}, text = "—";
      // An amount (decimals printed) or a dash; a lone whole number off
      // the band is a 栏次 or 行次 of a header set on two lines.
      const bool amount = IsFigureText(text) && text.find('.') != std::string::npos;
      if (debug::Tables())
        std::fprintf(stderr, "word off its line's band %.1f,%.1f-%.1f,%.1f read alone: '%s'\n", w.x0, w.y0, w.x1, w.y1,
                     text.c_str());
      if (!amount && !(flat && text == "—")) continue;
      replaced[n] = true;
      for (Glyph& g : word) reread.push_back(std::move(g));
    }
    if (std::none_of(replaced.begin(), replaced.end(), [](bool r) { return r; })) {
      for (size_t k = i; k < j; ++k) out.push_back(std::move(read[k]));
      continue;
    }
    // The line's symbols on the replaced words go; the others keep the
    // ink of the word they overlap most (the engine's boxes in a line it
    // misread straddle the gaps); one on no other ink was debris of them.
    for (size_t k = i; k < j; ++k) {
      Glyph& g = read[k];
      bool on_replaced = false;
      const Box* own = nullptr;
      for (size_t n = 0; n < words.size(); ++n) {
        const Box& w = words[n];
        if (replaced[n]) {
          on_replaced = on_replaced || (g.box.cx() >= w.x0 && g.box.cx() <= w.x1);
        } else if (g.box.OverlapX(w) > 0 && (!own || g.box.OverlapX(w) > g.box.OverlapX(*own))) {
          own = &w;
        }
      }
      if (on_replaced || !own) continue;
      g.box.x0 = std::max(g.box.x0, own->x0), g.box.x1 = std::min(g.box.x1, own->x1);
      out.push_back(std::move(g));
    }
    if (debug::Tables())
      std::fprintf(stderr, "line %.1f,%.1f-%.1f,%.1f: words off its band read alone as %zu symbols\n", line.x0,
                   line.y0, line.x1, line.y1, reread.size());
    for (Glyph& g : reread) out.push_back(std::move(g));
  }
  return out;
}

// A figure the text model garbled ("221 .办" for 221.92, "1.001.多"): a
// digit next to a point or comma, and no more than two ideographs, which
// a label with a numbered point ("1.因公出国(境)费") has.
bool LooksLikeGarbledFigure(const std::string& text) {
  if (IsFigureText(text) || CountCjkIdeographs(text) > 2) return false;
  std::string compact = text;
  std::erase(compact, ' ');
  for (size_t i = 0; i < compact.size(); ++i) {
    if (compact[i] != '.' && compact[i] != ',') continue;
    const bool digit_before = i > 0 && std::isdigit(static_cast<unsigned char>(compact[i - 1]));
    const bool digit_after = i + 1 < compact.size() && std::isdigit(static_cast<unsigned char>(compact[i + 1]));
    if (digit_before || digit_after) return true;
  }
  return false;
}

// A reading no label of a fiscal table looks like: the text model's guess at
// blurred digits ("和@的" for 0.00, "色80", "《3.22"): symbols no label
// prints, or ideographs mixed with digits, or ideographs read with next to
// no confidence.
bool LooksLikeDebris(const Cell& cell) {
  const std::string& text = cell.raw_text;
  if (text.empty() || IsFigureText(text)) return false;
  static const std::string kNeverInLabels = "@#$&?_|~^*<>{}[]\\=+!`'\"";
  bool digit = false, junk = false;
  for (char c : text) {
    digit |= std::isdigit(static_cast<unsigned char>(c)) != 0;
    junk |= kNeverInLabels.find(c) != std::string::npos;
  }
  junk |= text.find("《") != std::string::npos || text.find("》") != std::string::npos;
  if (junk) return true;
  if (!HasIdeograph(text)) return false;
  return cell.confidence < 30 || (digit && cell.confidence < 60);
}


// Cells of a figure column that did not read as figures are read again as
// figures: a blurred figure whose digits ran together does not look like
// one to the cell reader, which then tried the text model. A column is a
// figure column when most of its read cells below the first two rows are
// figures; a cell that read as a known label, or as Chinese with
// confidence, is left alone.
void RereadFigureColumns(TableGrid& grid, const Raster& image, OcrEngine& engine,
                         const LabelVocabulary* vocabulary) {
  struct Counts {
    int figures = 0, amounts = 0, read = 0, before_labels = 0;
  };
  std::map<int, Counts> columns;
  auto is_amount = [](const std::string& t) { return IsFigureText(t) && t.find('.') != std::string::npos; };
  for (const Cell& cell : grid.cells) {
    if (cell.row < 2 || cell.col_span > 1 || cell.raw_text.empty()) continue;
    // Debris says nothing of what the column holds; a garbled figure does.
    const bool garbled_figure = LooksLikeGarbledFigure(cell.raw_text);
    if (LooksLikeDebris(cell) && !garbled_figure) continue;
    Counts& c = columns[cell.col];
    ++c.read;
    c.figures += IsFigureText(cell.raw_text) || garbled_figure;
    c.amounts += is_amount(cell.raw_text);
    const int next = grid.CellAt(cell.row, cell.col + cell.col_span);
    c.before_labels += next >= 0 && CountCjkIdeographs(grid.cells[next].raw_text) >= 2;
  }
  if (debug::Ocr()) for (auto& [col, c] : columns) std::fprintf(stderr, "column %d: read %d figures %d amounts %d\n", col, c.read, c.figures, c.amounts);
  // The 栏次 row numbers the columns: its whole numbers are no amounts that
  // lost their point, though a misread one is read again (as a number).
  std::set<int> numbering_rows;
  for (const Cell& cell : grid.cells)
    if (CompactText(cell.raw_text) == "栏次" || CompactText(cell.raw_text) == "行次") numbering_rows.insert(cell.row);
  for (Cell& cell : grid.cells) {
    if (cell.row < 2 || cell.col_span > 1) continue;
    const auto it = columns.find(cell.col);
    if (it == columns.end() || 10 * it->second.figures < 6 * it->second.read) continue;
    // A column of amounts (most figures with decimals): a whole number of
    // three digits or more there lost its point.
    const bool amounts = !numbering_rows.count(cell.row) && 10 * it->second.amounts >= 6 * it->second.figures;
    // A column of whole numbers (科目编码, 行次): a point there is a speck
    // at the foot, when the engine also read the digits without it.
    // So is a column set before the 科目名称 (most of its right neighbours
    // names): the 科目编码.
    const bool codes = 10 * it->second.amounts <= 2 * it->second.figures ||
                       10 * it->second.before_labels >= 6 * it->second.read;
    if (codes && is_amount(cell.raw_text)) {
      std::string whole = cell.raw_text;
      std::erase(whole, '.');
      if (std::find(cell.alternatives.begin(), cell.alternatives.end(), whole) != cell.alternatives.end()) {
        std::erase(cell.alternatives, whole);
        cell.alternatives.insert(cell.alternatives.begin(), cell.raw_text);
        cell.raw_text = cell.text = whole;
      }
      continue;
    }
    const bool digits_only = !cell.raw_text.empty() &&
                             std::all_of(cell.raw_text.begin(), cell.raw_text.end(), [](char c) { return c >= '0' && c <= '9'; });
    const bool whole = amounts && IsFigureText(cell.raw_text) && !is_amount(cell.raw_text) &&
                       cell.raw_text.find(',') == std::string::npos;
    const bool lost_point = whole && digits_only && cell.raw_text.size() >= 3;
    // A whole number with a sign among amounts ("-46" for 7.46): a glyph
    // read as a sign and the point lost; only a reading as an amount helps.
    // So is a number of one or two digits there: an amount that lost a
    // digit with its point ("46" for 7.46).
    const bool misshapen = (whole && !digits_only && std::any_of(cell.raw_text.begin(), cell.raw_text.end(),
                                                                   [](char c) { return c >= '0' && c <= '9'; })) ||
                           (whole && digits_only && cell.raw_text.size() < 3);
    if (IsFigureText(cell.raw_text) && !lost_point && !misshapen) continue;
    // Two ideographs or more are a label (总计 spilled into the column), not a blurred figure.
    // Ideographs mixed with digits or a point there are a blurred figure
    // ("了-54" for 7.64, "人行.及了" for 6.83).
    const bool figure_marks = std::any_of(cell.raw_text.begin(), cell.raw_text.end(),
                                          [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
    if (vocabulary && vocabulary->IsTerm(cell.raw_text)) continue;
    if (HasIdeograph(cell.raw_text) && !LooksLikeDebris(cell) && !figure_marks &&
        (cell.confidence >= 60 || CountCjkIdeographs(cell.raw_text) >= 2))
      continue;
    CellReading again = engine.ReadCell(image, cell.box, amounts ? CellContent::kAmount : CellContent::kNumeric);
    if (debug::Ocr()) std::fprintf(stderr, "column reread r%d c%d '%s' -> '%s' %.0f\n", cell.row, cell.col, cell.raw_text.c_str(), again.text.c_str(), again.confidence);
    // A blank where the re-read found marks is no sure blank, whatever
    // becomes of the reading.
    if (cell.raw_text.empty() && !again.text.empty()) cell.confidence = std::min(cell.confidence, again.confidence);
    if (lost_point) {
      // The digits as read, with the point where an amount has it, unless
      // the re-read found the same digits with their point.
      const std::string& read = cell.raw_text;
      std::string digits = again.text;
      std::erase(digits, '.');
      if (digits != read || !is_amount(again.text)) {
        const std::string restored = read.substr(0, read.size() - 2) + "." + read.substr(read.size() - 2);
        if (!again.text.empty()) again.alternatives.insert(again.alternatives.begin(), again.text);
        again.text = restored;
        again.confidence = std::min(again.confidence, cell.confidence) * 0.9f;
      }
    }
    if (amounts && !lost_point && IsFigureText(again.text) && !is_amount(again.text) && again.text.size() >= 3 &&
        again.text.find(',') == std::string::npos && again.text.find('-') == std::string::npos) {
      // Read again whole in a column of amounts: the point was lost the same way.
      again.alternatives.insert(again.alternatives.begin(), again.text);
      again.text = again.text.substr(0, again.text.size() - 2) + "." + again.text.substr(again.text.size() - 2);
      again.confidence *= 0.9f;
    }
    if (!IsFigureText(again.text) || ((lost_point || misshapen) && !is_amount(again.text))) continue;
    // A figure the figure model is not sure of, where the first reading
    // found none, is as likely a dash or a speck: the cell stays unread.
    if (!lost_point && !IsFigureText(cell.raw_text) && again.confidence < 40) continue;
    if (!cell.raw_text.empty()) cell.alternatives.insert(cell.alternatives.begin(), cell.raw_text);
    std::erase(cell.alternatives, again.text);
    for (const std::string& alt : again.alternatives)
      if (std::find(cell.alternatives.begin(), cell.alternatives.end(), alt) == cell.alternatives.end())
        cell.alternatives.push_back(alt);
    cell.raw_text = again.text;
    cell.text = again.text;
    cell.confidence = again.confidence;
  }
}

// The ink of a line of text around `text_box`, within `bounds`: the text
// box grown left and right over columns of the line's band that hold ink,
// across gaps narrower than half the line's height. A glyph the text model
// dropped (a faint first digit) is ink all the same.
Box InkAlongLine(const Raster& image, const Box& text_box, const Box& bounds) {
  const double px_per_pt = image.dpi / 72.0;
  const int y0 = std::clamp(static_cast<int>(text_box.y0 * px_per_pt), 0, image.height);
  const int y1 = std::clamp(static_cast<int>(std::ceil(text_box.y1 * px_per_pt)), 0, image.height);
  const int bx0 = std::clamp(static_cast<int>(bounds.x0 * px_per_pt), 0, image.width);
  const int bx1 = std::clamp(static_cast<int>(std::ceil(bounds.x1 * px_per_pt)), 0, image.width);
  if (y1 - y0 < 3 || bx1 - bx0 < 3) return text_box;
  // Darkest pixel of each column of the band, and the band's paper.
  std::vector<int> darkest(bx1 - bx0, 255);
  for (int y = y0; y < y1; ++y) {
    const uint8_t* row = &image.pixels[static_cast<size_t>(y) * image.width];
    for (int x = bx0; x < bx1; ++x) darkest[x - bx0] = std::min<int>(darkest[x - bx0], row[x]);
  }
  std::vector<int> sorted = darkest;
  std::sort(sorted.begin(), sorted.end());
  const int paper = sorted[sorted.size() * 9 / 10], dark = sorted.front();
  if (paper - dark < 40) return text_box;
  const int threshold = paper - std::max(30, static_cast<int>(0.4 * (paper - dark)));
  auto inked = [&](int x) { return darkest[x - bx0] < threshold; };
  const int max_gap = std::max(2, static_cast<int>(0.5 * (y1 - y0)));
  Box out = text_box;
  int x = std::clamp(static_cast<int>(text_box.x0 * px_per_pt), bx0, bx1 - 1), gap = 0, edge = x;
  for (--x; x >= bx0 && gap <= max_gap; --x) {
    if (inked(x)) edge = x, gap = 0;
    else ++gap;
  }
  out.x0 = std::min(out.x0, edge / px_per_pt);
  x = std::clamp(static_cast<int>(text_box.x1 * px_per_pt), bx0, bx1 - 1), gap = 0, edge = x;
  for (++x; x < bx1 && gap <= max_gap; ++x) {
    if (inked(x)) edge = x + 1, gap = 0;
    else ++gap;
  }
  out.x1 = std::max(out.x1, edge / px_per_pt);
  return out;
}

// The cells of a grid found from the symbols (not fully ruled: its rows
// and columns are where the text is, and a line of text can straddle a
// row edge that no rule fixes): each cell takes the symbols whose centres
// it holds, as a text layer's cell does. The text model read those
// symbols in running lines; a cell holding digits is read again alone,
// around its own ink, by the cell reader, whose figure model and figure
// pattern read blurred digits far better.
void ReadCellsFromSymbols(TableGrid& grid, const std::vector<Glyph>& symbols, const Raster& image,
                          OcrEngine& engine) {
  FillCells(grid, symbols);
  // Reads the cell again alone, around its own ink (the reader's inset and
  // some paper beyond it), and takes the reading when `accept` does; the
  // symbols' text becomes its last alternative. The ink is the symbols'
  // and that of the blobs of the cell on their line: a glyph the text model
  // dropped (a faint first digit) is still read.
  // The ink is followed along the row across the grid, not only the cell:
  // columns found from alignment can part a figure wider than the others
  // of its column ("1," of 1,146.46 left in the column before), and a
  // reading of what the cell holds would be sure and short by a digit. The
  // symbols of the other cells that the whole figure covers are its own:
  // those cells are emptied.
  std::set<const Cell*> absorbed;
  auto is_fragment = [](const std::string& text) {
    const std::string compact = CompactText(text);
    const bool digit = !compact.empty() && compact[0] >= '0' && compact[0] <= '9';
    return digit && (compact.size() == 1 || (compact.size() == 2 && compact[1] == ','));
  };
  auto reread = [&](Cell& cell, CellContent content, auto accept) {
    const Box row_band{grid.box.x0, cell.box.y0, grid.box.x1, cell.box.y1};
    Box ink = InkAlongLine(image, cell.text_box, content == CellContent::kNumeric ? cell.box : row_band);
    // Only a fragment (one digit, or a digit and a comma) is taken from a
    // cell beside: ink running into a label or another figure or code
    // (panels set close) is theirs, and the figure stops at its cell.
    const bool into_other = std::any_of(grid.cells.begin(), grid.cells.end(), [&](const Cell& other) {
      return &other != &cell && other.row == cell.row && !other.raw_text.empty() &&
             other.text_box.x1 > ink.x0 && other.text_box.x0 < ink.x1 && !is_fragment(other.raw_text);
    });
    if (into_other) ink = InkAlongLine(image, cell.text_box, cell.box);
    const double pad = 1.5 + 1.2;
    const Box around{ink.x0 - pad, ink.y0 - pad, ink.x1 + pad, ink.y1 + pad};
    CellReading reading = engine.ReadCell(image, around, content);
    if (reading.text.empty() || !accept(reading.text)) return;
    reading.alternatives.push_back(cell.raw_text);
    cell.raw_text = cell.text = reading.text;
    cell.confidence = reading.confidence;
    cell.alternatives = std::move(reading.alternatives);
    for (Cell& other : grid.cells) {
      if (&other == &cell || other.row != cell.row || other.raw_text.empty() || !is_fragment(other.raw_text))
        continue;
      if (other.text_box.x0 >= around.x0 && other.text_box.x1 <= around.x1 &&
          !(other.box.x0 >= cell.box.x0 && other.box.x1 <= cell.box.x1)) {
        // Emptied, not surely blank: the fragment may have been a figure
        // of its own after all.
        other.alternatives.insert(other.alternatives.begin(), other.raw_text);
        other.raw_text = other.text = "";
        other.confidence = 0.0f;
        absorbed.insert(&other);
      }
    }
  };
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  // The template's 栏次 row holds column numbers only; the text model reads
  // a lone digit as an ideograph ("之" for 2), so the row is read as figures.
  std::set<int> lanci_rows;
  for (const Cell& cell : grid.cells)
    if (CompactText(cell.raw_text) == "栏次") lanci_rows.insert(cell.row);
  for (Cell& cell : grid.cells) {
    cell.source = TextSource::kOcr;
    if (absorbed.count(&cell)) continue;
    cell.text = cell.raw_text;
    if (cell.raw_text.empty()) {
      // Marks the text model made nothing of: no sure blank.
      if (engine.HasInk(image, cell.box)) cell.confidence = 0.0f;
      continue;
    }
    if (lanci_rows.count(cell.row) && cell.raw_text.find("栏") == std::string::npos) {
      reread(cell, CellContent::kNumeric, [&](const std::string& text) {
        return text.size() <= 2 && std::all_of(text.begin(), text.end(), is_digit);
      });
    } else if (std::any_of(cell.raw_text.begin(), cell.raw_text.end(), is_digit)) {
      // A label with a digit in it stays a label unless it reads as a figure.
      const bool label = HasIdeograph(cell.raw_text);
      reread(cell, CellContent::kAuto, [&](const std::string& text) { return !label || IsFigureText(text); });
    }
  }
}

// 科目编码 cells checked against the 科目名称 read beside them (the next
// cell of the row): a code a glyph off one the classification gives that
// name is read as that code.
void KeyCodesByNames(TableGrid& grid, const LabelVocabulary& vocabulary) {
  // Columns of codes: a reading too short for a code is one there (a faint
  // code), elsewhere it is a 序号 or 行次.
  std::map<int, int> codes_in_column;
  for (const Cell& cell : grid.cells) {
    const std::string& t = cell.raw_text;
    if (t.size() >= 3 && t.size() <= 7 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
      ++codes_in_column[cell.col];
  }
  for (Cell& cell : grid.cells) {
    const std::string& code = cell.raw_text;
    if (code.empty() || code.size() > 9 || HasIdeograph(code)) continue;
    int digits = 0;
    for (char c : code) digits += c >= '0' && c <= '9';
    if (digits < 2 && (digits < 1 || code.size() > 2 || codes_in_column[cell.col] < 3)) continue;
    if (code.find('.') != std::string::npos) continue;
    // The name is the next cell of the row with text (an empty column the
    // text alignment made may lie between).
    int next = grid.CellAt(cell.row, cell.col + cell.col_span);
    while (next >= 0 && grid.cells[next].raw_text.empty())
      next = grid.CellAt(cell.row, grid.cells[next].col + grid.cells[next].col_span);
    if (next < 0 || !HasIdeograph(grid.cells[next].raw_text)) continue;
    std::optional<std::string> snapped = vocabulary.SnapCode(code, grid.cells[next].raw_text);
    if (!snapped) continue;
    cell.alternatives.insert(cell.alternatives.begin(), code);
    cell.raw_text = *snapped;
    cell.text = *snapped;
  }
}

// 科目编码 nest: a 款 code (5 digits) starts with the 类 code (3) above
// it, a 项 code (7) with the 款 code above it. In a column of codes, a
// code one glyph from what its parent makes it is read as that; a 类 code
// one glyph from exactly one 类 of the classification is read as that one.
void FixCodeNesting(TableGrid& grid, const LabelVocabulary& vocabulary) {
  auto digits_only = [](const std::string& t) {
    return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  // Digits with a stray mark at either end ("229600<") are read as digits.
  auto trimmed = [](const std::string& t) {
    size_t b = 0, e = t.size();
    while (b < e && !(t[b] >= '0' && t[b] <= '9') && static_cast<unsigned char>(t[b]) < 0x80) ++b;
    while (e > b && !(t[e - 1] >= '0' && t[e - 1] <= '9') && static_cast<unsigned char>(t[e - 1]) < 0x80) --e;
    return t.substr(b, e - b);
  };
  std::map<int, std::vector<Cell*>> columns;
  for (Cell& cell : grid.cells) {
    const std::string core = trimmed(cell.raw_text);
    if (digits_only(core) && core.size() >= 3 && core.size() <= 8 && core.size() + 2 >= cell.raw_text.size()) {
      cell.raw_text = cell.text = core;
      columns[cell.col].push_back(&cell);
    }
  }
  for (auto& [col, cells] : columns) {
    if (cells.size() < 3) continue;
    std::sort(cells.begin(), cells.end(), [](const Cell* a, const Cell* b) { return a->row < b->row; });
    std::string class_code, item_code;  // the last 3- and 5-digit codes above
    for (Cell* cell : cells) {
      const std::string read = cell->raw_text;
      std::vector<std::string> candidates;
      // A code of the classification is one too where no parent is above
      // (the first rows of a part continued from the page before).
      auto consider = [&](const std::string& code) {
        if (code.size() == 3 ? vocabulary.KnownCode(code)
                             : code.size() == 5 ? (!class_code.empty() && code.compare(0, 3, class_code) == 0) ||
                                                      (class_code.empty() && vocabulary.KnownCode(code))
                             : code.size() == 7 ? (!item_code.empty() && code.compare(0, 5, item_code) == 0) ||
                                                      (item_code.empty() && vocabulary.KnownCode(code))
                                                : false)
          if (std::find(candidates.begin(), candidates.end(), code) == candidates.end()) candidates.push_back(code);
      };
      consider(read);
      // A code of the classification is taken as read even out of place
      // (its 类 row may be the one misread).
      if (candidates.empty() && !vocabulary.KnownCode(read)) {
        // The engine's other readings first: one that nests is taken.
        for (const std::string& alt : cell->alternatives)
          if (alt.size() == 5 || alt.size() == 7) consider(alt);
        if (candidates.size() == 1) {
          std::erase(cell->alternatives, candidates.front());
          cell->alternatives.insert(cell->alternatives.begin(), read);
          cell->raw_text = cell->text = candidates.front();
          const std::string& code = cell->raw_text;
          if (code.size() == 5) item_code = code;
          continue;
        }
        candidates.clear();
        // One glyph off: the parent's prefix put back, or a digit too many.
        if (read.size() == 5 && !class_code.empty()) consider(class_code + read.substr(3));
        if (read.size() == 7 && !item_code.empty()) consider(item_code + read.substr(5));
        for (size_t i = 0; i < read.size() && (read.size() == 4 || read.size() == 6 || read.size() == 8); ++i)
          consider(read.substr(0, i) + read.substr(i + 1));
        // Or a digit too few: a faint first digit the engine did not see.
        if (read.size() == 4 || read.size() == 6)
          for (size_t i = 0; i <= read.size(); ++i)
            for (char d = '0'; d <= '9'; ++d) consider(read.substr(0, i) + d + read.substr(i));
        if (read.size() == 3)
          for (char d = '0'; d <= '9'; ++d)
            for (size_t i = 0; i < 3; ++i) {
              std::string code = read;
              code[i] = d;
              if (code != read) consider(code);
            }
        std::erase_if(candidates, [&](const std::string& c) { return EditDistance(c, read) != 1; });
        if (candidates.size() == 1) {
          cell->alternatives.insert(cell->alternatives.begin(), read);
          cell->raw_text = candidates.front();
          cell->text = candidates.front();
        }
      }
      const std::string& code = cell->raw_text;
      if (code.size() == 3) class_code = code, item_code.clear();
      if (code.size() == 5) item_code = code;
    }
  }
}

}  // namespace

// The two-digit parts are what a blurred scan reads worst ("0" for 05, "9"
// for 99), and the name beside them is read against a closed list.
void FixSplitCodesByNames(TableGrid& grid, const LabelVocabulary& vocabulary) {
  auto digits_of = [](const std::string& text) {
    std::string digits;
    for (char c : text) {
      if (c >= '0' && c <= '9') digits += c;
      else if (static_cast<unsigned char>(c) >= 0x80 || std::isalpha(static_cast<unsigned char>(c))) return std::string("?");
    }
    return digits;
  };
  // The 类 column: the one with most 类 codes of the classification.
  std::map<int, int> class_codes;
  for (const Cell& cell : grid.cells)
    if (cell.col_span == 1 && cell.raw_text.size() == 3 && vocabulary.KnownCode(cell.raw_text)) ++class_codes[cell.col];
  int class_col = -1, most = 2;
  for (const auto& [col, n] : class_codes)
    if (n > most) class_col = col, most = n;
  if (class_col < 0) return;
  std::string lei, kuan;  // carried down: a part printed on a group's first row only
  for (int row = 0; row < grid.n_rows(); ++row) {
    const int class_at = grid.CellAt(row, class_col);
    if (class_at < 0 || grid.cells[class_at].row != row || grid.cells[class_at].col_span != 1) continue;
    const std::string class_read = digits_of(grid.cells[class_at].raw_text);
    if (class_read.size() == 3 && vocabulary.KnownCode(class_read)) {
      if (class_read != lei) kuan.clear();
      lei = class_read;
    } else if (!class_read.empty()) {
      continue;  // a 类 misread: nothing to nest under
    }
    // The part cells, then the name: at most two columns between.
    std::vector<Cell*> parts;
    const Cell* name = nullptr;
    for (int col = class_col + 1; col <= class_col + 3 && col < grid.n_cols(); ++col) {
      const int at = grid.CellAt(row, col);
      if (at < 0 || grid.cells[at].row != row || grid.cells[at].col_span != 1) break;
      Cell& cell = grid.cells[at];
      if (CountCjkIdeographs(cell.raw_text) >= 2) {
        name = &cell;
        break;
      }
      parts.push_back(&cell);
    }
    if (name == nullptr || parts.empty() || parts.size() > 2 || lei.empty()) continue;
    std::vector<std::string> read;
    for (const Cell* part : parts) read.push_back(digits_of(part->raw_text));
    // A whole code in a part column (20603 under 款) is keyed as printed.
    if (std::any_of(read.begin(), read.end(), [](const std::string& r) { return r.size() > 2; })) {
      for (const std::string& r : read)
        if (r.size() == 5 && r.compare(0, 3, lei) == 0) kuan = r.substr(3);
      continue;
    }
    const bool item_printed = parts.size() == 2 && !CompactText(parts[1]->raw_text).empty();
    const bool kuan_printed = !CompactText(parts[0]->raw_text).empty();
    const size_t level = item_printed ? 7 : kuan_printed ? 5 : 3;
    if (level == 3) continue;
    std::vector<std::string> candidates;
    for (const std::string& code : vocabulary.CodesNamed(name->raw_text))
      if (code.size() == level && code.compare(0, 3, lei) == 0) candidates.push_back(code);
    // The 款 part read whole (or carried from above) and shared by one of
    // the codes narrows them.
    const std::string kuan_read = kuan_printed ? read[0] : kuan;
    if (kuan_read.size() == 2) {
      std::vector<std::string> nested;
      for (const std::string& code : candidates)
        if (code.compare(3, 2, kuan_read) == 0) nested.push_back(code);
      if (!nested.empty()) candidates = nested;
    }
    if (candidates.size() != 1) {
      if (kuan_printed && read[0].size() == 2) kuan = read[0];
      continue;
    }
    const std::string& code = candidates.front();
    kuan = code.substr(3, 2);
    for (size_t k = 0; k < parts.size(); ++k) {
      Cell& part = *parts[k];
      const std::string want = code.substr(3 + 2 * k, 2);
      if (CompactText(part.raw_text).empty() || part.raw_text == want) continue;
      part.alternatives.insert(part.alternatives.begin(), part.raw_text);
      part.raw_text = part.text = want;
    }
  }
}

namespace {

// The rows and columns the template numbers: the 栏次 row ("栏次 | 1 | 2 |
// 3 ...") and 行次 columns (1, 2, 3 ... down the body). Their labels are two
// small glyphs a blurred scan rarely gives right, yet they tell the mapper
// where the header ends and which column holds no figures: a short label
// before a row of small whole numbers is 栏次; one above a column counting
// up from 1 is 行次.
void NameNumberedLines(TableGrid& grid, const LabelVocabulary& vocabulary) {
  auto small_number = [](const std::string& t) {
    return !t.empty() && t.size() <= 2 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  auto short_label = [&](const Cell& cell) {
    const size_t glyphs = Utf8Length(cell.raw_text);
    return HasIdeograph(cell.raw_text) && glyphs <= 3 && !vocabulary.IsTerm(cell.raw_text);
  };
  auto rename = [](Cell& cell, const char* label) {
    cell.alternatives.insert(cell.alternatives.begin(), cell.raw_text);
    cell.raw_text = label;
    cell.text = label;
  };
  for (int row = 0; row < grid.n_rows(); ++row) {
    int numbers = 0;
    Cell* label = nullptr;
    for (Cell& cell : grid.cells) {
      if (cell.row != row) continue;
      if (small_number(cell.raw_text)) ++numbers;
      else if (!label && numbers == 0 && short_label(cell)) label = &cell;
      else if (HasIdeograph(cell.raw_text)) numbers = -100;  // a row of text
    }
    if (label && numbers >= 2) rename(*label, "栏次");
  }
  for (int col = 0; col < grid.n_cols(); ++col) {
    std::vector<Cell*> cells;
    for (Cell& cell : grid.cells)
      if (cell.col == col && cell.col_span == 1) cells.push_back(&cell);
    std::sort(cells.begin(), cells.end(), [](const Cell* a, const Cell* b) { return a->row < b->row; });
    for (size_t i = 0; i + 5 < cells.size(); ++i) {
      if (!short_label(*cells[i])) continue;
      int expect = 1, run = 0;
      for (size_t k = i + 1; k < cells.size() && run < 5; ++k) {
        if (cells[k]->raw_text.empty() && run == 0) continue;
        if (cells[k]->raw_text != std::to_string(expect)) break;
        ++expect, ++run;
      }
      if (run >= 5) rename(*cells[i], "行次");
    }
  }
}



// Every string worth a label under `node`, skipping the keys in `skip`;
// those under a key "titles" also go to `titles`.
// Every string worth a label under `node`, skipping the keys in `skip`;
// those under a key "titles" also go to `titles`, those under the keys of
// column headers (leaf, path, group, the label columns' code and name, the
// 绩效 columns' labels) to `headers`.
struct Names {
  std::vector<std::string> all, titles, headers;
};
void CollectNames(const nlohmann::json& node, const std::vector<std::string>& skip, const std::string& under,
                  Names& names) {
  static const std::vector<std::string> kHeaderKeys = {"leaf", "path", "group", "code", "name", "labels"};
  if (node.is_string()) {
    const std::string text = node.get<std::string>();
    if (Utf8Length(text) <= 30 && HasIdeograph(text)) {
      names.all.push_back(text);
      if (under == "titles") names.titles.push_back(text);
      if (std::find(kHeaderKeys.begin(), kHeaderKeys.end(), under) != kHeaderKeys.end()) names.headers.push_back(text);
    }
  } else if (node.is_array()) {
    for (const auto& item : node) CollectNames(item, skip, under, names);
  } else if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key.starts_with("$") || std::find(skip.begin(), skip.end(), key) != skip.end()) continue;
      CollectNames(value, skip, key, names);
    }
  }
}

}  // namespace

Result<LabelVocabulary> LoadLabelVocabulary(const std::string& schema_dir) {
  // A value of the wrong type in the file is an error, not an exception.
  return GuardJson<LabelVocabulary>(schema_dir + ": label vocabulary", [&]() -> Result<LabelVocabulary> {
    namespace fs = std::filesystem;
    Names names;
    std::map<std::string, std::string> codes;
    struct Source {
      std::string file;
      bool required;
      std::vector<std::string> skip;  // keys that hold no labels
    };
    // Indicator endings (满意度) and placeholders (XX局) are not labels.
    const Source sources[] = {
        {"juesuan_tables.json", true, {"label", "row_label"}},  // labels for readers, not printed words
        {"jixiao_table.json", false, {"description", "indicator_terms", "grades"}},
        {"kemu_names.json", false, {}},
        {"identities/catalogue.json", false, {"placeholders", "required_tables"}},
    };
    for (const Source& source : sources) {
      const fs::path path = fs::path(schema_dir) / source.file;
      std::ifstream in(path);
      if (!in) {
        if (source.required) return MakeError(ErrorCode::kNotFound, "label vocabulary: cannot read " + path.string());
        continue;
      }
      nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
      if (json.is_discarded()) {
        if (source.required) return MakeError(ErrorCode::kInvalidArgument, "label vocabulary: malformed " + path.string());
        continue;
      }
      // 科目 names are no headers: kemu_names.json is read for its names only.
      Names found;
      CollectNames(json, source.skip, "", found);
      names.all.insert(names.all.end(), found.all.begin(), found.all.end());
      names.titles.insert(names.titles.end(), found.titles.begin(), found.titles.end());
      if (source.file != "kemu_names.json" && source.file != "identities/catalogue.json")
        names.headers.insert(names.headers.end(), found.headers.begin(), found.headers.end());
      if (source.file == "kemu_names.json") {
        // {"功能分类": {"201": "一般公共服务支出", ...}, "经济分类": {...}}
        for (const auto& [group, entries] : json.items()) {
          if (!entries.is_object()) continue;
          for (const auto& [code, name] : entries.items())
            if (name.is_string() && !code.empty() &&
                std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }))
              codes[code] = name.get<std::string>();
        }
      }
    }
    return LabelVocabulary(names.all, names.titles, codes, names.headers);
  });
}

Result<OcrPage> ReadPageImage(const Raster& page, OcrEngine& engine, const LabelVocabulary* vocabulary) {
  PrepareOptions prepare;
  prepare.binarize = false;  // cells are thresholded one by one
  prepare.upside_down_probe = [&engine](const Raster& upright) {
    return engine.DetectUpsideDown(upright);
  };
  auto prepared = PreparePage(page, prepare);
  if (!prepared) return prepared.error();
  const PreparedPage& image = prepared.value();

  OcrPage out;
  out.rotation = image.rotation;
  out.skew_degrees = image.skew_degrees;
  out.width = image.gray.width * image.gray.PointsPerPixel();
  out.height = image.gray.height * image.gray.PointsPerPixel();

  // No glyphs yet: grids without vertical rules take their columns from
  // the image's ink.
  // A blurred, sharpened scan can show one rule as two a few points
  // apart; no table has a column or row that narrow.
  DetectOptions detect;
  detect.merge_distance_pt = 4.0;
  detect.find_unruled_tables = false;
  std::vector<Glyph> blobs;
  for (const Box& box : InkBlobBoxes(image.gray)) blobs.push_back(Glyph{"", box, 0.0f});
  const std::vector<TableGrid> first_pass = DetectTables(image.gray, blobs, detect);
  // Only fully ruled grids are known from the rules alone. Everything else
  // on the page is read as text symbol by symbol, as a text layer gives it,
  // and the tables among that text are found the way a text layer's are:
  // tables ruled across only (三线表) take their columns from the symbols,
  // tables printed without rules are regions of aligned text. Ink blobs
  // say where text is, not whether it is a figure or a header, and they
  // align in paragraphs and seals too.
  std::vector<TableGrid> ruled;
  std::vector<Box> partly_ruled;
  for (const TableGrid& grid : first_pass) {
    if (grid.ruling == Ruling::kFull) {
      ruled.push_back(grid);
    } else {
      partly_ruled.push_back({grid.box.x0 - 2, grid.box.y0 - 2, grid.box.x1 + 2, grid.box.y1 + 2});
    }
  }
  std::vector<Glyph> symbols;  // read with some confidence: what tables are found from
  std::vector<Glyph> lines;    // every line of text outside the ruled grids
  auto keep_line = [&](std::vector<Glyph>& read) {
    // A glyph the engine took together with the rule it touches has the
    // rule's width: its box says nothing of where the glyph is, and a box
    // as wide as a table would join lines and make a row look like a title.
    // (A symbol box may hold a few glyphs the engine could not part, never
    // a hundred points of them.)
    const double glyph_height = MedianGlyphHeight(read);
    std::erase_if(read, [&](const Glyph& g) { return g.box.width() > std::max(100.0, 10.0 * glyph_height); });
    // Tesseract returns a region's symbols in reading order; a symbol
    // starting left of the one before opens a new line.
    std::vector<const Glyph*> line;
    auto flush = [&] {
      if (line.empty()) return;
      Glyph joined{JoinGlyphs(line), line.front()->box, 100.0f};
      for (const Glyph* g : line) {
        joined.box = joined.box.Union(g->box);
        joined.confidence = std::min(joined.confidence, g->confidence);
      }
      if (vocabulary) joined.text = vocabulary->SnapLine(joined.text);
      lines.push_back(std::move(joined));
      line.clear();
    };
    for (const Glyph& g : read) {
      if (!line.empty() && (g.box.x0 < line.back()->box.x0 || g.box.y0 > line.back()->box.y1)) flush();
      line.push_back(&g);
    }
    flush();
    // A digit or a dash alone (a 栏次 number, a zero printed as a dash) is
    // read with little confidence by the text model, yet is no speck: it
    // holds a column's place.
    for (Glyph& g : read) {
      const bool digit = g.text.size() == 1 && g.text[0] >= '0' && g.text[0] <= '9';
      const bool dash = IsDashMark(g.text);
      if (g.confidence >= 30 || ((digit || dash) && g.confidence >= 10)) symbols.push_back(std::move(g));
    }
  };
  // Lines are read off the page without its dust (cells are read alone,
  // and the cell reader drops specks of its own).
  const Raster dusted = RemoveSpecks(image.gray);
  // A table ruled under every row is read with its rules painted out: the
  // rows touch them on a blurred scan. A 三线表's three rules are left, its
  // header words read better beside them.
  const Raster unruled = partly_ruled.empty() ? dusted : WithoutHorizontalRules(dusted, 40.0);
  for (const Box& region : partly_ruled) {
    const bool ruled_by_row = CountRulesPainted(dusted, unruled, region) >= 5;
    const Raster& source = ruled_by_row ? unruled : dusted;
    std::vector<Glyph> read = RereadFiguresOffLine(engine.ReadLines(source, region, GlyphLevel::kSymbol), source, engine);
    keep_line(read);
  }
  // The running text, run by run: one call on the whole page lets
  // Tesseract's page layout analysis lose short captions among the blanks.
  // A run is one line (FindTextRuns cuts at wide gaps), read as such.
  std::vector<Box> painted = partly_ruled;
  for (const TableGrid& grid : ruled) painted.push_back(grid.box);
  const Raster text_only = WithoutRegions(dusted, painted);
  for (const Box& run : FindTextRuns(text_only)) {
    std::vector<Glyph> read = engine.ReadLines(text_only, run, GlyphLevel::kSymbol);
    keep_line(read);
  }
  if (symbols.empty()) {
    out.grids = ruled;
  } else {
    for (const Glyph& blob : blobs) {
      const bool in_ruled = std::any_of(ruled.begin(), ruled.end(),
                                        [&](const TableGrid& g) { return g.box.Contains(blob.box.cx(), blob.box.cy()); });
      if (in_ruled) symbols.push_back(blob);
    }
    detect.find_unruled_tables = true;
    out.grids = DetectTables(image.gray, symbols, detect);
  }
  // Each cell's ink measured once, as scanned: for the page's blur and for
  // telling figure cells of ruled grids by their height.
  std::vector<std::vector<CellInkShape>> shapes;
  for (const TableGrid& grid : out.grids) {
    std::vector<CellInkShape>& grid_shapes = shapes.emplace_back();
    for (const Cell& cell : grid.cells) grid_shapes.push_back(engine.InkShape(image.gray, cell.box));
  }
  engine.SetSharpening(IsBlurred(shapes));
  for (size_t g = 0; g < out.grids.size(); ++g) {
    TableGrid& grid = out.grids[g];
    if (grid.ruling == Ruling::kFull) {
      const std::vector<CellContent> content = ContentByInkHeight(grid, shapes[g]);
      for (size_t i = 0; i < grid.cells.size(); ++i) {
        Cell& cell = grid.cells[i];
        CellReading reading = engine.ReadCell(image.gray, cell.box, content[i]);
        cell.raw_text = reading.text;
        cell.text = reading.text;
        cell.source = TextSource::kOcr;
        cell.confidence = reading.confidence;
        cell.alternatives = std::move(reading.alternatives);
      }
    } else {
      ReadCellsFromSymbols(grid, symbols, image.gray, engine);
    }
    if (vocabulary) {
      // Header rows: those above the first row holding two figures.
      int first_body = grid.n_rows();
      std::map<int, int> figures;
      for (const Cell& cell : grid.cells)
        if (IsFigureText(cell.raw_text) && cell.raw_text.find('.') != std::string::npos && ++figures[cell.row] == 2)
          first_body = std::min(first_body, cell.row);
      for (Cell& cell : grid.cells)
        if (HasIdeograph(cell.raw_text)) SnapLabel(cell, *vocabulary, cell.row < first_body);
    }
    RereadFigureColumns(grid, image.gray, engine, vocabulary);
    if (vocabulary) KeyCodesByNames(grid, *vocabulary);
    if (vocabulary) FixCodeNesting(grid, *vocabulary);
    if (vocabulary) FixSplitCodesByNames(grid, *vocabulary);
    if (vocabulary) NameNumberedLines(grid, *vocabulary);
  }

  engine.SetSharpening(false);
  // The lines outside every grid are the page's running text.
  for (Glyph& line : lines) {
    const bool in_grid = std::any_of(out.grids.begin(), out.grids.end(),
                                     [&](const TableGrid& g) { return g.box.Contains(line.box.cx(), line.box.cy()); });
    if (!in_grid) out.glyphs.push_back(std::move(line));
  }
  return out;
}

void CellRereader::Prepare(int page, int rotation, double skew_degrees) {
  if (page == page_) return;
  page_ = page;
  prepared_.reset();
  shapes_.reset();
  auto raster = render_(page, dpi_);
  if (!raster) return;
  PrepareOptions prepare;
  prepare.binarize = false;
  prepare.rotation = RotationMode::kGiven;
  prepare.given_rotation = rotation;
  prepare.given_skew_degrees = skew_degrees;
  auto prepared = PreparePage(raster.value(), prepare);
  if (prepared) prepared_ = std::move(prepared.value().gray);
}

CellReading CellRereader::Reread(int page, int rotation, double skew_degrees, const Box& cell_box_points) {
  Prepare(page, rotation, skew_degrees);
  if (!prepared_) return CellReading{"", 0.0f, {}, 0};
  return engine_.ReadCell(*prepared_, cell_box_points, CellContent::kNumericSecondOpinion);
}

ShapeCheck CellRereader::CheckShape(int page, int rotation, double skew_degrees, const Box& cell_box_points,
                                    const std::string& reading,
                                    const std::vector<std::pair<Box, std::string>>& exemplars) {
  Prepare(page, rotation, skew_degrees);
  if (!prepared_) return ShapeCheck{};
  // The page's digits are learnt once, from the first exemplars given.
  if (!shapes_) {
    shapes_.emplace();
    for (const auto& [box, text] : exemplars) shapes_->AddExemplar(*prepared_, box, text);
  }
  return shapes_->Check(*prepared_, cell_box_points, reading);
}

}  // namespace juesuan
