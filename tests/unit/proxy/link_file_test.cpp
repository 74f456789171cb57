#include "harness/proxy/link_file.hpp"

#include <gtest/gtest.h>

#include "harness/core/errors.hpp"

namespace camleak::proxy {
namespace {

const auto& registry() {
  return impair::Registry::builtin();
}

std::vector<Diagnostic> problems_of(const std::string& text) {
  try {
    parse_link_file(text, "links.yaml", registry());
  } catch (const InputError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}

TEST(LinkFile, ParsesLinksWithToxicsAndUnits) {
  const auto links = parse_link_file(R"(
- name: uplink
  listen: 127.0.0.1:0
  upstream: 127.0.0.1:9554
  toxics:
    - type: latency
      attributes: {latency: 250ms, jitter: 10}
    - type: bandwidth
      stream: upstream
      toxicity: 0.5
      attributes: {rate: 2Mbps}
      targeting: {mode: first_n, n: 3}
      window: {start: 10s, stop: 20000}
- name: rtp
  protocol: udp
  upstream: 127.0.0.1:5004
  enabled: false
  stages:
    - {type: loss, stream: upstream, attributes: {probability: 5%}}
)",
                                     "links.yaml", registry());
  ASSERT_EQ(links.size(), 2u);
  const auto& up = links[0];
  EXPECT_EQ(up.config.name, "uplink");
  ASSERT_EQ(up.stages.size(), 2u);
  EXPECT_EQ(up.stages[0].name, "latency_downstream");
  EXPECT_EQ(std::get<int64_t>(up.stages[0].attributes.at("latency")), 250);
  EXPECT_EQ(up.stages[1].direction, impair::Direction::upstream);
  EXPECT_EQ(up.stages[1].toxicity, 0.5);
  EXPECT_EQ(std::get<int64_t>(up.stages[1].attributes.at("rate")), 250);
  EXPECT_EQ(up.stages[1].targeting.mode, impair::Targeting::Mode::first_n);
  EXPECT_EQ(up.stages[1].targeting.n, 3u);
  EXPECT_EQ(up.stages[1].window.start, Micros{10'000'000});
  EXPECT_EQ(up.stages[1].window.stop, Micros{20'000'000});
  EXPECT_EQ(links[1].config.protocol, Protocol::udp);
  EXPECT_FALSE(links[1].config.enabled);
  EXPECT_EQ(links[1].config.listen, "127.0.0.1:0");
  ASSERT_EQ(links[1].stages.size(), 1u);
}

TEST(LinkFile, YamlSyntaxErrorsCarryLineAndColumn) {
  const auto p = problems_of("- name: a\n  upstream: [oops\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].file, "links.yaml");
  EXPECT_GT(p[0].line, 0);
}

TEST(LinkFile, BadFieldsAreLocatedAndNamed) {
  const auto p = problems_of(R"(- name: a
  upstream: 127.0.0.1
  protocl: tcp
  toxics:
    - type: latency
      attributes: {latnecy: 5}
    - type: loss
)");
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].field, "links.a.protocl");
  EXPECT_NE(p[0].message.find("protocol"), std::string::npos);  // did you mean
  EXPECT_EQ(p[0].line, 3);
  EXPECT_EQ(p[0].column, 3);
  EXPECT_EQ(p[1].field, "links.a.upstream");
  EXPECT_EQ(p[1].line, 2);
  EXPECT_EQ(p[2].field, "links.a.toxics[0].latnecy");
  EXPECT_EQ(p[2].line, 6);
  EXPECT_EQ(p[3].field, "links.a.toxics[1].type");  // loss is a UDP stage
  EXPECT_EQ(p[3].line, 7);
}

TEST(LinkFile, ProblemsInsideAToxicAreLocatedAtTheirField) {
  const auto p = problems_of(R"(- name: a
  upstream: 127.0.0.1:1
  toxics:
    - type: latency
      window: {start: soon, end: 5s}
      targeting:
        mode: first_n
      stream: sideways
)");
  ASSERT_EQ(p.size(), 4u);  // in the order the toxic's fields are read
  EXPECT_EQ(p[0].field, "links.a.toxics[0].stream");
  EXPECT_EQ(p[0].line, 8);
  EXPECT_EQ(p[1].field, "links.a.toxics[0].targeting.n");  // missing: at its targeting
  EXPECT_EQ(p[1].line, 6);
  EXPECT_EQ(p[2].field, "links.a.toxics[0].window.end");  // unknown, with where it stands
  EXPECT_EQ(p[2].line, 5);
  EXPECT_EQ(p[3].field, "links.a.toxics[0].window.start");
  EXPECT_EQ(p[3].line, 5);
  EXPECT_EQ(p[3].column, 16);
}

TEST(LinkFile, DuplicateNamesAndMissingFields) {
  const auto p = problems_of(R"(
- name: a
  upstream: 127.0.0.1:1
- name: a
  upstream: 127.0.0.1:2
- listen: 127.0.0.1:0
)");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_NE(p[0].message.find("exists"), std::string::npos);
  EXPECT_EQ(p[1].field, "links[2].name");
  EXPECT_EQ(p[2].field, "links[2].upstream");
}

TEST(LinkFile, MissingFileIsInputError) {
  EXPECT_THROW(load_link_file("/nonexistent/links.yaml", registry()), InputError);
}

}  // namespace
}  // namespace camleak::proxy
