#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>

#include "harness/core/errors.hpp"
#include "mini_xml.hpp"
#include "reports/html_writer.hpp"
#include "reports/json_writer.hpp"
#include "reports/junit_writer.hpp"
#include "reports/repro_writer.hpp"
#include "reports/text.hpp"
#include "sample_record.hpp"

namespace camleak::reports {
namespace {

using namespace camleak::reports::test;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

template <typename W, typename... Args>
std::string render(const RunRecord& record, Args&&... args) {
  std::ostringstream out;
  W writer(out, std::forward<Args>(args)...);
  writer.write(record);
  return out.str();
}

TEST(TextTest, Base64MatchesKnownVectors) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64(std::string("\xff\x00\x10", 3)), "/wAQ");
}

TEST(TextTest, EscapingHandlesMarkupControlsAndBrokenUtf8) {
  EXPECT_EQ(xml_escape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
  EXPECT_EQ(xml_escape(std::string("a\x01"
                                   "b",
                                   3)),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(xml_escape("tab\there\n"), "tab\there\n");
  EXPECT_EQ(sanitize_utf8("caf\xC3\xA9"), "caf\xC3\xA9");            // valid stays
  EXPECT_EQ(sanitize_utf8("x\xFFy"), "x\xEF\xBF\xBDy");              // stray byte
  EXPECT_EQ(sanitize_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(sanitize_utf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated
}

TEST(JsonReportTest, ParsesBackWithSchemaVersionAndEverything) {
  TempDir dir;
  const RunRecord record = sample_record(dir.path());
  const std::string text = render<JsonWriter>(record);
  const auto root = boost::json::parse(text).as_object();
  EXPECT_EQ(root.at("schema").as_string(), "camleak.report/1");
  EXPECT_EQ(root.at("outcome").as_string(), "FAIL");
  EXPECT_EQ(root.at("seed").to_number<uint64_t>(), 42u);
  EXPECT_EQ(root.at("scenario").at("name").as_string(), "cache-mixup");
  EXPECT_EQ(root.at("verdict_counts").at("LEAK").to_number<uint64_t>(), 1u);
  EXPECT_EQ(root.at("verdict_counts").at("OK").to_number<uint64_t>(), 49u);
  const auto& evidence = root.at("evidence").as_array();
  ASSERT_EQ(evidence.size(), 1u);
  const auto& leak = evidence[0].as_object();
  EXPECT_EQ(leak.at("verdict").as_string(), "LEAK");
  EXPECT_EQ(leak.at("owner").as_string(), "bob");
  EXPECT_EQ(leak.at("png").as_string(), "evidence/0001-leak.png");
  const auto& capture = leak.at("captures").as_array()[0].as_object();
  EXPECT_EQ(capture.at("path").as_string(), "evidence/0001-leak-uplink.pcap");
  EXPECT_EQ(capture.at("link").as_string(), "uplink:cam-2");
  EXPECT_EQ(capture.at("protocol").as_string(), "rtsp");
  EXPECT_EQ(capture.at("server_port").to_number<uint64_t>(), 41234u);
  EXPECT_EQ(capture.at("decode").as_string(),
            "tshark -d tcp.port==41234,rtsp -r evidence/0001-leak-uplink.pcap");
  // Numbers as Go and JavaScript print them: boost's serializer wrote 5000 as 5E3.
  EXPECT_EQ(text.find("E3"), std::string::npos);
  EXPECT_NE(text.find("\"time_ms\":5000"), std::string::npos);
  EXPECT_EQ(leak.at("active_faults").as_array()[0].as_string(), "uplink: partition");
  EXPECT_EQ(leak.at("observation").at("sei").at("sequence").to_number<uint64_t>(), 777u);
  EXPECT_EQ(leak.at("observation").at("hub").as_string(), "hub-1");
  EXPECT_FALSE(root.at("checks").as_array().empty());
  EXPECT_FALSE(root.at("metrics").as_array().empty());
  EXPECT_EQ(root.at("fault_events").as_array().size(), 1u);
  EXPECT_EQ(root.at("frame_rates").at("hubs").as_array()[0].at("hub").as_string(), "hub-1");
  EXPECT_EQ(root.at("schedule").as_array()[0].at("time_ms").to_number<double>(), 5000);
  EXPECT_EQ(root.at("repro").as_string(), record.repro_command);
  for (const char* key :
       {"started", "finished", "duration_ms", "exit_code", "phases", "faults", "fault_counters",
        "fault_event_columns", "fault_events_dropped", "phase_verdicts", "evidence_dropped",
        "recoveries", "probes", "operations", "harness_errors"})
    EXPECT_TRUE(root.contains(key)) << key;
}

TEST(JsonReportTest, FleetCountersAreGroupedByDeviceKind) {
  TempDir dir;
  RunRecord record = sample_record(dir.path());
  record.fleet_counters = {{"hubs", "access_units_dropped", 3},
                           {"hubs", "frames_decoded", 997},
                           {"cameras", "frames_sent", 1000}};
  const auto root = boost::json::parse(render<JsonWriter>(record)).as_object();
  const auto& fleet = root.at("fleet_counters").as_object();
  EXPECT_EQ(fleet.at("hubs").at("access_units_dropped").to_number<uint64_t>(), 3u);
  EXPECT_EQ(fleet.at("hubs").at("frames_decoded").to_number<uint64_t>(), 997u);
  EXPECT_EQ(fleet.at("cameras").at("frames_sent").to_number<uint64_t>(), 1000u);
  const std::string html =
      render<HtmlWriter>(record, HtmlOptions{.evidence_root = dir.path().string()});
  EXPECT_NE(html.find("<td>access_units_dropped</td><td class=\"num\">3</td>"), std::string::npos);
}

TEST(JsonReportTest, InvalidUtf8FromTheNetworkStillGivesValidJson) {
  TempDir dir;
  RunRecord record = sample_record(dir.path());
  record.evidence[0].finding.observation.sei->camera = "cam\xFF\xFE";
  const std::string text = render<JsonWriter>(record);
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(text, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(parsed.at("evidence").at(0).at("observation").at("sei").at("camera").as_string(),
            "cam\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(JunitReportTest, IsWellFormedWithOneTestcasePerCheck) {
  TempDir dir;
  const RunRecord record = sample_record(dir.path());
  const std::string xml = render<JunitWriter>(record);
  const auto root = MiniXml::parse(xml);
  EXPECT_EQ(root->name, "testsuites");
  const auto suites = root->all("testsuite");
  ASSERT_EQ(suites.size(), 1u);
  EXPECT_EQ(suites[0]->attributes.at("name"), "cache-mixup");
  const auto cases = root->all("testcase");
  ASSERT_EQ(cases.size(), record.results.checks.size());
  size_t failures = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(cases[i]->attributes.at("classname"), "cache-mixup");
    EXPECT_EQ(cases[i]->attributes.at("name"),
              record.results.checks[i].phase + ": " + record.results.checks[i].check);
    failures += cases[i]->all("failure").size();
  }
  EXPECT_EQ(std::to_string(failures), suites[0]->attributes.at("failures"));
  EXPECT_EQ(std::to_string(cases.size()), suites[0]->attributes.at("tests"));
}

TEST(JunitReportTest, LeakFailureNamesHubAccountCameraOwnerTimeAndSequence) {
  TempDir dir;
  const RunRecord record = sample_record(dir.path());
  const auto root = MiniXml::parse(render<JunitWriter>(record));
  const XmlElement* leak_case = nullptr;
  for (const auto* c : root->all("testcase"))
    if (c->attributes.at("name") == "storm: no_leaks") leak_case = c;
  ASSERT_NE(leak_case, nullptr);
  const auto failure = leak_case->all("failure");
  ASSERT_EQ(failure.size(), 1u);
  const std::string& message = failure[0]->attributes.at("message");
  EXPECT_THAT(message, HasSubstr("hub 'hub-1'"));
  EXPECT_THAT(message, HasSubstr("account 'alice'"));
  EXPECT_THAT(message, HasSubstr("camera 'cam-b'"));
  EXPECT_THAT(message, HasSubstr("owner 'bob'"));
  EXPECT_THAT(message, HasSubstr("6.020s"));
  EXPECT_THAT(message, HasSubstr("sequence 777"));
  EXPECT_THAT(failure[0]->text, HasSubstr("evidence/0001-leak.png"));
  EXPECT_THAT(failure[0]->text, HasSubstr("active fault: uplink: partition"));
}

TEST(JunitReportTest, EscapesHostileNamesAndReportsHarnessErrors) {
  TempDir dir;
  RunRecord record = sample_record(dir.path());
  record.scenario_name = "a<b>&\"c\" 'd'\x01";
  record.harness_errors = {"SUT never became ready: <timeout>"};
  const std::string xml = render<JunitWriter>(record);
  const auto root = MiniXml::parse(xml);  // throws if anything is left unescaped
  EXPECT_EQ(root->all("testsuite")[0]->attributes.at("name"), "a<b>&\"c\" 'd'\xEF\xBF\xBD");
  const auto errors = root->all("error");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]->attributes.at("message"), "SUT never became ready: <timeout>");
  EXPECT_EQ(root->attributes.at("errors"), "1");
}

TEST(HtmlReportTest, IsSelfContainedWithVerdictTimelineAndEmbeddedPicture) {
  TempDir dir;
  const RunRecord record = sample_record(dir.path());
  const std::string html =
      render<HtmlWriter>(record, HtmlOptions{.evidence_root = dir.path().string()});
  EXPECT_THAT(html, HasSubstr("<div class=\"verdict FAIL\" id=\"verdict\">FAIL</div>"));
  EXPECT_THAT(html, HasSubstr("<svg"));
  EXPECT_THAT(html, HasSubstr("class=\"leak\""));   // the leak marker
  EXPECT_THAT(html, HasSubstr("class=\"fault\""));  // the partition band
  EXPECT_THAT(html, HasSubstr("data:image/png;base64," + base64(kTinyPng)));
  EXPECT_THAT(html, HasSubstr("uplink: partition"));
  for (const char* external : {"http:", "https:", "src=\"//", "href=\"//", "url(", "@import",
                               "<link", "<script", "<iframe"})
    EXPECT_THAT(html, Not(HasSubstr(external))) << external;
}

TEST(HtmlReportTest, EscapesEveryTextItShows) {
  TempDir dir;
  RunRecord record = sample_record(dir.path());
  record.scenario_name = "<script>alert(1)</script>";
  record.evidence[0].finding.verdict.reason = "<img src=x onerror=alert(2)>";
  record.harness_errors = {"<b>boom</b>"};
  const std::string html =
      render<HtmlWriter>(record, HtmlOptions{.evidence_root = dir.path().string()});
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, Not(HasSubstr("<img src=x")));
  EXPECT_THAT(html, Not(HasSubstr("<b>boom")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("class=\"verdict ERROR\""));
}

TEST(HtmlReportTest, PassingRunSaysPassAndMissingPictureIsNoted) {
  TempDir dir;
  RunRecord record = sample_record(dir.path());
  record.exit_code = 0;
  for (auto& c : record.results.checks) c.passed = true;
  record.evidence[0].png_path = "evidence/missing.png";
  const std::string html =
      render<HtmlWriter>(record, HtmlOptions{.evidence_root = dir.path().string()});
  EXPECT_THAT(html, HasSubstr("id=\"verdict\">PASS</div>"));
  EXPECT_THAT(html, Not(HasSubstr("data:image/png")));
  EXPECT_THAT(html, HasSubstr("picture not embedded"));
}

TEST(HtmlReportTest, AThousandHubsGiveABandAndAPageOfReasonableSize) {
  RunRecord record;
  record.scenario_name = "fleet";
  record.duration = std::chrono::minutes(10);
  for (int h = 0; h < 1000; ++h) {
    oracle::HubRateSeries series{.hub = "hub-" + std::to_string(h),
                                 .frames = std::vector<uint32_t>(600, 25)};
    record.results.frame_rates.push_back(std::move(series));
    for (const char* phase : {"calm", "storm"})
      record.results.streams.push_back(
          {.hub = "hub-" + std::to_string(h), .camera = "cam", .phase = phase});
  }
  const std::string html = render<HtmlWriter>(record);
  EXPECT_THAT(html, HasSubstr("class=\"rate-band\""));
  EXPECT_THAT(html, Not(HasSubstr("hub-999 (frames/s)")));  // no line per hub
  EXPECT_LT(html.size(), 300'000u) << "page is " << html.size() << " bytes";
}

// A writer that emits part of its output, then fails.
class HalfWriter final : public StreamWriter {
 public:
  using StreamWriter::StreamWriter;
  std::string name() const override { return "half"; }

 protected:
  void render(const RunRecord&, std::ostream& out) override {
    out << "{\"schema\": \"camleak.report/1\", \"trunc";
    throw std::runtime_error("disk full while rendering");
  }
};

size_t files_in(const std::filesystem::path& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

TEST(AtomicFileWriterTest, LeavesNoPartialFileAndKeepsThePreviousReport) {
  TempDir dir;
  const auto path = dir.path() / "report.json";
  AtomicFileWriter fails(path.string(),
                         [](std::ostream& out) { return std::make_unique<HalfWriter>(out); });
  EXPECT_THROW(fails.write(RunRecord{}), HarnessError);
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(files_in(dir.path()), 0u);

  { std::ofstream(path) << "previous report"; }
  try {
    fails.write(RunRecord{});
    FAIL() << "expected HarnessError";
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("report.json"));
    EXPECT_THAT(e.what(), HasSubstr("disk full"));
  }
  EXPECT_EQ(read_file(path), "previous report");
  EXPECT_EQ(files_in(dir.path()), 1u);
}

TEST(AtomicFileWriterTest, ReplacesTheFileWhenWritingSucceeds) {
  TempDir dir;
  const auto path = dir.path() / "repro.txt";
  { std::ofstream(path) << "old"; }
  RunRecord record;
  record.repro_command = "camleak run x.yaml --seed 7";
  AtomicFileWriter writer(path.string(),
                          [](std::ostream& out) { return std::make_unique<ReproWriter>(out); });
  writer.write(record);
  EXPECT_THAT(read_file(path), HasSubstr("camleak run x.yaml --seed 7"));
  EXPECT_EQ(files_in(dir.path()), 1u);
}

TEST(AtomicFileWriterTest, MissingDirectoryIsAHarnessErrorNamingThePath) {
  TempDir dir;
  const auto path = dir.path() / "no-such-dir" / "junit.xml";
  AtomicFileWriter writer(path.string(),
                          [](std::ostream& out) { return std::make_unique<JunitWriter>(out); });
  try {
    writer.write(RunRecord{});
    FAIL() << "expected HarnessError";
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("no-such-dir"));
    EXPECT_EQ(e.code(), ExitCode::harness_failed);
  }
}

TEST(FanOutWriterTest, WritesEveryWriterAndReportsAllFailures) {
  TempDir dir;
  FanOutWriter fan_out;
  fan_out.add(std::make_unique<AtomicFileWriter>(
      (dir.path() / "a.json").string(),
      [](std::ostream& out) { return std::make_unique<HalfWriter>(out); }));
  fan_out.add(std::make_unique<AtomicFileWriter>(
      (dir.path() / "repro.txt").string(),
      [](std::ostream& out) { return std::make_unique<ReproWriter>(out); }));
  try {
    fan_out.write(RunRecord{});
    FAIL() << "expected HarnessError";
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("a.json"));
  }
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "repro.txt"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "a.json"));
}

