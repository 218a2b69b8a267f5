// What a reader follows must exist: every relative link in README.md and docs/ names a file of the repository,
// and no committed file points at a place outside it (a machine path, or the folder of shared notes some
// checkouts sit beside), since a clone has neither.
#include <catch2/catch.hpp>
#include <fmt/core.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kRoot = SOURCE_DIR;

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> markdown_files() {
  std::vector<fs::path> files = {kRoot / "README.md"};
  for (const auto& entry : fs::recursive_directory_iterator(kRoot / "docs"))
    if (entry.path().extension() == ".md") files.push_back(entry.path());
  return files;
}

// The committed files: `git ls-files` in a checkout, else every file outside build/ and results/.
std::vector<fs::path> committed_files() {
  std::vector<fs::path> files;
  if (FILE* pipe = ::popen(fmt::format("git -C '{}' ls-files -z 2>/dev/null", kRoot.string()).c_str(), "r")) {
    std::string out;
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    ::pclose(pipe);
    std::istringstream names(out);
    for (std::string name; std::getline(names, name, '\0');)
      if (!name.empty()) files.push_back(kRoot / name);
  }
  if (!files.empty()) return files;
  for (auto it = fs::recursive_directory_iterator(kRoot); it != fs::recursive_directory_iterator(); ++it) {
    const auto name = it->path().filename().string();
    if (it->is_directory() && (name == "build" || name == "results" || name == ".git")) {
      it.disable_recursion_pending();
    } else if (it->is_regular_file()) {
      files.push_back(it->path());
    }
  }
  return files;
}

}  // namespace

TEST_CASE("every relative link in README.md and docs/ resolves to a file in the repository") {
  // [text](target) and [text](target#anchor); web links and pure anchors are not files.
  const std::regex link(R"(\]\(([^)\s]+)\))");
  int links = 0;
  for (const auto& file : markdown_files()) {
    const std::string text = read(file);
    for (std::sregex_iterator it(text.begin(), text.end(), link), end; it != end; ++it) {
      std::string target = (*it)[1];
      if (target.starts_with("http://") || target.starts_with("https://") || target.starts_with("mailto:") ||
          target.starts_with("#"))
        continue;
      target = target.substr(0, target.find('#'));
      ++links;
      const fs::path resolved = (file.parent_path() / target).lexically_normal();
      INFO(fs::relative(file, kRoot).string() << " links " << (*it)[1] << " -> " << resolved.string());
      CHECK(fs::exists(resolved));
      // Inside the repository: a link that climbs out of it works only on the machine it was written on.
      CHECK(resolved.string().starts_with(kRoot.lexically_normal().string()));
    }
  }
  CHECK(links > 10);  // the check saw the links (README alone has several)
}

TEST_CASE("no committed file names a machine path or the shared notes folder outside the repository") {
  // Written split so that this file does not match itself.
  const std::vector<std::string> forbidden = {std::string("/wo") + "rk/", std::string("sha") + "red/",
                                              std::string("/ho") + "me/"};
  const auto files = committed_files();
  REQUIRE(files.size() > 50);
  for (const auto& file : files) {
    if (!fs::is_regular_file(file)) continue;
    // Results are data, not instructions: a run records the paths of the machine it ran on (scenario file, cwd),
    // and a baseline refreshed by `bench run` must not break this check.
    if (fs::relative(file, kRoot).string().starts_with("results/")) continue;
    const std::string text = read(file);
    std::istringstream lines(text);
    int number = 0;
    for (std::string line; std::getline(lines, line);) {
      ++number;
      for (const auto& word : forbidden) {
        // The folder itself, not a name that ends in it (servers/go-shared/, python-shared/).
        bool found = false;
        for (auto at = line.find(word); at != std::string::npos && !found; at = line.find(word, at + 1)) {
          const char before = at == 0 ? ' ' : line[at - 1];
          found = !(std::isalnum(static_cast<unsigned char>(before)) || before == '-' || before == '_');
        }
        if (!found) continue;
        FAIL_CHECK(fs::relative(file, kRoot).string() << ":" << number << " names " << word << ": " << line);
      }
    }
  }
}
