// The vocabulary of 绩效自评表 (schemas/jixiao_table.json): the labels that
// locate each block of a performance self-evaluation table (name, funds,
// goals, indicators, total, grade) and the fact keys they map to.
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
  std::string kind;                      // "project" or "unit"
  std::vector<std::string> titles;       // 项目支出绩效自评表 ...
  std::vector<std::string> name_labels;  // 项目名称 / 预算单位名称 ...
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
  std::vector<std::string> goal_block_labels, goal_expected_labels, goal_actual_labels;
  std::vector<JixiaoLabel> indicator_columns; // 一级指标 ... 偏差原因分析及改进措施
  // Header words set over several columns in a header row of their own
  // (绩效指标 over 一级/二级/三级指标).
  std::vector<std::string> header_group_labels;
  std::vector<std::string> indicator_terms;   // standard words of 三级指标 names (OCR repair)
  std::vector<std::string> total_labels;
  std::vector<std::string> grade_labels;
  std::vector<JixiaoGrade> grades;            // highest first
};

// Parses the schema text. Errors: kInvalidArgument naming the bad member.
Result<JixiaoSchema> ParseJixiaoSchema(const std::string& json_text);
// Reads schema_dir/jixiao_table.json. Errors: kNotFound, kInvalidArgument.
Result<JixiaoSchema> LoadJixiaoSchema(const std::string& schema_dir);

// The key of the first label contained in `compact_text`, else "".
std::string MatchLabel(const std::string& compact_text, const std::vector<JixiaoLabel>& labels);
bool ContainsAny(const std::string& compact_text, const std::vector<std::string>& labels);

}  // namespace juesuan
