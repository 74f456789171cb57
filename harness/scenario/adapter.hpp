#pragma once
// A SUT adapter: how each action of the SUT contract (DESIGN.md) is done on a vendor's own
// system, so a vendor describes their relay in YAML instead of writing a program. Provisioning
// actions are HTTP request templates or command lines (or declared absent); publish, play and
// snapshot each have a URL template (any host, port, path and query) and credentials; a play URL
// may be issued at run time by a vendor API call. The SUT contract itself is one adapter,
// shipped as scenarios/adapters/contract.yaml and compiled in as the default.
//
// Placeholders (text_template.hpp), by where they may appear:
//   everywhere   {host} {rtsp_port} {http_port} {admin_port} {rtsp_base} {http_base}
//                {admin_base} (the SUT's addresses: the built-in relay's, or those of an external
//                SUT's rtsp_url / http_url / admin_url), {run} (a random id per run), and every
//                name under `variables` (reference_relay.admin_key: the variables only)
//   accounts     {account} {token}
//   cameras      {camera} {owner} {secret} {owner_token}
//   shares       {camera} {account} {owner} {owner_token} {token}
//   publish      {camera} {owner} {secret}
//   play, snapshot, the play-URL request: {camera} {account} {token}
#include <boost/json/value.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "harness/core/clock.hpp"
#include "harness/scenario/text_template.hpp"

namespace camleak::scenario {

// How a request proves who it is. basic: sent with every request (and Digest answered when the
// SUT asks for it instead); digest: nothing sent until the SUT's challenge, which is answered;
// bearer: `Authorization: Bearer <token>`; query: name=value pairs added to the URL's query.
struct AuthTemplate {
  enum class Scheme { none, basic, digest, bearer, query };
  Scheme scheme = Scheme::none;
  TextTemplate user;                                        // basic, digest
  TextTemplate password;                                    // basic, digest
  TextTemplate token;                                       // bearer
  std::vector<std::pair<std::string, TextTemplate>> query;  // query, in file order
};
std::string_view to_string(AuthTemplate::Scheme scheme);

// One HTTP request. The body is JSON whose string values are templates.
struct HttpTemplate {
  std::string method = "GET";
  TextTemplate url;  // http:// or https://, with placeholders
  std::vector<std::pair<std::string, TextTemplate>> headers;
  std::optional<boost::json::value> body;  // none: no body
  std::vector<int> expect;                 // statuses that mean done; empty: any 2xx
  bool accepts(int status) const;
};

// A provisioning action: absent (the vendor has no such thing), an HTTP request, or a command
// line run by /bin/sh (exit status 0 means done; values are quoted as single shell words).
struct AdminAction {
  enum class Kind { absent, http, command };
  Kind kind = Kind::absent;
  HttpTemplate http;
  TextTemplate command;
  Micros timeout = std::chrono::seconds(10);
  bool present() const { return kind != Kind::absent; }
};

// A play URL issued by a vendor API call: the request, and the JSON pointer (RFC 6901) to the
// URL in its answer. Fetched afresh for every play attempt (such URLs are short-lived).
struct IssuedUrl {
  HttpTemplate request;
  std::string pointer;
};

struct StreamEndpoint {
  // The URL template. With `issued`, the address (scheme and authority) the issued URLs must
  // point at: the proxy link that impairs the traffic is built in front of it.
  TextTemplate url;
  AuthTemplate auth;
  std::optional<IssuedUrl> issued;  // play only
};

// Client-side TLS for rtsps:// and https:// URLs (used only by URLs with those schemes).
struct AdapterTls {
  std::string ca_file;    // trusted CAs (PEM); empty: the system's
  std::string cert_file;  // client certificate (PEM), with key_file
  std::string key_file;
  bool insecure = false;  // no verification of the SUT's certificate (explicit only)
};

// How the built-in reference relay is started when it runs under this adapter (its `layout`
// is the URL and credentials scheme it serves, see emulators/relay).
struct BuiltinRelaySettings {
  std::string layout = "contract";
  TextTemplate admin_key;  // the cloud layout's X-Api-Key; empty: none required
  std::string tls_cert;    // PEM files: the relay serves rtsps:// and https:// on every port
  std::string tls_key;
};

// Placeholder names each part of an adapter may use (besides the SUT's addresses, {run} and the
// variables), by part: "account", "camera", "share", "publish", "stream".
const std::set<std::string>& placeholders_of(std::string_view part);
// {host} {rtsp_port} {http_port} {admin_port} {rtsp_base} {http_base} {admin_base} {run}.
const std::set<std::string>& sut_placeholders();

struct Adapter {
  std::string name;  // `adapter:` in the file
  std::string description;
  std::string file;  // where it was read from ("" for the compiled-in contract)
  AdminAction create_account, create_camera, share, revoke, delete_camera, delete_account;
  StreamEndpoint publish, play, snapshot;
  bool snapshot_present = true;  // `snapshot: absent`: the SUT serves no snapshots
  std::set<std::string> transports{"tcp", "udp"};  // RTP transports the relay supports
  AdapterTls tls;
  // True when any URL of the adapter is rtsps:// or https://: its clients then need `tls`.
  bool uses_tls() const;
  // `variables`: name -> value, `{env:NAME}` already replaced from the environment.
  std::vector<std::pair<std::string, std::string>> variables;
  BuiltinRelaySettings builtin_relay;
};

// The SUT placeholders an adapter's templates use (to check an external SUT gives them).
std::set<std::string> sut_placeholders_used(const Adapter& adapter);

}  // namespace camleak::scenario
