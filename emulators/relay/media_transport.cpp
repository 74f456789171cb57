#include "emulators/relay/media_transport.hpp"

namespace camleak::relay {

namespace asio = boost::asio;
using asio::ip::udp;

namespace {

constexpr size_t kUdpBuffer = 65536;
constexpr size_t kUdpRtcpBuffer = 2048;

}  // namespace

MediaTransport::MediaTransport(asio::ip::tcp::socket& control, RelayCounters& counters)
    : control_(control), counters_(counters) {}

std::optional<rtsp::TransportHeader> MediaTransport::choose(const rtsp::Request& setup,
                                                            rtsp::TransportMode mode) {
  for (const auto& offer : rtsp::parse_transport_list(setup.headers.get("Transport"))) {
    if (offer.protocol != "RTP/AVP" || !offer.unicast) continue;
    rtsp::TransportHeader answer;
    answer.unicast = true;
    if (offer.lower == rtsp::LowerTransport::tcp) {
      answer.lower = rtsp::LowerTransport::tcp;
      answer.interleaved = offer.interleaved.value_or(rtsp::PortPair{0, 1});
      if (answer.interleaved->first > 253 || answer.interleaved->second > 254) continue;
      if (mode == rtsp::TransportMode::record) answer.mode = mode;
      return answer;
    }
    if (!offer.client_port || offer.client_port->first == 0) continue;
    if (udp_) {
      // A second track's SETUP: keep the sockets of the first.
    } else if (!open_udp(*offer.client_port)) {
      continue;
    }
    answer.lower = rtsp::LowerTransport::udp;
    answer.client_port = offer.client_port;
    answer.server_port =
        rtsp::PortPair{udp_rtp_->local_endpoint().port(), udp_rtcp_->local_endpoint().port()};
    if (mode == rtsp::TransportMode::record) answer.mode = mode;
    return answer;
  }
  return std::nullopt;
}

void MediaTransport::adopt(const rtsp::TransportHeader& answer) {
  udp_ = answer.lower == rtsp::LowerTransport::udp;
  if (!udp_) {
    rtp_channel_ = static_cast<uint8_t>(answer.interleaved->first);
    rtcp_channel_ = static_cast<uint8_t>(answer.interleaved->second);
  }
}

bool MediaTransport::open_udp(const rtsp::PortPair& client_ports) {
  const auto receiver = receiver_.lock();
  if (!receiver) return false;
  boost::system::error_code ec;
  const auto local = control_.local_endpoint(ec);
  if (ec) return false;
  const auto remote = control_.remote_endpoint(ec);
  if (ec) return false;
  udp_rtp_.emplace(control_.get_executor());
  udp_rtcp_.emplace(control_.get_executor());
  const udp::endpoint bind_at(local.address(), 0);
  udp_rtp_->open(bind_at.protocol(), ec);
  if (!ec) udp_rtp_->bind(bind_at, ec);
  if (!ec) udp_rtcp_->open(bind_at.protocol(), ec);
  if (!ec) udp_rtcp_->bind(bind_at, ec);
  if (!ec) udp_rtp_->non_blocking(true, ec);
  if (ec) {
    udp_rtp_.reset();
    udp_rtcp_.reset();
    return false;
  }
  // Media only ever goes to the peer of this TCP connection, never to a `destination=` the
  // request may name (that would make the relay a traffic reflector).
  udp_peer_rtp_ = udp::endpoint(remote.address(), client_ports.first);
  udp_ = true;
  udp_buf_.resize(kUdpBuffer);
  udp_rtcp_buf_.resize(kUdpRtcpBuffer);
  receive_rtp(receiver);
  receive_rtcp(receiver);
  return true;
}

// The handlers use `this` freely: the receiver they hold owns this transport.
void MediaTransport::receive_rtp(std::shared_ptr<MediaReceiver> receiver) {
  if (receiver->closed() || !udp_rtp_) return;
  udp_rtp_->async_receive_from(
      asio::buffer(udp_buf_), udp_from_,
      [this, receiver](const boost::system::error_code& ec, size_t n) {
        if (receiver->closed() || ec == asio::error::operation_aborted) return;
        if (!ec) {
          if (udp_from_.address() != udp_peer_rtp_.address()) {
            ++counters_.rtp_packets_foreign;
          } else {
            receiver->on_udp_rtp(std::span<const uint8_t>(udp_buf_.data(), n));
          }
        }
        receive_rtp(receiver);
      });
}

void MediaTransport::receive_rtcp(std::shared_ptr<MediaReceiver> receiver) {
  if (receiver->closed() || !udp_rtcp_) return;
  udp_rtcp_->async_receive_from(
      asio::buffer(udp_rtcp_buf_), udp_from_,
      [this, receiver](const boost::system::error_code& ec, size_t n) {
        if (receiver->closed() || ec == asio::error::operation_aborted) return;
        if (!ec && udp_from_.address() == udp_peer_rtp_.address()) {
          receiver->on_udp_rtcp(std::span<const uint8_t>(udp_rtcp_buf_.data(), n));
        }
        receive_rtcp(receiver);
      });
}

void MediaTransport::send(const MediaFrame& frame, uint16_t& sequence, uint32_t ssrc,
                          std::string& interleaved_out) {
  if (udp_) return send_udp(frame, sequence, ssrc);
  const size_t base = interleaved_out.size();
  interleaved_out.append(reinterpret_cast<const char*>(frame.wire.data()), frame.wire.size());
  auto* bytes = reinterpret_cast<uint8_t*>(interleaved_out.data() + base);
  for (uint32_t offset : frame.packet_offsets) {
    patch_packet(bytes + offset, rtp_channel_, sequence++, ssrc);
  }
}

void MediaTransport::send_udp(const MediaFrame& frame, uint16_t& sequence, uint32_t ssrc) {
  if (!udp_rtp_) return;
  for (size_t i = 0; i < frame.packet_count(); ++i) {
    const auto packet = frame.packet(i);
    udp_scratch_.assign(4, 0);
    udp_scratch_.insert(udp_scratch_.end(), packet.begin(), packet.end());
    patch_packet(udp_scratch_.data(), 0, sequence++, ssrc);
    boost::system::error_code ec;
    udp_rtp_->send_to(asio::buffer(udp_scratch_.data() + 4, packet.size()), udp_peer_rtp_, 0, ec);
    if (ec) ++counters_.udp_send_drops;
  }
}

void MediaTransport::close() {
  boost::system::error_code ec;
  if (udp_rtp_) udp_rtp_->close(ec);
  if (udp_rtcp_) udp_rtcp_->close(ec);
}

}  // namespace camleak::relay
