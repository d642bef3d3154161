// Identity evaluation and verdicts. See reconcile.h for the contract.
#include "pipeline/reconcile/reconcile.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace juesuan {
namespace {

struct FactRef {
  int table = -1, fact = -1;
};

bool IsUnreadable(const Fact& fact) { return fact.printed.find('#') != std::string::npos; }

// Digits of a decimal's absolute value at scale 2, e.g. 1024.36 -> "102436".
std::string DigitString(const Decimal& d) {
  Decimal r = d.Abs().Rounded(2);
  return std::to_string(r.units());
}

// True when `a` and `b` differ by one misread glyph: one digit substituted,
// two adjacent digits swapped, or one digit dropped/added.
bool OneGlyphApart(const Decimal& a, const Decimal& b) {
  std::string x = DigitString(a), y = DigitString(b);
  if (x == y) return false;
  if (x.size() == y.size()) {
    std::vector<size_t> diff;
    for (size_t i = 0; i < x.size(); ++i) {
      if (x[i] != y[i]) diff.push_back(i);
    }
    if (diff.size() == 1) return true;
    return diff.size() == 2 && diff[1] == diff[0] + 1 && x[diff[0]] == y[diff[1]] && x[diff[1]] == y[diff[0]];
  }
  const std::string& lng = x.size() > y.size() ? x : y;
  const std::string& sht = x.size() > y.size() ? y : x;
  if (lng.size() != sht.size() + 1) return false;
  for (size_t i = 0; i < lng.size(); ++i) {
    if (lng.substr(0, i) + lng.substr(i + 1) == sht) return true;
  }
  return false;
}

std::optional<Decimal> ParseReading(std::string text) {
  std::string clean;
  for (char c : text) {
    if (c != ',' && c != ' ') clean += c;
  }
  return Decimal::Parse(clean);
}

enum class Status { kSkipped, kHeld, kRounding, kBroken };

struct Evaluation {
  Status status = Status::kSkipped;
  Decimal lhs, rhs, diff;  // diff = lhs - Σ signed rhs
};

// The working state of one reconciliation.
class Reconciler {
 public:
  Reconciler(Document& doc, const IdentitySet& set, const ReconcileOptions& options)
      : doc_(doc), set_(set), options_(options) {}

  ReconcileSummary Run();

 private:
  const Fact* FactAt(const CellKey& key) const {
    auto it = facts_.find(key);
    return it == facts_.end() ? nullptr : &doc_.tables[it->second.table].facts[it->second.fact];
  }
  Fact* MutableFactAt(const CellKey& key) {
    auto it = facts_.find(key);
    return it == facts_.end() ? nullptr : &doc_.tables[it->second.table].facts[it->second.fact];
  }
  bool Readable(const CellKey& key) const {
    const Fact* f = FactAt(key);
    return f && !IsUnreadable(*f);
  }
  // A cell printed but not a number: a '#' fact, or a cell the mapper
  // reported as unreadable (it made no fact of it).
  bool Unreadable(const CellKey& key) const {
    const Fact* f = FactAt(key);
    return f ? IsUnreadable(*f) : mapper_unreadable_.count(key) > 0;
  }
  void DropEarlierFindings();
  bool Present(const CellKey& key) const { return imputed_.count(key) || Readable(key); }
  Decimal Value(const CellKey& key, const std::map<CellKey, Decimal>* override_values = nullptr) const {
    if (override_values) {
      auto o = override_values->find(key);
      if (o != override_values->end()) return o->second;
    }
    auto it = imputed_.find(key);
    if (it != imputed_.end()) return it->second;
    const Fact* f = FactAt(key);
    return f && !IsUnreadable(*f) ? f->value : Decimal();
  }
  Evaluation Evaluate(const IdentityInstance& inst, const std::map<CellKey, Decimal>* override_values = nullptr) const;
  bool BlankIsPrinted(const IdentityInstance& inst, const CellKey& key) const;
  void Impute();
  void ReportUnsolvedUnreadable();
  void RereadBrokenOcrCells();
  void RepairOcr();
  void Judge();
  FindingCell CellOf(const CellKey& key) const;
  std::vector<CellKey> Cells(const IdentityInstance& inst) const;
  std::string Describe(const IdentityInstance& inst, const Evaluation& e) const;
  bool RepairsAll(const CellKey& key, const Decimal& value) const;
  int BrokenAmong(const std::vector<int>& idxs, const std::map<CellKey, Decimal>& ov) const;

