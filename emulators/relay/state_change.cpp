#include "emulators/relay/state_change.hpp"

#include <boost/json.hpp>

#include "harness/core/errors.hpp"

namespace camleak::relay {

namespace {

constexpr std::string_view kind_name(StateChange::Kind kind) {
  switch (kind) {
    case StateChange::Kind::account:
      return "account";
    case StateChange::Kind::camera:
      return "camera";
    case StateChange::Kind::share:
      return "share";
    case StateChange::Kind::unshare:
      return "unshare";
    case StateChange::Kind::sessions:
      return "sessions";
  }
  return "?";
}

[[noreturn]] void bad(std::string field, std::string message) {
  throw InputError(Diagnostic{.field = std::move(field), .message = std::move(message)});
}

// A string member that passes `check` (check_name / check_secret; null: any string).
std::string member(const boost::json::object& o, std::string_view key,
                   std::string (*check)(std::string_view)) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) bad(std::string(key), "expected a string");
  std::string s(v->as_string());
  if (check != nullptr) {
    if (const std::string problem = check(s); !problem.empty()) bad(std::string(key), problem);
  }
  return s;
}

}  // namespace

StateChange StateChange::account(std::string account, std::string token) {
  return StateChange{
      .kind = Kind::account, .subject = std::move(account), .secret = std::move(token)};
}
StateChange StateChange::camera(std::string camera, std::string owner, std::string secret) {
  return StateChange{.kind = Kind::camera,
                     .subject = std::move(camera),
                     .other = std::move(owner),
                     .secret = std::move(secret)};
}
StateChange StateChange::share(std::string camera, std::string account) {
  return StateChange{
      .kind = Kind::share, .subject = std::move(camera), .other = std::move(account)};
}
StateChange StateChange::unshare(std::string camera, std::string account) {
  return StateChange{
      .kind = Kind::unshare, .subject = std::move(camera), .other = std::move(account)};
}
StateChange StateChange::session_set(std::vector<PersistedSession> sessions) {
  return StateChange{.kind = Kind::sessions, .sessions = std::move(sessions)};
}

std::string encode_change(const StateChange& change, uint64_t seq) {
  boost::json::object o{{"seq", seq}, {"op", kind_name(change.kind)}};
  switch (change.kind) {
    case StateChange::Kind::account:
      o["account"] = change.subject;
      o["token"] = change.secret;
      break;
    case StateChange::Kind::camera:
      o["camera"] = change.subject;
      o["owner"] = change.other;
      o["secret"] = change.secret;
      break;
    case StateChange::Kind::share:
    case StateChange::Kind::unshare:
      o["camera"] = change.subject;
      o["account"] = change.other;
      break;
    case StateChange::Kind::sessions: {
      boost::json::array list;
      for (const auto& s : change.sessions) {
        list.push_back(
            boost::json::object{{"id", s.id}, {"account", s.account}, {"camera", s.camera}});
      }
      o["sessions"] = std::move(list);
      break;
    }
  }
  return boost::json::serialize(o) + "\n";
}

std::optional<JournalRecord> decode_change(std::string_view line) {
  boost::system::error_code ec;
  const boost::json::value json = boost::json::parse(line, ec);
  // A write cut short is never a complete object: it is the torn tail, not a corrupt record.
  if (ec || !json.is_object()) return std::nullopt;
  const auto& o = json.as_object();
  JournalRecord record;
  const auto* seq = o.if_contains("seq");
  if (seq == nullptr || !seq->is_number()) bad("seq", "expected a sequence number");
  boost::system::error_code nec;
  record.seq = seq->to_number<uint64_t>(nec);
  if (nec) bad("seq", "expected a sequence number");
  const std::string op = member(o, "op", nullptr);
  StateChange& c = record.change;
  if (op == "account") {
    c = StateChange::account(member(o, "account", check_name), member(o, "token", check_secret));
  } else if (op == "camera") {
    c = StateChange::camera(member(o, "camera", check_name), member(o, "owner", check_name),
                            member(o, "secret", check_secret));
  } else if (op == "share" || op == "unshare") {
    std::string camera = member(o, "camera", check_name);
    std::string account = member(o, "account", check_name);
    c = op == "share" ? StateChange::share(std::move(camera), std::move(account))
                      : StateChange::unshare(std::move(camera), std::move(account));
  } else if (op == "sessions") {
    const auto* list = o.if_contains("sessions");
    if (list == nullptr || !list->is_array()) bad("sessions", "expected a list");
    c.kind = StateChange::Kind::sessions;
    for (const auto& s : list->as_array()) {
      if (!s.is_object()) bad("sessions", "expected objects");
      const auto& so = s.as_object();
      c.sessions.push_back(PersistedSession{member(so, "id", nullptr),
                                            member(so, "account", nullptr),
                                            member(so, "camera", nullptr)});
    }
  } else {
    bad("op", "unknown change `" + op + "`");
  }
  return record;
}

void apply_change(const StateChange& change, RelayState& state) {
  Provisioning& p = state.provisioning;
  switch (change.kind) {
    case StateChange::Kind::account:
      p.put_account(change.subject, change.secret);
      break;
    case StateChange::Kind::camera:
      p.put_camera(change.subject, change.other, change.secret);
      break;
    // A share of a camera unknown at that point was refused (404) and never journaled.
    case StateChange::Kind::share:
      p.put_share(change.subject, change.other);
      break;
    case StateChange::Kind::unshare:
      p.delete_share(change.subject, change.other);
      break;
    case StateChange::Kind::sessions:
      state.sessions = change.sessions;
      break;
  }
}

}  // namespace camleak::relay
