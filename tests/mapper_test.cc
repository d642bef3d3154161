// The table mapper on hand-made grids: identification, columns by meaning,
// panels, split codes, rows joined across text lines, continuations, and the
// accounting of every figure. Each case is one layout dimension on its own.
// The last cases set a page's text glyph by glyph (and its rules) and read it
// through table detection too: layouts where the columns or rows found from
// the text decide which key a figure gets.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "extractors/tables/table_mapper.h"
#include "pipeline/normalise/normalise.h"
#include "pipeline/tables/table_detector.h"
#include "tests/test_support.h"

using namespace juesuan;
using namespace juesuan::test;

namespace {

const TableSchema& Schema() {
  static const TableSchema schema = [] {
    auto loaded = LoadTableSchema(kSchemas);
    REQUIRE(loaded.ok());
    return std::move(loaded.value());
  }();
  return schema;
}

using CellSpec = std::tuple<int, int, int, int, std::string>;  // row, col, row_span, col_span, text

// A grid from cell texts, 20pt rows and 80pt columns from (50, top). Slots
// no spec covers are empty cells. `between_lines`: row edges that were put
// between text lines (no printed rule).
TableGrid GridOf(int n_rows, int n_cols, const std::vector<CellSpec>& cells, double top = 100,
                 const std::vector<int>& between_lines = {}, Ruling ruling = Ruling::kFull) {
  TableGrid grid;
  grid.page = 1;
  grid.ruling = ruling;
  for (int r = 0; r <= n_rows; ++r) grid.row_edges.push_back(top + 20.0 * r);
  for (int c = 0; c <= n_cols; ++c) grid.col_edges.push_back(50 + 80.0 * c);
  grid.box = Box{grid.col_edges.front(), grid.row_edges.front(), grid.col_edges.back(), grid.row_edges.back()};
  std::vector<std::vector<char>> covered(n_rows, std::vector<char>(n_cols, 0));
  auto add = [&](int r, int c, int rs, int cs, const std::string& text) {
    Cell cell;
    cell.row = r;
    cell.col = c;
    cell.row_span = rs;
    cell.col_span = cs;
    cell.text = text;
    cell.box = Box{grid.col_edges[c], grid.row_edges[r], grid.col_edges[c + cs], grid.row_edges[r + rs]};
    cell.text_box = cell.box;
    grid.cells.push_back(cell);
    for (int rr = r; rr < r + rs; ++rr)
      for (int cc = c; cc < c + cs; ++cc) covered[rr][cc] = 1;
  };
  for (const auto& [r, c, rs, cs, text] : cells) add(r, c, rs, cs, text);
  for (int r = 0; r < n_rows; ++r)
    for (int c = 0; c < n_cols; ++c)
      if (!covered[r][c]) add(r, c, 1, 1, "");
  if (!between_lines.empty()) {
    grid.row_edge_between_lines.assign(n_rows + 1, 0);
    for (int edge : between_lines) grid.row_edge_between_lines[edge] = 1;
  }
  return grid;
}

PageLayout PageOf(int number, std::vector<TableGrid> grids, std::vector<std::string> captions = {}) {
  PageLayout page;
  page.page = number;
  page.width = 595;
  page.height = 842;
  for (TableGrid& g : grids) g.page = number;
  double y = 40;
  for (const std::string& caption : captions) {
    page.lines.push_back(TextLine{number, Box{100, y, 400, y + 12}, caption});
    y += 14;
  }
  page.grids = std::move(grids);
  return page;
}

// "row/col=value" for every fact of the tables with `code`.
std::set<std::string> Keys(const MapperOutput& out, const std::string& code) {
  std::set<std::string> keys;
  for (const Table& t : out.tables) {
    if (t.code != code) continue;
    for (const Fact& f : t.facts) keys.insert(f.row + "/" + f.col + "=" + f.value.ToString());
  }
  return keys;
}

// The header row of a Jiangsu 政府采购 table: four label columns, one of
// attributes, one of figures.
std::vector<CellSpec> ProcurementHeader() {
  return {{0, 0, 1, 1, "采购品目大类"}, {0, 1, 1, 1, "专项名称"},     {0, 2, 1, 1, "经济科目"},
          {0, 3, 1, 1, "采购物品名称"}, {0, 4, 1, 1, "采购组织形式"}, {0, 5, 1, 1, "总计"}};
}

int CountFindings(const MapperOutput& out, const std::string& kind) {
  int n = 0;
  for (const Finding& f : out.findings) n += f.kind == kind;
  return n;
}

}  // namespace

TEST_CASE("Tables are identified by title, code or numbered caption", "[extract][mapper]") {
  auto schema = LoadTableSchema(kSchemas);
  REQUIRE(schema.ok());
  auto [caption, code] = GENERATE(table<std::string, std::string>({
      {"收入支出决算总表\n部门：某局 公开01表 单位：万元", "公开01表"},
      {"2021年度财政拨款收入支出决算总表（表4）", "公开04表"},
      {"一般公共预算财政拨款基本支出决算明细表（续）", "公开06表"},
      {"一般公共预算财政拨款支出决算表", "公开05表"},
      {"财政拨款“三公”经费支出决算表", "公开07表"},
      {"国有资本经营预算财政拨款收入支出决算表", "公开09表"},
      {"部门：某局 公开02表 单位：万元", "公开02表"},
      {"收⼊决算表", "公开02表"},
      {"项目支出绩效自评表", ""},
  }));
  const TableDef* def = IdentifyCaption(caption, schema.value());
  CHECK((def ? def->id : std::string()) == code);
}

TEST_CASE("Ordinals are stripped from item labels", "[extract][mapper]") {
  CHECK(StripOrdinal("二十六、抗疫特别国债安排的支出") == "抗疫特别国债安排的支出");
  CHECK(StripOrdinal("（一）一般公共预算财政拨款") == "一般公共预算财政拨款");
  CHECK(StripOrdinal("1.上级补助收入") == "上级补助收入");
  CHECK(StripOrdinal("本年收入合计") == "本年收入合计");
  CHECK(StripOrdinal(" 其中：事业收入") == "事业收入");
}

TEST_CASE("Item labels find their row key", "[extract][mapper]") {
  const std::vector<RowDef> rows = {{"社会保障和就业支出", "社会保障和就业支出", {}},
                                    {"其他收入", "其他收入", {}},
                                    {"上级补助收入", "上级补助收入", {"上级补助"}}};
  CHECK(CanonicalRow("八、社会保障和就业支出", rows) == "社会保障和就业支出");
  CHECK(CanonicalRow("上级补助", rows) == "上级补助收入");
  CHECK(CanonicalRow("社会保障和", rows) == "社会保障和就业支出");  // wrapped
  CHECK(CanonicalRow("/狼社会保障和就业支出", rows) == "社会保障和就业支出");  // OCR'd ordinal
  CHECK(CanonicalRow("狼其他收入", rows) == "其他收入");
  CHECK(CanonicalRow("附属单位上缴其他收入", rows) == "附属单位上缴其他收入");  // not two stray characters
  CHECK(CanonicalRow("社会保障和就业文出", rows) == "社会保障和就业支出");  // one glyph misread
  CHECK(CanonicalRow("其他支入", rows) == "其他收入");
  CHECK(CanonicalRow("其他", rows) == "其他");  // too short to guess
}

TEST_CASE("A 栏次 row merged with header words still names the columns", "[extract][mapper]") {
  // Ruled only horizontally, read by OCR: "科目名称" and "栏次" are one cell,
  // and each column's number sits in its header cell.
  auto schema = LoadTableSchema(kSchemas);
  REQUIRE(schema.ok());
  PageLayout page;
  page.page = 1;
  page.width = 842;
  page.height = 595;
  page.lines.push_back(TextLine{1, Box{300, 60, 500, 75}, "收入决算表"});
  page.lines.push_back(TextLine{1, Box{600, 80, 780, 92}, "公开02表 单位：万元"});
  page.grids.push_back(GridOf(4, 4, {{0, 0, 1, 2, "项目"},
                                     {0, 2, 2, 1, "本年收入合计1"},
                                     {0, 3, 2, 1, "财政拨款收入2"},
                                     {1, 0, 1, 1, "功能分类科目编码"},
                                     {1, 1, 1, 1, "科目名称栏次"},
                                     {2, 0, 1, 1, ""},
                                     {2, 1, 1, 1, "合计"},
                                     {2, 2, 1, 1, "30.00"},
                                     {2, 3, 1, 1, "30.00"},
                                     {3, 0, 1, 1, "201"},
                                     {3, 1, 1, 1, "一般公共服务支出"},
                                     {3, 2, 1, 1, "30.00"},
                                     {3, 3, 1, 1, "30.00"}}));
  MapperOutput out = MapTables({page}, schema.value());
  REQUIRE(out.tables.size() == 1);
  CHECK(out.tables[0].code == "公开02表");
  std::set<std::string> keys;
  for (const Fact& f : out.tables[0].facts) keys.insert(f.row + "/" + f.col + "=" + f.value.ToString());
  CHECK(keys == std::set<std::string>{"合计/1=30.00", "合计/2=30.00", "201/1=30.00", "201/2=30.00"});
}


