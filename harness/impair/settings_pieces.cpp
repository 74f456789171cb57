#include "harness/impair/settings_pieces.hpp"

namespace camleak::impair {
namespace {

Choices<Distribution> distribution_choices() {
  Choices<Distribution> out;
  for (const auto name : distribution_names()) {
    out.emplace_back(std::string(name), *parse_distribution(name));
  }
  return out;
}

}  // namespace

Fields<DelayShape> delay_shape_fields(const std::string& mean_name, std::string mean_doc,
                                      MillisecondPrecision precision) {
  const auto milliseconds = precision == MillisecondPrecision::whole
                                ? &milliseconds_field<DelayShape>
                                : &fractional_milliseconds_field<DelayShape>;
  return {milliseconds(&DelayShape::mean, mean_name, std::move(mean_doc)),
          milliseconds(&DelayShape::jitter, "jitter",
                       "Spread of the delay: +/- jitter for uniform, the standard deviation "
                       "otherwise."),
          choice_field(&DelayShape::distribution, "distribution", distribution_choices(),
                       "Shape of the delay around " + mean_name + ", as netem's tables."),
          percent_field(&DelayShape::correlation, "correlation",
                        "How much each delay follows the previous one (keeps the distribution).")};
}

Fields<Chance> chance_fields(std::string probability_doc, std::string correlation_doc) {
  return {percent_field(&Chance::probability, "probability", std::move(probability_doc)),
          percent_field(&Chance::correlation, "correlation", std::move(correlation_doc))};
}

}  // namespace camleak::impair
