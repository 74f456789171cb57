#include "harness/proxy/link_file.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "harness/core/errors.hpp"
#include "harness/core/suggest.hpp"
#include "harness/core/yaml_json.hpp"
#include "harness/proxy/endpoint.hpp"
#include "harness/proxy/toxic_body.hpp"

namespace camleak::proxy {
namespace {

class Reader {
 public:
  Reader(std::string file, const impair::Registry& registry)
      : file_(std::move(file)), registry_(registry) {}

  void problem(const YAML::Node& at, const std::string& field, const std::string& message) {
    problem(at.Mark(), field, message);
  }
  void problem(const YAML::Mark& mark, const std::string& field, const std::string& message) {
    problems_.push_back(Diagnostic{.file = file_,
                                   .line = mark.line >= 0 ? mark.line + 1 : 0,
                                   .column = mark.column >= 0 ? mark.column + 1 : 0,
                                   .field = field,
                                   .message = message});
  }
  std::vector<Diagnostic>& problems() { return problems_; }

  // Reports keys outside `known`, with a suggestion.
  void check_keys(const YAML::Node& map, const std::string& path,
                  const std::vector<std::string>& known) {
    for (const auto& kv : map) {
      const auto key = kv.first.as<std::string>();
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      problem(kv.first, path + key, "unknown field" + suggestion(key, known));
    }
  }

  std::string suggestion(const std::string& key, const std::vector<std::string>& known) {
    return did_you_mean(key, known);
  }

  std::optional<std::string> string_at(const YAML::Node& map, const char* key,
                                       const std::string& path) {
    const auto node = map[key];
    if (!node) return std::nullopt;
    if (!node.IsScalar()) {
      problem(node, path + key, "must be a string");
      return std::nullopt;
    }
    return node.as<std::string>();
  }

  std::optional<bool> bool_at(const YAML::Node& map, const char* key, const std::string& path) {
    const auto node = map[key];
    if (!node) return std::nullopt;
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
      problem(node, path + key, "must be true or false");
      return std::nullopt;
    }
    return value;
  }

  std::optional<impair::StageSpec> stage(const YAML::Node& node, const std::string& path,
                                         Protocol protocol) {
    if (!node.IsMap()) {
      problem(node.Mark(), path, "must be a map with at least \"type\"");
      return std::nullopt;
    }
    // Read as the API reads a toxic body, then each problem located at its field in the file.
    const YamlAsJson body = yaml_as_json(node);
    std::vector<Diagnostic> found;
    impair::StageSpec spec =
        read_toxic(body.value, {.unknown_keys = ToxicReading::UnknownKeys::report}, found);
    for (const auto& d : found) problem(body.locate(d.field), path + "." + d.field, d.message);
    if (spec.type.empty()) {
      const bool said = std::any_of(found.begin(), found.end(),
                                    [](const Diagnostic& d) { return d.field == "type"; });
      if (!said) {
        problem(node.Mark(), path + ".type", "missing (one of: " + type_names(protocol) + ")");
      }
      return std::nullopt;
    }
    if (!found.empty()) return std::nullopt;
    if (spec.name.empty()) spec.name = impair::default_stage_name(spec.type, spec.direction);
    // The registry checks type, toxicity, targeting, window and attributes; its findings name
    // an attribute or a field of the toxic.
    const auto transport =
        protocol == Protocol::udp ? impair::Transport::datagram : impair::Transport::stream;
    try {
      return impair::validated(spec, transport, registry_);
    } catch (const InputError& e) {
      for (const auto& d : e.diagnostics()) {
        const std::string attribute = "attributes." + d.field;
        const auto at = body.locate(!d.field.empty() && body.has(attribute) ? attribute : d.field);
        problem(at, path + (d.field.empty() ? "" : "." + d.field), d.message);
      }
      return std::nullopt;
    }
  }

  std::string type_names(Protocol protocol) {
    const auto names = registry_.names(protocol == Protocol::udp ? impair::Transport::datagram
                                                                 : impair::Transport::stream);
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  }

