#pragma once
// loss (datagram, netem): drops datagrams by one of netem's loss models.
//  - random: each datagram is lost with `probability` %, optionally correlated (`correlation`,
//    see distribution.hpp: the mean loss stays `probability`).
//  - state: netem's 4-state Markov model (Salamatian et al.), transition probabilities in %:
//    p13 (good -> burst loss), p31 (burst loss -> good), p32 (burst loss -> good within burst),
//    p23 (good within burst -> burst loss), p14 (good -> isolated loss; the next is good again).
//  - gemodel: Gilbert-Elliott, netem's "loss gemodel p r 1-h 1-k" with attributes p, r,
//    one_minus_h, one_minus_k (%): p = good -> bad, r = bad -> good, one_minus_h = loss in the
//    bad state, one_minus_k = loss in the good state. Bursts last 1/r datagrams on average
//    (with one_minus_h 100 %).
// Signals pass untouched.
#include <deque>

#include "harness/impair/distribution.hpp"
#include "harness/impair/stage.hpp"

namespace camleak::impair {

class LossStage final : public Stage {
 public:
  enum class Model { random, state, gemodel };

  LossStage(StageContext context, const Attributes& attributes);

  std::string_view type() const override { return "loss"; }
  void push(Packet packet, Micros now) override;
  std::optional<Packet> pop(Micros now) override;
  std::optional<Micros> next_wakeup(Micros now) const override;
  // The Markov state survives a reconfiguration that keeps the model.
  void reconfigure(const Attributes& attributes) override;
  std::vector<Packet> drain() override;
  size_t held_bytes() const override { return held_bytes_; }
  size_t held_packets() const override { return ready_.size(); }

 private:
  bool lose();

  Model model_ = Model::random;
  double probability_ = 0;
  CorrelatedUniform uniform_;
  // state model, probabilities in [0, 1]
  double p13_ = 0, p31_ = 1, p32_ = 0, p23_ = 1, p14_ = 0;
  int state_ = 1;  // netem's 1..4: 1 good, 2 good within a burst, 3 burst loss, 4 isolated loss
  // gemodel
  double p_ = 0, r_ = 1, one_minus_h_ = 1, one_minus_k_ = 0;
  bool bad_ = false;

  std::deque<Packet> ready_;
  size_t held_bytes_ = 0;
};

}  // namespace camleak::impair
