// Body rows to facts. A printed row is not always one grid row: where rows
// were split at text lines (no rule between them), a wrapped label continues
// on the next line and a figure may be set a line above or below its label.
// Grid rows are therefore first read per panel (code, label, figures) and
// then assembled into keyed rows; rules between rows are never crossed.
#include <algorithm>
#include <map>

#include "extractors/tables/mapper_internal.h"
#include "pipeline/core/utf8.h"
#include "pipeline/normalise/normalise.h"

namespace juesuan::mapper {
namespace {

// A label's compact text with the parentheses it was printed with
// (normalisation makes them ASCII; keys keep what the page shows).
std::string AsPrinted(const std::string& compact, const std::string& raw) {
  const bool wide_open = raw.find("（") != std::string::npos, wide_close = raw.find("）") != std::string::npos;
  std::string out;
  for (char c : compact) {
    if (c == '(' && wide_open) {
      out += "（";
    } else if (c == ')' && wide_close) {
      out += "）";
    } else {
      out += c;
    }
  }
  return out;
}

bool AllDigits(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A code column's reading without the marks OCR makes of a rule's stub or
// a speck before or after the digits ("--.03" for 03); empty when anything
// else was read, or a mark between digits (an amount, "1,911.76").
std::string CodeDigits(const std::string& text) {
  const size_t first = text.find_first_of("0123456789");
  const size_t last = text.find_last_of("0123456789");
  if (first == std::string::npos) return "";
  const std::string digits = text.substr(first, last - first + 1);
  if (!AllDigits(digits)) return "";
  auto marks = [](const std::string& s) { return s.find_first_not_of("-._,'`") == std::string::npos; };
  return marks(text.substr(0, first)) && marks(text.substr(last + 1)) ? digits : "";
}

// One grid row as seen by one panel.
struct PrintedRow {
  int row = 0;
  bool rule_above = true;          // a printed rule separates it from the row above
  std::string code;                // 科目编码 (parts joined, parents carried)
  std::vector<std::string> labels; // per name column, outer to inner; "" where none starts
  std::vector<std::string> printed;  // per name column, the raw text (as printed, before normalising)
  std::string label;               // the labels joined
  std::string attributes;          // words of attribute columns
  bool label_spans_from_above = false;  // a label cell covering it began in an earlier row
  std::string line;                // printed 行次
  std::vector<const Cell*> figures;
  bool Empty() const { return code.empty() && label.empty() && figures.empty(); }
};

// A printed row of the table: one or more grid rows under one key.
struct KeyedRow {
  std::string key;                 // "" when the label names nothing
  std::string code;
  std::string label;               // joined label text (compact)
  std::vector<std::string> labels; // per name column (kItems)
  std::vector<std::string> printed;  // per name column, the raw text
  std::string attributes;
  std::string line;
  std::vector<const Cell*> figures;
  std::vector<int> rows;           // grid rows
  bool has_code_or_total = false;
};

// The value column of a figure cell in `panel`; nullptr when the cell is
// not under one of the panel's value columns.
const ColumnRole* ValueRole(const Cell& cell, const ColumnModel& model, int panel) {
  for (int col = cell.col; col < cell.col + cell.col_span && col < static_cast<int>(model.roles.size()); ++col) {
    const ColumnRole& r = model.roles[col];
    if ((r.role == Role::kCode || r.role == Role::kName) && r.panel == panel) return nullptr;
  }
  for (int col = cell.col; col < cell.col + cell.col_span && col < static_cast<int>(model.roles.size()); ++col) {
    const ColumnRole& r = model.roles[col];
    if (r.role == Role::kValue && r.panel == panel) return &r;
  }
  return nullptr;
}

int PanelOfColumn(const ColumnModel& model, int col) {
  if (col < 0 || col >= static_cast<int>(model.roles.size())) return 0;
  return model.roles[col].panel;
}

// The total a label names: one of the definition's labelled totals, else
// 合计 for any 合计/总计 of a coded table.
std::string TotalKey(const std::string& label, const TableDef& def) {
  std::string stripped = StripOrdinal(label);
  if (stripped.empty()) return "";
  std::string best;
  for (const std::string& t : def.totals) {
    if (Contains(stripped, t) && t.size() > best.size()) best = t;
  }
  if (!best.empty()) return best;
  if (def.layout == TableLayout::kCoded && (Contains(stripped, "合计") || Contains(stripped, "总计"))) return "合计";
  // A coded table's only two-character row ending in 计 is its 合计, whose
  // 合 OCR may misread (拾计, 合 read as 今): a 小计 is no total of the table.
  if (def.layout == TableLayout::kCoded && Utf8Length(stripped) == 2 && stripped.ends_with("计") &&
      stripped != "小计") {
    return "合计";
  }
  return "";
}

bool KnownLabel(const std::string& label, const TableDef& def, int side);

bool KnownLabelAnywhere(const std::string& label, const TableDef& def) {
  if (def.layout != TableLayout::kTwoSided) return KnownLabel(label, def, 0);
  for (size_t side = 0; side < def.sides.size(); ++side) {
    if (KnownLabel(label, def, static_cast<int>(side))) return true;
  }
  return false;
}

class PanelReader {
 public:
  PanelReader(const GridContext& context, const TableDef& def, int panel, RowCarry& carry, RowsResult& result,
              const std::map<const Cell*, int>& label_panel)
      : ctx_(context), grid_(*context.grid), model_(context.columns), def_(def), panel_index_(panel),
        panel_(context.columns.panels[panel]), carry_(carry), result_(result), label_panel_(label_panel) {}

  std::vector<PrintedRow> ReadRows() {
    std::vector<PrintedRow> rows;
    if (carry_.code_parts.size() < static_cast<size_t>(panel_index_ + 1) * 2) {
      carry_.code_parts.resize(static_cast<size_t>(panel_index_ + 1) * 2);
    }
    for (int row = ctx_.header.body_start; row < grid_.n_rows(); ++row) {
      if (row == ctx_.header.lanci_row) {
        for (int col = panel_.first_col; col <= panel_.last_col; ++col) {
          int at = grid_.CellAt(row, col);
          if (at >= 0) result_.non_data.insert(&grid_.cells[at]);
        }
        continue;
      }
      rows.push_back(ReadRow(row));
    }
    return rows;
  }

 private:
  PrintedRow ReadRow(int row) {
    PrintedRow out;
    out.row = row;
    out.rule_above = row == ctx_.header.body_start || grid_.RowEdgeIsRule(row);
    std::vector<std::string> parts;
    std::string code_text;
    std::vector<std::string> labels(panel_.name_cols.size());
    std::vector<std::string> printed_labels(panel_.name_cols.size());
    for (const Cell& cell : grid_.cells) {
      if (cell.row != row) continue;
      const int last_col = cell.col + cell.col_span - 1;
      std::string text = CompactText(cell.text);
      if (text.empty()) continue;
      const ColumnRole& first_role = model_.roles[cell.col];
      const bool own = first_role.panel == panel_index_;
      if (own && first_role.role == Role::kCode && !CodeDigits(text).empty()) {
        result_.non_data.insert(&cell);
        parts.resize(panel_.code_cols.size());
        auto it = std::find(panel_.code_cols.begin(), panel_.code_cols.end(), cell.col);
        if (it != panel_.code_cols.end()) parts[it - panel_.code_cols.begin()] = CodeDigits(text);
        continue;
      }
      if (own && first_role.role == Role::kAttribute) {
        out.attributes += text;
        continue;
      }
      if (own && first_role.role == Role::kLine) {
        if (IsSmallInteger(text)) result_.non_data.insert(&cell);
        out.line = text;
        continue;
      }
      if (IsFigureText(text)) {
        if (ValueRole(cell, model_, panel_index_)) {
          out.figures.push_back(&cell);
        } else if (own && IsCode(text)) {
          // A joined code printed in a label column (no 编码 header).
          result_.non_data.insert(&cell);
          if (code_text.empty()) code_text = text;
        }
        continue;
      }
      // Words starting in a value column are no label (a dash for no
      // figure, a note), unless they name a total ("公用经费合计" set over
      // the amounts).
      const FigureKind kind = ParseFigure(text).kind;
      if (kind == FigureKind::kBlank) continue;
      if (kind == FigureKind::kDash) {
        // "—" for no figure still marks where this row's figures are set
        // (it tells a line of figures from a line of labels).
        if (ValueRole(cell, model_, panel_index_)) out.figures.push_back(&cell);
        continue;
      }
      if (first_role.role == Role::kValue && TotalKey(text, def_).empty() && !KnownLabelAnywhere(text, def_)) continue;
      // A label belongs to the panel of its last column (a total's label
      // centred across panels names the figures of the last one), or to
      // the panel whose figure it names (see SpilledTotals).
      auto moved = label_panel_.find(&cell);
      const int label_panel = moved != label_panel_.end() ? moved->second : PanelOfColumn(model_, last_col);
      if (label_panel != panel_index_) continue;
      size_t slot = 0;
      for (size_t k = 0; k < panel_.name_cols.size(); ++k) {
        if (panel_.name_cols[k] <= last_col) slot = k;
      }
      if (labels.empty()) labels.resize(1);
      if (printed_labels.size() < labels.size()) printed_labels.resize(labels.size());
      labels[slot] += text;
      printed_labels[slot] += cell.raw_text.empty() ? cell.text : cell.raw_text;
    }
    for (int name_col : panel_.name_cols) {
      int at = grid_.CellAt(row, name_col);
      if (at >= 0 && grid_.cells[at].row < row && !CompactText(grid_.cells[at].text).empty()) {
        out.label_spans_from_above = true;
      }
    }
    SplitLeadingCodePart(parts, labels, printed_labels);
    out.code = JoinCode(parts, code_text);
    out.labels = labels;
    out.printed = printed_labels;
    for (const std::string& l : labels) out.label += l;
    return out;
  }

  // A 款 or 项 code part set so close to the name that both read as one
  // cell ("01基本工资" beside 类 301): the two digits are the next code part
  // after those printed in the code columns; with no part printed on the
  // row (the 类 only on a group's first row), the 款 of an economic code
  // under the 类 in force.
  void SplitLeadingCodePart(std::vector<std::string>& parts, std::vector<std::string>& labels,
                            std::vector<std::string>& printed) const {
    if (def_.layout != TableLayout::kCoded || labels.empty()) return;
    const std::string& label = labels.front();
    if (label.size() < 5 || !AllDigits(label.substr(0, 2)) || !StartsWithCjkIdeograph(label.substr(2))) return;
    const bool none_printed = std::all_of(parts.begin(), parts.end(), [](const std::string& x) { return x.empty(); });
    size_t next = 0;
    if (none_printed) {
      if (def_.codes != CodeKind::kEconomic || carry_.code_parts[panel_index_ * 2].empty()) return;
      parts.assign(2, "");
      next = 1;
    } else {
      if (parts.front().size() != 3) return;
      while (next < parts.size() && !parts[next].empty()) ++next;
      if (next >= 3 || std::any_of(parts.begin() + next, parts.end(), [](const std::string& x) { return !x.empty(); })) return;
      if (next == parts.size()) parts.emplace_back();
    }
    parts[next] = label.substr(0, 2);
    labels.front() = label.substr(2);
    if (!printed.empty()) {
      const std::string compact = CompactText(printed.front());
      if (compact.rfind(parts[next], 0) == 0) printed.front() = compact.substr(2);
    }
  }

  // The 科目编码 of a row from its code columns: one joined code, or 类/款/项
  // parts with the parent parts carried from rows above when only the first
  // row of a group prints them.
  std::string JoinCode(const std::vector<std::string>& parts, const std::string& code_text) {
    std::string& lei = carry_.code_parts[panel_index_ * 2];
    std::string& kuan = carry_.code_parts[panel_index_ * 2 + 1];
    std::vector<std::string> p = parts;
    if (std::all_of(p.begin(), p.end(), [](const std::string& x) { return x.empty(); })) p.clear();
    if (p.empty() && !code_text.empty()) p.push_back(code_text);
    if (p.empty()) return "";
    std::string code;
    // A whole code printed in one column (a 款 code under 款, or one code column).
    for (const std::string& part : p) {
      if (IsCode(part) && part.size() > code.size() && (part.size() >= 5 || p.size() == 1)) code = part;
    }
    if (code.empty()) {
      // 类 (3 digits) | 款 (2) | 项 (2), parents carried from the rows above.
      std::string l = p[0], k = p.size() > 1 ? p[1] : "", x = p.size() > 2 ? p[2] : "";
      // Printing slips: a 类 cut short is the one in force above; a one-digit
      // 款 or 项 is zero-padded ("2" for "02").
      if (!l.empty() && l.size() < 3 && !lei.empty()) l.clear();
      if (k.size() == 1) k = "0" + k;
      if (x.size() == 1) x = "0" + x;
      if (l.size() == 3) {
        code = l;
      } else if (l.empty() && !lei.empty()) {
        code = lei;
      } else {
        return "";
      }
      if (k.size() == 2) {
        code += k;
      } else if (!k.empty()) {
        return "";
      } else if (x.size() == 2) {
        if (kuan.size() != 5 || kuan.compare(0, 3, code) != 0) return "";
        code = kuan;
      }
      if (x.size() == 2) {
        code += x;
      } else if (!x.empty()) {
        return "";
      }
      if (code.size() == 3 && l.empty()) return "";  // parts that add nothing
      if (!IsCode(code)) return "";
    }
    lei = code.substr(0, 3);
    if (code.size() >= 5) kuan = code.substr(0, 5);
    if (code.size() == 3) kuan.clear();
    return code;
  }

  const GridContext& ctx_;
  const TableGrid& grid_;
  const ColumnModel& model_;
  const TableDef& def_;
  int panel_index_;
  const Panel& panel_;
  RowCarry& carry_;
  RowsResult& result_;
  const std::map<const Cell*, int>& label_panel_;
};

// Whether a label is a row name of `def` (for panel `side`) as printed.
bool KnownLabel(const std::string& label, const TableDef& def, int side) {
  std::string stripped = StripOrdinal(label);
  if (stripped.empty()) return false;
  if (!TotalKey(stripped, def).empty()) return true;
  auto in = [&](const std::vector<RowDef>& rows) {
    return std::any_of(rows.begin(), rows.end(), [&](const RowDef& r) {
      return r.Names(stripped);
    });
  };
  auto in_groups = [&](const std::vector<RowGroupDef>& groups) {
    return std::any_of(groups.begin(), groups.end(), [&](const RowGroupDef& g) { return in(g.children); });
  };
  if (def.layout == TableLayout::kTwoSided && side < static_cast<int>(def.sides.size())) {
    return in(def.sides[side].rows) || in_groups(def.sides[side].groups);
  }
  return in(def.rows) || in_groups(def.groups);
}

bool HasOrdinal(const std::string& label) { return StripOrdinal(label).size() < CompactText(label).size(); }

// Groups printed rows into keyed rows. Codes and totals always start a row;
// in item tables a known name or an ordinal does. A label without either,
// below a row and not separated from it by a rule, continues that row's
// label (wrapped). Rows holding figures only are attached afterwards.
std::vector<KeyedRow> Assemble(const std::vector<PrintedRow>& printed, const TableDef& def, int side,
                               std::vector<std::vector<const Cell*>>& orphans, std::vector<int>& orphan_at) {
  std::vector<KeyedRow> rows;
  const bool coded = def.layout == TableLayout::kCoded;
  for (size_t i = 0; i < printed.size(); ++i) {
    const PrintedRow& p = printed[i];
    if (p.Empty()) continue;
    // No rule between them: the two grid rows may be lines of one printed row.
    const bool joined_to_above = !rows.empty() && !p.rule_above;
    bool starts = false, continues = false;
    if (!p.code.empty()) {
      starts = true;
    } else if (!p.label.empty()) {
      const bool total = !TotalKey(p.label, def).empty();
      if (coded) {
        starts = total || !joined_to_above;
        continues = !starts;
      } else {
        const bool known = KnownLabel(p.label, def, side);
        if (!joined_to_above || known || HasOrdinal(p.label)) {
          starts = true;
        } else {
          // Wrapped: the label above is not complete, or the two together name a row.
          // Figures in one column on both lines make them two rows whatever
          // their labels say (labels OCR misread are known to neither): a
          // printed row has one figure a column.
          const KeyedRow& above = rows.back();
          const bool above_known = KnownLabel(above.label, def, side);
          const bool together = KnownLabel(above.label + p.label, def, side);
          const bool both_figured = std::any_of(p.figures.begin(), p.figures.end(), [&](const Cell* f) {
            return std::any_of(above.figures.begin(), above.figures.end(),
                               [&](const Cell* g) { return g->col == f->col; });
          });
          continues = (!above_known || together) && !both_figured;
          starts = !continues;
        }
      }
    } else if (!p.attributes.empty() && !rows.empty() && !p.figures.empty()) {
      // An item table's row that only qualifies the item above (a second
      // 采购组织形式 of the same item): a row of its own under that label.
      KeyedRow k = rows.back();
      k.attributes = p.attributes;
      k.figures = p.figures;
      k.rows = {p.row};
      k.line = p.line;
      rows.push_back(std::move(k));
      continue;
    } else if (p.label_spans_from_above && !rows.empty()) {
      continues = true;
    }
    if (starts) {
      KeyedRow k;
      k.code = p.code;
      k.label = p.label;
      k.labels = p.labels;
      k.printed = p.printed;
      k.attributes = p.attributes;
      k.line = p.line;
      k.has_code_or_total = !p.code.empty() || !TotalKey(p.label, def).empty();
      k.rows.push_back(p.row);
      k.figures = p.figures;
      rows.push_back(std::move(k));
    } else if (continues) {
      KeyedRow& k = rows.back();
      k.label += p.label;
      for (size_t s = 0; s < p.labels.size() && s < k.labels.size(); ++s) k.labels[s] += p.labels[s];
      for (size_t s = 0; s < p.printed.size() && s < k.printed.size(); ++s) k.printed[s] += p.printed[s];
      k.attributes += p.attributes;
      if (k.line.empty()) k.line = p.line;
      k.rows.push_back(p.row);
      k.figures.insert(k.figures.end(), p.figures.begin(), p.figures.end());
    } else if (!p.figures.empty()) {
      orphans.push_back(p.figures);
      orphan_at.push_back(static_cast<int>(i));
    }
  }
  return rows;
}

// Rows of figures without a label (set above or below their label, no rule
// between) go to the keyed row next to them that has no figure in those
// columns. The direction is the table's: one style sets every figure of a
// grid on the same side of its label, so the evidence of all its panels is
// pooled (OrphanPlan) before any is attached.
struct OrphanPlan {
  const std::vector<PrintedRow>* printed = nullptr;
  std::vector<KeyedRow>* rows = nullptr;
  std::vector<std::vector<const Cell*>> orphans;
  std::vector<int> orphan_at;
  std::vector<int> up, down;
  int panel = 0;
};

bool FreeFor(const KeyedRow& k, const std::vector<const Cell*>& figures, const ColumnModel& model, int panel) {
  for (const Cell* f : figures) {
    const ColumnRole* role = ValueRole(*f, model, panel);
    for (const Cell* g : k.figures) {
      if (ValueRole(*g, model, panel) == role) return false;
    }
  }
  return true;
}

// Finds each orphan's neighbours and adds this panel's evidence: the rows
// at either end of a run (only one direction open there) vote; elsewhere
// the distances to the labels above and below are summed.
void PlanOrphans(OrphanPlan& plan, const TableGrid& grid, const ColumnModel& model, int& votes_up,
                 int& votes_down, double& distance_up, double& distance_down) {
  const std::vector<PrintedRow>& printed = *plan.printed;
  std::vector<KeyedRow>& rows = *plan.rows;
  auto row_index_of = [&](int grid_row) {
    for (size_t k = 0; k < rows.size(); ++k) {
      if (std::find(rows[k].rows.begin(), rows[k].rows.end(), grid_row) != rows[k].rows.end()) {
        return static_cast<int>(k);
      }
    }
    return -1;
  };
  // Neighbours: the nearest non-empty printed row above and below, if no rule intervenes.
  auto neighbour = [&](int at, int step) {
    for (int i = at + step; i >= 0 && i < static_cast<int>(printed.size()); i += step) {
      const PrintedRow& crossing = step > 0 ? printed[i] : printed[i + 1];
      if (crossing.rule_above) return -1;
      if (!printed[i].Empty()) return row_index_of(printed[i].row);
    }
    return -1;
  };
  // Where a row's text is printed: the edges between text lines lie halfway
  // between them, so the middle of a row says nothing of which label a line
  // of figures sits closer to.
  auto centre = [&](int grid_row) {
    double sum = 0;
    int n = 0;
    for (const Cell& cell : grid.cells) {
      if (cell.row != grid_row || cell.row_span != 1 || CompactText(cell.text).empty()) continue;
      sum += cell.text_box.cy();
      ++n;
    }
    return n > 0 ? sum / n : (grid.row_edges[grid_row] + grid.row_edges[grid_row + 1]) / 2;
  };
  plan.up.resize(plan.orphans.size());
  plan.down.resize(plan.orphans.size());
  for (size_t o = 0; o < plan.orphans.size(); ++o) {
    plan.up[o] = neighbour(plan.orphan_at[o], -1);
    plan.down[o] = neighbour(plan.orphan_at[o], +1);
    bool can_up = plan.up[o] >= 0 && FreeFor(rows[plan.up[o]], plan.orphans[o], model, plan.panel);
    bool can_down = plan.down[o] >= 0 && FreeFor(rows[plan.down[o]], plan.orphans[o], model, plan.panel);
    if (can_up && !can_down) ++votes_up;
    if (can_down && !can_up) ++votes_down;
    if (can_up && can_down && plan.up[o] != plan.down[o]) {
      const double y = centre(printed[plan.orphan_at[o]].row);
      distance_up += y - centre(rows[plan.up[o]].rows.back());
      distance_down += centre(rows[plan.down[o]].rows.front()) - y;
    }
  }
}

void AttachOrphans(OrphanPlan& plan, bool prefer_down, const ColumnModel& model, RowsResult& result) {
  std::vector<KeyedRow>& rows = *plan.rows;
  for (size_t o = 0; o < plan.orphans.size(); ++o) {
    int first = prefer_down ? plan.down[o] : plan.up[o], second = prefer_down ? plan.up[o] : plan.down[o];
    int target = -1;
    if (first >= 0 && FreeFor(rows[first], plan.orphans[o], model, plan.panel)) {
      target = first;
    } else if (second >= 0 && FreeFor(rows[second], plan.orphans[o], model, plan.panel)) {
      target = second;
    }
    if (target >= 0) {
      rows[target].figures.insert(rows[target].figures.end(), plan.orphans[o].begin(), plan.orphans[o].end());
      continue;
    }
    for (const Cell* f : plan.orphans[o]) {
      if (ParseFigure(f->text).kind != FigureKind::kDash) result.unkeyed.push_back({f, "a row of figures without a label"});
    }
  }
}

// Whether `key` is a row the template lists for panel side `side` of a
// two-sided table (as "heading:child" for nested rows); always true for
// other layouts and for sides whose rows are an open list.
bool KnownSideRow(const std::string& key, const TableDef& def, int side) {
  if (def.layout != TableLayout::kTwoSided || side < 0 || side >= static_cast<int>(def.sides.size())) return true;
  const SideDef& s = def.sides[side];
  if (s.open_rows) return true;
  for (const RowDef& r : s.rows) {
    if (r.key == key) return true;
  }
  for (const RowGroupDef& g : s.groups) {
    if (g.key == key) return true;
    for (const RowDef& c : g.children) {
      if (g.key + ":" + c.key == key) return true;
    }
  }
  for (const std::string& total : def.totals) {
    if (total == key) return true;
  }
  return false;
}

// Keys of item rows: names from the vocabulary, nested rows ("heading:child")
// under their group heading; in item tables a name printed twice is keyed
// with its parent label.
void KeyItemRows(std::vector<KeyedRow>& rows, const TableDef& def, int side, RowCarry& carry, int panel,
                 int grid, Table& table) {
  const std::vector<RowDef>& vocabulary =
      def.layout == TableLayout::kTwoSided && side < static_cast<int>(def.sides.size()) ? def.sides[side].rows
                                                                                        : def.rows;
  const std::vector<RowGroupDef>& groups =
      def.layout == TableLayout::kTwoSided && side < static_cast<int>(def.sides.size()) ? def.sides[side].groups
                                                                                        : def.groups;
  if (carry.group.size() <= static_cast<size_t>(panel)) carry.group.resize(panel + 1);
  std::string& open_group = carry.group[panel];
  for (KeyedRow& k : rows) {
    std::string stripped = StripOrdinal(k.label);
    if (stripped.empty()) continue;
    std::string key;
    if (!open_group.empty()) {
      const RowGroupDef* group = nullptr;
      for (const RowGroupDef& g : groups) {
        if (g.match == open_group) group = &g;
      }
      const std::string child = group ? CanonicalRow(stripped, group->children) : "";
      bool is_child = group && std::any_of(group->children.begin(), group->children.end(),
                                           [&](const RowDef& r) { return r.key == child; });
      if (is_child) {
        key = open_group + ":" + child;
      } else {
        open_group.clear();
      }
    }
    if (key.empty()) {
      key = CanonicalRow(stripped, vocabulary);
      for (const RowGroupDef& g : groups) {
        if (key == g.key) open_group = g.key;
      }
    }
    k.key = key;
  }
  if (def.layout != TableLayout::kItems) return;
  // Nested item labels (several label columns, outer to inner): a row is
  // named by its innermost label; the outer labels in force above it (a
  // blank outer cell carries the one above down) are its path. A name the
  // table prints more than once takes as many parents before it as make it
  // unique, then the row's attribute words.
  std::vector<RowDef> known = vocabulary;
  for (const RowGroupDef& g : groups) known.insert(known.end(), g.children.begin(), g.children.end());
  auto name_of = [&](const std::string& compact, const std::string& printed) {
    const std::string stripped = StripOrdinal(compact);
    const std::string key = CanonicalRow(stripped, known);
    if (key != stripped) return key;  // a known name, as the schema writes it
    return AsPrinted(stripped, printed);
  };
  if (carry.in_force.size() <= static_cast<size_t>(panel)) carry.in_force.resize(panel + 1);
  if (carry.item_rows.size() <= static_cast<size_t>(panel)) carry.item_rows.resize(panel + 1);
  std::vector<KeyedItemRow>& earlier = carry.item_rows[panel];
  const size_t n_earlier = earlier.size();
  // Rows of the parts before first, then this part's: a name is unique or
  // not in the whole table, and the labels in force run on across the page.
  std::vector<std::vector<std::string>> paths(n_earlier + rows.size());
  std::vector<std::string> attributes(paths.size());
  for (size_t e = 0; e < n_earlier; ++e) {
    paths[e] = earlier[e].path;
    attributes[e] = earlier[e].attributes;
  }
  std::vector<std::string>& in_force = carry.in_force[panel];
  for (size_t r = 0; r < rows.size(); ++r) {
    const KeyedRow& k = rows[r];
    std::vector<std::string>& path = paths[n_earlier + r];
    attributes[n_earlier + r] = k.attributes;
    int deepest = -1;
    for (size_t level = 0; level < k.labels.size(); ++level) {
      if (StripOrdinal(k.labels[level]).empty()) continue;
      if (in_force.size() <= level) in_force.resize(level + 1);
      in_force[level] = name_of(k.labels[level], level < k.printed.size() ? k.printed[level] : k.labels[level]);
      in_force.resize(level + 1);  // deeper labels no longer hold
      deepest = static_cast<int>(level);
    }
    if (deepest < 0) continue;
    for (int level = 0; level <= deepest; ++level) {
      if (!in_force[level].empty() && (path.empty() || path.back() != in_force[level])) {
        path.push_back(in_force[level]);
      }
    }
  }
  std::vector<size_t> depth(paths.size(), 1);
  auto key_of = [&](size_t r) {
    std::string key;
    const auto& path = paths[r];
    for (size_t i = path.size() - std::min(depth[r], path.size()); i < path.size(); ++i) {
      key += (key.empty() ? "" : ":") + path[i];
    }
    return key;
  };
  for (bool changed = true; changed;) {
    changed = false;
    std::map<std::string, std::vector<size_t>> by_key;
    for (size_t r = 0; r < paths.size(); ++r) {
      if (!paths[r].empty()) by_key[key_of(r)].push_back(r);
    }
    for (const auto& [key, members] : by_key) {
      if (members.size() < 2) continue;
      // Rows of one item (the same whole path) are told apart by their
      // attributes, not by more parents.
      std::set<std::vector<std::string>> distinct;
      for (size_t r : members) distinct.insert(paths[r]);
      if (distinct.size() == 1) continue;
      for (size_t r : members) {
        if (depth[r] < paths[r].size()) {
          ++depth[r];
          changed = true;
        }
      }
    }
  }
  std::map<std::string, int> count;
  for (size_t r = 0; r < paths.size(); ++r) {
    if (!paths[r].empty()) ++count[key_of(r)];
  }
  auto final_key = [&](size_t r) {
    std::string key = key_of(r);
    if (count[key] > 1 && !attributes[r].empty()) key += ":" + attributes[r];
    return key;
  };
  // A row of an earlier part whose name this part prints again is keyed
  // anew, and so are the facts it gave.
  for (size_t e = 0; e < n_earlier; ++e) {
    const std::string key = final_key(e);
    if (key == earlier[e].key) continue;
    for (Fact& fact : table.facts) {
      const std::pair<int, int> at{fact.cell_row, fact.cell_col};
      if (fact.grid == earlier[e].grid && fact.row == earlier[e].key &&
          std::find(earlier[e].figure_cells.begin(), earlier[e].figure_cells.end(), at) != earlier[e].figure_cells.end()) {
        fact.row = key;
      }
    }
    earlier[e].key = key;
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    const size_t at = n_earlier + r;
    if (paths[at].empty()) continue;
    rows[r].key = final_key(at);
    KeyedItemRow memo{paths[at], attributes[at], rows[r].key, grid, {}};
    for (const Cell* cell : rows[r].figures) memo.figure_cells.emplace_back(cell->row, cell->col);
    earlier.push_back(std::move(memo));
  }
}

void AddFigure(const Cell& cell, const std::string& row_key, const std::string& col_id, const std::string& line,
               const GridContext& ctx, Table& table, RowsResult& result) {
  Figure fig = ParseFigure(cell.text);
  if (fig.kind != FigureKind::kNumber) {
    result.unreadable.push_back({&cell, row_key, col_id});
    return;
  }
  Fact fact;
  fact.table = table.code;
  fact.row = row_key;
  fact.col = col_id;
  fact.value = fig.value;
  fact.printed = cell.text;
  fact.page = ctx.grid->page;
  fact.grid = ctx.grid_index;
  fact.cell_row = cell.row;
  fact.cell_col = cell.col;
  fact.box = cell.box;
  fact.source = cell.source;
  fact.confidence = cell.confidence;
  fact.alternatives = cell.alternatives;
  fact.line = line;
  table.facts.push_back(std::move(fact));
}

// A total's label printed in another panel's columns than its figure
// ("公用经费合计" centred over the second and third panels, its figure in
// the third): when the label's own panel has no figure in that row, the
// label names the first figure to its right in a panel without a label.
std::map<const Cell*, int> SpilledTotals(const GridContext& context, const TableDef& def) {
  std::map<const Cell*, int> moved;
  const TableGrid& grid = *context.grid;
  const ColumnModel& model = context.columns;
  if (model.panels.size() < 2) return moved;
  for (int row = context.header.body_start; row < grid.n_rows(); ++row) {
    std::vector<const Cell*> cells, near;  // this row; it and the lines next to it
    for (const Cell& c : grid.cells) {
      if (CompactText(c.text).empty()) continue;
      if (c.row == row) cells.push_back(&c);
      // Figures set a line above or below their labels (no rule between).
      const bool above = c.row == row - 1 && !grid.RowEdgeIsRule(row);
      const bool below = c.row == row + 1 && !grid.RowEdgeIsRule(row + 1);
      if (c.row == row || above || below) near.push_back(&c);
    }
    std::sort(cells.begin(), cells.end(), [](const Cell* a, const Cell* b) { return a->col < b->col; });
    auto figure_in = [&](int panel) {
      return std::any_of(near.begin(), near.end(), [&](const Cell* c) {
        return IsFigureText(CompactText(c->text)) && ValueRole(*c, model, panel) != nullptr;
      });
    };
    auto label_in = [&](int panel) {
      return std::any_of(cells.begin(), cells.end(), [&](const Cell* c) {
        std::string text = CompactText(c->text);
        return !IsFigureText(text) && PanelOfColumn(model, c->col + c->col_span - 1) == panel;
      });
    };
    for (const Cell* label : cells) {
      const std::string text = CompactText(label->text);
      if (IsFigureText(text)) continue;
      const int own = PanelOfColumn(model, label->col + label->col_span - 1);
      if (figure_in(own)) continue;
      for (int panel = own + 1; panel < static_cast<int>(model.panels.size()); ++panel) {
        if (label_in(panel)) break;
        // A total's label, or a row name of the panel whose figure it sits
        // beside (当年支出小计 set across two panels of a 收支预算总表).
        const bool names = !TotalKey(text, def).empty() || KnownLabel(text, def, model.panels[panel].side);
        if (figure_in(panel) && names) {
          moved[label] = panel;
          break;
        }
      }
    }
  }
  return moved;
}

}  // namespace

RowsResult MapRows(const GridContext& context, const TableDef& def, Table& table, RowCarry& carry) {
  RowsResult result;
  const ColumnModel& model = context.columns;
  std::set<const Cell*> placed;
  if (def.layout == TableLayout::kSingleRow) {
    for (int row = context.header.body_start; row < context.grid->n_rows(); ++row) {
      if (row == context.header.lanci_row) continue;
      bool any = false;
      for (const Cell& cell : context.grid->cells) {
        if (cell.row != row || !IsFigureText(CompactText(cell.text))) continue;
        const ColumnRole* role = ValueRole(cell, model, model.roles[cell.col].panel);
        if (!role) continue;
        AddFigure(cell, def.row_key, role->id, "", context, table, result);
        placed.insert(&cell);
        any = true;
      }
      if (any) break;
    }
    // The data row is printed even when every figure in it is zero and
    // blank (then it reads as the header's last, empty row).
    bool blank_row = context.header.body_start < context.grid->n_rows();
    for (int row = 0; row < context.grid->n_rows() && !blank_row; ++row) {
      bool empty = true;
      for (const Cell& cell : context.grid->cells) empty = empty && (cell.row != row || CompactText(cell.text).empty());
      blank_row = empty && row > 0;
    }
    if (blank_row) result.keys_seen.insert(def.row_key);
  } else {
    const std::map<const Cell*, int> spilled = SpilledTotals(context, def);
    const size_t n_panels = model.panels.size();
    std::vector<std::vector<PrintedRow>> printed(n_panels);
    std::vector<std::vector<KeyedRow>> keyed(n_panels);
    std::vector<OrphanPlan> plans(n_panels);
    int votes_up = 0, votes_down = 0;
    double distance_up = 0, distance_down = 0;
    for (size_t p = 0; p < n_panels; ++p) {
      const int panel = static_cast<int>(p);
      PanelReader reader(context, def, panel, carry, result, spilled);
      printed[p] = reader.ReadRows();
      plans[p].printed = &printed[p];
      plans[p].rows = &keyed[p];
      plans[p].panel = panel;
      keyed[p] = Assemble(printed[p], def, model.panels[p].side, plans[p].orphans, plans[p].orphan_at);
      PlanOrphans(plans[p], *context.grid, model, votes_up, votes_down, distance_up, distance_down);
    }
    // The rows at either end decide; when they do not, the figures go to
    // the nearer labels.
    const bool prefer_down = votes_down != votes_up ? votes_down > votes_up : distance_down <= distance_up;
    for (size_t p = 0; p < n_panels; ++p) {
      const int panel = static_cast<int>(p);
      const int side = model.panels[p].side;
      AttachOrphans(plans[p], prefer_down, model, result);
      std::vector<KeyedRow>& rows = keyed[p];
      if (def.layout == TableLayout::kCoded) {
        for (KeyedRow& k : rows) k.key = !k.code.empty() ? k.code : TotalKey(k.label, def);
      } else {
        KeyItemRows(rows, def, side, carry, panel, context.grid_index, table);
      }
      for (const KeyedRow& k : rows) {
        if (!k.key.empty()) result.keys_seen.insert(k.key);
        for (const Cell* cell : k.figures) {
          if (ParseFigure(cell->text).kind == FigureKind::kDash) continue;
          if (!placed.insert(cell).second) continue;
          if (k.key.empty()) {
            result.unkeyed.push_back({cell, "its row label '" + k.label + "' names no row of " + def.key});
            continue;
          }
          if (cell->source == TextSource::kOcr && !KnownSideRow(k.key, def, side)) {
            // An item the template does not list, read by OCR, is a misreading
            // as likely as a row of the document's own: no key is better than
            // a garbled one.
            result.unkeyed.push_back({cell, "its row label '" + k.label + "', read by OCR, names no row of " + def.key});
            continue;
          }
          const ColumnRole* role = ValueRole(*cell, model, panel);
          AddFigure(*cell, k.key, role->id, k.line, context, table, result);
        }
      }
    }
  }
  // Figures no panel took: under no identified column, or in header rows.
  for (const Cell& cell : context.grid->cells) {
    if (cell.row < context.header.body_start || placed.count(&cell) || result.non_data.count(&cell)) continue;
    if (cell.row == context.header.lanci_row) continue;
    const std::string text = CompactText(cell.text);
    if (!IsFigureText(text)) continue;
    if (IsCode(text)) {
      result.non_data.insert(&cell);
      continue;
    }
    if (std::any_of(result.unkeyed.begin(), result.unkeyed.end(), [&](const auto& u) { return u.first == &cell; })) {
      continue;
    }
    const ColumnRole& role = model.roles[cell.col];
    if (role.role == Role::kLine) {
      result.non_data.insert(&cell);
      continue;
    }
    // Outside the value columns only a printed amount counts as a figure
    // (stray digits there are a misread code or a 栏次, not data).
    if (role.role != Role::kValue && !IsPrintedAmount(text)) continue;
    result.unkeyed.push_back({&cell, role.role == Role::kValue ? "in no keyed row"
                                                                 : "under a column whose header names no " +
                                                                       def.key + " column"});
  }
  return result;
}

}  // namespace juesuan::mapper