  Document& doc_;
  const IdentitySet& set_;
  const ReconcileOptions& options_;
  std::map<CellKey, FactRef> facts_;
  std::map<CellKey, Decimal> imputed_;
  std::map<CellKey, size_t> mapper_unreadable_;  // cell -> index of its finding
  std::map<std::string, std::set<std::string>> rows_with_figures_;  // table -> rows (facts and imputed)
  std::set<std::pair<std::string, std::string>> cols_with_figures_;  // (table, col) read from the page
  std::vector<IdentityInstance> instances_;
  std::map<CellKey, std::vector<int>> instances_of_cell_;
  ReconcileSummary summary_;
};

Evaluation Reconciler::Evaluate(const IdentityInstance& inst, const std::map<CellKey, Decimal>* ov) const {
  Evaluation e;
  int present = 0;
  int scale = 0;
  std::vector<int> scales;  // the printed precision of each present term
  auto add = [&](const IdentityTerm& term, Decimal& acc) {
    bool here = Present(term.cell) || (ov && ov->count(term.cell));
    if (!here) return false;
    ++present;
    Decimal v = Value(term.cell, ov);
    scale = std::max(scale, v.scale());
    scales.push_back(v.scale());
    acc = acc + (term.sign < 0 ? -v : v);
    return true;
  };
  // A blank term is a zero, but a blank total, or a total with every term
  // blank, cannot be told apart from a figure not extracted: such an
  // identity is not checked (blank blocks are found by Impute instead).
  if (!add(inst.lhs, e.lhs)) return e;
  int lhs_only = present;
  for (const auto& term : inst.rhs) add(term, e.rhs);
  if (present == lhs_only) return e;
  e.diff = e.lhs - e.rhs;
  if (e.diff.IsZero()) {
    e.status = Status::kHeld;
    return e;
  }
  if (inst.rounding == RoundingMode::kPrinted) {
    // Each printed term carries up to half a unit of its own last digit (a
    // figure printed without cents, beside others with them, up to 0.50).
    const int fine = std::max(scale, e.diff.scale());
    int64_t twice_diff = 2 * e.diff.Abs().Rescaled(fine).units();
    auto units_of = [&](int term_scale) {
      int64_t u = 1;
      for (int i = term_scale; i < fine; ++i) u *= 10;
      return u;
    };
    int64_t sum = 0, widest = units_of(scale);
    for (int s : scales) {
      sum += units_of(s);
      widest = std::max(widest, units_of(s));
    }
    int64_t bound = std::min<int64_t>(std::max<int64_t>(sum, 2 * units_of(scale)),
                                      2 * options_.rounding_cap_units * widest);
    if (twice_diff <= bound) {
      e.status = Status::kRounding;
      return e;
    }
  }
  e.status = Status::kBroken;
  return e;
}

FindingCell Reconciler::CellOf(const CellKey& key) const {
  FindingCell cell;
  cell.table = key.table;
  cell.row = key.row;
  cell.col = key.col;
  if (const Fact* f = FactAt(key)) {
    cell.page = f->page;
    cell.box = f->box;
    cell.printed = f->printed.empty() ? f->value.ToString() : f->printed;
  }
  return cell;
}

std::vector<CellKey> Reconciler::Cells(const IdentityInstance& inst) const {
  std::vector<CellKey> out{inst.lhs.cell};
  for (const auto& t : inst.rhs) out.push_back(t.cell);
  return out;
}

std::string Reconciler::Describe(const IdentityInstance& inst, const Evaluation& e) const {
  std::ostringstream os;
  os << inst.id << " (" << inst.formula << "): " << inst.lhs.cell.table << " " << inst.lhs.cell.row << " "
     << inst.lhs.cell.col << "栏 = " << e.lhs.ToString() << ", terms give " << e.rhs.ToString() << ", difference "
     << e.diff.ToString();
  if (const Fact* f = FactAt(inst.lhs.cell)) os << " at " << doc_.doc_id << ":p" << f->page;
  return os.str();
}

// An absent cell is a printed blank (not a row the extraction missed) when
// its column has figures and either its row has another figure in the table
// or another table states the figure (a cross-table identity).
bool Reconciler::BlankIsPrinted(const IdentityInstance& inst, const CellKey& key) const {
  // A column without a single figure is one the extraction did not read.
  if (!cols_with_figures_.count({key.table, key.col})) return false;
  for (const auto& t : inst.rhs) {
    if (t.cell.table != inst.lhs.cell.table) return true;
  }
  auto it = rows_with_figures_.find(key.table);
  return it != rows_with_figures_.end() && it->second.count(key.row) > 0;
}

void Reconciler::Impute() {
  for (int iter = 0; iter < 8; ++iter) {
    bool changed = false;
    for (const auto& inst : instances_) {
      Evaluation e = Evaluate(inst);
      if (e.status == Status::kHeld || e.status == Status::kRounding) continue;
      std::vector<std::pair<const IdentityTerm*, bool>> unknown;  // term, is_lhs
      auto consider = [&](const IdentityTerm& term, bool is_lhs) {
        if (imputed_.count(term.cell)) return;
        const Fact* f = FactAt(term.cell);
        if (Unreadable(term.cell)) {
          unknown.push_back({&term, is_lhs});
        } else if (!f && (is_lhs || inst.rhs.size() == 1) && BlankIsPrinted(inst, term.cell)) {
          unknown.push_back({&term, is_lhs});
        }
      };
      consider(inst.lhs, true);
      for (const auto& t : inst.rhs) consider(t, false);
      if (unknown.size() != 1) continue;
      const IdentityTerm* term = unknown[0].first;
      const bool is_lhs = unknown[0].second;
      // Solve with the unknown as zero: Σ of the other terms, signed.
      Decimal lhs, rhs;
      int known = 0;
      auto add = [&](const IdentityTerm& t, Decimal& acc) {
        if (&t == term || !Present(t.cell)) return;
        ++known;
        acc = acc + (t.sign < 0 ? -Value(t.cell) : Value(t.cell));
      };
      add(inst.lhs, lhs);
      for (const auto& t : inst.rhs) add(t, rhs);
      if (known == 0) continue;
      Decimal diff = lhs - rhs;
      Decimal v = is_lhs ? -diff : (term->sign < 0 ? -diff : diff);
      const Fact* f = FactAt(term->cell);
      bool unreadable = Unreadable(term->cell);
      if (!unreadable && !(v > Decimal())) continue;
      imputed_[term->cell] = v;
      rows_with_figures_[term->cell.table].insert(term->cell.row);
      changed = true;
      Finding finding;
      finding.kind = unreadable ? "unreadable" : "missing";
      finding.identity = inst.id;
      finding.formula = inst.formula;
      finding.expected = v;
      for (const auto& key : Cells(inst)) finding.cells.push_back(CellOf(key));
      finding.suspects.push_back(CellOf(term->cell));
      std::ostringstream os;
      os << term->cell.table << " " << term->cell.row << " " << term->cell.col << "栏 ";
      auto reported = mapper_unreadable_.find(term->cell);
      if (reported != mapper_unreadable_.end()) {
        // Complete the mapper's finding rather than repeat it.
        Finding& earlier = doc_.findings[reported->second];
        const auto& named = earlier.suspects.size() == 1 ? earlier.suspects : earlier.cells;
        const FindingCell printed = named.empty() ? FindingCell{} : named[0];
        finding.suspects = {printed};
        for (auto& c : finding.cells) {
          if (c.table == printed.table && c.row == printed.row && c.col == printed.col) c = printed;
        }
        os << "unreadable (" << printed.printed << "), " << inst.id << " needs " << v.ToString() << " at "
           << doc_.doc_id << ":p" << printed.page;
        finding.message = os.str();
        earlier = std::move(finding);
        continue;
      }
      os << (unreadable ? "unreadable (" + f->printed + ")" : std::string("blank")) << ", " << inst.id
         << " needs " << v.ToString();
      if (f) os << " at " << doc_.doc_id << ":p" << f->page;
      finding.message = os.str();
      doc_.findings.push_back(std::move(finding));
    }
    if (!changed) break;
  }
}

void Reconciler::ReportUnsolvedUnreadable() {
  // Unreadable cells no identity could solve are still reported.
  for (const auto& [key, ref] : facts_) {
    const Fact& f = doc_.tables[ref.table].facts[ref.fact];
    if (!IsUnreadable(f) || imputed_.count(key)) continue;
    Finding finding;
    finding.kind = "unreadable";
    finding.cells.push_back(CellOf(key));
    finding.suspects.push_back(CellOf(key));
    finding.message = key.table + " " + key.row + " " + key.col + "栏 unreadable (" + f.printed + ") at " +
                      doc_.doc_id + ":p" + std::to_string(f.page);
    doc_.findings.push_back(std::move(finding));
  }
}

bool Reconciler::RepairsAll(const CellKey& key, const Decimal& value) const {
  std::map<CellKey, Decimal> ov{{key, value}};
  auto it = instances_of_cell_.find(key);
  if (it == instances_of_cell_.end()) return false;
  for (int idx : it->second) {
    Status s = Evaluate(instances_[idx], &ov).status;
    if (s == Status::kBroken) return false;
  }
  return true;
}

int Reconciler::BrokenAmong(const std::vector<int>& idxs, const std::map<CellKey, Decimal>& ov) const {
  int n = 0;
  for (int idx : idxs) n += Evaluate(instances_[idx], &ov).status == Status::kBroken;
  return n;
}

// The OCR cells of broken identities (and of identities off by a rounding
// difference: a misread last digit looks like one), read again: a
// misreading the first pass made with confidence may not survive another
// resolution, and a figure read the same way twice is what lets a break
// count as the document's own.
void Reconciler::RereadBrokenOcrCells() {
  if (!options_.reread_cell) return;
  std::set<CellKey> keys;
  std::set<const Fact*> in_breaks;
  for (const auto& inst : instances_) {
    const Status status = Evaluate(inst).status;
    if (status != Status::kBroken && status != Status::kRounding) continue;
    for (const auto& key : Cells(inst)) {
      const Fact* f = FactAt(key);
      if (f) in_breaks.insert(f);
      if (f && f->source == TextSource::kOcr && !IsUnreadable(*f) && !f->reread) keys.insert(key);
    }
  }
  // What the suspects' digits are compared with: the page's OCR figures
  // read with confidence that stand in no broken identity.
  auto exemplars = options_.check_shape ? ShapeExemplars(doc_, options_, in_breaks)
                                        : std::map<int, std::vector<const Fact*>>{};
  std::vector<Fact*> facts;
  for (const auto& key : keys) facts.push_back(MutableFactAt(key));
  std::stable_sort(facts.begin(), facts.end(), [](const Fact* a, const Fact* b) { return a->confidence < b->confidence; });
  if (facts.size() > static_cast<size_t>(options_.max_rereads)) facts.resize(options_.max_rereads);
  std::stable_sort(facts.begin(), facts.end(), [](const Fact* a, const Fact* b) { return a->page < b->page; });
  for (Fact* f : facts) {
    CellRereading r = options_.reread_cell(*f);
    f->reread = r.readings.empty() ? std::string() : r.readings.front();
    f->reread_confidence = r.confidence;
    // A first reading the engine itself doubted, against a re-read it is
    // far surer of: the re-read is the better reading of what is printed
    // (the first is kept among the alternatives).
    if (auto v = r.readings.empty() ? std::nullopt : ParseReading(r.readings.front());
        v && *v != f->value && f->confidence < 50.0f && r.confidence >= f->confidence + 30.0f) {
      f->alternatives.insert(f->alternatives.begin(), f->printed);
      f->value = *v;
      f->printed = r.readings.front();
      f->confidence = r.confidence;
    }
    for (const auto& text : r.readings) {
      auto v = ParseReading(text);
      if (!v || *v == f->value) continue;
      bool known = std::any_of(f->alternatives.begin(), f->alternatives.end(), [&](const std::string& alt) {
        auto a = ParseReading(alt);
        return a && *a == *v;
      });
      if (!known) f->alternatives.push_back(text);
    }
    if (options_.check_shape) {
      CellShapeCheck shapes = options_.check_shape(*f, exemplars[f->page]);
      f->shape_doubt = shapes.doubt;
      for (const auto& text : shapes.alternatives) {
        auto v = ParseReading(text);
        if (!v || *v == f->value) continue;
        if (std::find(f->alternatives.begin(), f->alternatives.end(), text) == f->alternatives.end())
          f->alternatives.push_back(text);
      }
    }
  }
}

// Whether an independent re-read saw a figure that is neither the first
// reading nor `value`: then the arithmetic's `value` is a guess that both
// readings contradict, not a repair.
bool RereadDisagrees(const Fact& f, const Decimal& value) {
  if (!f.reread || f.reread->empty()) return false;
  auto v = ParseReading(*f.reread);
  return v && *v != value && *v != f.value;
}

// Whether an OCR figure was read the same way a second time.
bool ConfirmedByRereading(const Fact& f) {
  if (!f.reread) return false;
  auto v = ParseReading(*f.reread);
  return v && *v == f.value;
}

// OCR repair. Readings of an OCR cell: the engine's alternatives and, below
// the confidence threshold, a one-glyph misreading giving the value a broken
// identity requires. Corrections are chosen greedily, each the one that
// mends the most broken identities, so that two misread cells sharing
// identities (a 类 and its only 款) are mended together; a correction is kept
// only if, with all kept corrections, every identity of its cell holds.
void Reconciler::RepairOcr() {
  // Each reading with whether the engine proposed it (an alternative) or
  // only the arithmetic did (a one-glyph misreading).
  auto readings_of = [&](const CellKey& key, const std::map<CellKey, Decimal>& ov) {
    std::vector<std::pair<Decimal, bool>> out;
    const Fact* f = FactAt(key);
    if (!f || IsUnreadable(*f) || f->source != TextSource::kOcr) return out;
    for (const auto& alt : f->alternatives) {
      if (auto v = ParseReading(alt); v && *v != f->value) out.push_back({*v, true});
    }
    if (f->confidence < options_.ocr_low_confidence) {
      for (int idx : instances_of_cell_.at(key)) {
        const auto& inst = instances_[idx];
        Evaluation e = Evaluate(inst, &ov);
        if (e.status != Status::kBroken) continue;
        bool is_lhs = inst.lhs.cell == key;
        int sign = 1;
        for (const auto& t : inst.rhs) {
          if (t.cell == key) sign = t.sign;
        }
        Decimal current = Value(key, &ov);
        Decimal required = is_lhs ? current - e.diff : (sign < 0 ? current - e.diff : current + e.diff);
        if (OneGlyphApart(f->value, required) && !RereadDisagrees(*f, required)) out.push_back({required, false});
      }
    }
    return out;
  };
  std::map<CellKey, Decimal> ov;
  for (int round = 0; round < 64; ++round) {
    CellKey best_key;
    Decimal best_value;
    int best_gain = 0;
    std::set<CellKey> tried;
    for (size_t i = 0; i < instances_.size(); ++i) {
      if (Evaluate(instances_[i], &ov).status != Status::kBroken) continue;
      for (const auto& key : Cells(instances_[i])) {
        if (ov.count(key) || !tried.insert(key).second) continue;
        const auto& idxs = instances_of_cell_.at(key);
        int before = BrokenAmong(idxs, ov);
        for (const auto& [v, proposed] : readings_of(key, ov)) {
          auto trial = ov;
          trial[key] = v;
          int gain = before - BrokenAmong(idxs, trial);
          // A reading the engine never proposed must mend two identities:
          // one broken sum can be mended by a digit changed in any of its
          // terms, which singles out no cell.
          if (!proposed && gain < 2) continue;
          if (gain > best_gain) {
            best_gain = gain;
            best_key = key;
            best_value = v;
          }
        }
      }
    }
    if (best_gain == 0) break;
    ov[best_key] = best_value;
  }
  for (bool dropped = true; dropped && !ov.empty();) {
    dropped = false;
    for (auto it = ov.begin(); it != ov.end(); ++it) {
      if (BrokenAmong(instances_of_cell_.at(it->first), ov) > 0) {
        ov.erase(it);
        dropped = true;
        break;
      }
    }
  }
  // A broken identity whose figures are all trusted but one OCR figure:
  // that figure is the suspect, and a one-glyph misreading of it that mends
  // every identity it is in is taken (one identity suffices here: the
  // others' trust singles the cell out).
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < instances_.size() && !changed; ++i) {
      const IdentityInstance& inst = instances_[i];
      Evaluation e = Evaluate(inst, &ov);
      if (e.status != Status::kBroken) continue;
      std::vector<CellKey> untrusted;
      for (const auto& key : Cells(inst)) {
        const Fact* f = FactAt(key);
        if (f && !IsUnreadable(*f) && !ov.count(key) && !TrustedFigure(*f, options_)) untrusted.push_back(key);
      }
      if (untrusted.size() != 1) continue;
      const CellKey& key = untrusted.front();
      const Fact* f = FactAt(key);
      if (f->source != TextSource::kOcr) continue;
      int sign = 1;
      for (const auto& t : inst.rhs)
        if (t.cell == key) sign = t.sign;
      const bool is_lhs = inst.lhs.cell == key;
      Decimal current = Value(key, &ov);
      Decimal required = is_lhs ? current - e.diff : (sign < 0 ? current - e.diff : current + e.diff);
      if (!OneGlyphApart(f->value, required) || RereadDisagrees(*f, required)) continue;
      auto trial = ov;
      trial[key] = required;
      if (BrokenAmong(instances_of_cell_.at(key), trial) > 0) continue;
      ov = std::move(trial);
      changed = true;
    }
  }
  std::vector<std::pair<CellKey, Decimal>> corrected;
  for (const auto& [key, v] : ov) {
    Fact* f = MutableFactAt(key);
    const IdentityInstance* first_broken = nullptr;
    for (int idx : instances_of_cell_.at(key)) {
      if (Evaluate(instances_[idx]).status == Status::kBroken) {
        first_broken = &instances_[idx];
        break;
      }
    }
    if (!first_broken) continue;  // never broken: not a misreading
    corrected.push_back({key, v});
    Finding finding;
    finding.kind = "ocr_error";
    finding.identity = first_broken->id;
    finding.formula = first_broken->formula;
    finding.printed = f->value;
    finding.expected = v;
    finding.difference = f->value - v;
    for (const auto& k : Cells(*first_broken)) finding.cells.push_back(CellOf(k));
    finding.suspects.push_back(CellOf(key));
    std::ostringstream os;
    os << key.table << " " << key.row << " " << key.col << "栏 read as " << f->printed << " (confidence "
       << f->confidence << "), corrected to " << v.ToString() << ", which every identity of the cell then satisfies ("
       << first_broken->id << ") at " << doc_.doc_id << ":p" << f->page;
    finding.message = os.str();
    doc_.findings.push_back(std::move(finding));
  }
  for (const auto& [key, v] : corrected) MutableFactAt(key)->value = v;
}

