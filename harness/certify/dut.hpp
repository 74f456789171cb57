#pragma once
// A device-under-test declaration (dut.yaml): who made the system, which version, who to
// contact, how camleak reaches it (the `sut` section of a scenario, adapter included) and which
// capabilities it claims, the way ONVIF profiles and Matter PICS declare what a device supports.
// A plan test that needs a capability not declared is not applicable, and says so.
#include <set>
#include <string>

#include "harness/scenario/scenario.hpp"

namespace camleak::certify {

struct Dut {
  std::string vendor;
  std::string product;
  std::string version;  // firmware or software version
  std::string contact;
  std::set<std::string> capabilities;  // scenario::capability_names()
  scenario::Sut sut;                   // replaces every plan scenario's `sut`
  std::string file;
  std::string text;  // the file as read, for the report
};

// Throws InputError with every problem at file:line:col.
Dut load_dut(const std::string& path);

// Why `scenario` (its sut already replaced by the DUT's) cannot run on the DUT, or "".
std::string not_applicable(const scenario::Scenario& scenario, const Dut& dut);

}  // namespace camleak::certify
