#include "tests/integration/relay/relay_test_support.hpp"

#include <gtest/gtest.h>
#include <poll.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <mutex>
#include <random>
#include <thread>

#include "emulators/media/identity_sei.hpp"

namespace camleak::relay::testing {

namespace asio = boost::asio;

boost::json::object stats(const RelayUnderTest& r) {
  const auto res = http_call(r.ports().admin, "GET", "/admin/stats");
  return res.status == 200 ? boost::json::parse(res.body).as_object() : boost::json::object{};
}

uint64_t counter(const RelayUnderTest& r, const char* name) {
  const auto s = stats(r);
  return s.contains("counters") ? s.at("counters").at(name).to_number<uint64_t>() : 0;
}

int64_t active(const RelayUnderTest& r, const char* name) {
  const auto s = stats(r);
  return s.contains("active") ? s.at("active").at(name).to_number<int64_t>() : -1;
}

bool run_until(asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    // An io_context that ran out of work is stopped until restarted (waiting on the relay
    // alone, before any client exists, must not freeze the clients created afterwards).
    if (io.stopped()) io.restart();
    if (io.run_one_for(std::chrono::milliseconds(10)) == 0 && io.stopped()) {
      // No work here at all (the condition waits on the relay's thread): run_one_for returned
      // at once, so pause instead of spinning and taking the CPU from the relay.
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      continue;
    }
    io.poll();  // everything else that is ready, so busy peers are not starved
  }
  return true;
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("camleak-relay-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

RelayUnderTest::RelayUnderTest(DefectSet defects, std::function<void(RelayConfig&)> tweak) {
  RelayConfig config;
  config.defects = defects;
  config.state_file = (dir_.path() / "relay-state.json").string();
  config.seed = 7;
  if (tweak) tweak(config);
  relay_ = std::make_unique<Relay>(config);
  relay_->start();
}

namespace {
void expect_ok(const HttpResult& r, const std::string& what) {
  ASSERT_EQ(r.status, 200) << what << ": " << r.body;
}
}  // namespace

void RelayUnderTest::put_account(const std::string& account, const std::string& token) {
  expect_ok(http_call(ports().admin, "PUT", "/admin/accounts/" + account,
                      R"({"token":")" + token + R"("})"),
            "PUT account " + account);
}

void RelayUnderTest::put_camera(const std::string& camera, const std::string& owner,
                                const std::string& secret) {
  expect_ok(http_call(ports().admin, "PUT", "/admin/cameras/" + camera,
                      R"({"owner":")" + owner + R"(","secret":")" + secret + R"("})"),
            "PUT camera " + camera);
}

void RelayUnderTest::share(const std::string& camera, const std::string& account) {
  expect_ok(http_call(ports().admin, "PUT", "/admin/cameras/" + camera + "/shares/" + account),
            "share");
}

void RelayUnderTest::unshare(const std::string& camera, const std::string& account) {
  expect_ok(http_call(ports().admin, "DELETE", "/admin/cameras/" + camera + "/shares/" + account),
            "unshare");
}

std::shared_ptr<const media::H264Loop> test_loop(uint32_t code, int fps, int gop) {
  static std::mutex mutex;
  static std::map<std::tuple<uint32_t, int, int>, std::shared_ptr<const media::H264Loop>> cache;
  std::lock_guard lock(mutex);
  auto& slot = cache[{code, fps, gop}];
  if (!slot) {
    media::LoopConfig config;
    config.encoder.width = 320;
    config.encoder.height = 240;
    config.encoder.fps = fps;
    config.encoder.gop = gop;
    config.gops = 2;
    config.camera_code = code;
    slot = media::H264Loop::encode(config);
  }
  return slot;
}

const media::RunKey& test_run_key() {
  static const media::RunKey key = media::run_key_from_seed(1234);
  return key;
}

// ------------------------------------------------------------------ camera

TestCamera::TestCamera(asio::io_context& io, std::string url, std::string camera, std::string owner,
                       std::string secret, uint32_t code, rtsp::RtpTransport transport)
    : io_(io), camera_(camera), timer_(io) {
  options_.url = std::move(url);
  options_.user = camera;
  options_.password = std::move(secret);
  options_.transport = transport;
  options_.request_timeout = std::chrono::milliseconds(3000);
  auto loop = test_loop(code);
  interval_ = std::chrono::microseconds(1'000'000 / loop->config().encoder.fps);
  stamper_ =
      std::make_unique<media::IdentityStamper>(loop, test_run_key(), camera, std::move(owner));
}

TestCamera::~TestCamera() {
  alive_.reset();
  stop();
}

void TestCamera::start() {
  const auto& loop = stamper_->loop();
  rtsp::H264SdpParams params;
  params.sps = loop.sps();
  params.pps = loop.pps();
  client_ = rtsp::RtspClient::create(io_, options_);
  std::weak_ptr<int> alive = alive_;
  client_->publish(rtsp::build_h264_sdp(params),
                   [this, alive](const rtsp::ClientError& e, const rtsp::SessionInfo&) {
                     if (alive.expired()) return;
                     if (e) {
                       error_ = e;
                       return;
                     }
                     publishing_ = true;
                     tick();
                   });
}

void TestCamera::tick() {
  if (!publishing_ || !client_) return;
  const media::StampedAccessUnit au = stamper_->stamp(frames_sent_, frames_sent_, Micros{0});
  const uint32_t ts = static_cast<uint32_t>(frames_sent_ * 90000 / 25);
  packetizer_.packetize(au.nals, ts, [&](std::span<const uint8_t> p) { client_->send_rtp(p); });
  ++frames_sent_;
  timer_.expires_after(interval_);
  std::weak_ptr<int> alive = alive_;
  timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (!ec && !alive.expired()) tick();
  });
}

