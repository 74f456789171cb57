#include "emulators/rtsp/stream_parser.hpp"

#include <algorithm>

namespace camleak::rtsp {

std::string_view to_string(ParseErrorCode code) {
  switch (code) {
    case ParseErrorCode::garbage:
      return "garbage";
    case ParseErrorCode::bad_start_line:
      return "bad_start_line";
    case ParseErrorCode::bad_header_line:
      return "bad_header_line";
    case ParseErrorCode::missing_cseq:
      return "missing_cseq";
    case ParseErrorCode::header_too_large:
      return "header_too_large";
    case ParseErrorCode::body_too_large:
      return "body_too_large";
    case ParseErrorCode::bad_content_length:
      return "bad_content_length";
  }
  return "unknown";
}

void StreamParser::feed(std::span<const uint8_t> bytes) {
  if (fatal_ || bytes.empty()) return;
  // Compact before growing so the buffer holds at most one unfinished item plus this feed.
  if (pos_ > 0 && (pos_ == buf_.size() || pos_ >= buf_.size() / 2)) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
}

void StreamParser::reset() {
  buf_.clear();
  pos_ = 0;
  reset_scan();
  pending_garbage_ = 0;
  fatal_ = false;
}

std::optional<ParseError> StreamParser::take_garbage_report() {
  if (pending_garbage_ == 0) return std::nullopt;
  ParseError e{ParseErrorCode::garbage, false,
               "skipped " + std::to_string(pending_garbage_) + " bytes of garbage"};
  pending_garbage_ = 0;
  return e;
}

StreamItem StreamParser::fatal_error(ParseErrorCode code, std::string message) {
  fatal_ = true;
  buf_.clear();
  buf_.shrink_to_fit();
  pos_ = 0;
  reset_scan();
  return ParseError{code, true, std::move(message)};
}

StreamParser::Start StreamParser::classify_message_start() const {
  const uint8_t* b = buf_.data() + pos_;
  size_t n = std::min<size_t>(buf_.size() - pos_, 40);
  static constexpr std::string_view kVersion = "RTSP/";
  bool response_possible = true;
  for (size_t i = 0; i < std::min(n, kVersion.size()); ++i) {
    if (b[i] != static_cast<uint8_t>(kVersion[i])) response_possible = false;
  }
  if (response_possible && n >= kVersion.size()) return Start::valid;
  // A request starts with a method token: RFC 2326 methods are upper case and '_'.
  bool request_possible = true;
  for (size_t i = 0; i < n; ++i) {
    uint8_t c = b[i];
    if (c == ' ') {
      if (i == 0)
        request_possible = false;
      else
        return Start::valid;
      break;
    }
    if (!((c >= 'A' && c <= 'Z') || c == '_') || i >= 32) {
      request_possible = false;
      break;
    }
  }
  return (response_possible || request_possible) ? Start::undecided : Start::invalid;
}

StreamItem StreamParser::next() {
  for (;;) {
    if (fatal_) return std::monostate{};
    size_t avail = buf_.size() - pos_;
    if (avail == 0) {
      if (auto g = take_garbage_report()) return *g;
      return std::monostate{};
    }
    uint8_t c = buf_[pos_];
    if (header_len_ == 0 && scan_off_ == 0 && (c == '\r' || c == '\n')) {
      // Stray line ends between messages are legal padding (as in HTTP), not garbage.
      ++pos_;
      continue;
    }
    bool consumed_garbage = false;
    if (c == '$') {
      StreamItem item = parse_interleaved(consumed_garbage);
      if (consumed_garbage) continue;
      return item;
    }
    if (scan_off_ == 0 && header_len_ == 0) {
      Start s = classify_message_start();
      if (s == Start::invalid) {
        ++pos_;
        ++pending_garbage_;
        ++counters_.bytes_garbage;
        continue;
      }
      if (s == Start::undecided) {
        if (auto g = take_garbage_report()) return *g;
        return std::monostate{};
      }
    }
    if (auto g = take_garbage_report()) return *g;
    StreamItem item = parse_message(consumed_garbage);
    if (consumed_garbage) continue;
    return item;
  }
}

StreamItem StreamParser::parse_interleaved(bool& consumed_garbage) {
  size_t avail = buf_.size() - pos_;
  const uint8_t* b = buf_.data() + pos_;
  auto need_more = [&]() -> StreamItem {
    if (auto g = take_garbage_report()) return *g;
    return std::monostate{};
  };
  if (avail < 4) return need_more();
  uint8_t channel = b[1];
  size_t len = (static_cast<size_t>(b[2]) << 8) | b[3];
  bool bogus =
      !limits_.allowed_channels.test(channel) || len == 0 || len > limits_.max_interleaved_length;
  if (!bogus && limits_.require_rtp_version) {
    if (avail < 5) return need_more();
    bogus = (b[4] >> 6) != 2;
  }
  if (bogus) {
    // Skip only the '$': whatever follows may be the real start of the next item.
    ++counters_.bogus_interleaved;
    ++counters_.bytes_garbage;
    ++pending_garbage_;
    ++pos_;
    consumed_garbage = true;
    return std::monostate{};
  }
  if (avail < 4 + len) return need_more();
  if (auto g = take_garbage_report()) return *g;
  InterleavedFrame frame{channel, std::span<const uint8_t>(b + 4, len)};
  pos_ += 4 + len;
  ++counters_.interleaved_frames;
  counters_.interleaved_bytes += len;
  return frame;
}

namespace {

struct ParsedBlock {
  bool is_response = false;
  Request request;
  Response response;
  std::optional<ParseErrorCode> error;
  std::string error_message;
};

bool parse_start_line(std::string_view line, ParsedBlock& out) {
  if (line.starts_with("RTSP/")) {
    // RTSP/1.0 SP 3DIGIT SP reason
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return false;
    std::string_view version = line.substr(0, sp);
    if (!version.starts_with("RTSP/1.")) return false;
    std::string_view rest = line.substr(sp + 1);
    if (rest.size() < 3) return false;
    auto code = parse_decimal(rest.substr(0, 3), 999);
    if (!code || *code < 100) return false;
    if (rest.size() > 3 && rest[3] != ' ') return false;
    out.is_response = true;
    out.response.status = static_cast<int>(*code);
    out.response.reason = std::string(rest.size() > 4 ? rest.substr(4) : std::string_view{});
    return true;
  }
  size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) return false;
  size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || sp2 == sp1 + 1) return false;
  std::string_view version = line.substr(sp2 + 1);
  if (!version.starts_with("RTSP/1.") || version.find(' ') != std::string_view::npos) return false;
  out.request.method = std::string(line.substr(0, sp1));
  out.request.uri = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  return true;
}

