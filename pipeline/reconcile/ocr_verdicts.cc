// The OCR verdict rule: who is blamed for a broken identity whose figures
// were read from an image. See reconcile.h and docs/VERDICTS.md.
#include <algorithm>
#include <cctype>
#include <set>
#include <map>
#include <sstream>
#include <tuple>

#include "pipeline/reconcile/reconcile.h"

namespace juesuan {
namespace {

std::optional<Decimal> ParseFigure(const std::string& text) {
  std::string clean;
  for (char c : text)
    if (c != ',' && c != ' ') clean += c;
  return Decimal::Parse(clean);
}

bool PageReadByOcr(const Document& doc, int page) {
  return page >= 1 && page <= static_cast<int>(doc.pages.size()) &&
         doc.pages[page - 1].source == TextSource::kOcr;
}

// A figure as printed in a cell: digits with a decimal part ("1,234.56",
// "83.75%"); codes, 栏次 and 行次 are whole numbers and are not.
bool LooksLikeAmount(const std::string& text) {
  size_t i = 0, n = text.size(), digits = 0;
  if (i < n && text[i] == '-') ++i;
  while (i < n && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == ',')) digits += text[i++] != ',';
  if (digits == 0 || i >= n || text[i] != '.') return false;
  ++i;
  size_t frac = 0;
  while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, ++frac;
  if (i < n && text[i] == '%') ++i;
  return frac > 0 && i == n;
}

// Whether the blank a finding names is surely blank: the cell where its row
// and its column cross is found in the table's grid (the row by a figure of
// the row or by its label, the column by a figure of the column) and holds
// no ink at all (an OCR cell read as empty with full confidence). A blank
// the reading could have lost (a cell not found, or one with marks the
// reading made nothing of) is not sure.
bool SurelyBlank(const Document& doc, const Table& table, const FindingCell& blank) {
  auto compact = [](const std::string& text) {
    std::string out;
    for (char c : text)
      if (c != ' ') out += c;
    return out;
  };
  std::map<int, std::set<int>> rows;  // grid -> its rows holding the row
  std::map<int, std::map<int, int>> cols;  // grid -> column -> figures of the column there
  for (const Fact& fact : table.facts) {
    if (fact.row == blank.row) rows[fact.grid].insert(fact.cell_row);
    if (fact.col == blank.col) ++cols[fact.grid][fact.cell_col];
  }
  if (rows.empty()) {
    // No figure in the row: its label, found once in the table.
    int found = 0;
    for (size_t g = 0; g < table.grids.size(); ++g)
      for (const Cell& cell : table.grids[g].cells) {
        const std::string text = compact(cell.text);
        if (text.size() >= blank.row.size() && !blank.row.empty() &&
            text.compare(text.size() - blank.row.size(), blank.row.size(), blank.row) == 0 &&
            text.size() <= blank.row.size() + 6) {
          rows[static_cast<int>(g)].insert(cell.row);
          ++found;
        }
      }
    if (found != 1) return false;
  }
  if (rows.size() != 1 || rows.begin()->second.size() != 1) return false;
  const int g = rows.begin()->first, row = *rows.begin()->second.begin();
  if (g < 0 || g >= static_cast<int>(table.grids.size())) return false;
  const TableGrid& grid = table.grids[g];
  // The column from figures of the same grid, else of a grid cut the same
  // way (the table's part on the next page).
  std::map<int, int> counts;
  if (cols.count(g)) {
    counts = cols.at(g);
  } else {
    for (const auto& [other, by_col] : cols)
      if (other >= 0 && other < static_cast<int>(table.grids.size()) && table.grids[other].n_cols() == grid.n_cols())
        for (const auto& [c, n] : by_col) counts[c] += n;
  }
  int col = -1, most = 0;
  for (const auto& [c, n] : counts)
    if (n > most) col = c, most = n;
  if (col < 0) return false;
  const int at = grid.CellAt(row, col);
  if (at < 0) return false;
  const Cell& cell = grid.cells[at];
  // An OCR cell read as empty holds no ink only when the reader says so
  // with full confidence; ink it made nothing of has less.
  // A grid made from a page's OCR lines (a row alone at the top of a page)
  // has cells no reader looked at.
  const bool inkless = cell.source == TextSource::kOcr ? cell.confidence >= 100.0f : !PageReadByOcr(doc, grid.page);
  return cell.raw_text.empty() && cell.text.empty() && inkless;
}

constexpr const char* kReasonPrefix = "uncertain: ";

// Sets the document partial with the count of uncertain findings, replacing
// the reason an earlier call gave.
void MarkPartial(Document& doc, int uncertain) {
  if (doc.status == DocumentStatus::kFailed) return;
  std::string reason = std::string(kReasonPrefix) + std::to_string(uncertain) +
                       (uncertain == 1 ? " finding involves" : " findings involve") +
                       " readings not confirmed (OCR figures a re-read did not confirm, or figures nearby not all"
                       " keyed): our reading or the document may be wrong";
  std::string& error = doc.error;
  const size_t at = error.find(kReasonPrefix);
  if (at != std::string::npos) {
    const size_t end = error.find("; ", at);
    error.replace(at, end == std::string::npos ? std::string::npos : end - at, reason);
  } else {
    error += (error.empty() ? "" : "; ") + reason;
  }
  doc.status = DocumentStatus::kPartial;
}

}  // namespace

