// Writes the synthetic results files under report/testdata/ (run once by hand when the model changes:
// build/harness/src/report/make_testdata harness/src/report/testdata). Tests read the committed files, so a
// change to the model that breaks old files shows up as a failing test rather than silently regenerated data.
#include <fmt/core.h>

#include <filesystem>
#include <fstream>

#include "report/result.h"
#include "report/synthetic.h"

namespace {

using bench::report::testing::SyntheticSpec;

void write(const std::filesystem::path& folder, const std::string& name, const bench::report::Run& run) {
  bench::report::save_atomic(run, folder / name);
  fmt::print("wrote {}\n", (folder / name).string());
}

SyntheticSpec spec(uint64_t seed, int repeats) {
  SyntheticSpec s;
  s.seed = seed;
  s.repeats = repeats;
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    fmt::print(stderr, "usage: make_testdata FOLDER\n");
    return 2;
  }
  const std::filesystem::path folder = argv[1];
  std::filesystem::create_directories(folder);
  using bench::report::testing::synthetic_run;

  write(folder, "baseline.json", synthetic_run(spec(1, 5)));
  write(folder, "noise.json", synthetic_run(spec(2, 5)));  // same code, other noise: no regression

  SyntheticSpec slower = spec(3, 5);
  slower.variants[2].factor = 0.8;  // core: 20% fewer requests/s
  write(folder, "regressed.json", synthetic_run(slower));

  SyntheticSpec faster = spec(4, 5);
  faster.variants[4].factor = 1.25;  // orm: 25% more requests/s
  write(folder, "improved.json", synthetic_run(faster));

  write(folder, "single-baseline.json", synthetic_run(spec(5, 1)));
  SyntheticSpec single_slower = spec(5, 1);
  single_slower.variants[0].factor = 0.85;  // raw: 15% fewer requests/s, one sample a side
  write(folder, "single-regressed.json", synthetic_run(single_slower));

  SyntheticSpec partial = spec(6, 5);
  partial.variants.pop_back();  // no orm
  partial.variants.push_back({"asyncpg-pool", 9500});
  auto partial_run = synthetic_run(partial);
  partial_run.variants.push_back({"broken", "failed", "build failed: exit code 2",
                                  "ModuleNotFoundError: No module named 'asyncpg'", "logs/broken.log", {}, 0, {}, {}, "", ""});
  write(folder, "missing-cells.json", partial_run);

  SyntheticSpec other = spec(7, 1);
  other.scenario_name = "plaintext";
  other.variants = {{"nginx", 90000}};
  write(folder, "other-scenario.json", synthetic_run(other));

  auto future = bench::report::to_json(synthetic_run(spec(8, 1)));
  future["schema_version"] = 99;
  std::ofstream(folder / "future-schema.json") << future.dump(2) << "\n";
  std::ofstream(folder / "not-results.json") << R"({"name": "not a results file", "version": "1.0.0"})" << "\n";
  return 0;
}
