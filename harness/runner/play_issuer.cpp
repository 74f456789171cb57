#include "harness/runner/play_issuer.hpp"

#include <boost/json.hpp>

#include "emulators/hub/http_get.hpp"

namespace camleak::runner {

IssuedTarget issued_target(const std::string& body, const std::string& pointer,
                           const UrlParts& address) {
  boost::system::error_code ec;
  const boost::json::value json = boost::json::parse(body, ec);
  if (ec) return {"", "the answer is not JSON: " + ec.message()};
  const boost::json::value* found = json.find_pointer(pointer, ec);
  if (found == nullptr || !found->is_string())
    return {"", "the answer has no string at " + pointer};
  const std::string url(found->as_string());
  const UrlParse parsed = split_url(url);
  if (!parsed.url) return {"", "the issued URL \"" + url + "\" is unusable: " + parsed.error};
  if (parsed.url->scheme != address.scheme || parsed.url->host != address.host ||
      parsed.url->port != address.port)
    return {"", "the issued URL \"" + url + "\" is not at the declared play address " +
                    address.scheme + "://" + format_host_port(address.host, address.port) +
                    ", so camleak could not impair it"};
  return {parsed.url->target, ""};
}

emulators::PlayIssuer make_play_issuer(const scenario::Adapter& adapter, TemplateValues values,
                                       std::string account, std::string token, UrlParts address,
                                       std::shared_ptr<boost::asio::ssl::context> tls) {
  return [&adapter, values = std::move(values), account = std::move(account),
          token = std::move(token), address = std::move(address),
          tls = std::move(tls)](boost::asio::io_context& io, const std::string& camera,
                                std::function<void(emulators::IssuedPlay)> done) {
    const auto& issued = *adapter.play.issued;
    // Our side failing is not the SUT's answer: indeterminate, never counted as a refusal.
    const auto harness_side = [](std::string message) {
      return emulators::IssuedPlay{"", rtsp::ClientError{.kind = rtsp::ClientErrorKind::bad_input,
                                                         .indeterminate = true,
                                                         .message = std::move(message)}};
    };
    const TemplateValues mine =
        values.with({{"camera", camera}, {"account", account}, {"token", token}});
    AdapterHttpRequest r;
    std::vector<std::pair<std::string, std::string>> query;
    try {
      r = expand_request(issued.request, mine, "play.issued.request");
      for (const auto& [name, value] : adapter.play.auth.query)
        query.emplace_back(name, mine.text(value));
    } catch (const std::exception& e) {
      return done(harness_side(e.what()));
    }
    emulators::HttpGetRequest request;
    request.method = r.method;
    request.host = r.url.host;
    request.port = r.url.port;
    request.target = r.url.target;
    request.headers = r.headers;
    request.body = r.body;
    request.max_body_bytes = 64 * 1024;  // a URL, not a picture
    if (r.url.scheme == "https") {
      if (!tls) return done(harness_side(r.text() + ": no TLS context"));
      request.tls = tls;
      request.server_name = r.url.host;
    }
    emulators::http_get(
        io, std::move(request),
        [&issued, address, query, done = std::move(done),
         what = r.text()](emulators::HttpGetResult&& result) {
          using Outcome = emulators::HttpGetResult::Outcome;
          using Kind = rtsp::ClientErrorKind;
          if (!result.headers_received) {
            // Nothing answered: indeterminate once the request was on its way.
            const Kind kind = result.outcome == Outcome::timeout ? Kind::timeout
                              : result.request_sent              ? Kind::connection_closed
                                                                 : Kind::connect;
            return done({"", rtsp::ClientError{.kind = kind,
                                               .indeterminate = result.request_sent,
                                               .message = what + ": " + result.message}});
          }
          const int status = result.status;
          if (!issued.request.accepts(status)) {
            const bool refused = status == 401 || status == 403;
            return done({"",
                         rtsp::ClientError{.kind = refused ? Kind::unauthorized : Kind::status,
                                           .status = status,
                                           .message = what + ": status " + std::to_string(status)},
                         status});
          }
          if (result.outcome != Outcome::response)
            return done({"",
                         rtsp::ClientError{.kind = Kind::protocol,
                                           .status = status,
                                           .message = what + ": " + result.message},
                         status});
          const IssuedTarget t = issued_target(std::string(result.body.begin(), result.body.end()),
                                               issued.pointer, address);
          if (!t.error.empty())
            return done(
                {"",
                 rtsp::ClientError{
                     .kind = Kind::protocol, .status = status, .message = what + ": " + t.error},
                 status});
          done({with_query(t.target, query), std::nullopt, status});
        });
  };
}

}  // namespace camleak::runner
