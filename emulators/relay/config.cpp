#include "emulators/relay/config.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "harness/core/errors.hpp"
#include "harness/core/suggest.hpp"
#include "harness/core/units.hpp"
#include "harness/tls/context.hpp"

namespace camleak::relay {

ListenAddress parse_listen_address(std::string_view text) {
  const auto bad = [&](const std::string& why) {
    return std::invalid_argument("expected HOST:PORT such as 127.0.0.1:8554 or [::1]:0, got `" +
                                 std::string(text) + "` (" + why + ")");
  };
  const AuthorityParse parsed = parse_authority(text);
  if (!parsed.authority) throw bad(parsed.error);
  if (parsed.authority->host.empty()) throw bad("missing host");
  if (!parsed.authority->port) throw bad("missing port");
  return ListenAddress{parsed.authority->host, *parsed.authority->port};
}

namespace {

class ConfigReader {
 public:
  explicit ConfigReader(std::string file) : file_(std::move(file)) {}

  void error(const YAML::Node& node, const std::string& field, const std::string& message) {
    const YAML::Mark mark = node.Mark();
    diagnostics_.push_back(Diagnostic{.file = file_,
                                      .line = mark.line >= 0 ? mark.line + 1 : 0,
                                      .column = mark.column >= 0 ? mark.column + 1 : 0,
                                      .field = field,
                                      .message = message});
  }

  // Calls `handler` for each known key; unknown keys are errors with a suggestion.
  void map(const YAML::Node& node, const std::string& path,
           const std::map<std::string, std::function<void(const YAML::Node&, const std::string&)>>&
               handlers) {
    if (!node.IsMap()) {
      error(node, path.empty() ? "(top level)" : path, "expected a mapping");
      return;
    }
    std::vector<std::string> known;
    for (const auto& [key, _] : handlers) known.push_back(key);
    for (const auto& item : node) {
      const std::string key = item.first.Scalar();
      const std::string field = path.empty() ? key : path + "." + key;
      const auto it = handlers.find(key);
      if (it == handlers.end()) {
        error(item.first, field, "unknown key" + did_you_mean(key, known));
        continue;
      }
      it->second(item.second, field);
    }
  }

  bool scalar(const YAML::Node& node, const std::string& field, std::string& out) {
    if (!node.IsScalar()) {
      error(node, field, "expected a value");
      return false;
    }
    out = node.Scalar();
    return true;
  }

  void address(const YAML::Node& node, const std::string& field, ListenAddress& out) {
    std::string text;
    if (!scalar(node, field, text)) return;
    try {
      out = parse_listen_address(text);
    } catch (const std::invalid_argument& e) {
      error(node, field, e.what());
    }
  }

  void duration(const YAML::Node& node, const std::string& field, std::chrono::milliseconds& out,
                std::chrono::milliseconds min) {
    std::string text;
    if (!scalar(node, field, text)) return;
    try {
      const auto value =
          std::chrono::duration_cast<std::chrono::milliseconds>(units::parse_duration(text));
      if (value < min) {
        error(node, field, "must be at least " + units::format_duration(min));
        return;
      }
      out = value;
    } catch (const std::invalid_argument& e) {
      error(node, field, e.what());
    }
  }

  void size(const YAML::Node& node, const std::string& field, size_t& out, size_t min) {
    std::string text;
    if (!scalar(node, field, text)) return;
    try {
      const uint64_t value = units::parse_size_bytes(text);
      if (value < min) {
        error(node, field, "must be at least " + std::to_string(min));
        return;
      }
      out = static_cast<size_t>(value);
    } catch (const std::invalid_argument& e) {
      error(node, field, e.what());
    }
  }

  void integer(const YAML::Node& node, const std::string& field, int64_t& out, int64_t min,
               int64_t max) {
    std::string text;
    if (!scalar(node, field, text)) return;
    int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < min ||
        value > max) {
      error(node, field,
            "expected an integer in " + std::to_string(min) + ".." + std::to_string(max) +
                ", got `" + text + "`");
      return;
    }
    out = value;
  }

  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }

