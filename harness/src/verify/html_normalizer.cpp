#include "verify/html_normalizer.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

#include "verify/fortunes.h"

namespace bench::verify {

namespace {

bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == ':'; }

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

void append_utf8(std::string& out, uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Decodes the reference body between '&' and ';' ("quot", "#34", "#x22"); false if it is not one we know.
bool decode_reference(std::string_view name, std::string& out) {
  struct Named {
    std::string_view name;
    uint32_t code;
  };
  static constexpr Named kNamed[] = {{"quot", 0x22}, {"apos", 0x27}, {"amp", 0x26},    {"lt", 0x3C},
                                     {"gt", 0x3E},   {"nbsp", 0xA0}, {"mdash", 0x2014}};
  if (name.size() > 1 && name[0] == '#') {
    int base = 10;
    name.remove_prefix(1);
    if (!name.empty() && (name[0] == 'x' || name[0] == 'X')) {
      base = 16;
      name.remove_prefix(1);
    }
    uint32_t code = 0;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), code, base);
    if (ec != std::errc() || end != name.data() + name.size() || code == 0 || code > 0x10FFFF) return false;
    append_utf8(out, code);
    return true;
  }
  for (const auto& entity : kNamed) {
    if (name == entity.name) {
      append_utf8(out, entity.code);
      return true;
    }
  }
  return false;
}

// The position of the '>' closing a tag that starts at `from`, skipping quoted attribute values.
size_t tag_end(std::string_view html, size_t from) {
  char quote = 0;
  for (size_t i = from; i < html.size(); ++i) {
    const char c = html[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i;
    }
  }
  return std::string_view::npos;
}

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view html) : html_(html) {}

  std::vector<HtmlToken> run() {
    while (pos_ < html_.size()) {
      if (html_[pos_] != '<' || !markup()) text_ += html_[pos_++];
    }
    flush_text();
    return std::move(tokens_);
  }

 private:
  // Consumes one piece of markup at pos_ ('<'); false when the '<' is plain text.
  bool markup() {
    const std::string_view rest = html_.substr(pos_);
    if (rest.rfind("<!--", 0) == 0) {
      const size_t end = html_.find("-->", pos_ + 4);
      flush_text();
      pos_ = end == std::string_view::npos ? html_.size() : end + 3;
      return true;
    }
    if (rest.size() < 2) return false;
    const char next = rest[1];
    const bool closing = next == '/';
    if (next != '!' && next != '?' && !is_alpha(next) && !(closing && rest.size() > 2 && is_alpha(rest[2]))) {
      return false;
    }
    const size_t end = tag_end(html_, pos_ + 1);
    if (end == std::string_view::npos) return false;
    flush_text();
    const std::string_view inner = html_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    if (next == '!' || next == '?') {
      tag("<" + lower(inner) + ">");
      return true;
    }
    size_t name_end = closing ? 1 : 0;
    while (name_end < inner.size() && is_name_char(inner[name_end])) ++name_end;
    const std::string name = lower(inner.substr(closing ? 1 : 0, name_end - (closing ? 1 : 0)));
    if (closing) {
      tag("</" + name + ">");
    } else {
      tag("<" + name + ">");
      if (!inner.empty() && inner.back() == '/') tag("</" + name + ">");  // <br/> is a start and an end tag
    }
    return true;
  }

  void tag(std::string value) { tokens_.push_back({HtmlToken::Kind::tag, std::move(value)}); }

  void flush_text() {
    const bool blank = std::all_of(text_.begin(), text_.end(), [](unsigned char c) { return std::isspace(c); });
    if (!blank) tokens_.push_back({HtmlToken::Kind::text, escape_html(decode_entities(text_))});
    text_.clear();
  }

  std::string_view html_;
  size_t pos_ = 0;
  std::string text_;
  std::vector<HtmlToken> tokens_;
};

}  // namespace

std::string decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '&') {
      const size_t semi = text.find(';', i + 1);
      if (semi != std::string_view::npos && semi - i <= 10 && decode_reference(text.substr(i + 1, semi - i - 1), out)) {
        i = semi + 1;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

std::vector<HtmlToken> normalize_html(std::string_view html) { return Tokenizer(html).run(); }

std::string join_tokens(const std::vector<HtmlToken>& tokens) {
  std::string out;
  for (const auto& token : tokens) out += token.value;
  return out;
}

}  // namespace bench::verify
