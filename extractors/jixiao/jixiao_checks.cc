// CheckJixiao, CheckJixiaoNarrative and JixiaoEvaluationToJson (declared in
// jixiao_mapper.h): the rules and the JSON form of a read evaluation.
#include "extractors/jixiao/jixiao_mapper.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>

#include "pipeline/core/utf8.h"
#include "pipeline/normalise/normalise.h"

namespace juesuan {
namespace {

// Ratios are compared as intervals: every printed figure stands for the
// range it rounds from, so a rate computed from 元 before the amounts were
// printed in 万元 still agrees. Rates and scores are not money; doubles with
// their rounding bounds are exact enough to decide.
struct Range {
  double lo = 0, hi = 0;
  bool Overlaps(const Range& o) const { return lo <= o.hi + 1e-9 && o.lo <= hi + 1e-9; }
};

double HalfUnit(const Decimal& d) { return 0.5 * std::pow(10.0, -d.scale()); }
Range RangeOf(const Decimal& d) { return {d.ToDouble() - HalfUnit(d), d.ToDouble() + HalfUnit(d)}; }
// Rates and scores are rounded by some spreadsheets and cut off by others
// (56.139% printed 56.13): the value may lie up to one unit above.
Range RoundedOrCut(const Decimal& d) { return {d.ToDouble() - HalfUnit(d), d.ToDouble() + 2 * HalfUnit(d)}; }

// 执行数 / 预算数 over the rounding ranges of both.
std::optional<Range> RateRange(const Decimal& executed, const Decimal& budget) {
  Range e = RangeOf(executed), b = RangeOf(budget);
  if (b.lo <= 0) return std::nullopt;
  return Range{std::max(0.0, e.lo) / b.hi, e.hi / b.lo};
}

bool IsPercent(const JixiaoFigure& rate, bool header_percent) {
  return header_percent || rate.printed.find('%') != std::string::npos || (rate.value && rate.value->ToDouble() > 1.5);
}

FindingCell CellOf(const std::string& table, const std::string& row, const std::string& col, const JixiaoFigure& f) {
  return FindingCell{table, row, col, f.page, f.box, f.printed};
}

std::string Where(const JixiaoEvaluation& ev, const JixiaoFigure& f) {
  return ev.table + " p" + std::to_string(f.page) + " r" + std::to_string(f.row) + " c" + std::to_string(f.col);
}

Finding SourceError(const std::string& identity, const std::string& formula, const std::string& message) {
  Finding finding;
  finding.kind = "source_error";
  finding.identity = identity;
  finding.formula = formula;
  finding.message = message;
  return finding;
}

std::string Fixed(double value, int scale) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", scale, value);
  return buf;
}

// 执行率 of one funds row against 全年执行数 / 全年预算数.
void CheckRate(const JixiaoEvaluation& ev, const JixiaoFundsRow& row, std::vector<Finding>& out) {
  const JixiaoFigure* budget = row.Find("全年预算数");
  const JixiaoFigure* executed = row.Find("全年执行数");
  const JixiaoFigure* rate = row.Find("执行率");
  if (!budget || !executed || !rate || !budget->value || !executed->value || !rate->value) return;
  if (budget->value->IsZero()) return;  // nothing to execute: any printed rate is a convention
  auto computed = RateRange(*executed->value, *budget->value);
  if (!computed) return;
  double factor = IsPercent(*rate, ev.rate_percent) ? 100.0 : 1.0;
  Range printed = RoundedOrCut(*rate->value);
  if (printed.Overlaps(Range{computed->lo * factor, computed->hi * factor})) return;
  double expected = executed->value->ToDouble() / budget->value->ToDouble() * factor;
  Finding f = SourceError("jx.rate", row.key + " 执行率 = 全年执行数 / 全年预算数",
                          Where(ev, *rate) + ": " + row.key + " 执行率 printed " + rate->printed +
                              ", 全年执行数 / 全年预算数 = " + Fixed(expected, rate->value->scale()));
  f.printed = rate->value;
  f.expected = Decimal::Parse(Fixed(expected, rate->value->scale()));
  if (f.expected) f.difference = *f.printed - *f.expected;
  f.cells = {CellOf(ev.table, row.key, "全年预算数", *budget), CellOf(ev.table, row.key, "全年执行数", *executed),
             CellOf(ev.table, row.key, "执行率", *rate)};
  f.suspects = {f.cells.back()};
  out.push_back(std::move(f));
}

// 资金得分 = 分值 × min(执行率, 1), the rate as printed or as computed.
void CheckFundsScore(const JixiaoEvaluation& ev, const JixiaoFundsRow& row, std::vector<Finding>& out) {
  const JixiaoFigure* weight = row.Find("分值");
  const JixiaoFigure* score = row.Find("得分");
  const JixiaoFigure* rate = row.Find("执行率");
  if (!weight || !score || !weight->value || !score->value) return;
  std::vector<Range> rates;
  if (rate && rate->value) {
    double factor = IsPercent(*rate, ev.rate_percent) ? 0.01 : 1.0;
    Range r = RoundedOrCut(*rate->value);
    rates.push_back({r.lo * factor, r.hi * factor});
  }
  const JixiaoFigure* budget = row.Find("全年预算数");
  const JixiaoFigure* executed = row.Find("全年执行数");
  if (budget && executed && budget->value && executed->value && !budget->value->IsZero()) {
    if (auto r = RateRange(*executed->value, *budget->value)) rates.push_back(*r);
  }
  if (rates.empty()) return;
  Range printed = RoundedOrCut(*score->value);
  double w = weight->value->ToDouble();
  for (const Range& r : rates) {
    Range expected{w * std::min(r.lo, 1.0), w * std::min(r.hi, 1.0)};
    if (printed.Overlaps(expected)) return;
  }
  double rate_value = std::min(rates.front().lo / 2 + rates.front().hi / 2, 1.0);
  std::string expected = Fixed(w * rate_value, score->value->scale());
  Finding f = SourceError("jx.funds_score", "资金得分 = 分值 × min(执行率, 1)",
                          Where(ev, *score) + ": 资金得分 printed " + score->printed + ", 分值 " + weight->printed +
                              " × 执行率 = " + expected);
  f.printed = score->value;
  f.expected = Decimal::Parse(expected);
  if (f.expected) f.difference = *f.printed - *f.expected;
  f.cells = {CellOf(ev.table, row.key, "分值", *weight), CellOf(ev.table, row.key, "得分", *score)};
  if (rate) f.cells.push_back(CellOf(ev.table, row.key, "执行率", *rate));
  f.suspects = {CellOf(ev.table, row.key, "得分", *score)};
  out.push_back(std::move(f));
}

void CheckScoreWithinWeight(const JixiaoEvaluation& ev, const std::string& row, const JixiaoFigure& weight,
                            const JixiaoFigure& score, std::vector<Finding>& out) {
  if (!weight.value || !score.value || *score.value <= *weight.value) return;
  Finding f = SourceError("jx.score_le_weight", row + " 得分 ≤ 分值",
                          Where(ev, score) + ": " + row + " 得分 " + score.printed + " exceeds 分值 " + weight.printed);
  f.printed = score.value;
  f.expected = weight.value;
  f.difference = *score.value - *weight.value;
  f.cells = {CellOf(ev.table, row, "分值", weight), CellOf(ev.table, row, "得分", score)};
  f.suspects = {f.cells.back()};
  out.push_back(std::move(f));
}

std::string GradeFor(const Decimal& total, const JixiaoSchema& schema) {
  for (const JixiaoGrade& g : schema.grades) {
    if (total >= g.min) return g.grade;
  }
  return schema.grades.empty() ? "" : schema.grades.back().grade;
}

}  // namespace