 private:
  std::string file_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace

RelayConfig parse_relay_config(std::string_view yaml_text, const std::string& file_name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::ParserException& e) {
    throw InputError(Diagnostic{.file = file_name,
                                .line = e.mark.line >= 0 ? e.mark.line + 1 : 0,
                                .column = e.mark.column >= 0 ? e.mark.column + 1 : 0,
                                .message = e.msg});
  }
  RelayConfig config;
  if (!root || root.IsNull()) return config;  // an empty file: every default
  ConfigReader r(file_name);
  using Handler = std::function<void(const YAML::Node&, const std::string&)>;
  std::map<std::string, Handler> top;
  top["listen"] = [&](const YAML::Node& n, const std::string& p) {
    r.map(
        n, p,
        {{"rtsp", [&](const YAML::Node& v, const std::string& f) { r.address(v, f, config.rtsp); }},
         {"http", [&](const YAML::Node& v, const std::string& f) { r.address(v, f, config.http); }},
         {"admin",
          [&](const YAML::Node& v, const std::string& f) { r.address(v, f, config.admin); }}});
  };
  top["state_file"] = [&](const YAML::Node& n, const std::string& p) {
    r.scalar(n, p, config.state_file);
  };
  top["seed"] = [&](const YAML::Node& n, const std::string& p) {
    int64_t v = 0;
    r.integer(n, p, v, 0, INT64_MAX);
    config.seed = static_cast<uint64_t>(v);
  };
  top["realm"] = [&](const YAML::Node& n, const std::string& p) {
    if (r.scalar(n, p, config.realm) && config.realm.find('"') != std::string::npos) {
      r.error(n, p, "must not contain a double quote");
    }
  };
  top["layout"] = [&](const YAML::Node& n, const std::string& p) {
    std::string text;
    if (!r.scalar(n, p, text)) return;
    if (const auto layout = parse_layout(text))
      config.layout = *layout;
    else
      r.error(n, p, "expected contract or cloud, got \"" + text + "\"");
  };
  top["admin_key"] = [&](const YAML::Node& n, const std::string& p) {
    r.scalar(n, p, config.admin_key);
  };
  top["defects"] = [&](const YAML::Node& n, const std::string& p) {
    if (!n.IsSequence()) {
      r.error(
          n, p, "expected a list of defect names: " + [] {
            std::string all;
            for (const auto& name : defect_names()) all += (all.empty() ? "" : ", ") + name;
            return all;
          }());
      return;
    }
    for (size_t i = 0; i < n.size(); ++i) {
      const std::string field = p + "[" + std::to_string(i) + "]";
      std::string name;
      if (!r.scalar(n[i], field, name)) continue;
      if (const auto d = parse_defect(name)) {
        config.defects.set(*d);
      } else {
        r.error(n[i], field, "unknown defect `" + name + "`" + did_you_mean(name, defect_names()));
      }
    }
  };
  top["timeouts"] = [&](const YAML::Node& n, const std::string& p) {
    auto& t = config.timeouts;
    r.map(n, p,
          {{"session",
            [&](const YAML::Node& v, const std::string& f) {
              r.duration(v, f, t.session, std::chrono::milliseconds{100});
            }},
           {"ingest",
            [&](const YAML::Node& v, const std::string& f) {
              r.duration(v, f, t.ingest, std::chrono::milliseconds{100});
            }},
           {"write_stall",
            [&](const YAML::Node& v, const std::string& f) {
              r.duration(v, f, t.write_stall, std::chrono::milliseconds{100});
            }},
           {"revoke_check",
            [&](const YAML::Node& v, const std::string& f) {
              r.duration(v, f, t.revoke_check, std::chrono::milliseconds{10});
            }},
           {"http_idle", [&](const YAML::Node& v, const std::string& f) {
              r.duration(v, f, t.http_idle, std::chrono::milliseconds{100});
            }}});
  };
  top["snapshot"] = [&](const YAML::Node& n, const std::string& p) {
    r.map(n, p,
          {{"ttl",
            [&](const YAML::Node& v, const std::string& f) {
              r.duration(v, f, config.snapshot_ttl, std::chrono::milliseconds{0});
            }},
           {"quality", [&](const YAML::Node& v, const std::string& f) {
              int64_t q = config.snapshot_quality;
              r.integer(v, f, q, 1, 100);
              config.snapshot_quality = static_cast<int>(q);
            }}});
  };
  top["limits"] = [&](const YAML::Node& n, const std::string& p) {
    auto& l = config.limits;
    r.map(
        n, p,
        {{"max_connections",
          [&](const YAML::Node& v, const std::string& f) {
            int64_t c = static_cast<int64_t>(l.max_connections);
            r.integer(v, f, c, 1, 1'000'000);
            l.max_connections = static_cast<size_t>(c);
          }},
         {"max_header_bytes",
          [&](const YAML::Node& v, const std::string& f) {
            r.size(v, f, l.max_header_bytes, 1024);
          }},
         {"max_body_bytes",
          [&](const YAML::Node& v, const std::string& f) { r.size(v, f, l.max_body_bytes, 1024); }},
         {"max_access_unit_bytes",
          [&](const YAML::Node& v, const std::string& f) {
            r.size(v, f, l.max_access_unit_bytes, 1024);
          }},
         {"max_viewer_queue_bytes",
          [&](const YAML::Node& v, const std::string& f) {
            r.size(v, f, l.max_viewer_queue_bytes, 16 * 1024);
          }},
         {"max_gop_bytes", [&](const YAML::Node& v,
                               const std::string& f) { r.size(v, f, l.max_gop_bytes, 16 * 1024); }},
         {"max_gop_frames", [&](const YAML::Node& v, const std::string& f) {
            int64_t c = static_cast<int64_t>(l.max_gop_frames);
            r.integer(v, f, c, 1, 100'000);
            l.max_gop_frames = static_cast<size_t>(c);
          }}});
  };
  top["tls"] = [&](const YAML::Node& n, const std::string& p) {
    tls::TlsServerSettings settings;
    const size_t problems = r.diagnostics().size();
    r.map(n, p,
          {{"cert",
            [&](const YAML::Node& v, const std::string& f) { r.scalar(v, f, settings.cert_file); }},
           {"key",
            [&](const YAML::Node& v, const std::string& f) { r.scalar(v, f, settings.key_file); }},
           {"client_ca", [&](const YAML::Node& v, const std::string& f) {
              r.scalar(v, f, settings.client_ca_file);
            }}});
    if (r.diagnostics().size() != problems) return;
    if (settings.cert_file.empty())
      return r.error(n, p + ".cert", "a certificate file is required");
    // Loaded once here so a bad file is reported at its line, not when the relay starts.
    try {
      tls::make_server_context(settings);
    } catch (const InputError& e) {
      for (const Diagnostic& d : e.diagnostics()) {
        const YAML::Node key = n[d.field.substr(d.field.rfind('.') + 1)];
        r.error(key ? key : n, d.field, (d.file.empty() ? "" : "`" + d.file + "`: ") + d.message);
      }
      return;
    }
    config.tls = std::move(settings);
  };
  r.map(root, "", top);
  if (!r.diagnostics().empty()) throw InputError(std::move(r.diagnostics()));
  return config;
}

RelayConfig load_relay_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(Diagnostic{.file = path, .message = "cannot open the relay config file"});
  std::stringstream text;
  text << in.rdbuf();
  return parse_relay_config(text.str(), path);
}

}  // namespace camleak::relay
