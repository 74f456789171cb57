#include "emulators/relay/state_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "harness/core/errors.hpp"

namespace camleak::relay {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw HarnessError("cannot " + what + " relay state journal " + path + ": " +
                     std::strerror(errno));
}

void fsync_directory_of(const std::string& path) {
  const std::filesystem::path p(path);
  const std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : ".";
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return;  // best effort, as for the snapshot's rename
  ::fsync(dfd);
  ::close(dfd);
}

uint64_t file_size(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<uint64_t>(size);
}

}  // namespace

StateJournal::StateJournal(StateFile file, const Provisioning& provisioning,
                           const std::vector<PersistedSession>& sessions, uint64_t seq,
                           JournalLimits limits)
    : file_(std::move(file)), limits_(limits) {
  const std::string path = file_.journal_path();
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) fail("open", path);
  try {
    // Snapshot first: a crash before the truncation leaves journal lines the snapshot already
    // holds, which load() skips by their sequence number.
    compact(provisioning, sessions, seq);
  } catch (...) {
    ::close(fd_);
    throw;
  }
  fsync_directory_of(path);  // the journal's own directory entry, on its first creation
}

StateJournal::~StateJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void StateJournal::append(const std::string& lines) {
  if (broken_) {
    throw HarnessError("relay state journal " + file_.journal_path() +
                       " is unusable until a snapshot succeeds");
  }
  size_t done = 0;
  while (done < lines.size()) {
    const ssize_t n = ::write(fd_, lines.data() + done, lines.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      broken_ = true;
      fail("append to", file_.journal_path());
    }
    done += static_cast<size_t>(n);
  }
  journal_bytes_ += lines.size();
  // fdatasync also flushes the file size the appended data needs to be read back.
  if (::fdatasync(fd_) != 0) {
    broken_ = true;
    fail("sync", file_.journal_path());
  }
}

bool StateJournal::wants_compaction() const {
  return journal_bytes_ > limits_.min_bytes && journal_bytes_ > limits_.factor * snapshot_bytes_;
}

void StateJournal::compact(const Provisioning& provisioning,
                           const std::vector<PersistedSession>& sessions, uint64_t seq) {
  file_.save(provisioning, sessions, seq);
  snapshot_bytes_ = file_size(file_.path());
  truncate();
}

void StateJournal::truncate() {
  // Until this succeeds the journal may still hold lines after the snapshot's seq that a later
  // append would follow: keep refusing appends.
  broken_ = true;
  if (::ftruncate(fd_, 0) != 0) fail("empty", file_.journal_path());
  if (::fdatasync(fd_) != 0) fail("sync", file_.journal_path());
  journal_bytes_ = 0;
  broken_ = false;
}

}  // namespace camleak::relay