std::vector<Finding> CheckJixiao(const JixiaoEvaluation& ev, const JixiaoSchema& schema) {
  std::vector<Finding> out;
  for (const JixiaoFundsRow& row : ev.funds) CheckRate(ev, row, out);
  for (const JixiaoFundsRow& row : ev.funds) {
    if (row.key != "年度资金总额") continue;
    CheckFundsScore(ev, row, out);
    const JixiaoFigure* weight = row.Find("分值");
    const JixiaoFigure* score = row.Find("得分");
    if (weight && score) CheckScoreWithinWeight(ev, row.key, *weight, *score, out);
  }
  for (const JixiaoIndicator& ind : ev.indicators) {
    if (ind.weight && ind.score) CheckScoreWithinWeight(ev, "指标:" + ind.level3, *ind.weight, *ind.score, out);
  }
  if (ev.total_weight && ev.total_weight->value && *ev.total_weight->value != Decimal::FromInt(100)) {
    const JixiaoFigure& w = *ev.total_weight;
    Finding f = SourceError("jx.weight_100", "总分 分值 = 100",
                            Where(ev, w) + ": 总分 分值 printed " + w.printed + ", the weights must sum to 100");
    f.printed = w.value;
    f.expected = Decimal::FromInt(100);
    f.difference = *w.value - Decimal::FromInt(100);
    f.cells = {CellOf(ev.table, "总分", "分值", w)};
    f.suspects = f.cells;
    out.push_back(std::move(f));
  }
  if (ev.total_score && ev.total_score->value && !ev.grade.empty()) {
    std::string expected = GradeFor(*ev.total_score->value, schema);
    bool known = false;
    for (const JixiaoGrade& g : schema.grades) known |= ev.grade == g.grade;
    if (known && expected != ev.grade) {
      const JixiaoFigure& total = *ev.total_score;
      Finding f = SourceError("jx.grade", "评分等级 agrees with 总分 (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below)",
                              Where(ev, total) + ": 评分等级 " + ev.grade + " but 总分 " + total.printed +
                                  " is " + expected);
      f.cells = {CellOf(ev.table, "总分", "得分", total)};
      if (ev.grade_cell) f.cells.push_back(CellOf(ev.table, "评分等级", "", *ev.grade_cell));
      out.push_back(std::move(f));
    }
  }
  return out;
}

