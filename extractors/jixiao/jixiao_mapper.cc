#include "extractors/jixiao/jixiao_mapper.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <regex>
#include <set>
#include <tuple>

#include "extractors/jixiao/jixiao_layout.h"
#include "pipeline/core/utf8.h"
#include "pipeline/normalise/normalise.h"

namespace juesuan {
namespace {

using jixiao::Block;
using jixiao::Column;
using jixiao::Columns;
using jixiao::FillHeaderGaps;
using jixiao::Item;
using jixiao::kInf;
using jixiao::Line;
using jixiao::Stream;
using jixiao::Use;

bool StartsWith(const std::string& text, const std::string& prefix) {
  return !prefix.empty() && text.rfind(prefix, 0) == 0;
}

// A label cell: the label itself, maybe with a colon or a unit in brackets
// ("项目名称:", "年度资金总额:"), not a sentence that happens to contain it.
bool IsLabelCell(const std::string& compact, const std::vector<std::string>& labels) {
  for (const std::string& label : labels) {
    if (StartsWith(compact, label) && compact.size() <= label.size() + 12) return true;
  }
  return false;
}

std::string StripColon(std::string text) {
  for (const char* colon : {":", "："}) {
    std::string c(colon);
    while (text.size() >= c.size() && text.compare(text.size() - c.size(), c.size(), c) == 0) {
      text.resize(text.size() - c.size());
    }
  }
  return text;
}

// The unit the funds block header declares: "项目资金(元)", "项目资金（万元）".
// Its brackets are often misread by OCR ("项目资金人元)"), so any 元 counts.
std::string UnitOf(const std::string& compact) {
  if (compact.find("万元") != std::string::npos) return "万元";
  if (compact.find("元") != std::string::npos) return "元";
  return "";
}

void AppendParagraph(std::string& to, const std::string& text) {
  if (!text.empty()) to += (to.empty() ? "" : "\n") + text;
}

bool SameBox(const Box& a, const Box& b) { return a.x0 == b.x0 && a.y0 == b.y0 && a.x1 == b.x1 && a.y1 == b.y1; }

// A row of a block: a line holding figures (or dashes) in the value
// columns, or a label printed without any.
struct Anchor {
  int line = -1;  // -1: a block without figures
  int page = 0;
  double cy = 0;
};

// The anchors each block belongs to: the one within its extent; a block
// over several anchors (wrapped texts that touch) is shared out piece by
// piece to the nearest. Returns, per anchor, its pieces; blocks near no
// anchor go to `alone`.
std::vector<std::vector<int>> AssignBlocks(const Stream& stream, const std::vector<Block>& blocks,
                                           const std::vector<Anchor>& anchors, std::vector<const Block*>* alone) {
  std::vector<std::vector<int>> out(anchors.size());
  for (const Block& block : blocks) {
    double h = kInf;
    bool cells = false;
    for (int index : block.items) {
      h = std::min(h, stream.items[index].h);
      cells = cells || stream.items[index].is_cell;
    }
    double tol = cells ? 0.0 : 0.35 * h;
    std::vector<size_t> near;
    for (size_t a = 0; a < anchors.size(); ++a) {
      if (anchors[a].page == block.page && anchors[a].cy >= block.y0 - tol && anchors[a].cy <= block.y1 + tol) {
        near.push_back(a);
      }
    }
    if (near.empty()) {
      if (alone) alone->push_back(&block);
      continue;
    }
    for (int index : block.items) {
      size_t best = near.front();
      for (size_t a : near) {
        if (std::abs(anchors[a].cy - stream.items[index].cy()) < std::abs(anchors[best].cy - stream.items[index].cy())) {
          best = a;
        }
      }
      out[best].push_back(index);
    }
  }
  return out;
}

std::string JoinText(const Stream& stream, std::vector<int> items) {
  std::sort(items.begin(), items.end(), [&](int a, int b) {
    const Item& x = stream.items[a];
    const Item& y = stream.items[b];
    double ya = x.line >= 0 ? stream.lines[x.line].cy : x.cy();
    double yb = y.line >= 0 ? stream.lines[y.line].cy : y.cy();
    return ya != yb ? ya < yb : x.x0() < y.x0();
  });
  std::string out;
  for (int index : items) out += stream.items[index].text;
  return NormaliseText(out);
}

// Level labels (一级/二级指标) printed once for a run of rows, centred on the
// run or at its first row: each label takes a contiguous run of the rows of
// its page, chosen to put every label nearest its run (the run's extent
// runs half-way to the rows around it). Rows a label's merged cell covers,
// or that it shares a line with, belong to it. On a continuation page the
// first rows may belong to the label of the previous page (index -1).
struct RowExtent {
  double y0 = 0, y1 = 0;  // of the row's text
};

double AssignLevelsOnce(const std::vector<RowExtent>& rows, const std::vector<Block>& labels,
                        const std::vector<double>& label_tol, bool may_inherit, bool top_aligned,
                        std::vector<int>* out) {
  const size_t n = rows.size(), k = labels.size();
  constexpr double kPinned = 1e7;
  // The printed extent of each row: half-way to its neighbours.
  std::vector<double> top(n), bottom(n);
  double gap_sum = 0;
  int gaps = 0;
  for (size_t r = 0; r + 1 < n; ++r) {
    double gap = std::max(0.0, rows[r + 1].y0 - rows[r].y1);
    if (rows[r + 1].y0 - rows[r].y1 < 1000) {
      gap_sum += gap;
      ++gaps;
    }
  }
  double pad = gaps ? gap_sum / gaps / 2 : 0;
  for (size_t r = 0; r < n; ++r) {
    top[r] = r > 0 && rows[r].y0 - rows[r - 1].y1 < 1000 ? (rows[r - 1].y1 + rows[r].y0) / 2 : rows[r].y0 - pad;
    bottom[r] = r + 1 < n && rows[r + 1].y0 - rows[r].y1 < 1000 ? (rows[r].y1 + rows[r + 1].y0) / 2 : rows[r].y1 + pad;
  }
  std::vector<int> pin(n, -1);
  for (size_t r = 0; r < n; ++r) {
    double cy = (rows[r].y0 + rows[r].y1) / 2;
    for (size_t j = 0; j < k; ++j) {
      if (cy >= labels[j].y0 - label_tol[j] && cy <= labels[j].y1 + label_tol[j]) pin[r] = static_cast<int>(j);
    }
  }
  auto cost = [&](size_t j, size_t s, size_t e) {  // label j over rows s..e
    double c = top_aligned ? std::abs(labels[j].y0 - rows[s].y0) : std::abs(labels[j].cy() - (top[s] + bottom[e]) / 2);
    for (size_t r = s; r <= e; ++r) {
      if (pin[r] >= 0 && pin[r] != static_cast<int>(j)) c += kPinned;
    }
    return c;
  };
  std::vector<std::vector<double>> best(k, std::vector<double>(n, kInf));
  std::vector<std::vector<size_t>> from(k, std::vector<size_t>(n, 0));
  for (size_t e = 0; e < n; ++e) {
    double prefix = 0;
    for (size_t s = 0; s <= e; ++s) {
      if (s > 0) {
        if (!may_inherit) break;
        prefix += pin[s - 1] >= 0 ? kPinned : 0;
      }
      double c = prefix + cost(0, s, e);
      if (c < best[0][e]) {
        best[0][e] = c;
        from[0][e] = s;
      }
    }
  }
  for (size_t j = 1; j < k; ++j) {
    for (size_t e = j; e < n; ++e) {
      for (size_t s = j; s <= e; ++s) {
        if (best[j - 1][s - 1] == kInf) continue;
        double c = best[j - 1][s - 1] + cost(j, s, e);
        if (c < best[j][e]) {
          best[j][e] = c;
          from[j][e] = s;
        }
      }
    }
  }
  out->assign(n, -1);
  size_t e = n - 1;
  for (size_t j = k; j-- > 0;) {
    size_t s = from[j][e];
    for (size_t r = s; r <= e; ++r) (*out)[r] = static_cast<int>(j);
    if (j == 0 || s == 0) break;
    e = s - 1;
  }
  return best[k - 1][n - 1];
}

// Labels all centred on their runs or all at their first rows. A label
// centred on an odd run sits on its middle row, where a top-aligned reading
// fits as well: centred unless the top-aligned reading fits clearly better
// (by close to half a row per page).
std::vector<int> AssignLevels(const std::vector<RowExtent>& rows, const std::vector<Block>& labels,
                              const std::vector<double>& label_tol, bool may_inherit) {
  const size_t n = rows.size(), k = labels.size();
  std::vector<int> out(n, -1);
  if (n == 0 || k == 0) return out;
  if (k > n) {
    for (size_t r = 0; r < n; ++r) {
      double cy = (rows[r].y0 + rows[r].y1) / 2;
      size_t best = 0;
      for (size_t j = 1; j < k; ++j) {
        if (std::abs(labels[j].cy() - cy) < std::abs(labels[best].cy() - cy)) best = j;
      }
      out[r] = static_cast<int>(best);
    }
    return out;
  }
  std::vector<int> top;
  double centred = AssignLevelsOnce(rows, labels, label_tol, may_inherit, false, &out);
  double top_cost = AssignLevelsOnce(rows, labels, label_tol, may_inherit, true, &top);
  std::vector<double> pitches;
  for (size_t r = 0; r + 1 < n; ++r) {
    pitches.push_back((rows[r + 1].y0 + rows[r + 1].y1 - rows[r].y0 - rows[r].y1) / 2);
  }
  double pitch = 20;
  if (!pitches.empty()) {
    std::nth_element(pitches.begin(), pitches.begin() + pitches.size() / 2, pitches.end());
    pitch = pitches[pitches.size() / 2];
  }
  return top_cost + 0.4 * pitch < centred ? top : out;
}

enum class Section { kHead, kFunds, kTargetFunds, kGoals, kIndicators, kTail };

// One evaluation being read, with the table it becomes.
struct Draft {
  JixiaoEvaluation ev;
  Table table;
  Columns funds_cols, indicator_cols, goal_cols;
  Section section = Section::kHead;
  // The 绩效自评表 kind the name label gives (project / unit): what a draft
  // read as a target form becomes when it prints a 绩效自评表's blocks.
  std::string base_kind;
  std::vector<int> pending;  // lines of the open section, read when it ends
  bool done = false;
  std::string level1, level2;  // of the last indicator read
  std::set<int> indicator_pages;
  std::vector<int> name_items;  // the pieces the name was read from
};

class Reader {
 public:
  Reader(Stream& stream, const std::vector<Table>& candidates, const JixiaoSchema& schema,
         std::vector<Finding>* findings)
      : s_(stream), candidates_(candidates), schema_(schema), findings_(findings),
        consumed_(stream.lines.size(), false) {}

