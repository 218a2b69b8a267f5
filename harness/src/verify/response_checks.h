#pragma once
// The checks every TechEmpower response must pass whatever its test type: status, required headers, content type,
// a non-empty body (TFB's verify_headers and basic_body_verification).

#include <string_view>

#include "verify/http_client.h"
#include "verify/problem.h"

namespace bench::verify {

// The three content types TFB accepts, each with its regex.
enum class ContentKind { json, html, plaintext };

// The regex a Content-Type must match, e.g. "^application/json(; ?charset=(UTF|utf)-8)?$".
std::string_view content_type_pattern(ContentKind kind);

// The Accept header TFB sends for a content kind (a framework may negotiate on it).
std::string_view accept_header(ContentKind kind);

// A transport error, a status other than 200, or an empty body. A response with any of these is not examined further.
Problems check_transport(const HttpResponse& response);

// Server, Date, Content-Type present; Content-Length or Transfer-Encoding present; Date in RFC 7231 form (warn);
// Content-Type matching the kind's regex.
Problems check_headers(const HttpResponse& response, ContentKind kind);

}  // namespace bench::verify