TEST_CASE("Codes split over 类/款/项 columns, parents printed once, join to whole codes", "[mapper][layout]") {
  std::vector<CellSpec> cells = {
      {0, 0, 1, 3, "功能分类科目编码"}, {0, 3, 2, 1, "科目名称"}, {0, 4, 2, 1, "本年收入合计"},
      {0, 5, 2, 1, "财政拨款收入"},     {1, 0, 1, 1, "类"},       {1, 1, 1, 1, "款"},
      {1, 2, 1, 1, "项"},               {2, 0, 1, 4, "合计"},     {2, 4, 1, 1, "100.00"},
      {2, 5, 1, 1, "100.00"},           {3, 0, 1, 1, "208"},      {3, 3, 1, 1, "社会保障和就业支出"},
      {3, 4, 1, 1, "100.00"},           {3, 5, 1, 1, "100.00"},   {4, 1, 1, 1, "05"},
      {4, 3, 1, 1, "行政事业单位养老支出"}, {4, 4, 1, 1, "60.00"},  {5, 2, 1, 1, "01"},
      {5, 3, 1, 1, "行政单位离退休"},   {5, 4, 1, 1, "20.00"},    {6, 2, 1, 1, "02"},
      {6, 3, 1, 1, "事业单位离退休"},   {6, 4, 1, 1, "40.00"},    {7, 1, 1, 1, "99"},
      {7, 3, 1, 1, "其他社会保障和就业支出"}, {7, 4, 1, 1, "40.00"}, {8, 2, 1, 1, "99"},
      {8, 3, 1, 1, "其他社会保障和就业支出"}, {8, 4, 1, 1, "40.00"}};
  MapperOutput out = MapTables({PageOf(1, {GridOf(9, 6, cells)}, {"收入决算表"})}, Schema());
  CHECK(Keys(out, "公开02表") == std::set<std::string>{"合计/1=100.00", "合计/2=100.00", "208/1=100.00",
                                                      "208/2=100.00", "20805/1=60.00", "2080501/1=20.00",
                                                      "2080502/1=40.00", "20899/1=40.00", "2089999/1=40.00"});
  CHECK(out.coverage.unmapped == 0);
  CHECK(out.coverage.mapped == 9);
}

TEST_CASE("A 款 column whose header and one part OCR garbled is still a column of code parts", "[mapper][layout]") {
  // A scan of 公开03表: the 项 header read "天", the 款 header "款、", and a
  // rule's stub read with one 款 part ("--.03"). The 款 column lies between
  // two columns of codes; its part is the digits inside the marks.
  std::vector<CellSpec> cells = {
      {0, 0, 1, 3, "科目编码"},       {0, 3, 2, 1, "科目名称"},    {0, 4, 2, 1, "本年支出合计"},
      {0, 5, 2, 1, "基本支出"},       {1, 0, 1, 1, "类"},          {1, 1, 1, 1, "款、"},
      {1, 2, 1, 1, "天"},             {2, 3, 1, 1, "合计"},        {2, 4, 1, 1, "100.00"},
      {2, 5, 1, 1, "100.00"},         {3, 0, 1, 1, "201"},         {3, 3, 1, 1, "一般公共服务支出"},
      {3, 4, 1, 1, "100.00"},         {3, 5, 1, 1, "100.00"},      {4, 0, 1, 1, "201"},
      {4, 1, 1, 1, "--.03"},          {4, 3, 1, 1, "政府办公厅（室）及相关机构事务"},
      {4, 4, 1, 1, "100.00"},         {5, 0, 1, 1, "201"},         {5, 1, 1, 1, "03"},
      {5, 2, 1, 1, "01"},             {5, 3, 1, 1, "行政运行"},    {5, 4, 1, 1, "60.00"},
      {6, 0, 1, 1, "201"},            {6, 1, 1, 1, "03"},          {6, 2, 1, 1, "50"},
      {6, 3, 1, 1, "事业运行"},       {6, 4, 1, 1, "40.00"}};
  MapperOutput out = MapTables({PageOf(1, {GridOf(7, 6, cells)}, {"支出决算表"})}, Schema());
  const std::set<std::string> keys = Keys(out, "公开03表");
  CHECK(keys.count("20103/1=100.00") == 1);
  CHECK(keys.count("2010301/1=60.00") == 1);
  CHECK(keys.count("2010350/1=40.00") == 1);
  CHECK(keys.count("201/2=100.00") == 1);
  CHECK(out.coverage.unmapped == 0);
}

TEST_CASE("公开06表 in three panels: codes split 类/款, a total's label centred over two panels", "[mapper][layout]") {
  std::vector<CellSpec> cells = {{0, 0, 1, 4, "人员经费"}, {0, 4, 1, 8, "公用经费"}};
  for (int p = 0; p < 3; ++p) {
    cells.push_back({1, 4 * p, 1, 1, "类"});
    cells.push_back({1, 4 * p + 1, 1, 1, "款"});
    cells.push_back({1, 4 * p + 2, 1, 1, "科目名称"});
    cells.push_back({1, 4 * p + 3, 1, 1, "决算数"});
  }
  const std::vector<std::tuple<std::string, std::string, std::string, std::string, std::string>> panels = {
      {"301", "工资福利支出", "01", "基本工资", "50.00"},
      {"302", "商品和服务支出", "01", "办公费", "30.00"},
      {"310", "资本性支出", "02", "办公设备购置", "5.00"}};
  for (int p = 0; p < 3; ++p) {
    const auto& [lei, lei_name, kuan, kuan_name, amount] = panels[p];
    cells.push_back({2, 4 * p, 1, 1, lei});
    cells.push_back({2, 4 * p + 2, 1, 1, lei_name});
    cells.push_back({2, 4 * p + 3, 1, 1, amount});
    cells.push_back({3, 4 * p + 1, 1, 1, kuan});
    cells.push_back({3, 4 * p + 2, 1, 1, kuan_name});
    cells.push_back({3, 4 * p + 3, 1, 1, amount});
  }
  cells.push_back({4, 0, 1, 3, "人员经费合计"});
  cells.push_back({4, 3, 1, 1, "50.00"});
  cells.push_back({4, 4, 1, 7, "公用经费合计"});
  cells.push_back({4, 11, 1, 1, "35.00"});
  MapperOutput out =
      MapTables({PageOf(1, {GridOf(5, 12, cells)}, {"一般公共预算财政拨款基本支出决算表"})}, Schema());
  CHECK(Keys(out, "公开06表") ==
        std::set<std::string>{"301/1=50.00", "30101/1=50.00", "302/1=30.00", "30201/1=30.00", "310/1=5.00",
                              "31002/1=5.00", "人员经费合计/1=50.00", "公用经费合计/1=35.00"});
  CHECK(out.coverage.unmapped == 0);
  CHECK(CountFindings(out, "missing") == 0);
}

TEST_CASE("Figures set a line above their labels and wrapped labels join their rows", "[mapper][layout]") {
  // A 公开05表 without rules between rows: each text line is a grid row.
  std::vector<CellSpec> cells = {{0, 0, 1, 1, "科目编码"}, {0, 1, 1, 1, "科目名称"}, {0, 2, 1, 1, "小计"},
                                 {0, 3, 1, 1, "基本支出"}, {0, 4, 1, 1, "项目支出"}, {1, 1, 1, 1, "合计"},
                                 {1, 2, 1, 1, "42.00"},    {1, 3, 1, 1, "30.00"},  {1, 4, 1, 1, "12.00"},
                                 {2, 2, 1, 1, "42.00"},    {2, 3, 1, 1, "30.00"},  {2, 4, 1, 1, "12.00"},
                                 {3, 0, 1, 1, "201"},      {3, 1, 1, 1, "一般公共服务支出"},
                                 {4, 2, 1, 1, "42.00"},    {4, 3, 1, 1, "30.00"},  {4, 4, 1, 1, "12.00"},
                                 {5, 0, 1, 1, "20103"},    {5, 1, 1, 1, "政府办公厅(室)及相"},
                                 {6, 1, 1, 1, "关机构事务"}, {7, 2, 1, 1, "12.00"}, {7, 4, 1, 1, "12.00"},
                                 {8, 0, 1, 1, "2010302"},  {8, 1, 1, 1, "一般行政管理事务"}};
  // Row 1 (合计) carries its own figures; the others sit a line above their code.
  TableGrid grid = GridOf(9, 5, cells, 100, {2, 3, 4, 5, 6, 7, 8}, Ruling::kNone);
  MapperOutput out = MapTables({PageOf(1, {grid}, {"一般公共预算财政拨款支出决算表"})}, Schema());
  CHECK(Keys(out, "公开05表") == std::set<std::string>{"合计/1=42.00", "合计/2=30.00", "合计/3=12.00",
                                                      "201/1=42.00", "201/2=30.00", "201/3=12.00",
                                                      "20103/1=42.00", "20103/2=30.00", "20103/3=12.00",
                                                      "2010302/1=12.00", "2010302/3=12.00"});
  CHECK(out.coverage.unmapped == 0);
}

TEST_CASE("An item label wrapped onto the next line keys its row", "[mapper][layout]") {
  std::vector<CellSpec> cells = {{0, 0, 1, 2, "收入"},        {0, 2, 1, 2, "支出"},
                                 {1, 0, 1, 1, "项目"},        {1, 1, 1, 1, "决算数"},
                                 {1, 2, 1, 1, "项目"},        {1, 3, 1, 1, "决算数"},
                                 {2, 0, 1, 1, "一、一般公共预算财政拨款收入"}, {2, 1, 1, 1, "80.00"},
                                 {2, 2, 1, 1, "七、文化旅游体育与传媒支"}, {2, 3, 1, 1, "80.00"},
                                 {3, 2, 1, 1, "出"},
                                 {4, 0, 1, 1, "本年收入合计"}, {4, 1, 1, 1, "80.00"},
                                 {4, 2, 1, 1, "本年支出合计"}, {4, 3, 1, 1, "80.00"},
                                 {5, 0, 1, 1, "总计"}, {5, 1, 1, 1, "80.00"},
                                 {5, 2, 1, 1, "总计"}, {5, 3, 1, 1, "80.00"}};
  TableGrid grid = GridOf(6, 4, cells, 100, {3, 4, 5}, Ruling::kNone);
  MapperOutput out = MapTables({PageOf(1, {grid}, {"收入支出决算总表"})}, Schema());
  CHECK(Keys(out, "公开01表") == std::set<std::string>{"一般公共预算财政拨款收入/1=80.00",
                                                      "文化旅游体育与传媒支出/2=80.00", "本年收入合计/1=80.00",
                                                      "本年支出合计/2=80.00", "总计/1=80.00", "总计/2=80.00"});
}

