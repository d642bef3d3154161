// Grids that hold no fiscal table: a contents list drawn as a grid, the
// labels and legend of a chart. Told apart by what their cells say, never by
// the absence of a title alone: an untitled grid with figures, codes or the
// header words of a table stays an unidentified table.
#include <algorithm>
#include <regex>

#include "extractors/tables/mapper_internal.h"
#include "extractors/tables/table_mapper.h"
#include "pipeline/core/utf8.h"
#include "pipeline/normalise/normalise.h"

namespace juesuan {

using namespace mapper;

namespace {

size_t Glyphs(const std::string& text) { return DecodeUtf8(text).size(); }

// "1.", "2、", "(3)", "一、", "①": a list's numbering, not a figure.
bool IsOrdinal(const std::string& text) {
  static const std::wregex kOrdinal(LR"(^(?:\d{1,2}[.．、]|[(（]\d{1,2}[)）]|[一二三四五六七八九十]+[、.．]|[①-⑳])$)");
  return std::regex_match(WidenUtf8(text), kOrdinal);
}

// A contents list's page number, bare or after dot leaders ("……12").
bool IsPageNumber(const std::string& text) {
  static const std::wregex kPage(LR"(^[.．…·-]*\d{1,3}$)");
  return std::regex_match(WidenUtf8(text), kPage);
}

// A share as charts label it: "13.48%", "项目支出, 27.45%".
bool HasPercentage(const std::string& text) {
  static const std::regex kPercent(R"(\d+(\.\d+)?%)");
  return std::regex_search(text, kPercent);
}

// A year standing alone ("2019", "2019年"): a chart's axis label.
bool IsYear(const std::string& text) {
  static const std::wregex kYear(LR"(^(19|20)\d{2}年?度?$)");
  return std::regex_match(WidenUtf8(text), kYear);
}

// A figure a table would key: an amount, a 科目编码, any other number that
// is not a list's numbering, a page number, a year or a share.
bool HoldsFigure(const std::string& text) {
  if (text.empty() || IsOrdinal(text) || IsPageNumber(text) || IsYear(text)) return false;
  if (IsPrintedAmount(text) || IsCode(text)) return true;
  if (HasPercentage(text)) return false;
  return IsFigureText(text);
}

// A cell a table's header or label column prints: 科目编码, 项目名称, 合计,
// 栏次, 单位：万元, 指标 … Long cells are running text, not header cells.
bool IsHeaderWord(const std::string& text, const TableSchema& schema) {
  if (Glyphs(text) > 10) return false;
  auto equals_any = [&](const std::vector<std::string>& words) {
    return std::find(words.begin(), words.end(), text) != words.end();
  };
  if (equals_any(schema.code_headers) || equals_any(schema.name_headers)) return true;
  for (const TableDef& def : schema.tables) {
    if (equals_any(def.label_headers)) return true;
  }
  for (const char* word : {"科目", "编码", "合计", "总计", "小计", "栏次", "行次", "单位:", "金额", "预算数",
                           "决算数", "指标", "分值", "得分"}) {
    if (Contains(text, word)) return true;
  }
  return false;
}

// A cell that names a standard table: its title or its caption code.
bool NamesTable(const std::string& text, const TableSchema& schema) {
  if (IdentifyCaption(text, schema, "juesuan") || IdentifyCaption(text, schema, "yusuan")) return true;
  static const std::regex kNumbered(R"(^表[1-9]\d?$)");
  return std::regex_match(text, kNumbered);
}

// A chart's caption or label: "支出预算图", "图1 收入结构", or a share.
bool NamesChart(const std::string& text) {
  if (HasPercentage(text)) return true;
  const std::u32string glyphs = DecodeUtf8(text);
  if (glyphs.empty() || glyphs.size() > 20) return false;
  static const std::regex kFigureNumber(R"(^图\d)");
  return glyphs.back() == U'图' || std::regex_search(text, kFigureNumber);
}

// Text on `page` within `reach` points above or below `box`: its lines and the
// cells of its other grids.
std::vector<std::string> TextNear(const TableGrid& grid, const PageLayout& page, double reach) {
  auto near = [&](const Box& b) { return b.y1 >= grid.box.y0 - reach && b.y0 <= grid.box.y1 + reach; };
  std::vector<std::string> texts;
  for (const TextLine& line : page.lines) {
    if (near(line.box)) texts.push_back(CompactText(line.text));
  }
  for (const TableGrid& other : page.grids) {
    // The grid itself (a table holds a copy of it, so it is told by its box).
    if (other.box.x0 == grid.box.x0 && other.box.y0 == grid.box.y0 && other.box.x1 == grid.box.x1) continue;
    for (const Cell& cell : other.cells) {
      if (near(cell.box)) texts.push_back(CompactText(cell.text));
    }
  }
  return texts;
}

}  // namespace

bool IsNotATable(const TableGrid& grid, const PageLayout* page, const TableSchema& schema) {
  std::vector<std::string> texts;
  for (const Cell& cell : grid.cells) {
    std::string text = CompactText(cell.text);
    if (!text.empty()) texts.push_back(std::move(text));
  }
  if (texts.empty()) return false;  // nothing says what it is
  int titles = 0, numbering = 0, shares = 0, header_words = 0;
  size_t longest = 0;
  for (const std::string& text : texts) {
    if (HoldsFigure(text)) return false;  // figures make a table, titled or not
    longest = std::max(longest, Glyphs(text));
    if (NamesTable(text, schema)) {
      ++titles;
    } else if (IsOrdinal(text) || IsPageNumber(text)) {
      ++numbering;
    } else if (IsHeaderWord(text, schema)) {
      ++header_words;
    }
    shares += HasPercentage(text);
  }
  // A contents list: table titles, their numbering and page numbers; the
  // chapters between them are not the words of a table's header.
  const int other = static_cast<int>(texts.size()) - titles - numbering;
  if (titles >= 2 && header_words == 0 && titles >= other) return true;
  if (header_words > 0) return false;
  // A chart's labels: shares of a whole ("基本支出, 59.07%") among its caption
  // and the text around it.
  if (shares > 0) return true;
  // A chart's legend: one or two rows of short labels next to a chart.
  if (grid.n_rows() <= 2 && texts.size() <= 8 && longest <= 12 && page != nullptr) {
    for (const std::string& text : TextNear(grid, *page, 200)) {
      if (NamesChart(text)) return true;
    }
  }
  return false;
}

int DropNonTables(std::vector<Table>& tables, const std::vector<PageLayout>& pages, const TableSchema& schema) {
  int dropped = 0;
  std::vector<Table> kept;
  for (Table& table : tables) {
    bool not_a_table = table.code.empty() && !table.grids.empty();
    for (const TableGrid& grid : table.grids) {
      if (!not_a_table) break;
      const PageLayout* page = nullptr;
      for (const PageLayout& p : pages) {
        if (p.page == grid.page) page = &p;
      }
      not_a_table = IsNotATable(grid, page, schema);
    }
    if (not_a_table) {
      dropped += static_cast<int>(table.grids.size());
    } else {
      kept.push_back(std::move(table));
    }
  }
  tables = std::move(kept);
  return dropped;
}

}  // namespace juesuan
