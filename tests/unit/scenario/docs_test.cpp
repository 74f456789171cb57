// The documentation shipped with the format stays true: schema.json, README, example files.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

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

TEST(ScenarioDocs, EveryShippedScenarioValidates) {
  namespace fs = std::filesystem;
  size_t count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(source_path("scenarios"))) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
    SCOPED_TRACE(entry.path().string());
    EXPECT_NO_THROW(load_scenario_file(entry.path().string()));
    ++count;
  }
  EXPECT_GE(count, 3u);
}

}  // namespace
}  // namespace camleak::scenario
