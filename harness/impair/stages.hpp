#pragma once
// The type descriptor of every built-in stage, one per stage file; Registry::builtin() lists
// them explicitly.
#include "harness/impair/registry.hpp"

namespace camleak::impair {

// Stream (TCP) stages: Toxiproxy 2.x toxics, same names, attributes and units.
StageType latency_stage_type();
StageType bandwidth_stage_type();
StageType slow_close_stage_type();
StageType timeout_stage_type();
StageType slicer_stage_type();
StageType limit_data_stage_type();
StageType reset_peer_stage_type();
StageType down_stage_type();

// Datagram (UDP) stages: netem impairments, same names and semantics.
StageType loss_stage_type();
StageType duplicate_stage_type();
StageType reorder_stage_type();
StageType corrupt_stage_type();
StageType rate_stage_type();
StageType delay_stage_type();

}  // namespace camleak::impair
