// `camleak proxy [--config links.yaml] [--api 127.0.0.1:8474] [--seed N]`: runs the lossy-link
// proxy on its own, driven by a link file and/or the Toxiproxy-compatible control API, until
// SIGINT or SIGTERM.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>

#include "harness/cli/commands.hpp"
#include "harness/core/clock.hpp"
#include "harness/core/errors.hpp"
#include "harness/core/event_log.hpp"
#include "harness/proxy/control_api.hpp"
#include "harness/proxy/link_file.hpp"
#include "harness/proxy/proxy.hpp"
#include "harness/proxy/proxy_thread.hpp"

namespace camleak::cli {
namespace {

struct ProxyArgs {
  std::string config;
  std::string api = "127.0.0.1:8474";
  uint64_t seed = 0;
};

int run_proxy(const ProxyArgs& args) {
  const auto& registry = impair::Registry::builtin();
  std::vector<proxy::LinkSetup> links;
  if (!args.config.empty()) links = proxy::load_link_file(args.config, registry);

  SteadyClock clock;
  EventLog events;
  // The proxy and its API run on their own thread; this one only waits for a signal.
  proxy::ProxyThread runner(clock, &events, proxy::ProxyOptions{.seed = args.seed}, registry);
  std::unique_ptr<proxy::ControlApi> api;
  try {
    for (auto& link : links) {
      const auto info = runner.proxy().add_link(link.config, link.stages);
      std::printf("link %s: %s %s -> %s%s (%zu toxics)\n", info.name.c_str(),
                  std::string(proxy::to_string(info.protocol)).c_str(), info.listen.c_str(),
                  info.upstream.c_str(), info.enabled ? "" : " [disabled]", info.stages.size());
    }
    if (!args.api.empty()) {
      runner.run_on_io([&] {
        api = std::make_unique<proxy::ControlApi>(runner.proxy(), args.api,
                                                  "camleak " CAMLEAK_VERSION);
      });
      std::printf("control API on http://%s\n", api->address().c_str());
    }
  } catch (const proxy::ProxyError& e) {
    // A taken port or an unusable address is a configuration problem: exit code 2.
    throw InputError(Diagnostic{.file = args.config, .message = e.what()});
  }
  std::fflush(stdout);

  boost::asio::io_context main_io;
  boost::asio::signal_set signals(main_io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    std::fprintf(stderr, "camleak proxy: %s, shutting down\n",
                 signal == SIGINT ? "SIGINT" : "SIGTERM");
    main_io.stop();
  });
  main_io.run();
  runner.run_on_io([&] { api.reset(); });
  return 0;  // ~ProxyThread closes every link and joins
}

}  // namespace

void add_proxy_command(CLI::App& app, CommandResult& result) {
  auto* cmd = app.add_subcommand(
      "proxy", "Run the lossy-link proxy with a Toxiproxy-compatible control API");
  auto args = std::make_shared<ProxyArgs>();
  cmd->add_option("--config", args->config, "Link file (YAML list of links with toxics)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--api", args->api,
                  "Control API address (host:port; empty to run without the API)")
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "Run seed for every random impairment decision")
      ->capture_default_str();
  cmd->callback([args, &result] { result.exit_code = run_proxy(*args); });
}

}  // namespace camleak::cli