namespace {

// 公开01表 whose last rows may continue on the next page.
std::vector<CellSpec> Table01Head() {
  return {{0, 0, 1, 2, "收入"},   {0, 2, 1, 2, "支出"},   {1, 0, 1, 1, "项目"},
          {1, 1, 1, 1, "决算数"}, {1, 2, 1, 1, "项目"},   {1, 3, 1, 1, "决算数"},
          {2, 0, 1, 1, "一、一般公共预算财政拨款收入"}, {2, 1, 1, 1, "100.00"},
          {2, 2, 1, 1, "一、一般公共服务支出"}, {2, 3, 1, 1, "85.00"},
          {3, 0, 1, 1, "本年收入合计"}, {3, 1, 1, 1, "100.00"},
          {3, 2, 1, 1, "本年支出合计"}, {3, 3, 1, 1, "85.00"}};
}

}  // namespace

TEST_CASE("An item of 公开01表 the template does not list is a key when printed, unkeyed when read by OCR",
          "[mapper][ocr]") {
  std::vector<CellSpec> cells = Table01Head();
  std::get<4>(cells[6]) = "一、一般公共现算对政搜坎政入";  // OCR garble of 一般公共预算财政拨款收入
  TableGrid grid = GridOf(4, 4, cells);
  SECTION("from the text layer the label is kept as printed") {
    MapperOutput out = MapTables({PageOf(1, {grid}, {"收入支出决算总表"})}, Schema());
    CHECK(Keys(out, "公开01表").count("一般公共现算对政搜坎政入/1=100.00") == 1);
  }
  SECTION("read by OCR the figure is reported, not keyed under the garble") {
    for (Cell& cell : grid.cells) cell.source = TextSource::kOcr;
    MapperOutput out = MapTables({PageOf(1, {grid}, {"收入支出决算总表"})}, Schema());
    const std::set<std::string> keys = Keys(out, "公开01表");
    CHECK(keys.count("一般公共现算对政搜坎政入/1=100.00") == 0);
    CHECK(keys.count("本年收入合计/1=100.00") == 1);
    CHECK(keys.count("一般公共服务支出/2=85.00") == 1);
    int unmapped = 0;
    for (const Finding& f : out.findings) {
      if (f.kind == "unmapped" && f.place && f.place->text == "100.00" &&
          f.message.find("read by OCR") != std::string::npos) {
        ++unmapped;
      }
    }
    CHECK(unmapped == 1);
    CHECK(out.coverage.unmapped >= 1);
  }
}

TEST_CASE("A table's last rows on the next page, without header or title, continue it", "[mapper][layout]") {
  TableGrid head = GridOf(4, 4, Table01Head());
  TableGrid tail = GridOf(3, 4,
                          {{0, 0, 1, 1, "使用非财政拨款结余"}, {0, 1, 1, 1, "10.00"},
                           {0, 2, 1, 1, "结余分配"},           {1, 0, 1, 1, "年初结转和结余"},
                           {1, 1, 1, 1, "5.00"},               {1, 2, 1, 1, "年末结转和结余"},
                           {1, 3, 1, 1, "30.00"},              {2, 0, 1, 1, "总计"},
                           {2, 1, 1, 1, "115.00"},             {2, 2, 1, 1, "总计"},
                           {2, 3, 1, 1, "115.00"}},
                          60);
  MapperOutput out = MapTables({PageOf(1, {head}, {"收入支出决算总表"}), PageOf(2, {tail})}, Schema());
  REQUIRE(out.tables.size() == 1);
  CHECK(out.tables[0].grids.size() == 2);
  CHECK(out.tables[0].pages == std::vector<int>{1, 2});
  std::set<std::string> keys = Keys(out, "公开01表");
  for (const char* key : {"使用非财政拨款结余/1=10.00", "年初结转和结余/1=5.00", "年末结转和结余/2=30.00",
                          "总计/1=115.00", "总计/2=115.00"}) {
    CHECK(keys.count(key) == 1);
  }
  CHECK(CountFindings(out, "missing") == 0);
  CHECK(out.coverage.Complete());
  SECTION("without the tail the 总计 rows are missing, and the table is not complete") {
    MapperOutput cut = MapTables({PageOf(1, {head}, {"收入支出决算总表"})}, Schema());
    CHECK(CountFindings(cut, "missing") == 1);  // 总计
    CHECK_FALSE(cut.coverage.Complete());
  }
}

TEST_CASE("A name printed again on a table's next page keys both rows by their parents", "[mapper][layout]") {
  // A Jiangsu 政府采购 table: 会议服务 bought under 会议费 on the first page
  // and under 培训费 at the top of the next, where the outer labels in force
  // are not printed again. One key for both would lose a figure.
  const std::vector<CellSpec> header = ProcurementHeader();
  std::vector<CellSpec> first = header;
  for (const CellSpec& cell : std::vector<CellSpec>{
           {1, 0, 1, 1, "合计"},         {1, 5, 1, 1, "100.00"},       {2, 0, 1, 1, "服务C"},
           {2, 5, 1, 1, "100.00"},       {3, 1, 1, 1, "专项会议经费"}, {3, 2, 1, 1, "会议费"},
           {3, 5, 1, 1, "60.00"},        {4, 3, 1, 1, "会议服务"},     {4, 4, 1, 1, "政府集中采购"},
           {4, 5, 1, 1, "60.00"},        {5, 1, 1, 1, "业务工作经费"}, {5, 2, 1, 1, "培训费"},
           {5, 5, 1, 1, "40.00"}})
    first.push_back(cell);
  std::vector<CellSpec> next = header;
  next.push_back({1, 3, 1, 1, "会议服务"});
  next.push_back({1, 4, 1, 1, "部门集中采购"});
  next.push_back({1, 5, 1, 1, "40.00"});
  const std::vector<PageLayout> pages = {PageOf(1, {GridOf(6, 6, first)}, {"政府采购支出预算表"}),
                                         PageOf(2, {GridOf(2, 6, next)})};
  MapperOutput out = MapTables(pages, Schema());
  REQUIRE(out.tables.size() == 1);
  const std::set<std::string> keys = Keys(out, "政府采购支出预算表");
  INFO([&] {
    std::string all;
    for (const std::string& k : keys) all += k + "\n";
    return all;
  }());
  CHECK(keys.count("会议费:会议服务/总计=60.00") == 1);
  CHECK(keys.count("培训费:会议服务/总计=40.00") == 1);
  CHECK(keys.count("培训费/总计=40.00") == 1);
  CHECK(keys.size() == 6);
}

TEST_CASE("Two figures one key cannot tell apart are both reported, neither kept", "[mapper][coverage]") {
  // The same item twice under the same parents, nothing printed to tell
  // the rows apart, two different amounts.
  std::vector<CellSpec> cells = ProcurementHeader();
  for (const CellSpec& cell : std::vector<CellSpec>{
           {1, 0, 1, 1, "合计"}, {1, 5, 1, 1, "100.00"}, {2, 0, 1, 1, "服务C"}, {2, 5, 1, 1, "100.00"},
           {3, 1, 1, 1, "专项会议经费"}, {3, 2, 1, 1, "会议费"}, {3, 5, 1, 1, "100.00"},
           {4, 3, 1, 1, "会议服务"}, {4, 5, 1, 1, "60.00"}, {5, 3, 1, 1, "会议服务"}, {5, 5, 1, 1, "40.00"}})
    cells.push_back(cell);
  MapperOutput out = MapTables({PageOf(1, {GridOf(6, 6, cells)}, {"政府采购支出预算表"})}, Schema());
  REQUIRE(out.tables.size() == 1);
  const std::set<std::string> keys = Keys(out, "政府采购支出预算表");
  CHECK(keys.count("会议服务/总计=60.00") == 0);
  CHECK(keys.count("会议服务/总计=40.00") == 0);
  CHECK(keys.count("会议费/总计=100.00") == 1);
  CHECK(CountFindings(out, "unmapped") == 2);
  CHECK(out.coverage.unmapped == 2);
  CHECK_FALSE(out.coverage.Complete());
}

TEST_CASE("A continued 公开01表 whose first 支出 label stands above its figure keeps that row", "[mapper][layout]") {
  // The header is printed again on the next page; the 支出 side continues
  // there with a label a line above its figure, before any line of
  // figures. That label is a row of the table, not a header word.
  TableGrid head = GridOf(4, 4, Table01Head());
  const std::vector<CellSpec> next = {
      {0, 0, 1, 2, "收入"},         {0, 2, 1, 2, "支出"},         {1, 0, 1, 1, "项目"},
      {1, 1, 1, 1, "决算数"},       {1, 2, 1, 1, "项目"},         {1, 3, 1, 1, "决算数"},
      {2, 2, 1, 1, "住房保障支出"}, {3, 3, 1, 1, "25.09"},        {4, 2, 1, 1, "其他支出"},
      {5, 3, 1, 1, "101.91"},       {6, 0, 1, 1, "总计"},         {6, 2, 1, 1, "总计"},
      {7, 1, 1, 1, "100.00"},       {7, 3, 1, 1, "100.00"}};
  TableGrid tail = GridOf(8, 4, next, 100, {3, 4, 5, 6, 7}, Ruling::kNone);
  MapperOutput out = MapTables({PageOf(1, {head}, {"收入支出决算总表"}), PageOf(2, {tail})}, Schema());
  REQUIRE(out.tables.size() == 1);
  const std::set<std::string> keys = Keys(out, "公开01表");
  CHECK(keys.count("住房保障支出/2=25.09") == 1);
  CHECK(keys.count("其他支出/2=101.91") == 1);
  CHECK(keys.count("总计/1=100.00") == 1);
  CHECK(keys.count("总计/2=100.00") == 1);
  CHECK(out.coverage.unmapped == 0);
}

