#pragma once
// The hub side of an adapter's `play.issued`: before each play attempt, ask the SUT's API for a
// fresh stream URL (request template, JSON pointer to the URL in the answer), check that it
// points at the address the hub's live link impairs, and hand the hub its request target. The
// API call goes to the SUT directly, not through the proxy.
#include <string>

#include "emulators/hub/hub_config.hpp"
#include "harness/runner/adapter_requests.hpp"
#include "harness/scenario/adapter.hpp"

namespace camleak::runner {

// `address`: scheme and host:port the issued URLs must have (the play URL template's).
emulators::PlayIssuer make_play_issuer(const scenario::Adapter& adapter, TemplateValues values,
                                       std::string account, std::string token, UrlParts address,
                                       std::shared_ptr<boost::asio::ssl::context> tls = nullptr);

// The target of the URL at `pointer` in `body`, checked against `address`; or why not. Pure.
struct IssuedTarget {
  std::string target;
  std::string error;
};
IssuedTarget issued_target(const std::string& body, const std::string& pointer,
                           const UrlParts& address);

}  // namespace camleak::runner
