#pragma once
// The JSON shapes of Toxiproxy 2.x (proxies and toxics), plus camleak's extensions: "protocol"
// on proxies, "targeting" and "window" on toxics, link statistics and the event log.
#include <boost/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "harness/core/event_log.hpp"
#include "harness/impair/chain.hpp"
#include "harness/proxy/link_config.hpp"
#include "harness/proxy/link_stats.hpp"
#include "harness/proxy/proxy.hpp"

namespace camleak::proxy {

// An error answer of the control API: {"error": message, "status": status}.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

boost::json::value to_json(const impair::AttributeValue& value);
boost::json::object toxic_json(const impair::StageSpec& spec);
boost::json::object proxy_json(const LinkInfo& link);
boost::json::object stats_json(const LinkStats& stats);
boost::json::object event_json(const FaultEvent& event);

// A proxy as POST /proxies and /populate carry it. `enabled` stays empty when absent.
struct ProxyInput {
  std::string name;
  std::string listen;
  std::string upstream;
  std::optional<bool> enabled;
  std::optional<Protocol> protocol;
};
ProxyInput parse_proxy(const boost::json::value& body);

// Throws ApiError(400) naming the first bad field (toxic_body.hpp reads them). Defaults as
// Toxiproxy: stream downstream, toxicity 1, name "<type>_<stream>" (filled in by the proxy).
impair::StageSpec parse_toxic(const boost::json::value& body);
StageUpdate parse_toxic_update(const boost::json::value& body);

// Parses a request body, throwing ApiError(400, "bad request body: ...") when it is not JSON.
boost::json::value parse_body(const std::string& body);

}  // namespace camleak::proxy
