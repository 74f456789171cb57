#pragma once
// The link file of `camleak proxy --config links.yaml`: a YAML list of links (or a map with a
// `links:` list), each with optional stages in the shape of the API's toxic JSON:
//
//   - name: uplink
//     listen: 127.0.0.1:8554        # default 127.0.0.1:0
//     upstream: 127.0.0.1:9554
//     protocol: tcp                 # or udp
//     enabled: true
//     pcap: uplink.pcap             # optional tap file
//     toxics:                       # "stages" is accepted too
//       - type: latency
//         stream: downstream
//         toxicity: 1
//         attributes: {latency: 250ms, jitter: 10}   # Toxiproxy numbers, or unit strings
//         targeting: {mode: first_n, n: 3}
//         window: {start: 10s, stop: 20s}
//
// Every problem is reported with file:line:col as an InputError (exit code 2).
#include <string>
#include <vector>

#include "harness/impair/chain.hpp"
#include "harness/impair/registry.hpp"
#include "harness/proxy/link_config.hpp"

namespace camleak::proxy {

struct LinkSetup {
  LinkConfig config;
  std::vector<impair::StageSpec> stages;  // validated, attributes completed
};

std::vector<LinkSetup> load_link_file(const std::string& path, const impair::Registry& registry);
// The same from text (`name` stands for the file in messages).
std::vector<LinkSetup> parse_link_file(const std::string& text, const std::string& name,
                                       const impair::Registry& registry);

}  // namespace camleak::proxy
