#include "emulators/relay/state_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "emulators/relay/state_change.hpp"
#include "harness/core/errors.hpp"

namespace camleak::relay {

namespace {

constexpr int kStateVersion = 1;

void write_all_or_throw(int fd, const std::string& data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw HarnessError("cannot write relay state file " + path + ": " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
}

// Replays the journal at `path` (if any) on `state`: lines up to state.seq are already in the
// snapshot (a crash between writing it and emptying the journal); the first line that is not a
// whole record ends the replay (a crash mid-append: never acknowledged).
void replay_journal(const std::string& path, RelayState& state) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return;
    throw InputError(Diagnostic{.file = path, .message = "cannot read the relay state journal"});
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  size_t start = 0;
  int line_number = 0;
  while (start < text.size()) {
    ++line_number;
    const size_t end = text.find('\n', start);
    if (end == std::string::npos) break;  // no newline: the write was cut
    std::optional<JournalRecord> record;
    try {
      record = decode_change(std::string_view(text).substr(start, end - start));
    } catch (const InputError& e) {
      Diagnostic d = e.diagnostics().front();
      d.file = path;
      d.line = line_number;
      throw InputError(std::move(d));
    }
    if (!record) break;
    if (record->seq > state.seq) {
      if (record->seq != state.seq + 1) {
        throw InputError(Diagnostic{.file = path,
                                    .line = line_number,
                                    .field = "seq",
                                    .message = "change " + std::to_string(record->seq) +
                                               " follows change " + std::to_string(state.seq) +
                                               ": the journal has a gap"});
      }
      apply_change(record->change, state);
      state.seq = record->seq;
    }
    start = end + 1;
  }
  state.ignored_tail_bytes = text.size() - start;
}

}  // namespace

std::optional<RelayState> StateFile::load() const {
  std::error_code ec;
  if (!std::filesystem::exists(path_, ec)) return std::nullopt;
  std::ifstream in(path_, std::ios::binary);
  if (!in)
    throw InputError(Diagnostic{.file = path_, .message = "cannot read the relay state file"});
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code jec;
  const boost::json::value json = boost::json::parse(text.str(), jec);
  if (jec) {
    throw InputError(
        Diagnostic{.file = path_, .message = "relay state file is not JSON: " + jec.message()});
  }
  try {
    const auto* root = json.if_object();
    if (root == nullptr)
      throw InputError(Diagnostic{.field = "(top level)", .message = "expected an object"});
    const auto* version = root->if_contains("version");
    if (version == nullptr || !version->is_int64() || version->as_int64() != kStateVersion) {
      throw InputError(Diagnostic{.field = "version", .message = "expected 1"});
    }
    RelayState state;
    if (const auto* seq = root->if_contains("seq")) {
      boost::system::error_code sec;
      if (seq->is_number()) state.seq = seq->to_number<uint64_t>(sec);
      if (!seq->is_number() || sec)
        throw InputError(Diagnostic{.field = "seq", .message = "expected a sequence number"});
    }
    if (const auto* p = root->if_contains("provisioning")) {
      state.provisioning = Provisioning::from_json(*p);
    }
    if (const auto* sessions = root->if_contains("sessions")) {
      if (!sessions->is_array())
        throw InputError(Diagnostic{.field = "sessions", .message = "expected a list"});
      for (const auto& s : sessions->as_array()) {
        const auto* o = s.if_object();
        const auto str = [&](std::string_view key) -> std::string {
          const auto* v = o == nullptr ? nullptr : o->if_contains(key);
          if (v == nullptr || !v->is_string()) {
            throw InputError(Diagnostic{.field = "sessions." + std::string(key),
                                        .message = "expected a string"});
          }
          return std::string(v->as_string());
        };
        state.sessions.push_back(PersistedSession{str("id"), str("account"), str("camera")});
      }
    }
    replay_journal(journal_path(), state);
    return state;
  } catch (const InputError& e) {
    std::vector<Diagnostic> located = e.diagnostics();
    for (auto& d : located) {
      if (d.file.empty()) d.file = path_;
    }
    throw InputError(std::move(located));
  }
}

void StateFile::save(const Provisioning& provisioning,
                     const std::vector<PersistedSession>& sessions, uint64_t seq) const {
  boost::json::array list;
  for (const auto& s : sessions) {
    list.push_back(boost::json::object{{"id", s.id}, {"account", s.account}, {"camera", s.camera}});
  }
  const boost::json::object root{{"version", kStateVersion},
                                 {"seq", seq},
                                 {"provisioning", provisioning.to_json()},
                                 {"sessions", std::move(list)}};
  const std::string data = boost::json::serialize(root) + "\n";

  const std::filesystem::path target(path_);
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
  const std::string tmp = path_ + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw HarnessError("cannot create " + tmp + ": " + std::strerror(errno));
  try {
    write_all_or_throw(fd, data, tmp);
    if (::fsync(fd) != 0) throw HarnessError("cannot fsync " + tmp + ": " + std::strerror(errno));
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path_.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    throw HarnessError("cannot replace " + path_ + ": " + why);
  }
  // Make the rename itself durable.
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace camleak::relay
