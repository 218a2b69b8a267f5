#pragma once
// The fortunes check: the canonical table compiled in, and the comparison of a response's HTML with it after
// TFB's normalisation (fortune_html_parser.py). database/ compiles in the same 12 rows for seeding; this copy keeps
// the verifier independent of it.

#include <string>
#include <vector>

#include "verify/problem.h"

namespace bench::verify {

struct Fortune {
  int id = 0;
  std::string message;
};

// The 12 rows of TechEmpower's Fortune table (shared/techempower/fortune.tsv), in id order.
const std::vector<Fortune>& techempower_fortunes();

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
