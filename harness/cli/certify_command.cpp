// `camleak certify`: a certification plan against a declared device under test, into one signed
// record directory.
#include <csignal>
#include <cstdio>
#include <memory>

#include "harness/certify/certification.hpp"
#include "harness/certify/certification_report.hpp"
#include "harness/certify/directory_signing.hpp"
#include "harness/certify/signing.hpp"
#include "harness/cli/commands.hpp"

#ifndef CAMLEAK_VERSION
#define CAMLEAK_VERSION "0.0.0"
#endif
#ifndef CAMLEAK_BUILD
#define CAMLEAK_BUILD "unknown build"
#endif
#ifndef CAMLEAK_PLAN_DIR
#define CAMLEAK_PLAN_DIR "scenarios/certification"
#endif

namespace camleak::cli {
namespace {

std::atomic<bool> g_certify_interrupted{false};

extern "C" void on_certify_interrupt(int) {
  g_certify_interrupted.store(true);
}

}  // namespace

void add_certify_command(CLI::App& app, CommandResult& result) {
  struct Args {
    std::string dut;
    std::string plan = CAMLEAK_PLAN_DIR;
    std::string out;
    std::string key;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "certify",
      "Run a certification plan against a declared device under test and write a "
      "signed certification record");
  cmd->add_option("--dut", args->dut, "The DUT declaration (dut.yaml)")->required();
  cmd->add_option("--plan", args->plan, "Plan directory or file")->capture_default_str();
  cmd->add_option("--out", args->out,
                  "Record directory; an interrupted certification into it resumes")
      ->required();
  cmd->add_option("--key", args->key, "Ed25519 private key (camleak keygen) that signs the record");
  cmd->add_flag("-q,--quiet", args->quiet, "Only the plan's progress and the outcome");
  cmd->callback([args, &result] {
    std::signal(SIGINT, on_certify_interrupt);
    std::signal(SIGTERM, on_certify_interrupt);
    std::signal(SIGPIPE, SIG_IGN);
    const certify::Plan plan = certify::load_plan(args->plan);
    const certify::Dut dut = certify::load_dut(args->dut);
    // The key is checked before hours of runs, not after them.
    if (!args->key.empty()) certify::PrivateKey::load_pem_file(args->key);
    runner::Progress progress(runner::choose_progress_style(args->quiet, false, stdout), stdout);
    const certify::CertificationRecord record =
        certify::run_certification(plan, dut,
                                   certify::CertifyOptions{.out_dir = args->out,
                                                           .camleak_version = CAMLEAK_VERSION,
                                                           .camleak_build = CAMLEAK_BUILD,
                                                           .interrupted = &g_certify_interrupted},
                                   progress);
    certify::write_certification(record, args->out);
    progress.line("verdict", "CERTIFICATION " + certify::certification_outcome(record) + ": " +
                                 args->out + "/certification.html");
    if (!args->key.empty()) {
      const certify::SignResult signed_record = certify::sign_directory(args->out, args->key);
      progress.line("signed", "signed " + std::to_string(signed_record.files) + " files (key " +
                                  signed_record.fingerprint + "): " + args->out + "/MANIFEST.sig");
    }
    progress.finish();
    result.exit_code = record.exit_code;
  });
}

}  // namespace camleak::cli
