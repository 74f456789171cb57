#include "harness/proxy/control_api.hpp"

#include "harness/proxy/endpoint.hpp"
#include "harness/proxy/resolve.hpp"

namespace camleak::proxy {
namespace {

namespace http = boost::beast::http;

constexpr size_t kBodyLimit = 1 << 20;
constexpr std::chrono::milliseconds kRequestDeadline{30'000};

web::Response to_response(const ApiResponse& answer) {
  web::Response response;
  response.result(static_cast<http::status>(answer.status));
  response.set(http::field::server, "camleak");
  if (!answer.body.empty()) {
    response.set(http::field::content_type, "application/json");
    response.body() = answer.body;
  }
  return response;
}

web::ServerOptions server_options() {
  return {.body_limit = kBodyLimit,
          .deadline = kRequestDeadline,
          // Toxiproxy's JSON error body, as every other answer of the API.
          .refusal = [](unsigned status, const std::string& message) {
            return to_response(api_error(static_cast<int>(status), message));
          }};
}

}  // namespace

ControlApi::ControlApi(Proxy& proxy, const std::string& address, std::string version)
    : routes_(std::make_shared<ApiRoutes>(proxy, std::move(version))),
      server_(proxy.io_context().get_executor(), server_options(),
              [routes = routes_](const web::Request& request, web::Respond respond) {
                respond(to_response(routes->handle(
                    ApiRequest{.method = std::string(request.method_string()),
                               .target = std::string(request.target()),
                               .body = request.body(),
                               .user_agent = std::string(request[http::field::user_agent])})));
              }) {
  const auto endpoint = resolve_listen<boost::asio::ip::tcp>(proxy.io_context(), address, "api");
  if (const auto ec = server_.listen(endpoint)) {
    throw ProxyError(ProxyError::Kind::listen_failed,
                     "control API: cannot listen on " + address + ": " + ec.message());
  }
}

uint16_t ControlApi::port() const {
  return server_.local_endpoint().port();
}

std::string ControlApi::address() const {
  const auto endpoint = server_.local_endpoint();
  return endpoint.port() == 0 ? "" : format_host_port(endpoint.address(), endpoint.port());
}

void ControlApi::stop() {
  server_.stop();
}

}  // namespace camleak::proxy
