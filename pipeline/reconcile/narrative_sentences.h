// Internal to pipeline/reconcile: the narrative checks of single sentences
// (narrative_sentences.cc), shared with the figure linking of narrative.cc.
// Every check is driven by schemas/identities/narrative.json.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pipeline/reconcile/reconcile.h"

namespace juesuan::narrative {

// A quoted amount's role, told by the words it ends with: "预算" (年初预算为,
// 全年预算数), "决算" (支出决算为, 决算数) or "" (a plain quote). `core` is the
// label without the role words.
struct Role {
  std::string role;
  std::string core;
};
Role RoleOf(const std::string& label);

// One sentence of the narrative: the lines of a page joined until one ends
// with "。" (a sentence, and a figure, may run over lines).
struct Sentence {
  TextLine line;
  std::vector<NarrativeMention> mentions;
};
std::vector<Sentence> SplitSentences(const Document& doc);

// Appends a narrative_mismatch naming the check (identity "narrative[<check>]"),
// the sentence (page, box, text), the table cells checked against and the
// printed and expected values.
void AddFinding(Document& doc, const std::string& check, const TextLine& line, const std::string& message,
                std::vector<FindingCell> cells, std::optional<Decimal> printed, std::optional<Decimal> expected);

// Years printed in headings, titles and dates against the fiscal year.
void CheckYears(Document& doc, const IdentitySet& set);
// "无…收入和支出" against the figures of the fund's tables.
void CheckNone(Document& doc, const IdentitySet& set, const std::vector<Sentence>& sentences);
// "决算数小于预算数" against the last 预算 / 决算 pair quoted before it.
void CheckComparisonWords(Document& doc, const IdentitySet& set, const std::vector<Sentence>& sentences);

}  // namespace juesuan::narrative