  void Run() {
    for (size_t l = 0; l < s_.lines.size(); ++l) {
      if (consumed_[l]) continue;
      OnLine(static_cast<int>(l));
    }
    if (Open()) Close(drafts_.back());
  }

  std::vector<Draft>& drafts() { return drafts_; }

 private:
  bool Open() const { return !drafts_.empty() && !drafts_.back().done; }
  int Current() const { return static_cast<int>(drafts_.size()) - 1; }
  const Line& L(int l) const { return s_.lines[l]; }
  Item& I(int i) { return s_.items[i]; }

  // ---- line kinds ----

  // The name label item of a name row (项目名称), or -1.
  int NameLabel(int l, const JixiaoKindDef** kind) const {
    for (int pass = 0; pass < 2; ++pass) {
      int found = NameLabel(l, kind, pass == 1);
      if (found >= 0) return found;
    }
    return -1;
  }

  // A target form names its project with the label a 绩效自评表 uses: the
  // self-evaluation kinds first; the title or the form's markers tell.
  int NameLabel(int l, const JixiaoKindDef** kind, bool target) const {
    for (int index : L(l).items) {
      const std::string& text = s_.items[index].compact;
      for (const JixiaoKindDef& k : schema_.kinds) {
        if ((k.kind == schema_.target.kind) != target) continue;
        for (const std::string& label : k.name_labels) {
          if (StripColon(text) == label ||
              (StartsWith(text, label) && (StartsWith(text.substr(label.size()), ":") ||
                                           StartsWith(text.substr(label.size()), "：")))) {
            *kind = &k;
            return index;
          }
        }
      }
    }
    return -1;
  }

  bool HasLabel(int l, const std::vector<std::string>& labels) const {
    for (int index : L(l).items) {
      const Item& item = s_.items[index];
      if (!item.IsFigure() && IsLabelCell(StripColon(item.compact), labels)) return true;
    }
    return false;
  }

  int HeaderHits(int l, const std::vector<JixiaoLabel>& labels, size_t max_size, bool* level3) const {
    int hits = 0;
    for (int index : L(l).items) {
      const std::string& text = s_.items[index].compact;
      if (text.size() > max_size) continue;
      std::string key = MatchLabel(text, labels);
      if (key.empty()) continue;
      ++hits;
      if (level3 && key == "三级指标") *level3 = true;
    }
    return hits;
  }

  bool IsIndicatorHeader(int l) const {
    bool level3 = false;
    return HeaderHits(l, schema_.indicator_columns, 48, &level3) >= 3 && level3;
  }
  bool IsFundsHeader(int l) const { return HeaderHits(l, schema_.funds_columns, 24, nullptr) >= 3; }
  bool IsGoalsHeader(int l) const {
    return HasLabel(l, schema_.goal_expected_labels) && HasLabel(l, schema_.goal_actual_labels);
  }

  // ---- target forms (绩效目标表) ----

  bool IsTarget(const Draft& d) const { return d.ev.kind == schema_.target.kind; }

  // The goals header of a target form: 项目总目标 and/or 年度总体目标.
  bool IsTargetGoalsHeader(int l) const {
    return HasLabel(l, schema_.target.goal_project_labels) || HasLabel(l, schema_.target.goal_expected_labels);
  }

  // The row a funds label of a target form names: its side (-1 when both
  // sides print it: 其他资金) and key; false when it names none. The longest
  // label wins (当年财政拨款 before 财政拨款); "其中：" is not part of it.
  bool TargetFundsLabel(const Item& item, int* side, std::string* key) const {
    if (item.IsFigure()) return false;
    return TargetFundsLabel(item.compact, side, key);
  }

  bool TargetFundsLabel(const std::string& compact, int* side, std::string* key) const {
    std::string text = StripColon(compact);
    for (const char* lead : {"其中:", "其中：", "其中"}) {
      if (StartsWith(text, lead)) {
        text = text.substr(std::string(lead).size());
        break;
      }
    }
    size_t best = 0;
    *side = -1;
    key->clear();
    const auto& sides = schema_.target.funds_sides;
    for (size_t k = 0; k < sides.size(); ++k) {
      for (const JixiaoLabel& row : sides[k].rows) {
        for (const std::string& label : row.labels) {
          if (!IsLabelCell(text, {label})) continue;
          if (label.size() > best) {
            best = label.size();
            *side = static_cast<int>(k);
            *key = row.key;
          } else if (label.size() == best && *side != static_cast<int>(k)) {
            *side = -1;  // both sides print it
          }
        }
      }
    }
    return best > 0;
  }

  // A line of a target form's funds block: a row label of either side or the
  // block's own label (项目资金（元）).
  bool IsTargetFundsLine(int l) const {
    for (int index : L(l).items) {
      int side;
      std::string key;
      if (TargetFundsLabel(s_.items[index], &side, &key)) return true;
      if (!s_.items[index].IsFigure() &&
          IsLabelCell(StripColon(s_.items[index].compact), schema_.target.funds_block_labels)) {
        return true;
      }
    }
    return false;
  }

  // Re-keys a draft under another kind (its table, the facts read so far);
  // a funds block opened as a target form's is head lines again.
  void SetKind(Draft& d, const std::string& kind) {
    if (d.ev.kind == kind || kind.empty()) return;
    if (d.section == Section::kTargetFunds) d.section = Section::kHead;
    d.ev.kind = kind;
    d.ev.table = schema_.PrefixOf(kind) + ":" + d.ev.name;
    d.table.code = d.ev.table;
    for (Fact& fact : d.table.facts) fact.table = d.ev.table;
  }

  // A caption line: a kind title (项目支出绩效自评表), the unit (单位：元), the
  // year ((2023年度)), and nothing else.
  bool IsCaption(int l) const {
    static const std::regex kYear(R"(^\(?\d{4}年(?:度)?\)?$)");  // compact text: NFKC brackets
    for (int index : L(l).items) {
      const Item& item = s_.items[index];
      bool caption = !FindAmountUnit(item.text).empty() || std::regex_match(item.compact, kYear);
      for (const JixiaoKindDef& k : schema_.kinds) caption = caption || ContainsAny(item.compact, k.titles);
      if (!caption) return false;
    }
    return true;
  }

  bool HasTitle(int l) const {
    for (int index : L(l).items) {
      for (const JixiaoKindDef& k : schema_.kinds) {
        if (ContainsAny(s_.items[index].compact, k.titles)) return true;
      }
    }
    return false;
  }

  // ---- the state machine ----

  void OnLine(int l) {
    const JixiaoKindDef* kind = nullptr;
    int name_label = NameLabel(l, &kind);
    if (name_label >= 0) {
      if (Open()) Close(drafts_.back());
      StartDraft(l, name_label, *kind);
      return;
    }
    if (!Open()) {
      caption_.push_back(l);
      return;
    }
    // Running text far above the grids of a continuation page (a running
    // header) is not the table's.
    bool far_above = true;
    for (int index : L(l).items) far_above = far_above && I(index).above_grids && I(index).above_by > 40;
    if (far_above) return;
    if (IsCaption(l)) {
      // The title or unit of the next table (this one may end without 评分等级).
      // A target form has no closing row: it ends at the next title.
      if (IsTarget(drafts_.back()) && HasTitle(l)) Close(drafts_.back());
      caption_.push_back(l);
      return;
    }
    Draft& d = drafts_.back();
    Claim(l);
    // Blocks only a 绩效自评表 prints make a draft taken for a target form
    // one; the markers of a target form make a draft one.
    if (IsTarget(d) && (HasLabel(l, schema_.grade_labels) || HasLabel(l, schema_.total_labels) ||
                        IsFundsHeader(l) || IsGoalsHeader(l))) {
      SetKind(d, d.base_kind);
    } else if (!IsTarget(d) && d.section == Section::kHead && !schema_.target.markers.empty() &&
               HasLabel(l, schema_.target.markers)) {
      SetKind(d, schema_.target.kind);
    }
    if (HasLabel(l, schema_.grade_labels)) {
      Flush(d);
      ReadGrade(d, l);
      Close(d);
      return;
    }
    if (HasLabel(l, schema_.total_labels)) {
      Flush(d);
      ReadTotal(d, l);
      d.section = Section::kTail;
      return;
    }
    if (IsIndicatorHeader(l)) {
      std::vector<int> zone = HeaderZone(d, l, schema_.indicator_columns);
      Flush(d);
      d.indicator_cols = HeaderColumns(zone, l, schema_.indicator_columns, 48, true, nullptr);
      d.section = Section::kIndicators;
      return;
    }
    if (IsFundsHeader(l)) {
      std::vector<int> zone = HeaderZone(d, l, schema_.funds_columns);
      Flush(d);
      d.funds_cols = HeaderColumns(zone, l, schema_.funds_columns, 24, false, &d);
      d.section = Section::kFunds;
      return;
    }
    if (IsTarget(d) ? IsTargetGoalsHeader(l) : IsGoalsHeader(l)) {
      Flush(d);
      ReadGoalsHeader(d, l);
      d.section = Section::kGoals;
      return;
    }
    if (IsTarget(d) && (d.section == Section::kHead || d.section == Section::kTargetFunds)) {
      if (d.section == Section::kHead && IsTargetFundsLine(l)) {
        Flush(d);
        d.section = Section::kTargetFunds;
      }
      // Head fields printed beside or below the funds block are fields too.
      ReadHeadLine(d, l, d.section == Section::kHead);
      d.pending.push_back(l);
      return;
    }
    if (d.section == Section::kHead) {
      ReadHeadLine(d, l, true);
      d.pending.push_back(l);  // a header label may begin on it
      return;
    }
    if (d.section == Section::kTail) {
      for (int index : L(l).items) Unmapped(I(index), "below the 总分 row");
      return;
    }
    d.pending.push_back(l);
  }

  // Marks the pieces of a line as the open evaluation's.
  void Claim(int l) {
    for (int index : L(l).items) I(index).evaluation = Current();
  }

