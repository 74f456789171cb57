// The documentation shipped with the format stays true: schema.json, README, example files.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <filesystem>
#include <sstream>
#include <string_view>

#include "harness/scenario/adapter_loader.hpp"
#include "harness/scenario/profiles.hpp"
#include "tests/unit/scenario/test_util.hpp"

namespace camleak::scenario {
namespace {

using testing::read_text;
using testing::source_path;

TEST(ScenarioDocs, SchemaIsValidJsonAndNamesEveryTopLevelKey) {
  boost::system::error_code ec;
  const auto schema = boost::json::parse(read_text(source_path("scenarios/schema.json")), ec);
  ASSERT_FALSE(ec) << ec.message();
  const auto& root = schema.as_object();
  EXPECT_EQ(root.at("$schema").as_string(), "http://json-schema.org/draft-07/schema#");
  const auto& properties = root.at("properties").as_object();
  for (const auto& key : top_level_keys()) {
    EXPECT_TRUE(properties.contains(key)) << "schema.json lacks top-level key " << key;
  }
  EXPECT_EQ(properties.size(), top_level_keys().size()) << "schema.json names a key the parser "
                                                           "does not accept";
  EXPECT_FALSE(root.at("additionalProperties").as_bool());
}

TEST(ScenarioDocs, SchemaListsEveryProfile) {
  const std::string schema = read_text(source_path("scenarios/schema.json"));
  for (const auto& name : profile_names()) {
    EXPECT_NE(schema.find("\"" + name + "\""), std::string::npos) << name;
  }
}

TEST(ScenarioDocs, SchemaAndReadmeListEveryStageType) {
  const std::string schema = read_text(source_path("scenarios/schema.json"));
  const std::string readme = read_text(source_path("scenarios/README.md"));
  for (const auto& type : impair::Registry::builtin().types()) {
    EXPECT_NE(schema.find("\"" + type.name + "\""), std::string::npos) << type.name;
    EXPECT_NE(readme.find("`" + type.name + "`"), std::string::npos) << type.name;
  }
}

TEST(ScenarioDocs, ReadmeDocumentsEveryTopLevelKeyAndProfile) {
  const std::string readme = read_text(source_path("scenarios/README.md"));
  for (const auto& key : top_level_keys()) {
    EXPECT_NE(readme.find("`" + key + "`"), std::string::npos) << key;
  }
  for (const auto& p : builtin_profiles()) {
    EXPECT_NE(readme.find("`" + p.name + "`"), std::string::npos) << p.name;
  }
}

// A ```yaml block of a README, with where it starts for messages.
struct YamlBlock {
  std::string where;  // "README.md:38"
  std::string text;
};

// Every fenced block tagged yaml or yml (any case) in the markdown `text`, named `label`; blocks
// of other languages are skipped whole. A fence indented under a list item strips that indent.
std::vector<YamlBlock> yaml_blocks_in(const std::string& text, const std::string& label) {
  std::istringstream in(text);
  std::vector<YamlBlock> blocks;
  std::string line;
  int number = 0;
  bool in_fence = false, is_yaml = false;
  size_t indent = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto first = line.find_first_not_of(' ');
    const bool fence = first != std::string::npos && line.compare(first, 3, "```") == 0;
    if (fence && !in_fence) {
      std::string info = line.substr(first + 3);
      std::transform(info.begin(), info.end(), info.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      info.erase(std::remove(info.begin(), info.end(), ' '), info.end());
      in_fence = true;
      indent = first;
      is_yaml = info == "yaml" || info == "yml";
      if (is_yaml) blocks.push_back({label + ":" + std::to_string(number), ""});
    } else if (fence) {
      in_fence = false;
    } else if (in_fence && is_yaml) {
      blocks.back().text += line.substr(std::min({indent, first, line.size()})) + "\n";
    }
  }
  EXPECT_FALSE(in_fence) << label << ": a code fence is never closed";
  return blocks;
}

std::vector<YamlBlock> yaml_blocks(const std::string& relative) {
  return yaml_blocks_in(read_text(source_path(relative)), relative);
}

// The convention for a block that shows part of a scenario (the `sut` section, say): its first
// line is a `# fragment` comment, visible in the README. It is validated inside a minimal
// scenario that supplies the required top-level keys it lacks.
constexpr std::string_view kFragmentMarker = "# fragment";
// A block that is an adapter file (scenarios/README.md, Adapters) starts with `# adapter`.
constexpr std::string_view kAdapterMarker = "# adapter";

std::string as_scenario(const std::string& fragment) {
  const auto has_key = [&](const std::string& key) {
    return fragment.starts_with(key + ":") || fragment.find("\n" + key + ":") != std::string::npos;
  };
  std::string wrapped;
  if (!has_key("name")) wrapped += "name: docs-fragment\n";
  if (!has_key("duration")) wrapped += "duration: 60s\n";
  if (!has_key("fleet")) wrapped += "fleet:\n  accounts: 2\n";
  return wrapped + fragment;
}

// Every ```yaml block of README.md and scenarios/README.md is a scenario that validates, or a
// marked fragment that validates inside a minimal scenario: a documented example that
// `camleak validate` refuses (README once said `mode: all_at_once`) fails here.
TEST(ScenarioDocs, EveryYamlBlockInTheReadmesValidates) {
  size_t whole = 0, fragments = 0, adapters = 0;
  for (const char* readme : {"README.md", "scenarios/README.md"}) {
    for (const auto& block : yaml_blocks(readme)) {
      SCOPED_TRACE(block.where);
      if (block.text.starts_with(kAdapterMarker)) {
        try {
          load_adapter_text(block.text, block.where + " (```yaml adapter block)",
                            [](const std::string&) { return std::optional<std::string>("x"); });
        } catch (const InputError& e) {
          ADD_FAILURE() << e.what();
        }
        ++adapters;
        continue;
      }
      const bool fragment = block.text.starts_with(kFragmentMarker);
      const std::string text = fragment ? as_scenario(block.text) : block.text;
      try {
        load_scenario_text(text, block.where + " (```yaml block)");
      } catch (const InputError& e) {
        ADD_FAILURE() << e.what() << "\n--- as validated:\n" << text;
      }
      ++(fragment ? fragments : whole);
    }
  }
  // The README's minimal scenario and its external-relay `sut` section, at least: finding fewer
  // means the extraction broke, not that the docs lost their examples.
  EXPECT_GE(whole, 1u);
  EXPECT_GE(fragments, 1u);
  EXPECT_GE(adapters, 1u);
}

TEST(ScenarioDocs, YamlBlocksAreFoundWhereverTheyAreAndFragmentsWrapped) {
  const auto blocks = yaml_blocks_in(
      "text\n```sh\nname: not yaml\n```\n"
      "- item\n  ```YML\n  a:\n    b: 1\n  ```\n"
      "```yaml\nc: 2\n```\n",
      "doc.md");
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].where, "doc.md:6");
  EXPECT_EQ(blocks[0].text, "a:\n  b: 1\n");
  EXPECT_EQ(blocks[1].where, "doc.md:10");
  EXPECT_EQ(blocks[1].text, "c: 2\n");
  EXPECT_EQ(as_scenario("# fragment\nsut: {kind: builtin}\n"),
            "name: docs-fragment\nduration: 60s\nfleet:\n  accounts: 2\n# fragment\nsut: {kind: "
            "builtin}\n");
  EXPECT_EQ(as_scenario("# fragment\nname: x\nduration: 1s\nfleet: {accounts: 1}\n"),
            "# fragment\nname: x\nduration: 1s\nfleet: {accounts: 1}\n");
}

TEST(ScenarioDocs, EveryShippedScenarioValidates) {
  namespace fs = std::filesystem;
  size_t count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(source_path("scenarios"))) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
    SCOPED_TRACE(entry.path().string());
    const std::string folder = entry.path().parent_path().filename().string();
    const std::string name = entry.path().filename().string();
    if (folder == "adapters") {
      EXPECT_NO_THROW(load_adapter_file(entry.path().string()));
      continue;
    }
    // The certification plan and DUT declarations have readers of their own (certify tests).
    if (folder == "certification" && (name == "plan.yaml" || name.starts_with("dut-"))) continue;
    EXPECT_NO_THROW(load_scenario_file(entry.path().string()));
    ++count;
  }
  EXPECT_GE(count, 3u);
}

}  // namespace
}  // namespace camleak::scenario