void Reconciler::Judge() {
  std::vector<Evaluation> evals(instances_.size());
  std::vector<int> broken;
  for (size_t i = 0; i < instances_.size(); ++i) {
    evals[i] = Evaluate(instances_[i]);
    if (evals[i].status == Status::kSkipped) continue;
    ++summary_.identities_checked;
    if (evals[i].status == Status::kHeld) ++summary_.held;
    if (evals[i].status == Status::kBroken) broken.push_back(static_cast<int>(i));
  }
  // Rounding: every figure of the identity is a candidate; none is singled out.
  for (size_t i = 0; i < instances_.size(); ++i) {
    if (evals[i].status != Status::kRounding) continue;
    const auto& inst = instances_[i];
    Finding finding;
    finding.kind = "rounding";
    finding.identity = inst.id;
    finding.formula = inst.formula;
    finding.printed = evals[i].lhs;
    finding.expected = evals[i].rhs;
    finding.difference = evals[i].diff;
    for (const auto& key : Cells(inst)) {
      finding.cells.push_back(CellOf(key));
      if (Readable(key)) finding.suspects.push_back(CellOf(key));
    }
    finding.message = Describe(inst, evals[i]) + " (within rounding, 尾数误差)";
    doc_.findings.push_back(std::move(finding));
  }
  // Broken: find, per identity, the cells whose correction repairs every
  // identity they are in; prefer the cells shared by the most broken ones.
  std::map<CellKey, int> cover;
  for (int idx : broken) {
    for (const auto& key : Cells(instances_[idx])) {
      if (Readable(key)) ++cover[key];
    }
  }
  for (int idx : broken) {
    const auto& inst = instances_[idx];
    const Evaluation& e = evals[idx];
    std::vector<std::pair<CellKey, Decimal>> candidates;  // cell, required value
    auto try_term = [&](const IdentityTerm& term, bool is_lhs) {
      if (!Readable(term.cell)) return;
      Decimal current = Value(term.cell);
      Decimal required = is_lhs ? current - e.diff : (term.sign < 0 ? current - e.diff : current + e.diff);
      if (required.IsNegative() && !current.IsNegative()) return;
      if (!RepairsAll(term.cell, required)) return;
      candidates.push_back({term.cell, required});
    };
    try_term(inst.lhs, true);
    for (const auto& t : inst.rhs) try_term(t, false);
    int best = 0;
    for (const auto& [key, v] : candidates) best = std::max(best, cover[key]);
    std::vector<std::pair<CellKey, Decimal>> suspects;
    for (const auto& c : candidates) {
      if (cover[c.first] == best) suspects.push_back(c);
    }
    Finding finding;
    finding.kind = "source_error";
    finding.identity = inst.id;
    finding.formula = inst.formula;
    finding.printed = e.lhs;
    finding.expected = e.rhs;
    finding.difference = e.diff;
    for (const auto& key : Cells(inst)) finding.cells.push_back(CellOf(key));
    if (!suspects.empty()) {
      for (const auto& s : suspects) finding.suspects.push_back(CellOf(s.first));
    } else {
      for (const auto& key : Cells(inst)) {
        if (Readable(key)) finding.suspects.push_back(CellOf(key));
      }
    }
    std::string msg = Describe(inst, e);
    if (suspects.size() == 1) {
      msg += "; suspect " + suspects[0].first.table + " " + suspects[0].first.row + " " + suspects[0].first.col +
             "栏, consistent value " + suspects[0].second.ToString();
    } else {
      msg += "; " + std::to_string(finding.suspects.size()) + " candidate cells";
    }
    // How far the OCR figures of the identity can be trusted.
    int ocr = 0, confirmed = 0;
    for (const auto& key : Cells(inst)) {
      const Fact* f = FactAt(key);
      if (!f || f->source != TextSource::kOcr) continue;
      ++ocr;
      confirmed += ConfirmedByRereading(*f) ? 1 : 0;
    }
    if (ocr > 0) msg += "; " + std::to_string(confirmed) + " of " + std::to_string(ocr) + " OCR figures confirmed by re-reading";
    finding.message = msg;
    doc_.findings.push_back(std::move(finding));
  }
}

