#pragma once
// A byte stream that is plain TCP or TLS over it, chosen per connection at run time, so the
// code that reads and writes (RTSP framing, Beast's HTTP) has one path for both. `Next` is the
// TCP layer (asio's tcp::socket, or beast::tcp_stream for its timeouts); it stays reachable
// through next_layer() for connect, socket options, addresses, timeouts and close, whether TLS
// runs over it or not.
//
//   MaybeTlsStream<tcp::socket> stream(io);
//   stream.next_layer().async_connect(...);
//   if (context) stream.start_tls(*context).async_handshake(...);  // then reads/writes are TLS
//
// Models AsyncReadStream and AsyncWriteStream for completion handlers (asio::async_write,
// beast::http::async_read). A TLS session is bound to one connection: start_tls() again after
// the next layer reconnected begins a new one.
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <optional>
#include <utility>

namespace camleak::tls {

template <class Next>
class MaybeTlsStream {
 public:
  using next_layer_type = Next;
  using executor_type = typename Next::executor_type;
  using tls_stream_type = boost::asio::ssl::stream<Next&>;

  template <class... Args>
  explicit MaybeTlsStream(Args&&... args) : next_(std::forward<Args>(args)...) {}
  // The TLS stream refers to next_: neither may move.
  MaybeTlsStream(const MaybeTlsStream&) = delete;
  MaybeTlsStream& operator=(const MaybeTlsStream&) = delete;

  Next& next_layer() { return next_; }
  const Next& next_layer() const { return next_; }
  executor_type get_executor() { return next_.get_executor(); }

  // From now on reads and writes go through a new TLS session on the (connected) next layer;
  // the caller runs its handshake.
  tls_stream_type& start_tls(boost::asio::ssl::context& context) {
    tls_.emplace(next_, context);
    return *tls_;
  }
  bool secure() const { return tls_.has_value(); }
  // The TLS stream, nullptr when plain.
  tls_stream_type* tls() { return tls_ ? &*tls_ : nullptr; }

  template <class MutableBuffers, class Handler>
  void async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    if (tls_) {
      tls_->async_read_some(buffers, std::forward<Handler>(handler));
    } else {
      next_.async_read_some(buffers, std::forward<Handler>(handler));
    }
  }

  template <class ConstBuffers, class Handler>
  void async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    if (tls_) {
      tls_->async_write_some(buffers, std::forward<Handler>(handler));
    } else {
      next_.async_write_some(buffers, std::forward<Handler>(handler));
    }
  }

 private:
  Next next_;
  std::optional<tls_stream_type> tls_;
};

// The peer is gone: a clean end (TCP FIN, or TLS close_notify, which asio reports as eof) or
// a TLS peer that closed TCP without close_notify (most do: browsers, ffmpeg, a killed process).
inline bool is_end_of_stream(const boost::system::error_code& ec) {
  return ec == boost::asio::error::eof || ec == boost::asio::ssl::error::stream_truncated;
}

}  // namespace camleak::tls
