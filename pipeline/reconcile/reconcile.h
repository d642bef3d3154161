// Reconcile: checks the extracted figures of one Document against the
// accounting identities of the disclosure, the narrative that quotes them and
// the disclosure rules, and records every problem as a Finding.
//
//   IdentitySet (schemas/identities/*.json, loaded once, immutable, shareable
//   between threads)  +  Document (facts, lines)  ->  Document.findings
//
// Identities are data, not code: each rule has an id, a readable formula and
// the tables it spans, and is either an explicit equation between named cells
// or a family that expands over the figures present (every row of a table,
// every 科目编码 parent, every 类 code across two tables). Arithmetic is exact
// (Decimal); an absent figure counts as zero (documents print zeros blank).
//
// Verdicts, one Finding per broken identity (or per repaired cell):
//   rounding       |difference| within the rounding bound of the printed terms
//                  (尾数误差): reported, never dropped, never an error.
//   (Before any verdict the OCR cells of broken identities are read again,
//   when the caller can: ReconcileOptions::reread_cell.)
//   ocr_error      an OCR cell whose engine alternative (or, at low
//                  confidence, a one-glyph misreading) repairs every broken
//                  identity it is in; or the one untrusted OCR cell of a
//                  broken identity whose other figures are all trusted, when
//                  a one-glyph misreading of it mends every identity it is
//                  in. The fact value is corrected in place and the original
//                  reading kept in the finding.
//   source_error   the figures are reliable and the document is inconsistent;
//                  `suspects` names the single cell the identities single out,
//                  else every plausible candidate. Figures read by OCR count
//                  as reliable only when trusted (TrustedFigure: high
//                  confidence, and the same value again on an independent
//                  re-read); see docs/VERDICTS.md.
//   uncertain      a broken (or rounding-only) identity with an OCR figure
//                  that is not trusted and no single repair that mends it:
//                  our reading or the document may be wrong, and we cannot
//                  tell. `suspects` names the untrusted cells. Not a flag;
//                  the document becomes `partial` (SettleOcrFindings).
//   missing        a figure a total or a cross-table equality needs is blank
//                  (blank block); `expected` is the value it must have.
//   unreadable     a cell printed as "#####" (or otherwise not a number): a
//                  fact whose printed text has '#', or a cell the mapper
//                  already reported as unreadable; `expected` is the value
//                  the identities imply, when one does.
//   narrative_mismatch, disclosure: see ReconcileNarrative/ReconcileDisclosure.
//
// Flags (NAME.flags.csv) are derived from the findings by the writer
// (FlagRowsOf in pipeline/write/document_writer.h).
//
// Reconcile never fails on document content; LoadIdentities fails only on
// unreadable or malformed schema files. Reconcile is a pure function of its
// inputs (no globals); distinct Documents may be reconciled concurrently.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/core/decimal.h"
#include "pipeline/core/document.h"
#include "pipeline/core/result.h"