  void StartDraft(int l, int label, const JixiaoKindDef& kind) {
    Draft d;
    d.ev.kind = kind.kind;
    d.base_kind = kind.kind;
    const Item& label_item = s_.items[label];
    // The name: the rest of the label piece, the pieces right of it, and the
    // lines of a name wrapped over several lines.
    std::vector<int> parts;
    std::string inline_name;
    for (const std::string& name_label : kind.name_labels) {
      if (StartsWith(label_item.compact, name_label)) {
        inline_name = StripColon(label_item.compact.substr(name_label.size()));
        if (StartsWith(inline_name, ":")) inline_name = inline_name.substr(1);
        if (StartsWith(inline_name, "：")) inline_name = inline_name.substr(std::string("：").size());
        break;
      }
    }
    // The name ends at the next field label (项目性质, 项目类别 ...), printed
    // in a cell of its own or run together with it: what follows is fields.
    std::vector<HeadPiece> tail;
    if (size_t len = 0, at = FindFieldLabel(inline_name, &len); at != std::string::npos) {
      tail.push_back({inline_name.substr(at), -1});
      inline_name.resize(at);
    }
    for (int index : L(l).items) {
      if (index == label || I(index).x0() < label_item.x1() - 1) continue;
      if (!tail.empty()) {
        tail.push_back({I(index).compact, index});
        continue;
      }
      size_t len = 0, at = FindFieldLabel(I(index).compact, &len);
      if (at == std::string::npos) {
        parts.push_back(index);
        continue;
      }
      if (at == 0) {
        tail.push_back({I(index).compact, index});
        continue;
      }
      Item& item = I(index);
      tail.push_back({item.compact.substr(at), -1});
      item.text = item.compact = item.compact.substr(0, at);
      parts.push_back(index);
    }
    if (!L(l).cells) {
      // The name's extent on its line, else anywhere right of the label.
      double x0 = parts.empty() ? label_item.x1() : kInf, x1 = parts.empty() ? kInf : -kInf;
      for (int index : parts) {
        x0 = std::min(x0, I(index).x0());
        x1 = std::max(x1, I(index).x1());
      }
      auto wrapped = [&](int other, double edge_gap) {
        const Line& line = L(other);
        if (line.cells || line.has_figure || line.page != L(l).page || edge_gap > 0.5 * line.h) return false;
        for (int index : line.items) {
          const Item& item = s_.items[index];
          if (item.x0() < label_item.x1() - 1 || item.x1() < x0 || item.x0() > x1) return false;
          if (!FindAmountUnit(item.text).empty() || item.compact.find("年度") != std::string::npos) return false;
          for (const JixiaoKindDef& k : schema_.kinds) {
            if (ContainsAny(item.compact, k.titles)) return false;
          }
        }
        return true;
      };
      // Above: the last caption lines.
      double top = L(l).y0;
      while (!caption_.empty() && wrapped(caption_.back(), top - L(caption_.back()).y1)) {
        top = L(caption_.back()).y0;
        for (int index : L(caption_.back()).items) parts.push_back(index);
        caption_.pop_back();
      }
      double bottom = L(l).y1;
      for (size_t next = l + 1; next < s_.lines.size(); ++next) {
        if (consumed_[next] || !wrapped(static_cast<int>(next), L(static_cast<int>(next)).y0 - bottom)) break;
        const JixiaoKindDef* k = nullptr;
        if (NameLabel(static_cast<int>(next), &k) >= 0 || HasLabel(static_cast<int>(next), FieldLabels())) break;
        consumed_[next] = true;
        bottom = L(static_cast<int>(next)).y1;
        for (int index : L(static_cast<int>(next)).items) parts.push_back(index);
      }
    }
    d.ev.name = CompactText(inline_name + JoinText(s_, parts));
    d.name_items = parts;
    if (!inline_name.empty()) d.name_items.push_back(label);
    d.ev.table = schema_.table_prefix + ":" + d.ev.name;
    d.table.code = d.ev.table;
    // Caption: the lines above the name row on its page (title and unit).
    std::string unit;
    for (int c : caption_) {
      if (L(c).page != L(l).page || L(l).y0 - L(c).y1 > 150) continue;
      for (int index : L(c).items) {
        const Item& item = s_.items[index];
        for (const JixiaoKindDef& k : schema_.kinds) {
          if (ContainsAny(item.compact, k.titles)) {
            d.ev.title = item.text;
            d.ev.kind = k.kind;
          }
        }
        if (unit.empty()) unit = FindAmountUnit(item.text);
      }
    }
    caption_.clear();
    if (d.ev.kind != schema_.target.kind) d.base_kind = d.ev.kind;
    d.ev.table = schema_.PrefixOf(d.ev.kind) + ":" + d.ev.name;
    d.table.code = d.ev.table;
    d.table.title = d.ev.title;
    d.table.unit = unit;
    d.ev.unit = unit;
    drafts_.push_back(std::move(d));
    Claim(l);
    for (int index : parts) I(index).evaluation = Current();
    ReadHeadPieces(drafts_.back(), tail, true);
  }

  void Close(Draft& d) {
    Flush(d);
    d.done = true;
  }

  // The head fields of every kind (主管部门 … of the 绩效自评表, 项目性质,
  // 计划开始日期 … of the target form), each key once: a draft's kind may be
  // settled only after its head.
  const std::vector<JixiaoLabel>& HeadFields() {
    if (head_fields_.empty()) {
      for (const auto* fields : {&schema_.fields, &schema_.target.fields}) {
        for (const JixiaoLabel& field : *fields) {
          bool seen = false;
          for (const JixiaoLabel& f : head_fields_) seen = seen || f.key == field.key;
          if (!seen) head_fields_.push_back(field);
        }
      }
    }
    return head_fields_;
  }

  const std::vector<std::string>& FieldLabels() {
    if (field_labels_.empty()) {
      for (const JixiaoLabel& field : HeadFields()) {
        field_labels_.insert(field_labels_.end(), field.labels.begin(), field.labels.end());
      }
    }
    return field_labels_;
  }

  // The first field label in `compact` (its position, npos when none; the
  // longest label where several start there) and its field.
  size_t FindFieldLabel(const std::string& compact, size_t* length, const JixiaoLabel** which = nullptr) {
    size_t best = std::string::npos;
    *length = 0;
    for (const JixiaoLabel& field : HeadFields()) {
      for (const std::string& label : field.labels) {
        size_t at = label.empty() ? std::string::npos : compact.find(label);
        if (at == std::string::npos) continue;
        if (at < best || (at == best && label.size() > *length)) {
          best = at;
          *length = label.size();
          if (which) *which = &field;
        }
      }
    }
    return best;
  }

  // A piece of a head line: an item's text, or the part of one after the
  // end of a name (item -1).
  struct HeadPiece {
    std::string compact;
    int item = -1;
  };

  // Lines between the name row and the funds block: 主管部门, 实施单位 ...
  void ReadHeadLine(Draft& d, int l, bool mark_figures) {
    std::vector<HeadPiece> pieces;
    for (int index : L(l).items) pieces.push_back({I(index).compact, index});
    ReadHeadPieces(d, pieces, mark_figures);
  }

  // Fields from pieces left to right: a label takes the rest of its piece up
  // to the next label, else the next piece (a figure there is structure:
  // 项目金额). Other figures are unmapped when `mark_figures`: printed above
  // the funds block. Dates are no figures (2023-01-01 is a field's value).
  void ReadHeadPieces(Draft& d, const std::vector<HeadPiece>& pieces, bool mark_figures) {
    std::string open;  // a field whose value is the next piece
    auto set = [&](const std::string& key, const std::string& value) {
      bool seen = false;
      for (const auto& kv : d.ev.fields) seen |= kv.first == key;
      if (!seen) d.ev.fields.push_back({key, value});
    };
    auto strip_colon = [](std::string value) {
      for (const char* colon : {":", "："}) {
        if (StartsWith(value, colon)) value = value.substr(std::string(colon).size());
      }
      return value;
    };
    for (const HeadPiece& piece : pieces) {
      if (piece.compact.empty()) continue;
      size_t len = 0;
      const JixiaoLabel* field = nullptr;
      size_t at = FindFieldLabel(piece.compact, &len, &field);
      // Text before a label (or a piece without one) is the value of the
      // field left open; a figure is never a label.
      if (at != 0 || (piece.item >= 0 && I(piece.item).IsFigure())) {
        if (!open.empty()) {
          std::string value = piece.item >= 0 && at == std::string::npos ? I(piece.item).text : piece.compact;
          if (piece.item >= 0 && I(piece.item).IsFigure()) I(piece.item).use = Use::kStructure;  // 项目金额
          set(open, at == std::string::npos ? value : piece.compact.substr(0, at));
          open.clear();
        }
        if (at == std::string::npos || at == 0) continue;
      }
      if (!open.empty()) set(open, "");
      open.clear();
      // The labels of the piece, each with the text up to the next one.
      std::string rest = piece.compact.substr(at);
      while (field) {
        std::string key = field->key;
        rest = rest.substr(len);
        size_t next_len = 0;
        const JixiaoLabel* next = nullptr;
        size_t next_at = FindFieldLabel(rest, &next_len, &next);
        std::string value = strip_colon(rest.substr(0, next_at));
        if (value.empty() && next_at == std::string::npos) {
          open = key;
        } else {
          set(key, value);
        }
        if (next_at == std::string::npos) break;
        rest = rest.substr(next_at);
        field = next;
        len = next_len;
      }
    }
    if (!open.empty()) set(open, "");
    if (!mark_figures) return;
    for (const HeadPiece& piece : pieces) {
      if (piece.item < 0) continue;
      Item& item = I(piece.item);
      if (item.IsFigure() && item.use == Use::kNone) {
        item.use = Use::kUnmapped;
        item.why = "printed above the funds block";
      }
    }
  }

  // The lines printed with a header line: the wrapped parts of its labels
  // ("偏差原因分析及改进" / "措施", "执行率" / "(%)"), close above or below,
  // without figures, each piece over at most one header label.
  // Ruled, the row above holding only header words over several columns
  // (绩效指标 over 一级/二级/三级) belongs to it too.
  std::vector<int> HeaderZone(Draft& d, int l, const std::vector<JixiaoLabel>& labels) {
    std::vector<int> zone;
    auto fits = [&](int other, double gap) {
      const Line& line = L(other);
      if (line.has_figure || line.page != L(l).page) return false;
      if (line.cells && L(l).cells) {
        if (std::abs(gap) > 1 || other > l) return false;
        for (int index : line.items) {
          const std::string& text = s_.items[index].compact;
          if (MatchLabel(text, labels).empty() && !ContainsAny(text, schema_.header_group_labels)) return false;
        }
        return true;
      }
      if (line.cells || L(l).cells) return false;
      if (gap > 0.6 * std::min(line.h, L(l).h)) return false;
      for (int index : line.items) {
        int over = 0;
        for (int header : L(l).items) {
          const Item& a = s_.items[index];
          const Item& b = s_.items[header];
          over += std::min(a.x1(), b.x1()) - std::max(a.x0(), b.x0()) > 0;
        }
        if (over > 1) return false;
      }
      return true;
    };
    double top = L(l).y0;
    while (!d.pending.empty() && fits(d.pending.back(), top - L(d.pending.back()).y1)) {
      top = L(d.pending.back()).y0;
      zone.insert(zone.begin(), d.pending.back());
      d.pending.pop_back();
    }
    zone.push_back(l);
    double bottom = L(l).y1;
    for (size_t next = l + 1; next < s_.lines.size(); ++next) {
      int n = static_cast<int>(next);
      if (consumed_[next] || !fits(n, L(n).y0 - bottom)) break;
      if (HasLabel(n, schema_.total_labels) || HasLabel(n, schema_.grade_labels)) break;
      consumed_[next] = true;
      bottom = L(n).y1;
      zone.push_back(n);
    }
    for (int z : zone) Claim(z);
    return zone;
  }

