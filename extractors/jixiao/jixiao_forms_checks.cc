// CheckJixiaoForm (declared in jixiao_forms.h): the sums, comparisons and
// rates of a mapped form, in exact Decimal arithmetic.
#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "extractors/jixiao/jixiao_forms.h"
#include "extractors/jixiao/jixiao_schema.h"
#include "pipeline/normalise/normalise.h"

namespace juesuan {
namespace {

// The figures of a form by row and column, and its rows in printed order.
class FormFigures {
 public:
  explicit FormFigures(const Table& table) : table_(table) {
    std::map<std::string, std::pair<int, double>> top;  // row -> first (page, y)
    for (const Fact& fact : table.facts) {
      by_key_[{fact.row, fact.col}] = &fact;
      auto at = std::make_pair(fact.page, fact.box.y0);
      auto [it, fresh] = top.emplace(fact.row, at);
      if (!fresh) it->second = std::min(it->second, at);
    }
    for (const auto& [row, at] : top) order_.push_back({at, row});
    std::sort(order_.begin(), order_.end());
  }

  const Fact* Find(const std::string& row, const std::string& col) const {
    auto it = by_key_.find({row, col});
    return it == by_key_.end() ? nullptr : it->second;
  }

  std::set<std::string> Cols() const {
    std::set<std::string> cols;
    for (const Fact& fact : table_.facts) cols.insert(fact.col);
    return cols;
  }

  // The parts of `total`: the rows the schema nests under it, and, for a
  // total with open parts, the rows printed below it the schema does not
  // know, up to the next row it knows that is no part of it.
  std::vector<std::string> PartsOf(const std::string& total, const FormDef& form) const {
    std::vector<std::string> parts;
    bool open = false, below = false;
    const FormRow* total_def = RowDef(total, form);
    for (const auto& [at, row] : order_) {
      const FormRow* def = RowDef(row, form);
      if (def && def->parent == total) {
        parts.push_back(row);
        continue;
      }
      if (row == total) {
        below = open = total_def && total_def->open_parts;
        continue;
      }
      if (!def && open && below) {
        parts.push_back(row);
        continue;
      }
      if (def) open = false;
    }
    return parts;
  }

  std::vector<std::string> RowsWithPrefix(const std::string& prefix) const {
    std::vector<std::string> rows;
    for (const auto& [at, row] : order_) {
      if (row.rfind(prefix, 0) == 0) rows.push_back(row);
    }
    return rows;
  }

 private:
  static const FormRow* RowDef(const std::string& key, const FormDef& form) {
    for (const FormBlock& block : form.blocks) {
      for (const FormRow& row : block.rows) {
        if (row.key == key) return &row;
      }
    }
    return nullptr;
  }