namespace {

// A figure a narrative quotes about a project, and the table cell it names.
struct QuoteRule {
  std::wregex pattern;  // group 1: the number; group 2: its unit
  std::string row, col;
};

const std::vector<QuoteRule>& QuoteRules() {
  static const std::vector<QuoteRule> kRules = {
      {std::wregex(LR"((?:全年)?预算(?:数|金额)?(?:为|是)?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万元|元))"), "年度资金总额",
       "全年预算数"},
      {std::wregex(LR"(执行(?:数|金额)(?:为|是)?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万元|元))"), "年度资金总额",
       "全年执行数"},
      {std::wregex(LR"(执行率(?:为|是)?\s*([0-9]+(?:[.,][0-9]+)?)\s*(%))"), "年度资金总额", "执行率"},
      {std::wregex(LR"(得分(?:为|是)?\s*([0-9]+(?:[.,][0-9]+)?)\s*(分))"), "总分", "得分"},
  };
  return kRules;
}

constexpr size_t kMaxQuoteSpan = 160;  // characters

const JixiaoFigure* TableFigure(const JixiaoEvaluation& ev, const std::string& row, const std::string& col) {
  if (row == "总分") return ev.total_score ? &*ev.total_score : nullptr;
  for (const JixiaoFundsRow& funds : ev.funds) {
    if (funds.key == row) return funds.Find(col);
  }
  return nullptr;
}

// Whether the quoted value agrees with the table figure, 元/万元 converted
// and the quote's rounding allowed.
bool Agrees(const JixiaoEvaluation& ev, const std::string& col, const Decimal& quoted, const std::string& unit,
            const JixiaoFigure& figure) {
  double value = figure.value->ToDouble();
  if (unit == "万元" && ev.unit == "元") value /= 10000;
  if (unit == "元" && ev.unit == "万元") value *= 10000;
  if (col == "执行率" && !IsPercent(figure, ev.rate_percent)) value *= 100;
  Range table_range{value, value};
  if (col == "执行率") {
    // A rate printed as 0.83 stands for 82.5% .. 83.5%.
    double half = HalfUnit(*figure.value) * (IsPercent(figure, ev.rate_percent) ? 1 : 100);
    table_range = {value - half, value + half};
  }
  return RangeOf(quoted).Overlaps(table_range);
}

}  // namespace

