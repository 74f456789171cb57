// `camleak relay --config relay.yaml`: the reference relay as a standalone process, for
// external-SUT runs and manual testing. Prints the bound addresses on one line once ready (the
// admin port then answers GET /admin/health with 200) and runs until SIGINT or SIGTERM.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <string>

#include "emulators/relay/config.hpp"
#include "emulators/relay/relay.hpp"
#include "harness/cli/commands.hpp"

namespace camleak::cli {

void add_relay_command(CLI::App& app, CommandResult& result) {
  auto* cmd =
      app.add_subcommand("relay", "Run the reference relay (the built-in system under test)");
  auto config_path = std::make_shared<std::string>();
  cmd->add_option("-c,--config", *config_path,
                  "relay YAML: listen, state_file, defects, timeouts, snapshot, limits")
      ->required();
  cmd->callback([&result, config_path] {
    const relay::RelayConfig config = relay::load_relay_config(*config_path);  // InputError: exit 2
    boost::asio::io_context io(1);
    relay::Relay server(config, io);
    server.start();
    const auto ports = server.ports();
    std::printf("camleak relay ready: rtsp=%s http=%s admin=%s defects=%s\n",
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
                    .c_str());
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
