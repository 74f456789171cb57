#include "harness/runner/provisioner.hpp"

#include "harness/core/errors.hpp"
#include "harness/runner/external_sut.hpp"

namespace camleak::runner {

namespace {

SutEndpoints admin_only(const HttpUrl& admin) {
  SutEndpoints e;
  e.rtsp_host = admin.host;
  e.admin = admin;
  return e;
}

}  // namespace

Provisioner::Provisioner(scenario::Adapter adapter, TemplateValues values,
                         const std::atomic<bool>* interrupted, Micros timeout,
                         std::shared_ptr<boost::asio::ssl::context> tls)
    : adapter_(std::move(adapter)),
      values_(std::move(values)),
      interrupted_(interrupted),
      timeout_(timeout),
      tls_(std::move(tls)) {}

Provisioner::Provisioner(HttpUrl admin, const std::atomic<bool>* interrupted, Micros timeout,
                         std::shared_ptr<boost::asio::ssl::context> tls)
    : Provisioner(scenario::contract_adapter(),
                  TemplateValues(scenario::contract_adapter(), admin_only(admin), "run"),
                  interrupted, timeout, std::move(tls)) {}

Provisioner::~Provisioner() = default;

HttpClient& Provisioner::client_for(const UrlParts& url) {
  const bool secure = url.scheme == "https";
  if (secure && !tls_)
    throw InputError("the adapter " + adapter_.name + " calls https://" +
                     format_host_port(url.host, url.port) + ", but no TLS settings were given");
  const std::string key = url.scheme + "://" + format_host_port(url.host, url.port);
  auto& client = clients_[key];
  if (!client) {
    client = std::make_unique<HttpClient>(
        HttpUrl{.host = url.host, .port = url.port, .path = "", .secure = secure},
        HttpClientOptions{.timeout = timeout_,
                          .connections = kConnections,
                          .interrupted = interrupted_,
                          .tls = secure ? tls_ : nullptr});
  }
  return *client;
}

void Provisioner::run_http(const std::string& what, const std::vector<Call>& calls) {
  // One batch per server, each call checked against its own action's expected statuses.
  std::map<std::string, std::vector<HttpCall>> by_server;
  std::map<std::string, UrlParts> servers;
  std::map<std::pair<std::string, size_t>, const scenario::HttpTemplate*> templates;
  for (const auto& call : calls) {
    const AdapterHttpRequest r =
        expand_request(call.action->http, call.values, call.field + ".http");
    const std::string key = r.url.scheme + "://" + format_host_port(r.url.host, r.url.port);
    servers[key] = r.url;
    templates[{key, by_server[key].size()}] = &call.action->http;
    by_server[key].push_back(
        HttpCall{.method = r.method, .target = r.url.target, .body = r.body, .headers = r.headers});
  }
  size_t answered = 0;
  for (const auto& [key, batch] : by_server) {
    std::map<const HttpCall*, size_t> index;
    for (size_t i = 0; i < batch.size(); ++i) index[&batch[i]] = i;
    try {
      client_for(servers[key])
          .request_all(batch, [&](const HttpCall& call, const HttpResponse& response) {
            const auto* t = templates.at({key, index.at(&call)});
            if (!t->accepts(response.status)) {
              // The path only: a query may carry a token.
              throw HarnessError("the SUT refused " + call.method + " " + key +
                                 call.target.substr(0, call.target.find('?')) + ": status " +
                                 std::to_string(response.status) +
                                 (response.body.empty() ? "" : " " + response.body.substr(0, 200)));
            }
            ++answered;
          });
    } catch (const HttpInterrupted&) {
      throw HarnessError("interrupted while provisioning " + what + " (" +
                         std::to_string(answered) + " of " + std::to_string(calls.size()) +
                         " done)");
    }
  }
}

void Provisioner::run_command(const std::string& what, const Call& call) {
  if (interrupted_ != nullptr && interrupted_->load())
    throw HarnessError("interrupted while provisioning " + what);
  const std::string command = call.values.shell(call.action->command);
  const int status = run_shell(command, call.action->timeout, interrupted_);
  if (status == 0) return;
  if (interrupted_ != nullptr && interrupted_->load())
    throw HarnessError("interrupted while provisioning " + what);
  // The template, not the command line: the expanded one holds tokens and secrets.
  throw HarnessError("the SUT refused " + what + ": `" + call.action->command.text() + "` " +
                     (status < 0 ? "did not finish within its timeout"
                                 : "exited with status " + std::to_string(status)));
}

void Provisioner::run_all(const std::string& what, const std::vector<Call>& calls) {
  std::vector<Call> http;
  for (const auto& call : calls) {
    if (call.action->kind == scenario::AdminAction::Kind::http)
      http.push_back(call);
    else if (call.action->kind == scenario::AdminAction::Kind::command)
      run_command(what, call);
    else
      throw HarnessError("the adapter " + adapter_.name + " has no " + call.field +
                         " action, which this scenario needs for " + what);
  }
  if (!http.empty()) run_http(what, http);
}

void Provisioner::provision(const scenario::Scenario& scenario, const Credentials& credentials) {
  credentials_ = credentials;
  std::vector<Call> calls;
  for (const auto& account : scenario.fleet.accounts) {
    calls.push_back({&adapter_.create_account,
                     values_.with({{"account", account.name},
                                   {"token", credentials.account_tokens.at(account.name)}}),
                     "provisioning.create_account"});
  }
  // Noted before the calls: clean-up deletes what a half-done provisioning may have created.
  for (const auto& account : scenario.fleet.accounts) created_accounts_.push_back(account.name);
  run_all("accounts", calls);

  calls.clear();
  for (const auto& camera : scenario.fleet.cameras) {
    owners_[camera.name] = camera.owner;
    calls.push_back({&adapter_.create_camera,
                     values_.with({{"camera", camera.name},
                                   {"owner", camera.owner},
                                   {"owner_token", credentials.account_tokens.at(camera.owner)},
                                   {"secret", credentials.camera_secrets.at(camera.name)}}),
                     "provisioning.create_camera"});
  }
  // After the accounts: a SUT may refuse a camera whose owner it does not know yet.
  for (const auto& camera : scenario.fleet.cameras) created_cameras_.push_back(camera.name);
  run_all("cameras", calls);

  calls.clear();
  for (const auto& s : scenario.shares) {
    if (s.contains(Micros{0}))
      calls.push_back({&adapter_.share, share_values(s.camera, s.account), "provisioning.share"});
  }
  run_all("shares", calls);  // after the cameras they share
}

TemplateValues Provisioner::share_values(const std::string& camera,
                                         const std::string& account) const {
  const auto owner = owners_.find(camera);
  const auto token = credentials_.account_tokens.find(account);
  const std::string owner_name = owner == owners_.end() ? "" : owner->second;
  const auto owner_token = credentials_.account_tokens.find(owner_name);
  return values_.with(
      {{"camera", camera},
       {"account", account},
       {"owner", owner_name},
       {"owner_token", owner_token == credentials_.account_tokens.end() ? "" : owner_token->second},
       {"token", token == credentials_.account_tokens.end() ? "" : token->second}});
}

void Provisioner::share(const std::string& camera, const std::string& account) {
  run_all("a share of " + camera + " with " + account,
          {{&adapter_.share, share_values(camera, account), "provisioning.share"}});
}

void Provisioner::revoke(const std::string& camera, const std::string& account) {
  run_all("the revocation of " + camera + "'s share with " + account,
          {{&adapter_.revoke, share_values(camera, account), "provisioning.revoke"}});
}

std::vector<std::string> Provisioner::clean_up() noexcept {
  std::vector<std::string> problems;
  // Clean-up runs after Ctrl-C too (the vendor's SUT should not keep the run's accounts), so it
  // no longer listens to the flag: each request still has its timeout.
  interrupted_ = nullptr;
  clients_.clear();
  const auto attempt = [&](const std::string& what, const std::vector<Call>& calls) {
    if (calls.empty()) return;
    try {
      run_all(what, calls);
    } catch (const std::exception& e) {
      problems.push_back(std::string("clean-up: ") + e.what());
    }
  };
  // Cameras before their owners, as they were created the other way round.
  if (adapter_.delete_camera.present()) {
    std::vector<Call> calls;
    for (const auto& camera : created_cameras_) {
      const std::string owner = owners_[camera];
      const auto token = credentials_.account_tokens.find(owner);
      calls.push_back(
          {&adapter_.delete_camera,
           values_.with(
               {{"camera", camera},
                {"owner", owner},
                {"owner_token", token == credentials_.account_tokens.end() ? "" : token->second},
                {"secret", credentials_.camera_secrets[camera]}}),
           "provisioning.delete_camera"});
    }
    attempt("the deletion of cameras", calls);
  }
  if (adapter_.delete_account.present()) {
    std::vector<Call> calls;
    for (const auto& account : created_accounts_)
      calls.push_back(
          {&adapter_.delete_account,
           values_.with({{"account", account}, {"token", credentials_.account_tokens[account]}}),
           "provisioning.delete_account"});
    attempt("the deletion of accounts", calls);
  }
  created_cameras_.clear();
  created_accounts_.clear();
  return problems;
}

}  // namespace camleak::runner
