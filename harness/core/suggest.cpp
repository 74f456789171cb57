#include "harness/core/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace camleak {

size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance, case-insensitive (People type `Jitter` for `jitter`).
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  size_t best_distance = 0;
  for (const auto& c : candidates) {
    // Words whose lengths differ by more than 3 are more than 3 edits apart, so never suggested
    // (see below): skip the O(n*m) table, which for a 30 MB typo took seconds and gigabytes.
    const size_t gap = word.size() > c.size() ? word.size() - c.size() : c.size() - word.size();
    if (gap > 3) continue;
    const size_t dist = edit_distance(word, c);
    if (!best || dist < best_distance) {
      best = c;
      best_distance = dist;
    }
  }
  // Plausible typo: at most a third of the longer word wrong, and never more than 3 edits.
  if (!best) return std::nullopt;
  const size_t longest = std::max(word.size(), best->size());
  if (*best == word || best_distance > 3 || best_distance * 3 > longest + 1) return std::nullopt;
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const auto match = closest_match(word, candidates);
  return match ? " (did you mean `" + *match + "`?)" : "";
}

}  // namespace camleak
