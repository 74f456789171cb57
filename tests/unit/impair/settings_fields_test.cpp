// Stage attributes declared once, bound to Settings members: the schema's defaults are the
// members' initial values in the attribute's unit, parsing fills the members, pieces bind
// through within(), and cross-field checks judge the parsed settings.
#include "harness/impair/settings_fields.hpp"

#include <gtest/gtest.h>

#include "harness/impair/queued_stage.hpp"
#include "harness/impair/queues.hpp"
#include "harness/impair/settings_pieces.hpp"

namespace camleak::impair {
namespace {

enum class Colour { red, green };

class ProbeStage final : public QueuedStage<OrderedQueue> {
 public:
  struct Settings : StageSettings {
    double odds = 0.25;
    Micros wait{1'500'000};
    Micros fine{2'500};
    Micros tick{7};
    size_t count = 3;
    double rate = 1.5;
    bool on = true;
    Colour colour = Colour::green;
    Chance chance{.probability = 0.5, .correlation = 0.125};
  };
  ProbeStage(StageContext context, const Settings& settings)
      : QueuedStage(std::move(context)), settings(settings) {}
  void push(Packet packet, Micros now) override { queue_.push(std::move(packet), now); }
  void reconfigure(const StageSettings& s) override { settings = settings_as<Settings>(s); }

