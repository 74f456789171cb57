// Pure pieces of the reference relay: config parsing, provisioning and its state file, the
// session table (both id schemes and the resume rules), viewer slots, the GOP cache and the
// mapping cache's matching.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>
#include <random>

#include "emulators/relay/channel.hpp"
#include "emulators/relay/config.hpp"
#include "emulators/relay/mapping_cache.hpp"
#include "emulators/relay/provisioning.hpp"
#include "emulators/relay/session_table.hpp"
#include "emulators/relay/state_file.hpp"
#include "emulators/relay/viewer_slots.hpp"
#include "harness/core/errors.hpp"
#include "tests/support/test_certificates.hpp"

namespace camleak::relay {
namespace {

std::filesystem::path temp_path(const std::string& name) {
  std::random_device rd;
  auto dir =
      std::filesystem::temp_directory_path() / ("camleak-relay-unit-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

TEST(RelayConfig, ParsesEveryField) {
  const auto c = parse_relay_config(R"(
listen:
  rtsp: 127.0.0.1:8554
  http: "[::1]:0"
  admin: 0.0.0.0:9000
state_file: /tmp/x.json
defects: [weak-signal-cache, restart-session-swap]
timeouts: {session: 30s, ingest: 5s, write_stall: 2s, revoke_check: 100ms, http_idle: 10s}
snapshot: {ttl: 500ms, quality: 70}
limits: {max_connections: 100, max_viewer_queue_bytes: 256KiB, max_gop_frames: 50}
seed: 9
)",
                                    "relay.yaml");
  EXPECT_EQ(c.rtsp, (ListenAddress{"127.0.0.1", 8554}));
  EXPECT_EQ(c.http, (ListenAddress{"::1", 0}));
  EXPECT_EQ(c.admin.port, 9000);
  EXPECT_EQ(c.state_file, "/tmp/x.json");
  EXPECT_TRUE(c.defects.weak_signal_cache);
  EXPECT_FALSE(c.defects.storm_mapping_mixup);
  EXPECT_TRUE(c.defects.restart_session_swap);
  EXPECT_EQ(c.timeouts.session, std::chrono::seconds(30));
  EXPECT_EQ(c.timeouts.revoke_check, std::chrono::milliseconds(100));
  EXPECT_EQ(c.snapshot_ttl, std::chrono::milliseconds(500));
  EXPECT_EQ(c.snapshot_quality, 70);
  EXPECT_EQ(c.limits.max_connections, 100u);
  EXPECT_EQ(c.limits.max_viewer_queue_bytes, 256u * 1024);
  EXPECT_EQ(c.seed, 9u);
  EXPECT_EQ(parse_relay_config("", "empty.yaml").rtsp.port, 0);  // all defaults
}

TEST(RelayConfig, ErrorsNameFileLineColumnAndField) {
  try {
    parse_relay_config(
        "listen:\n  rtsp: 127.0.0.1\n  htp: x\ndefects: [weak-signal-cach]\ntimeouts:\n  session: "
        "3q\n",
        "relay.yaml");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const auto& d = e.diagnostics();
    ASSERT_EQ(d.size(), 4u);
    EXPECT_EQ(d[0].field, "listen.rtsp");
    EXPECT_EQ(d[0].line, 2);
    EXPECT_EQ(d[0].column, 9);
    EXPECT_EQ(d[1].field, "listen.htp");
    EXPECT_NE(d[1].message.find("http"), std::string::npos);  // did you mean
    EXPECT_EQ(d[2].field, "defects[0]");
    EXPECT_NE(d[2].message.find("weak-signal-cache"), std::string::npos);
    EXPECT_EQ(d[3].field, "timeouts.session");
    EXPECT_EQ(d[3].line, 6);
    EXPECT_EQ(d[0].file, "relay.yaml");
  }
  try {
    parse_relay_config("listen: [unclosed\n", "bad.yaml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.diagnostics()[0].file, "bad.yaml");
    EXPECT_GT(e.diagnostics()[0].line, 0);
  }
}

TEST(RelayConfig, TlsCertificateKeyAndClientCa) {
  const camleak::testing::TestCertificates certs;
  const auto c =
      parse_relay_config("tls: {cert: " + certs.server_cert() + ", key: " + certs.server_key() +
                             ", client_ca: " + certs.ca_cert() + "}\n",
                         "relay.yaml");
  ASSERT_TRUE(c.tls.has_value());
  EXPECT_EQ(c.tls->cert_file, certs.server_cert());
  EXPECT_EQ(c.tls->key_file, certs.server_key());
  EXPECT_EQ(c.tls->client_ca_file, certs.ca_cert());
  EXPECT_FALSE(parse_relay_config("seed: 1\n", "relay.yaml").tls.has_value());
}

TEST(RelayConfig, TlsProblemsAtTheirLine) {
  const camleak::testing::TestCertificates certs;
  const auto diagnostics = [](const std::string& yaml) {
    try {
      parse_relay_config(yaml, "relay.yaml");
    } catch (const InputError& e) {
      return e.diagnostics();
    }
    return std::vector<Diagnostic>{};
  };
  const auto missing = diagnostics("seed: 1\ntls:\n  cert: /nonexistent/server.pem\n");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].field, "tls.cert");
  EXPECT_EQ(missing[0].line, 3);
  EXPECT_EQ(missing[0].column, 9);
  EXPECT_NE(missing[0].message.find("/nonexistent/server.pem"), std::string::npos);
  EXPECT_NE(missing[0].message.find("No such file or directory"), std::string::npos)
      << missing[0].message;
  const auto mismatch =
      diagnostics("tls:\n  cert: " + certs.server_cert() + "\n  key: " + certs.client_key() + "\n");
  ASSERT_EQ(mismatch.size(), 1u);
  EXPECT_EQ(mismatch[0].field, "tls.key");
  EXPECT_EQ(mismatch[0].line, 3);
  const auto no_cert = diagnostics("tls: {key: x.pem}\n");
  ASSERT_EQ(no_cert.size(), 1u);
  EXPECT_EQ(no_cert[0].field, "tls.cert");
  const auto unknown = diagnostics("tls: {cert: a.pem, ca: b.pem}\n");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].field, "tls.ca");
}

