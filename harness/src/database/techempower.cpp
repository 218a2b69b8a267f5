#include "database/techempower.h"

namespace bench::database {

const std::vector<std::pair<int, std::string>>& techempower_fortunes() {
  // Byte-exact copy of TechEmpower's fortune table (harness/src/verify/testdata/fortune.tsv).
  static const std::vector<std::pair<int, std::string>> fortunes = {
      {1, "fortune: No such file or directory"},
      {2, "A computer scientist is someone who fixes things that aren't broken."},
      {3, "After enough decimal places, nobody gives a damn."},
      {4, "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1"},
      {5, "A computer program does what you tell it to do, not what you want it to do."},
      {6, "Emacs is a nice operating system, but I prefer UNIX. \u2014 Tom Christaensen"},
      {7, "Any program that runs right is obsolete."},
      {8, "A list is only as strong as its weakest link. \u2014 Donald Knuth"},
      {9, "Feature: A bug with seniority."},
      {10, "Computers make very fast, very accurate mistakes."},
      {11, "<script>alert(\"This should not be displayed in a browser alert box.\");</script>"},
      {12, "\u30d5\u30ec\u30fc\u30e0\u30ef\u30fc\u30af\u306e\u30d9\u30f3\u30c1\u30de\u30fc\u30af"},
  };
  return fortunes;
}

void seed_techempower(Client& client) {
  client.exec("BEGIN /* bench-harness */");
  try {
    client.exec("DROP TABLE IF EXISTS /* bench-harness */ world");
    client.exec("DROP TABLE IF EXISTS /* bench-harness */ fortune");
    client.exec("CREATE TABLE /* bench-harness */ world (id integer NOT NULL PRIMARY KEY, "
                "randomnumber integer NOT NULL DEFAULT 0)");
    client.exec("CREATE TABLE /* bench-harness */ fortune (id integer NOT NULL PRIMARY KEY, "
                "message varchar(2048) NOT NULL)");
    // A fixed seed: every run starts from the same table.
    client.exec("SELECT /* bench-harness */ setseed(0.42)");
    client.query("INSERT /* bench-harness */ INTO world (id, randomnumber) "
                 "SELECT g, 1 + floor(random() * 10000)::integer FROM generate_series(1, $1::integer) AS g",
                 {std::to_string(kWorldRows)});
    for (const auto& [id, message] : techempower_fortunes())
      client.query("INSERT /* bench-harness */ INTO fortune (id, message) VALUES ($1, $2)",
                   {std::to_string(id), message});
    client.exec("COMMIT /* bench-harness */");
  } catch (...) {
    try {
      client.exec("ROLLBACK /* bench-harness */");
    } catch (...) {
      // The original error matters more.
    }
    throw;
  }
  client.exec("ANALYZE /* bench-harness */ world, fortune");
}

std::map<int, int> world_snapshot(Client& client) {
  std::map<int, int> snapshot;
  for (const auto& row : client.query("SELECT /* bench-harness */ id, randomnumber FROM world")) {
    if (row.size() != 2 || !row[0] || !row[1]) throw DatabaseError("world_snapshot: unexpected NULL in world");
    snapshot[std::stoi(*row[0])] = std::stoi(*row[1]);
  }
  return snapshot;
}

}  // namespace bench::database
