#include "harness/impair/registry.hpp"

#include <gtest/gtest.h>

#include "harness/core/errors.hpp"

namespace camleak::impair {
namespace {

std::vector<Diagnostic> problems_of(std::string_view type, const Attributes& attributes) {
  try {
    Registry::builtin().complete(type, attributes);
  } catch (const InputError& error) {
    return error.diagnostics();
  }
  return {};
}

TEST(Registry, ListsEveryBuiltinStageByTransport) {
  const auto& registry = Registry::builtin();
  EXPECT_EQ(registry.names(Transport::stream),
            (std::vector<std::string>{"latency", "bandwidth", "slow_close", "timeout", "slicer",
                                      "limit_data", "reset_peer", "down"}));
  EXPECT_EQ(registry.names(Transport::datagram),
            (std::vector<std::string>{"loss", "duplicate", "reorder", "corrupt", "rate", "delay"}));
}

TEST(Registry, EveryStageAndAttributeIsDocumented) {
  for (const auto& type : Registry::builtin().types()) {
    EXPECT_FALSE(type.doc.empty()) << type.name;
    EXPECT_TRUE(type.create) << type.name;
    for (const auto& attribute : type.attributes) {
      EXPECT_FALSE(attribute.doc.empty()) << type.name << "." << attribute.name;
      EXPECT_EQ(attribute.doc.find('\n'), std::string::npos) << "one line";
      const bool numeric = attribute.kind == AttributeSpec::Kind::integer ||
                           attribute.kind == AttributeSpec::Kind::number;
      EXPECT_EQ(numeric, !attribute.unit.empty()) << type.name << "." << attribute.name;
      // Every default must itself pass validation.
      EXPECT_NO_THROW(Registry::builtin().complete(
          type.name, Attributes{{attribute.name, attribute.default_value}}))
          << type.name << "." << attribute.name;
    }
  }
}

TEST(Registry, CompletesDefaults) {
  const Attributes out = Registry::builtin().complete("latency", {{"latency", int64_t{250}}});
  EXPECT_EQ(std::get<int64_t>(out.at("latency")), 250);
  EXPECT_EQ(std::get<int64_t>(out.at("jitter")), 0);
  EXPECT_EQ(std::get<std::string>(out.at("distribution")), "uniform");
  EXPECT_EQ(std::get<double>(out.at("correlation")), 0.0);
}

TEST(Registry, ConvertsNumbersToTheAttributeKind) {
  const auto& registry = Registry::builtin();
  // Integral doubles are fine where integers are expected (JSON clients send 100.0).
  EXPECT_EQ(std::get<int64_t>(registry.complete("latency", {{"latency", 100.0}}).at("latency")),
            100);
  // Integers are fine where numbers are expected.
  EXPECT_EQ(
      std::get<double>(registry.complete("loss", {{"probability", int64_t{5}}}).at("probability")),
      5.0);
}

TEST(Registry, ReadsValuesWrittenWithUnits) {
  const auto& registry = Registry::builtin();
  EXPECT_EQ(std::get<int64_t>(
                registry.complete("latency", {{"latency", std::string("1.5s")}}).at("latency")),
            1500);
  EXPECT_EQ(std::get<int64_t>(
                registry.complete("bandwidth", {{"rate", std::string("800kbps")}}).at("rate")),
            100);  // 800 kbit/s = 100 KB/s
  EXPECT_EQ(
      std::get<double>(registry.complete("rate", {{"rate", std::string("2Mbps")}}).at("rate")),
      2000.0);
  EXPECT_EQ(std::get<double>(
                registry.complete("loss", {{"probability", std::string("5%")}}).at("probability")),
            5.0);
  EXPECT_EQ(std::get<int64_t>(
                registry.complete("limit_data", {{"bytes", std::string("64KiB")}}).at("bytes")),
            65536);
}

TEST(Registry, ReportsEveryBadAttributeByName) {
  const auto problems = problems_of("latency", {{"jiter", int64_t{5}},
                                                {"latency", int64_t{-1}},
                                                {"distribution", std::string("normall")},
                                                {"correlation", true}});
  ASSERT_EQ(problems.size(), 4u);
  // Attributes is an ordered map: correlation, distribution, jiter, latency.
  EXPECT_EQ(problems[0].field, "correlation");
  EXPECT_NE(problems[0].message.find("must be a number"), std::string::npos);
  EXPECT_EQ(problems[1].field, "distribution");
  EXPECT_NE(problems[1].message.find("did you mean `normal`"), std::string::npos);
  EXPECT_EQ(problems[2].field, "jiter");
  EXPECT_NE(problems[2].message.find("did you mean `jitter`"), std::string::npos);
  EXPECT_EQ(problems[3].field, "latency");
  EXPECT_NE(problems[3].message.find("at least 0 ms"), std::string::npos);
}

TEST(Registry, RejectsOutOfRangeAndFractionalValues) {
  auto problems = problems_of("loss", {{"probability", 150.0}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "probability");
  EXPECT_NE(problems[0].message.find("between 0 and 100 %"), std::string::npos);

  problems = problems_of("latency", {{"latency", 2.5}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].message.find("whole number"), std::string::npos);

  problems = problems_of("latency", {{"latency", std::string("soon")}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].message.find("cannot read `soon`"), std::string::npos);
}

TEST(Registry, ChecksAttributesTogether) {
  auto problems =
      problems_of("slicer", {{"average_size", int64_t{10}}, {"size_variation", int64_t{10}}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "size_variation");

  problems = problems_of("loss", {{"model", std::string("state")}, {"p13", 60.0}, {"p14", 50.0}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "p14");
}

TEST(Registry, UnknownTypeSuggestsTheClosest) {
  try {
    Registry::builtin().complete("latncy", {});
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    ASSERT_EQ(error.diagnostics().size(), 1u);
    EXPECT_EQ(error.diagnostics()[0].field, "type");
    EXPECT_NE(error.diagnostics()[0].message.find("did you mean `latency`"), std::string::npos);
  }
  EXPECT_EQ(Registry::builtin().find("nope"), nullptr);
}

TEST(Registry, RefusesDuplicateRegistration) {
  Registry registry;
  registry.add(StageType{.name = "x", .transport = Transport::stream});
  EXPECT_THROW(registry.add(StageType{.name = "x", .transport = Transport::stream}),
               std::logic_error);
}

}  // namespace
}  // namespace camleak::impair
