#pragma once
// Reduces an HTML page to TFB's comparable form (what fortune_html_parser.py builds): tags without attributes
// (lower-cased), declarations lower-cased, comments dropped, whitespace-only text dropped, and text with every
// character reference decoded and then re-escaped one canonical way, so &#34; &#x22; &quot; and a bare " all
// compare equal. Hand-written (a small tokenizer): Debian has no C++ HTML5 parser worth a dependency for this.

#include <string>
#include <string_view>
#include <vector>

namespace bench::verify {

// One piece of a normalised page: a tag ("<td>", "</td>", "<!doctype html>") or a run of text (canonically escaped).
struct HtmlToken {
  enum class Kind { tag, text };
  Kind kind = Kind::text;
  std::string value;
};

// Tokenises and normalises a page. Never throws: malformed markup becomes text, which then fails the comparison.
std::vector<HtmlToken> normalize_html(std::string_view html);

// The tokens joined back into one string (the form compared with the canonical page).
std::string join_tokens(const std::vector<HtmlToken>& tokens);

// Decodes character references in raw text: named (&quot; &apos; &amp; &lt; &gt; &mdash; &nbsp;), decimal and hex.
// An unknown or malformed reference is left as it is.
std::string decode_entities(std::string_view text);

}  // namespace bench::verify
