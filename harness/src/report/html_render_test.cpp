// The HTML report in a real browser: headless Chromium loads the file offline, the page's script draws its charts,
// and the DOM Chromium dumps must hold them.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include <fmt/core.h>

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


// Measures the laid-out page from inside it and writes the findings on <body> for --dump-dom to carry out:
// cells drawn on more than one line (a wrapped figure or name), and whether the page is wider than the window.
constexpr const char* kLayoutProbe = R"js(<script>
window.addEventListener('load', function () {
  let wrapped = [];
  document.querySelectorAll('td, th').forEach(function (cell) {
    if (cell.closest('.wrap-last') && cell === cell.parentElement.lastElementChild) return;  // prose column
    const lineHeight = parseFloat(getComputedStyle(cell).lineHeight) || 18;
    const padding = parseFloat(getComputedStyle(cell).paddingTop) + parseFloat(getComputedStyle(cell).paddingBottom);
    if (cell.getBoundingClientRect().height - padding > 1.5 * lineHeight) wrapped.push(cell.textContent);
  });
  document.body.setAttribute('data-wrapped-cells', wrapped.length);
  document.body.setAttribute('data-wrapped-text', wrapped.slice(0, 3).join(' | '));
  document.body.setAttribute('data-page-overflow', document.documentElement.scrollWidth > window.innerWidth ? 1 : 0);
  document.body.setAttribute('data-window-width', window.innerWidth);
});
</script>
)js";

std::string chromium(const std::string& flags, const fs::path& html, const fs::path& profile) {
  return capture(std::string("timeout 60 ") + kChromium +
                 " --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
                 " --disable-sync --no-first-run --hide-scrollbars --user-data-dir=" + profile.string() + " " + flags +
                 " " + html.string() + " 2>/dev/null");
}

// The width of a PNG from its IHDR chunk (bytes 16..19, big-endian).
uint32_t png_width(const fs::path& png) {
  std::ifstream in(png, std::ios::binary);
  unsigned char header[24] = {};
  in.read(reinterpret_cast<char*>(header), sizeof header);
  if (!in || header[1] != 'P' || header[2] != 'N' || header[3] != 'G') return 0;
  return (uint32_t{header[16]} << 24) | (uint32_t{header[17]} << 16) | (uint32_t{header[18]} << 8) | header[19];
}

std::string attribute(const std::string& dom, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(dom, m, std::regex(name + "=\"([^\"]*)\""))) return "(missing)";
  return m[1];
}

bench::report::Run sweep_run() {
  bench::report::testing::SyntheticSpec spec;
  spec.connections = {16, 64, 256};  // a sweep: requests/s against connections
  spec.repeats = 3;
  auto run = bench::report::testing::synthetic_run(spec);
  run.scenario["description"] = "The ORM cost ladder: raw SQL to a full ORM, one rung at a time";
  run.scenario["load"] = {{"connections", spec.connections}, {"threads", "auto"}, {"duration", "15s"},
                          {"warmup", "5s"}, {"rate", 0}, {"timeout", "8s"}, {"repeat", 3}};
  run.scenario["overrides"] = {"duration=15s"};
  // A longer variant name and a failed check, so tables have something that could wrap.
  run.variants[4].checks.push_back({"queries", "warn", "queries=501 answered 501 rows; TechEmpower clamps to 500"});
  return run;
}

}  // namespace

