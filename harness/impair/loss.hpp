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
#include "harness/impair/distribution.hpp"
#include "harness/impair/queued_stage.hpp"
#include "harness/impair/queues.hpp"
#include "harness/impair/settings_fields.hpp"

namespace camleak::impair {

class LossStage final : public QueuedStage<OrderedQueue> {
 public:
  enum class Model { random, state, gemodel };
  struct Settings : StageSettings {
    Model model = Model::random;
    Chance random;                                          // every probability here in [0, 1]
    double p13 = 0, p31 = 1, p32 = 0, p23 = 1, p14 = 0;     // state
    double p = 0, r = 1, one_minus_h = 1, one_minus_k = 0;  // gemodel
  };
  static constexpr StageDescription kDescription{
      .name = "loss",
      .transport = Transport::datagram,
      .doc =
          "Drops datagrams: random, netem's 4-state Markov (state) or Gilbert-Elliott (gemodel) "
          "model."};
  static Fields<Settings> fields();
  static std::vector<Diagnostic> check(const Settings& settings);

  LossStage(StageContext context, const Settings& settings);

  void push(Packet packet, Micros now) override;
  // The Markov state survives a reconfiguration that keeps the model.
  void reconfigure(const StageSettings& settings) override;

 private:
  void apply(const Settings& settings);
  bool lose();

  Settings settings_;
  CorrelatedChance random_;
  int state_ = 1;     // netem's 1..4: 1 good, 2 good within a burst, 3 burst loss, 4 isolated loss
  bool bad_ = false;  // gemodel
};

}  // namespace camleak::impair
