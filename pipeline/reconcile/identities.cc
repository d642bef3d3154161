// Loading identity rules from schemas/identities/*.json and expanding them
// over the facts of one document.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "pipeline/core/json_guard.h"
#include "pipeline/reconcile/reconcile.h"

namespace juesuan {
namespace {

using Json = nlohmann::json;

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> StrList(const Json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

TermTemplate ParseTerm(const Json& j) {
  TermTemplate t;
  t.table = Str(j, "table");
  t.row = Str(j, "row");
  t.col = Str(j, "col");
  t.each = Str(j, "each");
  if (j.contains("sign") && j["sign"].is_number_integer()) t.sign = j["sign"].get<int>() < 0 ? -1 : 1;
  return t;
}

std::vector<TermTemplate> TermList(const Json& j, const char* key) {
  std::vector<TermTemplate> out;
  if (auto it = j.find(key); it != j.end() && it->is_array()) {
    for (const auto& t : *it) out.push_back(ParseTerm(t));
  }
  return out;
}

Result<IdentityRule> ParseRule(const Json& j, const std::string& file) {
  IdentityRule rule;
  rule.id = Str(j, "id");
  rule.formula = Str(j, "formula");
  rule.tables = StrList(j, "tables");
  if (rule.id.empty()) return MakeError(ErrorCode::kInvalidArgument, file + ": identity without id");
  if (Str(j, "rounding") == "exact") rule.rounding = RoundingMode::kExact;
  if (Str(j, "shape") == "code_rollup") {
    rule.shape = RuleShape::kCodeRollup;
    rule.rollup_table = Str(j, "table");
    rule.total_row = Str(j, "total_row");
    if (j.contains("levels") && j["levels"].is_array()) {
      for (const auto& v : j["levels"]) rule.levels.push_back(v.get<int>());
    }
    if (rule.rollup_table.empty() || rule.levels.size() < 2) {
      return MakeError(ErrorCode::kInvalidArgument, file + ": " + rule.id + ": code_rollup needs table and levels");
    }
    return rule;
  }
  if (!j.contains("lhs") || !j.contains("rhs") || !j["rhs"].is_array()) {
    return MakeError(ErrorCode::kInvalidArgument, file + ": " + rule.id + ": needs lhs and rhs");
  }
  rule.lhs = ParseTerm(j["lhs"]);
  rule.rhs = TermList(j, "rhs");
  rule.over = Str(j, "over");
  rule.over_table = Str(j, "over_table");
  rule.over_cols = StrList(j, "over_cols");
  rule.skip_rows = StrList(j, "skip_rows");
  rule.row_pattern = Str(j, "row_pattern");
  rule.each_col = StrList(j, "each_col");
  if (auto when = j.find("when"); when != j.end() && when->is_object()) {
    rule.when_equal = TermList(*when, "equal");
    rule.when_zero = TermList(*when, "zero_rows");
    if (rule.when_equal.size() == 1) {
      return MakeError(ErrorCode::kInvalidArgument, file + ": " + rule.id + ": when.equal needs two cells or more");
    }
  }
  return rule;
}

bool IsCode(const std::string& row) {
  return !row.empty() && std::all_of(row.begin(), row.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void Replace(std::string& s, std::string_view from, const std::string& to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

using Vars = std::map<std::string, std::string>;

std::string Subst(std::string s, const Vars& vars) {
  for (const auto& [k, v] : vars) Replace(s, "{" + k + "}", v);
  return s;
}

// Rows present per table, in first-seen order, with the columns they fill and
// the values read (for the conditions of conditional identities).
struct TableIndex {
  std::vector<std::string> rows;
  std::map<std::string, std::set<std::string>> cols_of_row;
  std::map<std::pair<std::string, std::string>, Decimal> values;  // (row, col) -> value
  std::set<std::string> nonzero_rows;
};

std::map<std::string, TableIndex> IndexFacts(const Document& doc, const std::set<CellKey>* extra) {
  std::map<std::string, TableIndex> index;
  auto add = [&](const std::string& table, const std::string& row, const std::string& col) {
    auto& ti = index[table];
    auto [it, inserted] = ti.cols_of_row.try_emplace(row);
    if (inserted) ti.rows.push_back(row);
    it->second.insert(col);
  };
  for (const auto& table : doc.tables) {
    for (const auto& fact : table.facts) {
      add(fact.table, fact.row, fact.col);
      auto& ti = index[fact.table];
      ti.values[{fact.row, fact.col}] = fact.value;
      if (!fact.value.IsZero()) ti.nonzero_rows.insert(fact.row);
    }
  }
  if (extra) {
    for (const auto& key : *extra) add(key.table, key.row, key.col);
  }
  return index;
}

// "<prefix>:*" names every table keyed "<prefix>:<name>" (绩效自评表:*,
// 绩效目标表:*); any other pattern the one table of that key.
std::vector<std::string> MatchTables(const std::string& pattern, const std::map<std::string, TableIndex>& index) {
  std::vector<std::string> out;
  if (pattern.size() > 2 && pattern.compare(pattern.size() - 2, 2, ":*") == 0) {
    const std::string prefix = pattern.substr(0, pattern.size() - 1);
    for (const auto& [name, ti] : index) {
      if (name.size() > prefix.size() && name.rfind(prefix, 0) == 0) out.push_back(name);
    }
  } else {
    out.push_back(pattern);
  }
  return out;
}

void ExpandTerm(const TermTemplate& t, const Vars& vars, int sign, const IdentitySet& set,
                const std::map<std::string, TableIndex>& index, std::vector<IdentityTerm>& out) {
  std::string table = Subst(t.table, vars);
  std::string col = Subst(t.col, vars);
  int s = sign * t.sign;
  if (t.each.empty()) {
    out.push_back({{table, Subst(t.row, vars), col}, s});
    return;
  }
  if (t.each == "classes") {
    for (const auto& [code, name] : set.class_names) out.push_back({{table, name, col}, s});
    return;
  }
  auto it = index.find(table);
  if (it == index.end()) return;
  if (t.each.rfind("prefix:", 0) == 0) {
    std::string prefix = t.each.substr(7);
    for (const auto& row : it->second.rows) {
      if (row.rfind(prefix, 0) == 0) out.push_back({{table, row, col}, s});
    }
  } else if (t.each.rfind("codes:", 0) == 0) {
    size_t len = std::stoul(t.each.substr(6));
    for (const auto& row : it->second.rows) {
      if (IsCode(row) && row.size() == len) out.push_back({{table, row, col}, s});
    }
  }
}

std::string InstanceId(const std::string& id, const Vars& vars) {
  if (vars.empty()) return id;
  std::string suffix;
  for (const auto& [k, v] : vars) {
    if (k == "name") continue;
    suffix += (suffix.empty() ? "" : ",") + v;
  }
  return id + "[" + suffix + "]";
}

bool ConditionHolds(const IdentityRule& rule, const Vars& vars, const std::map<std::string, TableIndex>& index) {
  auto value = [&](const TermTemplate& t) {
    auto it = index.find(Subst(t.table, vars));
    if (it == index.end()) return Decimal();
    auto v = it->second.values.find({Subst(t.row, vars), Subst(t.col, vars)});
    return v == it->second.values.end() ? Decimal() : v->second;
  };
  for (size_t i = 1; i < rule.when_equal.size(); ++i) {
    if (value(rule.when_equal[i]) != value(rule.when_equal[0])) return false;
  }
  for (const auto& t : rule.when_zero) {
    auto it = index.find(Subst(t.table, vars));
    if (it != index.end() && it->second.nonzero_rows.count(Subst(t.row, vars))) return false;
  }
  return true;
}

void EmitExplicit(const IdentityRule& rule, const Vars& vars, const IdentitySet& set,
                  const std::map<std::string, TableIndex>& index, std::vector<IdentityInstance>& out) {
  if (!ConditionHolds(rule, vars, index)) return;
  IdentityInstance inst;
  inst.id = InstanceId(rule.id, vars);
  inst.formula = Subst(rule.formula, vars);
  inst.rounding = rule.rounding;
  std::vector<IdentityTerm> lhs;
  ExpandTerm(rule.lhs, vars, 1, set, index, lhs);
  if (lhs.size() != 1) return;
  inst.lhs = lhs[0];
  for (const auto& t : rule.rhs) ExpandTerm(t, vars, 1, set, index, inst.rhs);
  if (inst.rhs.empty()) return;
  out.push_back(std::move(inst));
}

void ExpandRollup(const IdentityRule& rule, const std::map<std::string, TableIndex>& index,
                  std::vector<IdentityInstance>& out) {
  auto it = index.find(rule.rollup_table);
  if (it == index.end()) return;
  const TableIndex& ti = it->second;
  std::set<std::string> cols;
  for (const auto& [row, cs] : ti.cols_of_row) cols.insert(cs.begin(), cs.end());
  auto level_of = [&](const std::string& row) {
    for (size_t i = 0; i < rule.levels.size(); ++i) {
      if (IsCode(row) && row.size() == static_cast<size_t>(rule.levels[i])) return static_cast<int>(i);
    }
    return -1;
  };
  // Parent -> children, over all rows present (a column's blanks are zeros).
  std::map<std::string, std::vector<std::string>> children;
  std::vector<std::string> parents;
  std::vector<std::string> tops;
  for (const auto& row : ti.rows) {
    int level = level_of(row);
    if (level < 0) continue;
    if (level == 0) {
      tops.push_back(row);
      continue;
    }
    std::string parent = row.substr(0, rule.levels[level - 1]);
    auto [c, inserted] = children.try_emplace(parent);
    if (inserted) parents.push_back(parent);
    c->second.push_back(row);
  }
  for (const auto& col : cols) {
    auto uses_col = [&](const std::string& row) {
      auto r = ti.cols_of_row.find(row);
      return r != ti.cols_of_row.end() && r->second.count(col) > 0;
    };
    for (const auto& parent : parents) {
      // A parent the document does not print is not checked: some layouts
      // list only the leaves.
      if (!ti.cols_of_row.count(parent)) continue;
      const auto& kids = children[parent];
      bool any = uses_col(parent) || std::any_of(kids.begin(), kids.end(), uses_col);
      if (!any) continue;
      IdentityInstance inst;
      inst.id = rule.id + "[" + parent + "," + col + "]";
      inst.formula = rule.rollup_table + " " + parent + " = Σ" + parent + "xx (" + col + "栏)";
      inst.rounding = rule.rounding;
      inst.lhs = {{rule.rollup_table, parent, col}, 1};
      for (const auto& kid : kids) inst.rhs.push_back({{rule.rollup_table, kid, col}, 1});
      out.push_back(std::move(inst));
    }
    if (!rule.total_row.empty() && !tops.empty() && ti.cols_of_row.count(rule.total_row)) {
      bool any = uses_col(rule.total_row) || std::any_of(tops.begin(), tops.end(), uses_col);
      if (!any) continue;
      IdentityInstance inst;
      inst.id = rule.id + "[" + rule.total_row + "," + col + "]";
      inst.formula = rule.rollup_table + " " + rule.total_row + " = Σ类 (" + col + "栏)";
      inst.rounding = rule.rounding;
      inst.lhs = {{rule.rollup_table, rule.total_row, col}, 1};
      for (const auto& top : tops) inst.rhs.push_back({{rule.rollup_table, top, col}, 1});
      out.push_back(std::move(inst));
    }
  }
}

}  // namespace

Result<IdentitySet> LoadIdentities(const std::string& schema_dir) {
  // A value of the wrong type in the file is an error, not an exception.
  return GuardJson<IdentitySet>(schema_dir + "/identities", [&]() -> Result<IdentitySet> {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path dir = schema_dir;
    if (fs::is_directory(dir / "identities", ec)) dir /= "identities";
    if (!fs::is_directory(dir, ec)) {
      return MakeError(ErrorCode::kNotFound, schema_dir + ": no identities directory");
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) return MakeError(ErrorCode::kNotFound, dir.string() + ": no *.json identity files");
    IdentitySet set;
    std::set<std::string> ids;
    for (const auto& path : files) {
      std::ifstream in(path);
      Json j;
      try {
        in >> j;
      } catch (const nlohmann::json::exception& e) {
        return MakeError(ErrorCode::kInvalidArgument, path.string() + ": " + e.what());
      }
      const std::string file = path.filename().string();
      if (j.contains("identities")) {
        for (const auto& item : j["identities"]) {
          auto rule = ParseRule(item, file);
          if (!rule.ok()) return rule.error();
          if (!ids.insert(rule->id).second) {
            return MakeError(ErrorCode::kInvalidArgument, file + ": duplicate identity id " + rule->id);
          }
          set.rules.push_back(std::move(rule.value()));
        }
      }
      if (j.contains("classes") && j["classes"].is_object()) {
        for (const auto& [code, name] : j["classes"].items()) set.class_names[code] = name.get<std::string>();
      }
      for (const auto& t : StrList(j, "required_tables")) set.required_tables.push_back(t);
      for (const auto& p : StrList(j, "placeholders")) set.placeholders.push_back(p);
      if (j.contains("narrative_labels")) {
        for (const auto& item : j["narrative_labels"]) {
          NarrativeLabel label;
          label.label = Str(item, "label");
          label.words = StrList(item, "words");
          label.without = StrList(item, "without");
          label.role = Str(item, "role");
          for (const auto& cell : item["cells"]) label.cells.push_back(cell.get<std::vector<std::string>>());
          set.narrative_labels.push_back(std::move(label));
        }
      }
      for (const auto& item : j.value("narrative_years", Json::array())) {
        set.narrative_years.push_back({Str(item, "id"), Str(item, "pattern"), item.value("offset", 0), Str(item, "what"), item.value("group", 1)});
      }
      for (const auto& item : j.value("narrative_none", Json::array())) {
        NarrativeNoneRule rule{Str(item, "pattern"), StrList(item, "tables"), {}, Str(item, "what")};
        for (const auto& cell : item.value("cells", Json::array())) rule.cells.push_back(cell.get<std::vector<std::string>>());
        set.narrative_none.push_back(std::move(rule));
      }
      if (j.contains("narrative_comparison")) {
        const Json& c = j["narrative_comparison"];
        auto& w = set.narrative_comparison;
        w.actual = StrList(c, "actual");
        w.budget = StrList(c, "budget");
        w.links = StrList(c, "links");
        w.flat = StrList(c, "flat");
        const Json relations = c.value("relations", Json::object());  // items() must not outlive it
        for (const auto& [word, sign] : relations.items()) w.relations[word] = sign.get<int>();
      }
    }
    return set;
  });
}

std::vector<IdentityInstance> ExpandIdentities(const Document& doc, const IdentitySet& set) {
  return ExpandIdentities(doc, set, nullptr);
}

std::vector<IdentityInstance> ExpandIdentities(const Document& doc, const IdentitySet& set,
                                               const std::set<CellKey>* extra_cells) {
  auto index = IndexFacts(doc, extra_cells);
  std::vector<IdentityInstance> out;
  for (const auto& rule : set.rules) {
    if (rule.shape == RuleShape::kCodeRollup) {
      ExpandRollup(rule, index, out);
      continue;
    }
    if (rule.over.empty()) {
      EmitExplicit(rule, {}, set, index, out);
    } else if (rule.over == "classes") {
      for (const auto& [code, name] : set.class_names) EmitExplicit(rule, {{"code", code}, {"name", name}}, set, index, out);
    } else if (rule.over == "rows") {
      for (const auto& table : MatchTables(rule.over_table, index)) {
        auto it = index.find(table);
        if (it == index.end()) continue;
        for (const auto& row : it->second.rows) {
          if (rule.row_pattern == "codes" && !IsCode(row) && row != "合计") continue;
          if (std::find(rule.skip_rows.begin(), rule.skip_rows.end(), row) != rule.skip_rows.end()) continue;
          const auto& cs = it->second.cols_of_row.at(row);
          bool in_cols = rule.over_cols.empty() ||
                         std::any_of(rule.over_cols.begin(), rule.over_cols.end(), [&](const auto& c) { return cs.count(c) > 0; });
          if (!in_cols) continue;
          if (rule.each_col.empty()) {
            EmitExplicit(rule, {{"table", table}, {"row", row}}, set, index, out);
          } else {
            for (const auto& col : rule.each_col) {
              EmitExplicit(rule, {{"table", table}, {"row", row}, {"col", col}}, set, index, out);
            }
          }
        }
      }
    } else if (rule.over == "cols" || rule.over == "tables") {
      std::vector<std::string> tables = rule.over_table.empty() ? std::vector<std::string>{""} : MatchTables(rule.over_table, index);
      for (const auto& table : tables) {
        if (!table.empty() && !index.count(table)) continue;
        std::vector<std::string> cols = rule.over == "cols" ? rule.over_cols : std::vector<std::string>{""};
        for (const auto& col : cols) {
          Vars vars;
          if (!table.empty()) vars["table"] = table;
          if (!col.empty()) vars["col"] = col;
          EmitExplicit(rule, vars, set, index, out);
        }
      }
    }
  }
  return out;
}

}  // namespace juesuan
