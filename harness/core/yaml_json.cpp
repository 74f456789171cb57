#include "harness/core/yaml_json.hpp"

namespace camleak {
namespace json = boost::json;
namespace {

json::value scalar(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return json::value(text);  // quoted: text, whatever it reads like
  if (text.empty() || text == "~" || text == "null") return nullptr;
  if (text == "true") return true;
  if (text == "false") return false;
  int64_t i = 0;
  if (YAML::convert<int64_t>::decode(node, i)) return i;
  double d = 0;
  if (YAML::convert<double>::decode(node, d)) return d;
  return json::value(text);
}

json::value convert(const YAML::Node& node, const std::string& path,
                    std::map<std::string, YAML::Mark>& marks) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json::object out;
      for (const auto& kv : node) {
        const auto key = kv.first.as<std::string>();
        const std::string field = path.empty() ? key : path + "." + key;
        marks.emplace(field, kv.first.Mark());
        out[key] = convert(kv.second, field, marks);
      }
      return out;
    }
    case YAML::NodeType::Sequence: {
      json::array out;
      for (size_t i = 0; i < node.size(); ++i) {
        const std::string field = path + "[" + std::to_string(i) + "]";
        marks.emplace(field, node[i].Mark());
        out.push_back(convert(node[i], field, marks));
      }
      return out;
    }
    case YAML::NodeType::Scalar:
      return scalar(node);
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
  }
  return nullptr;
}

}  // namespace

YAML::Mark YamlAsJson::locate(const std::string& field) const {
  std::string at = field;
  while (!at.empty()) {
    if (const auto it = marks.find(at); it != marks.end()) return it->second;
    const auto cut = at.find_last_of(".[");
    at = cut == std::string::npos ? "" : at.substr(0, cut);
  }
  return marks.at("");
}

YamlAsJson yaml_as_json(const YAML::Node& node) {
  YamlAsJson out;
  out.marks.emplace("", node.Mark());
  out.value = convert(node, "", out.marks);
  return out;
}

}  // namespace camleak
