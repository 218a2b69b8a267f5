#include "model/bounded_json.h"

#include <vector>

#include "model/describe.h"

namespace bench::model {
namespace {

// nlohmann's messages start with "[json.exception.parse_error.101] "; the reader needs what follows, and not
// the "last read: '...'" echo of the file's bytes, which may be anything (invalid UTF-8, terminal escapes).
std::string plain(const std::exception& e) {
  std::string text = e.what();
  if (text.rfind("[json.exception.", 0) == 0) {
    if (const auto end = text.find("] "); end != std::string::npos) text.erase(0, end + 2);
  }
  if (const auto echo = text.find("; last read:"); echo != std::string::npos) text.erase(echo);
  for (char& c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) c = '?';
  }
  return text;
}

struct TooDeep {};
struct TooWide {
  std::string what;  // "an object with more than 10000 keys"
};

// Counts, while the parser reads, the keys of every open object and the items of every open array. Depths as
// nlohmann's parser callback reports them: a container that starts at depth d has its keys and items at depth d + 1.
class WidthLimit {
 public:
  explicit WidthLimit(const JsonLimits& limits) : limits_(limits) {}

  void operator()(int depth, json::parse_event_t event) {
    const auto d = static_cast<std::size_t>(depth);
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        item(d);
        open(d + 1, event == json::parse_event_t::array_start);
        break;
      case json::parse_event_t::key:
        if (d < levels_.size() && ++levels_[d].count > limits_.max_object_keys) {
          throw TooWide{"an object with more than " + std::to_string(limits_.max_object_keys) + " keys"};
        }
        break;
      case json::parse_event_t::value: item(d); break;
      default: break;
    }
  }

 private:
  struct Level {
    bool array = false;
    std::size_t count = 0;
  };
  void open(std::size_t d, bool array) {
    if (levels_.size() <= d) levels_.resize(d + 1);
    levels_[d] = Level{array, 0};
  }
  void item(std::size_t d) {
    if (d == 0 || d >= levels_.size() || !levels_[d].array) return;  // the top value, or a value after a key
    if (++levels_[d].count > limits_.max_array_items) {
      throw TooWide{"an array with more than " + std::to_string(limits_.max_array_items) + " items"};
    }
  }
  const JsonLimits& limits_;
  std::vector<Level> levels_;
};

}  // namespace

json parse_bounded(const std::string& text, const JsonLimits& limits, const std::string& origin,
                   const std::string& what) {
  try {
    // The callback sees every value with its depth before the parser nests further: refusing there bounds the
    // recursion of everything that later walks or copies the tree.
    WidthLimit width(limits);
    return json::parse(text, [&](int depth, json::parse_event_t event, json&) {
      if (depth > limits.max_depth) throw TooDeep{};
      width(depth, event);
      return true;
    });
  } catch (const TooDeep&) {
    throw FormatError(origin + ": nested more than " + std::to_string(limits.max_depth) + " levels deep; " + what +
                      " needs fewer than 10");
  } catch (const TooWide& e) {
    throw FormatError(origin + ": " + e.what + "; " + what + " needs a few hundred at most");
  } catch (const json::parse_error& e) {
    throw FormatError(origin + ": not " + what + " (not valid JSON: " + plain(e) + ")");
  }
}

}  // namespace bench::model
