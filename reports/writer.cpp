#include "reports/writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <ostream>
#include <sstream>

#include "harness/core/errors.hpp"

namespace camleak::reports {
namespace {

// Owns one POSIX file descriptor.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() { close(); }
  int get() const { return fd_; }
  int close() {
    if (fd_ < 0) return 0;
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

// Removes a file on scope exit unless released.
class RemoveOnFailure {
 public:
  explicit RemoveOnFailure(std::string path) : path_(std::move(path)) {}
  RemoveOnFailure(const RemoveOnFailure&) = delete;
  RemoveOnFailure& operator=(const RemoveOnFailure&) = delete;
  ~RemoveOnFailure() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  void release() { path_.clear(); }

 private:
  std::string path_;
};

[[noreturn]] void fail_errno(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

void write_all(int fd, const std::string& bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_errno("cannot write " + path);
    }
    done += static_cast<size_t>(n);
  }
}

}  // namespace

void BasicWriter::write(const RunRecord& record) {
  try {
    write_record(record);
  } catch (const HarnessError& e) {
    throw HarnessError(name() + ": " + e.what(), e.code());
  } catch (const std::exception& e) {
    throw HarnessError(name() + ": " + e.what());
  }
}

void StreamWriter::write_record(const RunRecord& record) {
  render(record, out_);
  out_.flush();
  if (!out_) throw std::runtime_error("output stream failed");
}

AtomicFileWriter::AtomicFileWriter(std::string path, Factory make)
    : path_(std::move(path)), make_(std::move(make)) {}

std::string AtomicFileWriter::name() const {
  return path_;
}

void AtomicFileWriter::write_record(const RunRecord& record) {
  // Render fully in memory first: a writer that fails half-way never touches the disk.
  std::ostringstream buffer;
  auto inner = make_(buffer);
  if (!inner) throw std::runtime_error("no writer to wrap");
  inner->write(record);
  const std::string bytes = std::move(buffer).str();

  static std::atomic<uint64_t> counter{0};
  const std::string temp =
      path_ + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
  FileDescriptor fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (fd.get() < 0) fail_errno("cannot create " + temp);
  RemoveOnFailure cleanup(temp);
  write_all(fd.get(), bytes, temp);
  if (::fsync(fd.get()) != 0) fail_errno("cannot flush " + temp);
  if (fd.close() != 0) fail_errno("cannot close " + temp);
  if (::rename(temp.c_str(), path_.c_str()) != 0) fail_errno("cannot rename " + temp);
  cleanup.release();

  // Make the rename itself durable; a failure here loses nothing already visible.
  const auto dir = std::filesystem::path(path_).parent_path();
  FileDescriptor dir_fd(
      ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) ::fsync(dir_fd.get());
}

void FanOutWriter::write_record(const RunRecord& record) {
  std::string failures;
  for (const auto& writer : writers_) {
    try {
      writer->write(record);
    } catch (const std::exception& e) {
      if (!failures.empty()) failures += "; ";
      failures += e.what();
    }
  }
  if (!failures.empty()) throw std::runtime_error(failures);
}

}  // namespace camleak::reports
