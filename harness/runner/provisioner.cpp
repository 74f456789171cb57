#include "harness/runner/provisioner.hpp"

#include <boost/json.hpp>

#include "harness/core/errors.hpp"

namespace camleak::runner {

namespace {

void check_answer(const HttpCall& call, const HttpResponse& response) {
  if (response.status < 200 || response.status >= 300) {
    throw HarnessError("the SUT refused " + call.method + " " + call.target + ": status " +
                       std::to_string(response.status) +
                       (response.body.empty() ? "" : " " + response.body.substr(0, 200)));
  }
}

}  // namespace

Provisioner::Provisioner(HttpUrl admin, const std::atomic<bool>* interrupted, Micros timeout,
                         std::shared_ptr<boost::asio::ssl::context> tls)
    : client_(std::move(admin), HttpClientOptions{.timeout = timeout,
                                                  .connections = kConnections,
                                                  .interrupted = interrupted,
                                                  .tls = std::move(tls)}) {}

void Provisioner::send_all(const std::string& what, const std::vector<HttpCall>& calls) {
  size_t answered = 0;
  try {
    client_.request_all(calls, [&answered](const HttpCall& call, const HttpResponse& response) {
      check_answer(call, response);
      ++answered;
    });
  } catch (const HttpInterrupted&) {
    throw HarnessError("interrupted while provisioning " + what + " (" + std::to_string(answered) +
                       " of " + std::to_string(calls.size()) + " done)");
  }
}

void Provisioner::provision(const scenario::Scenario& scenario, const Credentials& credentials) {
  std::vector<HttpCall> calls;
  calls.reserve(scenario.fleet.accounts.size());
  for (const auto& account : scenario.fleet.accounts) {
    calls.push_back({"PUT", "/admin/accounts/" + account.name,
                     boost::json::serialize(boost::json::object{
                         {"token", credentials.account_tokens.at(account.name)}})});
  }
  send_all("accounts", calls);

  calls.clear();
  calls.reserve(scenario.fleet.cameras.size());
  for (const auto& camera : scenario.fleet.cameras) {
    calls.push_back(
        {"PUT", "/admin/cameras/" + camera.name,
         boost::json::serialize(boost::json::object{
             {"owner", camera.owner}, {"secret", credentials.camera_secrets.at(camera.name)}})});
  }
  // After the accounts: a SUT may refuse a camera whose owner it does not know yet.
  send_all("cameras", calls);

  calls.clear();
  for (const auto& s : scenario.shares) {
    if (s.contains(Micros{0})) {
      calls.push_back({"PUT", "/admin/cameras/" + s.camera + "/shares/" + s.account, "{}"});
    }
  }
  send_all("shares", calls);  // after the cameras they share
}

void Provisioner::share(const std::string& camera, const std::string& account) {
  send_all("a share of " + camera + " with " + account,
           {{"PUT", "/admin/cameras/" + camera + "/shares/" + account, "{}"}});
}

void Provisioner::revoke(const std::string& camera, const std::string& account) {
  send_all("the revocation of " + camera + "'s share with " + account,
           {{"DELETE", "/admin/cameras/" + camera + "/shares/" + account, ""}});
}

}  // namespace camleak::runner
