#include "emulators/relay/tickets.hpp"

namespace camleak::relay {

void TicketBook::issue(std::string ticket, std::string account, std::string camera, Micros now) {
  // Expired ones go first, so a client asking in a loop only pushes out tickets past their
  // lifetime until the book is full of live ones.
  while (!order_.empty()) {
    const auto it = tickets_.find(order_.front());
    if (it != tickets_.end() && now - it->second.issued <= kLifetime) break;
    if (it != tickets_.end()) tickets_.erase(it);
    order_.pop_front();
  }
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
