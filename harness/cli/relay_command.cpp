// `camleak relay --config relay.yaml [--tls-cert FILE --tls-key FILE]`: the reference relay as a
// standalone process, for external-SUT runs and manual testing. The TLS flags override the
// config's `tls:` certificate and key (its client_ca stays). Prints the bound addresses on one line
// once ready (the admin port then answers GET /admin/health with 200) and runs until SIGINT or
// SIGTERM.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <string>

#include "emulators/relay/config.hpp"
#include "emulators/relay/relay.hpp"
#include "harness/cli/commands.hpp"
#include "harness/core/errors.hpp"

namespace camleak::cli {

void add_relay_command(CLI::App& app, CommandResult& result) {
  auto* cmd =
      app.add_subcommand("relay", "Run the reference relay (the built-in system under test)");
  auto config_path = std::make_shared<std::string>();
  cmd->add_option("-c,--config", *config_path,
                  "relay YAML: listen, state_file, defects, timeouts, snapshot, limits, tls")
      ->required();
  auto tls_cert = std::make_shared<std::string>();
  auto tls_key = std::make_shared<std::string>();
  cmd->add_option("--tls-cert", *tls_cert,
                  "serve RTSPS and HTTPS with this PEM certificate (chain) on every port");
  cmd->add_option("--tls-key", *tls_key,
                  "the certificate's PEM private key (default: in the --tls-cert file)");
  cmd->callback([&result, config_path, tls_cert, tls_key] {
    relay::RelayConfig config = relay::load_relay_config(*config_path);  // InputError: exit 2
    if (!tls_key->empty() && tls_cert->empty()) {
      throw InputError(Diagnostic{.field = "--tls-key", .message = "needs --tls-cert"});
    }
    if (!tls_cert->empty()) {
      tls::TlsServerSettings settings = config.tls.value_or(tls::TlsServerSettings{});
      settings.cert_file = *tls_cert;
      settings.key_file = *tls_key;
      config.tls = std::move(settings);
    }
    boost::asio::io_context io(1);
    relay::Relay server(config, io);
    server.start();
    const auto ports = server.ports();
    std::printf(
        "camleak relay ready: rtsp=%s http=%s admin=%s defects=%s%s\n",
        format_host_port({config.rtsp.host, ports.rtsp}).c_str(),
        format_host_port({config.http.host, ports.http}).c_str(),
        format_host_port({config.admin.host, ports.admin}).c_str(),
        [&] {
          std::string names;
          for (const auto& n : relay::enabled_defect_names(config.defects)) {
            names += (names.empty() ? "" : ",") + n;
          }
          return names.empty() ? std::string("none") : names;
        }()
            .c_str(),
        config.tls ? " tls=on" : "");
    std::fflush(stdout);
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) {
      server.stop();
      io.stop();
    });
    io.run();
    std::printf("camleak relay stopped\n");
    result.exit_code = 0;
  });
}

}  // namespace camleak::cli