  // The columns of a header: its pieces stacked where they overlap (a label
  // wrapped over lines), named by the schema's labels.
  Columns HeaderColumns(const std::vector<int>& zone, int main, const std::vector<JixiaoLabel>& labels,
                        size_t max_size, bool open_left, Draft* funds) {
    struct Stack {
      double x0, x1;
      std::string text;
    };
    std::vector<Stack> stacks;
    for (int index : L(main).items) {
      const Item& item = s_.items[index];
      stacks.push_back({item.x0(), item.x1(), item.compact});
    }
    // The wrapped parts: above the main line bottom up, then below it.
    std::vector<std::pair<int, bool>> parts;  // (line, above)
    size_t at = std::find(zone.begin(), zone.end(), main) - zone.begin();
    for (size_t z = at; z-- > 0;) parts.push_back({zone[z], true});
    for (size_t z = at + 1; z < zone.size(); ++z) parts.push_back({zone[z], false});
    for (const auto& [z, above] : parts) {
      for (int index : L(z).items) {
        const Item& item = s_.items[index];
        Stack* into = nullptr;
        int over = 0;
        for (Stack& stack : stacks) {
          if (std::min(stack.x1, item.x1()) - std::max(stack.x0, item.x0()) > 0) {
            into = &stack;
            ++over;
          }
        }
        if (over > 1) continue;  // a group header over several columns
        if (!into) {
          stacks.push_back({item.x0(), item.x1(), item.compact});
          continue;
        }
        into->text = above ? item.compact + into->text : into->text + item.compact;
        into->x0 = std::min(into->x0, item.x0());
        into->x1 = std::max(into->x1, item.x1());
      }
    }
    // Header cells merged over two header rows (绩效指标 over 一级/二级/三级,
    // 年度指标值 beside them spanning both).
    for (int index : s_.spanning) {
      Item& item = I(index);
      if (item.use != Use::kNone || item.IsFigure() || item.page != L(main).page) continue;
      if (L(main).cy < item.y0 || L(main).cy > item.y1) continue;
      if (item.compact.size() > max_size || MatchLabel(item.compact, labels).empty()) continue;
      bool overlaps = false;
      for (const Stack& stack : stacks) overlaps = overlaps || (std::min(stack.x1, item.x1()) - std::max(stack.x0, item.x0()) > 0);
      if (overlaps) continue;
      item.evaluation = Current();
      item.use = Use::kStructure;
      stacks.push_back({item.x0(), item.x1(), item.compact});
    }
    Columns columns;
    for (const Stack& stack : stacks) {
      std::string key = stack.text.size() <= max_size ? MatchLabel(stack.text, labels) : "";
      if (funds && key.empty()) {
        // "(%)" printed in a cell of its own marks the rate as a percentage;
        // "项目资金（元）" beside the header declares the unit.
        if (stack.text == "(%)" || stack.text == "%") {
          funds->ev.rate_percent = true;
          continue;
        }
        if (!UnitOf(stack.text).empty()) {
          funds->ev.unit = funds->table.unit = UnitOf(stack.text);
          continue;
        }
        if (ContainsAny(stack.text, schema_.funds_block_labels)) continue;
      }
      if (funds && key == "执行率" && stack.text.find('%') != std::string::npos) funds->ev.rate_percent = true;
      bool dup = false;
      for (const Column& c : columns.cols) dup = dup || (!key.empty() && c.key == key);
      columns.cols.push_back(Column{dup ? "" : key, stack.text, stack.x0, stack.x1});
    }
    jixiao::SetBounds(columns, open_left);
    FillHeaderGaps(columns.cols, labels);
    // Headers of a label column left of the value columns (项目资金 spanning
    // the funds rows) are no value column.
    if (funds) {
      while (!columns.cols.empty() && columns.cols.front().key.empty()) columns.cols.erase(columns.cols.begin());
      jixiao::SetBounds(columns, false);
    }
    return columns;
  }

  void ReadGoalsHeader(Draft& d, int l) {
    d.goal_cols = Columns();
    for (int index : L(l).items) {
      const Item& item = s_.items[index];
      std::string text = StripColon(item.compact);
      if (IsTarget(d)) {
        if (IsLabelCell(text, schema_.target.goal_project_labels)) {
          d.goal_cols.cols.push_back(Column{"project", text, item.x0(), item.x1()});
        } else if (IsLabelCell(text, schema_.target.goal_expected_labels)) {
          d.goal_cols.cols.push_back(Column{"expected", text, item.x0(), item.x1()});
        }
        continue;
      }
      if (IsLabelCell(text, schema_.goal_expected_labels)) {
        d.goal_cols.cols.push_back(Column{"expected", text, item.x0(), item.x1()});
      } else if (IsLabelCell(text, schema_.goal_actual_labels)) {
        d.goal_cols.cols.push_back(Column{"actual", text, item.x0(), item.x1()});
      }
    }
    jixiao::SetBounds(d.goal_cols, true);
  }

  // ---- sections ----

  // The pieces of a section: its lines' and the merged cells spanning rows
  // that start within them.
  std::vector<int> SectionItems(const std::vector<int>& lines) {
    std::vector<int> out;
    if (lines.empty()) return out;
    for (int l : lines) out.insert(out.end(), L(l).items.begin(), L(l).items.end());
    double y0 = L(lines.front()).y0, y1 = L(lines.back()).y1;
    for (int index : s_.spanning) {
      Item& item = I(index);
      if (item.evaluation >= 0 && item.evaluation != Current()) continue;
      if (item.use != Use::kNone || item.cy() < y0 || item.cy() > y1) continue;
      bool taken = false;
      for (int o : out) taken = taken || o == index;
      if (taken) continue;
      item.evaluation = Current();
      out.push_back(index);
    }
    return out;
  }

  void Flush(Draft& d) {
    std::vector<int> lines = std::move(d.pending);
    d.pending.clear();
    if (lines.empty()) return;
    switch (d.section) {
      case Section::kFunds: ReadFunds(d, lines); break;
      case Section::kTargetFunds: ReadTargetFunds(d, lines); break;
      case Section::kGoals: ReadGoals(d, lines); break;
      case Section::kIndicators: ReadIndicators(d, lines); break;
      case Section::kHead:
      case Section::kTail: break;
    }
  }

  void Unmapped(Item& item, const std::string& why) {
    if (!item.IsFigure() || item.use != Use::kNone) return;
    item.use = Use::kUnmapped;
    item.why = why;
  }

  JixiaoFigure FigureOf(Draft& d, const Item& item) {
    JixiaoFigure f;
    f.printed = item.text;
    if (item.figure.kind == FigureKind::kNumber) f.value = item.figure.value;
    f.unreadable = item.figure.kind == FigureKind::kUnreadable;
    f.page = item.page;
    f.grid = GridIndex(d, item);
    f.row = item.cell_row;
    f.col = item.cell_col;
    f.box = item.box;
    return f;
  }

  int GridIndex(Draft& d, const Item& item) {
    const TableGrid& grid = candidates_[item.candidate].grids[item.grid];
    for (size_t g = 0; g < d.table.grids.size(); ++g) {
      if (d.table.grids[g].page == grid.page && SameBox(d.table.grids[g].box, grid.box)) return static_cast<int>(g);
    }
    d.table.grids.push_back(grid);
    if (std::find(d.table.pages.begin(), d.table.pages.end(), grid.page) == d.table.pages.end()) {
      d.table.pages.push_back(grid.page);
    }
    return static_cast<int>(d.table.grids.size()) - 1;
  }

  // A figure keyed (row, col): a fact, or an unreadable finding, or (when
  // the key is taken) an unmapped figure.
  std::optional<JixiaoFigure> AddFact(Draft& d, const std::string& row, const std::string& col, Item& item) {
    if (item.use != Use::kNone) return std::nullopt;
    for (const Fact& existing : d.table.facts) {
      if (existing.row == row && existing.col == col) {
        Unmapped(item, row + " " + col + " is printed twice in the table (first on p" +
                           std::to_string(existing.page) + ")");
        return std::nullopt;
      }
    }
    JixiaoFigure f = FigureOf(d, item);
    if (f.unreadable) {
      Finding finding;
      finding.kind = "unreadable";
      finding.message = d.ev.table + " p" + std::to_string(f.page) + " r" + std::to_string(f.row) + " c" +
                        std::to_string(f.col) + ": " + row + " " + col + " printed '" + f.printed +
                        "' is not a figure";
      finding.cells.push_back(FindingCell{d.ev.table, row, col, f.page, f.box, f.printed});
      finding.place = FindingPlace{f.page, f.box, f.printed};
      findings_->push_back(std::move(finding));
      item.use = item.text.find('#') != std::string::npos ? Use::kFact : Use::kUnmapped;
      item.why = "";  // the unreadable finding says it
      return f;
    }
    Fact fact = jixiao::FactOf(item, d.ev.table, row, col);
    fact.grid = f.grid;
    d.table.facts.push_back(std::move(fact));
    item.use = Use::kFact;
    return f;
  }

  // Funds rows: a line of figures in the funds columns each, its label the
  // pieces left of them (wrapped labels joined by layout).
  // The 按收入性质分 / 按支出性质分 block of a Hunan 整体支出 table prints each
  // amount after its label and a colon inside one cell ("其中：一般公共预算：
  // 132.90"); the cell belongs to the split heading whose column it starts
  // in. Such a cell becomes the figure it ends with, keyed <split>:<label>.
  void ReadFundsSplits(Draft& d, const std::vector<int>& items) {
    std::vector<std::pair<double, std::string>> heads;  // x0, split key
    for (int index : items) {
      const std::string key = MatchLabel(I(index).compact, schema_.funds_splits);
      if (!key.empty()) heads.push_back({I(index).x0(), key});
    }
    if (heads.empty()) return;
    std::sort(heads.begin(), heads.end());
    for (int index : items) {
      Item& item = I(index);
      if (item.use != Use::kNone || item.IsFigure()) continue;
      std::string split;
      for (const auto& [x0, key] : heads) {
        if (x0 <= item.x0() + 1.0) split = key;
      }
      std::string label, amount;
      if (split.empty() || !LabelledAmount(item, &label, &amount)) continue;
      item.text = amount;
      item.figure = ParseFigure(amount);
      AddFact(d, split + ":" + label, schema_.funds_split_col, item);
    }
  }

