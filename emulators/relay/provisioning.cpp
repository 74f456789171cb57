#include "emulators/relay/provisioning.hpp"

#include <boost/json.hpp>

#include "harness/core/errors.hpp"

namespace camleak::relay {

std::string check_name(std::string_view name) {
  if (name.empty()) return "must not be empty";
  if (name.size() > 64) return "must be at most 64 characters";
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return "may only contain letters, digits, '.', '_' and '-'";
  }
  return {};
}

std::string check_secret(std::string_view secret) {
  if (secret.empty()) return "must not be empty";
  if (secret.size() > 256) return "must be at most 256 characters";
  for (char c : secret) {
    if (c <= 0x20 || c >= 0x7f) return "must be printable ASCII without spaces";
  }
  return {};
}

bool secrets_equal(std::string_view a, std::string_view b) {
  // Length is not secret (tokens have fixed formats); the content comparison is branch-free.
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

void Provisioning::put_account(const std::string& account, std::string token) {
  accounts_[account].token = std::move(token);
  ++generation_;
}

void Provisioning::put_camera(const std::string& camera, std::string owner, std::string secret) {
  auto& record = cameras_[camera];
  if (record.owner != owner) record.shares.clear();  // a new owner starts with no shares
  record.owner = std::move(owner);
  record.secret = std::move(secret);
  ++generation_;
}

bool Provisioning::put_share(const std::string& camera, const std::string& account) {
  const auto it = cameras_.find(camera);
  if (it == cameras_.end()) return false;
  it->second.shares.insert(account);
  ++generation_;
  return true;
}

bool Provisioning::delete_share(const std::string& camera, const std::string& account) {
  const auto it = cameras_.find(camera);
  if (it == cameras_.end()) return false;
  it->second.shares.erase(account);
  ++generation_;
  return true;
}

const AccountRecord* Provisioning::account(std::string_view name) const {
  const auto it = accounts_.find(name);
  return it == accounts_.end() ? nullptr : &it->second;
}

const CameraRecord* Provisioning::camera(std::string_view name) const {
  const auto it = cameras_.find(name);
  return it == cameras_.end() ? nullptr : &it->second;
}

bool Provisioning::can_view(std::string_view account, std::string_view camera) const {
  const CameraRecord* record = this->camera(camera);
  if (record == nullptr || this->account(account) == nullptr) return false;
  return record->owner == account || record->shares.contains(std::string(account));
}

bool Provisioning::token_valid(std::string_view account, std::string_view token) const {
  const AccountRecord* record = this->account(account);
  return record != nullptr && secrets_equal(record->token, token);
}

bool Provisioning::camera_secret_valid(std::string_view camera, std::string_view secret) const {
  const CameraRecord* record = this->camera(camera);
  return record != nullptr && secrets_equal(record->secret, secret);
}

std::vector<std::string> Provisioning::accounts_with_token(std::string_view token) const {
  std::vector<std::string> out;
  for (const auto& [name, record] : accounts_) {
    if (secrets_equal(record.token, token)) out.push_back(name);
  }
  return out;
}

size_t Provisioning::share_count() const {
  size_t n = 0;
  for (const auto& [_, record] : cameras_) n += record.shares.size();
  return n;
}

boost::json::value Provisioning::to_json() const {
  boost::json::object accounts;
  for (const auto& [name, record] : accounts_) {
    accounts[name] = boost::json::object{{"token", record.token}};
  }
  boost::json::object cameras;
  for (const auto& [name, record] : cameras_) {
    boost::json::array shares;
    for (const auto& s : record.shares) shares.emplace_back(s);
    cameras[name] = boost::json::object{
        {"owner", record.owner}, {"secret", record.secret}, {"shares", std::move(shares)}};
  }
  return boost::json::object{{"accounts", std::move(accounts)}, {"cameras", std::move(cameras)}};
}

namespace {

std::string string_field(const boost::json::object& object, std::string_view key,
                         const std::string& path, bool secret) {
  const auto* v = object.if_contains(key);
  const std::string field = path + "." + std::string(key);
  if (v == nullptr || !v->is_string())
    throw InputError(Diagnostic{.field = field, .message = "expected a string"});
  std::string s(v->as_string());
  const std::string problem = secret ? check_secret(s) : check_name(s);
  if (!problem.empty()) throw InputError(Diagnostic{.field = field, .message = problem});
  return s;
}

}  // namespace

Provisioning Provisioning::from_json(const boost::json::value& json) {
  Provisioning out;
  const auto* root = json.if_object();
  if (root == nullptr)
    throw InputError(Diagnostic{.field = "provisioning", .message = "expected an object"});
  if (const auto* accounts = root->if_contains("accounts")) {
    if (!accounts->is_object())
      throw InputError(Diagnostic{.field = "accounts", .message = "expected an object"});
    for (const auto& [name, v] : accounts->as_object()) {
      const std::string path = "accounts." + std::string(name);
      if (const std::string problem = check_name(name); !problem.empty()) {
        throw InputError(Diagnostic{.field = path, .message = "account name " + problem});
      }
      if (!v.is_object())
        throw InputError(Diagnostic{.field = path, .message = "expected an object"});
      out.accounts_[std::string(name)].token = string_field(v.as_object(), "token", path, true);
    }
  }
  if (const auto* cameras = root->if_contains("cameras")) {
    if (!cameras->is_object())
      throw InputError(Diagnostic{.field = "cameras", .message = "expected an object"});
    for (const auto& [name, v] : cameras->as_object()) {
      const std::string path = "cameras." + std::string(name);
      if (const std::string problem = check_name(name); !problem.empty()) {
        throw InputError(Diagnostic{.field = path, .message = "camera name " + problem});
      }
      if (!v.is_object())
        throw InputError(Diagnostic{.field = path, .message = "expected an object"});
      CameraRecord record;
      record.owner = string_field(v.as_object(), "owner", path, false);
      record.secret = string_field(v.as_object(), "secret", path, true);
      if (const auto* shares = v.as_object().if_contains("shares")) {
        if (!shares->is_array())
          throw InputError(Diagnostic{.field = path + ".shares", .message = "expected a list"});
        for (const auto& s : shares->as_array()) {
          if (!s.is_string() || !check_name(s.as_string()).empty()) {
            throw InputError(
                Diagnostic{.field = path + ".shares", .message = "expected account names"});
          }
          record.shares.insert(std::string(s.as_string()));
        }
      }
      out.cameras_[std::string(name)] = std::move(record);
    }
  }
  return out;
}

}  // namespace camleak::relay
