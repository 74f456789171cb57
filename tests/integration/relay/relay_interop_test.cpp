// Interoperability with RTSP software we did not write: the ffmpeg CLI publishes H.264 into the
// relay with camera credentials (over TCP and UDP), ffprobe/ffmpeg and GStreamer's rtspsrc play
// it with account credentials and decode frames, and wrong credentials are refused. A test is
// skipped only when its tool is missing.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "emulators/hub/hub.hpp"
#include "tests/integration/relay/relay_test_support.hpp"

extern char** environ;

namespace camleak::relay::testing {
namespace {

bool have_tool(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// A child process with stdout+stderr in a file; killed when the object goes away.
class Process {
 public:
  Process(std::vector<std::string> args, const std::filesystem::path& log) : log_(log) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    if (pid_ > 0) {
      const pid_t pid = pid_;
      status_ = std::async(std::launch::async, [pid] {
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      });
    }
  }
  ~Process() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      status_.wait();
    }
  }
  // Exit code, or -1 if it is still running at the deadline (then it is killed).
  int wait(std::chrono::milliseconds deadline) {
    if (pid_ <= 0) return -2;
    if (status_.wait_for(deadline) != std::future_status::ready) {
      ::kill(pid_, SIGKILL);
      status_.wait();
      exited_ = true;
      return -1;
    }
    exited_ = true;
    return status_.get();
  }
  void interrupt() {
    if (pid_ > 0 && !exited_) ::kill(pid_, SIGINT);
  }
  std::string output() const {
    std::ifstream in(log_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  std::filesystem::path log_;
  pid_t pid_ = -1;
  std::future<int> status_;
  bool exited_ = false;
};

// Probes `done` every 20 ms until it holds or the deadline passes (the state lives in another
// process, so there is nothing to block on; the interval only spares ephemeral ports).
bool poll_until(const std::function<bool()>& done, std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

class RelayInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_tool("ffmpeg")) GTEST_SKIP() << "ffmpeg is not installed";
    relay_ = std::make_unique<RelayUnderTest>();
    relay_->put_account("alice", "tok-alice");
    relay_->put_account("carol", "tok-carol");
    relay_->put_camera("cam-1", "alice", "secret");
  }

  std::string url(const std::string& user, const std::string& password) const {
    return relay_->relay().rtsp_url("cam-1", user, password);
  }

  // The ffmpeg publisher of the issue, running long enough for the players.
  std::unique_ptr<Process> publish(const std::string& transport,
                                   const std::string& password = "secret") {
    return std::make_unique<Process>(std::vector<std::string>{"ffmpeg",
                                                              "-hide_banner",
                                                              "-nostdin",
                                                              "-re",
                                                              "-f",
                                                              "lavfi",
                                                              "-i",
                                                              "testsrc=size=320x240:rate=10",
                                                              "-t",
                                                              "30",
                                                              "-c:v",
                                                              "libx264",
                                                              "-tune",
                                                              "zerolatency",
                                                              "-g",
                                                              "10",
                                                              "-f",
                                                              "rtsp",
                                                              "-rtsp_transport",
                                                              transport,
                                                              url("cam-1", password)},
                                     relay_->dir() / ("publish-" + transport + ".log"));
  }

  bool wait_for_publisher() {
    return poll_until([&] { return active(*relay_, "publishers") == 1; }, std::chrono::seconds(15));
  }

  std::unique_ptr<RelayUnderTest> relay_;
};

// Lines of ffmpeg's framecrc output that describe a decoded video frame.
int decoded_frames(const std::string& output) {
  int n = 0;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("0,", 0) == 0) ++n;
  }
  return n;
}

TEST_F(RelayInterop, FfmpegPublishesOverTcpAndFfmpegAndFfprobePlay) {
  auto publisher = publish("tcp");
  ASSERT_TRUE(wait_for_publisher()) << publisher->output();

  Process player({"ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-rtsp_transport", "tcp",
                  "-i", url("alice", "tok-alice"), "-frames:v", "5", "-f", "framecrc", "-"},
                 relay_->dir() / "play.log");
  EXPECT_EQ(player.wait(std::chrono::seconds(20)), 0) << player.output();
  EXPECT_EQ(decoded_frames(player.output()), 5) << player.output();

  if (have_tool("ffprobe")) {
    Process probe({"ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-show_entries",
                   "stream=codec_name,width,height", "-of", "csv=p=0", url("alice", "tok-alice")},
                  relay_->dir() / "probe.log");
    EXPECT_EQ(probe.wait(std::chrono::seconds(20)), 0) << probe.output();
    EXPECT_NE(probe.output().find("h264,320,240"), std::string::npos) << probe.output();
  }

  // Wrong token and a stranger are refused.
  for (const auto& [user, pass] : {std::pair<std::string, std::string>{"alice", "wrong"},
                                   std::pair<std::string, std::string>{"carol", "tok-carol"}}) {
    Process refused({"ffmpeg", "-hide_banner", "-nostdin", "-rtsp_transport", "tcp", "-i",
                     url(user, pass), "-frames:v", "1", "-f", "null", "-"},
                    relay_->dir() / "refused.log");
    EXPECT_NE(refused.wait(std::chrono::seconds(20)), 0) << refused.output();
    EXPECT_NE(refused.output().find("401"), std::string::npos) << refused.output();
  }
  publisher->interrupt();
  publisher->wait(std::chrono::seconds(10));
}