  // "其中：一般公共预算：78.18" → 一般公共预算, 78.18: from the cell's reading,
  // else from the first of its OCR alternatives that has the shape (a reading
  // snapped to a vocabulary label loses the amount; OCR reads the colon as
  // "." or ","). False when no reading ends with an amount after a label.
  static bool LabelledAmount(const Item& item, std::string* label, std::string* amount) {
    static const std::regex kShape(R"(^(?:其中)?[:.,”“]*(\D*[^\d:.,”“])[:.,”“]+(\d[\d,]*(?:\.\d+)?)$)");
    std::vector<std::string> readings{item.compact};
    for (const std::string& alternative : item.alternatives) readings.push_back(CompactText(alternative));
    for (const std::string& reading : readings) {
      std::smatch m;
      if (!std::regex_match(reading, m, kShape)) continue;
      *label = m[1].str();
      *amount = m[2].str();
      return ParseFigure(*amount).kind == FigureKind::kNumber;
    }
    return false;
  }

  void ReadFunds(Draft& d, const std::vector<int>& lines) {
    std::vector<int> items = SectionItems(lines);
    if (d.funds_cols.empty()) {
      for (int index : items) Unmapped(I(index), "the funds block has no readable header");
      return;
    }
    ReadFundsSplits(d, items);
    const double value_lo = d.funds_cols.cols.front().lo;
    std::vector<Anchor> anchors;
    for (int l : lines) {
      for (int index : L(l).items) {
        const Item& item = s_.items[index];
        if (item.use == Use::kFact) continue;  // a split amount, read already
        if (item.cx() >= value_lo && (item.IsFigure() || item.IsDash())) {
          anchors.push_back(Anchor{l, L(l).page, L(l).cy});
          break;
        }
      }
    }
    std::vector<int> label_items;
    for (int index : items) {
      Item& item = I(index);
      if (item.cx() >= value_lo && !item.spans_rows) continue;
      if (item.IsFigure()) {
        Unmapped(item, "left of the funds columns, beside no row");
        continue;
      }
      label_items.push_back(index);
    }
    std::vector<Block> blocks = jixiao::GroupBlocks(s_, label_items, false);
    std::vector<Block> row_blocks;
    for (const Block& block : blocks) {
      std::string text = block.Compact(s_);
      bool declares = ContainsAny(text, schema_.funds_block_labels);
      if (declares && !UnitOf(text).empty()) d.ev.unit = d.table.unit = UnitOf(text);
      if (declares && MatchLabel(text, schema_.funds_rows).empty()) continue;
      row_blocks.push_back(block);
    }
    std::vector<std::vector<int>> labels = AssignBlocks(s_, row_blocks, anchors, nullptr);
    for (size_t a = 0; a < anchors.size(); ++a) {
      const Line& line = L(anchors[a].line);
      std::string label = JoinText(s_, labels[a]);
      std::string key = MatchLabel(CompactText(label), schema_.funds_rows);
      int figures = 0;
      for (int index : line.items) figures += s_.items[index].IsFigure() && s_.items[index].cx() >= value_lo;
      bool read_by_ocr = false;
      for (int index : labels[a]) read_by_ocr = read_by_ocr || s_.items[index].source == TextSource::kOcr;
      if (key.empty() && figures > 0 && (CompactText(label).empty() || read_by_ocr)) {
        // A label misread by OCR or not printed: the rows keep their order,
        // so a row of figures right after a known one is the next. A label
        // printed and read is no template row (整体支出 tables add others).
        size_t next = 0;
        if (!d.ev.funds.empty()) {
          while (next < schema_.funds_rows.size() && schema_.funds_rows[next].key != d.ev.funds.back().key) ++next;
          ++next;
        }
        if (next < schema_.funds_rows.size()) key = schema_.funds_rows[next].key;
      }
      if (key.empty()) {
        std::string why = CompactText(label).empty() ? std::string("a funds row without a label")
                                                      : "funds row '" + CompactText(label) + "' is no row of the template";
        for (int index : line.items) Unmapped(I(index), why);
        continue;
      }
      bool seen = false;
      for (const JixiaoFundsRow& existing : d.ev.funds) seen = seen || existing.key == key;
      if (seen) {
        for (int index : line.items) Unmapped(I(index), "funds row " + key + " is printed twice");
        continue;
      }
      JixiaoFundsRow row;
      row.key = key;
      row.label = label;
      bool scored = std::find(schema_.scored_funds_rows.begin(), schema_.scored_funds_rows.end(), key) !=
                    schema_.scored_funds_rows.end();
      for (int index : line.items) {
        Item& item = I(index);
        if (item.cx() < value_lo || !item.IsFigure()) continue;
        std::string col = d.funds_cols.KeyAt(item.cx());
        if (col.empty()) {
          Unmapped(item, "under no funds column");
          continue;
        }
        if (!scored && (col == "分值" || col == "得分") && item.source == TextSource::kOcr) {
          // The template prints "—" there: what OCR reads is noise.
          item.use = Use::kIgnored;
          continue;
        }
        if (row.Find(col)) {
          Unmapped(item, "a second figure under " + col + " in row " + key);
          continue;
        }
        if (auto f = AddFact(d, key, col, item)) row.figures.push_back({col, *f});
      }
      d.ev.funds.push_back(std::move(row));
    }
    for (int index : items) Unmapped(I(index), "in the funds block, in no row");
  }

  void ReadGoals(Draft& d, const std::vector<int>& lines) {
    if (IsTarget(d)) return ReadTargetGoals(d, lines);
    std::vector<int> items = SectionItems(lines);
    std::vector<int> expected, actual;
    for (int index : items) {
      Item& item = I(index);
      if (IsLabelCell(StripColon(item.compact), schema_.goal_block_labels)) continue;
      // "年度总体目标" run together with the text beside it.
      for (const std::string& label : schema_.goal_block_labels) {
        if (!StartsWith(item.compact, label)) continue;
        item.text = item.compact.substr(label.size());
        item.compact = item.text;
        break;
      }
      if (item.IsFigure()) item.use = Use::kStructure;
      std::string key = d.goal_cols.cols.size() == 2 ? d.goal_cols.KeyAt(item.cx()) : "expected";
      (key == "actual" ? actual : expected).push_back(index);
    }
    AppendParagraph(d.ev.goal_expected, ParagraphsOf(expected));
    AppendParagraph(d.ev.goal_actual, ParagraphsOf(actual));
  }

  // The text of goal pieces, block by block, one paragraph each.
  std::string ParagraphsOf(const std::vector<int>& part) const {
    std::string out;
    for (const Block& block : jixiao::GroupBlocks(s_, part, true)) AppendParagraph(out, block.Text(s_));
    return out;
  }

  // The goals of a target form: the texts under 项目总目标 and 年度总体目标
  // (one column: the year's); the block's label (项目绩效目标) beside them.
  void ReadTargetGoals(Draft& d, const std::vector<int>& lines) {
    std::vector<int> items = SectionItems(lines);
    // The block's label, wrapped over lines ("项目绩效" / "目标") or not.
    std::set<int> label_items;
    for (const Block& block : jixiao::GroupBlocks(s_, items, false)) {
      if (IsLabelCell(StripColon(block.Compact(s_)), schema_.target.goal_block_labels)) {
        label_items.insert(block.items.begin(), block.items.end());
      }
    }
    std::vector<int> project, expected;
    for (int index : items) {
      Item& item = I(index);
      if (item.IsFigure()) item.use = Use::kStructure;
      if (label_items.count(index)) continue;
      std::string key = d.goal_cols.cols.size() >= 2 ? d.goal_cols.KeyAt(item.cx())
                        : d.goal_cols.cols.size() == 1 ? d.goal_cols.cols.front().key
                                                       : "expected";
      (key == "project" ? project : expected).push_back(index);
    }
    AppendParagraph(d.ev.goal_project, ParagraphsOf(project));
    AppendParagraph(d.ev.goal_expected, ParagraphsOf(expected));
  }

  // The funds block of a target form, two sides printed side by side (the
  // whole project left: 项目资金总额 / 其中：财政资金 / 其他资金; the year's
  // application right: 年度资金申请总额 / 其中：当年财政拨款 / 上年结转资金 /
  // 其他资金): each figure takes the row label nearest left of it on its
  // row (cells spanning rows included) and the column of that label's side
  // (schema target.funds_sides), so the rows both sides print (其他资金) keep
  // apart. A label both sides print takes the side of the labels it is
  // aligned with. The block's label (项目资金（元）) gives the unit.
  void ReadTargetFunds(Draft& d, const std::vector<int>& lines) {
    std::vector<int> items = SectionItems(lines);
    struct RowLabel {
      Block block;  // the label, wrapped lines joined
      int side;
      std::string key;
      std::string text;
    };
    std::vector<RowLabel> labels;
    std::vector<int> figures, words;
    for (int index : items) (I(index).IsFigure() ? figures : words).push_back(index);
    std::vector<Block> blocks = jixiao::GroupBlocks(s_, words, false);
    // A label wrapped in a cell spanning rows ("其中：财政资" / "金") may lie
    // across a rule the other side prints between its rows: a block that
    // names no row joins the one just below it when together they name one.
    auto names_row = [&](const std::string& compact) {
      int side;
      std::string key;
      return TargetFundsLabel(compact, &side, &key);
    };
    std::vector<bool> merged(blocks.size(), false);
    for (size_t i = 0; i < blocks.size(); ++i) {
      if (merged[i] || names_row(blocks[i].Compact(s_))) continue;
      for (size_t j = i + 1; j < blocks.size(); ++j) {
        Block& a = blocks[i];
        Block& b = blocks[j];
        if (merged[j] || b.page != a.page || std::min(a.x1, b.x1) - std::max(a.x0, b.x0) <= 0) continue;
        double h = std::min(I(a.items.back()).h, I(b.items.front()).h);
        if (b.y0 - a.y1 > 0.5 * h || b.y0 < a.y0) continue;
        if (!names_row(a.Compact(s_) + b.Compact(s_))) continue;
        a.items.insert(a.items.end(), b.items.begin(), b.items.end());
        a.y1 = std::max(a.y1, b.y1);
        a.x0 = std::min(a.x0, b.x0);
        a.x1 = std::max(a.x1, b.x1);
        merged[j] = true;
        break;
      }
    }
    for (size_t i = 0; i < blocks.size(); ++i) {
      if (merged[i]) continue;
      const Block& block = blocks[i];
      std::string compact = block.Compact(s_);
      int side = -1;
      std::string key;
      if (TargetFundsLabel(compact, &side, &key)) {
        labels.push_back({block, side, key, block.Text(s_)});
      } else if (IsLabelCell(StripColon(compact), schema_.target.funds_block_labels) && !UnitOf(compact).empty()) {
        d.ev.unit = d.table.unit = UnitOf(compact);
      }
    }
    // Labels both sides print: the side of the one-sided label nearest in x.
    for (RowLabel& label : labels) {
      if (label.side >= 0) continue;
      double best = kInf;
      for (const RowLabel& other : labels) {
        if (other.side < 0) continue;
        double dx = std::abs(other.block.x0 - label.block.x0);
        if (dx < best) {
          best = dx;
          label.side = other.side;
        }
      }
      if (label.side < 0) label.side = 0;
    }
    std::sort(figures.begin(), figures.end(), [&](int a, int b) {
      const Item& x = I(a);
      const Item& y = I(b);
      return x.page != y.page ? x.page < y.page : x.cy() != y.cy() ? x.cy() < y.cy() : x.x0() < y.x0();
    });
    for (int index : figures) {
      Item& figure = I(index);
      const RowLabel* owner = nullptr;
      for (const RowLabel& label : labels) {
        const Block& block = label.block;
        if (block.page != figure.page || block.x1 > figure.x0() + 0.5 * figure.h) continue;
        double overlap = std::min(block.y1, figure.y1) - std::max(block.y0, figure.y0);
        if (overlap < 0.4 * std::min(block.y1 - block.y0, figure.y1 - figure.y0)) continue;
        if (!owner || block.x1 > owner->block.x1) owner = &label;
      }
      if (!owner) {
        Unmapped(figure, "in the funds block, beside no funds row label");
        continue;
      }
      const std::string& col = schema_.target.funds_sides[owner->side].col;
      std::optional<JixiaoFigure> f = AddFact(d, owner->key, col, figure);
      if (!f) continue;
      JixiaoFundsRow* row = nullptr;
      for (JixiaoFundsRow& r : d.ev.funds) row = r.key == owner->key ? &r : row;
      if (!row) {
        d.ev.funds.push_back(JixiaoFundsRow{owner->key, owner->text, {}});
        row = &d.ev.funds.back();
      }
      row->figures.push_back({col, *f});
    }
    for (int index : items) Unmapped(I(index), "in the funds block, in no row");
  }

