// Sentence checks of the 情况说明 that are not figure quotes: the years a
// document prints, "无…收入和支出", and the comparison word between a 决算
// figure and its 预算. See narrative_sentences.h.
#include "pipeline/reconcile/narrative_sentences.h"

#include <regex>
#include <set>

namespace juesuan::narrative {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The longest of `words` that `text` has at `pos`, after spaces.
std::string WordAt(const std::string& text, size_t& pos, const std::vector<std::string>& words) {
  size_t p = pos;
  while (p < text.size() && text[p] == ' ') ++p;
  std::string best;
  for (const auto& w : words) {
    if (w.size() > best.size() && text.compare(p, w.size(), w) == 0) best = w;
  }
  if (!best.empty()) pos = p + best.size();
  return best;
}

std::string Amount(const NarrativeMention& m) { return m.value.ToString() + m.unit; }

// Amounts in one unit to compare them: 亿元 and 元 in 万元.
Decimal InWan(const NarrativeMention& m) {
  if (m.unit == "亿元") return m.value * Decimal::FromInt(10000);
  if (m.unit == "元") return m.value.DividedBy(Decimal::FromInt(10000), m.value.scale() + 4);
  return m.value;
}

}  // namespace

Role RoleOf(const std::string& label) {
  // Longest first: "支出决算数" before "决算数" before "决算".
  static const std::vector<std::pair<std::string, std::string>> kRoles = {
      {"年初预算数", "预算"}, {"全年预算数", "预算"}, {"调整预算数", "预算"}, {"年初预算", "预算"},
      {"全年预算", "预算"},   {"调整预算", "预算"},   {"预算数", "预算"},     {"预算", "预算"},
      {"决算数", "决算"},     {"决算", "决算"},       {"执行数", "决算"}};
  for (const auto& [word, role] : kRoles) {
    if (EndsWith(label, word)) return {role, label.substr(0, label.size() - word.size())};
  }
  return {"", label};
}

std::vector<Sentence> SplitSentences(const Document& doc) {
  std::vector<Sentence> out;
  bool open = false;
  for (const auto& line : doc.lines) {
    if (open && out.back().line.page == line.page) {
      out.back().line.text += line.text;
      out.back().line.box = out.back().line.box.Union(line.box);
    } else {
      out.push_back({line, {}});
    }
    open = !EndsWith(line.text, "。");
  }
  for (auto& s : out) s.mentions = ParseNarrative(s.line.text);
  return out;
}

void AddFinding(Document& doc, const std::string& check, const TextLine& line, const std::string& message,
                std::vector<FindingCell> cells, std::optional<Decimal> printed, std::optional<Decimal> expected) {
  Finding f;
  f.kind = "narrative_mismatch";
  f.identity = "narrative[" + check + "]";
  f.message = message + " at " + doc.doc_id + ":p" + std::to_string(line.page) + ": \"" + line.text + "\"";
  f.printed = printed;
  f.expected = expected;
  if (printed && expected) f.difference = *printed - *expected;
  f.suspects = cells;
  FindingCell quote;
  quote.row = "情况说明";
  quote.page = line.page;
  quote.box = line.box;
  quote.printed = line.text;
  f.cells = std::move(cells);
  f.cells.push_back(quote);
  doc.findings.push_back(std::move(f));
}

void CheckYears(Document& doc, const IdentitySet& set) {
  // A 预算 or 绩效 document speaks of other years' 决算 and budgets by right.
  if (!doc.year || doc.kind != "juesuan" || set.narrative_years.empty()) return;
  std::vector<std::pair<std::regex, const NarrativeYearRule*>> rules;
  for (const auto& r : set.narrative_years) rules.emplace_back(std::regex(r.pattern), &r);
  std::set<std::pair<int, std::string>> seen;  // a wrong year once per page and text
  for (const auto& s : SplitSentences(doc)) {
    for (const auto& [re, rule] : rules) {
      for (std::sregex_iterator it(s.line.text.begin(), s.line.text.end(), re), end; it != end; ++it) {
        int printed = std::stoi((*it)[rule->group].str());
        int expected = *doc.year + rule->offset;
        if (printed == expected || !seen.insert({s.line.page, it->str()}).second) continue;
        AddFinding(doc, "year:" + rule->id, s.line,
                   rule->what + " says " + std::to_string(printed) + " (\"" + it->str() + "\") but the document is for " +
                       std::to_string(*doc.year) + ": expected " + std::to_string(expected),
                   {}, Decimal::FromInt(printed), Decimal::FromInt(expected));
      }
    }
  }
}

