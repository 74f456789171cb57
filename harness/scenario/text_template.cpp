#include "harness/scenario/text_template.hpp"

#include <stdexcept>

namespace camleak::scenario {
namespace {

bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

std::string escape_value(std::string_view value, Escape escape) {
  switch (escape) {
    case Escape::none:
      return std::string(value);
    case Escape::url_component: {
      static constexpr char kHex[] = "0123456789ABCDEF";
      std::string out;
      for (const char c : value) {
        if (unreserved(c)) {
          out += c;
          continue;
        }
        const auto b = static_cast<unsigned char>(c);
        out += '%';
        out += kHex[b >> 4];
        out += kHex[b & 0xF];
      }
      return out;
    }
    case Escape::shell_word: {
      std::string out = "'";
      for (const char c : value) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
      return out + "'";
    }
  }
  return std::string(value);
}

TextTemplate::TextTemplate(std::string_view text) : text_(text) {
  std::string literal;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '}') {
      if (i + 1 < text.size() && text[i + 1] == '}') {
        literal += '}';
        ++i;
        continue;
      }
      throw std::invalid_argument("a lone } at offset " + std::to_string(i) +
                                  " (write }} for a brace)");
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {
      literal += '{';
      ++i;
      continue;
    }
    const size_t close = text.find('}', i + 1);
    if (close == std::string_view::npos)
      throw std::invalid_argument("unclosed { at offset " + std::to_string(i));
    const std::string_view name = text.substr(i + 1, close - i - 1);
    if (name.empty())
      throw std::invalid_argument("empty placeholder {} at offset " + std::to_string(i));
    if (name.find('{') != std::string_view::npos)
      throw std::invalid_argument("a { inside the placeholder at offset " + std::to_string(i));
    if (!literal.empty()) pieces_.push_back({std::move(literal), false});
    literal.clear();
    pieces_.push_back({std::string(name), true});
    i = close;
  }
  if (!literal.empty()) pieces_.push_back({std::move(literal), false});
}

std::vector<std::string> TextTemplate::names() const {
  std::vector<std::string> out;
  for (const auto& p : pieces_)
    if (p.placeholder) out.push_back(p.text);
  return out;
}

std::string TextTemplate::expand(
    const std::function<std::optional<std::string>(std::string_view)>& lookup,
    Escape escape) const {
  std::string out;
  for (const auto& p : pieces_) {
    if (!p.placeholder) {
      out += p.text;
      continue;
    }
    const auto value = lookup(p.text);
    if (!value) throw std::out_of_range("no value for the placeholder {" + p.text + "}");
    out += escape_value(*value, escape);
  }
  return out;
}

}  // namespace camleak::scenario
