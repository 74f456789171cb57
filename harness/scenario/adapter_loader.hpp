#pragma once
// Adapter files in, validated Adapter out (adapter.hpp). Every problem is collected with
// file:line:col and the dotted field path and thrown together as one InputError, as for
// scenario files.
#include <string>
#include <string_view>

#include "harness/scenario/adapter.hpp"

namespace camleak::scenario {

// `environment` looks up {env:NAME} in variables (getenv by default).
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
Environment process_environment();

Adapter load_adapter_file(const std::string& path,
                          const Environment& environment = process_environment());
Adapter load_adapter_text(std::string_view text, const std::string& file,
                          const Environment& environment = process_environment());

// The SUT contract of DESIGN.md: scenarios/adapters/contract.yaml, compiled in.
const Adapter& contract_adapter();
// `name_or_path`: "contract" for the compiled-in adapter, else a file path (relative paths are
// taken from `base_dir`).
Adapter resolve_adapter(const std::string& name_or_path, const std::string& base_dir);

}  // namespace camleak::scenario
