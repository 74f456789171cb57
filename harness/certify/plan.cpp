#include "harness/certify/plan.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "harness/core/errors.hpp"
#include "harness/scenario/yaml_reader.hpp"

namespace camleak::certify {
namespace {

namespace fs = std::filesystem;
using scenario::detail::Context;
using scenario::detail::MapReader;
namespace detail = scenario::detail;

// Sequence items as (node, path) pairs; a non-sequence is reported.
std::vector<std::pair<YAML::Node, std::string>> items(Context& ctx, const YAML::Node& node,
                                                      const std::string& path) {
  std::vector<std::pair<YAML::Node, std::string>> out;
  if (!node.IsSequence()) {
    ctx.error(node, path, "expected a list");
    return out;
  }
  for (size_t i = 0; i < node.size(); ++i) out.emplace_back(node[i], detail::index_path(path, i));
  return out;
}

// CL-AREA-NNN: "CL-", upper-case letters, "-", three digits.
bool is_test_id(std::string_view id) {
  if (!id.starts_with("CL-")) return false;
  id.remove_prefix(3);
  const size_t dash = id.find('-');
  if (dash == 0 || dash == std::string_view::npos || id.size() - dash - 1 != 3) return false;
  for (size_t i = 0; i < dash; ++i)
    if (id[i] < 'A' || id[i] > 'Z') return false;
  for (size_t i = dash + 1; i < id.size(); ++i)
    if (id[i] < '0' || id[i] > '9') return false;
  return true;
}

PlanTest read_test(Context& ctx, const YAML::Node& node, const std::string& path,
                   const fs::path& base) {
  PlanTest t;
  MapReader map(ctx, node, path);
  if (auto n = map.require("id")) {
    if (auto v = detail::read_string(ctx, *n, map.path("id"))) {
      if (!is_test_id(*v))
        ctx.error(*n, map.path("id"),
                  "a test ID is CL-AREA-NNN (e.g. CL-ISO-001), got \"" + *v + "\"");
      t.id = *v;
    }
  }
  detail::read_required_text(ctx, map, "title", t.title);
  detail::read_required_text(ctx, map, "purpose", t.purpose);
  detail::read_required_text(ctx, map, "pass", t.pass);
  if (auto n = map.require("scenario")) {
    if (auto v = detail::read_string(ctx, *n, map.path("scenario"))) {
      const fs::path p = fs::path(*v).is_relative() ? base / *v : fs::path(*v);
      std::error_code ec;
      if (!fs::is_regular_file(p, ec))
        ctx.error(*n, map.path("scenario"), "no such scenario file: " + p.string());
      t.scenario = p.lexically_normal().string();
    }
  }
  if (auto n = map.require("seeds")) {
    std::set<uint64_t> seen;
    for (const auto& [item, item_path] : items(ctx, *n, map.path("seeds"))) {
      if (auto v = detail::read_int(ctx, item, item_path, 0, INT64_MAX)) {
        if (!seen.insert(static_cast<uint64_t>(*v)).second)
          ctx.error(item, item_path, "seed " + std::to_string(*v) + " is listed twice");
        t.seeds.push_back(static_cast<uint64_t>(*v));
      }
    }
    if (t.seeds.empty() && n->IsSequence())
      ctx.error(*n, map.path("seeds"), "give at least one seed");
  }
  map.finish();
  return t;
}

}  // namespace

Plan load_plan(const std::string& path) {
  fs::path file(path);
  std::error_code ec;
  if (fs::is_directory(file, ec)) file /= "plan.yaml";
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(Diagnostic{.file = file.string(), .message = "cannot open the plan"});
  std::ostringstream text;
  text << in.rdbuf();
  Context ctx(file.string());
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::ParserException& e) {
    ctx.error(e.mark, "", "YAML syntax error: " + e.msg);
    throw InputError(ctx.take());
  }
  Plan plan;
  plan.file = file.string();
  MapReader top(ctx, root, "");
  detail::read_required_text(ctx, top, "plan", plan.name);
  detail::read_required_text(ctx, top, "version", plan.version);
  top.read_into("description", plan.description, detail::read_string);
  if (auto n = top.get("sources")) {
    for (const auto& [item, item_path] : items(ctx, *n, "sources")) {
      MapReader map(ctx, item, item_path);
      PlanSource s;
      detail::read_required_text(ctx, map, "id", s.id);
      detail::read_required_text(ctx, map, "title", s.title);
      detail::read_required_text(ctx, map, "url", s.url);
      map.finish();
      plan.sources.push_back(std::move(s));
    }
  }
  if (auto n = top.require("tests")) {
    std::set<std::string> ids;
    for (const auto& [item, item_path] : items(ctx, *n, "tests")) {
      PlanTest t = read_test(ctx, item, item_path, file.parent_path());
      if (!t.id.empty() && !ids.insert(t.id).second)
        ctx.error(item["id"], item_path + ".id", "test ID " + t.id + " is used twice");
      plan.tests.push_back(std::move(t));
    }
    if (plan.tests.empty() && n->IsSequence())
      ctx.error(*n, "tests", "a plan needs at least one test");
  }
  if (auto n = top.get("not_covered")) {
    if (auto list = detail::read_string_list(ctx, *n, "not_covered")) plan.not_covered = *list;
  }
  top.finish();
  if (auto d = ctx.take(); !d.empty()) throw InputError(std::move(d));
  return plan;
}

}  // namespace camleak::certify
