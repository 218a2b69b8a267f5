#include "revisions/revisions.h"

#include "supervisor/process.h"
#include "supervisor/signals.h"
#include "util/errors.h"
#include "util/utf8.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace bench::revisions {

namespace fs = std::filesystem;

namespace {

constexpr auto kGitTimeout = std::chrono::minutes(10);  // git archive of a large tree on a slow disk
constexpr std::uintmax_t kMaxGitOutput = 64u << 20;     // ls-files of a huge tree still fits

struct GitResult {
  bool ok = false;
  std::string output;  // stdout and stderr together, valid UTF-8
};

// Runs a command to the end with its output captured (through a temporary file: the supervisor's one way to
// run a child), honouring Ctrl-C.
GitResult run(const std::vector<std::string>& argv, const fs::path& cwd) {
  std::string pattern = (fs::temp_directory_path() / "bench-git-XXXXXX").string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) throw UsageError("--revisions: cannot create a temporary file for git's output");
  ::close(fd);
  const fs::path log = pattern;
  GitResult result;
  try {
    const auto outcome = supervisor::run_to_completion({argv, cwd, {{"LC_ALL", "C"}}, log}, kGitTimeout,
                                                       &supervisor::stop_requested());
    result.ok = outcome.ok();
    std::error_code ec;
    if (fs::file_size(log, ec) <= kMaxGitOutput) {
      std::ifstream in(log, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      result.output = util::valid_utf8(text.str());
    }
  } catch (const supervisor::SpawnError& e) {
    result.output = e.what();
  }
  std::error_code ignored;
  fs::remove(log, ignored);
  return result;
}

GitResult git(const fs::path& repository, std::vector<std::string> args) {
  args.insert(args.begin(), "git");
  return run(args, repository);
}

std::string first_line(const std::string& text) {
  const auto end = text.find('\n');
  return text.substr(0, end);
}

bool is_hex(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string label_for(const std::string& given, const std::string& commit) {
  if (given.size() > 12 && is_hex(given) && commit.rfind(given, 0) == 0) return commit.substr(0, 12);
  std::string label = given;
  for (auto& c : label) {
    const bool safe = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '~' || c == '^' ||
                      c == '-';
    if (!safe) c = '-';
  }
  return label;
}

// "'it''s'" quoting for the one shell line that pipes git archive into tar.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void copy_working_tree(const fs::path& repository, const fs::path& into) {
  const auto listed = git(repository, {"ls-files", "-z", "--cached", "--others", "--exclude-standard"});
  if (!listed.ok) throw UsageError("--revisions: git ls-files failed in " + repository.string() + ": " + first_line(listed.output));
  std::set<std::string> seen;
  std::size_t begin = 0;
  while (begin < listed.output.size()) {
    auto end = listed.output.find('\0', begin);
    if (end == std::string::npos) end = listed.output.size();
    const std::string name = listed.output.substr(begin, end - begin);
    begin = end + 1;
    if (name.empty() || !seen.insert(name).second) continue;
    const fs::path from = repository / name;
    const fs::path to = into / name;
    std::error_code ec;
    const auto status = fs::symlink_status(from, ec);
    if (ec || !fs::exists(status)) continue;  // deleted in the working tree but still in the index
    fs::create_directories(to.parent_path(), ec);
    if (fs::is_symlink(status)) {
      fs::copy_symlink(from, to, ec);
    } else if (fs::is_regular_file(status)) {
      fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    } else {
      continue;  // a submodule's folder: not copied, as git archive leaves it out
    }
    if (ec) throw UsageError(fmt::format("--revisions: cannot copy {} into {}: {}", from.string(), to.string(), ec.message()));
  }
}

}  // namespace

fs::path repository_of(const fs::path& path) {
  const fs::path folder = fs::is_directory(path) ? path : fs::absolute(path).parent_path();
  const auto top = git(folder, {"rev-parse", "--show-toplevel"});
  if (!top.ok) {
    throw UsageError(fmt::format("--revisions: {} is not inside a git repository ({})", path.string(),
                                 first_line(top.output)));
  }
  return fs::path(first_line(top.output));
}

