// Table detection on synthetic pages drawn pixel by pixel: ruled grids with
// merged cells, several tables, horizontal rules only, scan-like noise, a
// landscape page; and cell text assembly.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "pipeline/tables/grid_internal.h"
#include "pipeline/tables/table_detector.h"

namespace juesuan {
namespace {

constexpr double kDpi = 100;
constexpr double kPt = 72.0 / kDpi;  // points per pixel

// A white page to draw on, in pixels.
struct Canvas {
  Raster raster;
  Canvas(int width, int height, uint8_t paper = 255) {
    raster.width = width;
    raster.height = height;
    raster.dpi = kDpi;
    raster.pixels.assign(static_cast<size_t>(width) * height, paper);
  }
  void Fill(int x0, int y0, int x1, int y1, uint8_t ink = 0) {
    for (int y = std::max(0, y0); y < std::min(raster.height, y1); ++y) {
      for (int x = std::max(0, x0); x < std::min(raster.width, x1); ++x) raster.pixels[y * raster.width + x] = ink;
    }
  }
  void HLine(int y, int x0, int x1, int thickness = 1, uint8_t ink = 0) { Fill(x0, y, x1 + thickness, y + thickness, ink); }
  void VLine(int x, int y0, int y1, int thickness = 1, uint8_t ink = 0) { Fill(x, y0, x + thickness, y1 + thickness, ink); }
};

// Edges in points from edges in pixels (lines drawn 1 px thick at p).
std::vector<double> Points(const std::vector<int>& pixels) {
  std::vector<double> out;
  for (int p : pixels) out.push_back((p + 0.5) * kPt);
  return out;
}

void RequireEdges(const std::vector<double>& actual, const std::vector<double>& expected, double tolerance = 1.0) {
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    INFO("edge " << i);
    REQUIRE(actual[i] == Approx(expected[i]).margin(tolerance));
  }
}

const Cell& CellAtSlot(const TableGrid& grid, int row, int col) {
  const int index = grid.CellAt(row, col);
  REQUIRE(index >= 0);
  return grid.cells[index];
}

// Every slot covered by exactly one cell.
void RequireTiled(const TableGrid& grid) {
  for (int row_idx = 0; row_idx < grid.n_rows(); ++row_idx) {
    for (int col_idx = 0; col_idx < grid.n_cols(); ++col_idx) {
      int covering = 0;
      for (const Cell& c : grid.cells) {
        if (row_idx >= c.row && row_idx < c.row + c.row_span && col_idx >= c.col && col_idx < c.col + c.col_span) {
          ++covering;
        }
      }
      REQUIRE(covering == 1);
    }
  }
}

// A 4 x 4 grid at xs / ys (pixels) whose first column spans the two header
// rows and whose first header row spans columns 1..3.
void DrawMergedHeaderGrid(Canvas& canvas, const std::vector<int>& xs, const std::vector<int>& ys) {
  for (size_t i = 0; i < ys.size(); ++i) {
    if (i == 1) {
      canvas.HLine(ys[i], xs[1], xs.back());  // not under the spanning first column
    } else {
      canvas.HLine(ys[i], xs.front(), xs.back());
    }
  }
  for (size_t i = 0; i < xs.size(); ++i) {
    if (i == 2 || i == 3) {
      canvas.VLine(xs[i], ys[1], ys.back());  // not through the spanning header
    } else {
      canvas.VLine(xs[i], ys.front(), ys.back());
    }
  }
}

Glyph MakeGlyph(const std::string& text, double x0, double y0, double width, double height = 10,
                float confidence = 100) {
  Glyph g;
  g.text = text;
  g.box = Box{x0, y0, x0 + width, y0 + height};
  g.confidence = confidence;
  return g;
}

// Glyphs for a string of one-byte or three-byte characters, set left to right.
void AddText(std::vector<Glyph>& glyphs, const std::string& text, double x0, double y0, double advance) {
  for (size_t i = 0; i < text.size();) {
    const size_t n = static_cast<unsigned char>(text[i]) < 0x80 ? 1 : 3;
    glyphs.push_back(MakeGlyph(text.substr(i, n), x0, y0, advance * 0.95));
    x0 += advance;
    i += n;
  }
}

TEST_CASE("ruled grid with merged header cells gives exact edges and spans", "[tables]") {
  Canvas canvas(800, 600);
  const std::vector<int> xs{100, 220, 320, 420, 520}, ys{100, 130, 160, 190, 220};
  DrawMergedHeaderGrid(canvas, xs, ys);
  const auto tables = DetectTables(canvas.raster, {}, DetectOptions{});
  REQUIRE(tables.size() == 1);
  const TableGrid& grid = tables[0];
  CHECK(grid.ruling == Ruling::kFull);
  RequireEdges(grid.row_edges, Points(ys));
  RequireEdges(grid.col_edges, Points(xs));
  RequireTiled(grid);
  CHECK(grid.cells.size() == 4 * 4 - 1 - 2);
  const Cell& stub = CellAtSlot(grid, 1, 0);
  CHECK((stub.row == 0 && stub.col == 0 && stub.row_span == 2 && stub.col_span == 1));
  const Cell& header = CellAtSlot(grid, 0, 2);
  CHECK((header.row == 0 && header.col == 1 && header.row_span == 1 && header.col_span == 3));
  CHECK(CellAtSlot(grid, 1, 2).col_span == 1);
  CHECK(header.box.x0 == Approx(Points({220})[0]).margin(1.0));
}

TEST_CASE("two tables on one page come back top to bottom, side by side left to right", "[tables]") {
  Canvas canvas(900, 1000);
  auto grid_at = [&](int x, int y, int cols, int rows) {
    for (int r = 0; r <= rows; ++r) canvas.HLine(y + 25 * r, x, x + 90 * cols);
    for (int c = 0; c <= cols; ++c) canvas.VLine(x + 90 * c, y, y + 25 * rows);
  };
  grid_at(450, 500, 3, 4);  // lower right
  grid_at(60, 100, 4, 3);   // top
  grid_at(60, 500, 4, 5);   // lower left
  const auto tables = DetectTables(canvas.raster, {}, DetectOptions{});
  REQUIRE(tables.size() == 3);
  CHECK((tables[0].n_rows() == 3 && tables[0].n_cols() == 4));
  CHECK((tables[1].n_rows() == 5 && tables[1].n_cols() == 4));
  CHECK((tables[2].n_rows() == 4 && tables[2].n_cols() == 3));
  CHECK(tables[2].box.x0 == Approx(450.5 * kPt).margin(1.0));
}

TEST_CASE("faint broken sloped rules on a noisy grey scan give the clean grid", "[tables]") {
  Canvas canvas(800, 600, 225);
  std::mt19937 random(7);
  std::normal_distribution<double> noise(0, 6);
  const std::vector<int> xs{100, 220, 320, 420, 520}, ys{100, 130, 160, 190, 220};
  const double slope = std::tan(0.2 * M_PI / 180);
  // Horizontal rules: grey, 2 px, a 3 px gap every 60 px, drifting with the slope.
  for (size_t i = 0; i < ys.size(); ++i) {
    const int from = i == 1 ? xs[1] : xs.front();
    for (int x = from; x <= xs.back(); ++x) {
      if ((x - from) % 60 >= 57) continue;
      const int y = ys[i] + static_cast<int>(std::lround((x - xs.front()) * slope));
      canvas.Fill(x, y, x + 1, y + 2, 160);
    }
  }
  for (size_t i = 0; i < xs.size(); ++i) {
    const int from = (i == 2 || i == 3) ? ys[1] : ys.front();
    for (int y = from; y <= ys.back(); ++y) {
      if ((y - from) % 50 >= 48) continue;
      const int x = xs[i] - static_cast<int>(std::lround((y - ys.front()) * slope));
      canvas.Fill(x, y, x + 2, y + 1, 160);
    }
  }
  for (auto& p : canvas.raster.pixels) p = static_cast<uint8_t>(std::clamp(p + noise(random), 0.0, 255.0));
  // Speckles that are not lines.
  for (int k = 0; k < 300; ++k) canvas.Fill(random() % 800, random() % 600, 0, 0);
  for (int k = 0; k < 300; ++k) {
    const int x = random() % 790, y = random() % 590;
    canvas.Fill(x, y, x + 2, y + 2, 120);
  }
  const auto tables = DetectTables(canvas.raster, {}, DetectOptions{});
  REQUIRE(tables.size() == 1);
  const TableGrid& grid = tables[0];
  RequireEdges(grid.row_edges, Points(ys), 2.5);
  RequireEdges(grid.col_edges, Points(xs), 2.5);
  RequireTiled(grid);
  CHECK(CellAtSlot(grid, 1, 0).row_span == 2);
  CHECK(CellAtSlot(grid, 0, 3).col_span == 3);
  CHECK(grid.cells.size() == 13);
}

TEST_CASE("a rule a scan broke into pieces too short for lines still separates its cells", "[tables]") {
  Canvas canvas(800, 600);
  const std::vector<int> xs{100, 220, 320, 420, 520}, ys{100, 130, 160, 190, 220};
  for (size_t i = 0; i < ys.size(); ++i) canvas.HLine(ys[i], i == 1 ? xs[1] : xs.front(), xs.back());
  for (size_t i = 0; i < xs.size(); ++i) {
    const bool under_header = i == 2 || i == 3;
    // The rule between columns 1 and 2 of the second row is broken every
    // 11 px, each piece shorter than a line (12 pt is 16 px here).
    const int whole_from = under_header ? (i == 2 ? ys[2] : ys[1]) : ys.front();
    canvas.VLine(xs[i], whole_from, ys.back());
  }
  for (int y = ys[1]; y < ys[2]; y += 11) canvas.VLine(xs[2], y, std::min(y + 9, ys[2]));
  const auto tables = DetectTables(canvas.raster, {}, DetectOptions{});
  REQUIRE(tables.size() == 1);
  const TableGrid& grid = tables[0];
  RequireEdges(grid.col_edges, Points(xs));
  RequireTiled(grid);
  // Broken, yet a rule: the two cells stay apart.
  CHECK(CellAtSlot(grid, 1, 1).col_span == 1);
  CHECK(CellAtSlot(grid, 1, 2).col == 2);
  // Where no rule is printed at all the header still spans its columns.
  CHECK(CellAtSlot(grid, 0, 2).col_span == 3);
}

TEST_CASE("a landscape page with a wide table", "[tables]") {
  Canvas canvas(1169, 827);
  std::vector<int> xs, ys;
  for (int c = 0; c <= 12; ++c) xs.push_back(60 + 85 * c);
  for (int r = 0; r <= 6; ++r) ys.push_back(150 + 28 * r);
  for (int y : ys) canvas.HLine(y, xs.front(), xs.back(), 2);
  for (int x : xs) canvas.VLine(x, ys.front(), ys.back(), 2);
  const auto tables = DetectTables(canvas.raster, {}, DetectOptions{});
  REQUIRE(tables.size() == 1);
  CHECK(tables[0].n_cols() == 12);
  CHECK(tables[0].n_rows() == 6);
  CHECK(tables[0].col_edges.back() == Approx((xs.back() + 1) * kPt).margin(1.0));
  CHECK(tables[0].cells.size() == 72);
}

TEST_CASE("text and isolated strokes are not tables", "[tables]") {
  Canvas canvas(800, 600);
  // Title-like strokes and an underline alone.
  for (int k = 0; k < 10; ++k) canvas.Fill(100 + 30 * k, 50, 120 + 30 * k, 53);
  canvas.HLine(300, 100, 600);
  CHECK(DetectTables(canvas.raster, {}, DetectOptions{}).empty());
  CHECK(DetectTables(Raster{}, {}, DetectOptions{}).empty());
}

// A table ruled horizontally only: rules at the top, under the header, under
// each body row pair and at the bottom. Columns: code, name, two figures.
struct HRulesPage {
  Canvas canvas{800, 600};
  std::vector<Glyph> glyphs;
  std::vector<double> rule_ys_pt;
  HRulesPage() {
    const std::vector<int> rule_px{100, 140, 200, 230};
    for (int y : rule_px) canvas.HLine(y, 80, 700);
    for (int y : rule_px) rule_ys_pt.push_back((y + 0.5) * kPt);
    // Header band (72.4..101.2 pt): "项目" across code+name, figures' headers.
    AddText(glyphs, "科目编码名称", 95, 80, 10);  // one run over the code|name gap
    AddText(glyphs, "决算数", 300, 80, 10);
    AddText(glyphs, "上年数", 420, 80, 10);
    // Body band 1 (101.2..144.4 pt): two rows of figures.
    AddText(glyphs, "201", 62, 106, 5);
    AddText(glyphs, "一般公共服务", 130, 106, 10);
    AddText(glyphs, "1,234.56", 300, 106, 5);
    AddText(glyphs, "99.00", 430, 106, 5);
    AddText(glyphs, "20101", 62, 126, 5);
    AddText(glyphs, "人大事务", 130, 126, 10);
    AddText(glyphs, "34.00", 315, 126, 5);
    AddText(glyphs, "1.00", 435, 126, 5);
    // Body band 2 (144.4..166 pt): a label wrapped over two lines, one set of figures.
    AddText(glyphs, "2010101", 62, 147, 5);
    AddText(glyphs, "行政运行事务", 130, 147, 10);
    AddText(glyphs, "很长", 130, 157, 10);
    AddText(glyphs, "12.00", 315, 147, 5);
  }
};

TEST_CASE("a table with horizontal rules only gets columns from text alignment", "[tables]") {
  HRulesPage page;
  auto tables = DetectTables(page.canvas.raster, page.glyphs, DetectOptions{});
  REQUIRE(tables.size() == 1);
  TableGrid& grid = tables[0];
  CHECK(grid.ruling == Ruling::kHorizontalOnly);
  REQUIRE(grid.n_cols() == 4);
  // Column boundaries lie in the gaps between the columns' text.
  CHECK(grid.col_edges[1] > 62 + 35);
  CHECK(grid.col_edges[1] < 130);
  CHECK(grid.col_edges[2] > 190);
  CHECK(grid.col_edges[2] < 300);
  CHECK(grid.col_edges[3] > 340);
  CHECK(grid.col_edges[3] < 420);
  // Header band; each text line of the body a row of its own, the edges
  // between lines marked as such (the mapper joins a wrapped label back).
  REQUIRE(grid.n_rows() == 5);
  CHECK(grid.row_edges[0] == Approx(page.rule_ys_pt[0]).margin(1.0));
  CHECK(grid.row_edges[1] == Approx(page.rule_ys_pt[1]).margin(1.0));
  CHECK(grid.row_edges[2] > 116);
  CHECK(grid.row_edges[2] < 131);
  CHECK(grid.row_edges[3] == Approx(page.rule_ys_pt[2]).margin(1.0));
  CHECK(grid.row_edges[4] > 147);
  CHECK(grid.row_edges[4] < 162);
  CHECK(grid.RowEdgeIsRule(1));
  CHECK_FALSE(grid.RowEdgeIsRule(2));
  CHECK(grid.RowEdgeIsRule(3));
  CHECK_FALSE(grid.RowEdgeIsRule(4));
  RequireTiled(grid);
  FillCells(grid, page.glyphs);
  const Cell& header = CellAtSlot(grid, 0, 0);
  CHECK(header.col_span == 2);
  CHECK(header.text == "科目编码名称");
  CHECK(CellAtSlot(grid, 1, 2).text == "1,234.56");
  CHECK(CellAtSlot(grid, 2, 1).text == "人大事务");
  CHECK(CellAtSlot(grid, 2, 3).text == "1.00");
  CHECK(CellAtSlot(grid, 3, 1).text == "行政运行事务");
  CHECK(CellAtSlot(grid, 4, 1).text == "很长");
  CHECK(CellAtSlot(grid, 3, 2).text == "12.00");
}

TEST_CASE("without glyphs a horizontally ruled table takes columns from the ink", "[tables]") {
  HRulesPage page;
  // Paint each glyph box as a dark blob.
  for (const Glyph& g : page.glyphs) {
    page.canvas.Fill(static_cast<int>(g.box.x0 / kPt) + 1, static_cast<int>(g.box.y0 / kPt) + 2,
                     static_cast<int>(g.box.x1 / kPt) - 1, static_cast<int>(g.box.y1 / kPt) - 2, 40);
  }
  const auto tables = DetectTables(page.canvas.raster, {}, DetectOptions{});
  REQUIRE(tables.size() == 1);
  CHECK(tables[0].ruling == Ruling::kHorizontalOnly);
  CHECK(tables[0].n_cols() == 4);
  CHECK(tables[0].col_edges[2] > 190);
  CHECK(tables[0].col_edges[2] < 300);
}

TEST_CASE("specks a scan's OCR read as marks or a smeared digit do not part a header from its figures", "[tables]") {
  HRulesPage page;
  // Between the 决算数 and 上年数 figures: a digit smeared over two and a
  // half ems in one row and a lone mark in the next, apart from every word.
  page.glyphs.push_back(MakeGlyph("1", 380, 106, 25));
  page.glyphs.push_back(MakeGlyph("，", 392, 128, 3, 4));
  const auto tables = DetectTables(page.canvas.raster, page.glyphs, DetectOptions{});
  REQUIRE(tables.size() == 1);
  const TableGrid& grid = tables[0];
  REQUIRE(grid.n_cols() == 4);
  CHECK(grid.col_edges[3] > 340);
  CHECK(grid.col_edges[3] < 420);
}

TEST_CASE("a unit line is 单位 with its colon or unit close after it, not a name holding 单位", "[tables]") {
  std::vector<Glyph> glyphs;
  AddText(glyphs, "单位：万元", 400, 40, 10);
  AddText(glyphs, "机关事业单位基本养老保险缴费支出", 60, 100, 10);
  AddText(glyphs, "310:44", 360, 100, 5);
  AddText(glyphs, "事业单位离退休", 60, 120, 10);
  AddText(glyphs, "56.83", 360, 120, 5);
  const std::vector<Box> captions = tables_internal::FindCaptionLines(glyphs);
  auto caption_at = [&](double y) {
    return std::any_of(captions.begin(), captions.end(), [&](const Box& b) { return b.y0 <= y && b.y1 >= y; });
  };
  CHECK(caption_at(45));
  CHECK_FALSE(caption_at(105));
  CHECK_FALSE(caption_at(125));
}

TableGrid TwoByTwo() {
  TableGrid grid;
  grid.row_edges = {0, 30, 60};
  grid.col_edges = {0, 100, 200};
  for (int r = 0; r < 2; ++r) {
    for (int c = 0; c < 2; ++c) {
      Cell cell;
      cell.row = r;
      cell.col = c;
      cell.box = Box{c * 100.0, r * 30.0, c * 100.0 + 100, r * 30.0 + 30};
      grid.cells.push_back(cell);
    }
  }
  return grid;
}

TEST_CASE("FillCells reads lines top to bottom and joins wrapped lines without a separator", "[tables]") {
  TableGrid grid = TwoByTwo();
  std::vector<Glyph> glyphs;
  // Given out of order: second line first, glyphs right to left.
  glyphs.push_back(MakeGlyph("费", 20, 15, 10));
  glyphs.push_back(MakeGlyph("支", 10, 2, 10));
  glyphs.push_back(MakeGlyph("出", 20, 2.5, 10, 10, 71.5f));
  glyphs.push_back(MakeGlyph("经", 10, 15.5, 10));
  FillCells(grid, glyphs);
  CHECK(grid.cells[0].raw_text == "支出经费");
  CHECK(grid.cells[0].text == "支出经费");
  CHECK(grid.cells[0].confidence == Approx(71.5f));
  CHECK(grid.cells[1].raw_text.empty());
  CHECK(grid.cells[1].confidence == Approx(100.0f));
}

TEST_CASE("FillCells keeps a space only between ASCII runs set wide apart", "[tables]") {
  TableGrid grid = TwoByTwo();
  std::vector<Glyph> glyphs;
  AddText(glyphs, "12", 110, 5, 5);   // 110..120
  AddText(glyphs, "34", 125, 5, 5);   // gap 5.25 > 0.3 * height: a space
  AddText(glyphs, "56", 135.5, 5, 5); // touching: no space
  AddText(glyphs, "万元", 110, 35, 10);
  AddText(glyphs, "ab", 132, 35, 5);  // CJK then ASCII: no space
  glyphs.push_back(MakeGlyph("外", 250, 5, 10));  // outside every cell
  glyphs.push_back(MakeGlyph(" ", 60, 5, 3));     // blank glyphs are skipped
  FillCells(grid, glyphs);
  CHECK(grid.cells[1].raw_text == "12 3456");
  CHECK(grid.cells[3].raw_text == "万元ab");
  CHECK(grid.cells[0].raw_text.empty());
}

TEST_CASE("FillCells puts a glyph in a spanning cell by its centre", "[tables]") {
  TableGrid grid;
  grid.row_edges = {0, 30, 60};
  grid.col_edges = {0, 100, 200};
  Cell top;
  top.col_span = 2;
  top.box = Box{0, 0, 200, 30};
  grid.cells.push_back(top);
  for (int c = 0; c < 2; ++c) {
    Cell cell;
    cell.row = 1;
    cell.col = c;
    cell.box = Box{c * 100.0, 30, c * 100.0 + 100, 60};
    grid.cells.push_back(cell);
  }
  std::vector<Glyph> glyphs;
  AddText(glyphs, "收入支出", 80, 10, 10);  // runs across the column edge
  glyphs.push_back(MakeGlyph("7", 95, 26, 10));  // centre (100, 31): second row, second column
  FillCells(grid, glyphs);
  CHECK(grid.cells[0].raw_text == "收入支出");
  CHECK(grid.cells[2].raw_text == "7");
}

// A two-sided table printed without any rule, as a noisy scan reads it:
// the title letter-spaced, the left side's figures set right against the
// right side's names, a line of specks between two rows.
TEST_CASE("an unruled two-sided table is found whole and its columns part figures from names", "[tables]") {
  Canvas canvas(800, 1000);
  std::vector<Glyph> glyphs;
  const std::string title[] = {"收", "入", "支", "出", "决", "算", "表"};
  for (int k = 0; k < 7; ++k) glyphs.push_back(MakeGlyph(title[k], 150 + 24 * k, 30, 12, 14));
  AddText(glyphs, "单位：万元", 330, 56, 10);
  AddText(glyphs, "项目", 30, 90, 10);
  AddText(glyphs, "决算数", 150, 90, 10);
  AddText(glyphs, "项目", 230, 90, 10);
  AddText(glyphs, "决算数", 380, 90, 10);
  struct Row {
    std::string left, left_figure, right, right_figure;
  };
  const std::vector<Row> rows{
      {"财政拨款收入", "15343.49", "一、一般公共服务支出", "4141.60"},
      {"事业收入", "688.28", "二、外交支出", "502.09"},
      {"经营收入", "64.81", "三、机关事业单位年金", "310.44"},
      {"其他收入", "37.97", "四、教育支出", "649.33"},
      {"", "", "五、科学技术支出", "574.18"},
  };
  double y = 110;
  for (const Row& row : rows) {
    AddText(glyphs, row.left, 30, y, 10);
    // Right-aligned at x = 197.5, the right side's names starting at 200.
    AddText(glyphs, row.left_figure, 197.5 - 5.5 * row.left_figure.size(), y, 5.5);
    AddText(glyphs, row.right, 200, y, 10);
    AddText(glyphs, row.right_figure, 420 - 5.5 * row.right_figure.size(), y, 5.5);
    y += 18;
    if (&row == &rows[1]) glyphs.push_back(MakeGlyph("。", 300, y - 6, 2, 2));  // a speck between rows
  }
  const auto tables = DetectTables(canvas.raster, glyphs, DetectOptions{});
  REQUIRE(tables.size() == 1);
  TableGrid grid = tables[0];
  // The title is no row of the table; the last row is.
  CHECK(grid.row_edges.front() > 44);
  CHECK(grid.row_edges.back() >= y - 18 + 10);
  // A column edge in the narrow gap between the figures and the names.
  const bool parted = std::any_of(grid.col_edges.begin(), grid.col_edges.end(),
                                  [](double x) { return x > 197 && x < 200.5; });
  CHECK(parted);
  FillCells(grid, glyphs);
  bool names_alone = true;
  for (const Cell& cell : grid.cells) {
    if (cell.text.find("支出") != std::string::npos && cell.text.find_first_of("0123456789") != std::string::npos)
      names_alone = false;
  }
  CHECK(names_alone);
}

TEST_CASE("amounts part from names whose ordinal OCR lost, a point read as a colon still a point", "[tables]") {
  Canvas canvas(800, 1000);
  std::vector<Glyph> glyphs;
  const std::string title[] = {"收", "入", "支", "出", "决", "算", "表"};
  for (int k = 0; k < 7; ++k) glyphs.push_back(MakeGlyph(title[k], 150 + 24 * k, 30, 12, 14));
  AddText(glyphs, "单位：万元", 330, 56, 10);
  AddText(glyphs, "项目", 30, 90, 10);
  AddText(glyphs, "决算数", 150, 90, 10);
  AddText(glyphs, "项目", 230, 90, 10);
  AddText(glyphs, "决算数", 380, 90, 10);
  struct Row {
    std::string left, left_figure, right, right_figure;
    double right_x;
  };
  // The rows with figures on the left lost their right-hand ordinal (一、),
  // so their names begin one and a half ems right of the gap; the rows
  // that kept it fill the gap but for a quarter em.
  const std::vector<Row> rows{
      {"财政拨款收入", "15343.49", "一般公共服务支出", "4141.60", 215},
      {"事业收入", "688:28", "外交支出", "502.09", 215},
      {"", "", "三、机关事业单位年金", "310.44", 200},
      {"", "", "四、教育支出", "649.33", 200},
  };
  double y = 110;
  for (const Row& row : rows) {
    AddText(glyphs, row.left, 30, y, 10);
    AddText(glyphs, row.left_figure, 197.5 - 5.5 * row.left_figure.size(), y, 5.5);
    AddText(glyphs, row.right, row.right_x, y, 10);
    AddText(glyphs, row.right_figure, 420 - 5.5 * row.right_figure.size(), y, 5.5);
    y += 18;
  }
  const auto tables = DetectTables(canvas.raster, glyphs, DetectOptions{});
  REQUIRE(tables.size() == 1);
  const TableGrid& grid = tables[0];
  const bool parted = std::any_of(grid.col_edges.begin(), grid.col_edges.end(),
                                  [](double x) { return x > 197 && x < 200.5; });
  CHECK(parted);
}

}  // namespace
}  // namespace juesuan
