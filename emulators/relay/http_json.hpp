#pragma once
// Pieces every JSON endpoint of the relay's HTTP ports uses (the contract's and the cloud
// layout's): paths, bodies, answers, and admin changes answered once durable.
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulators/relay/http_server.hpp"
#include "emulators/relay/state_change.hpp"

namespace camleak::relay {

class RelayCore;

// "/a/b?x" -> {"a", "b"}.
std::vector<std::string_view> split_path(std::string_view target);
// The token of an `Authorization: Bearer ...` header, "" when there is none.
std::string bearer_token(const HttpRequest& request);
// The value of `name` in the target's query ("" when absent; no percent-decoding: the relay's
// names and secrets are [A-Za-z0-9._-]).
std::string query_parameter(std::string_view target, std::string_view name);
// The body as a JSON object; nullopt after writing the 400 into `error`.
std::optional<boost::json::object> json_body(const HttpRequest& request, std::string& error);
// A string member that passes `check`; sets `error` naming the field otherwise.
std::optional<std::string> string_member(const boost::json::object& object, std::string_view key,
                                         std::string (*check)(std::string_view),
                                         std::string& error);
bool only_keys(const boost::json::object& object, std::initializer_list<std::string_view> keys,
               std::string& error);
HttpResponse ok(const HttpRequest& request, boost::json::object body, unsigned status = 200);
HttpResponse bad_request(RelayCore& core, const HttpRequest& request, std::string_view message);

// What an admin request comes to: an answer now, or a change (already applied in memory) to
// answer with `body` (and `status`) once it is durable.
struct AdminOutcome {
  AdminOutcome(HttpResponse r) : response(std::move(r)) {}  // implicit: the early returns
  AdminOutcome(StateChange c, boost::json::object b, unsigned s = 200)
      : change(std::move(c)), body(std::move(b)), status(s) {}
  HttpResponse response;
  std::optional<StateChange> change;
  boost::json::object body;
  unsigned status = 200;
};
AdminOutcome committed(StateChange change, boost::json::object body, unsigned status = 200);
// Answers now, or once the change is durable (500 when it could not be made so).
void answer_admin(RelayCore& core, const HttpRequest& request, AdminOutcome outcome,
                  Respond respond);

}  // namespace camleak::relay