  // Indicator rows: a line with figures under 分值/得分 each, or a 三级指标
  // printed without them; names, values and reasons wrapped over lines are
  // joined by layout; 一级/二级 labels printed once for a run of rows are
  // shared out over it.
  void ReadIndicators(Draft& d, const std::vector<int>& lines) {
    std::vector<int> items = SectionItems(lines);
    const Columns& cols = d.indicator_cols;
    if (cols.empty()) {
      for (int index : items) Unmapped(I(index), "the indicator block has no readable header");
      return;
    }
    std::map<std::string, std::vector<int>> by_col;
    std::vector<Anchor> rows;
    std::set<int> anchor_lines;
    for (int l : lines) {
      for (int index : L(l).items) {
        const Item& item = s_.items[index];
        std::string key = cols.KeyAt(item.cx());
        if ((key == "分值" || key == "得分") && item.IsFigure()) {
          rows.push_back(Anchor{l, L(l).page, L(l).cy});
          anchor_lines.insert(l);
          break;
        }
      }
    }
    const std::map<int, std::string> keys = IndicatorColumns(items, cols);
    for (int index : items) {
      Item& item = I(index);
      const std::string& key = keys.at(index);
      if (key == "分值" || key == "得分") {
        if (item.IsFigure() && anchor_lines.count(item.line)) continue;  // read with its row
        if (item.IsFigure()) Unmapped(item, "under " + key + " in no indicator row");
        continue;
      }
      if (item.IsFigure() && key != "年度指标值" && key != "实际完成值") {
        Unmapped(item, key.empty() ? std::string("under no indicator column") : "a figure under " + key);
        continue;
      }
      // 绩效指标 printed beside the rows, in a column of its own left of 一级指标.
      if ((key.empty() || key == "一级指标") && !item.IsFigure() &&
          std::find(schema_.header_group_labels.begin(), schema_.header_group_labels.end(),
                    StripColon(item.compact)) != schema_.header_group_labels.end()) {
        continue;
      }
      if (item.IsFigure()) item.use = Use::kStructure;
      by_col[key].push_back(index);
    }
    // Names: a 三级指标 near no figure line is an indicator of its own.
    std::vector<const Block*> alone;
    std::vector<Block> names = jixiao::GroupBlocks(s_, by_col["三级指标"], true);
    std::vector<std::vector<int>> name_items = AssignBlocks(s_, names, rows, &alone);
    for (const Block* block : alone) {
      rows.push_back(Anchor{-1, block->page, block->cy()});
      name_items.push_back(block->items);
    }
    std::vector<size_t> order(rows.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return rows[a].page != rows[b].page ? rows[a].page < rows[b].page : rows[a].cy < rows[b].cy;
    });
    std::vector<Anchor> sorted;
    std::vector<std::vector<int>> sorted_names;
    for (size_t i : order) {
      sorted.push_back(rows[i]);
      sorted_names.push_back(name_items[i]);
    }
    rows = std::move(sorted);
    name_items = std::move(sorted_names);
    // Values and reasons: to their row, else to the nearest one.
    auto share = [&](const std::string& key) {
      std::vector<const Block*> rest;
      std::vector<Block> blocks = jixiao::GroupBlocks(s_, by_col[key], true);
      std::vector<std::vector<int>> out = AssignBlocks(s_, blocks, rows, &rest);
      for (const Block* block : rest) {
        int best = -1;
        for (size_t r = 0; r < rows.size(); ++r) {
          if (rows[r].page != block->page) continue;
          if (best < 0 || std::abs(rows[r].cy - block->cy()) < std::abs(rows[best].cy - block->cy())) {
            best = static_cast<int>(r);
          }
        }
        if (best >= 0) out[best].insert(out[best].end(), block->items.begin(), block->items.end());
      }
      return out;
    };
    std::vector<std::vector<int>> targets = share("年度指标值");
    std::vector<std::vector<int>> actuals = share("实际完成值");
    std::vector<std::vector<int>> reasons = share("偏差原因分析及改进措施");
    // The extent of each row's text (its line, name, values, reason).
    std::vector<RowExtent> extents(rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
      RowExtent& x = extents[r];
      x.y0 = x.y1 = rows[r].cy;
      if (rows[r].line >= 0) {
        x.y0 = std::min(x.y0, L(rows[r].line).y0);
        x.y1 = std::max(x.y1, L(rows[r].line).y1);
      }
      for (const std::vector<std::vector<int>>* part : {&name_items, &targets, &actuals, &reasons}) {
        for (int index : (*part)[r]) {
          x.y0 = std::min(x.y0, I(index).y0);
          x.y1 = std::max(x.y1, I(index).y1);
        }
      }
    }
    std::vector<std::string> level1 = Levels(d, rows, extents, by_col["一级指标"], d.level1);
    std::vector<std::string> level2 = Levels(d, rows, extents, by_col["二级指标"], d.level2);
    for (size_t r = 0; r < rows.size(); ++r) {
      JixiaoIndicator ind;
      ind.level3 = CompactText(JoinText(s_, name_items[r]));
      for (int index : name_items[r]) ind.level3_confidence = std::min(ind.level3_confidence, I(index).confidence);
      ind.level1 = level1[r];
      ind.level2 = level2[r];
      ind.target = ParseIndicatorValue(JoinText(s_, targets[r]));
      ind.actual = ParseIndicatorValue(JoinText(s_, actuals[r]));
      ind.deviation = JoinText(s_, reasons[r]);
      std::string key = "指标:" + ind.level3;
      if (rows[r].line >= 0) {
        for (int index : L(rows[r].line).items) {
          Item& item = I(index);
          std::string col = cols.KeyAt(item.cx());
          if ((col != "分值" && col != "得分") || !item.IsFigure()) continue;
          std::optional<JixiaoFigure>& slot = col == "分值" ? ind.weight : ind.score;
          if (slot) {
            Unmapped(item, "a second figure under " + col + " in one indicator row");
          } else if (ind.level3.empty()) {
            Unmapped(item, "an indicator row without a 三级指标 name");
          } else {
            slot = AddFact(d, key, col, item);
          }
        }
      }
      d.level1 = ind.level1;
      d.level2 = ind.level2;
      d.indicator_pages.insert(rows[r].page);
      if (ind.level3.empty() && !ind.weight && !ind.score) continue;
      d.ev.indicators.push_back(std::move(ind));
    }
    for (int index : items) Unmapped(I(index), "in the indicator block, in no row");
  }

  // The 一级/二级 label of each row.
  // The column of each piece of the indicator block, by its centre; but a
  // short last line of a wrapped, left-aligned name ("…评估认" / "定") may
  // centre under the column to its left: it takes the column of the longer
  // piece it is left-aligned with on a neighbouring line.
  std::map<int, std::string> IndicatorColumns(const std::vector<int>& items, const Columns& cols) const {
    std::map<int, std::string> keys;
    for (int index : items) keys[index] = cols.KeyAt(s_.items[index].cx());
    for (int index : items) {
      const Item& item = s_.items[index];
      if (item.IsFigure() || item.is_cell) continue;
      for (int other : items) {
        const Item& o = s_.items[other];
        if (other == index || o.IsFigure() || o.is_cell || o.page != item.page || keys[other] == keys[index]) continue;
        const double h = std::min(item.h, o.h);
        if (std::abs(o.x0() - item.x0()) > 0.5 * h || std::abs(o.cy() - item.cy()) > 2.5 * std::max(item.h, o.h)) continue;
        if (o.box.width() <= item.box.width()) continue;
        keys[index] = keys[other];
        break;
      }
    }
    return keys;
  }

  std::vector<std::string> Levels(const Draft& d, const std::vector<Anchor>& rows,
                                  const std::vector<RowExtent>& extents, const std::vector<int>& items,
                                  const std::string& previous) {
    std::vector<std::string> out(rows.size(), previous);
    std::vector<Block> blocks = jixiao::GroupBlocks(s_, items, true);
    size_t begin = 0;
    while (begin < rows.size()) {
      size_t end = begin;
      while (end < rows.size() && rows[end].page == rows[begin].page) ++end;
      int page = rows[begin].page;
      std::vector<RowExtent> page_rows(extents.begin() + begin, extents.begin() + end);
      std::vector<Block> labels;
      std::vector<double> tol;
      for (const Block& block : blocks) {
        if (block.page != page) continue;
        // 绩效指标 printed beside the rows, wrapped ("绩效指" / "标").
        const std::vector<std::string>& group = schema_.header_group_labels;
        if (std::find(group.begin(), group.end(), StripColon(block.Compact(s_))) != group.end()) continue;
        labels.push_back(block);
        double h = kInf;
        bool cells = false;
        for (int index : block.items) {
          h = std::min(h, s_.items[index].h);
          cells = cells || s_.items[index].is_cell;
        }
        tol.push_back(cells ? 0.0 : 0.35 * h);
      }
      bool continuation = (!d.indicator_pages.empty() && !d.indicator_pages.count(page)) || begin > 0;
      std::vector<int> at = AssignLevels(page_rows, labels, tol, continuation);
      std::string carry = begin > 0 ? out[begin - 1] : previous;
      for (size_t r = begin; r < end; ++r) {
        out[r] = at[r - begin] >= 0 ? CompactText(labels[at[r - begin]].Text(s_)) : carry;
      }
      begin = end;
    }
    return out;
  }