  Settings settings;
};
using S = ProbeStage::Settings;

Fields<S> probe_fields() {
  return fields_of<S>(
      percent_field(&S::odds, "odds", "d"), milliseconds_field(&S::wait, "wait", "d"),
      fractional_milliseconds_field(&S::fine, "fine", "d"),
      microseconds_field(&S::tick, "tick", "d"),
      integer_field(&S::count, "count", "packets", "d", 1.0, 9.0),
      number_field(&S::rate, "rate", "kbit/s", "d"), boolean_field(&S::on, "on", "d"),
      choice_field(&S::colour, "colour",
                   Choices<Colour>{{"red", Colour::red}, {"green", Colour::green}}, "d"),
      within(&S::chance, chance_fields("d")));
}

Registry probe_registry(std::function<std::vector<Diagnostic>(const S&)> check = {}) {
  Registry registry;
  registry.add(stage_type_of<ProbeStage>(
      {.name = "probe", .transport = Transport::datagram, .doc = "d"}, probe_fields(), check));
  return registry;
}

const AttributeSpec& spec_of(const StageType& type, std::string_view name) {
  for (const auto& spec : type.attributes) {
    if (spec.name == name) return spec;
  }
  throw std::out_of_range(std::string(name));
}

TEST(SettingsFields, DefaultsAreTheMembersInitialValuesInTheAttributesUnit) {
  const Registry registry = probe_registry();
  const StageType& type = registry.get("probe");
  EXPECT_EQ(spec_of(type, "odds").default_value, AttributeValue(25.0));
  EXPECT_EQ(spec_of(type, "wait").default_value, AttributeValue(int64_t{1500}));
  EXPECT_EQ(spec_of(type, "fine").default_value, AttributeValue(2.5));
  EXPECT_EQ(spec_of(type, "tick").default_value, AttributeValue(int64_t{7}));
  EXPECT_EQ(spec_of(type, "count").default_value, AttributeValue(int64_t{3}));
  EXPECT_EQ(spec_of(type, "rate").default_value, AttributeValue(1.5));
  EXPECT_EQ(spec_of(type, "on").default_value, AttributeValue(true));
  EXPECT_EQ(spec_of(type, "colour").default_value, AttributeValue(std::string("green")));
  EXPECT_EQ(spec_of(type, "probability").default_value, AttributeValue(50.0));
  EXPECT_EQ(spec_of(type, "correlation").default_value, AttributeValue(12.5));
  EXPECT_EQ(spec_of(type, "colour").choices, (std::vector<std::string>{"red", "green"}));
  EXPECT_EQ(spec_of(type, "count").max, 9.0);
  EXPECT_EQ(spec_of(type, "odds").unit, "%");
  EXPECT_EQ(spec_of(type, "tick").unit, "us");
}

TEST(SettingsFields, ParsingFillsEveryMemberAndKeepsTheDefaultsOfTheRest) {
  const Registry registry = probe_registry();
  const auto parsed = registry.settings("probe", {{"odds", 40.0},
                                                  {"wait", std::string("2s")},
                                                  {"fine", 0.75},
                                                  {"count", int64_t{9}},
                                                  {"on", false},
                                                  {"colour", std::string("red")},
                                                  {"correlation", 100.0}});
  const auto& s = settings_as<S>(*parsed);
  EXPECT_DOUBLE_EQ(s.odds, 0.40);
  EXPECT_EQ(s.wait, Micros{2'000'000});
  EXPECT_EQ(s.fine, Micros{750});
  EXPECT_EQ(s.tick, Micros{7});
  EXPECT_EQ(s.count, 9u);
  EXPECT_DOUBLE_EQ(s.rate, 1.5);
  EXPECT_FALSE(s.on);
  EXPECT_EQ(s.colour, Colour::red);
  EXPECT_DOUBLE_EQ(s.chance.probability, 0.5);
  EXPECT_DOUBLE_EQ(s.chance.correlation, 1.0);
}

TEST(SettingsFields, TheBuiltStageGetsTheParsedSettings) {
  const Registry registry = probe_registry();
  const StageType& type = registry.get("probe");
  const auto stage =
      type.create(StageContext{.name = "p"}, *registry.settings("probe", {{"tick", int64_t{42}}}));
  EXPECT_EQ(static_cast<const ProbeStage&>(*stage).settings.tick, Micros{42});
}

TEST(SettingsFields, ACheckJudgesTheParsedSettingsAndNamesItsField) {
  const Registry registry = probe_registry([](const S& s) {
    std::vector<Diagnostic> problems;
    if (s.odds > s.chance.probability) {
      problems.push_back({.field = "odds", .message = "must not exceed probability"});
    }
    return problems;
  });
  EXPECT_NO_THROW(registry.complete("probe", {{"odds", 50.0}}));
  try {
    registry.complete("probe", {{"odds", 60.0}});
    FAIL() << "the check passed odds above probability";
  } catch (const InputError& error) {
    ASSERT_EQ(error.diagnostics().size(), 1u);
    EXPECT_EQ(error.diagnostics()[0].field, "odds");
  }
}

TEST(SettingsFields, ADefaultTheChoicesDoNotNameIsAProgrammingError) {
  struct Odd : StageSettings {
    Colour colour = Colour::red;
  };
  const auto field =
      choice_field(&Odd::colour, "colour", Choices<Colour>{{"green", Colour::green}}, "d");
  EXPECT_THROW(field.write(Odd{}), std::logic_error);
}

TEST(SettingsFields, DelayShapeFieldsFollowTheirPrecision) {
  const auto whole = delay_shape_fields("latency", "d", MillisecondPrecision::whole);
  const auto fractional = delay_shape_fields("delay", "d", MillisecondPrecision::fractional);
  ASSERT_EQ(whole.size(), 4u);
  ASSERT_EQ(fractional.size(), 4u);
  EXPECT_EQ(whole[0].spec.name, "latency");
  EXPECT_EQ(whole[0].spec.kind, AttributeSpec::Kind::integer);
  EXPECT_EQ(fractional[0].spec.name, "delay");
  EXPECT_EQ(fractional[0].spec.kind, AttributeSpec::Kind::number);
  DelayShape shape;
  fractional[1].read(shape, 0.25);
  EXPECT_EQ(shape.jitter, Micros{250});
  whole[2].read(shape, std::string("pareto"));
  EXPECT_EQ(shape.distribution, Distribution::pareto);
}

}  // namespace
}  // namespace camleak::impair
