#include "emulators/relay/tickets.hpp"

namespace camleak::relay {

void TicketBook::issue(std::string ticket, std::string account, std::string camera, Micros now) {
  while (tickets_.size() >= kMaxTickets && !order_.empty()) {
    tickets_.erase(order_.front());
    order_.pop_front();
  }
  order_.push_back(ticket);
  tickets_[std::move(ticket)] = Grant{std::move(account), std::move(camera), now};
}

std::optional<std::string> TicketBook::redeem(const std::string& ticket, const std::string& camera,
                                              Micros now) const {
  const auto it = tickets_.find(ticket);
  if (it == tickets_.end() || it->second.camera != camera) return std::nullopt;
  if (now - it->second.issued > kLifetime) return std::nullopt;
  return it->second.account;
}

}  // namespace camleak::relay
