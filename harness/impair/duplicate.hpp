#pragma once
// duplicate (datagram, netem): sends a datagram twice with `probability` %, optionally
// correlated. The copy follows the original at once.
#include "harness/impair/chance_stage.hpp"

namespace camleak::impair {

class DuplicateStage final : public ChanceStage {
 public:
  static constexpr StageDescription kDescription{.name = "duplicate",
                                                 .transport = Transport::datagram,
                                                 .doc = "Sends datagrams twice (netem)."};
  static Fields<Settings> fields();

  using ChanceStage::ChanceStage;

  void push(Packet packet, Micros now) override;
};

}  // namespace camleak::impair
