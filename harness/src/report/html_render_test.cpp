// The HTML report in a real browser: headless Chromium loads the file offline, the page's script draws its charts,
// and the DOM Chromium dumps must hold them.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include "report/html_exporter.h"
#include "report/synthetic.h"

namespace fs = std::filesystem;

namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

// Runs a shell command and returns its standard output. `timeout` bounds it so a hung browser cannot hang the test.
std::string capture(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  CHECK(::pclose(pipe) == 0);
  return out;
}

std::string dump_dom(const fs::path& html, const fs::path& profile) {
  return capture(std::string("timeout 60 ") + kChromium +
                 " --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
                 " --disable-sync --no-first-run --user-data-dir=" + profile.string() + " --dump-dom " +
                 html.string() + " 2>/dev/null");
}

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the HTML report renders its charts in headless Chromium, offline") {
  REQUIRE(fs::exists(kChromium));
  bench::report::testing::SyntheticSpec spec;
  spec.connections = {16, 64};  // two levels: one bar per variant x level, one curve chart per level
  spec.repeats = 3;
  auto run = bench::report::testing::synthetic_run(spec);
  run.cells[0].warnings = {"</script><script>document.title='injected'</script>"};  // must stay text
  const std::string html = bench::report::HtmlExporter().render({run});

  // Self-contained: nothing to fetch (the SVG namespace is an identifier, not a request).
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("href=") == std::string::npos);
  CHECK(count(html, "http") == count(html, "http://www.w3.org/2000/svg"));

  const fs::path dir = fs::temp_directory_path() / ("bench-html-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "report.html") << html;
  const std::string dom = dump_dom(dir / "report.html", dir / "profile");
  fs::remove_all(dir);

  // 2 tests x (1 bar chart + 2 latency charts, one per connection level).
  CHECK_THAT(dom, Catch::Contains("data-charts-rendered=\"6\""));
  // Bars: 5 variants x 2 levels per test; curves: 5 variants per chart.
  CHECK(count(dom, "data-rendered=\"10\"") == 2);
  CHECK(count(dom, "data-rendered=\"5\"") == 4);
  CHECK(count(dom, "class=\"bar\"") == 20);
  CHECK(count(dom, "class=\"curve\"") == 20);
  CHECK(count(dom, "<svg") == 6);
  CHECK_THAT(dom, !Catch::Contains("<title>injected"));
  CHECK_THAT(dom, Catch::Contains("Cost per rung"));
}
