// Table detection with OpenCV: adaptive binarisation, ruling lines by
// morphological opening with long thin kernels, lines grouped into table
// regions by their intersections, cells from the line coverage of each slot
// boundary. Tables with horizontal rules only get their columns from the text.
#include <algorithm>
#include <cmath>
#include <numeric>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "pipeline/tables/grid_internal.h"
#include "pipeline/tables/table_detector.h"

namespace juesuan {
namespace {

using tables_internal::Segment;

// A run of ink pixels along one row (horizontal) or one column (vertical).
struct Run {
  int across = 0;         // row for a horizontal run, column for a vertical one
  int from = 0, to = 0;   // [from, to) along the run
};

// A connected set of long runs, in pixels.
struct RunGroup {
  int lo = 0, hi = 0;          // extent along the line
  int first = 0, last = 0;     // extent across it
  double weighted_across = 0;  // sum of run length * position across
  long area = 0;
};

// The page as ink (darker than the local mean by a margin, which keeps faint
// rules on grey scans, or dark outright) and the long horizontal and vertical
// ink runs: a run of at least `min_len` pixels is what an opening with a
// 1 x min_len kernel keeps.
struct InkScan {
  cv::Mat ink;
  std::vector<Run> horizontal, vertical;
};

int OddAtLeast(double value, int minimum) {
  int v = std::max(minimum, static_cast<int>(std::lround(value)));
  return v % 2 == 0 ? v + 1 : v;
}

InkScan ScanInk(const cv::Mat& gray, double dpi, int min_len) {
  constexpr int kMargin = 12;
  constexpr int kDark = 96;
  InkScan scan;
  cv::Mat mean;
  const int block = OddAtLeast(0.15 * dpi, 7);
  cv::blur(gray, mean, cv::Size(block, block), cv::Point(-1, -1), cv::BORDER_REPLICATE);
  scan.ink.create(gray.size(), CV_8U);
  std::vector<int> column_start(gray.cols, -1);
  for (int y = 0; y < gray.rows; ++y) {
    const uint8_t* g = gray.ptr<uint8_t>(y);
    const uint8_t* m = mean.ptr<uint8_t>(y);
    uint8_t* out = scan.ink.ptr<uint8_t>(y);
    int row_start = -1;
    for (int x = 0; x < gray.cols; ++x) {
      const bool ink = g[x] + kMargin < m[x] || g[x] < kDark;
      out[x] = ink ? 255 : 0;
      if (ink) {
        if (row_start < 0) row_start = x;
        if (column_start[x] < 0) column_start[x] = y;
      } else {
        if (row_start >= 0 && x - row_start >= min_len) scan.horizontal.push_back({y, row_start, x});
        row_start = -1;
        if (column_start[x] >= 0 && y - column_start[x] >= min_len) scan.vertical.push_back({x, column_start[x], y});
        column_start[x] = -1;
      }
    }
    if (row_start >= 0 && gray.cols - row_start >= min_len) scan.horizontal.push_back({y, row_start, gray.cols});
  }
  for (int x = 0; x < gray.cols; ++x) {
    if (column_start[x] >= 0 && gray.rows - column_start[x] >= min_len) {
      scan.vertical.push_back({x, column_start[x], gray.rows});
    }
  }
  return scan;
}

// Groups runs (sorted by `across`) into connected lines and converts them to
// segments in points. Blocks (filled areas) are not lines and are dropped.
std::vector<Segment> RunSegments(std::vector<Run> runs, double pt_per_px) {
  std::sort(runs.begin(), runs.end(),
            [](const Run& a, const Run& b) { return a.across != b.across ? a.across < b.across : a.from < b.from; });
  std::vector<RunGroup> done, active;
  for (const Run& run : runs) {
    // Retire groups that the scan has left behind.
    for (size_t i = 0; i < active.size();) {
      if (active[i].last < run.across - 1) {
        done.push_back(active[i]);
        active[i] = active.back();
        active.pop_back();
      } else {
        ++i;
      }
    }
    RunGroup* home = nullptr;
    for (RunGroup& group : active) {
      if (run.from <= group.hi && run.to >= group.lo) {
        home = &group;
        break;
      }
    }
    const int length = run.to - run.from;
    if (home == nullptr) {
      active.push_back({run.from, run.to, run.across, run.across, 0.0, 0});
      home = &active.back();
    }
    home->lo = std::min(home->lo, run.from);
    home->hi = std::max(home->hi, run.to);
    home->last = run.across;
    home->weighted_across += static_cast<double>(length) * (run.across + 0.5);
    home->area += length;
  }
  done.insert(done.end(), active.begin(), active.end());
  const double max_thickness = std::max(3.0, 3.0 / pt_per_px);
  std::vector<Segment> segments;
  for (const RunGroup& group : done) {
    const int length = group.hi - group.lo;
    if (static_cast<double>(group.area) / length > max_thickness) continue;
    segments.push_back({group.weighted_across / static_cast<double>(group.area) * pt_per_px, group.lo * pt_per_px,
                        group.hi * pt_per_px});
  }
  return segments;
}

// Joins collinear pieces: same position within `merge`, gap below `gap`.
std::vector<Segment> MergeSegments(std::vector<Segment> segments, double merge, double gap) {
  std::sort(segments.begin(), segments.end(), [](const Segment& a, const Segment& b) { return a.lo < b.lo; });
  std::vector<Segment> merged;
  std::vector<double> weight;
  for (const Segment& s : segments) {
    bool joined = false;
    for (size_t i = 0; i < merged.size(); ++i) {
      Segment& m = merged[i];
      if (std::abs(m.pos - s.pos) <= merge && s.lo <= m.hi + gap) {
        const double w = std::max(1e-6, s.length());
        m.pos = (m.pos * weight[i] + s.pos * w) / (weight[i] + w);
        weight[i] += w;
        m.hi = std::max(m.hi, s.hi);
        joined = true;
        break;
      }
    }
    if (!joined) {
      merged.push_back(s);
      weight.push_back(std::max(1e-6, s.length()));
    }
  }
  return merged;
}

// Distinct positions of a set of segments, with the segments at each.
struct LinePosition {
  double pos = 0;
  std::vector<Segment> segments;
};

std::vector<LinePosition> ClusterPositions(std::vector<Segment> segments, double merge) {
  std::sort(segments.begin(), segments.end(), [](const Segment& a, const Segment& b) { return a.pos < b.pos; });
  std::vector<LinePosition> positions;
  double weight = 0;
  for (const Segment& s : segments) {
    if (positions.empty() || s.pos - positions.back().pos > merge) {
      positions.push_back({s.pos, {s}});
      weight = std::max(1e-6, s.length());
    } else {
      LinePosition& p = positions.back();
      const double w = std::max(1e-6, s.length());
      p.pos = (p.pos * weight + s.pos * w) / (weight + w);
      weight += w;
      p.segments.push_back(s);
    }
  }
  return positions;
}

// Edges from line positions plus the region's borders where no line is.
std::vector<double> EdgesWithBorders(const std::vector<LinePosition>& positions, double lo, double hi,
                                     double merge) {
  std::vector<double> edges;
  for (const LinePosition& p : positions) edges.push_back(p.pos);
  if (edges.empty() || edges.front() - lo > merge) edges.insert(edges.begin(), lo);
  if (edges.back() < hi - merge) edges.push_back(hi);
  return edges;
}

// The positions whose lines cover at least one whole slot between two
// consecutive `edges` across them.
std::vector<LinePosition> SpanningPositions(const std::vector<LinePosition>& positions,
                                            const std::vector<double>& edges) {
  std::vector<LinePosition> kept;
  for (const LinePosition& p : positions) {
    for (size_t i = 0; i + 1 < edges.size(); ++i) {
      if (tables_internal::Coverage(p.segments, edges[i], edges[i + 1]) >= 0.9) {
        kept.push_back(p);
        break;
      }
    }
  }
  return kept;
}

const LinePosition* PositionAt(const std::vector<LinePosition>& positions, double pos, double merge) {
  for (const LinePosition& p : positions) {
    if (std::abs(p.pos - pos) <= merge) return &p;
  }
  return nullptr;
}

int FindRoot(std::vector<int>& parent, int i) {
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

// The share of a rule's course between `lo` and `hi` (points along it, at
// `pos` across it) that has ink within a pixel or two, its ends left out. A
// rule that a scan broke into pieces too short to count as lines (speckle,
// JPEG, a faint stroke) still shows here, where a merged cell shows paper.
double InkAlongRule(const cv::Mat& ink, bool vertical, double pos, double lo, double hi, double pt_per_px) {
  const double inset = 0.15 * (hi - lo);
  const int from = static_cast<int>(std::lround((lo + inset) / pt_per_px));
  const int to = static_cast<int>(std::lround((hi - inset) / pt_per_px));
  const int across = static_cast<int>(std::lround(pos / pt_per_px));
  const int reach = std::max(1, static_cast<int>(std::lround(0.6 / pt_per_px)));
  const int along_limit = vertical ? ink.rows : ink.cols;
  const int across_limit = vertical ? ink.cols : ink.rows;
  int inked = 0, total = 0;
  for (int t = std::max(0, from); t < std::min(to, along_limit); ++t) {
    ++total;
    for (int a = std::max(0, across - reach); a <= std::min(across_limit - 1, across + reach); ++a) {
      if ((vertical ? ink.at<uint8_t>(t, a) : ink.at<uint8_t>(a, t)) != 0) {
        ++inked;
        break;
      }
    }
  }
  return total > 0 ? static_cast<double>(inked) / total : 0.0;
}

// A fully ruled grid from the lines of one region. A slot boundary is ruled
// when the detected lines cover half of it, or when the page's ink follows
// the rule's course along nearly all of it (a rule broken by the scan).
TableGrid RuledGrid(const Box& box, const std::vector<LinePosition>& rows, const std::vector<LinePosition>& cols,
                    double merge, const cv::Mat& ink, double pt_per_px) {
  constexpr double kBrokenRuleInk = 0.85;
  TableGrid grid;
  grid.box = box;
  grid.ruling = Ruling::kFull;
  grid.row_edges = EdgesWithBorders(rows, box.y0, box.y1, merge);
  grid.col_edges = EdgesWithBorders(cols, box.x0, box.x1, merge);
  auto split_right = [&](int row_idx, int col_idx) {
    const LinePosition* line = PositionAt(cols, grid.col_edges[col_idx + 1], merge);
    if (line == nullptr) return false;
    const double lo = grid.row_edges[row_idx], hi = grid.row_edges[row_idx + 1];
    return tables_internal::Coverage(line->segments, lo, hi) >= 0.5 ||
           InkAlongRule(ink, true, line->pos, lo, hi, pt_per_px) >= kBrokenRuleInk;
  };
  auto split_below = [&](int row_idx, int col_idx) {
    const LinePosition* line = PositionAt(rows, grid.row_edges[row_idx + 1], merge);
    if (line == nullptr) return false;
    const double lo = grid.col_edges[col_idx], hi = grid.col_edges[col_idx + 1];
    return tables_internal::Coverage(line->segments, lo, hi) >= 0.5 ||
           InkAlongRule(ink, false, line->pos, lo, hi, pt_per_px) >= kBrokenRuleInk;
  };
  grid.cells = tables_internal::BuildCells(grid.row_edges, grid.col_edges, split_right, split_below);
  return grid;
}

// Ink components off the rules, as stand-in glyphs (pages without a text
// layer).
std::vector<Glyph> InkGlyphs(const InkScan& scan, double pt_per_px) {
  cv::Mat text = scan.ink.clone();
  for (const Run& run : scan.horizontal) text.row(run.across).colRange(run.from, run.to).setTo(0);
  for (const Run& run : scan.vertical) text.col(run.across).rowRange(run.from, run.to).setTo(0);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(text, labels, stats, centroids, 8, CV_32S);
  std::vector<Glyph> glyphs;
  for (int i = 1; i < n; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (stats.at<int>(i, cv::CC_STAT_AREA) < 3 || (w < 2 && h < 2)) continue;
    Glyph g;
    g.box = Box{x * pt_per_px, y * pt_per_px, (x + w) * pt_per_px, (y + h) * pt_per_px};
    glyphs.push_back(std::move(g));
  }
  return glyphs;
}

bool Overlaps(const Box& a, const Box& b) { return a.OverlapX(b) > 0 && a.OverlapY(b) > 0; }

}  // namespace

std::vector<TableGrid> DetectTables(const Raster& page, const std::vector<Glyph>& glyphs,
                                    const DetectOptions& options) {
  std::vector<TableGrid> tables;
  if (page.width <= 0 || page.height <= 0 || page.dpi <= 0 ||
      page.pixels.size() < static_cast<size_t>(page.width) * page.height) {
    return tables;
  }
  const double pt_per_px = page.PointsPerPixel();
  const cv::Mat gray(page.height, page.width, CV_8U, const_cast<uint8_t*>(page.pixels.data()));

  const int min_len_px = std::max(8, static_cast<int>(std::lround(options.min_line_length_pt / pt_per_px)));
  const InkScan scan = ScanInk(gray, page.dpi, min_len_px);
  const double merge = std::max(options.merge_distance_pt, 1.5 * pt_per_px);
  const double gap = std::max(6.0, 4 * pt_per_px);
  std::vector<Segment> h_lines = MergeSegments(RunSegments(scan.horizontal, pt_per_px), merge, gap);
  std::vector<Segment> v_lines = MergeSegments(RunSegments(scan.vertical, pt_per_px), merge, gap);

  // Regions: horizontal and vertical lines that touch, transitively.
  const int n_h = static_cast<int>(h_lines.size()), n_v = static_cast<int>(v_lines.size());
  std::vector<int> parent(n_h + n_v);
  std::iota(parent.begin(), parent.end(), 0);
  const double touch = merge + pt_per_px;
  for (int h = 0; h < n_h; ++h) {
    for (int v = 0; v < n_v; ++v) {
      const Segment& a = h_lines[h];
      const Segment& b = v_lines[v];
      if (b.pos >= a.lo - touch && b.pos <= a.hi + touch && a.pos >= b.lo - touch && a.pos <= b.hi + touch) {
        int ra = FindRoot(parent, h), rb = FindRoot(parent, n_h + v);
        if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
      }
    }
  }
  std::vector<std::vector<int>> groups(n_h + n_v);
  for (int i = 0; i < n_h + n_v; ++i) groups[FindRoot(parent, i)].push_back(i);

  std::vector<Glyph> ink_glyphs;
  bool ink_glyphs_ready = false;
  auto text_for_inference = [&]() -> const std::vector<Glyph>& {
    if (!glyphs.empty()) return glyphs;
    if (!ink_glyphs_ready) {
      ink_glyphs = InkGlyphs(scan, pt_per_px);
      ink_glyphs_ready = true;
    }
    return ink_glyphs;
  };
  std::vector<Box> caption_lines;
  bool caption_lines_ready = false;
  auto captions = [&]() -> const std::vector<Box>& {
    if (!caption_lines_ready) {
      caption_lines = tables_internal::FindCaptionLines(glyphs);
      caption_lines_ready = true;
    }
    return caption_lines;
  };
  auto big_enough = [&](const Box& b) {
    return b.width() >= options.min_table_width_pt && b.height() >= options.min_table_height_pt;
  };

  std::vector<char> h_used(n_h, 0);
  for (const auto& group : groups) {
    std::vector<Segment> rows, cols;
    for (int i : group) (i < n_h ? rows.push_back(h_lines[i]) : cols.push_back(v_lines[i - n_h]));
    if (rows.empty() || cols.empty()) continue;
    Box box{1e18, 1e18, -1e18, -1e18};
    for (const Segment& s : rows) box = box.Union(Box{s.lo, s.pos, s.hi, s.pos});
    for (const Segment& s : cols) box = box.Union(Box{s.pos, s.lo, s.pos, s.hi});
    if (!big_enough(box)) continue;
    for (int i : group) {
      if (i < n_h) h_used[i] = 1;
    }
    std::vector<LinePosition> row_positions = ClusterPositions(rows, merge);
    std::vector<LinePosition> col_positions = ClusterPositions(cols, merge);
    // A rule separates at least one whole slot; shorter pieces touching the
    // lines are strokes of text.
    for (int pass = 0; pass < 2; ++pass) {
      row_positions = SpanningPositions(row_positions, EdgesWithBorders(col_positions, box.x0, box.x1, merge));
      col_positions = SpanningPositions(col_positions, EdgesWithBorders(row_positions, box.y0, box.y1, merge));
    }
    TableGrid grid = RuledGrid(box, row_positions, col_positions, merge, scan.ink, pt_per_px);
    if (grid.n_cols() == 1) {
      // Only the outer border is ruled vertically: the columns are in the text.
      TableGrid text_grid;
      if (tables_internal::InferTextGrid(box, rows, text_for_inference(), text_grid)) grid = std::move(text_grid);
    }
    if (grid.n_rows() * grid.n_cols() < 2) continue;
    tables.push_back(std::move(grid));
  }

  // Horizontal rules of (nearly) the same extent, stacked, outside the ruled
  // tables: tables ruled horizontally only.
  std::vector<int> free_rules;
  for (int h = 0; h < n_h; ++h) {
    if (h_used[h] || h_lines[h].length() < options.min_table_width_pt) continue;
    bool inside = false;
    for (const TableGrid& t : tables) {
      if (t.box.Contains(h_lines[h].lo + 1, h_lines[h].pos) || t.box.Contains(h_lines[h].hi - 1, h_lines[h].pos)) {
        inside = true;
      }
    }
    if (!inside) free_rules.push_back(h);
  }
  std::sort(free_rules.begin(), free_rules.end(),
            [&](int a, int b) { return h_lines[a].length() > h_lines[b].length(); });
  std::vector<char> grouped(n_h, 0);
  const size_t n_ruled = tables.size();
  // Stacks of horizontal rules: regions of tables ruled horizontally only,
  // their grids inferred once their extent is known.
  struct RuleStack {
    Box box;
    std::vector<Segment> rules;
  };
  std::vector<RuleStack> rule_stacks;
  for (int seed : free_rules) {
    if (grouped[seed]) continue;
    const Segment& s = h_lines[seed];
    const double tol = std::max(10.0, 0.03 * s.length());
    std::vector<Segment> rules;
    for (int h : free_rules) {
      if (grouped[h]) continue;
      const Segment& r = h_lines[h];
      if (std::abs(r.lo - s.lo) <= tol && std::abs(r.hi - s.hi) <= tol) rules.push_back(r);
    }
    if (rules.size() < 2) continue;
    std::sort(rules.begin(), rules.end(), [](const Segment& a, const Segment& b) { return a.pos < b.pos; });
    // Rules separated by a ruled table, or by a title, caption or note
    // between them, belong to different tables.
    std::vector<std::vector<Segment>> stacks(1);
    for (const Segment& r : rules) {
      if (!stacks.back().empty()) {
        const Segment& prev = stacks.back().back();
        Box between{std::min(prev.lo, r.lo), prev.pos, std::max(prev.hi, r.hi), r.pos};
        bool blocked = false;
        for (size_t t = 0; t < n_ruled; ++t) blocked = blocked || Overlaps(between, tables[t].box);
        for (const Box& caption : captions()) {
          blocked = blocked || (caption.cy() > between.y0 && caption.cy() < between.y1 &&
                                caption.OverlapX(between) > 0);
        }
        if (blocked) stacks.emplace_back();
      }
      stacks.back().push_back(r);
    }
    for (auto& stack : stacks) {
      if (stack.size() < 2) continue;
      Box box{1e18, stack.front().pos, -1e18, stack.back().pos};
      for (const Segment& r : stack) {
        box.x0 = std::min(box.x0, r.lo);
        box.x1 = std::max(box.x1, r.hi);
      }
      if (!big_enough(box)) continue;
      // Partial rules inside the region (under spanning headers) join it.
      std::vector<Segment> all_rules = stack;
      for (int h : free_rules) {
        const Segment& r = h_lines[h];
        if (grouped[h] || r.pos <= box.y0 + merge || r.pos >= box.y1 - merge) continue;
        if (r.lo >= box.x0 - tol && r.hi <= box.x1 + tol) all_rules.push_back(r);
      }
      for (int h : free_rules) {
        const Segment& r = h_lines[h];
        if (r.pos >= box.y0 - merge && r.pos <= box.y1 + merge && r.lo >= box.x0 - tol && r.hi <= box.x1 + tol) {
          grouped[h] = 1;
        }
      }
      rule_stacks.push_back({box, std::move(all_rules)});
    }
  }

  // Tables printed without any rules, found in the text that is left. Text
  // of that kind right under (or over) a stack of rules is the body of that
  // table continuing past its last rule (a 三线表 whose bottom rule is on the
  // next page) and joins it.
  std::vector<Box> unruled;
  if (!glyphs.empty() && options.find_unruled_tables) {
    std::vector<Box> taken;
    for (const TableGrid& t : tables) taken.push_back(t.box);
    for (const RuleStack& stack : rule_stacks) taken.push_back(stack.box);
    const double em = tables_internal::TypicalEm(glyphs);
    // A region too slight to be a table alone (a label and its one figure)
    // joins a stack it touches all the same: the first row of a page's tail
    // set above the first rule (rules under every row), or the last row
    // left under the last one.
    std::vector<Box> slight;
    const std::vector<Box> regions = tables_internal::FindUnruledTableRegions(glyphs, taken, &slight);
    auto join = [&](const Box& region) {
      for (RuleStack& stack : rule_stacks) {
        const bool below = region.y0 >= stack.box.y1 - 1 && region.y0 - stack.box.y1 < 3 * em;
        const bool above = region.y1 <= stack.box.y0 + 1 && stack.box.y0 - region.y1 < 3 * em;
        if ((below || above) && region.OverlapX(stack.box) > 0.5 * std::min(region.width(), stack.box.width())) {
          stack.box = stack.box.Union(Box{stack.box.x0, region.y0, stack.box.x1, region.y1});
          return true;
        }
      }
      return false;
    };
    for (const Box& region : regions) {
      if (!join(region)) unruled.push_back(region);
    }
    // A slight region that opens the page (nothing above it but the running
    // header) is the last row of a table continued from the page before,
    // printed alone ("公用经费合计 2224.28"): a table part of its own, which
    // the mapper joins to that table or leaves unkeyed.
    const double page_height_pt = page.height * pt_per_px;
    auto opens_page = [&](const Box& region) {
      return std::none_of(glyphs.begin(), glyphs.end(), [&](const Glyph& g) {
        return !tables_internal::IsBlank(g.text) && g.box.cy() < region.y0 && g.box.cy() > 0.08 * page_height_pt;
      });
    };
    for (const Box& region : slight) {
      if (!join(region) && opens_page(region)) unruled.push_back(region);
    }
  }
  for (const RuleStack& stack : rule_stacks) {
    TableGrid grid;
    if (!tables_internal::InferTextGrid(stack.box, stack.rules, text_for_inference(), grid)) continue;
    tables.push_back(std::move(grid));
  }
  for (const Box& region : unruled) {
    std::vector<Segment> edges = {{region.y0, region.x0, region.x1}, {region.y1, region.x0, region.x1}};
    TableGrid grid;
    if (!tables_internal::InferTextGrid(region, edges, glyphs, grid)) continue;
    grid.ruling = Ruling::kNone;
    tables.push_back(std::move(grid));
  }

  // Reading order: top to bottom; tables side by side (overlapping the
  // first one's height) left to right.
  std::sort(tables.begin(), tables.end(), [](const TableGrid& a, const TableGrid& b) { return a.box.y0 < b.box.y0; });
  for (size_t start = 0; start < tables.size();) {
    size_t end = start + 1;
    const Box& first = tables[start].box;
    while (end < tables.size() && tables[end].box.y0 < first.y0 + 0.5 * first.height()) ++end;
    std::sort(tables.begin() + start, tables.begin() + end,
              [](const TableGrid& a, const TableGrid& b) { return a.box.x0 < b.box.x0; });
    start = end;
  }
  return tables;
}

}  // namespace juesuan
