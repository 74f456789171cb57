// Adapter files: the shipped ones load, every placeholder is checked where it is written, and
// each mistake is reported at its file:line:col with the field.
#include <gtest/gtest.h>

#include "harness/core/errors.hpp"
#include "harness/scenario/adapter_loader.hpp"
#include "harness/scenario/capabilities.hpp"
#include "harness/scenario/loader.hpp"
#include "harness/scenario/text_template.hpp"

namespace camleak::scenario {
namespace {

const Environment kNoEnvironment = [](const std::string&) { return std::optional<std::string>(); };

std::string errors_of(const std::string& text, const Environment& env = kNoEnvironment) {
  try {
    load_adapter_text(text, "a.yaml", env);
  } catch (const InputError& e) {
    std::string out;
    for (const auto& d : e.diagnostics()) out += d.format() + "\n";
    return out;
  }
  return "";
}

const char* kMinimal = R"(adapter: mini
provisioning:
  create_account: {command: "add-user {account} {token}"}
  create_camera: {command: "add-cam {camera} {owner} {secret}"}
publish: {url: "rtsp://{host}:{rtsp_port}/in/{camera}", auth: {basic: {user: "{camera}", password: "{secret}"}}}
play: {url: "rtsp://{host}:{rtsp_port}/out/{camera}", auth: {digest: {user: "{account}", password: "{token}"}}}
snapshot: absent
)";

TEST(TextTemplate, SplitsPlaceholdersAndEscapesBraces) {
  const TextTemplate t("a{x}b{{c}}{y}");
  EXPECT_EQ(t.names(), (std::vector<std::string>{"x", "y"}));
  const auto lookup = [](std::string_view n) {
    return std::optional<std::string>(n == "x" ? "1 2" : "'");
  };
  EXPECT_EQ(t.expand(lookup), "a1 2b{c}'");
  EXPECT_EQ(t.expand(lookup, Escape::url_component), "a1%202b{c}%27");
  EXPECT_EQ(t.expand(lookup, Escape::shell_word), "a'1 2'b{c}''\\'''");
  EXPECT_THROW(TextTemplate("a{b"), std::invalid_argument);
  EXPECT_THROW(TextTemplate("a{}"), std::invalid_argument);
  EXPECT_THROW(TextTemplate("a}"), std::invalid_argument);
}

TEST(Adapter, TheShippedContractIsTheDefaultAndOffersEverything) {
  const Adapter& a = contract_adapter();
  EXPECT_EQ(a.name, "contract");
  EXPECT_TRUE(a.share.present());
  EXPECT_TRUE(a.revoke.present());
  EXPECT_FALSE(a.delete_camera.present());
  EXPECT_EQ(a.publish.url.text(), "{rtsp_base}/cameras/{camera}");
  EXPECT_EQ(a.snapshot.auth.scheme, AuthTemplate::Scheme::bearer);
  const Adapter cloud =
      load_adapter_file(CAMLEAK_SOURCE_DIR "/scenarios/adapters/reference-cloud.yaml");
  EXPECT_EQ(cloud.builtin_relay.layout, "cloud");
  ASSERT_TRUE(cloud.play.issued);
  EXPECT_EQ(cloud.play.issued->pointer, "/stream/url");
  EXPECT_EQ(cloud.snapshot.auth.scheme, AuthTemplate::Scheme::query);
}

TEST(Adapter, AMinimalAdapterOfCommandsLoads) {
  const Adapter a = load_adapter_text(kMinimal, "a.yaml", kNoEnvironment);
  EXPECT_EQ(a.create_account.kind, AdminAction::Kind::command);
  EXPECT_FALSE(a.share.present());
  EXPECT_FALSE(a.snapshot_present);
  EXPECT_EQ(a.play.auth.scheme, AuthTemplate::Scheme::digest);
}

TEST(Adapter, AMisspeltPlaceholderIsNamedWithWhatThePartMayUse) {
  std::string text = kMinimal;
  text.replace(text.find("{token}"), 7, "{tokn}");
  const std::string e = errors_of(text);
  EXPECT_NE(e.find("a.yaml:3:"), std::string::npos) << e;
  EXPECT_NE(e.find("provisioning.create_account.command"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown placeholder {tokn} (did you mean `token`?)"), std::string::npos) << e;
}

TEST(Adapter, APlaceholderOfAnotherPartIsRefused) {
  std::string text = kMinimal;
  text.replace(text.find("add-user {account}"), 18, "add-user {camera}");
  EXPECT_NE(errors_of(text).find("unknown placeholder {camera}"), std::string::npos);
}

TEST(Adapter, VariablesComeFromTheEnvironment) {
  std::string text = std::string(kMinimal) + "variables: {key: \"{env:VENDOR_KEY}\"}\n";
  text.replace(text.find("add-user"), 8, "add-user {key}");
  EXPECT_NE(errors_of(text).find("the environment variable VENDOR_KEY is not set"),
            std::string::npos);
  const Adapter a = load_adapter_text(text, "a.yaml", [](const std::string& n) {
    return n == "VENDOR_KEY" ? std::optional<std::string>("s3cret") : std::nullopt;
  });
  ASSERT_EQ(a.variables.size(), 1u);
  EXPECT_EQ(a.variables[0].second, "s3cret");
}

TEST(Adapter, EveryMistakeIsListed) {
  const std::string e = errors_of(R"(adapter: bad
provisioning:
  create_account: absent
  create_camera: {http: {url: "ftp://x/{camera}"}, command: "x"}
  share: {http: {method: PUT, url: "http://{host}/s"}}
publish: {url: "http://{host}/in", auth: {kerberos: {}}}
play: {url: "rtsp://{host}/out", issued: {request: {url: "http://{host}/i"}, pointer: "stream"}}
snapshot: {url: "http://{host}/s", auth: {digest: {user: a, password: b}}}
transports: [tcp, quic]
tls: {cert: c.pem}
)");
  for (const char* expected :
       {"a.yaml:3:19: provisioning.create_account: camleak cannot run without this action",
        "a.yaml:4:18: provisioning.create_camera: give exactly one of `http` or `command`",
        "a.yaml:5:3: provisioning.share: share and revoke go together",
        "a.yaml:6:16: publish.url: expected a URL starting with rtsp:// or rtsps://",
        "publish.auth.kerberos: unknown scheme",
        "play.issued.pointer: a JSON pointer (RFC 6901) starts with /",
        "snapshot.auth: snapshots take basic, bearer or query credentials", "transports[1]",
        "tls: a client certificate needs both `cert` and `key`"}) {
    EXPECT_NE(e.find(expected), std::string::npos) << expected << "\n" << e;
  }
}

TEST(Adapter, AHubsAddressAndLoginMayNotDependOnTheCamera) {
  std::string text = kMinimal;
  text.replace(text.find("rtsp://{host}:{rtsp_port}/out/"), 30, "rtsp://{camera}.cams:554/out/");
  EXPECT_NE(errors_of(text).find("play.url: the host and port may not depend on {camera}"),
            std::string::npos)
      << errors_of(text);
  text = kMinimal;
  text.replace(text.find("{account}\", password"), 9, "{camera}");
  EXPECT_NE(errors_of(text).find("play.auth: credentials may not depend on {camera}"),
            std::string::npos)
      << errors_of(text);
}

TEST(Adapter, VariablesAndHeadersAreChecked) {
  const std::string e = errors_of(std::string(kMinimal) + R"(variables: {token: x}
reference_relay: {admin_key: "{run}"}
)");
  EXPECT_NE(e.find("variables.token: is a placeholder camleak sets itself"), std::string::npos)
      << e;
  EXPECT_NE(e.find("reference_relay.admin_key: unknown placeholder {run}"), std::string::npos) << e;
  std::string text = kMinimal;
  const std::string old = "create_camera: {command: \"add-cam {camera} {owner} {secret}\"}";
  text.replace(text.find(old), old.size(),
               "create_camera: {http: {url: \"http://x/\", headers: {\"Bad Name\": v}}}");
  EXPECT_NE(errors_of(text).find("headers.Bad Name: is not an HTTP header name"), std::string::npos)
      << errors_of(text);
}

TEST(Adapter, AnExternalSutMustGiveTheAddressesItsAdapterUses) {
  const std::string e = [] {
    try {
      load_scenario_text(R"(name: t
duration: 5s
sut: {kind: external, adapter: contract, rtsp_url: "rtsp://127.0.0.1:8554"}
fleet: {accounts: {count: 1}, cameras_per_account: 1, hubs_per_account: 1}
)",
                         "t.yaml");
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string();
  }();
  EXPECT_NE(e.find("sut.admin_url: the adapter `contract` uses {admin_base}, so the SUT needs "
                   "admin_url"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("sut.http_url: the adapter `contract` uses {http_base}"), std::string::npos)
      << e;
}

TEST(Adapter, AScenarioNamesItsAdapterRelativeToItself) {
  const std::string dir = CAMLEAK_SOURCE_DIR "/scenarios/";
  const Scenario s = load_scenario_text(R"(name: t
duration: 5s
sut: {adapter: adapters/reference-cloud.yaml}
fleet: {accounts: {count: 1}, cameras_per_account: 1, hubs_per_account: 1}
)",
                                        dir + "t.yaml");
  EXPECT_EQ(s.sut.adapter.name, "reference-cloud");
  try {
    load_scenario_text(
        "name: t\nduration: 5s\nsut: {adapter: nope.yaml}\n"
        "fleet: {accounts: {count: 1}, cameras_per_account: 1, "
        "hubs_per_account: 1}\n",
        dir + "t.yaml");
    FAIL() << "a missing adapter file must be an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t.yaml:3:16: sut.adapter:"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("cannot open the adapter file"), std::string::npos);
  }
}

TEST(Capabilities, AScenarioNeedingWhatTheAdapterLacksIsNotApplicable) {
  Scenario s = load_scenario_text(R"(name: t
duration: 5s
fleet:
  accounts: {count: 2, name: "user-{n}"}
  cameras_per_account: 1
  hubs_per_account: 1
  hub: {transport: udp}
shares: [{camera: cam-1, with: user-2, from: 1s}]
)",
                                  "t.yaml");
  EXPECT_EQ(needed_capabilities(s), (std::set<std::string>{"share", "snapshot", "tcp", "udp"}));
  EXPECT_EQ(not_applicable_reason(s), "");
  s.sut.adapter = load_adapter_text(kMinimal, "a.yaml", kNoEnvironment);
  s.sut.adapter.transports = {"tcp"};
  EXPECT_EQ(missing_capabilities(s), (std::vector<std::string>{"share", "snapshot", "udp"}));
  EXPECT_EQ(not_applicable_reason(s),
            "needs share, snapshot, udp, which the SUT (adapter `mini`) does not offer");
}

}  // namespace
}  // namespace camleak::scenario