  const Table& table_;
  std::map<std::pair<std::string, std::string>, const Fact*> by_key_;
  std::vector<std::pair<std::pair<int, double>, std::string>> order_;
};

FindingCell CellOf(const Fact& fact) {
  return FindingCell{fact.table, fact.row, fact.col, fact.page, fact.box, fact.printed};
}

std::string Where(const Fact& fact) {
  return fact.table + " p" + std::to_string(fact.page) + " " + fact.row + "," + fact.col;
}

Finding Broken(const std::string& id, const std::string& formula, const Fact& suspect, const std::string& message) {
  Finding f;
  f.kind = "source_error";
  f.identity = id;
  f.formula = formula;
  f.message = Where(suspect) + ": " + message;
  f.printed = suspect.value;
  f.suspects.push_back(CellOf(suspect));
  return f;
}

void CheckSum(const FormSum& sum, const FormDef& form, const FormFigures& figures, std::vector<Finding>& out) {
  const std::vector<std::string> parts =
      sum.parts_prefix.empty() ? figures.PartsOf(sum.total, form) : figures.RowsWithPrefix(sum.parts_prefix);
  if (parts.empty()) return;
  for (const std::string& col : figures.Cols()) {
    const Fact* total = figures.Find(sum.total, col);
    if (!total) continue;
    // A part left blank is nothing spent; a column printing no part at all
    // is not split.
    Decimal parts_sum;
    std::vector<FindingCell> cells{CellOf(*total)};
    for (const std::string& part : parts) {
      if (const Fact* fact = figures.Find(part, col)) {
        parts_sum = parts_sum + fact->value;
        cells.push_back(CellOf(*fact));
      }
    }
    if (cells.size() == 1) continue;
    const bool holds = sum.op == "=" ? total->value == parts_sum : total->value >= parts_sum;
    if (holds) continue;
    const std::string formula = sum.total + " " + sum.op + " Σ parts (" + col + ")";
    Finding f = Broken(sum.id, formula, *total,
                       sum.total + " printed " + total->printed + ", its parts sum to " + parts_sum.ToString());
    f.expected = parts_sum;
    f.difference = total->value - parts_sum;
    f.cells = std::move(cells);
    out.push_back(std::move(f));
  }
}

// The first sentence of the form's text (fields, goals, text blocks) that
// holds one of `words` (compact), or "".
std::string SentenceWith(const std::vector<std::string>& words, const JixiaoEvaluation* evaluation) {
  if (!evaluation || words.empty()) return "";
  std::vector<std::string> texts{evaluation->goal_actual, evaluation->goal_expected};
  for (const auto& [field, text] : evaluation->fields) texts.push_back(text);
  static const std::regex kSentenceEnd("。|；|;|\n");
  for (const std::string& text : texts) {
    for (std::sregex_token_iterator it(text.begin(), text.end(), kSentenceEnd, -1), end; it != end; ++it) {
      const std::string sentence = it->str();
      if (ContainsAny(CompactText(sentence), words)) return sentence;
    }
  }
  return "";
}

void CheckCompare(const FormCompare& compare, const FormFigures& figures, const JixiaoEvaluation* evaluation,
                  std::vector<Finding>& out) {
  const Fact* lhs = figures.Find(compare.lhs_row, compare.lhs_col);
  const Fact* rhs = figures.Find(compare.rhs_row, compare.rhs_col);
  if (!lhs || !rhs || lhs->value <= rhs->value) return;
  const std::string formula =
      compare.lhs_row + " " + compare.lhs_col + " ≤ " + compare.rhs_row + " " + compare.rhs_col;
  Finding f = Broken(compare.id, formula, *lhs,
                     lhs->printed + " exceeds " + compare.rhs_row + " " + compare.rhs_col + " " + rhs->printed);
  // More than planned is what a form says when funds were added: not an
  // error when it says so.
  if (const std::string why = SentenceWith(compare.explained_by, evaluation); !why.empty()) {
    f.kind = "explained";
    f.message += "; the form says why: \"" + why + "\"";
  }
  f.expected = rhs->value;
  f.difference = lhs->value - rhs->value;
  f.cells = {CellOf(*lhs), CellOf(*rhs)};
  out.push_back(std::move(f));
}

// rate ≈ numerator / denominator × 100: the printed rate r with d decimals
// stands for [r − ½·10^−d, r + 10^−d] (rounded or cut off); compared by
// cross-multiplication, exactly.
void CheckRate(const FormRate& rate, const FormFigures& figures, std::vector<Finding>& out) {
  const Fact* printed = figures.Find(rate.row, rate.rate);
  const Fact* numerator = figures.Find(rate.row, rate.numerator);
  const Fact* denominator = figures.Find(rate.row, rate.denominator);
  if (!printed || !numerator || !denominator || denominator->value <= Decimal()) return;
  const int scale = printed->value.scale();
  const Decimal half(5, scale + 1), unit(1, scale);
  const Decimal hundred = Decimal::FromInt(100);
  const Decimal scaled = numerator->value * hundred;
  const Decimal lo = (printed->value - half) * denominator->value;
  const Decimal hi = (printed->value + unit) * denominator->value;
  if (scaled >= lo && scaled <= hi) return;
  const Decimal expected = scaled.DividedBy(denominator->value, scale);
  const std::string formula = rate.row + " " + rate.rate + " = " + rate.numerator + " / " + rate.denominator;
  Finding f = Broken(rate.id, formula, *printed,
                     rate.rate + " printed " + printed->printed + ", " + rate.numerator + " / " + rate.denominator +
                         " = " + expected.ToString() + "%");
  f.expected = expected;
  f.difference = printed->value - expected;
  f.cells = {CellOf(*printed), CellOf(*numerator), CellOf(*denominator)};
  out.push_back(std::move(f));
}

}  // namespace

std::vector<Finding> CheckJixiaoForm(const Table& table, const JixiaoFormsSchema& schema,
                                     const JixiaoEvaluation* evaluation) {
  std::vector<Finding> out;
  const FormDef* form = schema.FormOf(table.code);
  if (!form) return out;
  FormFigures figures(table);
  for (const FormSum& sum : form->sums) CheckSum(sum, *form, figures, out);
  for (const FormCompare& compare : form->compares) CheckCompare(compare, figures, evaluation, out);
  for (const FormRate& rate : form->rates) CheckRate(rate, figures, out);
  return out;
}

}  // namespace juesuan