std::map<int, std::vector<const Fact*>> ShapeExemplars(const Document& doc, const ReconcileOptions& options,
                                                        const std::set<const Fact*>& suspects) {
  std::map<int, std::vector<const Fact*>> out;
  for (const Table& table : doc.tables)
    for (const Fact& fact : table.facts)
      if (fact.source == TextSource::kOcr && fact.confidence >= options.ocr_trusted_confidence &&
          !suspects.count(&fact))
        out[fact.page].push_back(&fact);
  return out;
}

// The identity of the finding that withdraws an unseen figure: the verdicts
// know its cell by it.
constexpr const char* kUnseenFigure = "ocr_unseen_figure";

void WithdrawUnseenFigures(Document& doc, const ReconcileOptions& options) {
  // A bare one- or two-digit reading is what a dash or a speck gives the
  // digit model; an amount prints its decimals.
  auto short_integer = [](const std::string& text) {
    return !text.empty() && text.size() <= 2 &&
           std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  };
  for (Table& table : doc.tables) {
    std::vector<Fact> kept;
    for (Fact& fact : table.facts) {
      // The re-read saw nothing, or only dashes and dots: no digit.
      const bool reread_no_digit =
          fact.reread && std::none_of(fact.reread->begin(), fact.reread->end(),
                                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
      const bool unseen = fact.source == TextSource::kOcr && reread_no_digit &&
                          fact.confidence < options.ocr_unseen_below && short_integer(fact.printed) &&
                          ParseFigure(fact.printed) == fact.value;  // not mended by the identities
      if (!unseen) {
        kept.push_back(std::move(fact));
        continue;
      }
      Finding finding;
      finding.kind = "uncertain";
      finding.identity = kUnseenFigure;
      finding.cells.push_back({fact.table, fact.row, fact.col, fact.page, fact.box, fact.printed});
      finding.suspects = finding.cells;
      finding.place = FindingPlace{fact.page, fact.box, fact.printed};
      std::ostringstream os;
      os << fact.table << " " << fact.row << " " << fact.col << "栏 p" << fact.page << ": '" << fact.printed
         << "' read with confidence " << static_cast<int>(fact.confidence)
         << " and not seen as a figure when read again; a dash or a speck as likely as a figure, so no fact is "
            "made of it";
      finding.message = os.str();
      doc.findings.push_back(std::move(finding));
      ++doc.coverage.unmapped;
      doc.coverage.mapped = std::max(0, doc.coverage.mapped - 1);
    }
    table.facts = std::move(kept);
  }
}

bool TrustedFigure(const Fact& fact, const ReconcileOptions& options) {
  if (fact.source != TextSource::kOcr) return true;
  if (!fact.shape_doubt.empty()) return false;
  if (fact.confidence < options.ocr_trusted_confidence || !fact.reread) return false;
  if (fact.reread_confidence < options.ocr_trusted_confidence) return false;
  // The value must be the one printed (not a correction) and read so twice.
  auto printed = ParseFigure(fact.printed);
  auto again = ParseFigure(*fact.reread);
  return printed && again && *printed == fact.value && *again == fact.value;
}

void SettleOcrFindings(Document& doc, const ReconcileOptions& options) {
  std::map<std::tuple<std::string, std::string, std::string>, Fact*> facts;
  for (Table& table : doc.tables)
    for (Fact& fact : table.facts) facts.try_emplace({fact.table, fact.row, fact.col}, &fact);
  auto fact_of = [&](const FindingCell& cell) -> Fact* {
    auto it = facts.find({cell.table, cell.row, cell.col});
    return it == facts.end() ? nullptr : it->second;
  };
  auto judged = [](const Finding& f) {
    return f.kind == "source_error" || f.kind == "rounding" || f.kind == "narrative_mismatch";
  };

  // Re-read, in page order, the OCR figures these findings rest on that
  // were not read twice yet.
  if (options.reread_cell) {
    std::vector<Fact*> pending;
    for (const Finding& f : doc.findings) {
      if (!judged(f)) continue;
      for (const FindingCell& cell : f.cells) {
        Fact* fact = fact_of(cell);
        if (fact && fact->source == TextSource::kOcr && !fact->reread &&
            std::find(pending.begin(), pending.end(), fact) == pending.end())
          pending.push_back(fact);
      }
    }
    std::stable_sort(pending.begin(), pending.end(), [](const Fact* a, const Fact* b) { return a->page < b->page; });
    auto add_alternative = [](Fact* fact, const std::string& text) {
      auto v = ParseFigure(text);
      if (v && *v != fact->value &&
          std::find(fact->alternatives.begin(), fact->alternatives.end(), text) == fact->alternatives.end())
        fact->alternatives.push_back(text);
    };
    // The figures the shapes are compared with: OCR figures read with
    // confidence that stand in no finding (their sums hold).
    std::set<const Fact*> in_findings;
    for (const Finding& f : doc.findings)
      for (const FindingCell& cell : f.cells)
        if (const Fact* fact = fact_of(cell)) in_findings.insert(fact);
    auto exemplars = options.check_shape ? ShapeExemplars(doc, options, in_findings)
                                         : std::map<int, std::vector<const Fact*>>{};
    for (Fact* fact : pending) {
      CellRereading r = options.reread_cell(*fact);
      fact->reread = r.readings.empty() ? std::string() : r.readings.front();
      fact->reread_confidence = r.confidence;
      for (const std::string& text : r.readings) add_alternative(fact, text);
      if (options.check_shape) {
        CellShapeCheck shapes = options.check_shape(*fact, exemplars[fact->page]);
        fact->shape_doubt = shapes.doubt;
        for (const std::string& text : shapes.alternatives) add_alternative(fact, text);
      }
    }
  }

  // Tables read by OCR; and tables, however read, with figures in their
  // grids that no fact was made of: a sum over such a table may lack terms
  // the mapping lost, so its break proves nothing about the document.
  std::set<std::string> ocr_tables, incomplete;
  for (const Table& table : doc.tables) {
    if (table.code.empty()) continue;
    if (std::any_of(table.pages.begin(), table.pages.end(), [&](int p) { return PageReadByOcr(doc, p); }))
      ocr_tables.insert(table.code);
    std::set<std::tuple<int, int, int>> keyed;
    for (const Fact& fact : table.facts) keyed.insert({fact.grid, fact.cell_row, fact.cell_col});
    for (size_t g = 0; g < table.grids.size(); ++g)
      for (const Cell& cell : table.grids[g].cells)
        if (LooksLikeAmount(cell.text) && !keyed.count({static_cast<int>(g), cell.row, cell.col}))
          incomplete.insert(table.code);
  }

  // Pages of figures that got no key (an unidentified table, a row whose
  // label was misread or is not the template's): a sum over a table on or
  // next to such a page may be missing them, wherever the mapper put them.
  std::set<int> unkeyed_pages;
  for (const Finding& f : doc.findings)
    if (f.kind == "unmapped" && f.place) unkeyed_pages.insert(f.place->page);
  auto near_unkeyed = [&](const Table& table) {
    for (int p : table.pages)
      if (unkeyed_pages.count(p - 1) || unkeyed_pages.count(p) || unkeyed_pages.count(p + 1)) return true;
    return false;
  };
  for (const Table& table : doc.tables)
    if (!table.code.empty() && near_unkeyed(table)) incomplete.insert(table.code);

  // Pages where the reader was proven wrong more than once: a confident,
  // re-read figure there is no proof of what was printed.
  std::map<int, int> misreads;
  for (const Finding& f : doc.findings)
    if (f.kind == "ocr_error")
      for (const FindingCell& cell : f.suspects) ++misreads[cell.page];
  auto misread_page = [&](const Fact& fact) {
    auto it = misreads.find(fact.page);
    return fact.source == TextSource::kOcr && it != misreads.end() && it->second > options.ocr_misreads_per_trusted_page;
  };

  std::map<std::string, const Table*> tables;
  for (const Table& table : doc.tables) tables.try_emplace(table.code, &table);
  auto table_of = [&](const std::string& code) { return tables.at(code); };

  // Cells whose reading was withdrawn (WithdrawUnseenFigures): what they
  // hold is not known, so they prove nothing either way.
  std::set<std::tuple<std::string, std::string, std::string>> withdrawn;
  for (const Finding& f : doc.findings)
    if (f.identity == kUnseenFigure && !f.cells.empty())
      withdrawn.insert({f.cells[0].table, f.cells[0].row, f.cells[0].col});

  // Tables whose figures print as amounts (a decimal part): there an OCR
  // figure without one ("140" beside "92") is a figure the reading cut or
  // ran together, whatever its confidence.
  std::set<std::string> amount_tables;
  for (const Table& table : doc.tables) {
    int amounts = 0;
    for (const Fact& fact : table.facts) amounts += LooksLikeAmount(fact.printed);
    if (!table.facts.empty() && 10 * amounts >= 9 * static_cast<int>(table.facts.size()))
      amount_tables.insert(table.code);
  }
  auto misshapen = [&](const Fact& fact) {
    return fact.source == TextSource::kOcr && amount_tables.count(fact.table) && !LooksLikeAmount(fact.printed);
  };

  int uncertain = 0;
  for (Finding& f : doc.findings) {
    if (judged(f)) {
      std::vector<FindingCell> untrusted;
      bool quote_by_ocr = false, blanks = false, unkeyed = false;
      for (const FindingCell& cell : f.cells) {
        if (cell.table.empty()) {  // a quote from the narrative
          quote_by_ocr |= PageReadByOcr(doc, cell.page);
          continue;
        }
        unkeyed |= incomplete.count(cell.table) > 0;
        const Fact* fact = fact_of(cell);
        if (fact && (!TrustedFigure(*fact, options) || misread_page(*fact) || misshapen(*fact)))
          untrusted.push_back(cell);
        if (!fact && withdrawn.count({cell.table, cell.row, cell.col})) untrusted.push_back(cell);
        // A blank of a table read by OCR was never read as a figure: it
        // may be one the reading lost.
        if (!fact && ocr_tables.count(cell.table) &&
            (incomplete.count(cell.table) || !SurelyBlank(doc, *table_of(cell.table), cell)))
          blanks = true;
      }
      if (!untrusted.empty() || quote_by_ocr || blanks || unkeyed) {
        std::ostringstream os;
        os << f.message << "; uncertain, not a " << f.kind << ": ";
        if (!untrusted.empty()) {
          os << untrusted.size() << " OCR figure" << (untrusted.size() == 1 ? "" : "s")
             << " not confirmed (";
          for (size_t i = 0; i < untrusted.size(); ++i)
          {
            os << (i ? ", " : "") << untrusted[i].table << " " << untrusted[i].row << " " << untrusted[i].col << "栏";
            const Fact* fact = fact_of(untrusted[i]);
            if (fact && !fact->shape_doubt.empty()) os << ": " << fact->shape_doubt;
            else if (fact && misread_page(*fact))
              os << ": " << misreads[fact->page] << " figures of page " << fact->page << " were misread";
            else if (fact && misshapen(*fact))
              os << ": '" << fact->printed << "' has no decimal part where the table's amounts have one";
          }
          os << ")";
        } else if (quote_by_ocr) {
          os << "the quote was read by OCR";
        } else if (blanks) {
          os << "a term left blank in a table read by OCR may be a figure the reading lost";
        } else {
          os << "figures in or next to the table were not all keyed, so terms may be missing";
        }
        f.message = os.str();
        f.kind = "uncertain";
        if (!untrusted.empty()) f.suspects = untrusted;
      }
    } else if (f.kind == "missing") {
      // A figure a total needs is blank, in a table read by OCR: as likely a
      // figure the reading lost as a block the document left blank.
      const auto& named = f.suspects.empty() ? f.cells : f.suspects;
      if (std::any_of(named.begin(), named.end(), [&](const FindingCell& c) { return incomplete.count(c.table) > 0; })) {
        // Figures of the table (or beside it) went unkeyed: the blank may be
        // one of them, set where the mapping did not look.
        f.message += "; uncertain: figures in or next to the table were not all keyed, the blank may be one of them";
        f.kind = "uncertain";
      } else if (std::any_of(named.begin(), named.end(), [&](const FindingCell& c) {
                   return ocr_tables.count(c.table) > 0 && !SurelyBlank(doc, *table_of(c.table), c);
                 })) {
        f.message += "; uncertain: the table was read by OCR, the blank may be a figure the reading lost";
        f.kind = "uncertain";
      }
    } else if (f.kind == "unreadable") {
      const auto& named = f.suspects.empty() ? f.cells : f.suspects;
      bool ocr = false, hashes = false;
      for (const FindingCell& cell : named) {
        const Fact* fact = fact_of(cell);
        const int page = fact ? fact->page : cell.page;
        ocr |= (fact && fact->source == TextSource::kOcr) || PageReadByOcr(doc, page);
        hashes |= cell.printed.find('#') != std::string::npos || (fact && fact->printed.find('#') != std::string::npos);
      }
      if (ocr && !hashes) {
        f.message += "; uncertain: a cell read by OCR that is not a number is our misreading as likely as the "
                     "document's";
        f.kind = "uncertain";
      }
    }
    uncertain += f.kind == "uncertain";
  }
  if (uncertain > 0) MarkPartial(doc, uncertain);
}

}  // namespace juesuan
