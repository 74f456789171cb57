#pragma once
// What the scenario says is true: which accounts exist, who owns which camera, which camera is
// shared with whom and when. The oracle judges every delivered frame against this and never
// against anything the SUT answered.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "harness/core/clock.hpp"

namespace camleak::oracle {

struct CameraTruth {
  std::string name;
  std::string owner;        // account that owns the camera
  uint32_t pixel_code = 0;  // the number the camera stamps into its luma plane
};

// Camera `camera` is visible to `account` during [from, until); until absent = never revoked.
struct ShareTruth {
  std::string camera;
  std::string account;
  Micros from{0};
  std::optional<Micros> until;
};

// A span of time [from, until); until = Micros::max() for "to the end of the run".
struct TimeWindow {
  Micros from{0};
  Micros until = Micros::max();
  bool operator==(const TimeWindow&) const = default;
};

struct HubTruth {
  std::string name;
  std::string account;  // the account the hub logs in as
  // Cameras the hub plays live (its own, shared ones): each is an entitled stream while the
  // account may see the camera.
  std::vector<std::string> watches;
};

struct GroundTruth {
  std::vector<std::string> accounts;
  std::vector<CameraTruth> cameras;
  std::vector<ShareTruth> shares;
  std::vector<HubTruth> hubs;  // optional; lets metrics name hubs that never received a frame
  // A live frame captured longer ago than this when delivered is STALE (phases may override).
  Micros freshness = std::chrono::seconds(2);
  // A frame captured before a revoke and delivered at most this long after it is not a leak
  // (the scenario's checks.revoke_grace).
  Micros revoke_grace = std::chrono::milliseconds(0);
};

// GroundTruth validated and indexed for O(1) lookups. Immutable once built, so it can be read
// from any number of threads.
class Visibility {
 public:
  // Throws InputError listing every inconsistency, each naming its field ("cameras[2].owner").
  explicit Visibility(GroundTruth truth);

  const GroundTruth& truth() const { return truth_; }
  const CameraTruth* camera(std::string_view name) const;
  const CameraTruth* camera_by_pixel_code(uint32_t code) const;
  bool has_account(std::string_view account) const;

  // Can `account` see `camera` in a frame delivered at `delivered`? The owner always can; a
  // sharee can inside a share interval. After a revoke the sharee may still receive frames that
  // were in flight: up to revoke_grace after `until`, provided the frame was captured before the
  // revoke. When the capture time is unknown (snapshots, frames without SEI) the frame gets the
  // benefit of the doubt inside the grace window, so no false alarm is raised.
  // A camera not from this ground truth is found by name; an unknown one is visible to nobody
  // but its stated owner.
  bool visible(const CameraTruth& camera, std::string_view account, Micros delivered,
               std::optional<Micros> captured) const;
  // When `account` is entitled to watch `camera`, as sorted, disjoint windows: the whole run for
  // the owner, the share intervals for a sharee (overlapping shares merged), none otherwise.
  // A viewer's stream is only expected to deliver inside these windows.
  std::vector<TimeWindow> entitled_windows(std::string_view camera, std::string_view account) const;

 private:
  struct Interval {
    Micros from;
    std::optional<Micros> until;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using ShareMap = std::unordered_map<std::string, std::vector<Interval>, Hash, std::equal_to<>>;

  GroundTruth truth_;
  std::unordered_map<std::string, size_t, Hash, std::equal_to<>> camera_index_;
  std::unordered_map<uint32_t, size_t> pixel_index_;
  std::unordered_set<std::string, Hash, std::equal_to<>> accounts_;
  std::vector<ShareMap> shares_;  // per camera index: account -> intervals
};

}  // namespace camleak::oracle