TEST(RelayConfig, ListenAddressForms) {
  EXPECT_EQ(parse_listen_address("[::1]:554"), (ListenAddress{"::1", 554}));
  EXPECT_THROW(parse_listen_address("::1:554"), std::invalid_argument);
  EXPECT_THROW(parse_listen_address("host"), std::invalid_argument);
  EXPECT_THROW(parse_listen_address("h:70000"), std::invalid_argument);
  EXPECT_EQ(format_host_port({"::1", 5}), "[::1]:5");
}

TEST(Provisioning, AuthorizationRules) {
  Provisioning p;
  p.put_account("alice", "ta");
  p.put_account("bob", "tb");
  p.put_camera("cam", "alice", "s");
  EXPECT_TRUE(p.can_view("alice", "cam"));
  EXPECT_FALSE(p.can_view("bob", "cam"));
  EXPECT_TRUE(p.put_share("cam", "bob"));
  EXPECT_TRUE(p.can_view("bob", "cam"));
  EXPECT_FALSE(p.can_view("carol", "cam"));  // shared to nobody that exists
  EXPECT_TRUE(p.delete_share("cam", "bob"));
  EXPECT_FALSE(p.can_view("bob", "cam"));
  EXPECT_FALSE(p.put_share("nope", "bob"));
  p.put_share("cam", "bob");
  p.put_camera("cam", "bob", "s2");  // ownership moves: old shares go
  EXPECT_FALSE(p.can_view("alice", "cam"));
  EXPECT_TRUE(p.can_view("bob", "cam"));
  EXPECT_TRUE(p.token_valid("alice", "ta"));
  EXPECT_FALSE(p.token_valid("alice", "tb"));
  EXPECT_FALSE(p.token_valid("nobody", ""));
  EXPECT_TRUE(p.camera_secret_valid("cam", "s2"));
  EXPECT_EQ(p.accounts_with_token("tb"), std::vector<std::string>{"bob"});
  EXPECT_FALSE(check_name("a b").empty());
  EXPECT_FALSE(check_name("").empty());
  EXPECT_TRUE(check_name("cam-1.x_y").empty());
  EXPECT_FALSE(check_secret("has space").empty());
}

