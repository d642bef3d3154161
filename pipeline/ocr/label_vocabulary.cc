#include "pipeline/ocr/label_vocabulary.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <utility>

#include "pipeline/core/utf8.h"

namespace juesuan {
namespace {

std::u32string Ideographs(std::u32string_view text) {
  std::u32string out;
  for (char32_t c : text)
    if (IsCjkIdeograph(c)) out += c;
  return out;
}

size_t Lcs(const std::u32string& a, const std::u32string& b) {
  std::vector<size_t> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

bool IsNumeral(char32_t c) { return std::u32string_view(U"一二三四五六七八九十").find(c) != std::u32string_view::npos; }

// A mark OCR may make of the 、 after an ordinal.
bool OrdinalMark(char32_t c) {
  return std::u32string_view(U"、.．,，:：”“\"'‘’·`").find(c) != std::u32string_view::npos;
}

// The ordinal / "其中：" prefix of a label ("二十六、", "（一）", "1.",
// "其中："; spaces included), as its length in `s` and written out right
// (an ordinal's 、 read as a quote or comma is put back).
std::pair<size_t, std::u32string> Prefix(const std::u32string& s) {
  size_t i = 0;
  std::u32string canonical;
  for (bool more = true; more;) {
    more = false;
    while (i < s.size() && (s[i] == U' ' || s[i] == U'\u3000')) ++i;
    size_t j = i;
    if (s.compare(j, 2, U"其中") == 0 && j + 2 < s.size() && (s[j + 2] == U'：' || s[j + 2] == U':')) {
      canonical += s.substr(j, 3);
      i = j + 3;
      more = true;
      continue;
    }
    if (j < s.size() && (s[j] == U'（' || s[j] == U'(')) {
      size_t k = j + 1;
      while (k < s.size() && (IsNumeral(s[k]) || (s[k] >= U'0' && s[k] <= U'9'))) ++k;
      if (k > j + 1 && k < s.size() && (s[k] == U'）' || s[k] == U')')) {
        canonical += s.substr(j, k + 1 - j);
        i = k + 1;
        more = true;
        continue;
      }
    }
    size_t k = j;
    while (k < s.size() && (IsNumeral(s[k]) || (s[k] >= U'0' && s[k] <= U'9'))) ++k;
    if (k > j && k < s.size() && OrdinalMark(s[k])) {
      const bool arabic = s[j] >= U'0' && s[j] <= U'9';
      canonical += s.substr(j, k - j) + (arabic ? U"." : U"、");
      i = k + 1;
      more = true;
    }
  }
  return {i, canonical};
}

bool ContainsSubsequence(const std::u32string& longer, const std::u32string& shorter) {
  size_t j = 0;
  for (size_t i = 0; i < longer.size() && j < shorter.size(); ++i)
    if (longer[i] == shorter[j]) ++j;
  return j == shorter.size();
}

}  // namespace

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

LabelVocabulary::LabelVocabulary(const std::vector<std::string>& terms, const std::vector<std::string>& titles,
                                 const std::map<std::string, std::string>& codes,
                                 const std::vector<std::string>& headers)
    : code_names_(codes) {
  for (const auto& [code, name] : codes) {
    name_codes_[name].push_back(code);
    core_codes_[Ideographs(DecodeUtf8(name))].push_back(code);
  }
  auto add = [](std::vector<Term>& to, const std::string& text) {
    Term t{text, Ideographs(DecodeUtf8(text))};
    if (t.core.size() < 2) return;
    for (const Term& o : to)
      if (o.text == t.text) return;
    to.push_back(std::move(t));
  };
  for (const std::string& t : terms) add(terms_, t);
  for (const std::string& t : titles) add(titles_, t);
  for (const std::string& t : headers) add(headers_, t);
}

bool LabelVocabulary::IsTerm(const std::string& label) const {
  const std::u32string text = DecodeUtf8(label);
  const std::u32string core = Ideographs(text.substr(Prefix(text).first));
  return std::any_of(terms_.begin(), terms_.end(), [&](const Term& t) { return t.core == core; });
}

std::optional<LabelSnap> LabelVocabulary::SnapCell(const std::string& reading) const {
  return Snap(reading, terms_, 0.6);
}

std::optional<LabelSnap> LabelVocabulary::SnapHeader(const std::string& reading) const {
  return Snap(reading, headers_, 0.55);
}

std::optional<LabelSnap> LabelVocabulary::Snap(const std::string& reading, const std::vector<Term>& terms,
                                               double share) const {
  const std::u32string text = DecodeUtf8(reading);
  const auto [prefix, canonical_prefix] = Prefix(text);
  const std::u32string body = text.substr(prefix);
  const std::u32string core = Ideographs(body);
  if (core.size() < 2) return std::nullopt;
  const Term* best = nullptr;
  double best_score = 0;
  size_t best_lcs = 0;
  std::vector<std::pair<double, const Term*>> scored;
  for (const Term& term : terms) {
    const size_t n = core.size(), m = term.core.size();
    if (2 * m < n || m > 2 * n) continue;
    const size_t lcs = Lcs(core, term.core);
    const double score = static_cast<double>(lcs) / std::max(n, m);
    scored.push_back({score, &term});
    if (score > best_score) best_score = score, best = &term, best_lcs = lcs;
  }
  if (!best) return std::nullopt;
  const size_t longer = std::max(core.size(), best->core.size());
  // Short labels allow one glyph wrong; longer ones two in five.
  const size_t need = share >= 0.6 && longer <= 4 ? longer - 1 : static_cast<size_t>(std::ceil(share * longer));
  if (best_lcs < std::max<size_t>(2, need)) return std::nullopt;
  if (best_score < share) return std::nullopt;
  // A close second is ambiguous, unless one term holds the other (an item
  // and its longer form, 政府性基金预算财政拨款 / …收入: the mapper knows
  // both as the same row).
  for (const auto& [score, term] : scored) {
    if (term == best || term->text == best->text || score < best_score - 0.08) continue;
    if (!ContainsSubsequence(best->core, term->core) && !ContainsSubsequence(term->core, best->core))
      return std::nullopt;
  }
  const std::string snapped = EncodeUtf8(canonical_prefix) + best->text;
  if (snapped == reading) return std::nullopt;  // read right
  return LabelSnap{snapped, best_score};
}

std::string LabelVocabulary::SnapLine(const std::string& line) const {
  const std::u32string text = DecodeUtf8(line);
  // The line's ideographs and where each sits in the line.
  std::u32string core;
  std::vector<size_t> where;
  for (size_t i = 0; i < text.size(); ++i)
    if (IsCjkIdeograph(text[i])) core += text[i], where.push_back(i);
  const Term* best = nullptr;
  size_t best_matched = 0, best_begin = 0, best_end = 0, best_distance = 0;
  for (const Term& title : titles_) {
    const size_t m = title.core.size(), n = core.size();
    if (m < 5 || n + m / 5 < m) continue;
    // Approximate substring match (Sellers): d[i][j] edits to align the
    // title's first i glyphs with a window of the line ending at j.
    std::vector<size_t> prev(n + 1, 0), cur(n + 1), prev_start(n + 1), cur_start(n + 1);
    for (size_t j = 0; j <= n; ++j) prev_start[j] = j;
    for (size_t i = 1; i <= m; ++i) {
      cur[0] = i;
      cur_start[0] = 0;
      for (size_t j = 1; j <= n; ++j) {
        size_t sub = prev[j - 1] + (title.core[i - 1] == core[j - 1] ? 0 : 1);
        size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
        if (sub <= del && sub <= ins) cur[j] = sub, cur_start[j] = prev_start[j - 1];
        else if (del <= ins) cur[j] = del, cur_start[j] = prev_start[j];
        else cur[j] = ins, cur_start[j] = cur_start[j - 1];
      }
      std::swap(prev, cur);
      std::swap(prev_start, cur_start);
    }
    for (size_t j = 1; j <= n; ++j) {
      const size_t d = prev[j];
      if (d > m / 5 || d >= m) continue;
      // Misread glyphs, not words inserted: the window is the title's length
      // give or take one ("财政拨款三公经费支出决算表" is not 一般公共预算
      // 财政拨款支出决算表 with four glyphs added).
      const size_t window = j - prev_start[j];
      if (window + 1 < m || window > m + 1) continue;
      // A title ends its phrase: "收入决算情况说明" holds no title.
      const size_t next = where[j - 1] + 1;
      if (next < text.size() && IsCjkIdeograph(text[next]) && text[next] != U'续') continue;
      const size_t matched = m - d;
      if (matched > best_matched || (matched == best_matched && d < best_distance)) {
        best = &title, best_matched = matched, best_distance = d;
        best_begin = prev_start[j], best_end = j;
      }
    }
  }
  if (!best || best_end <= best_begin) return line;
  size_t from = where[best_begin];
  const size_t to = where[best_end - 1] + 1;
  // Opening quotes belong to the window (“三公”).
  while (from > 0 && std::u32string_view(U"“\"'‘「").find(text[from - 1]) != std::u32string_view::npos) --from;
  // Read right, or right but for its punctuation in some variant of the
  // title ("三公"经费 with one quote lost identifies nothing).
  const std::string window = EncodeUtf8(text.substr(from, to - from));
  if (std::any_of(titles_.begin(), titles_.end(), [&](const Term& t) {
        return t.core == best->core && window.find(t.text) != std::string::npos;
      }))
    return line;
  return EncodeUtf8(text.substr(0, from)) + best->text + EncodeUtf8(text.substr(to));
}

std::vector<std::string> LabelVocabulary::CodesNamed(const std::string& name) const {
  const std::u32string text = DecodeUtf8(name);
  const auto found = core_codes_.find(Ideographs(text.substr(Prefix(text).first)));
  return found == core_codes_.end() ? std::vector<std::string>{} : found->second;
}

std::optional<std::string> LabelVocabulary::SnapCode(const std::string& reading, const std::string& name) const {
  auto named = name_codes_.find(name);
  const auto as_read = code_names_.find(reading);
  if (as_read != code_names_.end()) {
    // A code as read, unless the name beside it is exactly the one name of
    // another code of its level a glyph away (类 210 卫生健康支出 read
    // 230, itself a code): a digit is misread far more often than a whole
    // name turns into another 科目's.
    if (as_read->second == name || named == name_codes_.end() || named->second.size() > 1) return std::nullopt;
    const std::string& code = named->second.front();
    if (code.size() != reading.size() || EditDistance(reading, code) != 1) return std::nullopt;
    return code;
  }
  // A name several codes share (行政运行, 事业运行) says nothing of the
  // code: its 款 prefix does, and the list of codes is not exhaustive.
  if (named == name_codes_.end() || named->second.size() > 1) return std::nullopt;
  // A reading too short for any code (a faint code of which one glyph was
  // seen) takes the one code the name has.
  if (reading.size() < 3) return *named->second.begin();
  const std::string* best = nullptr;
  size_t best_distance = 0;
  bool tie = false;
  for (const std::string& code : named->second) {
    // Of the code's level only: 款 and 项 share names (其他科学技术支出),
    // and the list does not hold every 项.
    // A reading of no code's length (a digit dropped or doubled: 296002)
    // may be one digit from the code's.
    const bool no_level = reading.size() == 4 || reading.size() == 6 || reading.size() == 8;
    if (code.size() != reading.size() && !(no_level && code.size() + 1 >= reading.size() && code.size() <= reading.size() + 1))
      continue;
    const size_t d = EditDistance(reading, code);
    if (!best || d < best_distance) {
      best = &code, best_distance = d, tie = false;
    } else if (d == best_distance) {
      tie = true;
    }
  }
  if (!best || tie || best_distance == 0 || best_distance > (best->size() + 2) / 3) return std::nullopt;
  return *best;
}

}  // namespace juesuan
