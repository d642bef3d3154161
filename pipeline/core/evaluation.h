// The structure of a 绩效自评表 (performance self-evaluation), as the jixiao
// extractor reads it: fields, funds, indicators, total score and grade; and
// of a 绩效目标表 (a budget's project performance-target form: fields,
// funds of its two sides, goals, indicators with their 年度指标值). A
// plain value carried on the Document so that writers and the store only
// serialise what the extractor found (they need no knowledge of the table).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/core/box.h"
#include "pipeline/core/decimal.h"

namespace juesuan {

// The meaning of a printed indicator value ("≥95.00(%)", "=12.00(月)",
// "> 34家", "<24小时", "2020年8月31日前", "不超过预算投入", "得到保障").
enum class IndicatorValueKind {
  kEmpty,        // blank cell
  kNumber,       // a number with an optional comparator and unit
  kDate,         // a calendar date, usually a deadline (…前)
  kQualitative,  // words: 得到保障, 达成指标, 不超过预算投入
};
const char* IndicatorValueKindName(IndicatorValueKind kind);

struct IndicatorValue {
  IndicatorValueKind kind = IndicatorValueKind::kEmpty;
  std::string text;        // as printed (normalised)
  std::string comparator;  // "≥", "≤", ">", "<", "=" or "" (none printed)
  std::optional<Decimal> number;  // kNumber
  std::string unit;        // kNumber: "%", "月", "家", "小时", ... ("" none)
  std::string date;        // kDate: "2020-08-31", or "12-31" when no year is printed
  std::string target;      // kQualitative: the words without the comparator
};


// A number cell of the table, where it was printed.
struct JixiaoFigure {
  std::string printed;            // cell text
  std::optional<Decimal> value;   // when it reads as a number
  bool unreadable = false;        // "#####"
  int page = 0, grid = 0, row = 0, col = 0;
  Box box;
};

struct JixiaoFundsRow {
  std::string key;    // 年度资金总额, 当年财政拨款, 上年结转资金, 其他资金 (target: 项目资金总额 ...)
  std::string label;  // as printed
  // By funds column key (年初预算数 … 得分; target: 项目资金 / 年度资金, the
  // side printing the row); absent when the cell is blank or a dash.
  std::vector<std::pair<std::string, JixiaoFigure>> figures;
  const JixiaoFigure* Find(const std::string& col) const;
};

struct JixiaoIndicator {
  std::string level1, level2, level3;  // 一级/二级/三级指标 (spans resolved)
  IndicatorValue target, actual;       // 年度指标值, 实际完成值
  std::optional<JixiaoFigure> weight, score;  // 分值, 得分
  std::string deviation;               // 偏差原因分析及改进措施
  float level3_confidence = 100.0f;    // of the 三级指标 cell (OCR); 100 for the text layer
};

struct JixiaoEvaluation {
  std::string kind;       // "project", "unit" or "target" (绩效目标表)
  std::string title;      // caption as printed, when found
  std::string name;       // 项目名称 / 预算单位名称 (compact)
  std::string table;      // "绩效自评表:<name>", "绩效目标表:<name>"
  std::string unit;       // 元 or 万元
  // 主管部门, 实施单位, 项目金额; target: 项目性质, 项目类别, 计划开始日期 ...
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<JixiaoFundsRow> funds;
  bool rate_percent = false;  // 执行率 printed as a percentage
  std::string goal_expected, goal_actual;  // target: 年度总体目标 is the expected goal
  std::string goal_project;               // target: 项目总目标
  std::vector<JixiaoIndicator> indicators;
  std::optional<JixiaoFigure> total_weight, total_score;  // 总分 分值, 得分
  std::string grade;          // 评分等级 as printed
  std::optional<JixiaoFigure> grade_cell;
  std::vector<int> pages;
};

}  // namespace juesuan
