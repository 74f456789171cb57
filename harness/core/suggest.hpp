#pragma once
// "Did you mean ...?" for unknown names in user input (scenario keys, stage attributes).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace camleak {

// Edit distance (insertions, deletions, substitutions, adjacent transpositions).
size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate, if it is close enough to be a plausible typo of `word`.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

// " (did you mean `jitter`?)" or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace camleak
