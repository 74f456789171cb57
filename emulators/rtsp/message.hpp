#pragma once
// RTSP 1.0 messages (RFC 2326) as plain values, and the writer that turns them into bytes.
// Used by both sides: the client (emulators/rtsp/rtsp_client.hpp) and the reference relay.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace camleak::rtsp {

// Header fields in arrival order. Names compare case-insensitively (RFC 2326 section 4.2
// inherits this from HTTP); a name may repeat (several WWW-Authenticate challenges).
class Headers {
 public:
  // First value of `name`, or nullptr.
  const std::string* find(std::string_view name) const;
  std::string_view get(std::string_view name, std::string_view fallback = {}) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  std::vector<std::string_view> get_all(std::string_view name) const;

  // Replaces every existing field of that name with one field.
  void set(std::string_view name, std::string_view value);
  // Appends another field of that name.
  void add(std::string_view name, std::string_view value);
  void remove(std::string_view name);

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

bool iequals(std::string_view a, std::string_view b);
std::string_view trim(std::string_view s);

struct Request {
  std::string method;  // "OPTIONS", "DESCRIBE", ...: case-sensitive per RFC 2326
  std::string uri;     // "rtsp://host/path" or "*"
  Headers headers;
  std::string body;

  // CSeq as a number; nullopt when missing or not a number.
  std::optional<uint32_t> cseq() const;
};

struct Response {
  int status = 200;
  std::string reason = "OK";
  Headers headers;
  std::string body;

  std::optional<uint32_t> cseq() const;
};

// The standard reason phrase for an RTSP status code ("Unauthorized" for 401), or "Unknown".
std::string_view reason_phrase(int status);

// Serialises a message. Content-Length is set from the body (and removed when the body is
// empty), so callers never keep it in sync by hand. Appending keeps one buffer per connection.
void append_request(std::string& out, const Request& request);
void append_response(std::string& out, const Response& response);
std::string to_string(const Request& request);
std::string to_string(const Response& response);

// Appends one interleaved binary frame ('$' channel len16 payload, RFC 2326 section 10.12).
// Payloads over 65535 bytes cannot be framed: returns false and appends nothing.
bool append_interleaved(std::string& out, uint8_t channel, const uint8_t* payload, size_t size);

// Parses a non-negative decimal number that fits in T; nullopt on anything else.
std::optional<uint64_t> parse_decimal(std::string_view s, uint64_t max = UINT64_MAX);

}  // namespace camleak::rtsp
