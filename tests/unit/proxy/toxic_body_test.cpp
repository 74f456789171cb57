// One reader of a toxic for the JSON API and the YAML link file: the same body reads the same
// from both, every problem names its field, and a YAML document keeps where each field stood.
#include "harness/proxy/toxic_body.hpp"

#include <gtest/gtest.h>

#include "harness/core/yaml_json.hpp"

namespace camleak::proxy {
namespace {

namespace json = boost::json;

std::vector<Diagnostic> problems_of(
    const json::value& body, ToxicReading::UnknownKeys keys = ToxicReading::UnknownKeys::ignore) {
  std::vector<Diagnostic> problems;
  read_toxic(body, {.unknown_keys = keys}, problems);
  return problems;
}

TEST(ToxicBody, TheSameToxicReadsAlikeFromJsonAndYaml) {
  const auto from_json = json::parse(R"({"name": "cut", "type": "down", "stream": "upstream",
      "toxicity": 0.25, "attributes": {"mode": "reset", "n": 3, "big": 18446744073709551615},
      "targeting": {"mode": "indices", "indices": [1, 3]}, "window": {"start": "1.5s", "stop": 2000}})");
  const auto from_yaml = yaml_as_json(YAML::Load(R"(
name: cut
type: down
stream: upstream
toxicity: 0.25
attributes: {mode: reset, n: 3, big: 18446744073709551615}
targeting: {mode: indices, indices: [1, 3]}
window: {start: 1.5s, stop: 2000}
)"));
  for (const auto* body : {&from_json, &from_yaml.value}) {
    std::vector<Diagnostic> problems;
    const auto spec = read_toxic(*body, {}, problems);
    EXPECT_TRUE(problems.empty()) << problems.front().format();
    EXPECT_EQ(spec.name, "cut");
    EXPECT_EQ(spec.type, "down");
    EXPECT_EQ(spec.direction, impair::Direction::upstream);
    EXPECT_EQ(spec.toxicity, 0.25);
    EXPECT_EQ(std::get<std::string>(spec.attributes.at("mode")), "reset");
    EXPECT_EQ(std::get<int64_t>(spec.attributes.at("n")), 3);
    // Past int64 a number stays a (huge) number for the registry to refuse, never wraps.
    EXPECT_GT(std::get<double>(spec.attributes.at("big")), 1e19);
    EXPECT_EQ(spec.targeting.mode, impair::Targeting::Mode::indices);
    EXPECT_EQ(spec.targeting.indices, (std::vector<uint64_t>{1, 3}));
    EXPECT_EQ(spec.window.start, Micros{1'500'000});
    EXPECT_EQ(spec.window.stop, Micros{2'000'000});
  }
}

TEST(ToxicBody, EveryProblemNamesItsField) {
  const auto p = problems_of(json::parse(R"({"type": 7, "stream": "sideways", "toxicity": 2,
      "attributes": {"latency": [1]}, "targeting": {"mode": "first_n"},
      "window": {"start": "soon", "stop": "later"}})"));
  std::vector<std::string> fields;
  for (const auto& d : p) fields.push_back(d.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"type", "stream", "toxicity", "attributes.latency",
                                              "targeting.n", "window.start", "window.stop"}));
  EXPECT_NE(p[1].message.find("sideways"), std::string::npos) << p[1].message;
  EXPECT_EQ(problems_of(json::parse("[]")).at(0).field, "");
  EXPECT_EQ(problems_of(json::parse(R"({"targeting": {"mode": "indices", "indices": [0, -1]}})"))
                .at(0)
                .field,
            "targeting.indices[1]");
}

TEST(ToxicBody, UnknownKeysAreReportedOnlyWhenAsked) {
  const auto body = json::parse(
      R"({"type": "latency", "strem": "upstream", "window": {"begin": 1}, "attributes": {"x": 1}})");
  EXPECT_TRUE(problems_of(body).empty());  // Toxiproxy ignores fields it does not know
  const auto p = problems_of(body, ToxicReading::UnknownKeys::report);
  ASSERT_EQ(p.size(), 2u);  // attribute names are the registry's to judge
  EXPECT_EQ(p[0].field, "strem");
  EXPECT_NE(p[0].message.find("stream"), std::string::npos);  // did you mean
  EXPECT_EQ(p[1].field, "window.begin");
}

TEST(ToxicBody, AnUpdateReadsOnlyWhatItMayChange) {
  std::vector<Diagnostic> problems;
  const auto update =
      read_toxic_update(json::parse(R"({"toxicity": 0.5, "attributes": {"a": 1}})"), {}, problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(update.toxicity, 0.5);
  ASSERT_TRUE(update.attributes);
  EXPECT_FALSE(update.targeting);
  EXPECT_FALSE(update.window);
  read_toxic_update(json::parse(R"({"toxicity": "high"})"), {}, problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "toxicity");
}

TEST(YamlAsJson, PlainScalarsAreTypedAndQuotedOnesStayText) {
  const auto doc =
      yaml_as_json(YAML::Load(R"({a: 5, b: "5", c: 2.5, d: true, e: 'false', f: ~, g: 10ms})"));
  const auto& o = doc.value.as_object();
  EXPECT_TRUE(o.at("a").is_int64());
  EXPECT_EQ(o.at("b").as_string(), "5");
  EXPECT_TRUE(o.at("c").is_double());
  EXPECT_TRUE(o.at("d").is_bool());
  EXPECT_EQ(o.at("e").as_string(), "false");
  EXPECT_TRUE(o.at("f").is_null());
  EXPECT_EQ(o.at("g").as_string(), "10ms");
}

TEST(YamlAsJson, EveryFieldKeepsWhereItStood) {
  const auto doc =
      yaml_as_json(YAML::Load("type: latency\nwindow:\n  start: soon\ntargeting:\n"
                              "  indices:\n    - 1\n    - x\n"));
  EXPECT_EQ(doc.locate("window.start").line, 2);  // 0-based, the key
  EXPECT_EQ(doc.locate("window.start").column, 2);
  EXPECT_EQ(doc.locate("targeting.indices[1]").line, 6);
  // A field that is not there is placed at the nearest one that encloses it.
  EXPECT_EQ(doc.locate("window.stop").line, 1);
  EXPECT_EQ(doc.locate("nothing").line, 0);
}

}  // namespace
}  // namespace camleak::proxy
