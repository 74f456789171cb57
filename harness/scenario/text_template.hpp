#pragma once
// A text with {name} placeholders, as an adapter writes its URLs, headers, bodies and commands
// ("rtsp://{host}:{rtsp_port}/live/{camera}"). Parsed once when the adapter is read, so a
// misspelt placeholder is an error at file:line:col rather than a request to a wrong URL; then
// expanded per call with the run's values, each escaped for where it lands (a URL component, a
// shell word). "{{" and "}}" stand for literal braces. Pure.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace camleak::scenario {

// How an expanded value is written into the text around it.
enum class Escape {
  none,           // as is (header values, JSON strings: the JSON writer escapes them)
  url_component,  // percent-encoded except RFC 3986 unreserved characters
  shell_word,     // one POSIX sh word in single quotes, whatever it holds
};

class TextTemplate {
 public:
  TextTemplate() = default;
  // Throws std::invalid_argument saying what is wrong ("unclosed {", "empty placeholder {}").
  explicit TextTemplate(std::string_view text);

  const std::string& text() const { return text_; }
  bool empty() const { return text_.empty(); }
  // Placeholder names in order of appearance (repeats included).
  std::vector<std::string> names() const;
  // The text with every placeholder replaced by lookup(name), escaped. A name lookup does not
  // know throws std::out_of_range naming it (the reader checked names, so this is a bug).
  std::string expand(const std::function<std::optional<std::string>(std::string_view)>& lookup,
                     Escape escape = Escape::none) const;

 private:
  struct Piece {
    std::string text;
    bool placeholder = false;
  };
  std::string text_;
  std::vector<Piece> pieces_;
};

std::string escape_value(std::string_view value, Escape escape);

}  // namespace camleak::scenario
