// The vocabulary of 绩效自评表 and 绩效目标表 (schemas/jixiao_table.json): the
// labels that locate each block of a performance self-evaluation table
// (name, funds, goals, indicators, total, grade) or of a budget's project
// performance-target form (name, head fields, the two-sided funds block,
// goals, indicators) and the fact keys they map to.
//
// Loaded once, immutable afterwards; safe to share between threads.
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/decimal.h"
#include "pipeline/core/result.h"

namespace juesuan {

// A canonical key and the labels that print it.
struct JixiaoLabel {
  std::string key;
  std::vector<std::string> labels;  // compact form
};

struct JixiaoKindDef {
  std::string kind;                      // "project", "unit" or "target"
  std::vector<std::string> titles;       // 项目支出绩效自评表 ...
  std::vector<std::string> name_labels;  // 项目名称 / 预算单位名称 ...
  std::string table_prefix;              // its own table key prefix ("绩效目标表"); "" = the schema's
};

// One side of a target form's funds block: its rows and the fact column
// their figures take (项目资金: 项目资金总额 / 财政资金 / 其他资金; 年度资金:
// 年度资金申请总额 / 当年财政拨款 / 上年结转资金 / 其他资金).
struct JixiaoFundsSide {
  std::string col;
  std::vector<JixiaoLabel> rows;
};

// The vocabulary of the 绩效目标表 (member "target").
struct JixiaoTargetDef {
  std::string kind = "target";                  // the kind of schema.kinds read with it
  std::vector<std::string> markers;             // labels only a target form prints
  std::vector<JixiaoLabel> fields;              // 项目性质, 项目类别, 主管部门, 计划开始日期 ...
  std::vector<std::string> funds_block_labels;  // 项目资金 (元)
  std::vector<JixiaoFundsSide> funds_sides;     // left to right as printed
  std::vector<std::string> goal_block_labels, goal_project_labels, goal_expected_labels;
};

struct JixiaoGrade {
  std::string grade;  // 优
  Decimal min;        // lowest 总分 with this grade
};

struct JixiaoSchema {
  std::string table_prefix;  // "绩效自评表"
  std::vector<JixiaoKindDef> kinds;
  std::vector<JixiaoLabel> fields;            // 主管部门, 实施单位, 项目金额
  std::vector<std::string> funds_block_labels;
  std::vector<JixiaoLabel> funds_rows;        // 年度资金总额 ... 其他资金
  std::vector<JixiaoLabel> funds_columns;     // 年初预算数 ... 得分
  // The funds rows that carry 分值 and 得分; the template prints "—" in the
  // others, so anything read there (OCR noise) is not a figure.
  std::vector<std::string> scored_funds_rows;
  // The splits of the year's funds some templates print below the funds rows
  // (按收入性质分 / 按支出性质分), each amount after its label in one cell, and
  // the column their facts take.
  std::vector<JixiaoLabel> funds_splits;
  std::string funds_split_col;
  std::vector<std::string> goal_block_labels, goal_expected_labels, goal_actual_labels;
  std::vector<JixiaoLabel> indicator_columns; // 一级指标 ... 偏差原因分析及改进措施
  // Header words set over several columns in a header row of their own
  // (绩效指标 over 一级/二级/三级指标).
  std::vector<std::string> header_group_labels;
  std::vector<std::string> indicator_terms;   // standard words of 三级指标 names (OCR repair)
  std::vector<std::string> total_labels;
  std::vector<std::string> grade_labels;
  std::vector<JixiaoGrade> grades;            // highest first
  JixiaoTargetDef target;

  // The table key prefix of a kind ("绩效自评表", "绩效目标表").
  const std::string& PrefixOf(const std::string& kind) const;
  // Whether a table key is one of these tables' (any kind's prefix).
  bool IsTableKey(const std::string& code) const;
};

// Parses the schema text. Errors: kInvalidArgument naming the bad member.
Result<JixiaoSchema> ParseJixiaoSchema(const std::string& json_text);
// Reads schema_dir/jixiao_table.json. Errors: kNotFound, kInvalidArgument.
Result<JixiaoSchema> LoadJixiaoSchema(const std::string& schema_dir);

// The key of the first label contained in `compact_text`, else "".
std::string MatchLabel(const std::string& compact_text, const std::vector<JixiaoLabel>& labels);
bool ContainsAny(const std::string& compact_text, const std::vector<std::string>& labels);

}  // namespace juesuan
