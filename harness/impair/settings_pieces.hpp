#pragma once
// The fields of the settings pieces several stages share (distribution.hpp's DelayShape and
// Chance), so each attribute of a piece is declared once; a stage binds them to its member with
// within().
#include <string>

#include "harness/impair/distribution.hpp"
#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

// How the delay's mean and jitter are written: whole milliseconds (Toxiproxy's latency) or
// fractional ones (netem's delay).
enum class MillisecondPrecision { whole, fractional };

// `mean_name` (latency, delay) with `mean_doc`, then jitter, distribution and correlation.
Fields<DelayShape> delay_shape_fields(const std::string& mean_name, std::string mean_doc,
                                      MillisecondPrecision precision);

// probability, with `probability_doc`, and correlation, with `correlation_doc`.
Fields<Chance> chance_fields(
    std::string probability_doc,
    std::string correlation_doc = "How much each decision follows the previous one.");

}  // namespace camleak::impair
