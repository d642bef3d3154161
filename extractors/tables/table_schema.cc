#include "extractors/tables/table_schema.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "pipeline/core/json_guard.h"
#include "pipeline/normalise/normalise.h"

namespace juesuan {
namespace {

using nlohmann::json;

std::vector<std::string> Patterns(const json& node, const char* key) {
  std::vector<std::string> out;
  if (!node.contains(key)) return out;
  for (const auto& p : node.at(key)) out.push_back(CompactText(p.get<std::string>()));
  return out;
}

std::vector<ColumnDef> Columns(const json& node) {
  std::vector<ColumnDef> out;
  if (!node.contains("columns")) return out;
  for (const auto& c : node.at("columns")) {
    out.push_back(ColumnDef{c.at("id").get<std::string>(), Patterns(c, "leaf"), Patterns(c, "path"),
                            Patterns(c, "path_not")});
  }
  return out;
}

std::vector<RowDef> Rows(const json& node, const char* key) {
  std::vector<RowDef> out;
  if (!node.contains(key)) return out;
  for (const auto& r : node.at(key)) {
    const std::string name = r.is_string() ? r.get<std::string>() : r.at("key").get<std::string>();
    out.push_back(RowDef{name, CompactText(name), r.is_string() ? std::vector<std::string>{} : Patterns(r, "aliases")});
  }
  return out;
}

std::vector<RowGroupDef> Groups(const json& node) {
  std::vector<RowGroupDef> out;
  if (!node.contains("groups")) return out;
  for (const auto& g : node.at("groups")) {
    const std::string name = g.at("key").get<std::string>();
    out.push_back(RowGroupDef{name, CompactText(name), Rows(g, "children")});
  }
  return out;
}

TableDef ParseTable(const json& t, const std::string& default_kind) {
  TableDef def;
  def.id = t.at("code").get<std::string>();
  def.kind = t.value("kind", default_kind);
  def.family = t.value("family", "");
  def.key = t.value("key", def.id);
  def.key_from_title = t.value("key_from_title", def.kind == "yusuan");
  def.titles = Patterns(t, "titles");
  def.captions = Patterns(t, "captions");
  def.signature = Patterns(t, "signature");
  def.label_headers = Patterns(t, "label_headers");
  def.attribute_headers = Patterns(t, "attribute_headers");
  if (def.captions.empty() && def.kind == "juesuan") def.captions.push_back(CompactText(def.id));
  const std::string layout = t.at("layout").get<std::string>();
  if (layout == "two_sided") {
    def.layout = TableLayout::kTwoSided;
  } else if (layout == "items") {
    def.layout = TableLayout::kItems;
  } else if (layout == "single_row") {
    def.layout = TableLayout::kSingleRow;
  } else {
    def.layout = TableLayout::kCoded;
    // "economic" is the 公开06表 shape: economic codes in repeated panels.
    def.codes = layout == "economic" || t.value("codes", "function") == "economic" ? CodeKind::kEconomic
                                                                                   : CodeKind::kFunction;
    def.repeat_panels = layout == "economic" || t.value("repeat_panels", false);
  }
  def.columns = Columns(t);
  def.totals = Patterns(t, "totals");
  def.rows = Rows(t, "rows");
  def.groups = Groups(t);
  def.open_rows = t.value("open_rows", false);
  if (t.contains("row_key")) def.row_key = t.at("row_key").get<std::string>();
  def.mandatory = Patterns(t, "mandatory");
  if (t.contains("sides")) {
    for (const auto& s : t.at("sides")) {
      SideDef side;
      side.side = s.at("side").get<std::string>();
      side.group = Patterns(s, "group");
      side.columns = Columns(s);
      side.rows = Rows(s, "rows");
      side.groups = Groups(s);
      side.open_rows = s.value("open_rows", false);
      def.sides.push_back(std::move(side));
    }
  }
  return def;
}

void Append(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const std::string& s : from) {
    if (std::find(to.begin(), to.end(), s) == to.end()) to.push_back(s);
  }
}

Result<bool> LoadFile(const std::string& path, const std::string& default_kind, TableSchema& schema) {
  std::ifstream in(path);
  if (!in) return MakeError(ErrorCode::kNotFound, path + ": cannot open table schema");
  try {
    json doc = json::parse(in);
    if (doc.contains("label_columns")) {
      Append(schema.code_headers, Patterns(doc.at("label_columns"), "code"));
      Append(schema.name_headers, Patterns(doc.at("label_columns"), "name"));
    }
    Append(schema.empty_notes, Patterns(doc, "empty_notes"));
    Append(schema.title_prefixes, Patterns(doc, "title_prefixes"));
    Append(schema.title_noise, Patterns(doc, "title_noise"));
    std::map<std::string, int> order;  // per family
    for (const auto& t : doc.at("tables")) {
      TableDef def = ParseTable(t, default_kind);
      def.order = order[def.kind + "/" + def.family]++;
      if (schema.Find(def.id)) return MakeError(ErrorCode::kInvalidArgument, path + ": duplicate table " + def.id);
      schema.tables.push_back(std::move(def));
    }
    return true;
  } catch (const json::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, path + ": bad table schema: " + e.what());
  }
}

}  // namespace

bool RowDef::Names(const std::string& compact_label) const {
  return compact_label == match || std::find(aliases.begin(), aliases.end(), compact_label) != aliases.end();
}

const std::vector<ColumnDef>& TableDef::PanelColumns(int side) const {
  if (layout == TableLayout::kTwoSided && side >= 0 && side < static_cast<int>(sides.size())) {
    return sides[side].columns;
  }
  return columns;
}

int TableDef::ValueColumnCount() const {
  if (layout != TableLayout::kTwoSided) return static_cast<int>(columns.size());
  int n = 0;
  for (const SideDef& s : sides) n += static_cast<int>(s.columns.size());
  return n;
}

const TableDef* TableSchema::Find(const std::string& id) const {
  for (const TableDef& t : tables) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

Result<TableSchema> LoadTableSchema(const std::string& schema_dir) {
  // A value of the wrong type in the file is an error, not an exception.
  return GuardJson<TableSchema>(schema_dir + ": table schema", [&]() -> Result<TableSchema> {
    TableSchema schema;
    auto juesuan = LoadFile(schema_dir + "/juesuan_tables.json", "juesuan", schema);
    if (!juesuan) return juesuan.error();
    const std::string budgets = schema_dir + "/yusuan_tables.json";
    if (std::filesystem::exists(budgets)) {
      auto yusuan = LoadFile(budgets, "yusuan", schema);
      if (!yusuan) return yusuan.error();
    }
    return schema;
  });
}

}  // namespace juesuan
