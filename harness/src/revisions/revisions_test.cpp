// Revisions against a real git repository made for each test in a temporary folder.
#include "revisions/revisions.h"

#include <catch2/catch.hpp>

#include "revisions/test_support.h"
#include "supervisor/test_support.h"

#include <cstdlib>
#include <fstream>

namespace fs = std::filesystem;
using bench::revisions::testing::sh;
using bench::revisions::testing::write;
using bench::supervisor::testing::TempDir;
using bench::supervisor::testing::read_file;

namespace {



// A repository with two commits: server/app.txt says "one" then "two"; a scenario in scenarios/.
struct Repository {
  TempDir dir;
  fs::path root = dir.path() / "repo";
  Repository() {
    write(root / "server/app.txt", "one\n");
    write(root / ".gitignore", "*.log\n");
    sh(root, "git init -q -b main . && git add -A && git -c user.name=t -c user.email=t@t commit -qm 'first commit'");
    write(root / "server/app.txt", "two\n");
    sh(root, "git -c user.name=t -c user.email=t@t commit -qam 'second commit' && git branch feature/x HEAD~1");
  }
  std::string hash(const std::string& rev) const {
    const auto out = dir.path() / "hash";
    const std::string line = "cd '" + root.string() + "' && git rev-parse " + rev + " > '" + out.string() + "'";
    REQUIRE(std::system(line.c_str()) == 0);
    auto text = read_file(out);
    return text.substr(0, text.find('\n'));
  }
};

bench::scenario::Scenario scenario_in(const fs::path& root, const std::string& cwd) {
  return bench::scenario::parse_string("name: t\ndatabase: none\ntests:\n  json: {path: /json}\nservers:\n"
                                       "  app:\n    command: \"cat app.txt\"\n    cwd: " + cwd + "\n",
                                       root / "scenarios" / "t.yaml");
}

}  // namespace

TEST_CASE("revisions resolve to commits with labels safe in file names") {
  Repository repo;
  CHECK(fs::equivalent(bench::revisions::repository_of(repo.root / "server" / "app.txt"), repo.root));
  const std::string full = repo.hash("HEAD~1");
  const auto revisions = bench::revisions::resolve(repo.root, {"HEAD~1", "main", "feature/x", full});
  REQUIRE(revisions.size() == 4);
  CHECK(revisions[0].label == "HEAD~1");
  CHECK(revisions[0].commit == full);
  CHECK(revisions[0].subject == "first commit");
  CHECK(revisions[1].commit == repo.hash("HEAD"));
  CHECK(revisions[1].subject == "second commit");
  CHECK(revisions[2].label == "feature-x");
  CHECK(revisions[3].label == full.substr(0, 12));
  CHECK_FALSE(revisions[0].working_tree);
}

TEST_CASE("an unknown revision, a repeated one or no repository is a --revisions error") {
  Repository repo;
  CHECK_THROWS_WITH(bench::revisions::resolve(repo.root, {"main", "no-such-branch"}),
                    Catch::Contains("--revisions: 'no-such-branch' is not a commit"));
  CHECK_THROWS_WITH(bench::revisions::resolve(repo.root, {"main", "main"}), Catch::Contains("given twice"));
  CHECK_THROWS_WITH(bench::revisions::resolve(repo.root, {"--output=x"}), Catch::Contains("is not a commit"));
  CHECK_THROWS_WITH(bench::revisions::resolve(repo.root, {}), Catch::Contains("--revisions"));
  TempDir elsewhere;
  CHECK_THROWS_WITH(bench::revisions::repository_of(elsewhere.path()), Catch::Contains("not inside a git repository"));
}

TEST_CASE("checkouts hold each revision's tree, the working tree with its changes, and are removed after") {
  Repository repo;
  write(repo.root / "server/app.txt", "three\n");   // uncommitted change
  write(repo.root / "server/new.txt", "untracked\n");
  write(repo.root / "server/noise.log", "ignored\n");
  const auto revisions = bench::revisions::resolve(repo.root, {"HEAD~1", "WORKTREE"});
  CHECK(revisions[1].working_tree);
  CHECK(revisions[1].dirty);
  CHECK(revisions[1].commit == repo.hash("HEAD"));
  fs::path folder;
  {
    bench::revisions::Checkouts checkouts(repo.root, revisions);
    folder = checkouts.folder();
    CHECK(read_file(checkouts.tree("HEAD~1") / "server/app.txt") == "one\n");
    CHECK_FALSE(fs::exists(checkouts.tree("HEAD~1") / ".git"));
    CHECK(read_file(checkouts.tree("WORKTREE") / "server/app.txt") == "three\n");
    CHECK(read_file(checkouts.tree("WORKTREE") / "server/new.txt") == "untracked\n");
    CHECK_FALSE(fs::exists(checkouts.tree("WORKTREE") / "server/noise.log"));
  }
  CHECK_FALSE(fs::exists(folder));
  sh(repo.root, "git checkout -q -- . && rm server/new.txt");
  CHECK_FALSE(bench::revisions::resolve(repo.root, {"WORKTREE"})[0].dirty);
}

TEST_CASE("expand makes one copy of each started server per revision, in its checkout at the same cwd") {
  Repository repo;
  const auto revisions = bench::revisions::resolve(repo.root, {"HEAD~1", "main"});
  bench::revisions::Checkouts checkouts(repo.root, revisions);
  const auto expanded =
      bench::revisions::expand(scenario_in(repo.root, "../server"), repo.root, revisions, checkouts);
  REQUIRE(expanded.servers.size() == 2);
  CHECK(expanded.servers[0].name == "app@HEAD~1");
  CHECK(expanded.servers[0].base_name == "app");
  CHECK(expanded.servers[0].revision == "HEAD~1");
  CHECK(read_file(expanded.servers[0].cwd / "app.txt") == "one\n");
  CHECK(expanded.servers[1].name == "app@main");
  CHECK(read_file(expanded.servers[1].cwd / "app.txt") == "two\n");

  TempDir outside;
  CHECK_THROWS_WITH(bench::revisions::expand(scenario_in(repo.root, outside.path().string()), repo.root, revisions,
                                             checkouts),
                    Catch::Contains("--revisions: server 'app' runs in") && Catch::Contains("outside the repository"));
}
