#pragma once
// `bench run --revisions A,B`: the code under test at several git revisions, measured in one interleaved run
// (docs/ci.md). This module turns the revisions as given into commits (resolve), puts each one's tree in a
// temporary folder (Checkouts) and makes one copy of every started server per revision (expand), named
// "<server>@<label>" and running in that revision's tree at the same relative cwd. The scenario itself is the
// current one: the experiment is fixed, only the code under test changes.
//
// Everything here that can go wrong with the user's input (not a git repository, an unknown revision, a server
// outside the repository) is a UsageError naming --revisions, thrown before anything starts.

#include "report/result.h"
#include "scenario/scenario.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace bench::revisions {

// The name that stands for the working tree as it is, uncommitted and untracked (not ignored) files included.
// It wins over a branch or tag of the same name.
inline constexpr std::string_view kWorkingTree = "WORKTREE";

// The top folder of the git repository holding `path` (a scenario file). Throws UsageError naming --revisions
// when there is none or git cannot be run.
std::filesystem::path repository_of(const std::filesystem::path& path);

// Each revision as given ("HEAD~1", a branch, a hash, WORKTREE) resolved to its commit, subject and label, in the
// order given. Labels are unique and safe in file names: the text given, a full or long hash shortened to 12 hex
// digits, characters other than [A-Za-z0-9._~^-] replaced by '-'. Throws UsageError naming --revisions for an
// empty list, an unknown revision or two revisions with one label.
std::vector<report::Revision> resolve(const std::filesystem::path& repository, const std::vector<std::string>& given);

// The revisions' trees, each in its own folder of one temporary folder; all removed by the destructor (also when a
// later step throws, and after Ctrl-C, which ends `bench run` normally). A committed revision is `git archive`d
// (no .git inside, submodules not included); the working tree is copied file by file from `git ls-files`.
class Checkouts {
 public:
  // Throws UsageError naming --revisions when a tree cannot be written (disk full, git failed).
  Checkouts(const std::filesystem::path& repository, const std::vector<report::Revision>& revisions);
  ~Checkouts();
  Checkouts(const Checkouts&) = delete;
  Checkouts& operator=(const Checkouts&) = delete;

  const std::filesystem::path& folder() const { return folder_; }
  // The tree of the revision labelled `label` (one of those given to the constructor).
  std::filesystem::path tree(const std::string& label) const { return folder_ / label; }

 private:
  std::filesystem::path folder_;
};

// The scenario with every started server (not `url:` ones, which are measured as they are) replaced by one copy
// per revision, in the order given: name "<name>@<label>", cwd moved into checkouts.tree(label), `revision` and
// `base_name` set. Throws UsageError naming --revisions when a started server's cwd lies outside `repository`.
scenario::Scenario expand(const scenario::Scenario& scenario, const std::filesystem::path& repository,
                          const std::vector<report::Revision>& revisions, const Checkouts& checkouts);

}  // namespace bench::revisions
