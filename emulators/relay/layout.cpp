#include "emulators/relay/layout.hpp"

#include "emulators/relay/provisioning.hpp"
#include "emulators/rtsp/url.hpp"

namespace camleak::relay {

std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

std::string_view to_string(Layout layout) {
  return layout == Layout::cloud ? "cloud" : "contract";
}

std::optional<Layout> parse_layout(std::string_view text) {
  if (text == "contract") return Layout::contract;
  if (text == "cloud") return Layout::cloud;
  return std::nullopt;
}

std::optional<StreamPath> stream_path(Layout layout, std::string_view uri) {
  std::string path;
  if (uri.starts_with("rtsp://") || uri.starts_with("rtsps://") || uri.starts_with("RTSP://")) {
    const auto url = rtsp::parse_rtsp_url(uri);
    if (!url) return std::nullopt;
    path = url->path;
  } else {
    path = std::string(uri);
  }
  if (const size_t q = path.find('?'); q != std::string::npos) path.resize(q);
  const auto parts = path_segments(path);
  if (parts.size() < 2) return std::nullopt;
  StreamPath out;
  out.camera = std::string(parts[1]);
  if (layout == Layout::contract) {
    if (parts[0] != "cameras") return std::nullopt;
  } else if (parts[0] == "ingest") {
    out.role = StreamPath::Role::publish;
  } else if (parts[0] == "live") {
    if (parts.size() < 3) return std::nullopt;  // no ticket: not a URL the relay issued
    out.role = StreamPath::Role::play;
    out.ticket = std::string(parts[2]);
  } else {
    return std::nullopt;
  }
  if (!check_name(out.camera).empty()) return std::nullopt;
  return out;
}

}  // namespace camleak::relay
