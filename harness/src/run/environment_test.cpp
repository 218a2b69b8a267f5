#include "run/environment.h"

#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace bench::run {
namespace {

TEST_CASE("valid_utf8 keeps valid text and replaces every invalid sequence") {
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(valid_utf8("go1.19 \xE3\x83\x95\xF0\x9F\x98\x80") == "go1.19 \xE3\x83\x95\xF0\x9F\x98\x80");
  CHECK(valid_utf8("a\xFFz") == "a" + fffd + "z");             // never a lead byte
  CHECK(valid_utf8("a\x80z") == "a" + fffd + "z");             // stray continuation byte
  CHECK(valid_utf8("\xC0\xAF") == fffd);                        // overlong '/'
  CHECK(valid_utf8("\xED\xA0\x80") == fffd);                    // a UTF-16 surrogate
  CHECK(valid_utf8("\xF4\x90\x80\x80") == fffd);                // beyond U+10FFFF
  CHECK(valid_utf8("ok\xE3\x83") == "ok" + fffd);               // truncated at the end
  CHECK(valid_utf8("\xE3\x83z") == fffd + "z");                 // truncated before ASCII
}

TEST_CASE("parse_versions takes the last JSON object line, within limits") {
  CHECK(parse_versions("warming up\n{\"go\": \"go1.19\", \"pgx\": \"4.15\"}\n") ==
        std::map<std::string, std::string>{{"go", "go1.19"}, {"pgx", "4.15"}});
  CHECK(parse_versions("{\"a\":\"1\"}\n{\"b\":2,\"c\":true,\"d\":null,\"e\":[1]}\nnot json\n") ==
        std::map<std::string, std::string>{{"b", "2"}, {"c", "true"}});
  CHECK(parse_versions("").empty());
  CHECK(parse_versions("[\"not an object\"]\n{broken\n").empty());
  CHECK(parse_versions("{\"x\": \"\xFF\"}") == std::map<std::string, std::string>{{"x", "\xEF\xBF\xBD"}});
  CHECK(parse_versions("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":1}}}}}}").empty());  // too deep
  std::string many = "{";
  for (int i = 0; i < 100; ++i) many += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\":\"v\"";
  CHECK(parse_versions(many + "}").size() == kMaxVersionEntries);
  const auto long_value = parse_versions("{\"k\":\"" + std::string(1000, 'x') + "\"}");
  CHECK(long_value.at("k").size() == kMaxVersionText);
}

TEST_CASE("server_versions runs the command and reads what it printed, a failing command gives nothing") {
  const auto dir = std::filesystem::temp_directory_path() / ("bench-versions-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  supervisor::ProcessSpec spec;
  spec.argv = supervisor::shell_command("echo noise >&2; printf '{\"tool\":\"%s\"}\\n' \"$TOOL_VERSION\"");
  spec.env = {{"TOOL_VERSION", "1.2.3"}};
  spec.log = dir / "ok.log";
  CHECK(server_versions(spec, std::chrono::seconds(10)) == std::map<std::string, std::string>{{"tool", "1.2.3"}});
  spec.argv = supervisor::shell_command("echo '{\"tool\":\"1\"}'; exit 3");
  spec.log = dir / "fails.log";
  CHECK(server_versions(spec, std::chrono::seconds(10)).empty());
  spec.argv = supervisor::shell_command("yes '{}' | head -c 1000000");  // more than the cap: read, not all kept
  spec.log = dir / "big.log";
  CHECK(server_versions(spec, std::chrono::seconds(10)).empty());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bench::run