  void ReadTotal(Draft& d, int l) {
    std::vector<int> numbers;
    std::optional<JixiaoFigure> weight, score;
    for (int index : L(l).items) {
      Item& item = I(index);
      if (!item.IsFigure()) continue;
      std::string col = d.indicator_cols.KeyAt(item.cx());
      if (col == "分值" && !weight) weight = AddFact(d, "总分", "分值", item);
      else if (col == "得分" && !score) score = AddFact(d, "总分", "得分", item);
      else numbers.push_back(index);
    }
    if ((!weight || !score) && !numbers.empty()) {
      // Shifted or merged cells: the numbers of the row, left to right.
      if (!weight && !score && numbers.size() >= 2) {
        weight = AddFact(d, "总分", "分值", I(numbers[numbers.size() - 2]));
        score = AddFact(d, "总分", "得分", I(numbers.back()));
      } else if (!score) {
        score = AddFact(d, "总分", "得分", I(numbers.back()));
      } else if (!weight) {
        weight = AddFact(d, "总分", "分值", I(numbers.front()));
      }
    }
    for (int index : L(l).items) Unmapped(I(index), "a further figure in the 总分 row");
    if (weight) d.ev.total_weight = weight;
    if (score) d.ev.total_score = score;
  }

  void ReadGrade(Draft& d, int l) {
    const std::vector<int>& items = L(l).items;
    for (size_t i = 0; i < items.size(); ++i) {
      if (!IsLabelCell(StripColon(I(items[i]).compact), schema_.grade_labels)) continue;
      for (size_t k = i + 1; k < items.size(); ++k) {
        Item& item = I(items[k]);
        if (item.compact.empty()) continue;
        d.ev.grade = item.compact;
        d.ev.grade_cell = FigureOf(d, item);
        if (item.IsFigure()) item.use = Use::kStructure;
        break;
      }
      break;
    }
    for (int index : items) Unmapped(I(index), "in the 评分等级 row");
  }

  Stream& s_;
  const std::vector<Table>& candidates_;
  const JixiaoSchema& schema_;
  std::vector<Finding>* findings_;
  std::vector<bool> consumed_;
  std::vector<Draft> drafts_;
  std::vector<int> caption_;  // lines seen while no evaluation was open
  std::vector<JixiaoLabel> head_fields_;
  std::vector<std::string> field_labels_;
};

// Below this OCR confidence a 三级指标 name may be a misreading.
constexpr float kRepairBelowConfidence = 80.0f;

// Positions where two names of equal length differ; -1 when the lengths differ.
int Differences(const std::u32string& a, const std::u32string& b) {
  if (a.size() != b.size()) return -1;
  int n = 0;
  for (size_t i = 0; i < a.size(); ++i) n += a[i] != b[i];
  return n;
}

// The repaired name, or "" when no repair applies.
std::string RepairedName(const JixiaoIndicator& ind, const Draft& own, const std::vector<Draft>& drafts,
                         const JixiaoSchema& schema) {
  std::u32string name = DecodeUtf8(ind.level3);
  if (name.size() < 3) return "";
  // The same indicator read in another table; never a sibling of its own
  // table (打印机数量 and 速印机数量 are two indicators).
  auto in_own = [&](const std::string& level3) {
    for (const JixiaoIndicator& sibling : own.ev.indicators) {
      if (sibling.level3 == level3) return true;
    }
    return false;
  };
  const JixiaoIndicator* best = nullptr;
  for (const Draft& d : drafts) {
    if (&d == &own) continue;
    for (const JixiaoIndicator& other : d.ev.indicators) {
      if (in_own(other.level3)) continue;
      if (other.level3_confidence <= ind.level3_confidence) continue;
      if (Differences(name, DecodeUtf8(other.level3)) != 1) continue;
      if (!best || other.level3_confidence > best->level3_confidence) best = &other;
    }
  }
  if (best) return best->level3;
  // The usual endings (满意度, 及时率): a name that ends with none of them
  // but one character away from one ends with it.
  for (const std::string& term : schema.indicator_terms) {
    std::u32string ending = DecodeUtf8(term);
    if (name.size() >= ending.size() && name.compare(name.size() - ending.size(), ending.size(), ending) == 0) {
      return "";
    }
  }
  for (const std::string& term : schema.indicator_terms) {
    std::u32string ending = DecodeUtf8(term);
    if (ending.size() < 3 || name.size() <= ending.size()) continue;
    size_t at = name.size() - ending.size();
    if (Differences(name.substr(at), ending) == 1) return EncodeUtf8(name.substr(0, at) + ending);
  }
  return "";
}

bool IsFactOf(const Fact& fact, const std::optional<JixiaoFigure>& figure) {
  return figure && fact.page == figure->page && SameBox(fact.box, figure->box);
}

// Renames misread low-confidence 三级指标 names, with their facts.
void RepairIndicatorNames(std::vector<Draft>& drafts, const JixiaoSchema& schema) {
  std::vector<std::tuple<Draft*, JixiaoIndicator*, std::string>> repairs;
  for (Draft& d : drafts) {
    for (JixiaoIndicator& ind : d.ev.indicators) {
      if (ind.level3_confidence >= kRepairBelowConfidence) continue;
      std::string repaired = RepairedName(ind, d, drafts, schema);
      if (!repaired.empty()) repairs.push_back({&d, &ind, repaired});
    }
  }
  // Applied after every decision, so that a repair never feeds another.
  for (auto& [d, ind, repaired] : repairs) {
    for (Fact& fact : d->table.facts) {
      if (fact.row == "指标:" + ind->level3 && (IsFactOf(fact, ind->weight) || IsFactOf(fact, ind->score))) {
        fact.row = "指标:" + repaired;
      }
    }
    ind->level3 = repaired;
  }
}

// A project name read by OCR is checked against the other places its table
// prints it (the goals: "按计划完成<名称>项目各项工作"), each read on its own:
// a string of the name's length a few characters from the reading, found in
// more of the table's cells (their readings and alternatives) than the
// reading itself, replaces it. Independent misreadings rarely agree; the
// printed name does with itself. Returns the old table code → new.
std::map<std::string, std::string> RepairNamesFromOwnText(std::vector<Draft>& drafts, const Stream& stream) {
  std::map<std::string, std::string> renamed;
  for (size_t i = 0; i < drafts.size(); ++i) {
    Draft& d = drafts[i];
    const bool by_ocr = std::any_of(d.name_items.begin(), d.name_items.end(), [&](int index) {
      return stream.items[index].source == TextSource::kOcr;
    });
    const std::u32string name = DecodeUtf8(d.ev.name);
    if (!by_ocr || name.size() < 4) continue;
    const int max_differences = std::max<int>(1, static_cast<int>(name.size()) / 4);
    // candidate -> the cells holding it (a cell counts once)
    std::map<std::u32string, int> votes;
    for (size_t index = 0; index < stream.items.size(); ++index) {
      const Item& item = stream.items[index];
      if (item.evaluation != static_cast<int>(i)) continue;
      if (std::find(d.name_items.begin(), d.name_items.end(), static_cast<int>(index)) != d.name_items.end()) {
        continue;
      }
      std::set<std::u32string> seen;
      std::vector<std::string> readings = item.alternatives;
      readings.push_back(item.text);
      for (const std::string& reading : readings) {
        const std::u32string text = DecodeUtf8(CompactText(reading));
        for (size_t at = 0; at + name.size() <= text.size(); ++at) {
          std::u32string piece = text.substr(at, name.size());
          const int n = Differences(name, piece);
          if (n >= 0 && n <= max_differences) seen.insert(std::move(piece));
        }
      }
      for (const std::u32string& piece : seen) ++votes[piece];
    }
    const int own = 1 + (votes.count(name) ? votes[name] : 0);
    const std::u32string* best = nullptr;
    int best_votes = 0;
    for (const auto& [piece, n] : votes) {
      if (piece != name && n > best_votes) {
        best = &piece;
        best_votes = n;
      }
    }
    if (!best || best_votes < 2 || best_votes <= own) continue;
    const std::string old_code = d.ev.table;
    d.ev.name = EncodeUtf8(*best);
    d.ev.table = old_code.substr(0, old_code.size() - EncodeUtf8(name).size()) + d.ev.name;
    d.table.code = d.ev.table;
    for (Fact& fact : d.table.facts) fact.table = d.ev.table;
    renamed[old_code] = d.ev.table;
  }
  return renamed;
}

// Every figure of a draft's grids as JixiaoFigure::grid / Fact::grid: the
// grids in document order.
void OrderGrids(Draft& d, const std::vector<Table>& candidates, const std::set<std::pair<size_t, int>>& used) {
  std::vector<TableGrid> grids;
  for (const auto& [candidate, grid] : used) grids.push_back(candidates[candidate].grids[grid]);
  std::vector<int> remap(d.table.grids.size(), 0);
  for (size_t g = 0; g < d.table.grids.size(); ++g) {
    for (size_t k = 0; k < grids.size(); ++k) {
      if (grids[k].page == d.table.grids[g].page && SameBox(grids[k].box, d.table.grids[g].box)) {
        remap[g] = static_cast<int>(k);
      }
    }
  }
  auto fix = [&](std::optional<JixiaoFigure>& f) {
    if (f && f->grid >= 0 && f->grid < static_cast<int>(remap.size())) f->grid = remap[f->grid];
  };
  for (Fact& fact : d.table.facts) fact.grid = remap.empty() ? 0 : remap[fact.grid];
  for (JixiaoFundsRow& row : d.ev.funds) {
    for (auto& [col, f] : row.figures) f.grid = remap.empty() ? 0 : remap[f.grid];
  }
  for (JixiaoIndicator& ind : d.ev.indicators) {
    fix(ind.weight);
    fix(ind.score);
  }
  fix(d.ev.total_weight);
  fix(d.ev.total_score);
  fix(d.ev.grade_cell);
  d.table.grids = std::move(grids);
  d.table.pages.clear();
  d.ev.pages.clear();
  for (const TableGrid& grid : d.table.grids) {
    if (d.table.pages.empty() || d.table.pages.back() != grid.page) d.table.pages.push_back(grid.page);
  }
  d.ev.pages = d.table.pages;
}

}  // namespace

