// The closed vocabulary of the template's labels, for correcting OCR
// readings of them: a column header, an item name, a 科目 name or a table
// title read with a glyph or two wrong ("财政按款政入") is written out as the
// term it stands for ("财政拨款收入").
//
// Input: the terms (item names, aliases, column headers, 科目 names; from
// schemas/*.json, see LoadLabelVocabulary in pipeline/run/ocr_page.h) and
// the table titles among them. Output: corrected readings, or nothing when
// no term is clearly the one read. Terms are compared on their CJK
// ideographs only: OCR's stray punctuation and Latin letters are noise, and
// an ordinal ("一、", "（三）") or "其中：" before a label is kept as read.
//
// Immutable after construction; thread-safe for reading.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace juesuan {

struct LabelSnap {
  std::string text;   // the reading with its label written out as the term
  double score = 0;   // 0..1: longest common subsequence / longer length
};

class LabelVocabulary {
 public:
  LabelVocabulary() = default;
  // `codes`: 科目编码 -> 科目名称 of the classification (its names should
  // also be among `terms`).
  LabelVocabulary(const std::vector<std::string>& terms, const std::vector<std::string>& titles,
                  const std::map<std::string, std::string>& codes = {},
                  const std::vector<std::string>& headers = {});

  bool empty() const { return terms_.empty(); }
  // Whether `label` (ordinal and stray marks aside) is exactly a term.
  bool IsTerm(const std::string& label) const;
  size_t size() const { return terms_.size(); }

  // A table cell's reading: the closest term when the reading has at least
  // two ideographs and the term shares enough of them in order (three of
  // four, two thirds from six on) and no other term comes as close. nullopt
  // when the reading already is a term or no term qualifies.
  std::optional<LabelSnap> SnapCell(const std::string& reading) const;

  // A column header cell's reading, against the column headers only (a few
  // dozen terms, so more than half the glyphs in order suffice when no other
  // header comes as close). nullopt as for SnapCell.
  std::optional<LabelSnap> SnapHeader(const std::string& reading) const;

  // A line of running text: a window of it that is a title with at most one
  // ideograph in five misread (substituted, dropped or added), and that ends
  // the phrase (no ideograph follows but 续), is replaced by the title; so
  // is one whose ideographs are right but whose punctuation is no title's
  // (a quote of “三公” lost). The rest of the line is kept. The line
  // unchanged when it already holds a title or none is close.
  std::string SnapLine(const std::string& line) const;

  // A 科目编码 cell's reading given the name read beside it: the reading when
  // it is a code of the classification (unless the name is exactly that of
  // the one other code of its length a glyph away: that code); else, among the codes the
  // classification gives that name, the one a glyph or two from the reading
  // (one substituted, dropped or added per three digits). nullopt when the
  // name is not a 科目 name or no code of it is close enough to be the one
  // printed.
  std::optional<std::string> SnapCode(const std::string& reading, const std::string& name) const;
  // Whether `code` is a 科目编码 of the classification.
  bool KnownCode(const std::string& code) const { return code_names_.count(code) > 0; }
  // The codes the classification gives a name (compared on ideographs, an
  // ordinal before it aside); empty when it is no 科目 name.
  std::vector<std::string> CodesNamed(const std::string& name) const;

 private:
  struct Term {
    std::string text;     // as written in the schema
    std::u32string core;  // its ideographs
  };
  std::optional<LabelSnap> Snap(const std::string& reading, const std::vector<Term>& terms, double share) const;
  std::vector<Term> terms_;
  std::vector<Term> titles_;
  std::vector<Term> headers_;
  std::map<std::string, std::string> code_names_;             // code -> name
  std::map<std::string, std::vector<std::string>> name_codes_;  // name -> codes
  std::map<std::u32string, std::vector<std::string>> core_codes_;  // name's ideographs -> codes
};

// Edits (substitutions, insertions, deletions) between two byte strings:
// for ASCII such as 科目编码.
size_t EditDistance(const std::string& a, const std::string& b);

}  // namespace juesuan