  std::optional<LinkSetup> link(const YAML::Node& node, size_t index) {
    const std::string at = "links[" + std::to_string(index) + "]";
    if (!node.IsMap()) {
      problem(node, at, "must be a map with name, listen and upstream");
      return std::nullopt;
    }
    LinkSetup setup;
    auto& c = setup.config;
    c.name = string_at(node, "name", at + ".").value_or("");
    if (c.name.empty()) problem(node, at + ".name", "missing");
    const std::string path = c.name.empty() ? at : "links." + c.name;
    check_keys(node, path + ".",
               {"name", "listen", "upstream", "protocol", "enabled", "pcap", "tap_ring", "toxics",
                "stages"});
    c.listen = string_at(node, "listen", path + ".").value_or("127.0.0.1:0");
    c.upstream = string_at(node, "upstream", path + ".").value_or("");
    if (c.upstream.empty()) problem(node, path + ".upstream", "missing");
    for (const auto& [key, text] : {std::pair{"listen", c.listen}, {"upstream", c.upstream}}) {
      if (text.empty()) continue;
      try {
        parse_host_port(text, key);
      } catch (const InputError& e) {
        problem(node[key], path + "." + key, e.diagnostics().front().message);
      }
    }
    if (const auto p = string_at(node, "protocol", path + ".")) {
      try {
        c.protocol = parse_protocol(*p);
      } catch (const InputError& e) {
        problem(node["protocol"], path + ".protocol", e.diagnostics().front().message);
      }
    }
    c.enabled = bool_at(node, "enabled", path + ".").value_or(true);
    c.tap.pcap_file = string_at(node, "pcap", path + ".").value_or("");
    c.tap.ring = bool_at(node, "tap_ring", path + ".").value_or(false);
    const auto stages = node["toxics"] ? node["toxics"] : node["stages"];
    if (stages) {
      if (!stages.IsSequence()) {
        problem(stages, path + ".toxics", "must be a list");
      } else {
        std::set<std::string> names;
        for (size_t i = 0; i < stages.size(); ++i) {
          const std::string sp = path + ".toxics[" + std::to_string(i) + "]";
          if (auto spec = stage(stages[i], sp, c.protocol)) {
            if (!names.insert(spec->name).second) {
              problem(stages[i], sp + ".name", "toxic \"" + spec->name + "\" already exists");
              continue;
            }
            setup.stages.push_back(std::move(*spec));
          }
        }
      }
    }
    return setup;
  }

 private:
  std::string file_;
  const impair::Registry& registry_;
  std::vector<Diagnostic> problems_;
};

}  // namespace

std::vector<LinkSetup> parse_link_file(const std::string& text, const std::string& name,
                                       const impair::Registry& registry) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(Diagnostic{.file = name,
                                .line = e.mark.line >= 0 ? e.mark.line + 1 : 0,
                                .column = e.mark.column >= 0 ? e.mark.column + 1 : 0,
                                .message = e.msg});
  }
  Reader reader(name, registry);
  YAML::Node list = root;
  if (root.IsMap()) {
    reader.check_keys(root, "", {"links"});
    list = root["links"];
  }
  if (!list || !list.IsSequence()) {
    reader.problem(root, "links", "expected a list of links (or a map with a links: list)");
    throw InputError(reader.problems());
  }
  std::vector<LinkSetup> out;
  std::set<std::string> names;
  for (size_t i = 0; i < list.size(); ++i) {
    auto setup = reader.link(list[i], i);
    if (!setup) continue;
    if (!setup->config.name.empty() && !names.insert(setup->config.name).second) {
      reader.problem(list[i], "links." + setup->config.name, "a link with this name exists");
    }
    out.push_back(std::move(*setup));
  }
  if (!reader.problems().empty()) throw InputError(reader.problems());
  return out;
}

std::vector<LinkSetup> load_link_file(const std::string& path, const impair::Registry& registry) {
  std::ifstream in(path);
  if (!in) throw InputError(Diagnostic{.file = path, .message = "cannot read the file"});
  std::stringstream text;
  text << in.rdbuf();
  return parse_link_file(text.str(), path, registry);
}

}  // namespace camleak::proxy
