#include "harness/proxy/toxiproxy_json.hpp"

#include <gtest/gtest.h>

#include "harness/core/errors.hpp"
#include "harness/core/json_text.hpp"
#include "harness/impair/registry.hpp"

namespace camleak::proxy {
namespace {

namespace json = boost::json;

int status_of(const std::string& body) {
  try {
    parse_toxic(parse_body(body));
  } catch (const ApiError& e) {
    return e.status();
  }
  return 0;
}

TEST(ToxiproxyJson, ToxicDefaultsAsToxiproxy) {
  const auto spec = parse_toxic(parse_body(R"({"type":"latency"})"));
  EXPECT_EQ(spec.type, "latency");
  EXPECT_EQ(spec.direction, impair::Direction::downstream);
  EXPECT_EQ(spec.toxicity, 1.0);
  EXPECT_EQ(spec.name, "");  // the proxy names it latency_downstream
}

TEST(ToxiproxyJson, BadBodiesAre400) {
  EXPECT_EQ(status_of("nope"), 400);
  EXPECT_EQ(status_of("[]"), 400);
  EXPECT_EQ(status_of(R"({"type":"latency","toxicity":2})"), 400);
  EXPECT_EQ(status_of(R"({"type":"latency","attributes":{"latency":[1]}})"), 400);
  EXPECT_EQ(status_of(R"({"type":"latency","targeting":{"mode":"some"}})"), 400);
  EXPECT_EQ(status_of(R"({"type":"latency","window":{"start":"soon"}})"), 400);
  EXPECT_EQ(status_of(R"({"type":"latency","stream":"up"})"), 400);
}

TEST(ToxiproxyJson, ToxicRoundTripsWithExtensions) {
  impair::StageSpec spec{.name = "cut",
                         .type = "down",
                         .direction = impair::Direction::upstream,
                         .toxicity = 0.25,
                         .attributes = {{"mode", std::string("reset")}},
                         .targeting = {.mode = impair::Targeting::Mode::indices, .indices = {1, 3}},
                         .window = {.start = Micros{1'500'000}, .stop = std::nullopt}};
  const auto back = parse_toxic(json::value(toxic_json(spec)));
  EXPECT_EQ(back.name, "cut");
  EXPECT_EQ(back.direction, impair::Direction::upstream);
  EXPECT_EQ(back.toxicity, 0.25);
  EXPECT_EQ(std::get<std::string>(back.attributes.at("mode")), "reset");
  EXPECT_EQ(back.targeting.indices, (std::vector<uint64_t>{1, 3}));
  EXPECT_EQ(back.window.start, Micros{1'500'000});
  EXPECT_FALSE(back.window.stop);
}

TEST(ToxiproxyJson, ProxyShape) {
  const auto o = proxy_json(LinkInfo{.name = "p",
                                     .listen = "127.0.0.1:1",
                                     .port = 1,
                                     .upstream = "127.0.0.1:2",
                                     .protocol = Protocol::tcp,
                                     .enabled = true,
                                     .stages = {}});
  for (const char* key : {"name", "listen", "upstream", "enabled", "toxics"}) {
    EXPECT_TRUE(o.contains(key)) << key;
  }
  const auto in = parse_proxy(parse_body(R"({"name":"p","upstream":"h:1","protocol":"udp"})"));
  EXPECT_EQ(in.protocol, Protocol::udp);
  EXPECT_FALSE(in.enabled.has_value());
}

// Toxiproxy (Go) prints `"toxicity":1`; boost::json::serialize printed `1E0`.
TEST(ToxiproxyJson, NumbersArePrintedAsToxiproxyPrintsThem) {
  impair::StageSpec spec{.name = "lat",
                         .type = "latency",
                         .toxicity = 1.0,
                         .attributes = {{"latency", int64_t{300}}, {"jitter", 0.5}}};
  const std::string text = json_text(toxic_json(spec));
  EXPECT_NE(text.find(R"("toxicity":1,)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("latency":300)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("jitter":0.5)"), std::string::npos) << text;
  EXPECT_EQ(text.find("E0"), std::string::npos) << text;
  spec.toxicity = 0.0;
  EXPECT_NE(json_text(toxic_json(spec)).find(R"("toxicity":0,)"), std::string::npos);
}

// A number past INT64_MAX used to be cast to a negative int64 ("got -1"); it must stay large,
// so the registry reports it as out of range.
TEST(ToxiproxyJson, HugeAttributesStayHuge) {
  const auto spec = parse_toxic(
      parse_body(R"({"type":"latency","attributes":{"latency":18446744073709551615}})"));
  const auto& latency = spec.attributes.at("latency");
  ASSERT_TRUE(std::holds_alternative<double>(latency));
  EXPECT_GT(std::get<double>(latency), 1e19);
  try {
    impair::Registry::builtin().complete("latency", spec.attributes);
    ADD_FAILURE() << "an 18446744073709551615 ms latency was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("out of range"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("-"), std::string::npos) << e.what();
  }
  // Fits int64 as milliseconds, not as the microseconds the stage runs on.
  EXPECT_THROW(impair::Registry::builtin().complete(
                   "latency", {{"latency", int64_t{9'000'000'000'000'000'000}}}),
               InputError);
  EXPECT_EQ(status_of(R"({"type":"latency","window":{"start":1e20}})"), 400);
}

}  // namespace
}  // namespace camleak::proxy
