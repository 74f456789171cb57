#pragma once
// corrupt (datagram, netem): with `probability` %, flips one random bit of the datagram (netem
// flips one bit of one random byte). Empty datagrams are left alone.
#include "harness/impair/chance_stage.hpp"

namespace camleak::impair {

class CorruptStage final : public ChanceStage {
 public:
  static constexpr StageDescription kDescription{
      .name = "corrupt",
      .transport = Transport::datagram,
      .doc = "Flips one random bit in datagrams (netem)."};
  static Fields<Settings> fields();

  using ChanceStage::ChanceStage;

  void push(Packet packet, Micros now) override;
};

}  // namespace camleak::impair
