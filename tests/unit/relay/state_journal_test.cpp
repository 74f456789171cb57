// The relay's state journal: changes appended after a snapshot come back on load, a torn last
// line (a crash mid-append) is ignored, compaction folds the journal into the snapshot, and a
// crash between the two steps of a compaction does not replay a change twice.
#include "emulators/relay/state_journal.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "emulators/relay/state_change.hpp"
#include "emulators/relay/state_file.hpp"
#include "harness/core/errors.hpp"

namespace camleak::relay {
namespace {

class StateJournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("camleak-journal-unit-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string path() const { return (dir_ / "state.json").string(); }
  StateFile file() const { return StateFile(path()); }

  // Appends accounts user-1..user-n with cameras, one change per line, as the relay does.
  static void append_fleet(StateJournal& journal, int n, uint64_t& seq) {
    for (int i = 1; i <= n; ++i) {
      const std::string account = "user-" + std::to_string(i);
      journal.append(encode_change(StateChange::account(account, "tok-" + account), ++seq));
      journal.append(encode_change(
          StateChange::camera("cam-" + std::to_string(i), account, "sec-" + account), ++seq));
    }
  }

  // A relay's life before a restart: a journal over an empty snapshot, the fleet of `n`
  // appended, then closed without a compaction. Returns the last seq it wrote.
  uint64_t journal_a_fleet(int n) const {
    uint64_t seq = 0;
    StateJournal journal(file(), Provisioning{}, {}, seq);
    append_fleet(journal, n, seq);
    return seq;
  }

  void append_raw(const std::string& bytes) const {
    std::ofstream(file().journal_path(), std::ios::binary | std::ios::app) << bytes;
  }

  std::filesystem::path dir_;
};

TEST_F(StateJournalTest, ManyChangesSurviveARestartThroughTheJournalAlone) {
  uint64_t seq = 0;
  {
    StateJournal journal(file(), Provisioning{}, {}, seq, JournalLimits{.min_bytes = 1ull << 30});
    append_fleet(journal, 500, seq);
    journal.append(encode_change(StateChange::share("cam-1", "user-2"), ++seq));
    journal.append(encode_change(StateChange::session_set({{"s1", "user-2", "cam-1"}}), ++seq));
    EXPECT_GT(journal.journal_bytes(), 0u);
  }  // no compaction, no clean stop: the snapshot still holds the empty state
  const auto state = file().load();
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->provisioning.account_count(), 500u);
  EXPECT_EQ(state->provisioning.camera_count(), 500u);
  EXPECT_TRUE(state->provisioning.token_valid("user-500", "tok-user-500"));
  EXPECT_TRUE(state->provisioning.can_view("user-2", "cam-1"));
  EXPECT_EQ(state->sessions, (std::vector<PersistedSession>{{"s1", "user-2", "cam-1"}}));
  EXPECT_EQ(state->seq, seq);
  EXPECT_EQ(state->ignored_tail_bytes, 0u);
}

TEST_F(StateJournalTest, ATornLastLineIsIgnoredAndDiscardedOnReopen) {
  uint64_t seq = journal_a_fleet(10);
  // A crash mid-append: the next change's line was cut before its newline.
  const std::string torn = encode_change(StateChange::account("user-99", "tok-99"), seq + 1);
  append_raw(torn.substr(0, torn.size() / 2));
  auto state = file().load();
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->provisioning.account_count(), 10u);
  EXPECT_EQ(state->provisioning.account("user-99"), nullptr);
  EXPECT_EQ(state->seq, seq);
  EXPECT_EQ(state->ignored_tail_bytes, torn.size() / 2);

  // A restart discards the tail before it appends: the next change is not glued to it.
  {
    StateJournal journal(file(), state->provisioning, state->sessions, state->seq);
    journal.append(encode_change(StateChange::account("user-11", "tok-11"), ++seq));
  }
  state = file().load();
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->provisioning.account_count(), 11u);
  EXPECT_TRUE(state->provisioning.token_valid("user-11", "tok-11"));
  EXPECT_EQ(state->ignored_tail_bytes, 0u);
}