TEST_CASE("the HTML report shows the load, a headline, CPU and sweep charts, and lays out at 1400 and 800 px") {
  REQUIRE(fs::exists(kChromium));
  const auto run = sweep_run();
  const std::string html = bench::report::HtmlExporter().render({run});
  CHECK_THAT(html, Catch::Contains("The ORM cost ladder: raw SQL to a full ORM"));
  CHECK_THAT(html, Catch::Contains("<h3>Load</h3>"));
  // Load parameters: duration, warmup, threads, repeats, rate, and what the command line changed.
  for (const auto* text : {">15s<", ">5s<", "auto: min(c, 2 cores)", ">3<", "closed loop",
                           "16, 64, 256", "duration=15s"}) {
    INFO(text);
    CHECK_THAT(html, Catch::Contains(text));
  }
  // The headline: the heaviest level of each test, fastest against slowest (raw 9,100 vs orm 2,070 in the data).
  CHECK(std::regex_search(html, std::regex(R"(<li>db c=256: raw 9,\d{3} req/s, 4\.\d\dx orm at 2,\d{3} req/s</li>)")));
  // The checks table keeps only the columns something fills: here a warning names its test and has a detail...
  const auto checks = html.substr(html.find("Variants and checks"));
  CHECK_THAT(checks, Catch::Contains("<th>Test</th>") && Catch::Contains("<th>Detail</th>"));
  // ...without it every check passed: no test to name, no detail, so neither column.
  auto passing = run;
  passing.variants[4].checks.pop_back();
  const std::string passing_html = bench::report::HtmlExporter().render({passing});
  const auto passing_checks = passing_html.substr(passing_html.find("Variants and checks"));
  CHECK_THAT(passing_checks, Catch::Contains("<th>Variant</th><th>Status</th><th>Check</th></tr>"));
  CHECK_THAT(passing_checks, Catch::Contains("<td>2 passed</td>"));

  const fs::path dir = fs::temp_directory_path() / ("bench-html-layout-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string probed = html.substr(0, html.rfind("</body>")) + kLayoutProbe + "</body>\n</html>\n";
  std::ofstream(dir / "report.html") << probed;
  // Screenshots stay in the build tree for a person to look at (SCREENSHOT_DIR), one per width.
  fs::create_directories(SCREENSHOT_DIR);
  for (const int width : {1400, 800}) {
    INFO("window width " << width);
    const std::string size = fmt::format("--window-size={},2400", width);
    const std::string dom = chromium(size + " --dump-dom", dir / "report.html", dir / "profile");
    CHECK(attribute(dom, "data-window-width") == std::to_string(width));
    // 2 tests x (requests/s bars, sweep, CPU bars, 3 latency charts).
    CHECK(attribute(dom, "data-charts-rendered") == "12");
    CHECK(count(dom, "class=\"sweep\"") == 2 * 5);
    INFO("wrapped: " << attribute(dom, "data-wrapped-text"));
    CHECK(attribute(dom, "data-wrapped-cells") == "0");   // no figure or name broken over two lines
    CHECK(attribute(dom, "data-page-overflow") == "0");   // wide tables scroll in their box, the page does not
    const fs::path png = fs::path(SCREENSHOT_DIR) / fmt::format("report-{}.png", width);
    fs::remove(png);
    chromium(size + " --screenshot=" + png.string(), dir / "report.html", dir / "profile");
    REQUIRE(fs::exists(png));
    CHECK(png_width(png) == static_cast<uint32_t>(width));
    CHECK(fs::file_size(png) > 50'000);  // a page of charts and tables, not a blank image
  }
  fs::remove_all(dir);
}

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

  // 2 tests x (requests/s bars, CPU bars, sweep over 2 levels, 2 latency charts, one per connection level).
  CHECK_THAT(dom, Catch::Contains("data-charts-rendered=\"10\""));
  // Bars: 5 variants x 2 levels per test, requests/s and CPU; curves and sweep lines: 5 variants per chart.
  CHECK(count(dom, "data-rendered=\"10\"") == 4);
  CHECK(count(dom, "data-rendered=\"5\"") == 6);
  CHECK(count(dom, "class=\"bar\"") == 40);
  CHECK(count(dom, "class=\"curve\"") == 20);
  CHECK(count(dom, "<svg") == 10);
  CHECK_THAT(dom, !Catch::Contains("<title>injected"));
  CHECK_THAT(dom, Catch::Contains("Cost per rung"));
}
