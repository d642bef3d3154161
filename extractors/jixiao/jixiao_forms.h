// The 绩效 forms that are grids of labelled figures rather than the
// 绩效自评表's funds / indicators layout (schemas/jixiao_forms.json):
// Hunan's 整体支出绩效评价基础数据表 (财政供养人员, 经费控制情况, 楼堂馆所) and
// Guangxi's 项目单位自评基本情况表 (计划安排 / 实际到位资金 side by side, the
// 支出明细, text blocks). The forms are data; this reader knows only blocks,
// rows, columns and sides.
//
// Input: the grids the 决算 mapper did not identify (Table.code empty) and the
// page layouts, as for MapJixiaoTables (the same pieces: jixiao_layout.h).
// A form starts at its title or, untitled, at a block label only it prints
// (its markers); its name is the text after its name label (预算单位名称,
// 项目名称), in the grid or on a line above it; it ends at one of its end
// labels (填表人, 说明, …), at the next title, or where another form begins.
//
// Reading: a line holding a block's label opens that block. A block with
// columns takes each figure's column from the header label it lies under
// (labels matched compact, inside wrapped or spaced text; a header with a
// year, 2021年决算数, is the previous or the current year's by the other
// years of its line); a block with sides (计划安排资金 | 实际到位资金) takes
// the column of the side label left of the figure. The row is the label
// left of the figure on its line: the schema's item by any of its printed
// variants (ordinals, 其中：, a trailing colon and units in brackets aside),
// the block's own row when the line prints none, the side's total row when
// it is the side label, else the label as printed (block row_prefix before
// it). Figures right of a field label (联系电话, 邮编) and in text blocks
// (评价人员) are structure, not figures of the form.
//
// Output: one Table per form, code "<form>:<name>", kind jixiao, facts in the
// form's unit (万元 unless a block label says otherwise); every figure a fact,
// structure or an `unmapped` finding, counted in the coverage; and the form
// as a JixiaoEvaluation (fields, figure rows, goals and other text blocks).
//
// Checks (CheckJixiaoForm) run on a mapped Table, so that `juesuan check`
// can repeat them: sums of parts (rows the schema nests under a total, and
// rows printed below a total whose parts are open), comparisons (到位 ≤ 计划,
// 支出 ≤ 到位) and rates (控制率 = 实际在职人数 / 编制数), all in exact
// Decimal arithmetic, a rate within the rounding (or cutting) of its printed
// digits. A rule is checked only when every figure it needs is read.
//
// Pure functions; thread-safe given a shared const schema.
#pragma once

#include <string>
#include <vector>

#include "pipeline/core/document.h"
#include "pipeline/core/evaluation.h"
#include "pipeline/core/result.h"

namespace juesuan {

struct FormColumn {
  std::string key;
  std::vector<std::string> labels;       // compact
  // Header words that name the column only with a year printed before them
  // (2021年决算数): "previous" or "current" says which year it must be.
  std::vector<std::string> year_labels;
  std::string year;                      // "previous", "current" or ""
  bool amount = true;                    // money (else counts, areas, rates)
};

struct FormRow {
  std::string key;
  std::vector<std::string> labels;  // compact
  std::string parent;               // the total it is a part of ("" none)
  bool open_parts = false;          // rows printed below it, unknown to the schema, are its parts
  std::string col;                  // a fixed column (a lone figure beside its label)
};

struct FormBlock {
  std::vector<std::string> labels;  // a line holding one opens the block
  std::vector<FormColumn> columns;
  bool sides = false;               // columns are sides, each label left of its figures
  std::string row;                  // the row of a line printing no label
  std::string total_row;            // sides: the row of the figure beside a side label
  std::string row_prefix;           // before labels unknown to the schema
  std::vector<FormRow> rows;
};

// total (op) Σ parts per column: "=" or ">=" (parts printed as 其中, a subset).
struct FormSum {
  std::string id, total, op;
  std::string parts_prefix;  // parts: the rows with this prefix; else the total's parts
};

// lhs ≤ rhs, each a (row, col) figure; more is no error when the form's
// text says why (a sentence holding one of `explained_by`).
struct FormCompare {
  std::string id;
  std::string lhs_row, lhs_col, rhs_row, rhs_col;
  std::vector<std::string> explained_by;  // compact
};

// rate = numerator / denominator × 100 on one row.
struct FormRate {
  std::string id, row, rate, numerator, denominator;
};

struct FormDef {
  std::string form;                      // the table key prefix
  std::string kind;                      // its evaluation's kind: basic_data, project_basic
  std::vector<std::string> titles;       // compact
  std::vector<std::string> markers;      // block labels only this form prints
  std::vector<std::string> name_labels;
  std::vector<std::string> field_labels; // the text right of them is a value, never a figure
  std::vector<std::string> text_labels;  // lines after them are text, until the next block
  std::vector<std::string> end_labels;
  // Headers of a text block's columns: the expected goals, what was achieved.
  std::vector<std::string> goal_expected_labels, goal_actual_labels;
  std::vector<FormBlock> blocks;
  std::vector<FormSum> sums;
  std::vector<FormCompare> compares;
  std::vector<FormRate> rates;
};

struct JixiaoFormsSchema {
  std::vector<FormDef> forms;
  // Titles of the other 绩效 tables: a form still open ends there.
  std::vector<std::string> closing_titles;
  // The form a table key belongs to, or nullptr.
  const FormDef* FormOf(const std::string& table_code) const;
};

// Parses the schema text. Errors: kInvalidArgument naming the bad member.
Result<JixiaoFormsSchema> ParseJixiaoFormsSchema(const std::string& json_text);
// Reads schema_dir/jixiao_forms.json. Errors: kNotFound, kInvalidArgument.
Result<JixiaoFormsSchema> LoadJixiaoFormsSchema(const std::string& schema_dir);

struct JixiaoFormsOutput {
  std::vector<Table> tables;            // one per form read
  std::vector<Coverage> coverage;       // parallel to tables
  // Parallel to tables: the form as a structure (kind from the schema; the
  // values after its field labels; its figures by row and column in printed
  // order; its text blocks, goals by their column headers).
  std::vector<JixiaoEvaluation> evaluations;
  std::vector<size_t> used_candidates;  // indices of the candidate tables consumed (sorted)
  std::vector<Finding> findings;        // unmapped figures
};

// Finds the forms in `candidates` (tables whose code is empty) and maps them.
JixiaoFormsOutput MapJixiaoForms(const std::vector<Table>& candidates, const std::vector<PageLayout>& pages,
                                 const JixiaoFormsSchema& schema);

// The rules of the form `table` is (sums, comparisons, rates); broken ones
// are Findings of kind "source_error" naming every cell involved. A
// comparison broken where the form's text (`evaluation`: its fields, goals
// and text blocks; may be null) says why is a Finding of kind "explained"
// quoting the sentence. Tables of no form give none.
std::vector<Finding> CheckJixiaoForm(const Table& table, const JixiaoFormsSchema& schema,
                                     const JixiaoEvaluation* evaluation = nullptr);

}  // namespace juesuan