TEST(StateFile, RoundTripIsAtomicAndRejectsCorruptFiles) {
  const auto path = temp_path("state.json");
  StateFile file(path.string());
  EXPECT_FALSE(file.load().has_value());
  Provisioning p;
  p.put_account("alice", "ta");
  p.put_camera("cam", "alice", "s");
  p.put_share("cam", "bob");
  const std::vector<PersistedSession> sessions{{"1", "alice", "cam"}};
  file.save(p, sessions);
  const auto loaded = file.load();
  ASSERT_TRUE(loaded.has_value());
  EXPECT_TRUE(loaded->provisioning.can_view("alice", "cam"));
  EXPECT_EQ(loaded->provisioning.camera("cam")->shares.count("bob"), 1u);
  EXPECT_EQ(loaded->sessions, sessions);
  // No temporary file is left behind.
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(path.parent_path()))
    ++files;
  EXPECT_EQ(files, 1u);
  std::ofstream(path) << R"({"version": 1, "provisioning": {"accounts": {"a b": {"token": "x"}}}})";
  try {
    file.load();
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.diagnostics()[0].file, path.string());
    EXPECT_NE(e.diagnostics()[0].field.find("accounts"), std::string::npos);
  }
  std::ofstream(path) << "{ not json";
  EXPECT_THROW(file.load(), InputError);
  std::filesystem::remove_all(path.parent_path());
}

TEST(SessionTable, RandomIdsHonourOnlyTheSameAccountAndCamera) {
  SessionTable t(/*counter_ids=*/false, 5);
  const auto a = t.open("alice", "cam-a", 1, "");
  EXPECT_EQ(a.kind, ResumeDecision::Kind::fresh);
  EXPECT_EQ(a.session.id.size(), 16u);
  const auto stolen = t.open("bob", "cam-b", 2, a.session.id);
  EXPECT_EQ(stolen.kind, ResumeDecision::Kind::ignored);
  EXPECT_NE(stolen.session.id, a.session.id);
  EXPECT_EQ(stolen.session.account, "bob");
  // Held by a live connection: even the owner on another connection gets a fresh session.
  EXPECT_EQ(t.open("alice", "cam-a", 3, a.session.id).kind, ResumeDecision::Kind::ignored);
  t.detach(a.session.id, 1, Micros{0});
  EXPECT_EQ(t.open("alice", "cam-b", 4, a.session.id).kind, ResumeDecision::Kind::ignored);
  EXPECT_EQ(t.open("alice", "cam-a", 5, a.session.id).kind, ResumeDecision::Kind::honoured);
}

TEST(SessionTable, CounterIdsRepeatAfterARestartAndRebind) {
  SessionTable before(/*counter_ids=*/true, 5);
  EXPECT_EQ(before.open("alice", "cam-a", 1, "").session.id, "1");
  EXPECT_EQ(before.open("bob", "cam-b", 2, "").session.id, "2");
  const auto persisted = before.persistable(100);
  SessionTable after(/*counter_ids=*/true, 5);  // the new process
  after.restore(persisted, Micros{0});
  const auto bob_again = after.open("bob", "cam-b", 10, "");
  EXPECT_EQ(bob_again.session.id, "1");  // the counter started again
  const auto alice_resume = after.open("alice", "cam-a", 11, "1");
  EXPECT_EQ(alice_resume.kind, ResumeDecision::Kind::rebound);
  EXPECT_EQ(alice_resume.session.account, "bob");
  EXPECT_EQ(alice_resume.session.camera, "cam-b");
}

TEST(SessionTable, ExpiresUnclaimedSessions) {
  SessionTable t(false, 1);
  t.restore({{"abc", "alice", "cam"}}, Micros{100});
  EXPECT_NE(t.find("abc"), nullptr);
  t.expire_restored(Micros{50});
  EXPECT_NE(t.find("abc"), nullptr);
  t.expire_restored(Micros{200});
  EXPECT_EQ(t.find("abc"), nullptr);
}

FramePtr frame(uint64_t index, bool keyframe, size_t bytes = 100) {
  auto f = std::make_shared<MediaFrame>();
  f->index = index;
  f->keyframe = keyframe;
  f->wire.resize(bytes);
  return f;
}

