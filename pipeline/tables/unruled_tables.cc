// Tables printed with no rules at all: regions of the page where lines of
// text break into aligned runs holding figures, as a stream reader would see
// them (pdfplumber's text strategy, Camelot's stream). The columns and rows
// inside a region are then inferred from the text like those of a table
// ruled horizontally only (InferTextGrid).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "pipeline/core/debug_flags.h"
#include "pipeline/core/utf8.h"
#include "pipeline/tables/grid_internal.h"

namespace juesuan::tables_internal {
namespace {

struct Run {
  std::string text;
  Box box;
};

struct Line {
  std::vector<Run> runs;
  Box box;
  double height = 0;    // median glyph height
  int word_spaces = 0;  // gaps of a word space or more (runs part at narrower ones too)
  std::string text;     // the runs run together
};

bool HasDigit(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A figure as tables print them: digits with a decimal point or thousands
// separators ("1,234.56", "0.00", "-12.30").
bool IsAmount(const std::string& text) {
  if (!IsFigureText(text) || !HasDigit(text)) return false;
  return text.find('.') != std::string::npos || text.find(',') != std::string::npos;
}

bool IsCodeRun(const std::string& text) {
  const size_t n = text.size();
  return (n == 3 || n == 5 || n == 7) && std::all_of(text.begin(), text.end(), [](char c) {
           return c >= '0' && c <= '9';
         });
}

// Holds a figure with its decimals (443.88), however OCR ran the line's
// words together.
bool HasDecimalFigure(const std::string& text) {
  for (size_t at = text.find('.'); at != std::string::npos; at = text.find('.', at + 1)) {
    if (at > 0 && at + 2 < text.size() && std::isdigit(static_cast<unsigned char>(text[at - 1])) &&
        std::isdigit(static_cast<unsigned char>(text[at + 1])) && std::isdigit(static_cast<unsigned char>(text[at + 2])))
      return true;
  }
  return false;
}

bool Has(const std::string& text, const char* word) { return text.find(word) != std::string::npos; }

// Running text: a sentence, not a cell. Its punctuation stands between
// words: a comma after a digit is a thousands separator, or a speck OCR
// read beside a code ("2080506，机关事业单位…" of a row set tight), and
// specks after a name ("…等支。。50") end no clause.
bool IsProse(const Line& line) {
  if (line.word_spaces != 0) return false;
  const std::string& text = line.text;
  // A sentence runs across the text block; a table's longest names hold
  // some sixteen characters (an ordinal OCR read as a comma: "十八，…").
  if (Utf8Length(text) < 20) return false;
  for (const char* mark : {"，", "。", "；", ","}) {
    for (size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at + 1)) {
      const size_t next = at + std::string(mark).size();
      if (at > 0 && !(text[at - 1] >= '0' && text[at - 1] <= '9') && next < text.size() &&
          StartsWithCjkIdeograph(text.substr(next)))
        return true;
    }
  }
  return false;
}

// A unit line: 单位 with its colon or its unit close after it (单位：万元,
// 单位 元). 单位 alone is a word of many names (机关事业单位…缴费), and a
// row that holds one may carry a figure OCR read with a colon ("310:44").
bool HasUnitWords(const std::string& text) {
  const std::u32string cps = DecodeUtf8(text);
  const std::u32string unit = U"单位";
  for (size_t at = cps.find(unit); at != std::u32string::npos; at = cps.find(unit, at + 1)) {
    const size_t end = std::min(cps.size(), at + unit.size() + 4);
    for (size_t k = at + unit.size(); k < end; ++k) {
      if (cps[k] == U'：' || cps[k] == U':' || cps[k] == U'元') return true;
    }
  }
  return false;
}

// The words of a caption, a unit line, a note or a title.
bool IsCaptionWords(const Line& line) {
  const std::string& text = line.text;
  if (HasUnitWords(text)) return true;
  if (text.rfind("注", 0) == 0 || text.rfind("说明", 0) == 0) return true;
  if (Has(text, "公开") && Has(text, "表")) return true;
  // A title set letter-spaced (一 般 公 共 … 决 算 表), a quote mark or a
  // speck read after it: words ending in 表, no figure.
  std::string words = text;
  while (!words.empty() && !HasDigit(text)) {
    if (words.size() >= 3 && words.compare(words.size() - 3, 3, "表") == 0) {
      if (Utf8Length(words) >= 5) return true;
      break;
    }
    // Drop one trailing character that is no ideograph.
    size_t cut = words.size() - 1;
    while (cut > 0 && (static_cast<unsigned char>(words[cut]) & 0xC0) == 0x80) --cut;
    if (StartsWithCjkIdeograph(words.substr(cut))) break;
    words.erase(cut);
  }
  if (line.word_spaces == 0) {
    if (text.size() >= 3 && text.compare(text.size() - 3, 3, "表") == 0) return true;  // a title
    if (Has(text, "续)") || Has(text, "续）")) return true;
  }
  return false;
}

// Lines around a table that are not part of it: captions, units, notes,
// page numbers, titles.
// `text_height`: the page's typical glyph height (glyph boxes of some
// producers are taller than the type size, so heights compare with heights).
bool IsCaptionLike(const Line& line, double text_height) {
  if (IsCaptionWords(line)) return true;
  const std::string& text = line.text;
  if (line.word_spaces == 0) {
    const std::string& t = text;
    if (line.height > 1.4 * text_height) return true;                         // a title's type size
    std::string digits;
    for (char c : t) {
      if (c >= '0' && c <= '9') digits += c;
    }
    const bool figure = t.find_first_of(".,") != std::string::npos;
    if (!digits.empty() && !figure && digits.size() <= 3 && t.size() <= digits.size() + 6) return true;  // - 5 -
  }
  return false;
}

double MedianHeight(const std::vector<Glyph>& glyphs, const std::vector<int>& members) {
  std::vector<double> heights;
  for (int i : members) heights.push_back(glyphs[i].box.height());
  if (heights.empty()) return 10.0;
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  return heights[heights.size() / 2];
}

std::vector<Line> BuildLines(const std::vector<Glyph>& glyphs, const std::vector<int>& members, double em) {
  std::vector<Line> lines;
  for (const std::vector<int>& group : GroupLines(glyphs, members, 0.35 * em)) {
    Line line;
    std::vector<double> heights;
    for (size_t k = 0; k < group.size(); ++k) {
      const Glyph& g = glyphs[group[k]];
      heights.push_back(g.box.height());
      // Runs part at a word space; a figure and the label set after it part
      // at a narrower one (a right-aligned figure close to the next column's
      // left-aligned name).
      const double gap = k == 0 ? 0.0 : g.box.x0 - glyphs[group[k - 1]].box.x1;
      const bool script_changes =
          k > 0 && StartsWithCjkIdeograph(g.text) != StartsWithCjkIdeograph(glyphs[group[k - 1]].text);
      line.word_spaces += k > 0 && gap >= 1.0 * em;
      line.text += g.text;
      if (k == 0 || gap >= 1.0 * em || (script_changes && gap >= 0.3 * em)) {
        line.runs.push_back(Run{"", g.box});
      }
      line.runs.back().text += g.text;
      line.runs.back().box = line.runs.back().box.Union(g.box);
      line.box = k == 0 ? g.box : line.box.Union(g.box);
    }
    std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
    line.height = heights[heights.size() / 2];
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace

std::vector<Box> FindCaptionLines(const std::vector<Glyph>& glyphs) {
  std::vector<int> members;
  for (size_t i = 0; i < glyphs.size(); ++i) {
    if (!IsBlank(glyphs[i].text)) members.push_back(static_cast<int>(i));
  }
  std::vector<Box> boxes;
  if (members.empty()) return boxes;
  const double em = TypicalEm(glyphs);
  const double text_height = MedianHeight(glyphs, members);
  for (const Line& line : BuildLines(glyphs, members, em)) {
    if (IsCaptionLike(line, text_height)) boxes.push_back(line.box);
  }
  return boxes;
}

std::vector<Box> FindUnruledTableRegions(const std::vector<Glyph>& glyphs, const std::vector<Box>& taken,
                                         std::vector<Box>* slight) {
  std::vector<int> members;
  std::vector<Glyph> loose;
  for (size_t i = 0; i < glyphs.size(); ++i) {
    const Glyph& g = glyphs[i];
    if (IsBlank(g.text)) continue;
    bool inside = std::any_of(taken.begin(), taken.end(), [&](const Box& b) {
      return g.box.cx() >= b.x0 - 2 && g.box.cx() <= b.x1 + 2 && g.box.cy() >= b.y0 - 2 && g.box.cy() <= b.y1 + 2;
    });
    if (inside) continue;
    members.push_back(static_cast<int>(i));
    loose.push_back(g);
  }
  std::vector<Box> regions;
  if (members.size() < 4) return regions;
  const double em = TypicalEm(loose);
  const double text_height = MedianHeight(glyphs, members);
  std::vector<Line> lines = BuildLines(glyphs, members, em);
  auto amounts_in = [](const Line& line) {
    int n = 0;
    for (const Run& r : line.runs) n += IsAmount(r.text);
    return n;
  };
  auto tabular = [&](const Line& line) {
    if (IsProse(line) || IsCaptionLike(line, text_height)) return false;
    if (line.word_spaces >= 1) return true;
    return std::any_of(line.runs.begin(), line.runs.end(),
                       [](const Run& r) { return IsAmount(r.text) || IsCodeRun(r.text); });
  };
  // Lines that may sit inside a table without being typical of one: a label
  // alone, header words run together.
  auto weak = [&](const Line& line) { return !IsProse(line) && !IsCaptionLike(line, text_height); };
  auto short_weak = [&](const Line& line) { return weak(line) && line.word_spaces == 0 && line.text.size() <= 60; };
  for (size_t i = 0; i < lines.size();) {
    if (!tabular(lines[i])) {
      ++i;
      continue;
    }
    // Header lines of a single run just above (a group title over columns).
    size_t first = i;
    while (first > 0 && short_weak(lines[first - 1]) &&
           lines[first].box.y0 - lines[first - 1].box.y1 < 1.2 * em) {
      --first;
    }
    size_t last = i;
    double pitch = 2.5 * em;
    double last_figures_cy = amounts_in(lines[i]) > 0 ? lines[i].box.cy() : -1;
    for (size_t j = i + 1; j < lines.size(); ++j) {
      const double gap = lines[j].box.cy() - lines[last].box.cy();
      if (gap > std::max(2.2 * em, 2.5 * pitch)) {
        if (debug::Tables())
          std::fprintf(stderr, "unruled region ends before '%s': gap %.1f over %.1f (em %.1f, pitch %.1f)\n",
                       lines[j].text.c_str(), gap, std::max(2.2 * em, 2.5 * pitch), em, pitch);
        break;
      }
      // A 款/项 code part alone on its line (its name wrapped above and
      // below it) is no page number when it follows the rows closely.
      const bool code_part = lines[j].text.size() <= 3 && gap < 1.5 * em &&
                             std::all_of(lines[j].text.begin(), lines[j].text.end(),
                                         [](char c) { return c >= '0' && c <= '9'; });
      // A short line on the rows' rhythm, once rows of figures have begun,
      // with a row of the table close after it (a row OCR read only in
      // part: "上5" for "12"; a label line taller than the type) is no page
      // number or caption: only the words of a caption, a unit or a title
      // end a table there.
      bool between_rows = false;
      if (last_figures_cy >= 0 && !IsProse(lines[j]) && !IsCaptionWords(lines[j])) {
        // The rows go on within the next three lines, each on the rhythm.
        size_t previous = j;
        for (size_t k = j + 1; k < lines.size() && k <= j + 3; ++k) {
          if (lines[k].box.cy() - lines[previous].box.cy() > std::max(2.2 * em, 2.5 * pitch)) break;
          if (tabular(lines[k]) || HasDecimalFigure(lines[k].text)) {
            between_rows = true;
            break;
          }
          if (!weak(lines[k])) break;
          previous = k;
        }
      }
      if (!tabular(lines[j]) && !weak(lines[j]) && !code_part && !between_rows) {
        if (debug::Tables())
          std::fprintf(stderr,
                       "unruled region ends before '%s' (%.1f tall, type %.1f; next '%s' %.1f below, pitch %.1f, "
                       "figures above: %s): not a table's line\n",
                       lines[j].text.c_str(), lines[j].height, text_height,
                       j + 1 < lines.size() ? lines[j + 1].text.c_str() : "",
                       j + 1 < lines.size() ? lines[j + 1].box.cy() - lines[j].box.cy() : 0.0, pitch,
                       last_figures_cy >= 0 ? "yes" : "no");
        break;
      }
      // The pitch of rows of figures, from one line of figures to the next:
      // header lines wrap closer, and figures set a little above or below
      // their labels are close to the label but a row from the next one.
      if (amounts_in(lines[j]) > 0) {
        if (last_figures_cy >= 0) pitch = std::min(pitch, std::max(em, lines[j].box.cy() - last_figures_cy));
        last_figures_cy = lines[j].box.cy();
      }
      last = j;
    }
    int figure_lines = 0, figures = 0, tabular_lines = 0;
    for (size_t k = first; k <= last; ++k) {
      const int n = amounts_in(lines[k]);
      figures += n;
      figure_lines += n > 0;
      tabular_lines += tabular(lines[k]);
    }
    if (debug::Tables())
      std::fprintf(stderr, "unruled region from '%s' to '%s': %d lines of figures\n", lines[first].text.c_str(),
                   lines[last].text.c_str(), figure_lines);
    if (figure_lines >= 1) {
      Box box = lines[first].box;
      for (size_t k = first; k <= last; ++k) box = box.Union(lines[k].box);
      box.x0 -= 1;
      box.y0 -= 1;
      box.x1 += 1;
      box.y1 += 1;
      if (tabular_lines >= 2 || figures >= 2) {
        regions.push_back(box);
      } else if (slight != nullptr) {
        slight->push_back(box);
      }
    }
    i = last + 1;
  }
  return regions;
}

}  // namespace juesuan::tables_internal
