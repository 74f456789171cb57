#pragma once
// How an RTSP client operation failed, in terms the camera/hub emulators can turn into a
// Jepsen-style history entry: ok (no error), fail (definitely did not happen) or info
// (indeterminate: the request may have reached the server).
#include <string>
#include <string_view>

namespace camleak::rtsp {

enum class ClientErrorKind {
  none,
  bad_input,          // the URL, SDP or options could not be used: nothing was sent
  resolve,            // host name did not resolve
  connect,            // TCP connect refused / unreachable
  tls,                // the TLS handshake failed (certificate, name, protocol): nothing was sent
  timeout,            // connect or a request got no answer within its timeout
  status,             // the server answered with a non-2xx status (see `status`)
  unauthorized,       // 401 (or 403) after answering any challenge we could
  connection_closed,  // the peer closed or reset the connection
  protocol,           // the server sent something unusable (bad framing, bad headers, SDP)
  local,              // a local resource failed (UDP bind, socket option)
  cancelled,          // close() was called
  state               // the call does not fit the client's state (play after close, ...)
};

std::string_view to_string(ClientErrorKind kind);

struct ClientError {
  ClientErrorKind kind = ClientErrorKind::none;
  int status = 0;              // RTSP status for status/unauthorized
  bool indeterminate = false;  // the operation may have taken effect at the server
  std::string message;         // names the request and what went wrong

  explicit operator bool() const { return kind != ClientErrorKind::none; }
  bool ok() const { return kind == ClientErrorKind::none; }
  std::string describe() const;  // "timeout: SETUP rtsp://...: no response within 5000 ms"
};

}  // namespace camleak::rtsp
