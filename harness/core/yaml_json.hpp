#pragma once
// A YAML node as a JSON value, so a reader written once against JSON (toxic_body.hpp) serves a
// YAML file too, with where each value stood, so its problems can be located in the file.
// Plain scalars become numbers, true/false or null as YAML 1.2's core schema reads them;
// quoted scalars stay strings.
#include <yaml-cpp/yaml.h>

#include <boost/json.hpp>
#include <map>
#include <string>

namespace camleak {

struct YamlAsJson {
  boost::json::value value;
  // Field path ("window.start", "targeting.indices[1]") -> where it stands: a map entry's key,
  // a list's element; "" is the node itself.
  std::map<std::string, YAML::Mark> marks;
  // The mark of `field`, or of the nearest field that encloses it.
  YAML::Mark locate(const std::string& field) const;
  bool has(const std::string& field) const { return marks.contains(field); }
};

YamlAsJson yaml_as_json(const YAML::Node& node);

}  // namespace camleak
