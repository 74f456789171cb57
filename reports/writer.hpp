#pragma once
// Report writers, built like spdlog sinks: every writer is a Writer; BasicWriter gives them one
// public, final write() with a single error contract (any failure surfaces as a HarnessError
// naming the writer) over a protected hook. Writers wrap writers: AtomicFileWriter renders any
// format into a file that appears complete or not at all; FanOutWriter feeds several writers.
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "reports/run_record.hpp"

namespace camleak::reports {

class Writer {
 public:
  virtual ~Writer() = default;
  virtual void write(const RunRecord& record) = 0;
  virtual std::string name() const = 0;
};

class BasicWriter : public Writer {
 public:
  // Calls write_record(); throws HarnessError "<name>: <what went wrong>" on any failure.
  void write(const RunRecord& record) final;

 protected:
  virtual void write_record(const RunRecord& record) = 0;
};

// A format rendered onto a stream the writer is given (and does not own).
class StreamWriter : public BasicWriter {
 public:
  explicit StreamWriter(std::ostream& out) : out_(out) {}

 protected:
  void write_record(const RunRecord& record) final;
  virtual void render(const RunRecord& record, std::ostream& out) = 0;

 private:
  std::ostream& out_;
};

// Writes what the wrapped writer renders into `path` atomically: into a temporary file in the
// same directory, flushed to disk, then renamed over `path`. On any failure the temporary file is
// removed and whatever was at `path` before is left untouched: never a half-written report.
class AtomicFileWriter final : public BasicWriter {
 public:
  using Factory = std::function<std::unique_ptr<Writer>(std::ostream&)>;
  AtomicFileWriter(std::string path, Factory make);
  std::string name() const override;

 protected:
  void write_record(const RunRecord& record) override;

 private:
  std::string path_;
  Factory make_;
};

// Writes to every writer even when some fail, then reports all failures in one HarnessError.
class FanOutWriter final : public BasicWriter {
 public:
  void add(std::unique_ptr<Writer> writer) { writers_.push_back(std::move(writer)); }
  size_t size() const { return writers_.size(); }
  std::string name() const override { return "fan-out"; }

 protected:
  void write_record(const RunRecord& record) override;

 private:
  std::vector<std::unique_ptr<Writer>> writers_;
};

}  // namespace camleak::reports