void CheckNone(Document& doc, const IdentitySet& set, const std::vector<Sentence>& sentences) {
  for (const auto& rule : set.narrative_none) {
    std::regex re(rule.pattern);
    for (const auto& s : sentences) {
      if (!std::regex_search(s.line.text, re)) continue;
      std::vector<FindingCell> cells;
      for (const auto& table : doc.tables) {
        for (const auto& f : table.facts) {
          bool listed = std::find(rule.tables.begin(), rule.tables.end(), f.table) != rule.tables.end();
          for (const auto& c : rule.cells) listed = listed || (c.size() == 3 && c[0] == f.table && c[1] == f.row && c[2] == f.col);
          if (listed && !f.value.IsZero()) cells.push_back({f.table, f.row, f.col, f.page, f.box, f.printed});
        }
      }
      if (cells.empty()) continue;
      const FindingCell first = cells.front();
      AddFinding(doc, "none", s.line,
                 "says there is no " + rule.what + " but " + first.table + " " + first.row + " col " + first.col +
                     " prints " + first.printed + (cells.size() > 1 ? " (and " + std::to_string(cells.size() - 1) + " more figures)" : ""),
                 cells, Decimal(), std::nullopt);
      doc.findings.back().suspects.resize(1);
    }
  }
}

void CheckComparisonWords(Document& doc, const IdentitySet& set, const std::vector<Sentence>& sentences) {
  const auto& w = set.narrative_comparison;
  if (w.actual.empty() || w.budget.empty()) return;
  std::vector<std::string> relation_words;
  for (const auto& [word, sign] : w.relations) relation_words.push_back(word);
  // The last pair quoted: every 预算 figure of its sentence and the 决算 figure after them.
  std::vector<const NarrativeMention*> budgets;
  const NarrativeMention* actual = nullptr;
  for (const auto& s : sentences) {
    const std::string& text = s.line.text;
    auto pair_before = [&](size_t offset) {
      std::vector<const NarrativeMention*> b;
      const NarrativeMention* a = nullptr;
      for (const auto& m : s.mentions) {
        if (m.offset >= offset || m.kind != MentionKind::kAmount || !m.cue.empty()) continue;
        std::string role = RoleOf(m.label).role;
        if (role == "预算") {
          if (a) b.clear(), a = nullptr;  // a new pair starts
          b.push_back(&m);
        } else if (role == "决算" && !b.empty() && !a) {
          a = &m;
        }
      }
      if (a) budgets = b, actual = a;
    };
    for (size_t pos = 0; pos < text.size(); ++pos) {
      size_t p = pos;
      if (text[pos] == ' ' || WordAt(text, p, w.actual).empty()) continue;
      size_t start = pos;
      int sign = 2;  // none
      std::string word;
      size_t q = p;
      if (!(word = WordAt(text, q, relation_words)).empty() && !WordAt(text, q, w.budget).empty()) {
        sign = w.relations.at(word);
      } else if (q = p; !WordAt(text, q, w.links).empty() && !WordAt(text, q, w.budget).empty() &&
                        !(word = WordAt(text, q, w.flat)).empty()) {
        sign = 0;
      }
      if (sign == 2) continue;
      pair_before(start);
      pos = q;
      if (!actual) continue;
      // The word holds when it holds against any 预算 of the pair (年初 or 全年).
      bool holds = false;
      int first_sign = 0;
      for (size_t i = 0; i < budgets.size(); ++i) {
        int c = InWan(*actual).Compare(InWan(*budgets[i]));
        int got = c > 0 ? 1 : c < 0 ? -1 : 0;
        if (i == 0) first_sign = got;
        holds = holds || got == sign;
      }
      if (holds) continue;
      const char* right = first_sign > 0 ? "大于" : first_sign < 0 ? "小于" : "等于";
      AddFinding(doc, "comparison", s.line,
                 "says 决算 " + word + " 预算 but 决算 " + Amount(*actual) + " vs 预算 " + Amount(*budgets.front()) +
                     ": expected " + right,
                 {}, actual->value, budgets.front()->value);
    }
    pair_before(text.size());
  }
}

}  // namespace juesuan::narrative
