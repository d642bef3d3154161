// Tables without vertical rules: columns from the alignment of the text,
// rows from the horizontal rules and, where a band between two rules holds
// several rows of figures, from the text lines.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include <unicode/uchar.h>

#include "pipeline/core/debug_flags.h"
#include "pipeline/core/utf8.h"
#include "pipeline/tables/grid_internal.h"

namespace juesuan::tables_internal {
namespace {

constexpr double kBin = 0.5;  // profile resolution, points

struct TextLine {
  std::vector<int> glyphs;  // left to right
  double cy = 0;
  int band = 0;
};

// Glyphs of one line that straddle x, or sit on both sides of it with no
// real gap between them (one word running across).
// `strict`: glyphs abutting across x (one word) count, glyphs merely close
// do not (header words of two narrow columns may nearly touch).
bool LineCrosses(const std::vector<Glyph>& glyphs, const TextLine& line, double x, double em,
                 bool strict = false) {
  const double eps = (strict ? 0.15 : 0.05) * em;
  const Glyph* previous = nullptr;
  for (int index : line.glyphs) {
    const Glyph& g = glyphs[index];
    if (g.box.x0 < x - eps && g.box.x1 > x + eps) return true;
    // A figure's last digit next to a label's first ideograph (or the
    // reverse) are two words however close: a shrunk label can nearly
    // touch the figure of the column before it.
    if (previous != nullptr && previous->box.x1 <= x + eps && g.box.x0 >= x - eps &&
        g.box.x0 - previous->box.x1 < (strict ? 0.1 : 0.25) * em && StartsWithCjkIdeograph(previous->text) == StartsWithCjkIdeograph(g.text)) {
      return true;
    }
    previous = &g;
  }
  return false;
}

// A glyph's box as set: an ideograph is set on a square about an em wide,
// though an OCR symbol's box holds only its ink, and the ink of a narrow
// one (目 half as wide as 国) would open a gap inside a word as wide as one
// between two: such a box is widened to its square. (Its height says how
// wide the square is, up to an em: a symbol box may run over two lines.)
Box SetWidth(const Glyph& glyph, double em) {
  Box box = glyph.box;
  const double side = std::min(box.height(), em);
  if (box.width() < 0.6 * side && StartsWithCjkIdeograph(glyph.text)) {
    const double centre = box.cx();
    box.x0 = centre - side / 2;
    box.x1 = centre + side / 2;
  }
  return box;
}

// A speck: a glyph OCR read from a mark no word holds (a stroke of a seal,
// dust, a smear), set apart on its line and no taller than it: punctuation
// with no neighbour (a dash is a zero and stays), or one digit several ems
// wide (a smear no figure's digit is). Left in, it crosses the gap between
// a header and its figures, or parts one column in two.
bool IsSpeck(const std::vector<Glyph>& glyphs, const std::vector<int>& members, int index, double em) {
  const Glyph& g = glyphs[index];
  // A box taller than a line is a header's words OCR read as one mark
  // (two wrapped lines of 本年收入合计 read "。"): ink of the table.
  if (IsDashText(g.text) || g.box.height() > 1.2 * em) return false;
  const std::u32string cps = DecodeUtf8(g.text);
  if (cps.empty()) return false;
  const bool all_punctuation =
      std::all_of(cps.begin(), cps.end(), [](char32_t cp) { return u_ispunct(static_cast<UChar32>(cp)) != 0; });
  const bool smeared_digit = cps.size() == 1 && cps[0] >= U'0' && cps[0] <= U'9' && g.box.width() > 1.5 * em;
  if (!all_punctuation && !smeared_digit) return false;
  for (int other : members) {
    if (other == index) continue;
    const Box& b = glyphs[other].box;
    if (std::abs(b.cy() - g.box.cy()) > 0.5 * em) continue;
    const double distance = std::max({0.0, b.x0 - g.box.x1, g.box.x0 - b.x1});
    if (distance < 0.6 * em) return false;
  }
  return true;
}

}  // namespace

bool InferTextGrid(const Box& region, const std::vector<Segment>& rules, const std::vector<Glyph>& glyphs,
                   TableGrid& grid) {
  std::vector<int> members;
  std::vector<Glyph> inside;
  for (size_t i = 0; i < glyphs.size(); ++i) {
    const Glyph& g = glyphs[i];
    if (IsBlank(g.text) && !g.text.empty()) continue;
    if (region.Contains(g.box.cx(), g.box.cy())) {
      members.push_back(static_cast<int>(i));
      inside.push_back(g);
    }
  }
  if (members.size() < 2) return false;
  const double em = TypicalEm(inside);
  {
    std::vector<int> kept;
    for (int index : members) {
      if (!IsSpeck(glyphs, members, index, em)) {
        kept.push_back(index);
      } else if (debug::Tables()) {
        const Box& b = glyphs[index].box;
        std::fprintf(stderr, "  speck %s [%.1f,%.1f]-[%.1f,%.1f]\n", glyphs[index].text.c_str(), b.x0, b.y0, b.x1, b.y1);
      }
    }
    members = std::move(kept);
  }
  if (members.size() < 2) return false;

  // Row edges from the rules (merged by position), bands between them.
  std::vector<double> rule_ys;
  for (const Segment& s : rules) rule_ys.push_back(s.pos);
  rule_ys.push_back(region.y0);
  rule_ys.push_back(region.y1);
  std::sort(rule_ys.begin(), rule_ys.end());
  std::vector<double> bands;
  for (double y : rule_ys) {
    if (bands.empty() || y - bands.back() > 0.4 * em) {
      bands.push_back(y);
    } else {
      bands.back() = (bands.back() + y) / 2;
    }
  }
  if (bands.size() < 2) return false;
  bands.front() = region.y0;
  bands.back() = region.y1;

  std::vector<TextLine> lines;
  for (size_t band = 0; band + 1 < bands.size(); ++band) {
    std::vector<int> in_band;
    for (int index : members) {
      double cy = glyphs[index].box.cy();
      if (cy >= bands[band] && cy < bands[band + 1]) in_band.push_back(index);
    }
    for (auto& group : GroupLines(glyphs, in_band, 0.35 * em)) {
      TextLine line;
      double sum = 0;
      for (int index : group) sum += glyphs[index].box.cy();
      line.cy = sum / static_cast<double>(group.size());
      line.glyphs = std::move(group);
      line.band = static_cast<int>(band);
      lines.push_back(std::move(line));
    }
  }
  if (lines.empty()) return false;

  // Lines are body (a data row: carries a figure), column-number rows (栏次:
  // only small integers, or the word 栏次) or header text. The gaps of the
  // body are the column boundaries; header lines may span several columns
  // (决算数 over four) and only decide where the body says nothing. Column
  // numbers are centred while figures are right-aligned, so they decide
  // nothing.
  // A line of Latin letters is debris (a rule read together with the text
  // touching it): the headers of these tables are Chinese, and debris taken
  // for a header line would hide where a centred header's column is.
  enum class LineKind { kHeader, kColumnNumbers, kBody, kDebris };
  auto kind_of = [&](const TextLine& line) {
    std::vector<std::string> tokens;
    for (size_t k = 0; k < line.glyphs.size(); ++k) {
      const Glyph& g = glyphs[line.glyphs[k]];
      if (k == 0 || g.box.x0 - glyphs[line.glyphs[k - 1]].box.x1 >= 0.3 * em) tokens.emplace_back();
      tokens.back() += g.text;
    }
    // 栏次 may come apart at the ink gap between its two glyphs.
    std::string text;
    for (const std::string& token : tokens) text += token;
    if (text.find("栏次") != std::string::npos) return LineKind::kColumnNumbers;
    int figures = 0, small_integers = 0, words = 0, latin = 0;
    for (const std::string& token : tokens) {
      latin += std::any_of(token.begin(), token.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
      if (IsDashText(token)) {
        ++figures;  // a zero printed as a dash: the line is a row of the body
      } else if (!IsFigureText(token)) {
        ++words;
      } else if (token.size() <= 2 && token.find_first_not_of("0123456789") == std::string::npos) {
        ++small_integers;
      } else {
        ++figures;
      }
    }
    if (words == 0 && figures == 0 && small_integers >= 2) return LineKind::kColumnNumbers;
    if (figures + small_integers > 0) return LineKind::kBody;
    return 2 * latin >= static_cast<int>(tokens.size()) ? LineKind::kDebris : LineKind::kHeader;
  };
  std::vector<int> body_lines, header_lines, all_lines;
  for (size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
    const int idx = static_cast<int>(line_idx);
    all_lines.push_back(idx);
    const LineKind kind = kind_of(lines[line_idx]);
    if (kind == LineKind::kBody) body_lines.push_back(idx);
    if (kind == LineKind::kHeader) header_lines.push_back(idx);
  }

  // How many of the given lines put ink on each x position.
  const int n_bins = static_cast<int>(std::ceil(region.width() / kBin)) + 1;
  auto bin_of = [&](double x) { return std::clamp(static_cast<int>((x - region.x0) / kBin), 0, n_bins - 1); };
  auto profile = [&](const std::vector<int>& subset) {
    std::vector<int> count(n_bins, 0), last(n_bins, -1);
    for (int line_idx : subset) {
      for (int index : lines[line_idx].glyphs) {
        const Box& b = glyphs[index].box;
        for (int bin = bin_of(b.x0); bin <= bin_of(b.x1); ++bin) {
          if (last[bin] != line_idx) {
            last[bin] = line_idx;
            ++count[bin];
          }
        }
      }
    }
    return count;
  };
  // Lines with text close on both sides of a gap: evidence for a column
  // boundary where the gap alone is narrow.
  auto support = [&](const std::vector<int>& subset, double gap_x0, double gap_x1) {
    int n = 0;
    for (int line_idx : subset) {
      bool left = false, right = false;
      for (int index : lines[line_idx].glyphs) {
        const Box& b = glyphs[index].box;
        if (b.x1 <= gap_x0 + kBin && b.x1 >= gap_x0 - 2 * em) left = true;
        if (b.x0 >= gap_x1 - kBin && b.x0 <= gap_x1 + 2 * em) right = true;
      }
      if (left && right) ++n;
    }
    return n;
  };

  // Lines with a figure ending just left of a gap and another starting just
  // right of it: one figure never holds a space, so these are two columns.
  auto figures_apart = [&](const std::vector<int>& subset, double gap_x0, double gap_x1) {
    int n = 0;
    for (int line_idx : subset) {
      const Glyph* left = nullptr;
      const Glyph* right = nullptr;
      for (int index : lines[line_idx].glyphs) {
        const Glyph& g = glyphs[index];
        if (g.box.x1 <= gap_x0 + kBin) left = &g;
        if (g.box.x0 >= gap_x1 - kBin && right == nullptr) right = &g;
      }
      if (left != nullptr && right != nullptr && left->box.x1 >= gap_x0 - em && right->box.x0 <= gap_x1 + em &&
          IsFigureText(left->text) && IsFigureText(right->text)) {
        ++n;
      }
    }
    return n;
  };

  // Lines with an amount (decimals printed) ending just left of a gap and
  // a label's ideograph starting just right of it: a right-aligned figure
  // and the left-aligned name of the next column, however close they sit
  // (no name of these tables begins glued to an amount).
  auto amount_beside_label = [&](const std::vector<int>& subset, double gap_x0, double gap_x1) {
    int n = 0;
    for (int line_idx : subset) {
      const std::vector<int>& members_of_line = lines[line_idx].glyphs;
      for (size_t k = 0; k + 1 < members_of_line.size(); ++k) {
        const Glyph& left = glyphs[members_of_line[k]];
        const Glyph& right = glyphs[members_of_line[k + 1]];
        if (left.box.x1 > gap_x0 + kBin || right.box.x0 < gap_x1 - kBin) continue;
        // The name may begin some way right of the gap: its ordinal (一、)
        // is often what OCR lost.
        if (left.box.x1 < gap_x0 - 0.5 * em || right.box.x0 > gap_x1 + 3.0 * em) break;
        if (!StartsWithCjkIdeograph(right.text)) break;
        std::string token = left.text;
        for (size_t b = k; b > 0; --b) {
          const Glyph& before = glyphs[members_of_line[b - 1]];
          if (glyphs[members_of_line[b]].box.x0 - before.box.x1 >= 0.3 * em) break;
          token = before.text + token;
        }
        // A point OCR read as a colon between digits (310:44) is the point.
        for (size_t at = 1; at + 1 < token.size(); ++at) {
          if (token[at] == ':' && std::isdigit(static_cast<unsigned char>(token[at - 1])) &&
              std::isdigit(static_cast<unsigned char>(token[at + 1]))) {
            token[at] = '.';
          }
        }
        n += IsFigureText(token) && token.find('.') != std::string::npos &&
             std::any_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
        break;
      }
    }
    return n;
  };

  // Column boundaries within bins [from, to) of a profile: in every stretch
  // where few lines have ink, the emptiest part. Spanning headers are the few
  // lines allowed across.
  auto find_boundaries = [&](const std::vector<int>& subset, const std::vector<int>& count, int from, int to,
                             std::vector<double>& out) {
    const int n_lines = static_cast<int>(subset.size());
    const int low = std::max(1, n_lines / 10);
    for (int bin = from; bin < to;) {
      if (count[bin] > low) {
        ++bin;
        continue;
      }
      const int start = bin;
      while (bin < to && count[bin] <= low) ++bin;
      const int end = bin;
      // Empty margins inside the rules are no boundaries, but a stretch
      // reaching the border may still hold empty columns with just headers.
      const bool at_border = start == 0 || end == n_bins;
      // Gaps no line crosses are boundaries when wide enough (or backed by
      // text close on both sides); a stretch where only a spanning header
      // crosses gets one boundary in the middle of its emptiest part.
      bool found = false;
      int widest_start = start, widest_end = start;
      const int floor_count = *std::min_element(count.begin() + start, count.begin() + end);
      for (int sub = start; sub < end;) {
        if (count[sub] != floor_count) {
          ++sub;
          continue;
        }
        const int sub_start = sub;
        while (sub < end && count[sub] == floor_count) ++sub;
        if (sub - sub_start > widest_end - widest_start) {
          widest_start = sub_start;
          widest_end = sub;
        }
        if (floor_count != 0 || sub_start == 0 || sub == n_bins) continue;
        const double x0 = region.x0 + sub_start * kBin, x1 = region.x0 + sub * kBin;
        const double width = x1 - x0;
        const int backing = width >= 1.0 * em ? 0 : support(subset, x0, x1);
        if (width >= 1.0 * em || (width >= 0.6 * em && backing >= 2) ||
            (width >= 0.3 * em && backing >= std::max(3, n_lines / 4)) ||
            (width >= 0.3 * em && figures_apart(subset, x0, x1) >= 1) ||
            (width >= 0.15 * em && amount_beside_label(subset, x0, x1) >= 2)) {
          out.push_back((x0 + x1) / 2);
          found = true;
        }
      }
      const double stretch = (end - start) * kBin;
      const double stretch_x0 = region.x0 + start * kBin, stretch_x1 = region.x0 + end * kBin;
      if (!found && !at_border && stretch >= 0.3 * em && figures_apart(subset, stretch_x0, stretch_x1) >= 2) {
        // Figures on both sides in several rows, crossed only by a total
        // row's label: still two columns.
        out.push_back(region.x0 + (widest_start + widest_end) * kBin / 2);
      } else if (!found && !at_border && stretch >= 0.15 * em &&
                 amount_beside_label(subset, stretch_x0, stretch_x1) >= 2) {
        // Amounts beside names in several rows, crossed by a speck or a
        // line OCR ran together: still two columns.
        out.push_back(region.x0 + (widest_start + widest_end) * kBin / 2);
      } else if (!found && !at_border && stretch >= 1.8 * em) {
        const bool narrow = (widest_end - widest_start) * kBin < 0.6 * em;
        const int lo = narrow ? start : widest_start, hi = narrow ? end : widest_end;
        out.push_back(region.x0 + (lo + hi) * kBin / 2);
      }
    }
  };

  std::vector<double> boundaries;
  if (!body_lines.empty()) {
    const std::vector<int> body_count = profile(body_lines);
    find_boundaries(body_lines, body_count, 0, n_bins, boundaries);
    // Where the body leaves a wide gap (figures are right-aligned, and whole
    // columns may be blank) it cannot say where in the gap its boundaries
    // lie, or how many there are: the leaf headers say it. A header run with
    // two or more header runs under it spans columns (决算数 over 合计 and
    // the funds) and says nothing about them.
    const double body_top = lines[body_lines.front()].cy;
    struct Run {
      double x0, x1, cy;
    };
    std::vector<Run> runs;
    for (int line_idx : header_lines) {
      if (lines[line_idx].cy >= body_top) continue;
      const auto& members_of_line = lines[line_idx].glyphs;
      for (size_t k = 0; k < members_of_line.size(); ++k) {
        const Box b = SetWidth(glyphs[members_of_line[k]], em);
        if (k == 0 || b.x0 - SetWidth(glyphs[members_of_line[k - 1]], em).x1 >= 0.3 * em) {
          runs.push_back({b.x0, b.x1, lines[line_idx].cy});
        } else {
          runs.back().x1 = b.x1;
        }
      }
    }
    // A title is centred over the columns it spans, so over two header runs
    // of a lower line that stand symmetric about it, with the runs between
    // them under it and no other word of its own line over them. It may
    // overlap one run only (公务用车购置及运行费 over 小计 | 购置费 | 运行费)
    // or none, in the gap between the two middle ones (决算数 over 合计 |
    // 一般公共预算 || 政府性基金 | 国有资本经营): read as a leaf it would hide
    // the boundaries under it.
    const double title_tolerance = std::max(2.0, 0.4 * em);
    auto centred_over_pair = [&](const Run& run) {
      const double centre = (run.x0 + run.x1) / 2;
      for (const Run& left : runs) {
        // A level below, not the next line of a wrapped neighbour.
        if (left.cy - run.cy < 1.45 * em || (left.x0 + left.x1) / 2 >= run.x0) continue;
        for (const Run& right : runs) {
          if (std::abs(right.cy - left.cy) > 0.3 * em || (right.x0 + right.x1) / 2 <= run.x1) continue;
          const double pair_centre = (left.x0 + left.x1 + right.x0 + right.x1) / 4;
          if (std::abs(pair_centre - centre) > title_tolerance) continue;
          // The runs between the two are under it: the pair is its span's
          // ends, not two runs it merely happens to be centred between.
          const bool all_under = std::all_of(runs.begin(), runs.end(), [&](const Run& other) {
            return std::abs(other.cy - left.cy) > 0.3 * em || other.x0 <= left.x0 || other.x1 >= right.x1 ||
                   (other.x0 < run.x1 && other.x1 > run.x0);
          });
          if (!all_under) continue;
          const bool beside = std::any_of(runs.begin(), runs.end(), [&](const Run& other) {
            return &other != &run && std::abs(other.cy - run.cy) <= 0.3 * em && other.x1 > left.x0 &&
                   other.x0 < right.x1;
          });
          if (!beside) return true;
        }
      }
      return false;
    };
    std::vector<int> leaf_count(n_bins, 0);
    for (const Run& run : runs) {
      int under = 0;
      for (const Run& other : runs) {
        if (other.cy > run.cy + 0.3 * em && other.x0 < run.x1 && other.x1 > run.x0) ++under;
      }
      if (under >= 2 || centred_over_pair(run)) continue;
      for (int bin = bin_of(run.x0); bin <= bin_of(run.x1); ++bin) ++leaf_count[bin];
    }
    int first_ink = n_bins, last_ink = -1;
    for (int k = 0; k < n_bins; ++k) {
      if (leaf_count[k] != 0) {
        first_ink = std::min(first_ink, k);
        last_ink = k;
      }
    }
    // Label lines among the body's (names set apart from their figures):
    // where their ink begins inside a gap of the figures, names begin, and
    // no boundary falls inside their ink.
    std::vector<int> label_lines;
    for (int line_idx : header_lines) {
      if (line_idx > body_lines.front() && line_idx < body_lines.back()) label_lines.push_back(line_idx);
    }
    const std::vector<int> label_count = profile(label_lines);
    for (int bin = 0; bin < n_bins;) {
      if (body_count[bin] != 0) {
        ++bin;
        continue;
      }
      const int gap_start = bin;
      while (bin < n_bins && body_count[bin] == 0) ++bin;
      const int gap_end = bin;
      const double x0 = region.x0 + gap_start * kBin, x1 = region.x0 + gap_end * kBin;
      if ((gap_end - gap_start) * kBin < 1.0 * em) {
        // A narrow gap in the body (a right-aligned figure, then a left-aligned
        // code) is a boundary when the leaf headers are apart there too.
        const bool taken = std::any_of(boundaries.begin(), boundaries.end(),
                                       [&](double x) { return x > x0 && x < x1; });
        const bool headers_apart =
            gap_start > first_ink && gap_end < last_ink &&
            std::all_of(leaf_count.begin() + gap_start, leaf_count.begin() + gap_end, [](int c) { return c == 0; });
        if (!taken && headers_apart && (gap_end - gap_start) * kBin >= 0.3 * em) boundaries.push_back((x0 + x1) / 2);
        continue;
      }
      int names_from = gap_start;
      while (names_from < gap_end && label_count[names_from] == 0) ++names_from;
      const double before_names = (names_from - gap_start) * kBin;
      const bool names_begin =
          gap_start > 0 && names_from < gap_end && before_names >= 0.3 * em && before_names < 1.0 * em &&
          std::all_of(leaf_count.begin() + gap_start, leaf_count.begin() + names_from, [](int c) { return c == 0; });
      const double names_boundary = region.x0 + (gap_start + names_from) * kBin / 2;
      // Gaps between two leaf headers, clipped to the body's gap.
      std::vector<std::pair<int, int>> leaf_gaps;
      for (int k = std::max(first_ink, gap_start - 1); k <= std::min(last_ink, gap_end);) {
        if (leaf_count[k] != 0 || label_count[k] != 0) {
          ++k;
          continue;
        }
        int lo = k;
        while (k <= last_ink && leaf_count[k] == 0) ++k;
        int hi = k;
        while (lo > first_ink && leaf_count[lo - 1] == 0) --lo;
        lo = std::max(lo, gap_start);
        hi = std::min(hi, gap_end);
        if ((hi - lo) * kBin >= 0.3 * em) leaf_gaps.emplace_back(lo, hi);
      }
      if (leaf_gaps.empty()) {
        if (names_begin) boundaries.push_back(names_boundary);
        continue;
      }
      std::vector<std::pair<int, int>> chosen;
      for (const auto& gap : leaf_gaps) {
        if ((gap.second - gap.first) * kBin >= 0.5 * em) chosen.push_back(gap);
      }
      if (chosen.empty()) {
        chosen.push_back(*std::max_element(leaf_gaps.begin(), leaf_gaps.end(), [](const auto& x, const auto& y) {
          return x.second - x.first < y.second - y.first;
        }));
      }
      std::erase_if(boundaries, [&](double x) { return x > x0 && x < x1; });
      if (names_begin) boundaries.push_back(names_boundary);
      for (const auto& gap : chosen) boundaries.push_back(region.x0 + (gap.first + gap.second) * kBin / 2);
    }
    std::sort(boundaries.begin(), boundaries.end());
    boundaries.erase(std::unique(boundaries.begin(), boundaries.end(),
                                 [&](double a, double b) { return b - a < 0.5 * em; }),
                     boundaries.end());
    // A column with a header and no figure beside one with figures and no
    // header is one column: a centred header over right-aligned figures.
    auto any_in = [&](const std::vector<int>& count, double lo, double hi) {
      for (int bin = bin_of(lo) + 1; bin < bin_of(hi); ++bin) {
        if (count[bin] != 0) return true;
      }
      return false;
    };
    for (size_t i = 0; i < boundaries.size();) {
      const double left_lo = i == 0 ? region.x0 : boundaries[i - 1];
      const double right_hi = i + 1 < boundaries.size() ? boundaries[i + 1] : region.x1;
      const bool left_header = any_in(leaf_count, left_lo, boundaries[i]);
      const bool left_body = any_in(body_count, left_lo, boundaries[i]);
      const bool right_header = any_in(leaf_count, boundaries[i], right_hi);
      const bool right_body = any_in(body_count, boundaries[i], right_hi);
      if ((left_header && !left_body && right_body && !right_header) ||
          (left_body && !left_header && right_header && !right_body)) {
        boundaries.erase(boundaries.begin() + static_cast<long>(i));
      } else {
        ++i;
      }
    }
    // Names set apart from their figures (figures above or below their
    // labels), every one of them left of every figure: a column of names,
    // however few rows (a page's tail of three rows, no header).
    if (boundaries.empty() && !label_lines.empty()) {
      int label_last = -1, body_first = n_bins;
      for (int bin = 0; bin < n_bins; ++bin) {
        if (label_count[bin] != 0) label_last = bin;
        if (body_count[bin] != 0) body_first = std::min(body_first, bin);
      }
      if (label_last >= 0 && body_first < n_bins && (body_first - label_last) * kBin >= 0.5 * em) {
        boundaries.push_back(region.x0 + (label_last + 1 + body_first) * kBin / 2);
      }
    }
  } else {
    find_boundaries(all_lines, profile(all_lines), 0, n_bins, boundaries);
  }
  if (debug::Tables()) {
    std::fprintf(stderr, "text grid [%.0f,%.0f]-[%.0f,%.0f] em %.1f, boundaries:", region.x0, region.y0, region.x1,
                 region.y1, em);
    for (double x : boundaries) std::fprintf(stderr, " %.1f", x);
    std::fprintf(stderr, "\n");
    for (int line_idx : body_lines) {
      std::fprintf(stderr, "  body %.0f:", lines[line_idx].cy);
      for (int index : lines[line_idx].glyphs)
        std::fprintf(stderr, " %s[%.1f,%.1f]", glyphs[index].text.c_str(), glyphs[index].box.x0, glyphs[index].box.x1);
      std::fprintf(stderr, "\n");
    }
  }
  if (boundaries.empty()) return false;

  grid.col_edges.clear();
  grid.col_edges.push_back(region.x0);
  grid.col_edges.insert(grid.col_edges.end(), boundaries.begin(), boundaries.end());
  grid.col_edges.push_back(region.x1);
  const int n_cols = static_cast<int>(grid.col_edges.size()) - 1;

  // Rows: the rules, and every text line of a band a row of its own. The
  // lines of one printed body row (a wrapped label, a figure set above its
  // label) are joined by the mapper, which can tell them by their row keys;
  // the lines of one wrapped header cell are joined below (split_below),
  // where the layout alone speaks.
  std::vector<double> row_edges(bands.begin(), bands.end());
  std::vector<char> from_rule(bands.size(), 1);
  std::vector<std::pair<double, char>> extra;
  std::vector<int> first_body(bands.size(), static_cast<int>(lines.size()));
  for (int line_idx : body_lines) first_body[lines[line_idx].band] = std::min(first_body[lines[line_idx].band], line_idx);
  for (size_t line_idx = 1; line_idx < lines.size(); ++line_idx) {
    const TextLine& above = lines[line_idx - 1];
    const TextLine& below = lines[line_idx];
    if (above.band == below.band) extra.emplace_back((above.cy + below.cy) / 2, 0);
  }
  if (!extra.empty()) {
    std::vector<std::pair<double, char>> all;
    for (size_t i = 0; i < bands.size(); ++i) all.emplace_back(bands[i], 1);
    all.insert(all.end(), extra.begin(), extra.end());
    std::sort(all.begin(), all.end());
    row_edges.clear();
    from_rule.clear();
    for (const auto& [y, rule] : all) {
      row_edges.push_back(y);
      from_rule.push_back(rule);
    }
  }
  grid.row_edges = row_edges;
  grid.row_edge_between_lines.assign(row_edges.size(), 0);
  for (size_t i = 0; i < row_edges.size(); ++i) grid.row_edge_between_lines[i] = from_rule[i] ? 0 : 1;

  // Rules by row edge, for partial rules that separate only some columns.
  std::vector<std::vector<Segment>> edge_rules(row_edges.size());
  for (const Segment& s : rules) {
    size_t nearest = 0;
    for (size_t i = 1; i < row_edges.size(); ++i) {
      if (from_rule[i] && std::abs(row_edges[i] - s.pos) < std::abs(row_edges[nearest] - s.pos)) nearest = i;
    }
    edge_rules[nearest].push_back(s);
  }
  // A partial rule under a header row spans the columns of the one header
  // printed above it.
  auto covers = [&](const Segment& rule, int col_idx) {
    return Coverage({rule}, grid.col_edges[col_idx], grid.col_edges[col_idx + 1]) >= 0.5;
  };
  auto has_text = [&](int row_idx, int col_idx) {
    const Box slot{grid.col_edges[col_idx], row_edges[row_idx], grid.col_edges[col_idx + 1], row_edges[row_idx + 1]};
    for (int index : members) {
      if (slot.Contains(glyphs[index].box.cx(), glyphs[index].box.cy())) return true;
    }
    return false;
  };
  // Words, not numbers (a 栏次 line under a header is no header level).
  auto has_words = [&](int row_idx, int col_idx) {
    const Box slot{grid.col_edges[col_idx], row_edges[row_idx], grid.col_edges[col_idx + 1], row_edges[row_idx + 1]};
    for (int index : members) {
      const Glyph& g = glyphs[index];
      if (slot.Contains(g.box.cx(), g.box.cy()) && !g.text.empty() && !IsFigureText(g.text)) return true;
    }
    return false;
  };
  auto spanned_by_rule = [&](int row_idx, int col_idx) {
    if (!from_rule[row_idx + 1]) return false;
    for (const Segment& rule : edge_rules[row_idx + 1]) {
      if (rule.length() > 0.9 * region.width() || !covers(rule, col_idx) || !covers(rule, col_idx + 1)) continue;
      int first = col_idx, last = col_idx + 1;
      while (first > 0 && covers(rule, first - 1)) --first;
      while (last + 1 < n_cols && covers(rule, last + 1)) ++last;
      int with_text = 0;
      for (int c = first; c <= last; ++c) with_text += has_text(row_idx, c) ? 1 : 0;
      return with_text == 1;
    }
    return false;
  };
  // The text line of each row (rows are lines, or bands between rules).
  const int n_rows = static_cast<int>(row_edges.size()) - 1;
  std::vector<int> line_of_row(n_rows, -1);
  for (size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
    for (int row_idx = 0; row_idx < n_rows; ++row_idx) {
      if (line_of_row[row_idx] < 0 && lines[line_idx].cy >= row_edges[row_idx] &&
          lines[line_idx].cy < row_edges[row_idx + 1]) {
        line_of_row[row_idx] = static_cast<int>(line_idx);
      }
    }
  }
  auto header_row = [&](int row_idx) {
    const int l = line_of_row[row_idx];
    return l >= 0 && l < first_body[lines[l].band];
  };
  // Group titles of the header: without vertical rules a title's extent is
  // not printed, only centred over its columns. Its range is the widest run
  // of columns centred on it that holds no other words of its line and
  // heads words of at least two columns below it (预算数 over six columns,
  // not the two its glyphs happen to cross).
  struct GroupSpan {
    int row, first, last;
  };
  std::vector<GroupSpan> group_spans;
  const double centre_tolerance = std::max(2.0, 0.4 * em);
  for (int row_idx = 0; row_idx < n_rows; ++row_idx) {
    if (!header_row(row_idx)) continue;
    const TextLine& line = lines[line_of_row[row_idx]];
    std::vector<std::pair<double, double>> runs;
    for (size_t k = 0; k < line.glyphs.size(); ++k) {
      const Box& b = glyphs[line.glyphs[k]].box;
      if (k == 0 || b.x0 - glyphs[line.glyphs[k - 1]].box.x1 >= 0.3 * em) {
        runs.emplace_back(b.x0, b.x1);
      } else {
        runs.back().second = b.x1;
      }
    }
    for (size_t r = 0; r < runs.size(); ++r) {
      const auto [x0, x1] = runs[r];
      const double centre = (x0 + x1) / 2;
      int best_first = -1, best_last = -1;
      for (int first = 0; first < n_cols; ++first) {
        for (int last = first + 1; last < n_cols; ++last) {
          const double left = grid.col_edges[first], right = grid.col_edges[last + 1];
          if (left > x0 + kBin || right < x1 - kBin) continue;
          // The region's outer edges are the outermost words, not the
          // printed columns' edges: a range reaching them is less certain.
          const double slack = (first == 0 ? em : 0.0) + (last == n_cols - 1 ? em : 0.0);
          if (std::abs((left + right) / 2 - centre) > centre_tolerance + slack) continue;
          bool alone = true;
          for (size_t o = 0; o < runs.size(); ++o) {
            alone = alone && (o == r || runs[o].second <= left || runs[o].first >= right);
          }
          if (!alone || last - first <= best_last - best_first) continue;
          int headed = 0;
          for (int c = first; c <= last; ++c) {
            bool below = false;
            for (int r2 = row_idx + 1; r2 < n_rows && header_row(r2) && !below; ++r2) {
              // A level below, not the next line of a wrapped neighbour.
              below = lines[line_of_row[r2]].cy - line.cy >= 1.45 * em && has_words(r2, c);
            }
            headed += below;
          }
          // Titles above it must be groups over the whole range (a leaf of
          // a column above would not head columns beside it).
          bool nested = true;
          for (int r_above = 0; r_above < row_idx && nested; ++r_above) {
            if (!header_row(r_above)) continue;
            for (int c = first; c <= last && nested; ++c) {
              if (!has_words(r_above, c)) continue;
              nested = std::any_of(group_spans.begin(), group_spans.end(), [&](const GroupSpan& g) {
                return g.row == r_above && g.first <= first && last <= g.last;
              });
            }
          }
          if (headed >= 2 && nested) {
            best_first = first;
            best_last = last;
          }
        }
      }
      if (best_first >= 0) group_spans.push_back({row_idx, best_first, best_last});
    }
  }
  auto spans_columns = [&](int row_idx, int col_idx) {
    return std::any_of(group_spans.begin(), group_spans.end(), [&](const GroupSpan& g) {
      return g.row == row_idx && g.first <= col_idx && col_idx <= g.last;
    });
  };
  auto split_right = [&](int row_idx, int col_idx) {
    if (spanned_by_rule(row_idx, col_idx)) return false;
    if (spans_columns(row_idx, col_idx) && spans_columns(row_idx, col_idx + 1)) {
      for (const GroupSpan& g : group_spans) {
        if (g.row == row_idx && g.first <= col_idx && col_idx + 1 <= g.last) return false;
      }
    }
    const double x = grid.col_edges[col_idx + 1];
    for (size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
      const TextLine& line = lines[line_idx];
      if (line.cy < row_edges[row_idx] || line.cy >= row_edges[row_idx + 1]) continue;
      const bool header = static_cast<int>(line_idx) < first_body[line.band];
      if (LineCrosses(glyphs, line, x, em, header)) return false;
    }
    return true;
  };
  // Header words of one cell wrapped over lines, with other columns' lines
  // between them: the column's slots from one to the next are one cell.
  std::vector<std::vector<char>> join_below(n_rows, std::vector<char>(n_cols, 0));
  for (int col_idx = 0; col_idx < n_cols; ++col_idx) {
    int previous = -1;
    for (int row_idx = 0; row_idx < n_rows; ++row_idx) {
      if (!header_row(row_idx) || !has_text(row_idx, col_idx) || spans_columns(row_idx, col_idx)) continue;
      if (previous >= 0 && lines[line_of_row[row_idx]].band == lines[line_of_row[previous]].band &&
          lines[line_of_row[row_idx]].cy - lines[line_of_row[previous]].cy < 1.45 * em) {
        for (int r = previous; r < row_idx; ++r) join_below[r][col_idx] = 1;
      }
      previous = row_idx;
    }
  }
  auto split_below = [&](int row_idx, int col_idx) {
    const size_t edge = row_idx + 1;
    if (!from_rule[edge]) return !join_below[row_idx][col_idx];
    return Coverage(edge_rules[edge], grid.col_edges[col_idx], grid.col_edges[col_idx + 1]) >= 0.5;
  };
  grid.cells = BuildCells(grid.row_edges, grid.col_edges, split_right, split_below);
  grid.box = region;
  grid.ruling = Ruling::kHorizontalOnly;
  return true;
}

}  // namespace juesuan::tables_internal
