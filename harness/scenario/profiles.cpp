#include "harness/scenario/profiles.hpp"

namespace camleak::scenario {

void LinkParams::apply(const LinkParams& over) {
  if (over.down_bps) down_bps = over.down_bps;
  if (over.up_bps) up_bps = over.up_bps;
  if (over.down_latency) down_latency = over.down_latency;
  if (over.up_latency) up_latency = over.up_latency;
  if (over.jitter) jitter = over.jitter;
  if (over.down_loss) down_loss = over.down_loss;
  if (over.up_loss) up_loss = over.up_loss;
}

namespace {

constexpr uint64_t kbps(double v) {
  return static_cast<uint64_t>(v * 1000);
}
constexpr uint64_t mbps(double v) {
  return static_cast<uint64_t>(v * 1000 * 1000);
}
constexpr Micros ms(double v) {
  return Micros{static_cast<int64_t>(v * 1000)};
}

// A symmetric-latency profile from a round-trip time.
LinkParams rtt_profile(uint64_t down, uint64_t up, double rtt_ms, double loss = 0) {
  LinkParams p;
  p.down_bps = down;
  p.up_bps = up;
  p.down_latency = ms(rtt_ms / 2);
  p.up_latency = ms(rtt_ms / 2);
  if (loss > 0) {
    p.down_loss = loss;
    p.up_loss = loss;
  }
  return p;
}

// A profile given per direction (Network Link Conditioner style).
LinkParams directional(uint64_t down, double down_delay_ms, uint64_t up, double up_delay_ms,
                       double loss = 0) {
  LinkParams p;
  p.down_bps = down;
  p.up_bps = up;
  p.down_latency = ms(down_delay_ms);
  p.up_latency = ms(up_delay_ms);
  if (loss > 0) {
    p.down_loss = loss;
    p.up_loss = loss;
  }
  return p;
}

constexpr const char* kWpt =
    "WebPageTest connectivity profiles (www/settings/connectivity.ini.sample): ";
constexpr const char* kChrome =
    "Chrome DevTools throttling presets (front_end/core/sdk/NetworkManager.ts): ";
constexpr const char* kNlc = "Apple Network Link Conditioner preset (Additional Tools for Xcode): ";

std::vector<Profile> make_profiles() {
  std::vector<Profile> p;
  auto add = [&p](std::string name, std::string summary, std::string source, LinkParams params) {
    p.push_back(Profile{std::move(name), std::move(summary), std::move(source), params});
  };
  // --- the names QA engineers use day to day -------------------------------------------------
  add("3g", "1.6 Mbps down, 768 kbps up, 300 ms RTT", std::string(kWpt) + "\"3G\"",
      rtt_profile(mbps(1.6), kbps(768), 300));
  add("edge", "240 kbps down, 200 kbps up, 840 ms RTT", std::string(kWpt) + "\"Mobile Edge\"",
      rtt_profile(kbps(240), kbps(200), 840));
  add("lte", "12 Mbps both ways, 70 ms RTT", std::string(kWpt) + "\"LTE\"",
      rtt_profile(mbps(12), mbps(12), 70));
  add("lossy-lte", "lte with 5% packet loss each way",
      std::string(kWpt) +
          "\"LTE\" rates and RTT; 5% loss as Loadero's \"5% packetloss\" "
          "network condition",
      rtt_profile(mbps(12), mbps(12), 70, 0.05));
  add("weak-wifi", "1 Mbps both ways, 500 ms delay and 10% loss each way",
      std::string(kNlc) +
          "\"Very Bad Network\" (the preset people reach for to emulate a weak Wi-Fi signal)",
      directional(mbps(1), 500, mbps(1), 500, 0.10));
  add("satellite", "1 Mbps down, 256 kbps up, 600 ms RTT",
      "Loadero network conditions, \"Satellite phone\" (1000 kbps / 256 kbps, 600 ms, taken as "
      "the round trip of a geostationary hop)",
      rtt_profile(kbps(1000), kbps(256), 600));
  // --- WebPageTest -----------------------------------------------------------------------------
  add("2g", "280 kbps down, 256 kbps up, 800 ms RTT", std::string(kWpt) + "\"2G\"",
      rtt_profile(kbps(280), kbps(256), 800));
  add("3g-slow", "400 kbps both ways, 400 ms RTT", std::string(kWpt) + "\"3G Slow\"",
      rtt_profile(kbps(400), kbps(400), 400));
  add("3g-fast", "1.6 Mbps down, 768 kbps up, 150 ms RTT", std::string(kWpt) + "\"3G Fast\"",
      rtt_profile(mbps(1.6), kbps(768), 150));
  add("4g", "9 Mbps both ways, 170 ms RTT", std::string(kWpt) + "\"4G\"",
      rtt_profile(mbps(9), mbps(9), 170));
  add("dsl", "1.5 Mbps down, 384 kbps up, 50 ms RTT", std::string(kWpt) + "\"DSL\"",
      rtt_profile(mbps(1.5), kbps(384), 50));
  add("cable", "5 Mbps down, 1 Mbps up, 28 ms RTT", std::string(kWpt) + "\"Cable\"",
      rtt_profile(mbps(5), mbps(1), 28));
  add("fios", "20 Mbps down, 5 Mbps up, 4 ms RTT", std::string(kWpt) + "\"FIOS\"",
      rtt_profile(mbps(20), mbps(5), 4));
  // --- Chrome DevTools (latency there is added per request, i.e. a round trip) ----------------
  add("chrome-3g", "400 kbps both ways, 2000 ms RTT",
      std::string(kChrome) + "\"3G\" (Slow3GConditions: 500 kbit/s * 0.8, latency 400 ms * 5)",
      rtt_profile(kbps(400), kbps(400), 2000));
  add("chrome-slow-4g", "1.44 Mbps down, 675 kbps up, 562.5 ms RTT",
      std::string(kChrome) +
          "\"Slow 4G\", formerly \"Fast 3G\" (Slow4GConditions: 1.6 Mbit/s * 0.9, 750 kbit/s * "
          "0.9, latency 150 ms * 3.75)",
      rtt_profile(kbps(1440), kbps(675), 562.5));
  add("chrome-fast-4g", "8.1 Mbps down, 1.35 Mbps up, 165 ms RTT",
      std::string(kChrome) +
          "\"Fast 4G\" (Fast4GConditions: 9 Mbit/s * 0.9, 1.5 Mbit/s * 0.9, latency 60 ms * "
          "2.75)",
      rtt_profile(kbps(8100), kbps(1350), 165));
  // --- Apple Network Link Conditioner (delays given per direction) -----------------------------
  add("nlc-3g", "780 kbps down, 330 kbps up, 100 ms delay each way", std::string(kNlc) + "\"3G\"",
      directional(kbps(780), 100, kbps(330), 100));
  add("nlc-edge", "240 kbps down (400 ms), 200 kbps up (440 ms)", std::string(kNlc) + "\"Edge\"",
      directional(kbps(240), 400, kbps(200), 440));
  add("nlc-lte", "50 Mbps down (50 ms), 10 Mbps up (65 ms)", std::string(kNlc) + "\"LTE\"",
      directional(mbps(50), 50, mbps(10), 65));
  add("nlc-dsl", "2 Mbps down, 256 kbps up, 5 ms delay each way", std::string(kNlc) + "\"DSL\"",
      directional(mbps(2), 5, kbps(256), 5));
  add("nlc-wifi", "40 Mbps down, 33 Mbps up, 1 ms delay each way", std::string(kNlc) + "\"Wi-Fi\"",
      directional(mbps(40), 1, mbps(33), 1));
  add("nlc-very-bad-network", "1 Mbps both ways, 500 ms delay and 10% loss each way",
      std::string(kNlc) + "\"Very Bad Network\"", directional(mbps(1), 500, mbps(1), 500, 0.10));
  return p;
}

}  // namespace

const std::vector<Profile>& builtin_profiles() {
  static const std::vector<Profile> profiles = make_profiles();
  return profiles;
}

const Profile* find_profile(std::string_view name) {
  for (const auto& p : builtin_profiles()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::vector<std::string> profile_names() {
  std::vector<std::string> out;
  for (const auto& p : builtin_profiles()) out.push_back(p.name);
  return out;
}

}  // namespace camleak::scenario