TEST_CASE("A part on the next page that prints the table's whole header again continues it", "[mapper][layout]") {
  // 公开06表 in two panels (人员经费 | 公用经费), its header printed again
  // on the next page and no title: the repeated header says which table it
  // is, whatever the structure of its few rows resembles.
  const std::vector<CellSpec> header = {{0, 0, 1, 3, "人员经费"}, {0, 3, 1, 3, "公用经费"},
                                        {1, 0, 1, 1, "科目编码"}, {1, 1, 1, 1, "科目名称"},
                                        {1, 2, 1, 1, "决算数"},   {1, 3, 1, 1, "科目编码"},
                                        {1, 4, 1, 1, "科目名称"}, {1, 5, 1, 1, "决算数"}};
  std::vector<CellSpec> first = header, next = header;
  for (const CellSpec& cell : std::vector<CellSpec>{{2, 0, 1, 1, "30101"}, {2, 1, 1, 1, "基本工资"},
                                                    {2, 2, 1, 1, "100.00"}, {2, 3, 1, 1, "30201"},
                                                    {2, 4, 1, 1, "办公费"}, {2, 5, 1, 1, "20.00"}})
    first.push_back(cell);
  // Only the 公用经费 panel goes on; then both totals.
  for (const CellSpec& cell : std::vector<CellSpec>{{2, 3, 1, 1, "30202"}, {2, 4, 1, 1, "印刷费"},
                                                    {2, 5, 1, 1, "5.00"}, {3, 0, 1, 2, "人员经费合计"},
                                                    {3, 2, 1, 1, "100.00"}, {3, 3, 1, 2, "公用经费合计"},
                                                    {3, 5, 1, 1, "25.00"}})
    next.push_back(cell);
  // The two group titles may read as one cell on the first page.
  const bool titles_as_one_cell = GENERATE(false, true);
  if (titles_as_one_cell) {
    first.erase(first.begin(), first.begin() + 2);
    first.push_back({0, 0, 1, 6, "人员经费公用经费"});
  }
  MapperOutput out = MapTables({PageOf(1, {GridOf(3, 6, first)}, {"一般公共预算财政拨款基本支出决算表"}),
                                PageOf(2, {GridOf(4, 6, next)})},
                               Schema());
  REQUIRE(out.tables.size() == 1);
  CHECK(out.tables[0].grids.size() == 2);
  const std::set<std::string> keys = Keys(out, "公开06表");
  CHECK(keys.count("30202/1=5.00") == 1);
  CHECK(keys.count("人员经费合计/1=100.00") == 1);
  CHECK(keys.count("公用经费合计/1=25.00") == 1);
  CHECK(CountFindings(out, "unidentified_table") == 0);
}

TEST_CASE("A table with no title is identified by its header and its codes", "[mapper][identify]") {
  TableGrid t02 = GridOf(3, 4, {{0, 0, 1, 1, "科目编码"}, {0, 1, 1, 1, "科目名称"}, {0, 2, 1, 1, "本年收入合计"},
                                {0, 3, 1, 1, "财政拨款收入"}, {1, 1, 1, 1, "合计"}, {1, 2, 1, 1, "9.00"},
                                {1, 3, 1, 1, "9.00"}, {2, 0, 1, 1, "201"}, {2, 1, 1, 1, "一般公共服务支出"},
                                {2, 2, 1, 1, "9.00"}, {2, 3, 1, 1, "9.00"}});
  TableGrid t03 = GridOf(3, 8, {{0, 0, 1, 1, "科目编码"}, {0, 1, 1, 1, "科目名称"}, {0, 2, 1, 1, "本年支出合计"},
                                {0, 3, 1, 1, "基本支出"}, {0, 4, 1, 1, "项目支出"}, {0, 5, 1, 1, "上缴上级支出"},
                                {0, 6, 1, 1, "经营支出"}, {0, 7, 1, 1, "对附属单位补助支出"}, {1, 1, 1, 1, "合计"},
                                {1, 2, 1, 1, "9.00"}, {1, 3, 1, 1, "4.00"}, {1, 4, 1, 1, "5.00"},
                                {2, 0, 1, 1, "201"}, {2, 1, 1, 1, "一般公共服务支出"}, {2, 2, 1, 1, "9.00"},
                                {2, 3, 1, 1, "4.00"}, {2, 4, 1, 1, "5.00"}});
  MapperOutput out =
      MapTables({PageOf(1, {t02}, {"收入决算表", "单位：万元"}), PageOf(2, {t03}, {"单位：万元"})}, Schema());
  REQUIRE(out.tables.size() == 2);
  CHECK(out.tables[0].identified_by == "title");
  CHECK(out.tables[1].code == "公开03表");
  CHECK(out.tables[1].identified_by == "structure");
  CHECK(Keys(out, "公开03表").count("201/3=5.00") == 1);
}

TEST_CASE("Columns whose header OCR garbled take the template's order, blank columns and dashes included",
          "[mapper][layout]") {
  // 公开02表's seven columns, their header words unreadable: one column
  // holds only dashes (read as 一), two hold nothing but their header.
  // Counted with them, the columns are as many as the template's, in its
  // order.
  std::vector<CellSpec> cells = {
      {0, 0, 1, 1, "科目编码"}, {0, 1, 1, 1, "科目名称"}, {0, 2, 1, 1, "未年攻入合"}, {0, 3, 1, 1, "划政搜数"},
      {0, 4, 1, 1, "上绒补屿"}, {0, 5, 1, 1, "着必"},     {0, 6, 1, 1, "仁政和"},     {0, 7, 1, 1, "有关上"},
      {0, 8, 1, 1, "届太"},     {1, 1, 1, 1, "合计"},     {1, 2, 1, 1, "30.00"},      {1, 3, 1, 1, "20.00"},
      {1, 4, 1, 1, "一"},       {1, 5, 1, 1, "6.00"},     {1, 8, 1, 1, "4.00"},       {2, 0, 1, 1, "201"},
      {2, 1, 1, 1, "一般公共服务支出"}, {2, 2, 1, 1, "30.00"}, {2, 3, 1, 1, "20.00"}, {2, 4, 1, 1, "--"},
      {2, 5, 1, 1, "6.00"},     {2, 8, 1, 1, "4.00"}};
  MapperOutput out = MapTables({PageOf(1, {GridOf(3, 9, cells)}, {"收入决算表"})}, Schema());
  CHECK(Keys(out, "公开02表") == std::set<std::string>{"合计/1=30.00", "合计/2=20.00", "合计/4=6.00",
                                                      "合计/7=4.00", "201/1=30.00", "201/2=20.00",
                                                      "201/4=6.00", "201/7=4.00"});
  CHECK(out.coverage.unmapped == 0);
  CHECK(out.coverage.mapped == 8);
}

TEST_CASE("A scan's 公开01表 with garbled headers keys its figures by position, row by row", "[mapper][layout]") {
  // The group titles 收入 | 支出 (garbled) span blank columns the text
  // alignment opened; they give those columns no place of the template.
  // The left 决算数 header is garbled; the right one is read but stands
  // over no figure, two columns from its figures (a speck between). Two
  // lines with no rule between them, each with its own figure, are two
  // rows even though OCR misread both names.
  std::vector<CellSpec> cells = {
      {0, 0, 1, 3, "改入"}, {0, 3, 1, 4, "码出"},
      {1, 0, 1, 1, "项叶"}, {1, 2, 1, 1, "让得数"}, {1, 3, 1, 1, "项目"}, {1, 4, 1, 1, "决算数"},
      {2, 0, 1, 1, "一盘公共款南遇武志区息入"}, {2, 2, 1, 1, "100.00"},
      {2, 3, 1, 1, "一般公共服务支出"}, {2, 6, 1, 1, "80.00"},
      {3, 0, 1, 1, "政府性基金预算财政搜教收入"}, {3, 2, 1, 1, "50.00"},
      {3, 3, 1, 1, "外交支出"}, {3, 5, 1, 1, "2"}, {3, 6, 1, 1, "70.00"},
      {4, 0, 1, 1, "本年收入合计"}, {4, 2, 1, 1, "150.00"}, {4, 3, 1, 1, "本年支出合计"}, {4, 6, 1, 1, "150.00"},
      {5, 0, 1, 1, "总计"}, {5, 2, 1, 1, "150.00"}, {5, 3, 1, 1, "总计"}, {5, 6, 1, 1, "150.00"}};
  TableGrid grid = GridOf(6, 7, cells, 100, {3}, Ruling::kHorizontalOnly);
  for (Cell& cell : grid.cells) cell.source = TextSource::kOcr;
  MapperOutput out = MapTables({PageOf(1, {grid}, {"收入支出决算总表"})}, Schema());
  CHECK(Keys(out, "公开01表") == std::set<std::string>{"一般公共服务支出/2=80.00", "外交支出/2=70.00",
                                                      "本年收入合计/1=150.00", "本年支出合计/2=150.00",
                                                      "总计/1=150.00", "总计/2=150.00"});
  // The misread names' figures are accounted for, unkeyed, each under its
  // own name.
  CHECK(out.coverage.unmapped == 2);
  int under_own_name = 0;
  for (const Finding& f : out.findings) {
    if (f.kind != "unmapped") continue;
    under_own_name += f.message.find("'一盘公共款南遇武志区息入'") != std::string::npos ||
                      f.message.find("'政府性基金预算财政搜教收入'") != std::string::npos;
  }
  CHECK(under_own_name == 2);
}

