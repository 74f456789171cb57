#pragma once
// The relay's "database": accounts with their tokens, cameras with owner and secret, and the
// shares that let other accounts watch a camera. Pure data, no I/O; the state file
// (state_file.hpp) persists it. Every change bumps generation() so watchers (the revocation
// check) know to look again.
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace camleak::relay {

struct AccountRecord {
  std::string token;
};

struct CameraRecord {
  std::string owner;
  std::string secret;
  std::set<std::string> shares;  // accounts that may watch besides the owner
};

// "" when `name` is a valid account or camera name (1..64 of [A-Za-z0-9._-]), else why not.
std::string check_name(std::string_view name);
// "" when `secret` is a usable token or camera secret (1..256 printable ASCII, no spaces).
std::string check_secret(std::string_view secret);
// Compares secrets in time independent of where they differ.
bool secrets_equal(std::string_view a, std::string_view b);

class Provisioning {
 public:
  // Callers validate names and secrets first (check_name / check_secret).
  void put_account(const std::string& account, std::string token);
  void put_camera(const std::string& camera, std::string owner, std::string secret);
  // False when the camera is unknown. Sharing to an account not (yet) provisioned is allowed:
  // it grants nothing until that account exists.
  bool put_share(const std::string& camera, const std::string& account);
  bool delete_share(const std::string& camera, const std::string& account);

  const AccountRecord* account(std::string_view name) const;
  const CameraRecord* camera(std::string_view name) const;

  // Owner or a current share, and the account exists.
  bool can_view(std::string_view account, std::string_view camera) const;
  // The account exists and `token` is its current token.
  bool token_valid(std::string_view account, std::string_view token) const;
  bool camera_secret_valid(std::string_view camera, std::string_view secret) const;
  // Accounts whose token is `token` (Bearer auth names no account).
  std::vector<std::string> accounts_with_token(std::string_view token) const;

  uint64_t generation() const { return generation_; }
  size_t account_count() const { return accounts_.size(); }
  size_t camera_count() const { return cameras_.size(); }
  size_t share_count() const;

  boost::json::value to_json() const;
  // Throws InputError naming the field when the JSON does not describe a valid store.
  static Provisioning from_json(const boost::json::value& json);

 private:
  std::map<std::string, AccountRecord, std::less<>> accounts_;
  std::map<std::string, CameraRecord, std::less<>> cameras_;
  uint64_t generation_ = 0;
};

}  // namespace camleak::relay