ParsedBlock parse_header_block(std::string_view block) {
  ParsedBlock out;
  bool first = true;
  Headers headers;
  std::vector<std::pair<std::string, std::string>> fields;
  while (!block.empty()) {
    size_t nl = block.find('\n');
    std::string_view line = block.substr(0, nl);
    block.remove_prefix(nl == std::string_view::npos ? block.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (first) {
      first = false;
      if (!parse_start_line(line, out)) {
        out.error = ParseErrorCode::bad_start_line;
        out.error_message = "bad start line \"" + std::string(line.substr(0, 80)) + "\"";
        return out;
      }
      continue;
    }
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      // Folded continuation of the previous field (RFC 2616 LWS, inherited by RTSP).
      if (fields.empty()) {
        out.error = ParseErrorCode::bad_header_line;
        out.error_message = "continuation line before any header field";
        return out;
      }
      fields.back().second.append(" ").append(trim(line));
      continue;
    }
    size_t colon = line.find(':');
    std::string_view name =
        colon == std::string_view::npos ? std::string_view{} : trim(line.substr(0, colon));
    if (name.empty()) {
      out.error = ParseErrorCode::bad_header_line;
      out.error_message =
          "header line without a field name: \"" + std::string(line.substr(0, 80)) + "\"";
      return out;
    }
    fields.emplace_back(std::string(name), std::string(trim(line.substr(colon + 1))));
  }
  for (auto& [n, v] : fields) headers.add(n, v);
  if (out.is_response)
    out.response.headers = std::move(headers);
  else
    out.request.headers = std::move(headers);
  return out;
}

}  // namespace

