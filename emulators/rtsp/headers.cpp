#include "emulators/rtsp/headers.hpp"

#include <charconv>
#include <cstdio>

#include "emulators/rtsp/message.hpp"

namespace camleak::rtsp {
namespace {

void set_error(std::string* error, std::string message) {
  if (error) *error = std::move(message);
}

// Splits on `sep`, trimming each part; keeps empty parts out.
std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    size_t p = s.find(sep);
    std::string_view part = trim(s.substr(0, p));
    if (!part.empty()) out.push_back(part);
    if (p == std::string_view::npos) break;
    s.remove_prefix(p + 1);
  }
  return out;
}

std::string_view unquote(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

std::optional<uint16_t> parse_port(std::string_view s) {
  auto v = parse_decimal(trim(s), 65535);
  if (!v) return std::nullopt;
  return static_cast<uint16_t>(*v);
}

std::optional<PortPair> parse_port_pair(std::string_view s) {
  size_t dash = s.find('-');
  auto a = parse_port(s.substr(0, dash));
  if (!a) return std::nullopt;
  if (dash == std::string_view::npos) return PortPair{*a, static_cast<uint16_t>(*a + 1)};
  auto b = parse_port(s.substr(dash + 1));
  if (!b) return std::nullopt;
  return PortPair{*a, *b};
}

std::string format_port_pair(const PortPair& p) {
  return std::to_string(p.first) + "-" + std::to_string(p.second);
}

std::optional<double> parse_npt(std::string_view s) {
  s = trim(s);
  if (s.empty() || s == "now") return std::nullopt;
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

}  // namespace

std::optional<SessionHeader> parse_session(std::string_view value, std::string* error) {
  auto parts = split(value, ';');
  if (parts.empty()) {
    set_error(error, "Session: empty value");
    return std::nullopt;
  }
  SessionHeader s;
  s.id = std::string(parts[0]);
  for (char c : s.id) {
    // RFC 2326: session-id = 1*( ALPHA | DIGIT | safe ); reject separators and controls.
    if (c <= ' ' || c == ',' || c == '=' || c == '"' || c > '~') {
      set_error(error, "Session: invalid character in id \"" + s.id + "\"");
      return std::nullopt;
    }
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    size_t eq = p.find('=');
    if (eq != std::string_view::npos && iequals(trim(p.substr(0, eq)), "timeout")) {
      auto t = parse_decimal(trim(p.substr(eq + 1)), UINT32_MAX);
      if (!t) {
        set_error(error,
                  "Session: timeout \"" + std::string(p.substr(eq + 1)) + "\" is not a number");
        return std::nullopt;
      }
      s.timeout_seconds = static_cast<uint32_t>(*t);
    }
  }
  return s;
}

std::string format_session(const SessionHeader& session) {
  std::string s = session.id;
  if (session.timeout_seconds) s += ";timeout=" + std::to_string(*session.timeout_seconds);
  return s;
}

std::optional<TransportHeader> parse_transport(std::string_view value, std::string* error) {
  auto specs = split(value, ',');
  if (specs.empty()) {
    set_error(error, "Transport: empty value");
    return std::nullopt;
  }
  auto params = split(specs[0], ';');
  if (params.empty()) {  // ";;" and the like: nothing but separators
    set_error(error, "Transport: \"" + std::string(specs[0]) + "\" has no transport spec");
    return std::nullopt;
  }
  TransportHeader t;
  // transport-protocol/profile[/lower-transport]
  std::string_view proto = params[0];
  size_t s1 = proto.find('/');
  if (s1 == std::string_view::npos) {
    set_error(error, "Transport: \"" + std::string(proto) + "\" is not protocol/profile");
    return std::nullopt;
  }
  size_t s2 = proto.find('/', s1 + 1);
  t.protocol = std::string(proto.substr(0, s2));
  if (s2 != std::string_view::npos) {
    std::string_view lower = proto.substr(s2 + 1);
    if (iequals(lower, "TCP"))
      t.lower = LowerTransport::tcp;
    else if (iequals(lower, "UDP"))
      t.lower = LowerTransport::udp;
    else {
      set_error(error, "Transport: unknown lower transport \"" + std::string(lower) + "\"");
      return std::nullopt;
    }
  }
  for (size_t i = 1; i < params.size(); ++i) {
    std::string_view p = params[i];
    size_t eq = p.find('=');
    std::string_view key = trim(p.substr(0, eq));
    std::string_view val =
        eq == std::string_view::npos ? std::string_view{} : trim(p.substr(eq + 1));
    auto bad = [&](std::string_view what) {
      set_error(error, "Transport: " + std::string(key) + " \"" + std::string(val) + "\" " +
                           std::string(what));
      return std::nullopt;
    };
    if (iequals(key, "unicast"))
      t.unicast = true;
    else if (iequals(key, "multicast"))
      t.unicast = false;
    else if (iequals(key, "interleaved")) {
      auto pp = parse_port_pair(val);
      if (!pp || pp->first > 255 || pp->second > 255) return bad("is not a channel pair 0-255");
      t.interleaved = pp;
    } else if (iequals(key, "client_port")) {
      auto pp = parse_port_pair(val);
      if (!pp) return bad("is not a port pair");
      t.client_port = pp;
    } else if (iequals(key, "server_port")) {
      auto pp = parse_port_pair(val);
      if (!pp) return bad("is not a port pair");
      t.server_port = pp;
    } else if (iequals(key, "ssrc")) {
      uint32_t v = 0;
      auto [ptr, ec] = std::from_chars(val.data(), val.data() + val.size(), v, 16);
      if (val.empty() || ec != std::errc() || ptr != val.data() + val.size())
        return bad("is not hex");
      t.ssrc = v;
    } else if (iequals(key, "mode")) {
      std::string_view m = unquote(val);
      if (iequals(m, "play"))
        t.mode = TransportMode::play;
      else if (iequals(m, "record") || iequals(m, "receive"))
        t.mode = TransportMode::record;
      else
        return bad("is not play or record");
    } else if (iequals(key, "destination")) {
      t.destination = std::string(val);
    } else if (iequals(key, "source")) {
      t.source = std::string(val);
    }
    // Other parameters (ttl, layers, port, append) do not matter to camleak: ignored.
  }
  return t;
}

std::vector<TransportHeader> parse_transport_list(std::string_view value) {
  std::vector<TransportHeader> out;
  for (std::string_view spec : split(value, ',')) {
    if (auto t = parse_transport(spec)) out.push_back(std::move(*t));
  }
  return out;
}

std::string format_transport(const TransportHeader& t) {
  std::string s = t.protocol;
  if (t.lower == LowerTransport::tcp) s += "/TCP";
  s += t.unicast ? ";unicast" : ";multicast";
  if (!t.destination.empty()) s += ";destination=" + t.destination;
  if (!t.source.empty()) s += ";source=" + t.source;
  if (t.interleaved) s += ";interleaved=" + format_port_pair(*t.interleaved);
  if (t.client_port) s += ";client_port=" + format_port_pair(*t.client_port);
  if (t.server_port) s += ";server_port=" + format_port_pair(*t.server_port);
  if (t.ssrc) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08X", *t.ssrc);
    s += ";ssrc=";
    s += buf;
  }
  if (t.mode) s += *t.mode == TransportMode::record ? ";mode=record" : ";mode=play";
  return s;
}

