// `camleak verify DIR --pubkey KEY.pub`: checks a signed report directory with the public key
// the caller trusts (never the MANIFEST.pub copy inside the directory).
// Exit 0 with "verified: N files, signature good (key F)"; 1 with one line per problem, each
// naming the file ("changed: evidence/x.png", "signature: does not match MANIFEST"); 2 for bad
// input (no such directory, no MANIFEST, a key file unreadable or of the wrong kind).
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness/certify/directory_signing.hpp"
#include "harness/cli/commands.hpp"
#include "harness/core/errors.hpp"

namespace camleak::cli {
namespace {

// "<kind>: <path>", the path printable whatever bytes its name holds.
void print_files(const char* kind, const std::vector<std::string>& paths,
                 const certify::ManifestDiff& diff) {
  for (const std::string& path : paths) {
    const bool not_regular = std::ranges::binary_search(diff.not_regular, path);
    std::printf("%s: %s%s\n", kind, certify::printable_path(path).c_str(),
                not_regular ? " (a link or other non-regular file, not followed)" : "");
  }
}

size_t problem_count(const certify::VerifyResult& r) {
  return (r.signature_problem ? 1 : 0) + (r.manifest_problem ? 1 : 0) + r.diff.changed.size() +
         r.diff.missing.size() + r.diff.added.size();
}

}  // namespace

void add_verify_command(CLI::App& app, CommandResult& result) {
  struct Args {
    std::string dir;
    std::string pubkey;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "verify", "Check a signed report directory: its signature and every file it lists");
  cmd->add_option("dir", args->dir, "The report directory (holding MANIFEST and MANIFEST.sig)")
      ->required();
  cmd->add_option("--pubkey", args->pubkey,
                  "The signer's public key (the .pub file of camleak keygen), from a source you "
                  "trust: the MANIFEST.pub copy in the directory proves nothing")
      ->required();
  cmd->callback([args, &result] {
    const certify::VerifyResult r = certify::verify_directory(args->dir, args->pubkey);
    if (r.ok()) {
      std::printf("verified: %zu file%s, signature good (key %s)\n", r.files,
                  r.files == 1 ? "" : "s", r.fingerprint.c_str());
      result.exit_code = static_cast<int>(ExitCode::pass);
      return;
    }
    if (r.signature_problem) std::printf("signature: %s\n", r.signature_problem->c_str());
    if (r.manifest_problem) {
      // One line per diagnostic, each under the same prefix.
      std::string_view rest = *r.manifest_problem;
      while (!rest.empty()) {
        const size_t end = std::min(rest.find('\n'), rest.size());
        std::printf("manifest: %.*s\n", static_cast<int>(end), rest.data());
        rest.remove_prefix(std::min(end + 1, rest.size()));
      }
    }
    print_files("changed", r.diff.changed, r.diff);
    print_files("missing", r.diff.missing, r.diff);
    print_files("added", r.diff.added, r.diff);
    const size_t problems = problem_count(r);
    std::printf("not verified: %zu problem%s (key %s)\n", problems, problems == 1 ? "" : "s",
                r.fingerprint.c_str());
    result.exit_code = static_cast<int>(ExitCode::check_failed);
  });
}

}  // namespace camleak::cli
