// Maps 绩效自评表 (项目支出绩效自评表 per project, 部门/单位整体支出绩效自评表)
// and 绩效目标表 found in detected grids to a structure and to facts, and
// checks their rules.
//
// Input: the grids the 决算 mapper did not identify (Table.code empty), in
// document order, and the page layouts (the text runs inside the grids, the
// running text around them: captions give the title and the amount unit).
//
// The tables are read by their layout, not by the detected cell grid: they
// are printed fully ruled, with horizontal rules only, three-line or with no
// rule at all, and the columns a detector infers from text alignment need
// not be the table's. Pieces of text (ruled cells, else the runs of a line
// split where they stand apart) are grouped into lines; each block's header
// (funds: 年初预算数 … 得分; indicators: 一级指标 … 偏差原因分析及改进措施)
// gives the columns by the position of its labels (wrapped labels joined),
// and the pieces below it take the column their centre lies in. A row is a
// line with figures in the value columns; the label, name or value of a
// cell wrapped over several lines is joined to the row it lies beside
// (lines close together, between the same printed rules), so rows printed
// as text lines read like ruled ones. 一级/二级 labels printed once for a run
// of rows are shared out over their run. An evaluation starts at its name
// row (项目名称 / 预算单位名称) and ends at 评分等级 (or the next name row):
// several tables on one grid or page, and tables continued on the next
// page with or without a repeated header, read the same.
//
// Output: one Table per evaluation, code "绩效自评表:<名称>" (the name, wrapped
// lines joined, compact), with its grids and its facts keyed as in the corpus
// format: rows 年度资金总额 / 当年财政拨款 / 上年结转资金 / 其他资金 / 总分 /
// 指标:<三级指标>, cols 年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分,
// values in the table's own unit (元 or 万元, from the funds label
// "项目资金（元）" or the caption; 万元 when none); and its structure
// (JixiaoEvaluation: fields, funds, goals, indicators with their 年度指标值 /
// 实际完成值, total, grade).
//
// 绩效目标表 (a budget's project performance-target form, schema kind
// "target") are read by the same machinery: a draft is a target form by its
// title (财政项目支出绩效目标填报表 …) or, untitled, by a label only a target
// form prints (计划开始日期, 年度资金申请总额 …), and turns back into a
// 绩效自评表 where it prints one's funds header, 总分 or 评分等级. Its table
// is "绩效目标表:<项目名称>" (the name stops at the next field label: 项目性质,
// 项目类别 …); its head fields (dates are values, never figures), goals
// (项目总目标 / 年度总体目标) and indicators (年度指标值) are structure; its
// funds block, printed in two sides, is read figure by figure: each takes the
// row label nearest left of it on its row (a merged label spanning rows
// included) and the column of that label's side (项目资金 or 年度资金), so the
// rows both sides print (其他资金) keep apart. It ends at the next title.
//
// Every figure printed in an evaluation is accounted for: a fact, a value of
// the structure (年度指标值 / 实际完成值, 评分等级), or an `unmapped` finding
// (page, box, text, why it has no key); JixiaoOutput::coverage counts them
// per table.
//
// OCR misreadings of 三级指标 names ("资金拨付及时素") are repaired where the
// cell's confidence is low: to a name read with higher confidence elsewhere
// in the document that differs by one character, else, for a name that ends
// with none of the usual endings (schema indicator_terms: 满意度, 及时率 ...),
// to the ending one character away.
//
// All functions are pure; thread-safe given a shared const schema.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "extractors/jixiao/jixiao_schema.h"
#include "pipeline/core/document.h"

namespace juesuan {

// Reads the meaning of an indicator value cell.
IndicatorValue ParseIndicatorValue(const std::string& text);

struct JixiaoOutput {
  std::vector<Table> tables;              // one per evaluation, code "绩效自评表:<名称>" / "绩效目标表:<名称>"
  std::vector<JixiaoEvaluation> evaluations;  // parallel to tables
  // Parallel to tables: the figures printed in each (including strays in its
  // grids outside every evaluation), how many are facts or structure, how
  // many have no key; its grids (a grid two tables share counts once).
  std::vector<Coverage> coverage;
  std::vector<size_t> used_candidates;    // indices of the candidate tables consumed
  std::vector<Finding> findings;          // unreadable cells, unmapped figures
  // Figures of running-text lines (outside every grid) read as part of a
  // table: whoever counted them as printed outside every table should not.
  std::vector<FindingPlace> claimed_lines;
};

// Finds the evaluations in `candidates` (tables whose code is empty; other
// tables are skipped) and maps them. `pages` supplies captions.
JixiaoOutput MapJixiaoTables(const std::vector<Table>& candidates, const std::vector<PageLayout>& pages,
                             const JixiaoSchema& schema);

// Brings the figures of an evaluation made by MapJixiaoTables in line with
// the facts of its table (values repaired by reconcile, names by OCR repair):
// a figure and its fact share page and box.
void UpdateJixiaoFigures(JixiaoEvaluation& evaluation, const Table& table);

// The rules of DOMAIN.md on one evaluation that are not sums (the sums,
// 年度资金总额 = Σ rows and 总分 = Σ 得分 / 分值, are identities in
// schemas/identities/jixiao.json, checked by reconcile): 执行率 = 执行数 /
// 预算数 (as a fraction or a percentage, within the rounding of the printed
// figures); 资金得分 = 分值 × min(执行率, 1); 总分 分值 = 100; 得分 ≤ 分值;
// 评分等级 agrees with 总分. Broken rules are Findings of kind "source_error"
// (identity "jx.<rule>", every cell involved, the suspect cell when one is).
std::vector<Finding> CheckJixiao(const JixiaoEvaluation& evaluation, const JixiaoSchema& schema);

// Quotes of a project in running text ("项目全年预算数 31.76 万元，执行数 31.67
// 万元，预算执行率 99.73%，自评得分 96 分") compared with its table, 元/万元
// converted: one "narrative_mismatch" Finding per disagreeing quote.
std::vector<Finding> CheckJixiaoNarrative(const std::vector<JixiaoEvaluation>& evaluations,
                                          const std::vector<TextLine>& lines);


}  // namespace juesuan
