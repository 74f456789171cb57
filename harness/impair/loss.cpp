#include "harness/impair/loss.hpp"

#include "harness/impair/attribute_access.hpp"
#include "harness/impair/stages.hpp"

namespace camleak::impair {
namespace {

LossStage::Model parse_model(const std::string& name) {
  if (name == "state") return LossStage::Model::state;
  if (name == "gemodel") return LossStage::Model::gemodel;
  return LossStage::Model::random;
}

}  // namespace

LossStage::Settings LossStage::Settings::parse(const Attributes& a) {
  Settings s;
  s.model = parse_model(string_attribute(a, "model", "random"));
  s.probability = percent_attribute(a, "probability", 0);
  s.correlation = percent_attribute(a, "correlation", 0);
  s.p13 = percent_attribute(a, "p13", 0);
  s.p31 = percent_attribute(a, "p31", 100);
  s.p32 = percent_attribute(a, "p32", 0);
  s.p23 = percent_attribute(a, "p23", 100);
  s.p14 = percent_attribute(a, "p14", 0);
  s.p = percent_attribute(a, "p", 0);
  s.r = percent_attribute(a, "r", 100);
  s.one_minus_h = percent_attribute(a, "one_minus_h", 100);
  s.one_minus_k = percent_attribute(a, "one_minus_k", 0);
  return s;
}

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
  uniform_.set_correlation(settings.correlation);
}

bool LossStage::lose() {
  Rng& rng = context_.rng;
  const Settings& s = settings_;
  switch (settings_.model) {
    case Model::random:
      return uniform_.decide(rng, settings_.probability);
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
    note("dropped", now, packet.bytes.size());
    return;
  }
  queue_.push(std::move(packet), now);
}

StageType loss_stage_type() {
  return StageType{
      .name = "loss",
      .transport = Transport::datagram,
      .doc =
          "Drops datagrams: random, netem's 4-state Markov (state) or Gilbert-Elliott "
          "(gemodel) model.",
      .attributes =
          {choice_spec("model", "random", {"random", "state", "gemodel"},
                       "Loss model: random (probability, correlation), state (p13..p14), "
                       "gemodel (p, r, one_minus_h, one_minus_k)."),
           percent_spec("probability", 0, "random: chance that a datagram is lost."),
           percent_spec("correlation", 0,
                        "random: how much each decision follows the previous one (mean loss "
                        "unchanged)."),
           percent_spec("p13", 0, "state: good -> burst loss transition."),
           percent_spec("p31", 100, "state: burst loss -> good transition."),
           percent_spec("p32", 0, "state: burst loss -> good-within-burst transition."),
           percent_spec("p23", 100, "state: good-within-burst -> burst loss transition."),
           percent_spec("p14", 0, "state: good -> isolated loss transition."),
           percent_spec("p", 0, "gemodel: good -> bad transition."),
           percent_spec("r", 100, "gemodel: bad -> good transition (mean burst = 1/r)."),
           percent_spec("one_minus_h", 100, "gemodel: loss probability in the bad state (1-h)."),
           percent_spec("one_minus_k", 0, "gemodel: loss probability in the good state (1-k).")},
      .parse = parser_of<LossStage>(),
      .create = factory_of<LossStage>(),
      .check = [](const Attributes& a) {
        std::vector<Diagnostic> problems;
        if (string_attribute(a, "model", "random") == "state") {
          if (number_attribute(a, "p13", 0) + number_attribute(a, "p14", 0) > 100) {
            problems.push_back({.field = "p14", .message = "p13 + p14 must not exceed 100 %"});
          }
          if (number_attribute(a, "p31", 0) + number_attribute(a, "p32", 0) > 100) {
            problems.push_back({.field = "p32", .message = "p31 + p32 must not exceed 100 %"});
          }
        }
        return problems;
      }};
}

}  // namespace camleak::impair
