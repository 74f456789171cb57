#include "emulators/rtsp/conformance.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace camleak::rtsp {
namespace {

TEST(Conformance, CountsEachNoteAndKeepsItsFirstExampleSortedByText) {
  Conformance tally;
  tally.note("b deviation", "SETUP rtsp://h/1");
  tally.note("a deviation", "DESCRIBE rtsp://h/1");
  tally.note("b deviation", "SETUP rtsp://h/2");
  const std::vector<ConformanceNote> expected{{"a deviation", 1, "DESCRIBE rtsp://h/1"},
                                              {"b deviation", 2, "SETUP rtsp://h/1"}};
  EXPECT_EQ(tally.notes(), expected);
  EXPECT_EQ(tally.total(), 3u);
}

TEST(Conformance, DistinctNotesAreBoundedAndTheRestCountedAsOther) {
  Conformance tally;
  for (size_t i = 0; i < Conformance::kMaxDistinct + 6; ++i) {
    tally.note("note " + std::to_string(1000 + i), "OPTIONS rtsp://h/" + std::to_string(i));
  }
  tally.note("note 1000", "ignored: not the first");  // a kept text still counts as itself
  const auto notes = tally.notes();
  ASSERT_EQ(notes.size(), Conformance::kMaxDistinct + 1);
  uint64_t other = 0;
  for (const auto& n : notes) {
    if (n.text == Conformance::kOtherText) {
      other = n.count;
      EXPECT_EQ(n.example, "OPTIONS rtsp://h/" + std::to_string(Conformance::kMaxDistinct));
    }
    if (n.text == "note 1000") {
      EXPECT_EQ(n.count, 2u);
      EXPECT_EQ(n.example, "OPTIONS rtsp://h/0");
    }
  }
  EXPECT_EQ(other, 6u);
  EXPECT_EQ(tally.total(), Conformance::kMaxDistinct + 7);
}

TEST(Conformance, AbsorbSumsCountsAndKeepsTheFirstExample) {
  Conformance camera, hub, total;
  camera.note("x", "SETUP rtsp://cam");
  camera.note("x", "SETUP rtsp://cam");
  hub.note("x", "SETUP rtsp://hub");
  hub.note("y", "PLAY rtsp://hub");
  total.absorb(camera);
  total.absorb(hub);
  total.absorb(total);  // no-op, not a deadlock
  const std::vector<ConformanceNote> expected{{"x", 3, "SETUP rtsp://cam"},
                                              {"y", 1, "PLAY rtsp://hub"}};
  EXPECT_EQ(total.notes(), expected);
}

TEST(Conformance, ConcurrentNotesAreAllCounted) {
  Conformance tally;
  constexpr int kThreads = 4;
  constexpr int kEach = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&tally, t] {
      for (int i = 0; i < kEach; ++i) tally.note(i % 2 ? "odd" : "even", "t" + std::to_string(t));
    });
  }
  for (auto& t : threads) t.join();
  const auto notes = tally.notes();
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].count + notes[1].count, uint64_t{kThreads} * kEach);
  EXPECT_EQ(notes[0].count, uint64_t{kThreads} * kEach / 2);
}

}  // namespace
}  // namespace camleak::rtsp
