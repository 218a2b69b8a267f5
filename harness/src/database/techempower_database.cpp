#include "database/techempower_database.h"

#include <filesystem>

#include "database/query_stats.h"
#include "database/techempower.h"
#include "supervisor/guardian.h"

namespace bench::database {

std::unique_ptr<TechEmpowerDatabase> TechEmpowerDatabase::open(const DatabaseRequest& request,
                                                               const std::atomic<bool>* stop,
                                                               const DatabaseProgress& progress) {
  const auto report = [&](const char* name, const char* detail) {
    if (progress) progress({name, detail});
  };
  std::unique_ptr<TechEmpowerDatabase> database(new TechEmpowerDatabase());  // its destructor cleans up on a throw
  bool seed = request.seed;
  if (request.dsn) {
    database->info_ = *request.dsn;
    database->admin_.emplace(database->info_);
  } else {
    report("start", "embedded PostgreSQL 15");
    // The folder is known before anything runs in it: the guardian removes it if bench dies without stopping the
    // cluster (SIGKILL, a second Ctrl-C).
    const auto folder = EmbeddedPostgres::create_folder(std::filesystem::temp_directory_path());
    database->cluster_folder_ = folder;
    supervisor::remove_on_death(folder);
    database->embedded_ = EmbeddedPostgres::start_in(folder, stop, request.embedded);
    database->info_ = database->embedded_->info();
    // The admin role, over the unix socket; servers get info_, a role with less.
    database->admin_.emplace(database->embedded_->admin_info());
    seed = true;
  }
  if (seed) {
    report("seed", "World 10,000 rows, Fortune 12 rows");
    seed_techempower(*database->admin_);
  }
  database->counts_unavailable_ = prepare_query_stats(*database->admin_);
  return database;
}

TechEmpowerDatabase::~TechEmpowerDatabase() { stop(); }

void TechEmpowerDatabase::stop() {
  admin_.reset();
  if (embedded_) embedded_->stop();
  if (!cluster_folder_.empty()) {
    // start_in removes the folder itself when it throws, so the guardian has nothing left to do either way.
    supervisor::forget_on_death(cluster_folder_);
    cluster_folder_.clear();
  }
}

}  // namespace bench::database