// Findings of an earlier reconciliation of the same document (`juesuan
// check` on an output) are replaced, except ocr_error: its correction is
// already in the facts and the finding is the only record of the reading.
void Reconciler::DropEarlierFindings() {
  std::set<std::string> rule_ids;
  for (const auto& rule : set_.rules) rule_ids.insert(rule.id);
  std::erase_if(doc_.findings, [&](const Finding& f) {
    if (f.kind == "ocr_error") return false;
    std::string base = f.identity.substr(0, f.identity.find('['));
    if (f.kind == "unreadable") {
      if (f.cells.empty()) return false;
      const FindingCell& c = f.cells[0];
      const Fact* fact = FactAt(CellKey{c.table, c.row, c.col});
      return fact != nullptr && IsUnreadable(*fact);
    }
    return rule_ids.count(base) > 0 || base == "narrative" || base == "disclosure";
  });
}

ReconcileSummary Reconciler::Run() {
  for (size_t t = 0; t < doc_.tables.size(); ++t) {
    for (size_t f = 0; f < doc_.tables[t].facts.size(); ++f) {
      const Fact& fact = doc_.tables[t].facts[f];
      facts_.try_emplace(CellKey{fact.table, fact.row, fact.col}, FactRef{static_cast<int>(t), static_cast<int>(f)});
      rows_with_figures_[fact.table].insert(fact.row);
      cols_with_figures_.insert({fact.table, fact.col});
      ++summary_.figures;
    }
  }
  DropEarlierFindings();
  for (size_t i = 0; i < doc_.findings.size(); ++i) {
    const Finding& f = doc_.findings[i];
    if (f.kind != "unreadable") continue;
    const auto& named = f.suspects.size() == 1 ? f.suspects : f.cells;
    if (named.size() != 1 || named[0].table.empty()) continue;
    CellKey key{named[0].table, named[0].row, named[0].col};
    if (FactAt(key)) continue;
    mapper_unreadable_.try_emplace(key, i);
    rows_with_figures_[key.table].insert(key.row);
  }
  // Inferred blanks can make rows present that had no figure: expand again.
  for (int round = 0; round < 4; ++round) {
    std::set<CellKey> extra;
    for (const auto& [key, v] : imputed_) extra.insert(key);
    instances_ = ExpandIdentities(doc_, set_, &extra);
    // An identity spanning a table the document lacks is not checked here;
    // the disclosure check reports the absent table.
    std::erase_if(instances_, [&](const IdentityInstance& inst) {
      if (!rows_with_figures_.count(inst.lhs.cell.table)) return true;
      return std::any_of(inst.rhs.begin(), inst.rhs.end(),
                         [&](const IdentityTerm& t) { return !rows_with_figures_.count(t.cell.table); });
    });
    size_t before = imputed_.size();
    Impute();
    if (imputed_.size() == before) break;
  }
  for (size_t i = 0; i < instances_.size(); ++i) {
    for (const auto& key : Cells(instances_[i])) {
      auto& v = instances_of_cell_[key];
      if (v.empty() || v.back() != static_cast<int>(i)) v.push_back(static_cast<int>(i));
    }
  }
  ReportUnsolvedUnreadable();
  RereadBrokenOcrCells();
  RepairOcr();
  Judge();
  return summary_;
}

}  // namespace

ReconcileSummary Reconcile(Document& doc, const IdentitySet& set, const ReconcileOptions& options) {
  Reconciler reconciler(doc, set, options);
  ReconcileSummary summary = reconciler.Run();
  WithdrawUnseenFigures(doc, options);
  if (options.check_narrative) ReconcileNarrative(doc, set, options);
  if (options.check_disclosure) ReconcileDisclosure(doc, set);
  SettleOcrFindings(doc, options);
  for (const auto& f : doc.findings) ++summary.findings_by_kind[f.kind];
  return summary;
}

std::string SummaryLine(const ReconcileSummary& s) {
  std::ostringstream os;
  os << s.figures << " figures, " << s.identities_checked << " identities checked, " << s.held << " held";
  std::string sep = "; ";
  for (const auto& [kind, n] : s.findings_by_kind) {
    os << sep << kind << " " << n;
    sep = ", ";
  }
  return os.str();
}

}  // namespace juesuan
