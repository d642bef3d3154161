#include "pipeline/store/compare.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "pipeline/core/json_guard.h"
#include "pipeline/core/utf8.h"
#include "pipeline/write/document_writer.h"

namespace juesuan {
namespace {

using nlohmann::json;

// Powers of ten of a money unit, in 元.
std::optional<int> UnitExponent(const std::string& unit) {
  if (unit == "元") return 0;
  if (unit == "万元") return 4;
  if (unit == "亿元") return 8;
  return std::nullopt;
}

// Two decimals at least, and no trailing zeros beyond them (those a
// conversion adds): 57049758.66 元 is 5704.975866 万元, 30000000.00 元 is
// 3000.00 万元, a printed 6.4 万元 is 6.40.
Decimal Tidy(const Decimal& v) {
  if (v.scale() < 2) return v.Rescaled(2);
  int64_t units = v.units();
  int scale = v.scale();
  while (scale > 2 && units % 10 == 0) {
    units /= 10;
    --scale;
  }
  return Decimal(units, scale);
}

bool IsCode(const std::string& row) {
  return row.size() >= 3 && std::all_of(row.begin(), row.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool Matches(const CompareSource& s, const CompareFact& f) {
  if (f.col != s.col) return false;
  if (!s.schema.empty()) {
    if (!f.schema_id.empty()) return f.schema_id == s.schema;
    // A store that does not know its tables' definitions: the canonical key.
    std::string table = s.table;
    if (table.empty()) table = s.schema.substr(s.schema.rfind(':') + 1);
    return f.table == table;
  }
  return f.table == s.table;
}

// The figures of `doc` the sources name, by code ("" for a single-row item);
// the first source (then the first fact) that has one wins.
std::map<std::string, const CompareFact*> Resolve(const CompareDocument& doc,
                                                  const std::vector<CompareSource>& sources,
                                                  const CompareMapping& mapping) {
  std::map<std::string, const CompareFact*> out;
  for (const CompareSource& s : sources) {
    for (const CompareFact& f : doc.facts) {
      if (!Matches(s, f)) continue;
      if (s.row == kCodeRows) {
        if (IsCode(f.row)) out.emplace(f.row, &f);
      } else if (s.row == kClassRows) {
        auto it = mapping.class_codes.find(f.row);
        if (it != mapping.class_codes.end()) out.emplace(it->second, &f);
      } else if (f.row == s.row) {
        out.emplace("", &f);
      }
    }
  }
  return out;
}

Result<std::vector<CompareSource>> ParseSources(const json& item, const char* side, const std::string& name) {
  std::vector<CompareSource> out;
  if (!item.contains(side)) return out;
  const json& list = item[side];
  if (!list.is_array()) return MakeError(ErrorCode::kInvalidArgument, name + ": " + side + " is not a list");
  for (const json& s : list) {
    CompareSource source;
    source.table = s.value("table", "");
    source.schema = s.value("schema", "");
    source.row = s.value("row", "");
    source.col = s.value("col", "");
    if (source.row.empty() || source.col.empty() || (source.table.empty() && source.schema.empty())) {
      return MakeError(ErrorCode::kInvalidArgument,
                       name + ": a " + side + " cell needs row, col and table or schema: " + s.dump());
    }
    out.push_back(std::move(source));
  }
  return out;
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string FactKey(const CompareFact& f) { return f.table + "|" + f.row + "|" + f.col; }

}  // namespace

Result<CompareMapping> ParseCompareMapping(const json& mapping, const json& catalogue) {
  CompareMapping out;
  try {
    out.unit = mapping.value("unit", "万元");
    if (!UnitExponent(out.unit)) return MakeError(ErrorCode::kInvalidArgument, "unknown unit " + out.unit);
    for (const auto& [code, name] : catalogue.at("classes").items()) out.class_codes[name.get<std::string>()] = code;
    for (const json& j : mapping.at("items")) {
      CompareItem item;
      item.item = j.at("item").get<std::string>();
      auto finals = ParseSources(j, "final", item.item);
      auto budgets = ParseSources(j, "budget", item.item);
      auto final_budgets = ParseSources(j, "final_budget", item.item);
      for (const auto* r : {&finals, &budgets, &final_budgets})
        if (!*r) return r->error();
      item.final_sources = std::move(finals.value());
      item.budget_sources = std::move(budgets.value());
      item.final_budget_sources = std::move(final_budgets.value());
      if (item.final_sources.empty() || (item.budget_sources.empty() && item.final_budget_sources.empty())) {
        return MakeError(ErrorCode::kInvalidArgument, item.item + ": needs final cells and budget cells");
      }
      // Coded and single-figure sources cannot be compared with each other.
      item.coded = item.final_sources[0].row == kCodeRows || item.final_sources[0].row == kClassRows;
      for (const auto* list : {&item.final_sources, &item.budget_sources, &item.final_budget_sources}) {
        for (const CompareSource& s : *list) {
          bool coded = s.row == kCodeRows || s.row == kClassRows;
          if (coded != item.coded)
            return MakeError(ErrorCode::kInvalidArgument, item.item + ": mixes coded rows and single rows");
        }
      }
      out.items.push_back(std::move(item));
    }
  } catch (const json::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, std::string("budget_vs_final: ") + e.what());
  }
  return out;
}

Result<CompareMapping> LoadCompareMapping(const std::string& schema_dir) {
  // A value of the wrong type in the file is an error, not an exception.
  return GuardJson<CompareMapping>(schema_dir + "/budget_vs_final.json", [&]() -> Result<CompareMapping> {
    namespace fs = std::filesystem;
    const std::string mapping_path = (fs::path(schema_dir) / "budget_vs_final.json").string();
    const std::string catalogue_path = (fs::path(schema_dir) / "identities" / "catalogue.json").string();
    json mapping = json::parse(ReadWhole(mapping_path), nullptr, false);
    if (mapping.is_discarded()) return MakeError(ErrorCode::kInvalidArgument, mapping_path + ": missing or not JSON");
    json catalogue = json::parse(ReadWhole(catalogue_path), nullptr, false);
    if (catalogue.is_discarded())
      return MakeError(ErrorCode::kInvalidArgument, catalogue_path + ": missing or not JSON");
    auto parsed = ParseCompareMapping(mapping, catalogue);
    if (!parsed) return MakeError(parsed.error().code, mapping_path + ": " + parsed.error().message);
    return parsed;
  });
}

std::string UnitKey(const std::string& unit_name) {
  std::u32string out;
  for (char32_t cp : DecodeUtf8(unit_name)) {
    if (cp == U' ' || cp == U'\t' || cp == U'\n' || cp == U'\r' || cp == 0x3000 || cp == 0xA0) continue;
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII forms
    out.push_back(cp);
  }
  return EncodeUtf8(out);
}

std::optional<Decimal> ConvertMoney(const Decimal& value, const std::string& from, const std::string& to) {
  auto a = UnitExponent(from), b = UnitExponent(to);
  if (!a || !b) return std::nullopt;
  int shift = *b - *a;
  if (shift >= 0) return Decimal(value.units(), value.scale() + shift);  // to a larger unit
  Decimal factor = Decimal::FromInt(1);
  for (int i = 0; i < -shift; ++i) factor = factor * Decimal::FromInt(10);
  return value * factor;
}

std::vector<ComparisonRow> CompareDocuments(const CompareMapping& mapping,
                                            const std::vector<CompareDocument>& documents) {
  std::vector<const CompareDocument*> budgets, finals;
  for (const CompareDocument& d : documents) {
    if (d.kind == "yusuan") budgets.push_back(&d);
    if (d.kind == "juesuan") finals.push_back(&d);
  }
  struct Keyed {
    size_t item;
    std::string code;
    int source;
    ComparisonRow row;
  };
  std::vector<Keyed> rows;
  auto add = [&](size_t item_index, const std::string& code, int source_rank, const CompareDocument& budget_doc,
                 const CompareFact& budget, const CompareDocument& final_doc, const CompareFact& final) {
    auto b = ConvertMoney(budget.value, budget.scale, mapping.unit);
    auto f = ConvertMoney(final.value, final.scale, mapping.unit);
    if (!b || !f) return;  // a table without a known unit
    ComparisonRow row;
    row.unit = final_doc.unit;
    row.year = final_doc.year;
    row.item = mapping.items[item_index].item;
    row.code = code;
    row.source = source_rank == 0 ? kSourceBudgetDocument : kSourceFinalBudgetColumns;
    row.budget = Tidy(*b);
    row.final = Tidy(*f);
    row.budget_doc = budget_doc.path;
    row.final_doc = final_doc.path;
    row.budget_fact = budget;
    row.final_fact = final;
    rows.push_back(Keyed{item_index, code, source_rank, std::move(row)});
  };
  for (size_t i = 0; i < mapping.items.size(); ++i) {
    const CompareItem& item = mapping.items[i];
    for (const CompareDocument* final_doc : finals) {
      auto spent = Resolve(*final_doc, item.final_sources, mapping);
      if (spent.empty()) continue;
      for (const CompareDocument* budget_doc : budgets) {
        auto planned = Resolve(*budget_doc, item.budget_sources, mapping);
        for (const auto& [code, fact] : planned) {
          auto it = spent.find(code);
          if (it != spent.end()) add(i, code, 0, *budget_doc, *fact, *final_doc, *it->second);
        }
      }
      auto own = Resolve(*final_doc, item.final_budget_sources, mapping);
      for (const auto& [code, fact] : own) {
        auto it = spent.find(code);
        if (it != spent.end()) add(i, code, 1, *final_doc, *fact, *final_doc, *it->second);
      }
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Keyed& a, const Keyed& b) {
    return std::tie(a.item, a.code, a.source, a.row.budget_doc, a.row.final_doc) <
           std::tie(b.item, b.code, b.source, b.row.budget_doc, b.row.final_doc);
  });
  std::vector<ComparisonRow> out;
  out.reserve(rows.size());
  for (Keyed& k : rows) out.push_back(std::move(k.row));
  return out;
}

std::string ComparisonCsvHeader() {
  return "unit,year,item,code,source,budget_value,budget_unit,final_value,final_unit,difference,"
         "budget_doc,final_doc,budget_fact,final_fact,budget_table_value,budget_table_unit,"
         "final_table_value,final_table_unit\n";
}

std::string ComparisonCsvLine(const ComparisonRow& row, const std::string& unit) {
  const std::vector<std::string> fields = {
      row.unit, row.year ? std::to_string(*row.year) : "", row.item, row.code, row.source,
      row.budget.ToString(), unit, row.final.ToString(), unit, Tidy(row.final - row.budget).ToString(),
      row.budget_doc, row.final_doc, FactKey(row.budget_fact), FactKey(row.final_fact),
      row.budget_fact.value.ToString(), row.budget_fact.scale, row.final_fact.value.ToString(),
      row.final_fact.scale};
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + CsvField(fields[i]);
  return line + "\n";
}

}  // namespace juesuan
