#include "emulators/rtsp/message.hpp"

#include <algorithm>

namespace camleak::rtsp {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

const std::string* Headers::find(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (iequals(n, name)) return &v;
  }
  return nullptr;
}

std::string_view Headers::get(std::string_view name, std::string_view fallback) const {
  const std::string* v = find(name);
  return v ? std::string_view(*v) : fallback;
}

std::vector<std::string_view> Headers::get_all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [n, v] : fields_) {
    if (iequals(n, name)) out.emplace_back(v);
  }
  return out;
}

void Headers::set(std::string_view name, std::string_view value) {
  remove(name);
  add(name, value);
}

void Headers::add(std::string_view name, std::string_view value) {
  fields_.emplace_back(std::string(name), std::string(value));
}

void Headers::remove(std::string_view name) {
  std::erase_if(fields_, [&](const auto& f) { return iequals(f.first, name); });
}

std::optional<uint64_t> parse_decimal(std::string_view s, uint64_t max) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (d > max || v > (max - d) / 10) return std::nullopt;  // d > max: max - d would wrap
    v = v * 10 + d;
  }
  return v;
}

namespace {

std::optional<uint32_t> cseq_of(const Headers& h) {
  const std::string* v = h.find("CSeq");
  if (!v) return std::nullopt;
  auto n = parse_decimal(trim(*v), UINT32_MAX);
  if (!n) return std::nullopt;
  return static_cast<uint32_t>(*n);
}

void append_headers_and_body(std::string& out, const Headers& headers, const std::string& body) {
  for (const auto& [n, v] : headers.fields()) {
    if (iequals(n, "Content-Length")) continue;
    out.append(n).append(": ").append(v).append("\r\n");
  }
  if (!body.empty())
    out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  out.append("\r\n");
  out.append(body);
}

}  // namespace

std::optional<uint32_t> Request::cseq() const {
  return cseq_of(headers);
}
std::optional<uint32_t> Response::cseq() const {
  return cseq_of(headers);
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 250:
      return "Low on Storage Space";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Moved Temporarily";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Time-out";
    case 411:
      return "Length Required";
    case 413:
      return "Request Entity Too Large";
    case 415:
      return "Unsupported Media Type";
    case 431:  // not in RFC 2326; the relay borrows HTTP's (RFC 6585) for a header flood
      return "Request Header Fields Too Large";
    case 451:
      return "Parameter Not Understood";
    case 453:
      return "Not Enough Bandwidth";
    case 454:
      return "Session Not Found";
    case 455:
      return "Method Not Valid in This State";
    case 459:
      return "Aggregate operation not allowed";
    case 461:
      return "Unsupported transport";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "RTSP Version not supported";
    default:
      return "Unknown";
  }
}

void append_request(std::string& out, const Request& request) {
  out.append(request.method).append(" ").append(request.uri).append(" RTSP/1.0\r\n");
  append_headers_and_body(out, request.headers, request.body);
}

void append_response(std::string& out, const Response& response) {
  out.append("RTSP/1.0 ").append(std::to_string(response.status)).append(" ");
  out.append(response.reason.empty() ? std::string(reason_phrase(response.status))
                                     : response.reason);
  out.append("\r\n");
  append_headers_and_body(out, response.headers, response.body);
}

bool append_interleaved(std::string& out, uint8_t channel, const uint8_t* payload, size_t size) {
  if (size > 65535) return false;
  out.push_back('$');
  out.push_back(static_cast<char>(channel));
  out.push_back(static_cast<char>(size >> 8));
  out.push_back(static_cast<char>(size & 0xFF));
  out.append(reinterpret_cast<const char*>(payload), size);
  return true;
}

std::string to_string(const Request& request) {
  std::string s;
  append_request(s, request);
  return s;
}

std::string to_string(const Response& response) {
  std::string s;
  append_response(s, response);
  return s;
}

}  // namespace camleak::rtsp