void TestCamera::stop() {
  publishing_ = false;
  timer_.cancel();
  if (client_) client_->close();
  client_.reset();
}

// ------------------------------------------------------------------ viewer

TestViewer::TestViewer(asio::io_context& io, std::string url, std::string account,
                       std::string token, rtsp::RtpTransport transport)
    : io_(io),
      hmac_(std::make_unique<media::HmacSha256>(test_run_key())),
      hasher_(std::make_unique<media::SliceHasher>()) {
  options_.url = std::move(url);
  options_.user = std::move(account);
  options_.password = std::move(token);
  options_.transport = transport;
  options_.request_timeout = std::chrono::milliseconds(3000);
}

TestViewer::~TestViewer() {
  alive_.reset();
  if (client_) client_->close();
}

void TestViewer::start() {
  playing_ = false;
  session_lost_ = false;
  error_ = {};
  client_ = rtsp::RtspClient::create(io_, options_);
  depacketizer_ = std::make_unique<rtsp::H264Depacketizer>(
      rtsp::H264DepacketizerConfig{}, [this](rtsp::ReceivedAccessUnit&& au) {
        const auto identity = media::read_sei_identity(au.nals, *hmac_, *hasher_);
        cameras_.push_back(identity ? identity->camera : std::string());
      });
  auto* raw = depacketizer_.get();
  std::weak_ptr<int> alive = alive_;
  client_->on_rtp([raw, alive](std::span<const uint8_t> p) {
    if (!alive.expired()) raw->push(p);
  });
  client_->on_session_error([this, alive](const rtsp::ClientError&) {
    if (!alive.expired()) session_lost_ = true;
  });
  client_->play([this, alive](const rtsp::ClientError& e, const rtsp::SessionInfo& info) {
    if (alive.expired()) return;
    if (e) {
      error_ = e;
      return;
    }
    session_id_ = info.session.id;
    playing_ = true;
  });
}

void TestViewer::teardown() {
  if (!client_) return;
  auto done = std::make_shared<bool>(false);
  client_->teardown([done](const rtsp::ClientError&) { *done = true; });
  run_until(
      io_, [&] { return *done; }, std::chrono::milliseconds(5000));
  client_.reset();
  playing_ = false;
}

void TestViewer::drop() {
  if (client_) client_->close();
  client_.reset();
  playing_ = false;
}

size_t TestViewer::frames_from(const std::string& camera) const {
  size_t n = 0;
  for (const auto& c : cameras_) n += c == camera ? 1 : 0;
  return n;
}

size_t TestViewer::frames_not_from(const std::string& camera) const {
  size_t n = 0;
  for (const auto& c : cameras_) n += (!c.empty() && c != camera) ? 1 : 0;
  return n;
}

}  // namespace camleak::relay::testing

// ------------------------------------------------------------------ raw viewer

#include "emulators/rtsp/auth.hpp"
#include "emulators/rtsp/headers.hpp"
#include "emulators/rtsp/stream_parser.hpp"

namespace camleak::relay::testing {

struct RawViewer::Impl {
  Impl(asio::io_context& client_io, uint16_t p) : io(client_io), socket(own_io), port(p) {}
  asio::io_context& io;
  asio::io_context own_io;
  asio::ip::tcp::socket socket;
  uint16_t port;
  std::string camera, account, token;
  rtsp::StreamParser parser;
  uint32_t cseq = 1;
  std::unique_ptr<rtsp::H264Depacketizer> depacketizer;
  media::HmacSha256 hmac{test_run_key()};
  media::SliceHasher hasher;

