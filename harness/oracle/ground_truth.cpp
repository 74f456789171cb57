#include "harness/oracle/ground_truth.hpp"

#include <algorithm>
#include <functional>

#include "harness/core/errors.hpp"

namespace camleak::oracle {
namespace {

std::string indexed(std::string_view list, size_t i, std::string_view field) {
  return std::string(list) + "[" + std::to_string(i) + "]." + std::string(field);
}

}  // namespace

Visibility::Visibility(GroundTruth truth) : truth_(std::move(truth)) {
  std::vector<Diagnostic> problems;
  auto problem = [&](std::string field, std::string message) {
    problems.push_back(Diagnostic{.field = std::move(field), .message = std::move(message)});
  };

  for (size_t i = 0; i < truth_.accounts.size(); ++i) {
    const auto& account = truth_.accounts[i];
    if (account.empty()) problem("accounts[" + std::to_string(i) + "]", "account name is empty");
    if (!accounts_.insert(account).second)
      problem("accounts[" + std::to_string(i) + "]", "duplicate account '" + account + "'");
  }
  shares_.resize(truth_.cameras.size());
  for (size_t i = 0; i < truth_.cameras.size(); ++i) {
    const auto& camera = truth_.cameras[i];
    if (camera.name.empty()) problem(indexed("cameras", i, "name"), "camera name is empty");
    if (!camera_index_.emplace(camera.name, i).second)
      problem(indexed("cameras", i, "name"), "duplicate camera '" + camera.name + "'");
    if (!accounts_.contains(camera.owner))
      problem(indexed("cameras", i, "owner"), "unknown account '" + camera.owner + "'");
    auto [it, inserted] = pixel_index_.emplace(camera.pixel_code, i);
    if (!inserted)
      problem(indexed("cameras", i, "pixel_code"),
              "pixel code " + std::to_string(camera.pixel_code) + " already used by camera '" +
                  truth_.cameras[it->second].name + "'");
  }
  for (size_t i = 0; i < truth_.shares.size(); ++i) {
    const auto& share = truth_.shares[i];
    auto camera = camera_index_.find(share.camera);
    if (camera == camera_index_.end()) {
      problem(indexed("shares", i, "camera"), "unknown camera '" + share.camera + "'");
      continue;
    }
    if (!accounts_.contains(share.account)) {
      problem(indexed("shares", i, "account"), "unknown account '" + share.account + "'");
      continue;
    }
    if (share.until && *share.until < share.from) {
      problem(indexed("shares", i, "until"), "revoked before it was granted");
      continue;
    }
    shares_[camera->second][share.account].push_back(Interval{share.from, share.until});
  }
  for (size_t i = 0; i < truth_.hubs.size(); ++i) {
    if (!accounts_.contains(truth_.hubs[i].account))
      problem(indexed("hubs", i, "account"), "unknown account '" + truth_.hubs[i].account + "'");
  }
  if (truth_.freshness <= Micros{0}) problem("freshness", "must be positive");
  if (truth_.revoke_grace < Micros{0}) problem("revoke_grace", "must not be negative");
  if (!problems.empty()) throw InputError(std::move(problems));
}

const CameraTruth* Visibility::camera(std::string_view name) const {
  auto it = camera_index_.find(name);
  return it == camera_index_.end() ? nullptr : &truth_.cameras[it->second];
}

const CameraTruth* Visibility::camera_by_pixel_code(uint32_t code) const {
  auto it = pixel_index_.find(code);
  return it == pixel_index_.end() ? nullptr : &truth_.cameras[it->second];
}

bool Visibility::has_account(std::string_view account) const {
  return accounts_.find(account) != accounts_.end();
}

bool Visibility::visible(const CameraTruth& camera, std::string_view account, Micros delivered,
                         std::optional<Micros> captured) const {
  if (camera.owner == account) return true;
  // Cameras handed out by this Visibility are located by address; any other by name.
  const CameraTruth* first = truth_.cameras.data();
  const bool ours =
      std::less_equal<>{}(first, &camera) && std::less<>{}(&camera, first + truth_.cameras.size());
  size_t index = 0;
  if (ours) {
    index = static_cast<size_t>(&camera - first);
  } else {
    const auto it = camera_index_.find(camera.name);
    if (it == camera_index_.end()) return false;
    index = it->second;
  }
  const auto& shares = shares_[index];
  auto it = shares.find(account);
  if (it == shares.end()) return false;
  for (const auto& interval : it->second) {
    if (delivered < interval.from) continue;
    if (!interval.until || delivered < *interval.until) return true;
    const bool in_flight = delivered <= *interval.until + truth_.revoke_grace &&
                           (!captured || *captured < *interval.until);
    if (in_flight) return true;
  }
  return false;
}

std::vector<TimeWindow> Visibility::entitled_windows(std::string_view camera_name,
                                                     std::string_view account) const {
  const auto index = camera_index_.find(camera_name);
  if (index == camera_index_.end()) return {};
  if (truth_.cameras[index->second].owner == account) return {TimeWindow{}};
  const auto& shares = shares_[index->second];
  const auto it = shares.find(account);
  if (it == shares.end()) return {};
  std::vector<TimeWindow> windows;
  for (const auto& interval : it->second)
    windows.push_back(TimeWindow{interval.from, interval.until.value_or(Micros::max())});
  std::sort(windows.begin(), windows.end(),
            [](const auto& a, const auto& b) { return a.from < b.from; });
  std::vector<TimeWindow> merged;
  for (const auto& w : windows) {
    if (w.until <= w.from) continue;
    if (!merged.empty() && w.from <= merged.back().until)
      merged.back().until = std::max(merged.back().until, w.until);
    else
      merged.push_back(w);
  }
  return merged;
}

}  // namespace camleak::oracle