TEST(ReportDirectoryTest, WritesEveryFormatNextToTheEvidence) {
  TempDir dir;
  const RunRecord record = sample_record(dir.path());
  write_report_directory(record, dir.path().string());
  for (const char* file : {kJsonFile, kJunitFile, kHtmlFile, kReproFile})
    EXPECT_TRUE(std::filesystem::exists(dir.path() / file)) << file;
  // The HTML found the evidence picture relative to the report directory.
  EXPECT_THAT(read_file(dir.path() / kHtmlFile), HasSubstr("data:image/png;base64,"));
  EXPECT_THAT(read_file(dir.path() / kReproFile), HasSubstr("--seed 42"));
  EXPECT_EQ(evidence_pcap_path("0001-leak", "../up link"), "evidence/0001-leak-_.._up_link.pcap");
}

}  // namespace
}  // namespace camleak::reports

namespace camleak::reports {
namespace {

using namespace camleak::reports::test;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

// Regression: the oracle's probe violations were dropped when the record copied its results
// field by field. A granted probe must reach every report.
TEST(ReportsTest, ProbeViolationsReachJsonHtmlAndJunit) {
  TempDir dir;
  RunRecord record = sample_record(dir.path());
  record.results.probe_violations.push_back(
      Operation{.process = "hub-7",
                .account = "mallory",
                .type = OperationType::probe_snapshot,
                .camera = "cam-a",
                .invoked_at = 3s,
                .completed_at = 3100ms,
                .completion = CompletionType::ok,
                .status_code = 200,
                .detail = "200 image/jpeg, body over its cap"});
  record.results.checks.push_back({.check = "probes_refused",
                                   .phase = "run",
                                   .passed = false,
                                   .measured = 1,
                                   .unit = "count",
                                   .message = "1 probe(s): 0 refused, 1 answered ok",
                                   .lists_probe_violations = true});
  const auto root = boost::json::parse(render<JsonWriter>(record));
  const auto& violations = root.at("probe_violations").as_array();
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].at("process").as_string(), "hub-7");
  EXPECT_EQ(violations[0].at("status").to_number<int>(), 200);
  EXPECT_THAT(render<HtmlWriter>(record),
              HasSubstr("hub-7 (account &#39;mallory&#39;) asked for camera &#39;cam-a&#39;"));
  EXPECT_THAT(render<JunitWriter>(record),
              HasSubstr("hub-7 (account &#39;mallory&#39;) asked for camera"));
}

