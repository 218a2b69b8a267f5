// The fortunes comparison: canonical table, HTML normalisation, and the reasons given for bad pages.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "database/techempower.h"
#include "verify/fortunes.h"
#include "verify/html_normalizer.h"

using namespace bench::verify;

namespace {

bool has(const Problems& problems, Level level, const std::string& text) {
  return std::any_of(problems.begin(), problems.end(), [&](const Problem& p) {
    return p.level == level && p.message.find(text) != std::string::npos;
  });
}

// Renders a page with `escape` for the messages and `rows` in the given order.
std::string page(const std::vector<Fortune>& rows, std::string (*escape)(const std::string&) = escape_html) {
  std::string out = "<!doctype html><html><head><title>Fortunes</title></head><body><table>"
                    "<tr><th>id</th><th>message</th></tr>";
  for (const auto& row : rows) out += "<tr><td>" + std::to_string(row.id) + "</td><td>" + escape(row.message) + "</td></tr>";
  return out + "</table></body></html>";
}

std::string no_escape(const std::string& text) { return text; }

}  // namespace

TEST_CASE("the fortunes the verifier expects match TechEmpower's fortune.tsv (verify/testdata)", "[fortunes]") {
  const auto& fortunes = bench::database::techempower_fortunes();
  const char* root = std::getenv("BENCH_SOURCE_DIR");
  const std::string path = std::string(root ? root : ".") + "/harness/src/verify/testdata/fortune.tsv";
  std::ifstream tsv(path);
  if (!tsv) {
    WARN("fortune.tsv not found at " << path << "; comparing the count only");
    CHECK(fortunes.size() == 12);
    return;
  }
  std::string line;
  std::getline(tsv, line);  // header
  size_t i = 0;
  while (std::getline(tsv, line)) {
    const auto tab = line.find('\t');
    REQUIRE(i < fortunes.size());
    CHECK(std::to_string(fortunes[i].first) == line.substr(0, tab));
    CHECK(fortunes[i].second == line.substr(tab + 1));
    ++i;
  }
  CHECK(i == 12);
}

TEST_CASE("the canonical document is TechEmpower's", "[fortunes]") {
  // TFB's fortune_html_parser.py 'valid' string, with the apostrophe as &apos; as there.
  const std::string tfb =
      "<!doctype html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>"
      "<tr><td>11</td><td>&lt;script&gt;alert(&quot;This should not be displayed in a browser alert box.&quot;);"
      "&lt;/script&gt;</td></tr><tr><td>4</td><td>A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1"
      "</td></tr><tr><td>5</td><td>A computer program does what you tell it to do, not what you want it to do.</td>"
      "</tr><tr><td>2</td><td>A computer scientist is someone who fixes things that aren&apos;t broken.</td></tr>"
      "<tr><td>8</td><td>A list is only as strong as its weakest link. \u2014 Donald Knuth</td></tr><tr><td>0</td>"
      "<td>Additional fortune added at request time.</td></tr><tr><td>3</td><td>After enough decimal places, nobody "
      "gives a damn.</td></tr><tr><td>7</td><td>Any program that runs right is obsolete.</td></tr><tr><td>10</td>"
      "<td>Computers make very fast, very accurate mistakes.</td></tr><tr><td>6</td><td>Emacs is a nice operating "
      "system, but I prefer UNIX. \u2014 Tom Christaensen</td></tr><tr><td>9</td><td>Feature: A bug with seniority."
      "</td></tr><tr><td>1</td><td>fortune: No such file or directory</td></tr><tr><td>12</td><td>"
      "\u30d5\u30ec\u30fc\u30e0\u30ef\u30fc\u30af\u306e\u30d9\u30f3\u30c1\u30de\u30fc\u30af</td></tr></table></body>"
      "</html>";
  CHECK(expected_fortunes_document() == tfb);
  CHECK(expected_fortune_rows().size() == 13);
}

TEST_CASE("decode_entities handles named and decimal and hex references", "[fortunes]") {
  CHECK(decode_entities("&quot;&#34;&#034;&#x22;&#X22;") == "\"\"\"\"\"");
  CHECK(decode_entities("&apos;&#39;&#x27;") == "'''");
  CHECK(decode_entities("&lt;&gt;&amp;&mdash;") == "<>&\u2014");
  CHECK(decode_entities("&#12501;") == "\u30d5");
  CHECK(decode_entities("a & b &bogus; &#xZZ;") == "a & b &bogus; &#xZZ;");
}

TEST_CASE("normalize_html drops attributes and comments and blank text and lower-cases tags", "[fortunes]") {
  const auto tokens = normalize_html("<!DOCTYPE html>\n<HTML lang=\"en\"><!-- hi --><br/>  <P class='a>b'>x &#34;y&#34;</p>");
  CHECK(join_tokens(tokens) == "<!doctype html><html><br></br><p>x &quot;y&quot;</p>");
  CHECK(join_tokens(normalize_html("a < b")) == "a &lt; b");
}

TEST_CASE("a correct page passes in any escaping form and layout", "[fortunes]") {
  CHECK(check_fortunes_body(page(expected_fortune_rows())).empty());
  std::string pretty = page(expected_fortune_rows());
  for (size_t at = pretty.find("<tr>"); at != std::string::npos; at = pretty.find("<tr>", at + 7)) {
    pretty.insert(at, "\n    ");
  }
  CHECK(check_fortunes_body(pretty).empty());
  const auto numeric = [](const std::string& text) {
    std::string out;
    for (const char c : text) {
      if (c == '"') out += "&#x22;";
      else if (c == '\'') out += "&#39;";
      else if (c == '<') out += "&#60;";
      else if (c == '>') out += ">";  // a bare '>' in text is fine
      else out += c;
    }
    return out;
  };
  CHECK(check_fortunes_body(page(expected_fortune_rows(), +numeric)).empty());
}

TEST_CASE("bad pages fail with the likely cause and a diff", "[fortunes]") {
  const auto unescaped = check_fortunes_body(page(expected_fortune_rows(), no_escape));
  CHECK(has(unescaped, Level::fail, "not HTML-escaped"));
  CHECK(has(unescaped, Level::fail, "diff: expected `<tr><td>11</td><td>&lt;script&gt;"));

  auto missing = expected_fortune_rows();
  missing.erase(std::remove_if(missing.begin(), missing.end(), [](const Fortune& f) { return f.id == 0; }),
                missing.end());
  const auto without_extra = check_fortunes_body(page(missing));
  CHECK(has(without_extra, Level::fail, "12 fortune rows, expected 13"));
  CHECK(has(without_extra, Level::fail, "id 0) is missing"));
  CHECK(has(without_extra, Level::fail, "diff: missing `<tr><td>0</td><td>Additional fortune added at request time."));

  auto by_id = expected_fortune_rows();
  std::sort(by_id.begin(), by_id.end(), [](const Fortune& a, const Fortune& b) { return a.id < b.id; });
  CHECK(has(check_fortunes_body(page(by_id)), Level::fail, "rows are not sorted by message"));

  CHECK(has(check_fortunes_body("<html><body>oops</body></html>"), Level::fail, "0 fortune rows, expected 13"));
}
