#pragma once
// An adapter's templates (scenario/adapter.hpp) turned into the requests, command lines and
// device URLs of one run: every placeholder replaced by this run's value, escaped for where it
// lands. Pure: the SUT's addresses and the run's secrets come in as values.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "harness/core/host_port.hpp"
#include "harness/runner/sut_driver.hpp"
#include "harness/scenario/adapter.hpp"

namespace camleak::runner {

// The names a template may use and their values: the SUT's addresses, {run}, the adapter's
// variables, and the entity's own (camera, account, token, ...).
class TemplateValues {
 public:
  // Throws InputError when the adapter uses an address of an external SUT that was not given.
  TemplateValues(const scenario::Adapter& adapter, const SutEndpoints& endpoints,
                 const std::string& run_id);
  // The same values plus an entity's own; entity values are escaped where they land, the SUT's
  // addresses never ("[::1]" stays a bracketed host).
  TemplateValues with(std::map<std::string, std::string> entity) const;

  std::string url(const scenario::TextTemplate& t) const;
  std::string text(const scenario::TextTemplate& t) const;
  std::string shell(const scenario::TextTemplate& t) const;
  // A JSON body: every string expanded.
  std::string json(const boost::json::value& body) const;

 private:
  std::string expand(const scenario::TextTemplate& t, scenario::Escape escape) const;
  std::map<std::string, std::string> fixed_;   // inserted as they are
  std::map<std::string, std::string> entity_;  // escaped
};

// One HTTP request of an adapter, ready to send.
struct AdapterHttpRequest {
  std::string method;
  UrlParts url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;          // JSON text, "" for none
  std::string text() const;  // "PUT http://127.0.0.1:9/admin/..." for messages
};
// Throws InputError naming the field when the expanded URL is not a usable http(s) URL.
AdapterHttpRequest expand_request(const scenario::HttpTemplate& t, const TemplateValues& values,
                                  const std::string& field);

// A device's URL and credentials: where to dial (through the proxy: host and port are replaced
// by the proxy link's), the request target, and how to prove who it is.
struct StreamTarget {
  UrlParts url;  // target includes the query credentials of `auth: {query: ...}`
  scenario::AuthTemplate::Scheme scheme = scenario::AuthTemplate::Scheme::none;
  std::string user;
  std::string password;
  std::string token;  // bearer
};
StreamTarget expand_stream(const scenario::StreamEndpoint& endpoint, const TemplateValues& values,
                           const std::string& field);
// `url` with the endpoint's query credentials appended (for issued URLs).
std::string with_query(std::string target,
                       const std::vector<std::pair<std::string, std::string>>& pairs);

// Where a device link's proxy sends its traffic: the endpoint's address for this device.
std::string upstream_of(const StreamTarget& target);

}  // namespace camleak::runner