namespace juesuan {

// How an identity tolerates differences.
enum class RoundingMode {
  kPrinted,  // terms are rounded figures: a small difference is `rounding`
  kExact,    // terms are exact (scores, counts): any difference is a break
};

// One cell reference in an identity template. `table`, `row` and `col` may
// hold the placeholders {table}, {row}, {code}, {name}, {col}.
struct TermTemplate {
  std::string table, row, col;
  int sign = 1;
  // Expansion of a single term into many: "" (none), "classes" (one term per
  // 类 name, row = the name), "codes:N" (every N-digit 科目编码 row present),
  // "prefix:P" (every row present that starts with P).
  std::string each;
};

enum class RuleShape {
  kExplicit,    // lhs = Σ rhs once (placeholders only from `over`)
  kCodeRollup,  // parent code = Σ child codes, total row = Σ top codes, per column
};

// One identity or family of identities, as written in the schema.
struct IdentityRule {
  std::string id;
  std::string formula;
  std::vector<std::string> tables;  // table codes it spans; "绩效自评表:*" = any table keyed 绩效自评表:<name>
  RuleShape shape = RuleShape::kExplicit;
  RoundingMode rounding = RoundingMode::kPrinted;
  TermTemplate lhs;
  std::vector<TermTemplate> rhs;
  // Expansion for kExplicit: "" (once), "rows" (every row of over_table that
  // has a figure in one of over_cols, minus skip_rows; {row}), "classes"
  // (every 类 code of the class list; {code}, {name}), "cols" (every col in
  // over_cols; {col}). over_table may be "<prefix>:*" ({table}): every
  // table keyed <prefix>:<name> (绩效自评表:*, 绩效目标表:*).
  std::string over;
  std::string over_table;
  std::vector<std::string> over_cols;
  std::vector<std::string> skip_rows;
  std::string row_pattern;  // for "rows": "codes" (科目编码 or 合计) or "" (any)
  std::vector<std::string> each_col;  // for "rows": one instance per col ({col})
  // A conditional identity holds only where the document says it must (02/03
  // vs 05 per 科目编码 "where the funding is all general-budget"). Evaluated
  // on the figures as extracted: every cell of when_equal has the same value
  // (blank = 0) and no row of when_zero (table, row) has a non-zero figure.
  std::vector<TermTemplate> when_equal;
  std::vector<TermTemplate> when_zero;
  // kCodeRollup
  std::string rollup_table;
  std::vector<int> levels;       // code lengths, e.g. {3, 5, 7}
  std::string total_row;         // e.g. "合计"; empty for none
};

// A label the narrative uses for a table figure ("本年收入" -> 公开01表
// 本年收入合计 1). A quote's subject matches when it ends with `label`, or,
// for entries given by `words`, when it contains every word and none of
// `without` (the subject's own words, its role word appended: "“三公”经费
// 财政拨款支出预算"). `role` "预算" matches only budget figures ("年初预算为
// 2.85 万元"); "" matches the others (决算 figures and plain quotes).
struct NarrativeLabel {
  std::string label;
  std::vector<std::string> words;
  std::vector<std::string> without;
  std::string role;
  std::vector<std::vector<std::string>> cells;  // {table, row, col}
};

// A year the narrative prints in a given context, checked against the
// document's fiscal year: `pattern` (ECMAScript regex over the normalised
// UTF-8 sentence; group `group` is the year) must print fiscal year +
// `offset` ("与 2023 年度相比" in a 2024 document: offset -1).
struct NarrativeYearRule {
  std::string id;  // the finding's identity: narrative[year:<id>]
  std::string pattern;
  int offset = 0;
  std::string what;
  int group = 1;
};

// A sentence saying a fund has nothing ("无政府性基金预算财政拨款收入和支出"):
// every figure of `tables` and every cell of `cells` must be blank or zero.
struct NarrativeNoneRule {
  std::string pattern;
  std::vector<std::string> tables;
  std::vector<std::vector<std::string>> cells;
  std::string what;
};

// The words of "决算数小于预算数" / "决算数同预算数持平": an actual word, then a
// relation word and a budget word, or a link word, a budget word and a flat
// word. Checked against the last 预算/决算 pair quoted before it.
struct NarrativeComparisonWords {
  std::vector<std::string> actual, budget, links, flat;
  std::map<std::string, int> relations;  // word -> sign of (决算 - 预算): 1, -1, 0
};

struct IdentitySet {
  std::vector<IdentityRule> rules;
  std::map<std::string, std::string> class_names;  // 类 code -> 类 name
  std::vector<NarrativeLabel> narrative_labels;
  std::vector<std::string> required_tables;        // the nine codes
  std::vector<std::string> placeholders;           // "XX局", "××" ...
  std::vector<NarrativeYearRule> narrative_years;
  std::vector<NarrativeNoneRule> narrative_none;
  NarrativeComparisonWords narrative_comparison;
};

// Reads every *.json under schema_dir/identities (or schema_dir itself when
// it holds the files). Errors: kNotFound (no directory / no files),
// kInvalidArgument (malformed JSON or rule, message names file and id).
Result<IdentitySet> LoadIdentities(const std::string& schema_dir);

// A fully expanded identity: Σ sign_i × value(cell_i) = 0, cell 0 the lhs.
struct CellKey {
  std::string table, row, col;
  auto operator<=>(const CellKey&) const = default;
};
struct IdentityTerm {
  CellKey cell;
  int sign = 1;
};
struct IdentityInstance {
  std::string id;       // rule id plus the expansion ("02.row_sum[2080505]")
  std::string formula;  // readable, with the expansion substituted
  RoundingMode rounding = RoundingMode::kPrinted;
  IdentityTerm lhs;
  std::vector<IdentityTerm> rhs;
};

// Expands every rule over the facts present in `doc` (and, when given, over
// extra cells known to hold a figure, e.g. inferred blanks).
std::vector<IdentityInstance> ExpandIdentities(const Document& doc, const IdentitySet& set);
std::vector<IdentityInstance> ExpandIdentities(const Document& doc, const IdentitySet& set,
                                               const std::set<CellKey>* extra_cells);

struct CellRereading {
  std::vector<std::string> readings;
  float confidence = 0.0f;
};

// An OCR figure's digits compared with the page's surely read ones
// (pipeline/ocr/figure_shapes.h): empty `doubt` when they agree or could not
// be compared.
struct CellShapeCheck {
  std::string doubt;                      // why the shapes disagree
  std::vector<std::string> alternatives;  // readings the shapes suggest
};

struct ReconcileOptions {
  // The rounding bound is n_terms × half a unit of the finest printed scale,
  // capped at this many units (a long sum does not excuse a large gap).
  int rounding_cap_units = 3;
  // OCR cells below this confidence (0..100) may be repaired by a one-glyph
  // misreading even without an engine alternative.
  float ocr_low_confidence = 70.0f;
  bool check_narrative = true;
  bool check_disclosure = true;
  // Reads one OCR cell again from its page image with other settings (a
  // higher resolution): the readings, best first, and the first's
  // confidence. Called, in page order, for every OCR cell of a broken
  // identity before any verdict; its readings join the cell's alternatives
  // and the fact records the re-read. Unset: the extraction's readings only.
  std::function<CellRereading(const Fact&)> reread_cell;
  int max_rereads = 400;  // lowest confidence first
  // Compares an OCR cell's ink with the digits of its page's figures that
  // stand in no broken identity (`exemplars`), after the re-read: a figure
  // whose shapes disagree with its reading is not trusted, however often
  // the engine read it so (an engine repeats its own misreadings of a
  // font). Unset: not compared.
  std::function<CellShapeCheck(const Fact&, const std::vector<const Fact*>& exemplars)> check_shape;
  // An OCR figure is trusted (may stand in a source_error) when read with at
  // least this confidence and re-read to the same value with at least this
  // confidence.
  float ocr_trusted_confidence = 80.0f;
  // A page on which the reader was proven wrong (ocr_error findings) more
  // often than this gives no trusted figure: its confidences are not worth
  // their number there, however often a misreading repeats.
  int ocr_misreads_per_trusted_page = 1;
  // An OCR reading below this confidence in which the re-read saw no digit
  // at all, and that is a bare one- or two-digit number, is withdrawn
  // (WithdrawUnseenFigures).
  float ocr_unseen_below = 50.0f;
};

// What ReconcileOptions::check_shape compares a page's suspects with, by
// page: its OCR figures read with at least ocr_trusted_confidence that are
// not among `suspects` (their sums hold).
std::map<int, std::vector<const Fact*>> ShapeExemplars(const Document& doc, const ReconcileOptions& options,
                                                        const std::set<const Fact*>& suspects);

// Withdraws the facts a dash or a speck may have given: read by OCR with
// confidence below options.ocr_unseen_below, a bare one- or two-digit
// number (amounts print their decimals), and read again (reread_cell) with
// no digit in it (nothing, or only dashes and dots). Each becomes an
// `uncertain` finding naming its cell and counts as an unkeyed figure, so
// the document is partial. Reconcile calls it after the identities are
// checked, before the verdicts.
void WithdrawUnseenFigures(Document& doc, const ReconcileOptions& options);

// Whether a figure can be taken as printed: from the text layer, or read by
// OCR with high confidence, confirmed by an independent re-read and not
// doubted by its shapes. (SettleOcrFindings also distrusts the figures of a
// page with too many proven misreadings.)
bool TrustedFigure(const Fact& fact, const ReconcileOptions& options);

// The OCR verdict rule over findings of every checker (identities, the 绩效
// rules, the narrative): a source_error, rounding or narrative_mismatch that
// involves an OCR figure not trusted (re-read first when the caller can:
// options.reread_cell), a blank of a table read by OCR, a table read by
// OCR with figures in its grids no fact was made of, or a narrative quote
// read by OCR, becomes `uncertain` (the untrusted cells its suspects); a
// `missing` figure of a table read by OCR, and an unreadable cell of a page
// read by OCR that shows no '#', are as likely our failure and become
// uncertain too.
// A document with uncertain findings is marked partial with the reason
// (unless it already failed). Idempotent; Reconcile calls it, and so must
// whoever adds findings afterwards.
void SettleOcrFindings(Document& doc, const ReconcileOptions& options);

struct ReconcileSummary {
  int figures = 0;             // facts read
  int identities_checked = 0;  // expanded identities with at least one figure
  int held = 0;                // of those, exactly satisfied
  std::map<std::string, int> findings_by_kind;
};

// Evaluates every identity on the document's facts, appends Findings to
// doc.findings, corrects the values of repaired OCR facts, then runs the
// narrative and disclosure checks when enabled. Returns the counts.
ReconcileSummary Reconcile(Document& doc, const IdentitySet& set, const ReconcileOptions& options);

// --- Narrative -------------------------------------------------------------

enum class MentionKind { kAmount, kPercent, kFlat };

// One figure quoted in running text.
struct NarrativeMention {
  MentionKind kind = MentionKind::kAmount;
  std::string label;    // the words before it in its clause ("本年收入")
  std::string cue;      // 占, 增长, 下降, 增加, 减少, 完成年初预算的, 持平 ...
  Decimal value;        // as printed (amount in `unit`, percent in %)
  std::string unit;     // 万元, 元, 亿元, %
  size_t offset = 0;    // byte offset in the text
};

// Parses amounts ("19,436.23 万元"), percentages ("占 95.35%", "增长 50.22%",
// "完成年初预算的 87.39%") and "持平" in one line of normalised text.
std::vector<NarrativeMention> ParseNarrative(std::string_view text);

// Checks the sentences of doc.lines against the tables and against
// themselves: quoted figures (by subject and role), shares, change rates,
// budget completion and comparison words, years, "无…收支" (all as data:
// schemas/identities/narrative.json; docs/NARRATIVE.md). Appends
// narrative_mismatch findings (identity "narrative[<check>]"), and `rounding`
// for percentages a correct rounding explains. Called by Reconcile.
void ReconcileNarrative(Document& doc, const IdentitySet& set, const ReconcileOptions& options);

// Appends disclosure findings (missing tables, placeholders, year, unit).
void ReconcileDisclosure(Document& doc, const IdentitySet& set);

// --- Outputs ---------------------------------------------------------------

// "312 figures, 845 identities checked, 838 held; rounding 3, source_error 1"
std::string SummaryLine(const ReconcileSummary& summary);

}  // namespace juesuan