TEST_CASE("Figure columns under one garbled run of header words take the template's order", "[mapper][layout]") {
  // 公开03表 read by OCR: the headers of its first three columns came out as
  // one run over all three ("玉生支出合计“基本支出“项个变出": two names and a
  // garble), the others garbled one by one, two of them blank below. No
  // header names its column, and the run names two columns for three; by
  // count and order the six columns are the template's six.
  std::vector<CellSpec> cells = {
      {0, 0, 1, 1, "科目编码"}, {0, 1, 1, 1, "科目名称"}, {0, 2, 1, 3, "玉生支出合计“基本支出“项个变出"},
      {0, 5, 1, 1, "上响上颖赤出二"}, {0, 6, 1, 1, "寻世友出"}, {0, 7, 1, 1, "人"},
      {1, 1, 1, 1, "合计"},     {1, 2, 1, 1, "50.00"},    {1, 3, 1, 1, "30.00"},    {1, 4, 1, 1, "15.00"},
      {1, 6, 1, 1, "5.00"},     {2, 0, 1, 1, "201"},      {2, 1, 1, 1, "一般公共服务支出"},
      {2, 2, 1, 1, "50.00"},    {2, 3, 1, 1, "30.00"},    {2, 4, 1, 1, "15.00"},    {2, 6, 1, 1, "5.00"}};
  MapperOutput out = MapTables({PageOf(1, {GridOf(3, 8, cells)}, {"支出决算表"})}, Schema());
  CHECK(Keys(out, "公开03表") == std::set<std::string>{"合计/1=50.00", "合计/2=30.00", "合计/3=15.00",
                                                      "合计/5=5.00", "201/1=50.00", "201/2=30.00",
                                                      "201/3=15.00", "201/5=5.00"});
  CHECK(out.coverage.unmapped == 0);
}

TEST_CASE("A header line OCR read as Latin debris names no column", "[mapper][layout]") {
  // 公开06表 as a 三线表 on a scan: the rule under the header and the words
  // touching it read as one run of Latin letters across the table. Taken as
  // the header's last level it would be every column's name.
  // The words 科目名称, garbled, stand over an empty column of their own
  // (centred over the names, which are set left).
  std::vector<CellSpec> cells = {
      {0, 0, 1, 1, "科日坊"},   {0, 2, 1, 1, "和日名标"}, {0, 3, 1, 1, "决算数"},
      {1, 0, 1, 4, "EARLES E光贷醒机关基ISLA D LE II CI"},
      {2, 0, 1, 1, "30101"},    {2, 1, 1, 1, "基本工资"}, {2, 3, 1, 1, "19.30"},
      {3, 0, 1, 1, "30201"},    {3, 1, 1, 1, "办公费"},   {3, 3, 1, 1, "3.41"}};
  MapperOutput out = MapTables({PageOf(1, {GridOf(4, 4, cells)}, {"一般公共预算财政拨款基本支出决算表"})}, Schema());
  CHECK(Keys(out, "公开06表") == std::set<std::string>{"30101/1=19.30", "30201/1=3.41"});
}

TEST_CASE("A scan's 栏次 row with its word and a number misread still numbers the columns", "[mapper][layout]") {
  // Read by OCR at low resolution: every header word garbled, 栏次 read as
  // "位砍", column 3 read as "2", and a speck in the 款 column read as an
  // ideograph. The 栏次 numbers key the columns; the column between the 类
  // codes and the names holds the 款 parts.
  std::vector<CellSpec> cells = {
      {0, 0, 1, 1, "村和合坊"}, {0, 1, 1, 1, "胡"},       {0, 2, 1, 1, "和旧名杂"}, {0, 3, 1, 1, "盯年政入"},
      {0, 4, 1, 1, "娃政琉球"}, {0, 5, 1, 1, "上自补下"}, {0, 6, 1, 1, "事登移天"}, {1, 0, 1, 3, "位砍"},
      {1, 3, 1, 1, "1"},        {1, 4, 1, 1, "2"},        {1, 5, 1, 1, "2"},        {1, 6, 1, 1, "4"},
      {2, 1, 1, 1, "了"},       {2, 2, 1, 1, "合计"},     {2, 3, 1, 1, "30.00"},    {2, 4, 1, 1, "20.00"},
      {2, 5, 1, 1, "6.00"},     {2, 6, 1, 1, "4.00"},     {3, 0, 1, 1, "201"},      {3, 2, 1, 1, "一般公共服务支出"},
      {3, 3, 1, 1, "30.00"},    {3, 4, 1, 1, "20.00"},    {3, 5, 1, 1, "6.00"},     {3, 6, 1, 1, "4.00"},
      {4, 0, 1, 1, "201"},      {4, 1, 1, 1, "03"},       {4, 2, 1, 1, "政府办公厅（室）及相关机构事务"},
      {4, 3, 1, 1, "30.00"},    {4, 4, 1, 1, "20.00"},    {4, 5, 1, 1, "6.00"},     {4, 6, 1, 1, "4.00"},
      {5, 0, 1, 1, "201"},      {5, 1, 1, 1, "06"},       {5, 2, 1, 1, "财政事务"}, {5, 3, 1, 1, "5.00"}};
  MapperOutput out = MapTables({PageOf(1, {GridOf(6, 7, cells)}, {"收入决算表"})}, Schema());
  CHECK(Keys(out, "公开02表") == std::set<std::string>{"合计/1=30.00", "合计/2=20.00", "合计/3=6.00",
                                                      "合计/4=4.00", "201/1=30.00", "201/2=20.00",
                                                      "201/3=6.00", "201/4=4.00", "20103/1=30.00",
                                                      "20103/2=20.00", "20103/3=6.00", "20103/4=4.00",
                                                      "20106/1=5.00"});
}

TEST_CASE("A 栏次 number misread beside a blank column is mended from the whole row's numbers", "[mapper][layout]") {
  // "1 2 3 4 3": the 经营收入 column's 5 read as 3, and the 上级补助收入
  // column (3) blank in every row. Among the figure columns alone the
  // numbers run "1 2 4 3", which brackets nothing; the row's numbers do.
  std::vector<CellSpec> cells = {
      {0, 0, 1, 1, "科目编码"}, {0, 1, 1, 1, "科目名称"}, {0, 2, 1, 1, "本年收入合计"}, {0, 3, 1, 1, "财政拨款收入"},
      {0, 4, 1, 1, "上级补助收入"}, {0, 5, 1, 1, "事业收入"}, {0, 6, 1, 1, "经营收入"},
      {1, 1, 1, 1, "栏次"},     {1, 2, 1, 1, "1"},        {1, 3, 1, 1, "2"},        {1, 4, 1, 1, "3"},
      {1, 5, 1, 1, "4"},        {1, 6, 1, 1, "3"},
      {2, 1, 1, 1, "合计"},     {2, 2, 1, 1, "30.00"},    {2, 3, 1, 1, "20.00"},    {2, 5, 1, 1, "6.00"},
      {2, 6, 1, 1, "4.00"},     {3, 0, 1, 1, "201"},      {3, 1, 1, 1, "一般公共服务支出"},
      {3, 2, 1, 1, "30.00"},    {3, 3, 1, 1, "20.00"},    {3, 5, 1, 1, "6.00"},     {3, 6, 1, 1, "4.00"}};
  MapperOutput out = MapTables({PageOf(1, {GridOf(4, 7, cells)}, {"收入决算表"})}, Schema());
  CHECK(Keys(out, "公开02表") == std::set<std::string>{"合计/1=30.00", "合计/2=20.00", "合计/4=6.00", "合计/5=4.00",
                                                      "201/1=30.00", "201/2=20.00", "201/4=6.00", "201/5=4.00"});
}

TEST_CASE("A figure under a column the template does not have is an unmapped finding", "[mapper][coverage]") {
  TableGrid grid = GridOf(3, 5, {{0, 0, 1, 1, "科目编码"}, {0, 1, 1, 1, "科目名称"}, {0, 2, 1, 1, "本年收入合计"},
                                 {0, 3, 1, 1, "财政拨款收入"}, {0, 4, 1, 1, "备查数"}, {1, 1, 1, 1, "合计"},
                                 {1, 2, 1, 1, "9.00"}, {1, 3, 1, 1, "9.00"}, {1, 4, 1, 1, "3.21"},
                                 {2, 0, 1, 1, "201"}, {2, 1, 1, 1, "一般公共服务支出"}, {2, 2, 1, 1, "9.00"},
                                 {2, 3, 1, 1, "9.00"}});
  MapperOutput out = MapTables({PageOf(3, {grid}, {"收入决算表"})}, Schema());
  CHECK(out.coverage.figures == 5);
  CHECK(out.coverage.mapped == 4);
  CHECK(out.coverage.unmapped == 1);
  REQUIRE(CountFindings(out, "unmapped") == 1);
  for (const Finding& f : out.findings) {
    if (f.kind != "unmapped") continue;
    REQUIRE(f.place.has_value());
    CHECK(f.place->page == 3);
    CHECK(f.place->text == "3.21");
    CHECK(f.message.find("公开02表 p3 r1 c4") == 0);
  }
  CHECK_FALSE(out.coverage.Complete());
}

