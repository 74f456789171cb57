#pragma once
// A certification run: every applicable test of a plan over each of its seeds against one DUT,
// resumable, into one directory that `certification_report.hpp` turns into the signed record.
//
//   out/progress.json               finished runs (what a resumed certification skips)
//   out/tests/<ID>/seed-<N>/        each run's own report directory (report.html, evidence)
//   out/certification.{json,html}   the record, out/junit.xml one testcase per test ID
//   out/MANIFEST{,.sig,.pub}        with a key: the SHA-256 of every file, signed (Ed25519)
#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "harness/certify/dut.hpp"
#include "harness/certify/figures.hpp"
#include "harness/certify/plan.hpp"
#include "harness/runner/progress.hpp"

namespace camleak::certify {

struct TestResult {
  PlanTest test;
  // pass: every seed passed; fail: a seed failed a check; error: the harness failed on a seed;
  // not_applicable: the DUT lacks a capability the test needs (`reason`); not_run: interrupted.
  std::string status;
  std::string reason;
  std::string scenario_sha256;
  std::vector<std::string> needs;  // the capabilities its scenario needs
  std::vector<SeedRun> seeds;
};

struct CertificationRecord {
  Plan plan;
  Dut dut;
  std::string dut_sha256;
  std::string camleak_version;
  std::string camleak_build;
  std::chrono::system_clock::time_point started, finished;
  std::vector<TestResult> tests;
  bool interrupted = false;
  size_t resumed_runs = 0;  // seeds taken from progress.json instead of being run again
  // 0 every applicable test passed, 1 a test failed, 2 nothing applicable, 3 the harness failed.
  int exit_code = 0;
};

struct CertifyOptions {
  std::string out_dir;
  std::string camleak_version;
  std::string camleak_build;
  const std::atomic<bool>* interrupted = nullptr;
};

// Loads every scenario first (bad input stops everything before anything runs: InputError).
// Throws InputError when out_dir holds a certification of another plan version or DUT.
CertificationRecord run_certification(const Plan& plan, const Dut& dut,
                                      const CertifyOptions& options, runner::Progress& progress);

// The outcome of a test from its seeds: pass, fail or error.
std::string test_status(const std::vector<SeedRun>& seeds);

}  // namespace camleak::certify
