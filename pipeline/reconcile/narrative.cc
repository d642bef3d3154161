// Narrative and disclosure checks. See reconcile.h for the contract.
#include <algorithm>
#include <set>
#include <sstream>

#include "pipeline/core/utf8.h"
#include "pipeline/reconcile/reconcile.h"
#include "pipeline/reconcile/narrative_sentences.h"

namespace juesuan {
namespace {

bool IsDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
char32_t Ascii(char32_t c) {
  if (c >= U'０' && c <= U'９') return U'0' + (c - U'０');
  if (c == U'．') return U'.';
  if (c == U'，') return U'，';  // stays a clause break
  if (c == U'％') return U'%';
  return c;
}
bool IsSpace(char32_t c) { return c == U' ' || c == U'\t' || c == U'\u3000'; }
bool IsClauseBreak(char32_t c) {
  static const std::u32string kBreaks = U"，。；：、,;:！？!?\n（）()";
  return kBreaks.find(c) != std::u32string::npos;
}

bool StartsWith(const std::u32string& s, size_t pos, std::u32string_view word) {
  return s.compare(pos, word.size(), word) == 0;
}
bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string Trim(std::u32string s) {
  while (!s.empty() && (IsSpace(s.back()))) s.pop_back();
  size_t start = 0;
  while (start < s.size() && IsSpace(s[start])) ++start;
  return EncodeUtf8(std::u32string_view(s).substr(start));
}

std::string StripLabel(std::string label) {
  for (std::string_view drop : {"（类）", "(类)", "（款）", "(款)", "（项）", "(项)"}) {
    for (size_t pos = label.find(drop); pos != std::string::npos; pos = label.find(drop)) label.erase(pos, drop.size());
  }
  std::string out;
  for (char c : label) {
    if (c != ' ') out += c;
  }
  for (std::string_view tail : {"为", "是", "达", "共计", "共"}) {
    if (EndsWith(out, tail)) out.erase(out.size() - tail.size());
  }
  return out;
}

const std::vector<std::string>& Cues() {
  static const std::vector<std::string> kCues = {"完成年初预算的", "完成年初预算数的", "完成全年预算的", "完成全年预算数的", "完成预算的", "占", "增长", "下降", "降低", "增加", "减少"};
  return kCues;
}

}  // namespace

std::vector<NarrativeMention> ParseNarrative(std::string_view text) {
  std::u32string s = DecodeUtf8(text);
  for (auto& c : s) c = Ascii(c);
  std::vector<NarrativeMention> out;
  size_t clause_start = 0;
  // Byte offsets: keep a running map from code point index to byte offset.
  std::vector<size_t> byte_at(s.size() + 1, 0);
  for (size_t i = 0; i < s.size(); ++i) byte_at[i + 1] = byte_at[i] + EncodeUtf8(s[i]).size();
  size_t i = 0;
  while (i < s.size()) {
    // A one-character note in brackets, "（类）", "（境）", belongs to the name
    // before it: not a clause break.
    if ((s[i] == U'(' || s[i] == U'（') && i + 2 < s.size() && (s[i + 2] == U')' || s[i + 2] == U'）') &&
        !IsDigit(s[i + 1])) {
      i += 3;
      continue;
    }
    if (IsClauseBreak(s[i])) {
      clause_start = i + 1;
      ++i;
      continue;
    }
    if (StartsWith(s, i, U"持平")) {
      NarrativeMention m;
      m.kind = MentionKind::kFlat;
      m.cue = "持平";
      m.label = StripLabel(Trim(s.substr(clause_start, i - clause_start)));
      m.offset = byte_at[i];
      out.push_back(m);
      i += 2;
      continue;
    }
    if (!IsDigit(s[i]) || (i > 0 && (IsDigit(s[i - 1]) || s[i - 1] == U'.'))) {
      ++i;
      continue;
    }
    size_t start = i;
    std::string digits;
    while (i < s.size()) {
      if (IsDigit(s[i])) {
        digits += static_cast<char>(s[i]);
      } else if (s[i] == U',' && i + 3 < s.size() + 1 && i + 1 < s.size() && IsDigit(s[i + 1]) && !digits.empty()) {
        // thousands separator: skip
      } else if (s[i] == U'.' && i + 1 < s.size() && IsDigit(s[i + 1]) && digits.find('.') == std::string::npos) {
        digits += '.';
      } else {
        break;
      }
      ++i;
    }
    size_t after = i;
    while (after < s.size() && IsSpace(s[after])) ++after;
    std::string unit;
    for (std::u32string_view u : {U"万元", U"亿元", U"元", U"%"}) {
      if (StartsWith(s, after, u)) {
        unit = EncodeUtf8(u);
        after += u.size();
        break;
      }
    }
    auto value = Decimal::Parse(digits);
    if (unit.empty() || !value) continue;
    NarrativeMention m;
    m.kind = unit == "%" ? MentionKind::kPercent : MentionKind::kAmount;
    m.unit = unit;
    m.value = *value;
    m.offset = byte_at[start];
    m.label = StripLabel(Trim(s.substr(clause_start, start - clause_start)));
    for (const auto& cue : Cues()) {
      if (EndsWith(m.label, cue)) {
        m.cue = cue;
        break;
      }
    }
    out.push_back(m);
    i = after;
    clause_start = after;  // the next figure's label starts after this one
  }
  return out;
}

namespace {

struct FactLookup {
  std::map<CellKey, const Fact*> facts;
  std::map<std::string, std::string> unit_of_table;
  const Fact* At(const std::vector<std::string>& cell) const {
    if (cell.size() != 3) return nullptr;
    auto it = facts.find(CellKey{cell[0], cell[1], cell[2]});
    return it == facts.end() ? nullptr : it->second;
  }
};

// The quoted amount in the unit of `table_unit` (万元 or 元).
Decimal ToUnit(const NarrativeMention& m, const std::string& table_unit) {
  Decimal v = m.value;
  std::string from = m.unit;
  if (from == table_unit) return v;
  if (from == "亿元") v = v * Decimal::FromInt(10000), from = "万元";
  if (from == table_unit) return v;
  if (from == "万元" && table_unit == "元") return v * Decimal::FromInt(10000);
  if (from == "元" && table_unit == "万元") return v.DividedBy(Decimal::FromInt(10000), v.scale() + 4);
  return v;
}

// Half a unit of the quoted figure's last digit, in the table unit.
bool Matches(const NarrativeMention& m, const std::string& table_unit, const Decimal& figure) {
  Decimal quoted = ToUnit(m, table_unit);
  Decimal diff = (quoted - figure).Abs();
  NarrativeMention half = m;
  half.value = Decimal(5, m.value.scale() + 1);
  return diff <= ToUnit(half, table_unit);
}

// How a printed percentage agrees with num / den: exactly (the share rounded
// to the printed places), by rounding (within one unit of the last printed
// place, or inside the range the figures' own rounding allows: each printed
// to its last place, ± half a unit), or not at all.
enum class Agreement { kExact, kRounding, kWrong };
Agreement PercentAgrees(const Decimal& percent, const Decimal& num, const Decimal& den) {
  if (den.IsZero()) return Agreement::kWrong;
  int scale = percent.scale();
  Decimal hundred = Decimal::FromInt(100);
  if ((num * hundred).DividedBy(den, scale) == percent) return Agreement::kExact;
  Decimal share = (num * hundred).DividedBy(den, scale + 4);
  if ((share - percent).Abs() <= Decimal(1, scale)) return Agreement::kRounding;
  Decimal hn(5, num.scale() + 1), hd(5, den.scale() + 1), hp(5, scale + 1);
  if (den.Abs() <= hd) return Agreement::kWrong;
  Decimal lo = ((num - hn) * hundred).DividedBy(den + hd, scale + 4);
  Decimal hi = ((num + hn) * hundred).DividedBy(den - hd, scale + 4);
  if (hi < lo) std::swap(lo, hi);
  return percent + hp >= lo && percent - hp <= hi ? Agreement::kRounding : Agreement::kWrong;
}

// "95.4572%": the exact share, four more places than printed, for messages.
std::string ExactShare(const Decimal& percent, const Decimal& num, const Decimal& den) {
  if (den.IsZero()) return "?";
  return (num * Decimal::FromInt(100)).DividedBy(den, percent.scale() + 4).ToString() + "%";
}

// A quote's subject for a message: the words after a heading or a year.
std::string Subject(const std::string& core) {
  size_t cut = 0;
  for (std::string_view mark : {"情况说明", "年度"}) {
    size_t pos = core.rfind(mark);
    if (pos != std::string::npos) cut = std::max(cut, pos + mark.size());
  }
  return core.substr(cut);
}

}  // namespace

void ReconcileNarrative(Document& doc, const IdentitySet& set, const ReconcileOptions& options) {
  using narrative::AddFinding;
  FactLookup lookup;
  std::vector<Decimal> totals;
  std::set<std::string> blank_tables;  // identified, not one figure printed
  for (const auto& table : doc.tables) {
    lookup.unit_of_table[table.code] = table.unit.empty() ? "万元" : table.unit;
    if (table.facts.empty()) blank_tables.insert(table.code);
    for (const auto& fact : table.facts) {
      lookup.facts.try_emplace(CellKey{fact.table, fact.row, fact.col}, &fact);
      if (fact.row == "合计" || fact.row == "总计" || fact.row == "本年收入合计" || fact.row == "本年支出合计") {
        totals.push_back(fact.value);
      }
    }
  }
  auto unit_of = [&](const std::string& table) {
    auto it = lookup.unit_of_table.find(table);
    return it == lookup.unit_of_table.end() ? std::string("万元") : it->second;
  };
  // Labels: the lexicon plus every 类 name.
  std::vector<NarrativeLabel> labels = set.narrative_labels;
  for (const auto& [code, name] : set.class_names) {
    NarrativeLabel l;
    l.label = name;
    l.cells = {{"公开05表", code, "1"}, {"公开03表", code, "1"}, {"公开01表", name, "2"},
               {"公开04表", name, "2"}, {"公开04表", name, "3"}};
    labels.push_back(std::move(l));
  }
  // The most specific label of a subject in a role: the longest label it ends
  // with, or the entry whose words it contains with the most characters.
  auto label_of = [&](const std::string& core, const std::string& role) -> const NarrativeLabel* {
    const NarrativeLabel* best = nullptr;
    size_t best_len = 0;
    for (const auto& l : labels) {
      if (l.role != role) continue;
      size_t len = 0;
      if (!l.words.empty()) {
        bool all = true;
        for (const auto& w : l.words) all = all && core.find(w) != std::string::npos, len += w.size();
        for (const auto& w : l.without) all = all && core.find(w) == std::string::npos;
        if (!all) continue;
      } else if (!l.label.empty() && EndsWith(core, l.label)) {
        len = l.label.size();
      } else {
        continue;
      }
      if (len > best_len) best = &l, best_len = len;
    }
    return best;
  };
  // A figure of a label's cells, in the unit `unit` of a quote.
  auto table_value = [&](const NarrativeLabel& l, const std::string& unit) -> std::optional<Decimal> {
    for (const auto& cell : l.cells) {
      if (const Fact* f = lookup.At(cell)) {
        NarrativeMention in_table;
        in_table.unit = unit_of(f->table);
        in_table.value = f->value;
        return ToUnit(in_table, unit);
      }
    }
    return std::nullopt;
  };
  std::string last_year = doc.year ? std::to_string(*doc.year - 1) : std::string("上年");
  // Quotes of a table that was found blank: reported once per table.
  std::map<std::string, std::vector<std::pair<narrative::Sentence, NarrativeMention>>> quotes_of_blank;
  std::map<std::string, std::vector<std::string>> cell_of_blank;
  auto sentences = narrative::SplitSentences(doc);
  for (const auto& sentence : sentences) {
    const TextLine& line = sentence.line;
    const auto& mentions = sentence.mentions;
    // A quote's subject: its own words, or those of the figure before it in the
    // sentence ("…支出年初预算为 A 万元，支出决算为 B 万元").
    std::string subject;
    size_t subject_at = 0;
    std::vector<std::string> cores(mentions.size());
    std::map<size_t, Decimal> corrected;  // misquoted figures: the table's value
    for (size_t idx = 0; idx < mentions.size(); ++idx) {
      const auto& m = mentions[idx];
      if (m.kind != MentionKind::kAmount || !m.cue.empty()) continue;
      auto role = narrative::RoleOf(m.label);
      if (line.text.substr(subject_at, m.offset - std::min(m.offset, subject_at)).find("。") != std::string::npos) {
        subject.clear();  // another sentence: its own subject
      }
      // Only a role word alone ("支出决算为") takes the subject before it.
      cores[idx] = !role.role.empty() && (role.core == "支出" || role.core.empty()) ? subject : role.core;
      if (!cores[idx].empty()) subject = cores[idx], subject_at = m.offset;
      if (m.label.find("上年") != std::string::npos || m.label.find(last_year + "年") != std::string::npos) continue;
      const NarrativeLabel* best = label_of(cores[idx], role.role == "预算" ? "预算" : "");
      // A table the label may name is missing: which figure the quote means
      // cannot be told (公开03表 missing, "基本支出" may not be 公开05表's).
      if (!best || std::any_of(best->cells.begin(), best->cells.end(), [&](const std::vector<std::string>& c) {
            return c.empty() || !lookup.unit_of_table.count(c[0]);
          })) {
        continue;
      }
      // A label may name figures of several tables ("基本支出": 公开03表 and
      // 公开05表); the quote agrees when it matches any, else the first one
      // present, the label's primary meaning, is the suspect.
      std::vector<FindingCell> cells;
      bool matched = false;
      std::optional<Decimal> expected;
      for (const auto& cell : best->cells) {
        const Fact* f = lookup.At(cell);
        if (!f) continue;
        if (Matches(m, unit_of(f->table), f->value)) matched = true;
        if (!expected) expected = f->value;
        cells.push_back({f->table, f->row, f->col, f->page, f->box, f->printed});
      }
      if (cells.empty()) {
        // No figure: a table printed blank carries nothing the quote can be.
        for (const auto& cell : best->cells) {
          if (cell.size() == 3 && blank_tables.count(cell[0]) && !m.value.IsZero()) {
            quotes_of_blank[cell[0]].push_back({sentence, m});
            cell_of_blank[cell[0]] = cell;
            break;
          }
        }
        continue;
      }
      if (matched) continue;
      if (auto v = table_value(*best, m.unit)) corrected[idx] = *v;
      AddFinding(doc, "quote", line,
                 "quoted " + (best->label.empty() ? Subject(cores[idx]) : best->label) + (role.role.empty() ? "" : " " + role.role) +
                     " " + m.value.ToString() +
                     m.unit + " differs from " + cells.front().table + " " + cells.front().row + " col " +
                     cells.front().col + " (" + expected->ToString() + unit_of(cells.front().table) + ")",
                 cells, m.value, expected);
      doc.findings.back().suspects.resize(1);
    }
    // Shares: "X 万元，占 P%".
    Decimal share_sum;
    int share_count = 0;
    for (size_t idx = 1; idx < mentions.size(); ++idx) {
      if (mentions[idx].cue == "占" && mentions[idx - 1].kind == MentionKind::kAmount) {
        share_sum = share_sum + mentions[idx - 1].value;
        ++share_count;
      }
    }
    for (size_t idx = 1; idx < mentions.size(); ++idx) {
      const auto& p = mentions[idx];
      const auto& a = mentions[idx - 1];
      if (p.kind != MentionKind::kPercent || a.kind != MentionKind::kAmount) continue;
      if (p.cue == "占") {
        std::vector<Decimal> dens;
        for (size_t j = 0; j + 1 < idx; ++j) {
          if (mentions[j].kind == MentionKind::kAmount && mentions[j].unit == a.unit && mentions[j].value > a.value) {
            dens.push_back(mentions[j].value);
          }
        }
        if (share_count >= 2) dens.push_back(share_sum);
        if (dens.empty()) continue;
        if (a.unit == "万元") dens.insert(dens.end(), totals.begin(), totals.end());
        Agreement best = Agreement::kWrong;
        for (const auto& d : dens) best = std::min(best, PercentAgrees(p.value, a.value, d));
        if (best == Agreement::kRounding) {
          AddFinding(doc, "share", line, "share 占 " + p.value.ToString() + "% of " + a.label + " " +
                                             a.value.ToString() + a.unit + " differs from every total by rounding only",
                     {}, p.value, std::nullopt);
          doc.findings.back().kind = "rounding";
        } else if (best == Agreement::kWrong) {
          AddFinding(doc, "share", line, "share 占 " + p.value.ToString() + "% of " + a.label + " " + a.value.ToString() +
                                    a.unit + " matches no total it could be a share of",
                     {}, p.value, std::nullopt);
        }
      } else if ((p.cue == "增长" || p.cue == "下降" || p.cue == "降低") && (a.cue == "增加" || a.cue == "减少")) {
        bool up = a.cue == "增加";
        if (up != (p.cue == "增长")) {
          AddFinding(doc, "rate", line, "comparative words disagree: " + a.cue + " then " + p.cue, {}, p.value, std::nullopt);
          continue;
        }
        // The rate is the change over last year's figure, X ∓ Y: X is this
        // year's figure of the change's subject in the table, or a figure
        // quoted before it (the table's value where the quote was wrong).
        std::vector<Decimal> bases;
        auto role = narrative::RoleOf(a.label.substr(0, a.label.size() - a.cue.size()));
        const NarrativeLabel* l = role.core.empty() ? nullptr : label_of(role.core, "");
        if (l) {
          if (auto x = table_value(*l, a.unit)) bases.push_back(up ? *x - a.value : *x + a.value);
        }
        for (size_t j = 0; j + 1 < idx; ++j) {
          const auto& c = mentions[j];
          if (c.kind != MentionKind::kAmount || !c.cue.empty() || c.unit != a.unit) continue;
          Decimal x = corrected.count(j) ? corrected[j] : c.value;
          bases.push_back(up ? x - a.value : x + a.value);
        }
        if (bases.empty()) continue;
        // From nothing (a unit set up this year) the documents write 增长 100%.
        Agreement best = Agreement::kWrong;
        for (const auto& b : bases) {
          best = std::min(best, b.IsZero() ? (up && p.value == Decimal::FromInt(100) ? Agreement::kExact : Agreement::kWrong)
                                           : PercentAgrees(p.value, a.value, b));
        }
        if (best == Agreement::kRounding) {
          AddFinding(doc, "rate", line, p.cue + " " + p.value.ToString() + "% follows from " + a.cue + " " +
                                            a.value.ToString() + a.unit + " by rounding only",
                     {}, p.value, std::nullopt);
          doc.findings.back().kind = "rounding";
        } else if (best == Agreement::kWrong) {
          AddFinding(doc, "rate", line, p.cue + " " + p.value.ToString() + "% does not follow from " + a.cue + " " +
                                    a.value.ToString() + a.unit,
                     {}, p.value, std::nullopt);
        }
      }
    }
    // Budget completion: "年初预算为 A 万元，支出决算为 B 万元，完成年初预算的 C%":
    // B the figure right before C, A every 预算 figure before B since the last 决算.
    for (size_t idx = 1; idx < mentions.size(); ++idx) {
      const auto& p = mentions[idx];
      const auto& actual = mentions[idx - 1];
      if (p.kind != MentionKind::kPercent || p.cue.rfind("完成", 0) != 0 || actual.kind != MentionKind::kAmount ||
          narrative::RoleOf(actual.label).role == "预算") {
        continue;
      }
      std::vector<const NarrativeMention*> budgets;
      for (size_t j = idx - 1; j-- > 0;) {
        const auto& c = mentions[j];
        if (c.kind != MentionKind::kAmount) continue;
        if (narrative::RoleOf(c.label).role != "预算") break;
        if (c.unit == actual.unit && !c.value.IsZero()) budgets.push_back(&c);
      }
      if (budgets.empty()) continue;
      Agreement best = Agreement::kWrong;
      for (const auto* b : budgets) best = std::min(best, PercentAgrees(p.value, actual.value, b->value));
      if (best == Agreement::kRounding) {
        AddFinding(doc, "completion", line, p.cue + " " + p.value.ToString() + "%: " + actual.value.ToString() + " / " +
                                                budgets.front()->value.ToString() + " is " +
                                                ExactShare(p.value, actual.value, budgets.front()->value) +
                                                ", off by rounding only",
                   {}, p.value, std::nullopt);
        doc.findings.back().kind = "rounding";
      } else if (best == Agreement::kWrong) {
        AddFinding(doc, "completion", line, p.cue + " " + p.value.ToString() + "% but " + actual.value.ToString() + " / " +
                                  budgets.front()->value.ToString() + " differs",
                   {}, p.value, std::nullopt);
      }
    }
    // 持平 with a non-zero change in the same sentence.
    for (const auto& m : mentions) {
      if (m.kind != MentionKind::kFlat) continue;
      for (const auto& c : mentions) {
        size_t lo = std::min(m.offset, c.offset), hi = std::max(m.offset, c.offset);
        std::string between = line.text.substr(lo, hi - lo);
        if (between.find("；") != std::string::npos || between.find("。") != std::string::npos ||
            between.find(';') != std::string::npos || between.find("，") != std::string::npos ||
            between.find(',') != std::string::npos) {
          continue;  // another clause: another item's change
        }
        if ((c.cue == "增加" || c.cue == "减少") && !c.value.IsZero() && c.kind == MentionKind::kAmount) {
          AddFinding(doc, "flat", line, "持平 stated beside a change of " + c.value.ToString() + c.unit, {}, c.value,
                     std::nullopt);
          break;
        }
      }
    }
  }
  for (const auto& [table, quotes] : quotes_of_blank) {
    const auto& cell = cell_of_blank[table];
    std::string listed;
    std::set<std::string> seen;
    for (const auto& [s, m] : quotes) {
      std::string one = m.label + " " + m.value.ToString() + m.unit;
      if (seen.insert(one).second) listed += (listed.empty() ? "" : ", ") + one;
    }
    FindingCell fc;
    fc.table = cell[0], fc.row = cell[1], fc.col = cell[2];
    AddFinding(doc, "blank_table", quotes.front().first.line,
               "quotes " + listed + " but " + table + " prints no figure (expected 0)", {fc}, quotes.front().second.value,
               Decimal());
  }
  narrative::CheckNone(doc, set, sentences);
  narrative::CheckComparisonWords(doc, set, sentences);
  narrative::CheckYears(doc, set);
  (void)options;
}

void ReconcileDisclosure(Document& doc, const IdentitySet& set) {
  auto add = [&](std::string message, int page) {
    Finding f;
    f.kind = "disclosure";
    f.identity = "disclosure";
    f.message = message + (page > 0 ? " at " + doc.doc_id + ":p" + std::to_string(page) : std::string());
    doc.findings.push_back(std::move(f));
  };
  std::set<std::string> codes;
  bool juesuan = doc.kind == "juesuan";
  for (const auto& t : doc.tables) {
    codes.insert(t.code);
    if (t.code.rfind("公开", 0) == 0) juesuan = true;
  }
  if (juesuan) {
    for (const auto& code : set.required_tables) {
      if (!codes.count(code)) add(code + " is not disclosed", 0);
    }
    for (const auto& t : doc.tables) {
      if (t.code.rfind("公开", 0) == 0 && t.facts.empty() && !t.declared_empty) {
        add(t.code + " has no figures and no note declaring it empty", t.pages.empty() ? 0 : t.pages[0]);
      }
    }
  }
  for (const auto& p : set.placeholders) {
    for (const auto& line : doc.lines) {
      if (line.text.find(p) != std::string::npos) {
        add("placeholder \"" + p + "\" left in: \"" + line.text + "\"", line.page);
      }
    }
    for (const auto& t : doc.tables) {
      if (t.title.find(p) != std::string::npos) add("placeholder \"" + p + "\" in the title of " + t.code, 0);
    }
  }
  if (doc.year) {
    for (const auto& t : doc.tables) {
      std::u32string title = DecodeUtf8(t.title);
      for (size_t i = 0; i + 4 < title.size(); ++i) {
        if (IsDigit(title[i]) && IsDigit(title[i + 1]) && IsDigit(title[i + 2]) && IsDigit(title[i + 3]) &&
            title[i + 4] == U'年' && (i == 0 || !IsDigit(title[i - 1]))) {
          int y = (title[i] - U'0') * 1000 + (title[i + 1] - U'0') * 100 + (title[i + 2] - U'0') * 10 + (title[i + 3] - U'0');
          if (y != *doc.year) {
            add(t.code + " heading says " + std::to_string(y) + " but the document is for " + std::to_string(*doc.year),
                t.pages.empty() ? 0 : t.pages[0]);
          }
        }
      }
    }
  }
  std::map<std::string, int> units;
  for (const auto& t : doc.tables) {
    if (t.code.rfind("公开", 0) == 0 && !t.unit.empty()) ++units[t.unit];
  }
  if (units.size() > 1) {
    std::string majority = std::max_element(units.begin(), units.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;
    for (const auto& t : doc.tables) {
      if (t.code.rfind("公开", 0) == 0 && !t.unit.empty() && t.unit != majority) {
        add(t.code + " is in " + t.unit + " while the other tables are in " + majority, t.pages.empty() ? 0 : t.pages[0]);
      }
    }
  }
}

}  // namespace juesuan
