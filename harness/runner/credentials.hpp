#pragma once
// Per-run secrets: account tokens, camera secrets and the HMAC key of the identity stamp. They
// are drawn fresh for every run (not from the scenario seed): a relay must not be able to pass
// by replaying a previous run's stamps.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "emulators/media/crypto.hpp"
#include "harness/scenario/scenario.hpp"

namespace camleak::runner {

struct Credentials {
  std::map<std::string, std::string> account_tokens;  // account -> bearer token / RTSP password
  std::map<std::string, std::string> camera_secrets;  // camera -> RTSP publish password
  media::RunKey hmac_key;                             // keys the identity stamp's HMAC
  std::string run_id;  // an adapter's {run}: tells this run's names from another's on a shared SUT
};

Credentials make_credentials(const scenario::Fleet& fleet);

}  // namespace camleak::runner