IndicatorValue ParseIndicatorValue(const std::string& printed) {
  IndicatorValue v;
  v.text = NormaliseText(printed);
  std::wstring text = WidenUtf8(CompactText(printed));
  if (text.empty()) return v;
  // Comparators printed as symbols or words, before or after the value.
  static const std::vector<std::pair<std::wstring, std::string>> kPrefixes = {
      {L"≥", "≥"}, {L">=", "≥"}, {L"≧", "≥"}, {L"≤", "≤"}, {L"<=", "≤"}, {L"≦", "≤"},
      {L"＞", ">"}, {L">", ">"},  {L"＜", "<"}, {L"<", "<"},   {L"=", "="},  {L"＝", "="},
      {L"不低于", "≥"}, {L"不少于", "≥"}, {L"不小于", "≥"}, {L"大于等于", "≥"}, {L"达到", "≥"},
      {L"不超过", "≤"}, {L"不高于", "≤"}, {L"不多于", "≤"}, {L"不大于", "≤"}, {L"小于等于", "≤"},
      {L"控制在", "≤"}, {L"大于", ">"}, {L"高于", ">"}, {L"超过", ">"}, {L"多于", ">"},
      {L"小于", "<"}, {L"低于", "<"}, {L"少于", "<"}, {L"等于", "="}};
  for (const auto& [prefix, comparator] : kPrefixes) {
    if (text.rfind(prefix, 0) == 0) {
      v.comparator = comparator;
      text = text.substr(prefix.size());
      break;
    }
  }
  static const std::vector<std::pair<std::wstring, std::string>> kSuffixes = {
      // Longest first: "及以上" before "以上", "之前" before "前".
      {L"及以上", "≥"}, {L"以上", "≥"}, {L"以下", "≤"}, {L"以内", "≤"}, {L"之内", "≤"},
      {L"之前", "≤"},   {L"内", "≤"},   {L"前", "≤"}};
  for (const auto& [suffix, comparator] : kSuffixes) {
    if (text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0) {
      if (v.comparator.empty()) v.comparator = comparator;
      text = text.substr(0, text.size() - suffix.size());
      break;
    }
  }
  static const std::wregex kDate(LR"(^(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?(?:底|末)?$)");
  // 2023-12-31, 2023/12/31, 2023.12.31, 2023-12.
  static const std::wregex kIsoDate(LR"(^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?|\.(\d{1,2})\.(\d{1,2}))$)");
  static const std::wregex kNumber(LR"(^(-?\d+(?:\.\d+)?)\s*[(（]?([^()（）\d]{0,8}?)[)）]?$)");
  std::wsmatch m;
  if (std::regex_match(text, m, kIsoDate)) {
    const bool dotted = m[4].matched;
    int month = std::stoi((dotted ? m[4] : m[2]).str());
    int day = dotted ? std::stoi(m[5].str()) : m[3].matched ? std::stoi(m[3].str()) : 0;
    if (month >= 1 && month <= 12 && day <= 31) {
      v.kind = IndicatorValueKind::kDate;
      char buf[16];
      std::snprintf(buf, sizeof(buf), "%04d-%02d", std::stoi(m[1].str()), month);
      v.date = buf;
      if (day > 0) {
        std::snprintf(buf, sizeof(buf), "-%02d", day);
        v.date += buf;
      }
      return v;
    }
  }
  if (std::regex_match(text, m, kDate)) {
    v.kind = IndicatorValueKind::kDate;
    char buf[16];
    if (m[1].matched) {
      std::snprintf(buf, sizeof(buf), "%04d-", std::stoi(m[1].str()));
      v.date = buf;
    }
    std::snprintf(buf, sizeof(buf), "%02d", std::stoi(m[2].str()));
    v.date += buf;
    if (m[3].matched) {
      std::snprintf(buf, sizeof(buf), "-%02d", std::stoi(m[3].str()));
      v.date += buf;
    }
    return v;
  }
  if (std::regex_match(text, m, kNumber)) {
    auto number = Decimal::Parse(NarrowToUtf8(m[1].str()));
    if (number) {
      v.kind = IndicatorValueKind::kNumber;
      v.number = number;
      v.unit = NarrowToUtf8(m[2].str());
      return v;
    }
  }
  v.kind = IndicatorValueKind::kQualitative;
  v.target = NarrowToUtf8(text);
  return v;
}

JixiaoOutput MapJixiaoTables(const std::vector<Table>& candidates, const std::vector<PageLayout>& pages,
                             const JixiaoSchema& schema) {
  JixiaoOutput out;
  Stream stream = jixiao::BuildStream(candidates, pages);
  Reader reader(stream, candidates, schema, &out.findings);
  reader.Run();
  std::vector<Draft>& drafts = reader.drafts();
  RepairIndicatorNames(drafts, schema);
  const std::map<std::string, std::string> renamed = RepairNamesFromOwnText(drafts, stream);
  for (Finding& f : out.findings) {
    for (FindingCell& cell : f.cells) {
      if (auto it = renamed.find(cell.table); it != renamed.end()) cell.table = it->second;
    }
    for (const auto& [old_code, new_code] : renamed) {
      if (f.message.rfind(old_code, 0) == 0) f.message = new_code + f.message.substr(old_code.size());
    }
  }
  // The evaluations kept: those with figures or indicators.
  std::vector<int> kept(drafts.size(), -1);
  int n_kept = 0;
  for (size_t i = 0; i < drafts.size(); ++i) {
    const JixiaoEvaluation& ev = drafts[i].ev;
    if (!ev.funds.empty() || !ev.indicators.empty() || ev.total_score) kept[i] = n_kept++;
  }
  // The grids of each evaluation: every grid holding a piece of it.
  std::vector<std::set<std::pair<size_t, int>>> grids_of(drafts.size());
  for (Item& item : stream.items) {
    if (item.evaluation >= 0 && kept[item.evaluation] < 0) item.evaluation = -1;
    if (item.evaluation >= 0) grids_of[item.evaluation].insert({item.candidate, item.grid});
  }
  std::set<size_t> used;
  for (size_t i = 0; i < drafts.size(); ++i) {
    if (kept[i] < 0) continue;
    for (const auto& [candidate, grid] : grids_of[i]) used.insert(candidate);
  }
  // A figure in a grid an evaluation takes but outside every evaluation
  // (between two tables, a stray) is the nearest evaluation's loss.
  int last_owner = -1;
  std::vector<int> owner(stream.items.size(), -1);
  std::vector<int> order;
  for (const Line& line : stream.lines) order.insert(order.end(), line.items.begin(), line.items.end());
  order.insert(order.end(), stream.spanning.begin(), stream.spanning.end());
  for (int index : order) {
    const Item& item = stream.items[index];
    if (item.evaluation >= 0) last_owner = item.evaluation;
    owner[index] = item.evaluation >= 0 ? item.evaluation : last_owner;
  }
  int next_owner = -1;
  for (size_t k = order.size(); k-- > 0;) {
    int index = order[k];
    if (stream.items[index].evaluation >= 0) next_owner = stream.items[index].evaluation;
    if (owner[index] < 0) owner[index] = next_owner;
  }
  out.coverage.assign(n_kept, Coverage{});
  for (size_t index = 0; index < stream.items.size(); ++index) {
    Item& item = stream.items[index];
    if (!item.IsFigure()) continue;
    int ev = item.evaluation;
    if (ev < 0) {
      if (item.page_line || !used.count(item.candidate) || owner[index] < 0) continue;
      ev = owner[index];
      item.use = Use::kUnmapped;
      item.why = "printed in the grid of a 绩效自评表 but outside every table";
    }
    Coverage& coverage = out.coverage[kept[ev]];
    const Draft& d = drafts[ev];
    if (item.use == Use::kIgnored) continue;
    ++coverage.figures;
    if (item.page_line) out.claimed_lines.push_back(FindingPlace{item.page, item.box, item.text});
    if (item.use == Use::kFact || item.use == Use::kStructure) {
      ++coverage.mapped;
      continue;
    }
    ++coverage.unmapped;
    if (item.use == Use::kUnmapped && item.why.empty()) continue;  // an unreadable finding says it
    Finding f;
    f.kind = "unmapped";
    f.message = d.ev.table + " p" + std::to_string(item.page) + ": figure '" + item.text + "' has no key: " +
                (item.why.empty() ? std::string("read in no row of the table") : item.why);
    f.place = FindingPlace{item.page, item.box, item.text};
    out.findings.push_back(std::move(f));
  }
  std::set<std::pair<size_t, int>> counted;  // a grid two tables share counts once
  for (size_t i = 0; i < drafts.size(); ++i) {
    if (kept[i] < 0) continue;
    Draft& d = drafts[i];
    int own_grids = 0;
    for (const auto& grid : grids_of[i]) own_grids += counted.insert(grid).second;
    OrderGrids(d, candidates, grids_of[i]);
    if (d.table.unit.empty()) d.table.unit = d.ev.unit;
    if (d.table.unit.empty()) d.table.unit = "万元";
    d.ev.unit = d.table.unit;
    d.table.title = d.ev.title;
    Coverage& coverage = out.coverage[kept[i]];
    coverage.grids = coverage.grids_identified = own_grids;
    out.tables.push_back(std::move(d.table));
    out.evaluations.push_back(std::move(d.ev));
  }
  out.used_candidates.assign(used.begin(), used.end());
  return out;
}

void UpdateJixiaoFigures(JixiaoEvaluation& evaluation, const Table& table) {
  auto sync = [&](JixiaoFigure& figure) {
    for (const Fact& fact : table.facts) {
      if (fact.page == figure.page && SameBox(fact.box, figure.box)) {
        figure.value = fact.value;
        return &fact;
      }
    }
    return static_cast<const Fact*>(nullptr);
  };
  for (JixiaoFundsRow& row : evaluation.funds) {
    for (auto& [col, figure] : row.figures) sync(figure);
  }
  for (JixiaoIndicator& ind : evaluation.indicators) {
    const Fact* fact = nullptr;
    if (ind.weight) fact = sync(*ind.weight);
    if (ind.score) {
      if (const Fact* f = sync(*ind.score)) fact = f;
    }
    if (fact && fact->row.rfind("指标:", 0) == 0) ind.level3 = fact->row.substr(std::string("指标:").size());
  }
  if (evaluation.total_weight) sync(*evaluation.total_weight);
  if (evaluation.total_score) sync(*evaluation.total_score);
}

}  // namespace juesuan
