#include "harness/runner/provisioner.hpp"

#include <boost/json.hpp>

#include "harness/core/errors.hpp"

namespace camleak::runner {

void Provisioner::send(const std::string& method, const std::string& target, const std::string& body) {
  const HttpResponse response = http_request(admin_, method, target, body);
  if (response.status < 200 || response.status >= 300) {
    throw HarnessError("the SUT refused " + method + " " + target + ": status " + std::to_string(response.status) +
                       (response.body.empty() ? "" : " " + response.body.substr(0, 200)));
  }
}

void Provisioner::put(const std::string& target, const std::string& body) { send("PUT", target, body); }

void Provisioner::provision(const scenario::Scenario& scenario, const Credentials& credentials) {
  for (const auto& account : scenario.fleet.accounts) {
    put("/admin/accounts/" + account.name,
        boost::json::serialize(boost::json::object{{"token", credentials.account_tokens.at(account.name)}}));
  }
  for (const auto& camera : scenario.fleet.cameras) {
    put("/admin/cameras/" + camera.name,
        boost::json::serialize(boost::json::object{{"owner", camera.owner},
                                                   {"secret", credentials.camera_secrets.at(camera.name)}}));
  }
  for (const auto& s : scenario.shares) {
    if (s.contains(Micros{0})) share(s.camera, s.account);
  }
}

void Provisioner::share(const std::string& camera, const std::string& account) {
  put("/admin/cameras/" + camera + "/shares/" + account, "{}");
}

void Provisioner::revoke(const std::string& camera, const std::string& account) {
  send("DELETE", "/admin/cameras/" + camera + "/shares/" + account, "");
}

}  // namespace camleak::runner
