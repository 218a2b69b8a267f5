#pragma once
// "Did you mean ...?" for misspelt keys and names.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace bench::scenario {

// Optimal-string-alignment (Damerau-Levenshtein with adjacent transpositions) distance between a and b.
// Hand-written: no Debian package offers it for C++, and it is twenty lines.
int edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if it is close enough to be a plausible typo (about a third of its letters);
// ties go to the earlier candidate.
std::optional<std::string> closest_match(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace bench::scenario