std::optional<RangeHeader> parse_range(std::string_view value, std::string* error) {
  value = trim(value);
  auto parts = split(value, ';');  // ;time=... is ignored
  if (parts.empty()) {
    set_error(error, "Range: empty value");
    return std::nullopt;
  }
  std::string_view spec = parts[0];
  size_t eq = spec.find('=');
  if (eq == std::string_view::npos) {
    set_error(error, "Range: \"" + std::string(spec) + "\" has no unit=");
    return std::nullopt;
  }
  RangeHeader r;
  r.unit = std::string(trim(spec.substr(0, eq)));
  std::string_view span = spec.substr(eq + 1);
  size_t dash = span.find('-');
  if (dash == std::string_view::npos) {
    set_error(error, "Range: \"" + std::string(span) + "\" is not start-end");
    return std::nullopt;
  }
  if (iequals(r.unit, "npt")) {
    std::string_view a = trim(span.substr(0, dash)), b = trim(span.substr(dash + 1));
    r.start = parse_npt(a);
    r.end = parse_npt(b);
    if ((!r.start && !a.empty() && a != "now") || (!r.end && !b.empty())) {
      set_error(error, "Range: npt \"" + std::string(span) + "\" is not a time range");
      return std::nullopt;
    }
  }
  return r;
}

