#include "emulators/rtsp/sdp.hpp"

#include <cstdio>

#include "emulators/h264/nal.hpp"
#include "emulators/rtsp/base64.hpp"
#include "emulators/rtsp/message.hpp"

namespace camleak::rtsp {

std::string build_h264_sdp(const H264SdpParams& p) {
  std::string plid = p.profile_level_id;
  if (plid.empty() && p.sps.size() >= 4) {
    char buf[7];
    std::snprintf(buf, sizeof buf, "%02x%02x%02x", p.sps[1], p.sps[2], p.sps[3]);
    plid = buf;
  }
  bool v6 = p.origin_address.find(':') != std::string::npos;
  std::string pt = std::to_string(p.payload_type);
  std::string s;
  s += "v=0\r\n";
  s += "o=- " + std::to_string(p.session_id) + " " + std::to_string(p.session_id) +
       (v6 ? " IN IP6 " : " IN IP4 ") + p.origin_address + "\r\n";
  s += "s=" + (p.session_name.empty() ? std::string("-") : p.session_name) + "\r\n";
  s += v6 ? "c=IN IP6 ::\r\n" : "c=IN IP4 0.0.0.0\r\n";
  s += "t=0 0\r\n";
  s += "a=control:*\r\n";
  s += "m=video 0 RTP/AVP " + pt + "\r\n";
  s += "a=rtpmap:" + pt + " H264/90000\r\n";
  std::string fmtp = "packetization-mode=" + std::to_string(p.packetization_mode);
  if (!plid.empty()) fmtp += ";profile-level-id=" + plid;
  if (!p.sps.empty() && !p.pps.empty()) {
    fmtp += ";sprop-parameter-sets=" + base64_encode(p.sps) + "," + base64_encode(p.pps);
  }
  s += "a=fmtp:" + pt + " " + fmtp + "\r\n";
  if (!p.control.empty()) s += "a=control:" + p.control + "\r\n";
  return s;
}

namespace {

struct MediaSection {
  std::string media;
  std::vector<uint8_t> payload_types;
  std::string control;
  // rtpmap and fmtp per payload type, raw text after "pt ".
  std::vector<std::pair<uint8_t, std::string>> rtpmap;
  std::vector<std::pair<uint8_t, std::string>> fmtp;
};

// "96 H264/90000" -> (96, "H264/90000")
std::optional<std::pair<uint8_t, std::string_view>> split_pt(std::string_view v) {
  size_t sp = v.find(' ');
  if (sp == std::string_view::npos) return std::nullopt;
  auto pt = parse_decimal(v.substr(0, sp), 127);
  if (!pt) return std::nullopt;
  return std::make_pair(static_cast<uint8_t>(*pt), trim(v.substr(sp + 1)));
}

}  // namespace

std::optional<H264SdpTrack> parse_h264_sdp(std::string_view sdp, std::string* error) {
  auto fail = [&](std::string m) -> std::optional<H264SdpTrack> {
    if (error) *error = "SDP: " + m;
    return std::nullopt;
  };
  std::string session_control;
  std::vector<MediaSection> media;
  std::vector<std::string> deviations;
  while (!sdp.empty()) {
    size_t nl = sdp.find('\n');
    std::string_view line = sdp.substr(0, nl);
    sdp.remove_prefix(nl == std::string_view::npos ? sdp.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    // Like ffmpeg, a line that is not type=value is skipped: it cannot hide the H.264 track.
    if (line.size() < 2 || line[1] != '=') {
      deviations.push_back("SDP line that is not type=value (RFC 4566 5); skipped");
      continue;
    }
    char type = line[0];
    std::string_view value = line.substr(2);
    if (type == 'm') {
      MediaSection m;
      // m=<media> <port> <proto> <fmt> ...
      std::vector<std::string_view> tok;
      while (!value.empty()) {
        size_t sp = value.find(' ');
        if (sp != 0) tok.push_back(value.substr(0, sp));
        if (sp == std::string_view::npos) break;
        value.remove_prefix(sp + 1);
      }
      if (tok.size() < 4) {
        // Kept as a section (its attributes must not land on the one before), but unusable.
        deviations.push_back(
            "SDP m= line without media, port, proto and format (RFC 4566 5.14); "
            "ignored that section");
        media.emplace_back();
        continue;
      }
      m.media = std::string(tok[0]);
      for (size_t i = 3; i < tok.size(); ++i) {
        if (auto pt = parse_decimal(tok[i], 127))
          m.payload_types.push_back(static_cast<uint8_t>(*pt));
      }
      media.push_back(std::move(m));
    } else if (type == 'a') {
      size_t colon = value.find(':');
      std::string_view name = value.substr(0, colon);
      std::string_view v =
          colon == std::string_view::npos ? std::string_view{} : value.substr(colon + 1);
      if (name == "control") {
        if (media.empty())
          session_control = std::string(trim(v));
        else
          media.back().control = std::string(trim(v));
      } else if ((name == "rtpmap" || name == "fmtp") && !media.empty()) {
        auto pt = split_pt(v);
        if (!pt) {
          deviations.push_back("SDP a=" + std::string(name) +
                               " without a payload type (RFC 4566 6); skipped");
          continue;
        }
        auto& list = name == "rtpmap" ? media.back().rtpmap : media.back().fmtp;
        list.emplace_back(pt->first, std::string(pt->second));
      }
    }
  }
  for (const auto& m : media) {
    if (m.media != "video") continue;
    for (uint8_t pt : m.payload_types) {
      const std::string* map = nullptr;
      for (const auto& [p, v] : m.rtpmap) {
        if (p == pt) map = &v;
      }
      if (!map) continue;
      std::string_view enc = *map;
      size_t slash = enc.find('/');
      if (!iequals(enc.substr(0, slash), "H264")) continue;
      H264SdpTrack t;
      t.payload_type = pt;
      if (slash != std::string_view::npos) {
        std::string_view rate = enc.substr(slash + 1);
        rate = rate.substr(0, rate.find('/'));
        // H.264's clock is 90 kHz by definition (RFC 6184 8.2.1): an unreadable rate changes
        // nothing about the frames.
        if (auto r = parse_decimal(rate, UINT32_MAX); r && *r != 0) {
          t.clock_rate = static_cast<uint32_t>(*r);
        } else {
          deviations.push_back(
              "SDP H264 a=rtpmap with an unreadable clock rate (RFC 6184 8.2.1); "
              "used 90000");
        }
      }
      t.control = m.control;
      t.session_control = session_control;
      for (const auto& [p, v] : m.fmtp) {
        if (p != pt) continue;
        std::string_view params = v;
        while (!params.empty()) {
          size_t semi = params.find(';');
          std::string_view kv = trim(params.substr(0, semi));
          params.remove_prefix(semi == std::string_view::npos ? params.size() : semi + 1);
          size_t eq = kv.find('=');
          if (eq == std::string_view::npos) continue;
          std::string_view key = trim(kv.substr(0, eq)), val = trim(kv.substr(eq + 1));
          if (iequals(key, "packetization-mode")) {
            // The depacketizer reads every NAL unit type whatever the mode says.
            if (auto mode = parse_decimal(val, 2)) {
              t.packetization_mode = static_cast<int>(*mode);
            } else {
              deviations.push_back(
                  "SDP packetization-mode that is not 0, 1 or 2 (RFC 6184 8.1); "
                  "read the stream as mode 1");
              t.packetization_mode = 1;
            }
          } else if (iequals(key, "profile-level-id")) {
            t.profile_level_id = std::string(val);
          } else if (iequals(key, "sprop-parameter-sets")) {
            while (!val.empty()) {
              size_t comma = val.find(',');
              std::string_view one = trim(val.substr(0, comma));
              val.remove_prefix(comma == std::string_view::npos ? val.size() : comma + 1);
              if (one.empty()) continue;
              auto nal = base64_decode(one);
              // The parameter sets also come in band, before every keyframe a relay forwards.
              if (!nal || nal->empty()) {
                deviations.push_back(
                    "SDP sprop-parameter-sets that is not base64 (RFC 6184 8.1); "
                    "used the in-band parameter sets");
                continue;
              }
              const uint8_t type = h264::nal_unit_type(*nal);
              if (type == h264::nal_type::sps && t.sps.empty())
                t.sps = std::move(*nal);
              else if (type == h264::nal_type::pps && t.pps.empty())
                t.pps = std::move(*nal);
            }
          }
        }
      }
      t.deviations = std::move(deviations);
      return t;
    }
  }
  return fail("no m=video section with an H264 a=rtpmap");
}

}  // namespace camleak::rtsp
