#pragma once
// The readers of each top-level section of a scenario file. Internal to the loader: each reads
// its section into the Scenario, reporting every problem to the Context and going on.
#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/impair/registry.hpp"
#include "harness/scenario/profiles.hpp"
#include "harness/scenario/scenario.hpp"
#include "harness/scenario/yaml_reader.hpp"

namespace camleak::scenario::detail {

void read_sut(Context& ctx, const YAML::Node& node, Sut& sut);
void read_fleet(Context& ctx, const YAML::Node& node, Fleet& fleet);
// One valid entry of the `shares` section, with where it was written.
struct SectionShare {
  Share share;  // source = "shares[i]"
  YAML::Node node;
};
// Reads the `shares` section (names checked against the fleet).
void read_shares(Context& ctx, const YAML::Node& node, const Fleet& fleet,
                 std::vector<SectionShare>& shares);
// Reports unknown names (with suggestions) and sharing a camera with its owner.
bool check_share_names(Context& ctx, const Fleet& fleet, const std::string& camera,
                       const YAML::Node& camera_node, const std::string& camera_path,
                       const std::string& account, const YAML::Node& account_node,
                       const std::string& account_path);
void read_links(Context& ctx, const YAML::Node& node, const Fleet& fleet,
                const impair::Registry& registry, std::vector<Link>& links);
void read_timeline(Context& ctx, const YAML::Node& node, Scenario& scenario,
                   const impair::Registry& registry);
// Needs the phases (from the timeline) to check the names under `checks.phases`.
void read_checks(Context& ctx, const YAML::Node& node, Scenario& scenario);

// ---- shared by links and the timeline ----

// A link block as written: an optional profile, shorthand knobs, explicit stages.
struct LinkBlock {
  std::string profile;
  LinkParams params;                      // profile values with the block's own knobs applied
  std::vector<impair::StageSpec> stages;  // explicit `stages:` (attributes completed)
  bool own_loss = false;  // `loss`, `loss_down` or `loss_up` written in the block itself
  bool empty() const { return profile.empty() && params.empty() && stages.empty(); }
};

// Reads `profile`, the shorthand knobs and `stages` from an already opened map. The caller
// finishes the map (so it can allow its own extra keys).
LinkBlock read_link_block(Context& ctx, MapReader& map, LinkRole role,
                          const impair::Registry& registry);
// The stages a block gives a link of `transport`: profile/knob stages first, then explicit ones.
// Knobs that do not apply to the transport (loss on a TCP link) are left out.
std::vector<impair::StageSpec> compile_block(const LinkBlock& block, impair::Transport transport,
                                             const impair::Registry& registry);

// One `stages:` item: {type, name, direction, toxicity, <attributes>}. Returns one spec, or two
// for `direction: both`; nothing (after reporting) when it is invalid.
std::vector<impair::StageSpec> read_stage(Context& ctx, const YAML::Node& node,
                                          const std::string& path, LinkRole role,
                                          const impair::Registry& registry);
// The pieces of a stage item, shared by `stages:` items and the timeline's `ramp`:
// The stage type named by the required `key`; null after reporting a missing, unreadable or
// unknown one (with a did-you-mean and the list of types).
struct NamedStageType {
  const impair::StageType* type = nullptr;
  YAML::Node node;  // where it is named
};
NamedStageType read_stage_type(Context& ctx, MapReader& map, std::string_view key,
                               const impair::Registry& registry);
// `direction`: down or up (downstream, upstream), and `both` where `both_allowed`; {fallback}
// when absent; nullopt after reporting a bad value.
std::optional<std::vector<impair::Direction>> read_directions(Context& ctx, MapReader& map,
                                                              impair::Direction fallback,
                                                              bool both_allowed);
// Reads every key of `map` not in `skip` as an attribute of `type` (null when the type is
// unknown: values are read as written) into `out`, with each value's node and its key's
// position for errors the registry reports later. False when a value could
// not be read (reported).
struct ReadAttributes {
  impair::Attributes values;
  std::map<std::string, YAML::Node> nodes;
  std::map<std::string, YAML::Mark> key_marks;
};
bool read_attributes(Context& ctx, MapReader& map, const impair::StageType* type,
                     const std::vector<std::string_view>& skip, ReadAttributes& out);

// Converts a YAML scalar to an attribute value in the unit `spec` expects ("100ms" -> 100 for a
// millisecond attribute). `spec` may be null (unknown attribute: passed through as written).
std::optional<impair::AttributeValue> read_attribute(Context& ctx, const YAML::Node& node,
                                                     const std::string& path,
                                                     const impair::AttributeSpec* spec);

// Which way the media of a role flows: uplink upstream (camera -> SUT), live and snapshot
// downstream (SUT -> hub).
impair::Direction media_direction(LinkRole role);
// The devices of a role: cameras for uplink, hubs for live and snapshot.
DeviceKind role_devices(LinkRole role);
// The media transport of each device's link in `role`, in the order of `devices`.
std::vector<impair::Transport> role_transports(LinkRole role, const Fleet& fleet,
                                               const std::vector<std::string>& devices);
std::optional<LinkRole> parse_role(std::string_view text);

// Reads `select:` (`all`, or a map of accounts / cameras / hubs / fraction) and checks that
// every name and pattern matches a device of `kind`. `allow_fraction` is false where the choice
// must not depend on the seed.
std::optional<Selector> read_selector(Context& ctx, const YAML::Node& node, const std::string& path,
                                      DeviceKind kind, const Fleet& fleet, bool allow_fraction);

}  // namespace camleak::scenario::detail
