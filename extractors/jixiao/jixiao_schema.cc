#include "extractors/jixiao/jixiao_schema.h"

#include <cassert>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "pipeline/core/json_guard.h"
#include "pipeline/normalise/normalise.h"

namespace juesuan {
namespace {

using nlohmann::json;

std::vector<std::string> Strings(const json& j) {
  std::vector<std::string> out;
  for (const json& s : j) out.push_back(CompactText(s.get<std::string>()));
  return out;
}

std::vector<JixiaoLabel> Labels(const json& j) {
  std::vector<JixiaoLabel> out;
  for (const json& item : j) out.push_back({item.at("key").get<std::string>(), Strings(item.at("labels"))});
  return out;
}

}  // namespace

Result<JixiaoSchema> ParseJixiaoSchema(const std::string& json_text) {
  try {
    json j = json::parse(json_text);
    JixiaoSchema s;
    s.table_prefix = j.at("table_prefix").get<std::string>();
    for (const json& k : j.at("kinds")) {
      s.kinds.push_back({k.at("kind").get<std::string>(), Strings(k.at("titles")), Strings(k.at("name_labels")),
                         k.value("table_prefix", std::string())});
    }
    s.fields = Labels(j.at("fields"));
    s.funds_block_labels = Strings(j.at("funds_block_labels"));
    s.funds_rows = Labels(j.at("funds_rows"));
    s.funds_columns = Labels(j.at("funds_columns"));
    for (const json& row : j.at("scored_funds_rows")) s.scored_funds_rows.push_back(row.get<std::string>());
    if (j.contains("funds_splits")) {
      s.funds_splits = Labels(j.at("funds_splits"));
      s.funds_split_col = j.at("funds_split_col").get<std::string>();
    }
    const json& goals = j.at("goal_labels");
    s.goal_block_labels = Strings(goals.at("block"));
    s.goal_expected_labels = Strings(goals.at("expected"));
    s.goal_actual_labels = Strings(goals.at("actual"));
    s.indicator_columns = Labels(j.at("indicator_columns"));
    s.header_group_labels = Strings(j.at("header_group_labels"));
    s.indicator_terms = Strings(j.at("indicator_terms"));
    s.total_labels = Strings(j.at("total_labels"));
    s.grade_labels = Strings(j.at("grade_labels"));
    for (const json& g : j.at("grades")) {
      auto min = Decimal::Parse(g.at("min").get<std::string>());
      if (!min) return MakeError(ErrorCode::kInvalidArgument, "jixiao schema: bad grade min " + g.dump());
      s.grades.push_back({g.at("grade").get<std::string>(), *min});
    }
    if (j.contains("target")) {
      const json& t = j.at("target");
      JixiaoTargetDef& target = s.target;
      target.markers = Strings(t.at("markers"));
      target.fields = Labels(t.at("fields"));
      target.funds_block_labels = Strings(t.at("funds_block_labels"));
      for (const json& side : t.at("funds_sides")) {
        target.funds_sides.push_back({side.at("col").get<std::string>(), Labels(side.at("rows"))});
      }
      const json& tg = t.at("goal_labels");
      target.goal_block_labels = Strings(tg.at("block"));
      target.goal_project_labels = Strings(tg.at("project"));
      target.goal_expected_labels = Strings(tg.at("expected"));
    }
    return s;
  } catch (const json::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, std::string("jixiao schema: ") + e.what());
  }
}

Result<JixiaoSchema> LoadJixiaoSchema(const std::string& schema_dir) {
  // A value of the wrong type in the file is an error, not an exception.
  return GuardJson<JixiaoSchema>(schema_dir + "/jixiao_table.json", [&]() -> Result<JixiaoSchema> {
    std::string path = schema_dir + "/jixiao_table.json";
    std::ifstream in(path);
    if (!in) return MakeError(ErrorCode::kNotFound, path + ": cannot open");
    std::stringstream text;
    text << in.rdbuf();
    auto schema = ParseJixiaoSchema(text.str());
    if (!schema) return MakeError(schema.error().code, path + ": " + schema.error().message);
    return schema;
  });
}

const std::string& JixiaoSchema::PrefixOf(const std::string& kind) const {
  for (const JixiaoKindDef& k : kinds) {
    if (k.kind == kind && !k.table_prefix.empty()) return k.table_prefix;
  }
  return table_prefix;
}

bool JixiaoSchema::IsTableKey(const std::string& code) const {
  auto has_prefix = [&](const std::string& prefix) {
    return !prefix.empty() && code.size() > prefix.size() && code.compare(0, prefix.size(), prefix) == 0 &&
           code.compare(prefix.size(), 1, ":") == 0;
  };
  if (has_prefix(table_prefix)) return true;
  for (const JixiaoKindDef& k : kinds) {
    if (has_prefix(k.table_prefix)) return true;
  }
  return false;
}

std::string MatchLabel(const std::string& compact_text, const std::vector<JixiaoLabel>& labels) {
  for (const JixiaoLabel& label : labels) {
    if (ContainsAny(compact_text, label.labels)) return label.key;
  }
  return "";
}

bool ContainsAny(const std::string& compact_text, const std::vector<std::string>& labels) {
  for (const std::string& label : labels) {
    if (!label.empty() && compact_text.find(label) != std::string::npos) return true;
  }
  return false;
}

}  // namespace juesuan