namespace {

// A page set glyph by glyph: CJK characters one em wide, ASCII half an em,
// rules drawn into a raster; read as the pipeline reads a text layer (tables
// detected, cells filled and normalised), then mapped.
struct TextPage {
  double em = 7;
  double width = 842, height = 595;  // landscape A4, points
  std::vector<Glyph> glyphs;
  std::vector<std::tuple<double, double, double>> rules;  // y, x0, x1

  static double Advance(const std::string& text, size_t at, double em) {
    return static_cast<unsigned char>(text[at]) < 0x80 ? 0.5 * em : em;
  }
  double Width(const std::string& text) const {
    double w = 0;
    for (size_t i = 0; i < text.size(); i += static_cast<unsigned char>(text[i]) < 0x80 ? 1 : 3) w += Advance(text, i, em);
    return w;
  }
  void Left(const std::string& text, double x0, double cy) {
    for (size_t i = 0; i < text.size();) {
      const size_t n = static_cast<unsigned char>(text[i]) < 0x80 ? 1 : 3;
      const double advance = Advance(text, i, em);
      Glyph g;
      g.text = text.substr(i, n);
      g.box = Box{x0, cy - em / 2, x0 + advance, cy + em / 2};
      glyphs.push_back(g);
      x0 += advance;
      i += n;
    }
  }
  void Right(const std::string& text, double x1, double cy) { Left(text, x1 - Width(text), cy); }
  void Centre(const std::string& text, double cx, double cy) { Left(text, cx - Width(text) / 2, cy); }
  void Rule(double y, double x0, double x1) { rules.emplace_back(y, x0, x1); }

  PageLayout Read(int number, const std::vector<std::string>& captions) const {
    constexpr double kDpi = 100, kPt = 72.0 / kDpi;
    Raster raster;
    raster.dpi = kDpi;
    raster.width = static_cast<int>(width / kPt);
    raster.height = static_cast<int>(height / kPt);
    raster.pixels.assign(static_cast<size_t>(raster.width) * raster.height, 255);
    for (const auto& [y, x0, x1] : rules) {
      const int py = static_cast<int>(y / kPt);
      for (int px = static_cast<int>(x0 / kPt); px <= static_cast<int>(x1 / kPt); ++px) {
        raster.pixels[static_cast<size_t>(py) * raster.width + px] = 0;
      }
    }
    PageLayout page;
    page.page = number;
    page.width = width;
    page.height = height;
    page.grids = DetectTables(raster, glyphs, DetectOptions{});
    for (TableGrid& grid : page.grids) {
      grid.page = number;
      FillCells(grid, glyphs);
      for (Cell& cell : grid.cells) cell.text = NormaliseText(cell.raw_text);
    }
    double y = 20;
    for (const std::string& caption : captions) {
      page.lines.push_back(TextLine{number, Box{100, y, 400, y + 12}, caption});
      y += 14;
    }
    return page;
  }
};

}  // namespace

TEST_CASE("A group title over three columns that overlaps one of their headers heads them all", "[mapper][text-grid]") {
  // 公开07表 with narrow headers: 公务用车购置及运行费 is centred over 小计 |
  // 购置费 | 运行费 and overlaps only the middle header; the figures are set
  // right in their columns, clear of the short 小计 header. Read as a leaf,
  // the title hid the boundary between 小计 and 购置费.
  TextPage page;
  const double x0 = 40, pitch = 63.5;
  auto centre = [&](int col) { return x0 + pitch * (col + 0.5); };
  auto right = [&](int col) { return x0 + pitch * (col + 1) - 2.5; };
  page.Rule(126, x0, x0 + 12 * pitch);
  page.Rule(176, x0, x0 + 12 * pitch);
  page.Rule(192, x0, x0 + 12 * pitch);
  for (int half = 0; half < 2; ++half) {
    const int c = 6 * half;
    page.Centre(half == 0 ? "预算数" : "决算数", x0 + pitch * (c + 3), 134.7);
    page.Centre("公务用车购置及运行费", centre(c + 3), 151.7);
    page.Centre("合计", centre(c), 160.2);
    page.Centre("因公出国（境）费", centre(c + 1), 160.2);
    page.Centre("公务接待费", centre(c + 5), 160.2);
    page.Centre("小计", centre(c + 2), 168.7);
    page.Centre("公务用车购置费", centre(c + 3), 168.7);
    page.Centre("公务用车运行费", centre(c + 4), 168.7);
  }
  const std::vector<std::pair<int, std::string>> figures = {{0, "5.61"}, {2, "4.42"}, {4, "4.42"},  {5, "1.19"},
                                                           {6, "4.07"}, {8, "3.14"}, {10, "3.14"}, {11, "0.93"}};
  for (const auto& [col, text] : figures) page.Right(text, right(col), 184.7);
  MapperOutput out = MapTables({page.Read(12, {"一般公共预算财政拨款“三公”经费支出决算表"})}, Schema());
  CHECK(Keys(out, "公开07表") == std::set<std::string>{"1/1=5.61", "1/3=4.42", "1/5=4.42", "1/6=1.19",
                                                      "1/7=4.07", "1/9=3.14", "1/11=3.14", "1/12=0.93"});
  CHECK(out.coverage.unmapped == 0);
}

TEST_CASE("A group title centred in the gap between two headers is no column of its own", "[mapper][text-grid]") {
  // 公开04表 ruled as a 三线表: 决算数 over 合计 | 一般公共预算 | 政府性基金 |
  // 国有资本经营 sits between the two middle headers, over neither; on this
  // page only 合计 and 一般公共预算 hold figures. Read as a leaf it closed
  // the gap between the two middle headers: their columns read as one, and
  // the 一般公共预算 figures went to 政府性基金.
  TextPage page;
  const double top = 138.5, header_end = 190, pitch = 20;
  page.Rule(top, 40, 800);
  page.Rule(header_end, 40, 800);
  page.Centre("收入", 158.4, 147.5);
  page.Centre("支出", 538.4, 147.5);
  page.Centre("决算数", 600, 164.5);
  page.Centre("项目", 114, 173);
  page.Centre("决算数", 232.4, 173);
  page.Centre("项目", 338.4, 173);
  page.Centre("合计", 450, 181.5);
  page.Centre("一般公共预算财政拨款", 550, 181.5);
  page.Centre("政府性基金预算财政拨款", 650, 181.5);
  page.Centre("国有资本经营预算财政拨款", 750, 181.5);
  struct Row {
    std::string income, income_amount, spending, total, general;
  };
  const std::vector<Row> rows = {{"一、一般公共预算财政拨款", "100.00", "一、一般公共服务支出", "60.00", "60.00"},
                                 {"", "", "八、社会保障和就业支出", "40.00", "40.00"},
                                 {"本年收入合计", "100.00", "本年支出合计", "100.00", "100.00"}};
  double y = header_end + 12;
  for (const Row& row : rows) {
    if (!row.income.empty()) page.Left(row.income, 42.5, y);
    if (!row.income_amount.empty()) page.Right(row.income_amount, 274, y);
    page.Left(row.spending, 279, y);
    page.Right(row.total, 497.5, y);
    page.Right(row.general, 597.5, y);
    y += pitch;
  }
  page.Rule(y - pitch / 2 + 6, 40, 800);
  MapperOutput out = MapTables({page.Read(8, {"财政拨款收入支出决算总表"})}, Schema());
  CHECK(Keys(out, "公开04表") ==
        std::set<std::string>{"一般公共预算财政拨款/1=100.00", "一般公共服务支出/2=60.00", "一般公共服务支出/3=60.00",
                              "社会保障和就业支出/2=40.00", "社会保障和就业支出/3=40.00", "本年收入合计/1=100.00",
                              "本年支出合计/2=100.00", "本年支出合计/3=100.00"});
  CHECK(out.coverage.unmapped == 0);
}

TEST_CASE("Figures set a little below their labels go to the label they are printed closer to", "[mapper][layout]") {
  // Every label but the last is set without figures, each row of figures a
  // few points under its label and a whole line above the next one: only
  // where the text is printed says which label the figures belong to (the
  // rows cut between the lines are all alike). A wrapped label's second
  // line under its figures says nothing either way.
  std::vector<CellSpec> cells = {{0, 0, 1, 1, "科目编码"}, {0, 1, 1, 1, "科目名称"}, {0, 2, 1, 1, "小计"},
                                 {0, 3, 1, 1, "基本支出"}, {0, 4, 1, 1, "项目支出"},
                                 {1, 0, 1, 1, "21004"},    {1, 1, 1, 1, "公共卫生"},
                                 {2, 2, 1, 1, "300.00"},   {2, 3, 1, 1, "100.00"}, {2, 4, 1, 1, "200.00"},
                                 {3, 0, 1, 1, "2100401"},  {3, 1, 1, 1, "疾病预防控制机构"},
                                 {4, 2, 1, 1, "120.00"},   {4, 4, 1, 1, "120.00"},
                                 {5, 0, 1, 1, "2296002"},  {5, 1, 1, 1, "用于社会福利的彩票公益"},
                                 {6, 2, 1, 1, "180.00"},   {6, 3, 1, 1, "100.00"}, {6, 4, 1, 1, "80.00"},
                                 {7, 1, 1, 1, "金支出"},
                                 {8, 0, 1, 1, "2296003"},  {8, 1, 1, 1, "用于体育事业的彩票公益金支出"},
                                 {8, 2, 1, 1, "50.00"},    {8, 4, 1, 1, "50.00"}};
  TableGrid grid = GridOf(9, 5, cells, 100, {2, 3, 4, 5, 6, 7, 8}, Ruling::kNone);
  // Text as printed: a label at its line, its figures 6pt under it (14pt
  // above the next label), the wrapped line 9pt under the label.
  const std::map<int, double> printed_at = {{1, 110}, {2, 116}, {3, 130}, {4, 136}, {5, 150},
                                            {6, 156}, {7, 159}, {8, 170}};
  for (Cell& cell : grid.cells) {
    if (cell.row == 0 || CompactText(cell.text).empty()) continue;
    const double cy = printed_at.at(cell.row);
    cell.text_box = Box{cell.box.x0 + 2, cy - 3.5, cell.box.x1 - 2, cy + 3.5};
  }
  MapperOutput out = MapTables({PageOf(1, {grid}, {"一般公共预算财政拨款支出决算表"})}, Schema());
  CHECK(Keys(out, "公开05表") == std::set<std::string>{"21004/1=300.00", "21004/2=100.00", "21004/3=200.00",
                                                      "2100401/1=120.00", "2100401/3=120.00", "2296002/1=180.00",
                                                      "2296002/2=100.00", "2296002/3=80.00", "2296003/1=50.00",
                                                      "2296003/3=50.00"});
  CHECK(out.coverage.unmapped == 0);
}

