#pragma once
// Error types that cross module edges, and the exit codes the CLI turns them into.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace camleak {

// The process exit codes every camleak command uses (DESIGN.md, Conventions).
enum class ExitCode : int { pass = 0, check_failed = 1, bad_input = 2, harness_failed = 3 };

// One problem in user input, located as precisely as the input allows.
struct Diagnostic {
  std::string file;   // empty when the input was not a file (an HTTP body, a CLI flag)
  int line = 0;       // 1-based; 0 when unknown
  int column = 0;     // 1-based; 0 when unknown
  std::string field;  // dotted path of the offending field, e.g. "links.uplink.stages[0].jitter"
  std::string message;

  // "file:line:col: field: message" with the parts that are known. Every value the message
  // echoes in "..." or `...` is cut by clip_value, as are the keys of the field path.
  std::string format() const;
};

// `value` as an error message echoes it: whole when short, else its first 80 bytes (never half a
// UTF-8 character) and "… (N bytes)", so a 30 MB value does not make a 30 MB message.
std::string clip_value(std::string_view value);

// Bad input (scenario files, link configs, CLI values, API bodies): exit code 2.
// Carries every problem found, not just the first.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  explicit InputError(Diagnostic diagnostic)
      : InputError(std::vector<Diagnostic>{std::move(diagnostic)}) {}
  explicit InputError(const std::string& message) : InputError(Diagnostic{.message = message}) {}
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// The harness itself could not do its job (a port it needs is taken, FFmpeg refused, the SUT
// never became ready): exit code 3, unless a more specific code applies.
class HarnessError : public std::runtime_error {
 public:
  explicit HarnessError(const std::string& message, ExitCode code = ExitCode::harness_failed)
      : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

}  // namespace camleak
