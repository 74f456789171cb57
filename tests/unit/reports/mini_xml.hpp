#pragma once
// A strict little XML reader for tests: enough to prove a document is well-formed (balanced
// tags, quoted attributes, only known entities, no raw '<' or '&' in text, one root) and to walk
// its elements. Throws std::runtime_error with the offset on anything it does not accept.
#include <cctype>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace camleak::reports::test {

struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::vector<std::unique_ptr<XmlElement>> children;
  std::string text;  // unescaped character data directly inside

  std::vector<const XmlElement*> all(const std::string& tag) const {
    std::vector<const XmlElement*> out;
    for (const auto& c : children) {
      if (c->name == tag) out.push_back(c.get());
      auto deeper = c->all(tag);
      out.insert(out.end(), deeper.begin(), deeper.end());
    }
    return out;
  }
};

class MiniXml {
 public:
  static std::unique_ptr<XmlElement> parse(const std::string& text) {
    MiniXml p(text);
    p.skip_space();
    if (p.starts("<?xml")) p.pos_ = p.find("?>") + 2;
    p.skip_space();
    auto root = p.element();
    p.skip_space();
    if (p.pos_ != text.size()) p.fail("content after the root element");
    return root;
  }

 private:
  explicit MiniXml(const std::string& text) : s_(text) {}

  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("XML error at " + std::to_string(pos_) + ": " + why);
  }
  bool starts(const char* prefix) const {
    return s_.compare(pos_, std::char_traits<char>::length(prefix), prefix) == 0;
  }
  size_t find(const char* what) const {
    const size_t at = s_.find(what, pos_);
    if (at == std::string::npos) fail(std::string("missing ") + what);
    return at;
  }
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  std::string name() {
    const size_t start = pos_;
    while (pos_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_' ||
            s_[pos_] == '-' || s_[pos_] == ':' || s_[pos_] == '.'))
      ++pos_;
    if (pos_ == start) fail("expected a name");
    return s_.substr(start, pos_ - start);
  }
  // "#39" or "#x27" as UTF-8.
  std::string code_point(const std::string& entity) const {
    const bool hex = entity.size() > 2 && entity[1] == 'x';
    const std::string digits = entity.substr(hex ? 2 : 1);
    if (digits.empty() || digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") !=
                              std::string::npos)
      fail("bad character reference &" + entity + ";");
    const unsigned long cp = std::stoul(digits, nullptr, hex ? 16 : 10);
    std::string out;
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return out;
  }
  std::string unescape(const std::string& raw) const {
    std::string out;
    for (size_t i = 0; i < raw.size(); ++i) {
      const char c = raw[i];
      if (c == '<') fail("raw '<' in character data");
      const auto code = static_cast<unsigned char>(c);
      if (code < 0x20 && c != '\t' && c != '\n' && c != '\r') fail("control character");
      if (c != '&') {
        out += c;
        continue;
      }
      const size_t end = raw.find(';', i);
      if (end == std::string::npos) fail("unterminated entity");
      const std::string entity = raw.substr(i + 1, end - i - 1);
      if (entity == "amp")
        out += '&';
      else if (entity == "lt")
        out += '<';
      else if (entity == "gt")
        out += '>';
      else if (entity == "quot")
        out += '"';
      else if (entity == "apos")
        out += '\'';
      else if (entity.size() > 1 && entity[0] == '#')
        out += code_point(entity);
      else
        fail("unknown entity &" + entity + ";");
      i = end;
    }
    return out;
  }
  std::unique_ptr<XmlElement> element() {
    if (pos_ >= s_.size() || s_[pos_] != '<') fail("expected '<'");
    ++pos_;
    auto e = std::make_unique<XmlElement>();
    e->name = name();
    for (;;) {
      skip_space();
      if (starts("/>")) {
        pos_ += 2;
        return e;
      }
      if (starts(">")) {
        ++pos_;
        break;
      }
      const std::string key = name();
      skip_space();
      if (!starts("=")) fail("expected '=' after attribute " + key);
      ++pos_;
      skip_space();
      if (!starts("\"")) fail("attribute " + key + " not double-quoted");
      const size_t end = s_.find('"', pos_ + 1);
      if (end == std::string::npos) fail("unterminated attribute");
      const std::string raw = s_.substr(pos_ + 1, end - pos_ - 1);
      if (!e->attributes.emplace(key, unescape(raw)).second) fail("duplicate attribute " + key);
      pos_ = end + 1;
    }
    for (;;) {
      const size_t next = s_.find('<', pos_);
      if (next == std::string::npos) fail("unclosed element " + e->name);
      e->text += unescape(s_.substr(pos_, next - pos_));
      pos_ = next;
      if (starts("</")) {
        pos_ += 2;
        if (name() != e->name) fail("mismatched closing tag for " + e->name);
        skip_space();
        if (!starts(">")) fail("expected '>'");
        ++pos_;
        return e;
      }
      e->children.push_back(element());
    }
  }

  const std::string& s_;
  size_t pos_ = 0;
};

}  // namespace camleak::reports::test