std::string format_range(const RangeHeader& range) {
  char buf[64];
  std::string s = range.unit + "=";
  if (range.start) {
    std::snprintf(buf, sizeof buf, "%.3f", *range.start);
    s += buf;
  } else {
    s += range.unit == "npt" ? "now" : "";
  }
  s += "-";
  if (range.end) {
    std::snprintf(buf, sizeof buf, "%.3f", *range.end);
    s += buf;
  }
  return s;
}

std::optional<std::vector<RtpInfoEntry>> parse_rtp_info(std::string_view value,
                                                        std::string* error) {
  std::vector<RtpInfoEntry> out;
  // URLs may contain ',' in theory; in practice (and in camleak) they do not, and every entry
  // starts with url=, so split on ',' and require url= in each.
  for (std::string_view entry : split(value, ',')) {
    RtpInfoEntry e;
    for (std::string_view p : split(entry, ';')) {
      size_t eq = p.find('=');
      if (eq == std::string_view::npos) continue;
      std::string_view key = trim(p.substr(0, eq)), val = trim(p.substr(eq + 1));
      if (iequals(key, "url"))
        e.url = std::string(unquote(val));
      else if (iequals(key, "seq")) {
        auto v = parse_decimal(val, 65535);
        if (!v) {
          set_error(error, "RTP-Info: seq \"" + std::string(val) + "\" is not 0-65535");
          return std::nullopt;
        }
        e.seq = static_cast<uint16_t>(*v);
      } else if (iequals(key, "rtptime")) {
        auto v = parse_decimal(val, UINT32_MAX);
        if (!v) {
          set_error(error, "RTP-Info: rtptime \"" + std::string(val) + "\" is not a 32-bit number");
          return std::nullopt;
        }
        e.rtptime = static_cast<uint32_t>(*v);
      }
    }
    if (e.url.empty()) {
      set_error(error, "RTP-Info: entry \"" + std::string(entry) + "\" has no url=");
      return std::nullopt;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string format_rtp_info(const std::vector<RtpInfoEntry>& entries) {
  std::string s;
  for (const auto& e : entries) {
    if (!s.empty()) s += ",";
    s += "url=" + e.url;
    if (e.seq) s += ";seq=" + std::to_string(*e.seq);
    if (e.rtptime) s += ";rtptime=" + std::to_string(*e.rtptime);
  }
  return s;
}

std::vector<std::string> parse_public(std::string_view value) {
  std::vector<std::string> out;
  for (std::string_view m : split(value, ',')) out.emplace_back(m);
  return out;
}

std::string format_public(const std::vector<std::string>& methods) {
  std::string s;
  for (const auto& m : methods) {
    if (!s.empty()) s += ", ";
    s += m;
  }
  return s;
}

bool public_has(std::string_view value, std::string_view method) {
  for (std::string_view m : split(value, ',')) {
    if (m == method) return true;
  }
  return false;
}

std::string media_type(std::string_view content_type) {
  std::string s(trim(content_type.substr(0, content_type.find(';'))));
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

}  // namespace camleak::rtsp
