// Fleet limits are one rule whichever way the accounts are written (a count, {count, name} or a
// list): at most 10,000 accounts and 100,000 devices, each checked at and just past the limit,
// with errors naming file:line:col and the field.
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/scenario/test_util.hpp"

namespace camleak::scenario {
namespace {

using testing::errors_of;

// `accounts` goes on line 4, column 13.
std::string fleet(const std::string& accounts, int cameras_per_account, int hubs_per_account) {
  return "name: t\nduration: 60s\nfleet:\n  accounts: " + accounts +
         "\n  cameras_per_account: " + std::to_string(cameras_per_account) +
         "\n  hubs_per_account: " + std::to_string(hubs_per_account) + "\n";
}

// A flow list of `n` account names, or of {name, cameras, hubs} entries.
std::string account_list(int n) {
  std::string out = "[";
  for (int i = 1; i <= n; ++i) out += (i > 1 ? ", a" : "a") + std::to_string(i);
  return out + "]";
}

std::string account_entries(int n, int cameras, int hubs_of_last) {
  std::string out = "[";
  for (int i = 1; i <= n; ++i) {
    out += (i > 1 ? ", {name: a" : "{name: a") + std::to_string(i) +
           ", cameras: " + std::to_string(cameras) +
           (i == n && hubs_of_last > 0 ? ", hubs: " + std::to_string(hubs_of_last) : "") + "}";
  }
  return out + "]";
}

TEST(FleetLimits, TenThousandAccountsWhicheverWayTheyAreWritten) {
  EXPECT_EQ(errors_of(fleet("10000", 1, 0)), "");
  EXPECT_EQ(errors_of(fleet("{count: 10000}", 1, 0)), "");
  EXPECT_EQ(errors_of(fleet(account_list(10000), 1, 0)), "");
}

TEST(FleetLimits, OneAccountMoreIsRefusedWhicheverWayTheyAreWritten) {
  EXPECT_EQ(errors_of(fleet("10001", 1, 0)),
            "test.yaml:4:13: fleet.accounts: must be between 1 and 10000, got 10001");
  EXPECT_EQ(errors_of(fleet("{count: 10001}", 1, 0)),
            "test.yaml:4:21: fleet.accounts.count: must be between 1 and 10000, got 10001");
  // A list used to be capped only by the device cap: accounts without devices slipped through.
  EXPECT_EQ(errors_of(fleet(account_list(10001), 1, 0)),
            "test.yaml:4:13: fleet.accounts: lists 10001 accounts; at most 10000 are supported");
  EXPECT_EQ(errors_of(fleet(account_list(10001), 0, 0)),
            "test.yaml:4:13: fleet.accounts: lists 10001 accounts; at most 10000 are supported");
}

TEST(FleetLimits, OneHundredThousandDevicesWhicheverWayTheyAreWritten) {
  EXPECT_EQ(errors_of(fleet("{count: 10000}", 10, 0)), "");              // 10,000 x 10
  EXPECT_EQ(errors_of(fleet(account_entries(10, 10000, 0), 0, 0)), "");  // 10 x 10,000
}

TEST(FleetLimits, OneDeviceMoreIsRefusedWhicheverWayTheyAreWritten) {
  const std::string refused =
      "test.yaml:4:3: fleet: the fleet has 100001 devices; at most 100000 are supported";
  EXPECT_EQ(errors_of(fleet("{count: 9091}", 11, 0)), refused);               // 9,091 x 11
  EXPECT_EQ(errors_of(fleet(account_entries(10, 10000, 1), 0, 0)), refused);  // + 1 hub
}

}  // namespace
}  // namespace camleak::scenario
