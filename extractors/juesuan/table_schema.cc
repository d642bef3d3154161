#include "extractors/juesuan/table_schema.h"

#include <fstream>
#include <nlohmann/json.hpp>

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
    out.push_back(ColumnDef{c.at("id").get<std::string>(), Patterns(c, "leaf"), Patterns(c, "path")});
  }
  return out;
}

std::vector<RowDef> Rows(const json& node, const char* key) {
  std::vector<RowDef> out;
  if (!node.contains(key)) return out;
  for (const auto& r : node.at(key)) {
    out.push_back(RowDef{CompactText(r.at("key").get<std::string>()), Patterns(r, "aliases")});
  }
  return out;
}

TableLayout ParseLayout(const std::string& name) {
  if (name == "two_sided") return TableLayout::kTwoSided;
  if (name == "economic") return TableLayout::kEconomic;
  if (name == "single_row") return TableLayout::kSingleRow;
  return TableLayout::kCoded;
}

}  // namespace

const TableDef* JuesuanSchema::Find(const std::string& code) const {
  for (const TableDef& t : tables) {
    if (t.code == code) return &t;
  }
  return nullptr;
}

Result<JuesuanSchema> LoadJuesuanSchema(const std::string& schema_dir) {
  std::string path = schema_dir + "/juesuan_tables.json";
  std::ifstream in(path);
  if (!in) return MakeError(ErrorCode::kNotFound, path + ": cannot open table schema");
  try {
    json doc = json::parse(in);
    JuesuanSchema schema;
    schema.code_headers = Patterns(doc.at("label_columns"), "code");
    schema.name_headers = Patterns(doc.at("label_columns"), "name");
    schema.empty_notes = Patterns(doc, "empty_notes");
    for (const auto& t : doc.at("tables")) {
      TableDef def;
      def.code = t.at("code").get<std::string>();
      def.number = std::stoi(def.code.substr(std::string("公开").size(), 2));
      def.titles = Patterns(t, "titles");
      def.layout = ParseLayout(t.at("layout").get<std::string>());
      def.columns = Columns(t);
      def.totals = Patterns(t, "totals");
      if (t.contains("row_key")) def.row_key = t.at("row_key").get<std::string>();
      if (t.contains("sides")) {
        for (const auto& s : t.at("sides")) {
          SideDef side;
          side.side = s.at("side").get<std::string>();
          side.group = Patterns(s, "group");
          side.columns = Columns(s);
          side.rows = Rows(s, "rows");
          if (s.contains("groups")) {
            for (const auto& g : s.at("groups")) {
              side.groups.push_back(
                  RowGroupDef{CompactText(g.at("key").get<std::string>()), Rows(g, "children")});
            }
          }
          def.sides.push_back(std::move(side));
        }
      }
      schema.tables.push_back(std::move(def));
    }
    return schema;
  } catch (const json::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, path + ": bad table schema: " + e.what());
  }
}

}  // namespace juesuan
