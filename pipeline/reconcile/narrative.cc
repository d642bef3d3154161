// Narrative and disclosure checks. See reconcile.h for the contract.
#include <algorithm>
#include <set>
#include <sstream>

#include "pipeline/core/utf8.h"
#include "pipeline/reconcile/reconcile.h"

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
  for (std::string_view drop : {"（类）", "(类)", "（款）", "（项）"}) {
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
  static const std::vector<std::string> kCues = {"完成年初预算的", "占", "增长", "下降", "降低", "增加", "减少"};
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

bool PercentMatches(const Decimal& percent, const Decimal& num, const Decimal& den) {
  if (den.IsZero()) return false;
  int scale = percent.scale();
  Decimal share = (num * Decimal::FromInt(100)).DividedBy(den, scale);
  Decimal tolerance(1, scale);
  return (share - percent).Abs() <= tolerance;
}

void AddNarrativeFinding(Document& doc, const TextLine& line, std::string message,
                         std::vector<FindingCell> cells, std::optional<Decimal> printed,
                         std::optional<Decimal> expected) {
  Finding f;
  f.kind = "narrative_mismatch";
  f.identity = "narrative";
  f.message = message + " at " + doc.doc_id + ":p" + std::to_string(line.page) + ": \"" + line.text + "\"";
  f.printed = printed;
  f.expected = expected;
  if (printed && expected) f.difference = *printed - *expected;
  f.suspects = cells;
  FindingCell quote;
  quote.table = "";
  quote.row = "情况说明";
  quote.page = line.page;
  quote.box = line.box;
  quote.printed = line.text;
  f.cells = cells;
  f.cells.push_back(quote);
  doc.findings.push_back(std::move(f));
}

}  // namespace

void ReconcileNarrative(Document& doc, const IdentitySet& set, const ReconcileOptions& options) {
  FactLookup lookup;
  std::vector<Decimal> totals;
  for (const auto& table : doc.tables) {
    lookup.unit_of_table[table.code] = table.unit.empty() ? "万元" : table.unit;
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
    labels.push_back({name,
                      {{"公开05表", code, "1"}, {"公开03表", code, "1"}, {"公开01表", name, "2"},
                       {"公开04表", name, "2"}, {"公开04表", name, "3"}}});
  }
  // Sentences run over several lines (a figure may even be split, "72." /
  // "26 万元"): lines of a page are joined until one ends a sentence.
  std::vector<TextLine> lines;
  bool open = false;
  for (const auto& line : doc.lines) {
    if (open && lines.back().page == line.page) {
      lines.back().text += line.text;
      lines.back().box = lines.back().box.Union(line.box);
    } else {
      lines.push_back(line);
    }
    open = !EndsWith(line.text, "。");
  }
  for (const auto& line : lines) {
    auto mentions = ParseNarrative(line.text);
    for (size_t idx = 0; idx < mentions.size(); ++idx) {
      const auto& m = mentions[idx];
      if (m.kind != MentionKind::kAmount || !m.cue.empty()) continue;
      if (m.label.find("上年") != std::string::npos || m.label.find("预算") != std::string::npos) continue;
      const NarrativeLabel* best = nullptr;
      for (const auto& l : labels) {
        if (EndsWith(m.label, l.label) && (!best || l.label.size() > best->label.size())) best = &l;
      }
      if (!best) continue;
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
        FindingCell fc{f->table, f->row, f->col, f->page, f->box, f->printed};
        cells.push_back(fc);
      }
      if (matched || cells.empty()) continue;
      AddNarrativeFinding(doc, line,
                          "quoted " + m.label + " " + m.value.ToString() + m.unit + " differs from the table (" +
                              expected->ToString() + ")",
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
        bool ok = std::any_of(dens.begin(), dens.end(), [&](const Decimal& d) { return PercentMatches(p.value, a.value, d); });
        if (!ok) {
          AddNarrativeFinding(doc, line, "share 占 " + p.value.ToString() + "% of " + a.label + " " + a.value.ToString() +
                                             a.unit + " matches no total it could be a share of",
                              {}, p.value, std::nullopt);
        }
      } else if ((p.cue == "增长" || p.cue == "下降" || p.cue == "降低") && (a.cue == "增加" || a.cue == "减少")) {
        bool up = a.cue == "增加";
        if (up != (p.cue == "增长")) {
          AddNarrativeFinding(doc, line, "comparative words disagree: " + a.cue + " then " + p.cue, {}, p.value,
                              std::nullopt);
          continue;
        }
        std::vector<Decimal> bases;
        for (size_t j = 0; j + 1 < idx; ++j) {
          const auto& c = mentions[j];
          if (c.kind != MentionKind::kAmount || !c.cue.empty() || c.unit != a.unit) continue;
          bases.push_back(up ? c.value - a.value : c.value + a.value);
        }
        if (bases.empty()) continue;
        // From nothing (a unit set up this year) the documents write 增长 100%.
        bool ok = std::any_of(bases.begin(), bases.end(), [&](const Decimal& b) {
          return b.IsZero() ? up && p.value == Decimal::FromInt(100) : PercentMatches(p.value, a.value, b);
        });
        if (!ok) {
          AddNarrativeFinding(doc, line, p.cue + " " + p.value.ToString() + "% does not follow from " + a.cue + " " +
                                             a.value.ToString() + a.unit,
                              {}, p.value, std::nullopt);
        }
      }
    }
    // Budget completion: "年初预算 B 万元 … 决算 A 万元，完成年初预算的 P%".
    for (size_t idx = 0; idx < mentions.size(); ++idx) {
      const auto& p = mentions[idx];
      if (p.kind != MentionKind::kPercent || p.cue != "完成年初预算的") continue;
      const NarrativeMention* budget = nullptr;
      const NarrativeMention* actual = nullptr;
      for (size_t j = 0; j < idx; ++j) {
        const auto& c = mentions[j];
        if (c.kind != MentionKind::kAmount) continue;
        if (c.label.find("预算") != std::string::npos) budget = &c;
        else actual = &c;
      }
      if (!budget || !actual || budget->unit != actual->unit || budget->value.IsZero()) continue;
      if (!PercentMatches(p.value, actual->value, budget->value)) {
        AddNarrativeFinding(doc, line, "完成年初预算的 " + p.value.ToString() + "% but " + actual->value.ToString() + " / " +
                                           budget->value.ToString() + " differs",
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
          AddNarrativeFinding(doc, line, "持平 stated beside a change of " + c.value.ToString() + c.unit, {}, c.value,
                              std::nullopt);
          break;
        }
      }
    }
  }
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