TEST_F(StateJournalTest, ANeverWrittenTailOfZerosIsIgnored) {
  const uint64_t seq = journal_a_fleet(3);
  // The file's size made it to disk but not its last page: zeros, then more bytes of the batch.
  std::string tail(100, '\0');
  tail += '\n';
  tail += encode_change(StateChange::account("user-9", "tok-9"), seq + 2);
  append_raw(tail);
  const auto state = file().load();
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->provisioning.account_count(), 3u);
  EXPECT_GT(state->ignored_tail_bytes, 100u);
}

TEST_F(StateJournalTest, CompactionFoldsTheJournalIntoTheSnapshot) {
  uint64_t seq = 0;
  Provisioning live;
  StateJournal journal(file(), live, {}, seq, JournalLimits{.factor = 2, .min_bytes = 4096});
  int compactions = 0;
  for (int i = 1; i <= 300; ++i) {
    const std::string account = "user-" + std::to_string(i);
    live.put_account(account, "tok-" + account);
    journal.append(encode_change(StateChange::account(account, "tok-" + account), ++seq));
    if (journal.wants_compaction()) {
      journal.compact(live, {}, seq);
      ++compactions;
      EXPECT_EQ(journal.journal_bytes(), 0u);
      EXPECT_EQ(std::filesystem::file_size(file().journal_path()), 0u);
    }
  }
  EXPECT_GE(compactions, 1);
  // Bounded: never more than factor x the snapshot (or the minimum) between compactions.
  EXPECT_LE(journal.journal_bytes(), std::max<uint64_t>(4096, 2 * journal.snapshot_bytes()) + 200);
  const auto state = file().load();
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->provisioning.account_count(), 300u);
  EXPECT_EQ(state->seq, seq);
}

TEST_F(StateJournalTest, ACrashBetweenSnapshotAndTruncationReplaysNothingTwice) {
  uint64_t seq = 0;
  {
    StateJournal journal(file(), Provisioning{}, {}, seq);
    journal.append(encode_change(StateChange::account("alice", "journal-1"), ++seq));
    journal.append(encode_change(StateChange::account("alice", "journal-2"), ++seq));
    journal.append(encode_change(StateChange::account("bob", "journal-3"), ++seq));
  }
  // The snapshot of a compaction at seq 2 reached the disk, the emptied journal did not. (The
  // snapshot's token differs from the journal's only to show which one load() used.)
  Provisioning snapshot;
  snapshot.put_account("alice", "snapshot-2");
  file().save(snapshot, {}, 2);
  const auto state = file().load();
  ASSERT_TRUE(state.has_value());
  EXPECT_TRUE(state->provisioning.token_valid("alice", "snapshot-2"));
  EXPECT_TRUE(state->provisioning.token_valid("bob", "journal-3"));
  EXPECT_EQ(state->seq, 3u);
}

TEST_F(StateJournalTest, AJournalWithoutItsSnapshotIsStale) {
  journal_a_fleet(2);
  // Removing the state file means "start from an empty cloud" (the built-in SUT does so).
  std::filesystem::remove(path());
  EXPECT_FALSE(file().load().has_value());
  StateJournal fresh(file(), Provisioning{}, {}, 0);
  const auto state = file().load();
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->provisioning.account_count(), 0u);
}

TEST_F(StateJournalTest, ACorruptCompleteRecordIsAnErrorNamingFileAndLine) {
  uint64_t seq = 0;
  {
    StateJournal journal(file(), Provisioning{}, {}, seq);
    journal.append(encode_change(StateChange::account("alice", "tok"), ++seq));
  }
  append_raw(R"({"seq": 2, "op": "account", "account": "a b", "token": "t"})"
             "\n");
  try {
    file().load();
    FAIL() << "a complete record with an invalid account name must not load";
  } catch (const InputError& e) {
    const Diagnostic& d = e.diagnostics().front();
    EXPECT_EQ(d.file, file().journal_path());
    EXPECT_EQ(d.line, 2);
    EXPECT_EQ(d.field, "account");
  }
  // A gap in the sequence is not a torn write either.
  std::filesystem::remove(file().journal_path());
  append_raw(encode_change(StateChange::account("alice", "tok"), 1) +
             encode_change(StateChange::account("bob", "tok"), 3));
  EXPECT_THROW(file().load(), InputError);
}

}  // namespace
}  // namespace camleak::relay