TEST_CASE("A line of labels whose zeros are printed as dashes is a row of the table, not its header", "[mapper][text-grid]") {
  // The last rows of a 公开01表 printed without rules. The line 使用非财政拨款
  // 结余 — 结余分配 — holds no digit; read as header words, its dashes
  // stood over the figures of 决算数 and cut the column in two, the figures
  // under a half without a header.
  TextPage page;
  page.width = 595;
  page.height = 842;
  page.Centre("收入", 168.8, 58.3);
  page.Centre("支出", 426.5, 58.3);
  page.Centre("项目", 101, 75.3);
  page.Centre("决算数", 229.8, 75.3);
  page.Centre("项目", 358.7, 75.3);
  page.Centre("决算数", 487.5, 75.3);
  page.Centre("栏次", 101, 92.3);
  page.Centre("1", 229.8, 92.3);
  page.Centre("栏次", 358.7, 92.3);
  page.Centre("2", 487.5, 92.3);
  page.Left("使用非财政拨款结余", 42.5, 108.3);
  page.Right("—", 295.1, 108.3);
  page.Left("结余分配", 300.1, 108.3);
  page.Right("—", 552.8, 108.3);
  page.Left("年初结转和结余", 42.5, 123.3);
  page.Right("335.61", 295.1, 123.3);
  page.Left("年末结转和结余", 300.1, 123.3);
  page.Right("712.61", 552.8, 123.3);
  page.Centre("总计", 101, 138.3);
  page.Right("14,330.41", 295.1, 138.3);
  page.Centre("总计", 358.7, 138.3);
  page.Right("14,330.41", 552.8, 138.3);
  MapperOutput out = MapTables({page.Read(3, {"收入支出决算总表（续）"})}, Schema());
  CHECK(Keys(out, "公开01表") == std::set<std::string>{"年初结转和结余/1=335.61", "年末结转和结余/2=712.61",
                                                      "总计/1=14330.41", "总计/2=14330.41"});
  CHECK(out.coverage.unmapped == 0);
}

TEST_CASE("A table without rules whose figures sit under their labels is one table across rows left blank", "[mapper][text-grid]") {
  // Rows 20pt apart, each row's figures 5pt under its label, zeros left
  // blank: the table's row pitch is from one line of figures to the next,
  // not from a label to the figures just under it. Measured that way, two
  // labels without figures a row apart no longer end the table.
  TextPage page;
  page.width = 595;
  page.height = 842;
  page.Centre("收入", 169.8, 100);
  page.Centre("支出", 426, 100);
  page.Centre("项目", 108, 117);
  page.Centre("行次", 195, 117);
  page.Centre("决算数", 256.5, 117);
  page.Centre("项目", 348, 117);
  page.Centre("行次", 430.5, 117);
  page.Centre("决算数", 508.5, 117);
  struct Row {
    std::string income, income_line, income_amount, spending, spending_line, spending_amount;
  };
  const std::vector<Row> rows = {
      {"一、一般公共预算财政拨款收入", "1", "1,000.00", "一、一般公共服务支出", "31", "400.00"},
      {"二、政府性基金预算财政拨款收入", "2", "", "二、外交支出", "32", ""},
      {"三、国有资本经营预算财政拨款收入", "3", "", "三、国防支出", "33", ""},
      {"四、上级补助收入", "4", "", "四、公共安全支出", "34", ""},
      {"", "5", "", "五、教育支出", "35", "800.00"},
      {"", "6", "", "六、科学技术支出", "36", ""},
      {"", "7", "", "七、文化旅游体育与传媒支出", "37", ""},
      {"", "8", "", "八、社会保障和就业支出", "38", "200.00"},
      {"本年收入合计", "9", "1,000.00", "本年支出合计", "39", "1,400.00"},
      {"使用非财政拨款结余", "10", "400.00", "结余分配", "40", ""},
      {"总计", "11", "1,400.00", "总计", "41", "1,400.00"}};
  double y = 137;
  for (const Row& row : rows) {
    if (!row.income.empty()) page.Left(row.income, 42.5, y);
    page.Centre(row.income_line, 195, y);
    if (!row.income_amount.empty()) page.Right(row.income_amount, 295, y + 5);
    page.Left(row.spending, 300, y);
    page.Centre(row.spending_line, 430.5, y);
    if (!row.spending_amount.empty()) page.Right(row.spending_amount, 552, y + 5);
    y += 20;
  }
  MapperOutput out = MapTables({page.Read(2, {"收入支出决算总表"})}, Schema());
  CHECK(Keys(out, "公开01表") ==
        std::set<std::string>{"一般公共预算财政拨款收入/1=1000.00", "一般公共服务支出/2=400.00", "教育支出/2=800.00",
                              "社会保障和就业支出/2=200.00", "本年收入合计/1=1000.00", "本年支出合计/2=1400.00",
                              "使用非财政拨款结余/1=400.00", "总计/1=1400.00", "总计/2=1400.00"});
  CHECK(out.coverage.unmapped == 0);
  CHECK(CountFindings(out, "unidentified_table") == 0);
  // One grid: pieces cut at the blank rows are stitched only while their
  // columns happen to line up.
  REQUIRE(out.tables.size() == 1);
  CHECK(out.tables[0].grids.size() == 1);
}

TEST_CASE("A tail's first row set above the page's first rule stays in the table", "[mapper][text-grid]") {
  // Rules under every row and none over the first: a 公开04表 continued on
  // the next page starts there with a row above its first rule, a label
  // with its one figure set under it, too slight to be taken for a table of
  // its own.
  TextPage head, tail;
  const double x0 = 40, x1 = 800;
  head.Rule(100, x0, x1);
  head.Centre("收入", 165, 108);
  head.Centre("支出", 545, 108);
  head.Centre("项目", 120, 122);
  head.Centre("决算数", 245, 122);
  head.Centre("项目", 365, 122);
  head.Centre("决算数", 620, 122);
  head.Centre("合计", 485, 134);
  head.Centre("一般公共预算财政拨款", 575, 134);
  head.Centre("政府性基金预算财政拨款", 665, 134);
  head.Centre("国有资本经营预算财政拨款", 755, 134);
  head.Rule(142, x0, x1);
  struct Row {
    std::string income, income_amount, spending, total, general;
  };
  const std::vector<Row> rows = {{"一、一般公共预算财政拨款", "100.00", "一、一般公共服务支出", "80.00", "80.00"},
                                 {"本年收入合计", "100.00", "本年支出合计", "80.00", "80.00"},
                                 {"年初财政拨款结转和结余", "25.00", "年末财政拨款结转和结余", "45.00", "45.00"},
                                 {"一般公共预算财政拨款", "20.00", "", "", ""}};
  double y = 152;
  for (const Row& row : rows) {
    head.Left(row.income, 42.5, y);
    head.Right(row.income_amount, 287, y + 5.4);
    if (!row.spending.empty()) {
      head.Left(row.spending, 292.5, y);
      head.Right(row.total, 527, y + 5.4);
      head.Right(row.general, 617, y + 5.4);
    }
    head.Rule(y + 10, x0, x1);
    y += 20;
  }
  tail.Left("政府性基金预算财政拨款", 42.5, 55);
  tail.Right("4.00", 287, 60.4);
  tail.Rule(65, x0, x1);
  tail.Left("国有资本经营预算财政拨款", 42.5, 75);
  tail.Right("1.00", 287, 80.4);
  tail.Rule(85, x0, x1);
  tail.Centre("总计", 120, 95);
  tail.Centre("总计", 370, 95);
  tail.Right("125.00", 287, 100.4);
  tail.Right("125.00", 527, 100.4);
  tail.Right("125.00", 617, 100.4);
  tail.Rule(105, x0, x1);
  MapperOutput out = MapTables({head.Read(5, {"财政拨款收入支出决算总表"}), tail.Read(6, {})}, Schema());
  CHECK(Keys(out, "公开04表") ==
        std::set<std::string>{"一般公共预算财政拨款/1=100.00", "一般公共服务支出/2=80.00", "一般公共服务支出/3=80.00",
                              "本年收入合计/1=100.00", "本年支出合计/2=80.00", "本年支出合计/3=80.00",
                              "年初财政拨款结转和结余/1=25.00", "年末财政拨款结转和结余/2=45.00",
                              "年末财政拨款结转和结余/3=45.00", "年初财政拨款结转和结余:一般公共预算财政拨款/1=20.00",
                              "年初财政拨款结转和结余:政府性基金预算财政拨款/1=4.00",
                              "年初财政拨款结转和结余:国有资本经营预算财政拨款/1=1.00", "总计/1=125.00", "总计/2=125.00",
                              "总计/3=125.00"});
  CHECK(out.coverage.unmapped == 0);
}