std::vector<report::Revision> resolve(const fs::path& repository, const std::vector<std::string>& given) {
  if (given.empty()) throw UsageError("--revisions: expected one or more git revisions, e.g. main,HEAD");
  std::vector<report::Revision> out;
  std::set<std::string> labels;
  for (const auto& text : given) {
    if (text.empty()) throw UsageError("--revisions: an empty revision in the list");
    report::Revision revision;
    const bool working_tree = text == kWorkingTree;
    const std::string spec = working_tree ? "HEAD" : text;
    // "--end-of-options" keeps a revision that starts with '-' from being read as an option.
    const auto parsed = git(repository, {"rev-parse", "--verify", "--quiet", "--end-of-options", spec + "^{commit}"});
    if (!parsed.ok) {
      throw UsageError(fmt::format("--revisions: '{}' is not a commit of the repository {}{}", text,
                                   repository.string(),
                                   working_tree ? " (WORKTREE needs a first commit)" : ""));
    }
    revision.commit = first_line(parsed.output);
    const auto subject = git(repository, {"log", "-1", "--format=%s", revision.commit});
    revision.subject = subject.ok ? first_line(subject.output) : "";
    revision.working_tree = working_tree;
    if (working_tree) {
      const auto status = git(repository, {"status", "--porcelain", "--untracked-files=normal"});
      revision.dirty = status.ok && !status.output.empty();
      revision.label = std::string(kWorkingTree);
    } else {
      revision.label = label_for(text, revision.commit);
    }
    if (!labels.insert(revision.label).second) {
      throw UsageError(fmt::format("--revisions: '{}' is given twice (as the label {})", text, revision.label));
    }
    out.push_back(std::move(revision));
  }
  return out;
}

Checkouts::Checkouts(const fs::path& repository, const std::vector<report::Revision>& revisions) {
  std::string pattern = (fs::temp_directory_path() / "bench-revisions-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw UsageError("--revisions: cannot create a temporary folder");
  folder_ = pattern;
  try {
    for (const auto& revision : revisions) {
      const fs::path tree = this->tree(revision.label);
      fs::create_directories(tree);
      if (revision.working_tree) {
        copy_working_tree(repository, tree);
        continue;
      }
      const auto archived = run({"/bin/sh", "-c", "git archive --format=tar " + quoted(revision.commit) +
                                                     " | tar -xf - -C " + quoted(tree.string())},
                                repository);
      if (!archived.ok) {
        throw UsageError(fmt::format("--revisions: cannot check out {} ({}): {}", revision.label, revision.commit,
                                     first_line(archived.output)));
      }
    }
  } catch (...) {
    std::error_code ec;
    fs::remove_all(folder_, ec);
    throw;
  }
}

Checkouts::~Checkouts() {
  std::error_code ec;
  fs::remove_all(folder_, ec);
}

scenario::Scenario expand(const scenario::Scenario& scenario, const fs::path& repository,
                          const std::vector<report::Revision>& revisions, const Checkouts& checkouts) {
  scenario::Scenario out = scenario;
  out.servers.clear();
  const fs::path root = fs::weakly_canonical(repository);
  for (const auto& server : scenario.servers) {
    if (server.external()) {  // measured as it is: no code of ours to check out
      out.servers.push_back(server);
      continue;
    }
    const fs::path relative = fs::weakly_canonical(server.cwd).lexically_relative(root);
    if (relative.empty() || *relative.begin() == "..") {
      throw UsageError(fmt::format("--revisions: server '{}' runs in {}, outside the repository {}: only code inside "
                                   "it can be checked out at a revision",
                                   server.name, server.cwd.string(), root.string()));
    }
    for (const auto& revision : revisions) {
      scenario::ServerSpec copy = server;
      copy.name = server.name + "@" + revision.label;
      copy.base_name = server.name;
      copy.revision = revision.label;
      copy.cwd = (checkouts.tree(revision.label) / relative).lexically_normal();
      out.servers.push_back(std::move(copy));
    }
  }
  return out;
}

}  // namespace bench::revisions