// One outcome everywhere: a harness error makes every writer say ERROR and exit code 3, even
// when the record was built with exit code 0 and every check passed.
TEST(ReportsTest, HarnessErrorIsErrorAndExitThreeInEveryFormat) {
  TempDir dir;
  RunRecord record = sample_record(dir.path());
  for (auto& c : record.results.checks) c.passed = true;
  record.exit_code = 0;
  record.harness_errors = {"timeline: revoke at 30s was sent 300ms after it was due"};
  EXPECT_EQ(outcome(record), "ERROR");
  EXPECT_EQ(exit_code_of(record), 3);
  const auto root = boost::json::parse(render<JsonWriter>(record));
  EXPECT_EQ(root.at("outcome").as_string(), "ERROR");
  EXPECT_EQ(root.at("exit_code").to_number<int>(), 3);
  const std::string xml = render<JunitWriter>(record);
  EXPECT_THAT(xml, HasSubstr("<error type=\"harness\""));
  EXPECT_THAT(xml, HasSubstr("name=\"exit_code\" value=\"3\""));
  EXPECT_THAT(render<HtmlWriter>(record), HasSubstr("class=\"verdict ERROR\""));
}

TEST(ReportsTest, FailedCheckIsFailAndExitOneWhateverTheRecordedCode) {
  TempDir dir;
  RunRecord record = sample_record(dir.path());
  record.exit_code = 0;  // the sample has a LEAK: its no_leaks checks failed
  EXPECT_EQ(outcome(record), "FAIL");
  EXPECT_EQ(exit_code_of(record), 1);
}

}  // namespace
}  // namespace camleak::reports