TEST_CASE("One column under the header words of two keys neither: its figures are unmapped", "[mapper][coverage]") {
  // Two headers set close were read as one and the boundary between their
  // columns was not found: the figure under them may be either column's.
  std::vector<CellSpec> cells = {{0, 0, 1, 2, "收入"}, {0, 2, 1, 4, "支出"},
                                 {1, 0, 1, 1, "项目"}, {1, 1, 1, 1, "决算数"}, {1, 2, 1, 1, "项目"},
                                 {1, 3, 1, 1, "合计"}, {1, 4, 1, 1, "一般公共预算财政拨款政府性基金预算财政拨款"},
                                 {1, 5, 1, 1, "国有资本经营预算财政拨款"},
                                 {3, 0, 1, 1, "一、一般公共预算财政拨款"}, {3, 1, 1, 1, "100.00"},
                                 {3, 2, 1, 1, "一、一般公共服务支出"}, {3, 3, 1, 1, "60.00"}, {3, 4, 1, 1, "60.00"}};
  SECTION("without a 栏次 row") {
    TableGrid grid = GridOf(4, 6, cells);
    MapperOutput out = MapTables({PageOf(8, {grid}, {"财政拨款收入支出决算总表"})}, Schema());
    CHECK(Keys(out, "公开04表") == std::set<std::string>{"一般公共预算财政拨款/1=100.00", "一般公共服务支出/2=60.00"});
    CHECK(out.coverage.unmapped == 1);
    CHECK_FALSE(out.coverage.Complete());
  }
  SECTION("a 栏次 number under it settles it") {
    cells.insert(cells.end(), {{2, 0, 1, 1, "栏次"}, {2, 1, 1, 1, "1"}, {2, 2, 1, 1, "栏次"}, {2, 3, 1, 1, "2"},
                               {2, 4, 1, 1, "3"}, {2, 5, 1, 1, "5"}});
    TableGrid grid = GridOf(4, 6, cells);
    MapperOutput out = MapTables({PageOf(8, {grid}, {"财政拨款收入支出决算总表"})}, Schema());
    CHECK(Keys(out, "公开04表") == std::set<std::string>{"一般公共预算财政拨款/1=100.00", "一般公共服务支出/2=60.00",
                                                        "一般公共服务支出/3=60.00"});
    CHECK(out.coverage.unmapped == 0);
  }
}

TEST_CASE("Contents lists and chart legends drawn as grids are no table regions; untitled tables stay", "[mapper][coverage]") {
  // A contents list: numbering, the tables' titles, chapters and page numbers.
  TableGrid contents = GridOf(5, 3, {{0, 0, 1, 1, "1."}, {0, 1, 1, 1, "2024年部门收入支出决算总表"}, {0, 2, 1, 1, "5"},
                                     {1, 0, 1, 1, "2."}, {1, 1, 1, 1, "2024年部门收入决算表"}, {1, 2, 1, 1, "6"},
                                     {2, 0, 1, 1, "3."}, {2, 1, 1, 1, "2024年部门支出决算表"}, {2, 2, 1, 1, "7"},
                                     {3, 0, 1, 1, "4."}, {3, 1, 1, 1, "财政拨款收入支出决算总表……"}, {3, 2, 1, 1, "8"},
                                     {4, 0, 1, 1, "三、"}, {4, 1, 1, 1, "其他重要事项的情况说明"}});
  // A pie chart's labels read as a grid, and its legend drawn as a small one.
  TableGrid shares = GridOf(3, 2, {{0, 0, 1, 1, "基本支出, 59.07%"}, {0, 1, 1, 1, "项目支出,"},
                                   {1, 1, 1, 1, "40.93%"}, {2, 0, 1, 2, "支出决算结构图"}});
  TableGrid legend = GridOf(1, 3, {{0, 0, 1, 1, "基本支出"}, {0, 1, 1, 1, "项目支出"}}, 200, {}, Ruling::kHorizontalOnly);
  std::vector<PageLayout> pages = {PageOf(2, {contents}, {"目 录"}), PageOf(9, {shares, legend})};
  MapperOutput out = MapTables(pages, Schema());
  REQUIRE(out.tables.size() == 3);
  CHECK(DropNonTables(out.tables, pages, Schema()) == 3);
  CHECK(out.tables.empty());

  // Grids whose words could be a chart's or a list's but that hold what a
  // table holds stay unidentified tables, reported as such.
  SECTION("an untitled grid with figures") {
    TableGrid grid = GridOf(2, 2, {{0, 0, 1, 1, "基本支出"}, {0, 1, 1, 1, "项目支出"},
                                   {1, 0, 1, 1, "1,234.00"}, {1, 1, 1, 1, "56.00"}}, 200);
    PageLayout page = PageOf(9, {shares, grid});
    CHECK_FALSE(IsNotATable(page.grids[1], &page, Schema()));
  }
  SECTION("an untitled grid with a table's header words and no figure (an empty table)") {
    TableGrid grid = GridOf(2, 2, {{0, 0, 1, 1, "科目名称"}, {0, 1, 1, 1, "金额"}, {1, 0, 1, 1, "合计"}}, 200);
    PageLayout page = PageOf(9, {shares, grid});
    CHECK_FALSE(IsNotATable(page.grids[1], &page, Schema()));
  }
  SECTION("a grid that names tables beside their figures") {
    TableGrid grid = GridOf(2, 2, {{0, 0, 1, 1, "收入决算表"}, {0, 1, 1, 1, "120.00"},
                                   {1, 0, 1, 1, "支出决算表"}, {1, 1, 1, 1, "118.00"}});
    CHECK_FALSE(IsNotATable(grid, nullptr, Schema()));
  }
  SECTION("a small grid of labels with no chart near it") {
    PageLayout page = PageOf(9, {legend});
    CHECK_FALSE(IsNotATable(page.grids[0], &page, Schema()));
  }
}

TEST_CASE("A coded table's total whose 合 OCR misread is still its 合计", "[mapper][layout]") {
  // Two characters ending in 计 in a table keyed by 科目编码: no 科目 is
  // named so, and the table's only such row is 合计.
  std::vector<CellSpec> cells = {
      {0, 0, 1, 1, "科目编码"}, {0, 1, 1, 1, "科目名称"},         {0, 2, 1, 1, "本年收入合计"}, {0, 3, 1, 1, "财政拨款收入"},
      {1, 1, 1, 1, "拾计"},     {1, 2, 1, 1, "30.00"},            {1, 3, 1, 1, "20.00"},        {2, 0, 1, 1, "201"},
      {2, 1, 1, 1, "一般公共服务支出"}, {2, 2, 1, 1, "30.00"}, {2, 3, 1, 1, "20.00"}};
  MapperOutput out = MapTables({PageOf(1, {GridOf(3, 4, cells)}, {"收入决算表"})}, Schema());
  CHECK(Keys(out, "公开02表") ==
        std::set<std::string>{"合计/1=30.00", "合计/2=20.00", "201/1=30.00", "201/2=20.00"});
  CHECK(out.coverage.unmapped == 0);
}

TEST_CASE("A garbled header centred apart from its column's figures does not count as a column of its own",
          "[mapper][layout]") {
  // 公开02表's seven columns under unreadable headers; the sixth's header
  // fell in a column of its own left of its figures, which have none.
  std::vector<CellSpec> cells = {
      {0, 0, 1, 1, "科目编码"}, {0, 1, 1, 1, "科目名称"}, {0, 2, 1, 1, "未年攻入合"}, {0, 3, 1, 1, "划政搜数"},
      {0, 4, 1, 1, "上绒补屿"}, {0, 5, 1, 1, "着必"},     {0, 6, 1, 1, "仁政和"},     {0, 7, 1, 1, "有关上"},
      {0, 9, 1, 1, "届太"},     {1, 1, 1, 1, "合计"},     {1, 2, 1, 1, "30.00"},      {1, 3, 1, 1, "20.00"},
      {1, 4, 1, 1, "一"},       {1, 5, 1, 1, "4.00"},     {1, 6, 1, 1, "一"},         {1, 8, 1, 1, "2.00"},
      {1, 9, 1, 1, "4.00"},     {2, 0, 1, 1, "201"},      {2, 1, 1, 1, "一般公共服务支出"}, {2, 2, 1, 1, "30.00"},
      {2, 3, 1, 1, "20.00"},    {2, 4, 1, 1, "--"},       {2, 5, 1, 1, "4.00"},       {2, 6, 1, 1, "一"},
      {2, 8, 1, 1, "2.00"},     {2, 9, 1, 1, "4.00"}};
  MapperOutput out = MapTables({PageOf(1, {GridOf(3, 10, cells)}, {"收入决算表"})}, Schema());
  CHECK(Keys(out, "公开02表") == std::set<std::string>{"合计/1=30.00", "合计/2=20.00", "合计/4=4.00", "合计/6=2.00",
                                                      "合计/7=4.00", "201/1=30.00", "201/2=20.00", "201/4=4.00",
                                                      "201/6=2.00", "201/7=4.00"});
  CHECK(out.coverage.unmapped == 0);
}
