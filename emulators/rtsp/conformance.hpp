#pragma once
// Conformance notes: the deviations from RFC 2326 / 3550 / 6184 a client tolerated instead of
// failing, because real clients (ffmpeg, GStreamer, live555) tolerate them too. A SUT that needs
// such leniency still gets its identity checks; the report shows what it got away with.
//
//   auto tally = std::make_shared<Conformance>();
//   tally->note("SETUP reply without Session header (RFC 2326 12.37); ...", "SETUP rtsp://h/p");
//   for (const ConformanceNote& n : tally->notes()) ...   // sorted by text
//
// A note's text names the deviation and what was done instead, never a device or URL, so the
// same deviation from a thousand devices is one note; the example keeps the first request line
// where it was seen. Thread-safe: clients note on their io threads, the runner reads at the end.
// Bounded: at most kMaxDistinct texts; later new texts are counted under kOtherText.
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace camleak::rtsp {

struct ConformanceNote {
  std::string text;     // "SETUP reply without Session header (RFC 2326 12.37); reused ..."
  uint64_t count = 0;   // how many times it was tolerated
  std::string example;  // first request line where it was seen: "SETUP rtsp://h:p/cam/trackID=0"
  bool operator==(const ConformanceNote&) const = default;
};

class Conformance {
 public:
  static constexpr std::size_t kMaxDistinct = 64;
  static constexpr std::string_view kOtherText =
      "other tolerated deviations (more distinct notes than the tally keeps)";

  void note(std::string_view text, std::string_view example) { add(text, 1, example); }
  // Adds `count` occurrences; the example is kept only if the text is new.
  void add(std::string_view text, uint64_t count, std::string_view example);
  // Adds every note of `other` (the fleet totals its devices this way).
  void absorb(const Conformance& other);

  std::vector<ConformanceNote> notes() const;  // sorted by text
  uint64_t total() const;                      // sum of the counts

 private:
  struct Entry {
    uint64_t count = 0;
    std::string example;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace camleak::rtsp
