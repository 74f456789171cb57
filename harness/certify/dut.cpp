#include "harness/certify/dut.hpp"

#include <fstream>
#include <sstream>

#include "harness/core/errors.hpp"
#include "harness/scenario/capabilities.hpp"
#include "harness/scenario/sections.hpp"

namespace camleak::certify {
namespace {

namespace detail = scenario::detail;

}  // namespace

Dut load_dut(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(Diagnostic{.file = path, .message = "cannot open the DUT declaration"});
  std::ostringstream text;
  text << in.rdbuf();
  Dut dut;
  dut.file = path;
  dut.text = text.str();
  detail::Context ctx(path);
  YAML::Node root;
  try {
    root = YAML::Load(dut.text);
  } catch (const YAML::ParserException& e) {
    ctx.error(e.mark, "", "YAML syntax error: " + e.msg);
    throw InputError(ctx.take());
  }
  detail::MapReader top(ctx, root, "");
  if (auto n = top.require("dut")) {
    detail::MapReader map(ctx, *n, "dut");
    detail::read_required_text(ctx, map, "vendor", dut.vendor);
    detail::read_required_text(ctx, map, "product", dut.product);
    detail::read_required_text(ctx, map, "version", dut.version);
    detail::read_required_text(ctx, map, "contact", dut.contact);
    map.finish();
  }
  if (auto n = top.require("capabilities")) {
    if (auto list = detail::read_string_list(ctx, *n, "capabilities")) {
      std::vector<std::string> names(scenario::capability_names());
      for (size_t i = 0; i < list->size(); ++i) {
        const YAML::Node item = n->IsSequence() ? (*n)[i] : *n;
        if (auto c = detail::read_choice(ctx, item, detail::index_path("capabilities", i), names))
          dut.capabilities.insert(names[*c]);
      }
    }
  }
  if (auto n = top.require("sut")) detail::read_sut(ctx, *n, dut.sut);
  top.finish();
  if (auto d = ctx.take(); !d.empty()) throw InputError(std::move(d));
  return dut;
}

std::string not_applicable(const scenario::Scenario& scenario, const Dut& dut) {
  std::string undeclared;
  for (const auto& need : scenario::needed_capabilities(scenario))
    if (!dut.capabilities.contains(need)) undeclared += (undeclared.empty() ? "" : ", ") + need;
  if (!undeclared.empty()) return "needs " + undeclared + ", which the DUT does not declare";
  return scenario::not_applicable_reason(scenario);
}

}  // namespace camleak::certify
