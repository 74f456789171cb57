#include "harness/scenario/selector.hpp"

#include <algorithm>

namespace camleak::scenario {

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matcher with one backtrack point for the last `*` (linear for typical names).
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

namespace {

bool any_match(const std::vector<std::string>& patterns, std::string_view name) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return glob_match(p, name); });
}

bool matches(const Selector& s, std::string_view account, std::string_view camera,
             std::string_view hub) {
  if (!s.accounts.empty() && !any_match(s.accounts, account)) return false;
  if (!s.cameras.empty() && !any_match(s.cameras, camera)) return false;
  if (!s.hubs.empty() && !any_match(s.hubs, hub)) return false;
  return true;
}

}  // namespace

std::vector<std::string> match_devices(const Selector& selector, DeviceKind kind,
                                       const Fleet& fleet) {
  std::vector<std::string> out;
  if (kind == DeviceKind::cameras) {
    if (!selector.hubs.empty()) return out;  // a hub pattern never names a camera
    for (const auto& c : fleet.cameras) {
      if (matches(selector, c.owner, c.name, {})) out.push_back(c.name);
    }
  } else {
    if (!selector.cameras.empty()) return out;
    for (const auto& h : fleet.hubs) {
      if (matches(selector, h.account, {}, h.name)) out.push_back(h.name);
    }
  }
  return out;
}

}  // namespace camleak::scenario
