#pragma once
// The one JSON text writer of camleak's outputs (report.json, suite.json, progress lines, the
// proxy's control API, the relay's admin API): numbers as Go's encoding/json and JavaScript print
// them, `1`, `0.5`, `30000`, `1e+21`, where boost::json::serialize prints `1E0`, `5E-1` and
// `3E4`, which strict clients, jq users and every diff against Toxiproxy trip over.
#include <boost/json/value.hpp>
#include <string>

namespace camleak {

// Plain decimals from 1e-6 up to 1e21, exponent form outside; always the shortest spelling that
// reads back as the same double, so integral doubles print as integers. Infinity and NaN (which
// JSON cannot spell) print as null. Everything else as boost::json prints it.
std::string json_text(const boost::json::value& value);

}  // namespace camleak