  // Reads until `stop` holds; pumps the shared io_context between reads.
  void pump(const std::function<bool()>& stop, std::chrono::milliseconds deadline,
            const std::function<void(rtsp::StreamItem&)>& on_item) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    std::vector<uint8_t> buf(64 * 1024);
    while (!stop() && std::chrono::steady_clock::now() < end) {
      boost::system::error_code ec;
      const size_t n = socket.read_some(asio::buffer(buf), ec);
      if (ec == asio::error::would_block) {
        if (io.stopped()) io.restart();
        // Pump the shared io_context for up to 2 ms. Without work it returns at once: then wait
        // for the socket to become readable (2 ms at most) instead of spinning on read_some.
        if (io.run_one_for(std::chrono::milliseconds(2)) == 0 && io.stopped()) {
          pollfd readable{socket.native_handle(), POLLIN, 0};
          ::poll(&readable, 1, 2);
        }
        continue;
      }
      if (ec) return;
      parser.feed(std::span<const uint8_t>(buf.data(), n));
      for (;;) {
        rtsp::StreamItem item = parser.next();
        if (std::holds_alternative<std::monostate>(item)) break;
        on_item(item);
      }
      io.poll();
    }
  }

  std::optional<rtsp::Response> request(rtsp::Request r) {
    r.headers.set("CSeq", std::to_string(cseq++));
    r.headers.set("Authorization", rtsp::basic_authorization(account, token));
    const std::string bytes = rtsp::to_string(r);
    boost::system::error_code ec;
    socket.non_blocking(false, ec);
    asio::write(socket, asio::buffer(bytes), ec);
    socket.non_blocking(true, ec);
    if (ec) return std::nullopt;
    std::optional<rtsp::Response> answer;
    pump([&] { return answer.has_value(); }, std::chrono::milliseconds(5000),
         [&](rtsp::StreamItem& item) {
           if (auto* resp = std::get_if<rtsp::Response>(&item)) answer = std::move(*resp);
           if (auto* f = std::get_if<rtsp::InterleavedFrame>(&item); f && depacketizer) {
             depacketizer->push(f->payload);
           }
         });
    return answer;
  }
};

RawViewer::RawViewer(asio::io_context& io, uint16_t port, std::string camera, std::string account,
                     std::string token)
    : impl_(std::make_unique<Impl>(io, port)) {
  impl_->camera = std::move(camera);
  impl_->account = std::move(account);
  impl_->token = std::move(token);
}

RawViewer::~RawViewer() = default;

int RawViewer::play(const std::string& resume_hint) {
  boost::system::error_code ec;
  impl_->socket.connect({asio::ip::make_address("127.0.0.1"), impl_->port}, ec);
  if (ec) return 0;
  impl_->socket.non_blocking(true, ec);
  impl_->depacketizer = std::make_unique<rtsp::H264Depacketizer>(
      rtsp::H264DepacketizerConfig{}, [this](rtsp::ReceivedAccessUnit&& au) {
        const auto identity = media::read_sei_identity(au.nals, impl_->hmac, impl_->hasher);
        cameras_.push_back(identity ? identity->camera : std::string());
      });
  const std::string base =
      "rtsp://127.0.0.1:" + std::to_string(impl_->port) + "/cameras/" + impl_->camera;
  rtsp::Request setup{.method = "SETUP", .uri = base + "/streamid=0"};
  setup.headers.set("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1");
  if (!resume_hint.empty()) setup.headers.set("Session", resume_hint);
  const auto setup_answer = impl_->request(std::move(setup));
  if (!setup_answer) return 0;
  if (setup_answer->status != 200) return setup_answer->status;
  const auto session = rtsp::parse_session(setup_answer->headers.get("Session"));
  if (!session) return 0;
  session_id_ = session->id;
  rtsp::Request play{.method = "PLAY", .uri = base};
  play.headers.set("Session", session_id_);
  const auto play_answer = impl_->request(std::move(play));
  if (!play_answer) return 0;
  return play_answer->status;
}

void RawViewer::receive(size_t frames, std::chrono::milliseconds deadline) {
  impl_->pump([&] { return cameras_.size() >= frames; }, deadline,
              [&](rtsp::StreamItem& item) {
                if (auto* f = std::get_if<rtsp::InterleavedFrame>(&item); f && f->channel == 0) {
                  impl_->depacketizer->push(f->payload);
                }
              });
}

void RawViewer::drop() {
  boost::system::error_code ec;
  impl_->socket.close(ec);
}

size_t RawViewer::frames_from(const std::string& camera) const {
  size_t n = 0;
  for (const auto& c : cameras_) n += c == camera ? 1 : 0;
  return n;
}

size_t RawViewer::frames_not_from(const std::string& camera) const {
  size_t n = 0;
  for (const auto& c : cameras_) n += (!c.empty() && c != camera) ? 1 : 0;
  return n;
}

}  // namespace camleak::relay::testing