StreamItem StreamParser::parse_message(bool& consumed_garbage) {
  size_t avail = buf_.size() - pos_;
  const uint8_t* b = buf_.data() + pos_;
  if (header_len_ == 0) {
    for (size_t i = scan_off_; i < avail; ++i) {
      if (b[i] != '\n') continue;
      size_t line_len = i - line_start_off_;
      if (line_len == 0 || (line_len == 1 && b[line_start_off_] == '\r')) {
        header_len_ = i + 1;
        break;
      }
      line_start_off_ = i + 1;
    }
    if (header_len_ == 0) {
      scan_off_ = avail;
      if (avail > limits_.max_header_bytes) {
        ++counters_.header_too_large;
        return fatal_error(ParseErrorCode::header_too_large,
                           "RTSP header block exceeds " + std::to_string(limits_.max_header_bytes) +
                               " bytes without an empty line");
      }
      return std::monostate{};
    }
    if (header_len_ > limits_.max_header_bytes) {
      ++counters_.header_too_large;
      return fatal_error(ParseErrorCode::header_too_large,
                         "RTSP header block of " + std::to_string(header_len_) + " bytes exceeds " +
                             std::to_string(limits_.max_header_bytes));
    }
  }
  std::string_view block(reinterpret_cast<const char*>(b), header_len_);
  ParsedBlock parsed = parse_header_block(block);
  if (parsed.error) {
    // The block is well delimited, so skipping it keeps the stream framed.
    ++counters_.bad_messages;
    counters_.bytes_garbage += header_len_;
    pos_ += header_len_;
    reset_scan();
    consumed_garbage = false;
    return ParseError{*parsed.error, false, std::move(parsed.error_message)};
  }
  const Headers& headers = parsed.is_response ? parsed.response.headers : parsed.request.headers;
  size_t body_len = 0;
  if (const std::string* cl = headers.find("Content-Length")) {
    auto n = parse_decimal(*cl);
    if (!n) {
      ++counters_.bad_content_length;
      return fatal_error(ParseErrorCode::bad_content_length,
                         "Content-Length \"" + cl->substr(0, 40) + "\" is not a number");
    }
    if (*n > limits_.max_body_bytes) {
      ++counters_.body_too_large;
      return fatal_error(ParseErrorCode::body_too_large,
                         "Content-Length " + std::to_string(*n) + " exceeds " +
                             std::to_string(limits_.max_body_bytes));
    }
    body_len = static_cast<size_t>(*n);
  }
  if (avail < header_len_ + body_len) return std::monostate{};
  std::string body(reinterpret_cast<const char*>(b) + header_len_, body_len);
  pos_ += header_len_ + body_len;
  reset_scan();
  bool has_cseq =
      parsed.is_response ? parsed.response.cseq().has_value() : parsed.request.cseq().has_value();
  if (!has_cseq && (!parsed.is_response || limits_.require_response_cseq)) {
    ++counters_.missing_cseq;
    return ParseError{ParseErrorCode::missing_cseq, false,
                      parsed.is_response
                          ? "response without a numeric CSeq"
                          : "request " + parsed.request.method + " without a numeric CSeq"};
  }
  if (parsed.is_response) {
    ++counters_.responses;
    parsed.response.body = std::move(body);
    return std::move(parsed.response);
  }
  ++counters_.requests;
  parsed.request.body = std::move(body);
  return std::move(parsed.request);
}

}  // namespace camleak::rtsp
