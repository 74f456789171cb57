#pragma once
// The emulators' counters summed over the fleet, for the report: how the devices fared (sessions,
// media, bad input from the SUT), and the frames a hub received but could not have judged.
#include <vector>

#include "reports/run_record.hpp"

namespace camleak::runner {

class Fleet;

std::vector<reports::FleetCount> fleet_totals(const Fleet& fleet);

}  // namespace camleak::runner
