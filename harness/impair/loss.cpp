#include "harness/impair/loss.hpp"

#include "harness/impair/settings_pieces.hpp"

namespace camleak::impair {

LossStage::LossStage(StageContext context, const Settings& settings)
    : QueuedStage(std::move(context)) {
  apply(settings);
}

void LossStage::reconfigure(const StageSettings& settings) {
  apply(settings_as<Settings>(settings));
}

void LossStage::apply(const Settings& settings) {
  if (settings.model != settings_.model) {
    state_ = 1;
    bad_ = false;
  }
  settings_ = settings;
  random_.set(settings.random);
}

bool LossStage::lose() {
  Rng& rng = context_.rng;
  const Settings& s = settings_;
  switch (settings_.model) {
    case Model::random:
      return random_.decide(rng);
    case Model::state: {
      // The datagram's fate is the state the chain moves into (netem's loss_4state).
      const double u = rng.uniform();
      switch (state_) {
        case 1:
          state_ = u < s.p13 ? 3 : u < s.p13 + s.p14 ? 4 : 1;
          break;
        case 2:
          state_ = u < s.p23 ? 3 : 2;
          break;
        case 3:
          state_ = u < s.p32 ? 2 : u < s.p32 + s.p31 ? 1 : 3;
          break;
        default:  // 4: an isolated loss is always followed by a good datagram
          state_ = 1;
          break;
      }
      return state_ == 3 || state_ == 4;
    }
    case Model::gemodel: {
      // netem's loss_gilb_ell: the loss is decided by the state the datagram found, then the
      // state moves on.
      const bool lost = rng.bernoulli(bad_ ? s.one_minus_h : s.one_minus_k);
      if (rng.bernoulli(bad_ ? s.r : s.p)) bad_ = !bad_;
      return lost;
    }
  }
  return false;
}

void LossStage::push(Packet packet, Micros now) {
  if (packet.kind == Packet::Kind::data && lose()) {
    note(StageAction::dropped, now, packet.bytes.size());
    return;
  }
  queue_.push(std::move(packet), now);
}

Fields<LossStage::Settings> LossStage::fields() {
  return fields_of<Settings>(
      choice_field(
          &Settings::model, "model",
          {{"random", Model::random}, {"state", Model::state}, {"gemodel", Model::gemodel}},
          "Loss model: random (probability, correlation), state (p13..p14), "
          "gemodel (p, r, one_minus_h, one_minus_k)."),
      within(&Settings::random, chance_fields("random: chance that a datagram is lost.",
                                              "random: how much each decision follows the "
                                              "previous one (mean loss unchanged).")),
      percent_field(&Settings::p13, "p13", "state: good -> burst loss transition."),
      percent_field(&Settings::p31, "p31", "state: burst loss -> good transition."),
      percent_field(&Settings::p32, "p32", "state: burst loss -> good-within-burst transition."),
      percent_field(&Settings::p23, "p23", "state: good-within-burst -> burst loss transition."),
      percent_field(&Settings::p14, "p14", "state: good -> isolated loss transition."),
      percent_field(&Settings::p, "p", "gemodel: good -> bad transition."),
      percent_field(&Settings::r, "r", "gemodel: bad -> good transition (mean burst = 1/r)."),
      percent_field(&Settings::one_minus_h, "one_minus_h",
                    "gemodel: loss probability in the bad state (1-h)."),
      percent_field(&Settings::one_minus_k, "one_minus_k",
                    "gemodel: loss probability in the good state (1-k)."));
}

// netem's state model needs p13 + p14 <= 1 and p31 + p32 <= 1. The sums of percent values
// divided by 100 may land a rounding step off 1, hence the tolerance.
std::vector<Diagnostic> LossStage::check(const Settings& s) {
  constexpr double kOne = 1 + 1e-12;
  std::vector<Diagnostic> problems;
  if (s.model != Model::state) return problems;
  if (s.p13 + s.p14 > kOne) {
    problems.push_back({.field = "p14", .message = "p13 + p14 must not exceed 100 %"});
  }
  if (s.p31 + s.p32 > kOne) {
    problems.push_back({.field = "p32", .message = "p31 + p32 must not exceed 100 %"});
  }
  return problems;
}

}  // namespace camleak::impair
