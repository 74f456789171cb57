#pragma once
// The URL and credentials scheme the relay serves. `contract` is the SUT contract of DESIGN.md.
// `cloud` is what a typical camera cloud looks like instead, so camleak's adapters are proven on
// a layout other than its own (scenarios/adapters/reference-cloud.yaml drives it):
//   admin (admin port, X-Api-Key when set):  POST /v2/users {user_id, password},
//     POST /v2/devices {device_id, owner_id, stream_key}, POST /v2/devices/{c}/grants {user_id},
//     DELETE /v2/devices/{c}/grants/{u} (no deletion of users or devices: like the contract,
//     the relay forgets everything when it stops)
//   ingest: RTSP ANNOUNCE/RECORD to /ingest/{camera}, Digest only (camera:stream_key)
//   live:   POST /v2/devices/{c}/stream with Authorization: Bearer {token} (HTTP port) issues
//           {"stream": {"url": "rtsp://host:port/live/{c}/{ticket}", "expires_in": 60}};
//           RTSP DESCRIBE/PLAY of that URL, no credentials: the ticket is the grant
//   snapshot: GET /v2/devices/{c}/snapshot.jpg?access_token={token} (HTTP port)
// Pure.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace camleak::relay {

enum class Layout { contract, cloud };

// "/a/b/c" -> {"a", "b", "c"} (empty segments dropped).
std::vector<std::string_view> path_segments(std::string_view path);
std::string_view to_string(Layout layout);
std::optional<Layout> parse_layout(std::string_view text);

// What an RTSP request URI names.
struct StreamPath {
  enum class Role { any, publish, play };
  std::string camera;
  Role role = Role::any;  // contract: one URL for both
  std::string ticket;     // cloud play: the grant in the path
  bool allows(Role wanted) const { return role == Role::any || role == wanted; }
};
// nullopt when the URI names no camera in this layout (404). Track suffixes ("/trackID=0") and
// queries are ignored.
std::optional<StreamPath> stream_path(Layout layout, std::string_view uri);

}  // namespace camleak::relay