TEST(ViewerSlots, LowestFreeSlotAndCacheSurvivesOnlyUncleanRelease) {
  ViewerSlots slots(GopCacheLimits{10, 1 << 20});
  EXPECT_EQ(slots.acquire(), 0u);
  EXPECT_EQ(slots.acquire(), 1u);
  slots.record_sent(0, frame(1, false));  // no keyframe yet: nothing resumable
  EXPECT_TRUE(slots.resume_cache(0).empty());
  slots.record_sent(0, frame(2, true));
  slots.record_sent(0, frame(3, false));
  EXPECT_EQ(slots.resume_cache(0).size(), 2u);
  slots.release(0, /*clean=*/false);
  EXPECT_EQ(slots.acquire(), 0u);  // reused
  EXPECT_EQ(slots.resume_cache(0).size(), 2u);
  slots.release(0, /*clean=*/true);
  EXPECT_TRUE(slots.resume_cache(0).empty());
  EXPECT_EQ(slots.in_use(), 1u);
}

struct CountingSink : FrameSink {
  std::vector<uint64_t> got;
  void deliver(const FramePtr& f) override { got.push_back(f->index); }
};

TEST(Channel, GopCacheStartsAtTheLatestKeyframeAndIsBounded) {
  Channel c("cam", GopCacheLimits{4, 1 << 20});
  CountingSink sink;
  c.add_viewer(&sink);
  c.push(frame(1, false));
  EXPECT_TRUE(c.gop().empty());
  c.push(frame(2, true));
  c.push(frame(3, false));
  ASSERT_EQ(c.gop().size(), 2u);
  EXPECT_EQ(c.gop().front()->index, 2u);
  c.push(frame(4, true));
  EXPECT_EQ(c.gop().size(), 1u);
  c.push(frame(5, false));
  c.push(frame(6, false));
  c.push(frame(7, false));
  EXPECT_TRUE(c.push(frame(8, false)));  // fifth frame of the GOP: over the cap, emptied
  EXPECT_TRUE(c.gop().empty());
  EXPECT_EQ(c.latest_keyframe()->index, 4u);  // snapshots still have a source
  EXPECT_EQ(sink.got.size(), 8u);
  c.remove_viewer(&sink);
  c.push(frame(9, true));
  EXPECT_EQ(sink.got.size(), 8u);
}

TEST(MappingCache, LatencyIsDeterministicAndInRange) {
  for (const char* name : {"cam-1", "cam-2", "x"}) {
    const auto l = MappingCache::latency(name);
    EXPECT_EQ(l, MappingCache::latency(name));
    EXPECT_GE(l, std::chrono::milliseconds(20));
    EXPECT_LE(l, std::chrono::milliseconds(120));
  }
}

// Two lookups in flight, the first one slower: which channel does each request get?
std::map<std::string, std::string> two_lookups(bool fifo) {
  std::string slow, fast;
  for (int i = 0; slow.empty() || fast.empty(); ++i) {
    const std::string n = "c" + std::to_string(i);
    if (slow.empty() && MappingCache::latency(n) >= std::chrono::milliseconds(90))
      slow = n;
    else if (fast.empty() && MappingCache::latency(n) <= std::chrono::milliseconds(40))
      fast = n;
  }
  boost::asio::io_context io;
  MappingCache cache(io.get_executor(), fifo);
  std::map<std::string, std::string> got;
  cache.lookup(slow, [&](const std::string& ch) { got["slow"] = ch == slow ? "own" : "other"; });
  cache.lookup(fast, [&](const std::string& ch) { got["fast"] = ch == fast ? "own" : "other"; });
  EXPECT_EQ(cache.pending(), 2u);
  io.run();
  EXPECT_EQ(cache.pending(), 0u);
  return got;
}

TEST(MappingCache, ById) {
  const auto got = two_lookups(false);
  EXPECT_EQ(got.at("slow"), "own");
  EXPECT_EQ(got.at("fast"), "own");
}

TEST(MappingCache, FifoSwapsOutOfOrderCompletions) {
  const auto got = two_lookups(true);
  EXPECT_EQ(got.at("slow"), "other");
  EXPECT_EQ(got.at("fast"), "other");
}

TEST(MappingCache, FifoIsRightForOneLookupAtATime) {
  boost::asio::io_context io;
  MappingCache cache(io.get_executor(), true);
  std::string got;
  cache.lookup("cam-x", [&](const std::string& ch) { got = ch; });
  io.run();
  EXPECT_EQ(got, "cam-x");
}

}  // namespace
}  // namespace camleak::relay
