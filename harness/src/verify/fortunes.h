#pragma once
// The fortunes check: the canonical page, and the comparison of a response's HTML with it after TFB's
// normalisation (fortune_html_parser.py). The 12 rows come from database::techempower_fortunes(), the same data
// the database is seeded with.

#include <string>
#include <vector>

#include "verify/problem.h"

namespace bench::verify {

struct Fortune {
  int id = 0;
  std::string message;
};

// The 13 rows a fortunes response must show: the 12 plus {0, "Additional fortune added at request time."},
// sorted by message (byte order, which for UTF-8 is code-point order).
std::vector<Fortune> expected_fortune_rows();

// HTML-escapes text the way the canonical page does: & < > " ' become &amp; &lt; &gt; &quot; &apos;.
std::string escape_html(const std::string& text);

// The canonical page in normalised form:
// <!doctype html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>...
std::string expected_fortunes_document();

// Compares a response body with the canonical page. On a mismatch: one fail naming the likely cause (rows
// missing, unsorted, unescaped markup) and a short diff of the normalised rows.
Problems check_fortunes_body(const std::string& body);

}  // namespace bench::verify