TEST_F(RelayInterop, FfmpegPublishesOverUdp) {
  auto publisher = publish("udp");
  ASSERT_TRUE(wait_for_publisher()) << publisher->output();
  Process player({"ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-rtsp_transport", "udp",
                  "-i", url("alice", "tok-alice"), "-frames:v", "5", "-f", "framecrc", "-"},
                 relay_->dir() / "play-udp.log");
  EXPECT_EQ(player.wait(std::chrono::seconds(20)), 0) << player.output();
  EXPECT_EQ(decoded_frames(player.output()), 5) << player.output();
  publisher->interrupt();
  publisher->wait(std::chrono::seconds(10));
}

TEST_F(RelayInterop, FfmpegPublishWithAWrongSecretIsRefused) {
  auto publisher = publish("tcp", "not-the-secret");
  EXPECT_NE(publisher->wait(std::chrono::seconds(20)), 0);
  EXPECT_NE(publisher->output().find("401"), std::string::npos) << publisher->output();
  EXPECT_EQ(active(*relay_, "publishers"), 0);
}

// Our hub against a stream no camleak camera made: it plays and decodes ffmpeg's frames, and
// says they carry no identity instead of guessing one.
TEST_F(RelayInterop, OurHubPlaysAStreamFfmpegPublished) {
  auto publisher = publish("tcp");
  ASSERT_TRUE(wait_for_publisher()) << publisher->output();

  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::thread io_thread([&] { io.run(); });
  SteadyClock clock;
  emulators::IdCounter ids;
  emulators::DecodePool pool(1);
  std::atomic<int> decoded{0}, with_identity{0};
  emulators::HubConfig config;
  config.name = "hub-1";
  config.account = "alice";
  config.token = "tok-alice";
  config.rtsp_port = relay_->ports().rtsp;
  config.cameras = {"cam-1"};
  auto hub = emulators::Hub::create(io, clock, config, test_run_key(), ids, pool,
                                    {.on_operation = [](const Operation&) {},
                                     .on_observation =
                                         [&](const Observation& o, const media::Picture&) {
                                           if (o.status == DecodeStatus::ok) ++decoded;
                                           if (o.sei || o.pixel_code) ++with_identity;
                                         }});
  boost::asio::post(io, [hub] { hub->start(); });
  EXPECT_TRUE(poll_until([&] { return decoded.load() >= 20; }, std::chrono::seconds(20)))
      << "decoded " << decoded.load() << "\n"
      << publisher->output();
  std::promise<void> stopped;
  boost::asio::post(io, [&] {
    hub->stop();
    stopped.set_value();
  });
  stopped.get_future().wait();
  pool.stop();
  work.reset();
  io.stop();
  io_thread.join();
  EXPECT_EQ(with_identity.load(), 0);
  EXPECT_GE(hub->counters().frames_without_sei, 20u);
}

TEST_F(RelayInterop, GstreamerRtspsrcPlaysAndDecodes) {
  if (!have_tool("gst-launch-1.0")) GTEST_SKIP() << "gst-launch-1.0 is not installed";
  auto publisher = publish("tcp");
  ASSERT_TRUE(wait_for_publisher()) << publisher->output();
  const std::string location = relay_->relay().rtsp_url("cam-1");
  for (const std::string protocols : {"tcp", "udp"}) {
    Process gst({"gst-launch-1.0", "-q", "rtspsrc", "location=" + location, "user-id=alice",
                 "user-pw=tok-alice", "protocols=" + protocols, "!", "rtph264depay", "!",
                 "h264parse", "!", "avdec_h264", "!", "fakesink", "num-buffers=5"},
                relay_->dir() / ("gst-" + protocols + ".log"));
    EXPECT_EQ(gst.wait(std::chrono::seconds(30)), 0) << protocols << ": " << gst.output();
  }
  Process refused(
      {"gst-launch-1.0", "-q", "rtspsrc", "location=" + location, "user-id=carol",
       "user-pw=tok-carol", "protocols=tcp", "!", "rtph264depay", "!", "fakesink", "num-buffers=5"},
      relay_->dir() / "gst-refused.log");
  EXPECT_NE(refused.wait(std::chrono::seconds(30)), 0) << refused.output();
  publisher->interrupt();
  publisher->wait(std::chrono::seconds(10));
}

}  // namespace
}  // namespace camleak::relay::testing
