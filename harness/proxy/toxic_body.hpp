#pragma once
// A toxic (stage) as the Toxiproxy API's JSON body and the link file's YAML write it: name,
// type, stream, toxicity, attributes, and our targeting and window. One reader for both: the
// link file converts its YAML to a JSON value first (core/yaml_json.hpp), so the two accept the
// same values and word their problems alike; each caller only maps a problem's field to where it is
// (an API message, a file:line:col).
//
//   targeting {"mode": "all" | "indices" | "fraction" | "first_n" | "nth", "indices": [..],
//              "fraction": f, "n": n}
//   window    {"start": t, "stop": t}, t in milliseconds or a duration string ("10s")
#include <boost/json.hpp>
#include <vector>

#include "harness/core/errors.hpp"
#include "harness/impair/chain.hpp"
#include "harness/proxy/proxy.hpp"

namespace camleak::proxy {

struct ToxicReading {
  // Keys a toxic and its targeting and window may hold. Toxiproxy ignores others (so do
  // clients' API bodies); a file reports them, with a did-you-mean.
  enum class UnknownKeys { ignore, report };
  UnknownKeys unknown_keys = UnknownKeys::ignore;
};

// Reads what `body` holds; fields it lacks keep StageSpec's defaults (stream downstream,
// toxicity 1, name and type empty: naming and requiring a type is the caller's policy). Every
// problem is appended to `problems` with its field relative to the toxic ("stream",
// "attributes.latency", "targeting.n", "window.start"), the whole body as field "".
impair::StageSpec read_toxic(const boost::json::value& body, const ToxicReading& how,
                             std::vector<Diagnostic>& problems);
// The fields an update (POST /proxies/{p}/toxics/{t}) may change.
StageUpdate read_toxic_update(const boost::json::value& body, const ToxicReading& how,
                              std::vector<Diagnostic>& problems);

}  // namespace camleak::proxy
