#pragma once
// Stream tickets of the cloud layout (layout.hpp): short-lived grants to start playing one
// camera as one account, issued by the HTTP API and redeemed by RTSP. Bounded: the oldest are
// forgotten first, so a client that asks for tickets in a loop cannot grow the relay's memory.
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include "harness/core/clock.hpp"

namespace camleak::relay {

class TicketBook {
 public:
  static constexpr Micros kLifetime = std::chrono::seconds(60);
  static constexpr size_t kMaxTickets = 100'000;

  // `ticket` is the caller's random string (the relay's random source).
  void issue(std::string ticket, std::string account, std::string camera, Micros now);
  // The account a ticket was issued to, when it names `camera` and is not older than kLifetime.
  std::optional<std::string> redeem(const std::string& ticket, const std::string& camera,
                                    Micros now) const;
  size_t size() const { return tickets_.size(); }

 private:
  struct Grant {
    std::string account;
    std::string camera;
    Micros issued{};
  };
  std::map<std::string, Grant> tickets_;
  std::deque<std::string> order_;  // oldest first
};

}  // namespace camleak::relay