std::vector<Finding> CheckJixiaoNarrative(const std::vector<JixiaoEvaluation>& evaluations,
                                          const std::vector<TextLine>& lines) {
  std::vector<Finding> out;
  // Running text per page, lines joined: quotes wrap ("执行数 518.2" / "6 万元").
  std::vector<std::pair<int, std::wstring>> pages;
  for (const TextLine& line : lines) {
    if (pages.empty() || pages.back().first != line.page) pages.push_back({line.page, L""});
    pages.back().second += WidenUtf8(CompactText(line.text));
  }
  for (const auto& [page, text] : pages) {
    // Where each project is named; its quotes run to the next name.
    std::vector<std::pair<size_t, const JixiaoEvaluation*>> starts;
    for (const JixiaoEvaluation& ev : evaluations) {
      if (ev.name.empty()) continue;
      std::wstring name = WidenUtf8(ev.name);
      for (size_t at = text.find(name); at != std::wstring::npos; at = text.find(name, at + name.size())) {
        starts.push_back({at, &ev});
      }
    }
    std::sort(starts.begin(), starts.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : a.second->name.size() > b.second->name.size();
    });
    for (size_t i = 0; i < starts.size(); ++i) {
      const JixiaoEvaluation& ev = *starts[i].second;
      size_t begin = starts[i].first + WidenUtf8(ev.name).size();
      size_t end = i + 1 < starts.size() ? starts[i + 1].first : text.size();
      if (end <= begin) continue;
      // A project's quotes end at the next list item ("(2)", "二、") or
      // within a few sentences, whichever comes first.
      static const std::wregex kNextItem(LR"([(（][0-9一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)");
      std::wstring span = text.substr(begin, std::min(end - begin, kMaxQuoteSpan));
      std::wsmatch item;
      if (std::regex_search(span, item, kNextItem)) span.resize(item.position(0));
      for (const QuoteRule& rule : QuoteRules()) {
        std::wsmatch m;
        if (!std::regex_search(span, m, rule.pattern)) continue;
        std::wstring digits = m[1].str();
        // "518,26": OCR reads a decimal point as a comma; separators group three digits.
        size_t comma = digits.rfind(L',');
        if (comma != std::wstring::npos && digits.find(L'.') == std::wstring::npos && digits.size() - comma <= 3) {
          digits[comma] = L'.';
        }
        digits.erase(std::remove(digits.begin(), digits.end(), L','), digits.end());
        auto quoted = Decimal::Parse(NarrowToUtf8(digits));
        const JixiaoFigure* figure = TableFigure(ev, rule.row, rule.col);
        if (!quoted || !figure || !figure->value) continue;
        std::string unit = NarrowToUtf8(m[2].str());
        if (Agrees(ev, rule.col, *quoted, unit, *figure)) continue;
        Finding f;
        f.kind = "narrative_mismatch";
        f.identity = "jx.narrative";
        f.formula = "narrative " + rule.row + " " + rule.col + " = table";
        std::string quote = NarrowToUtf8(m[0].str());
        f.message = "p" + std::to_string(page) + ": '" + quote + "' about " + ev.name + " disagrees with " +
                    ev.table + " " + rule.row + " " + rule.col + " " + figure->printed + " (" + ev.unit + ")";
        f.printed = quoted;
        f.cells = {CellOf(ev.table, rule.row, rule.col, *figure)};
        out.push_back(std::move(f));
      }
    }
  }
  return out;
}


}  // namespace juesuan
