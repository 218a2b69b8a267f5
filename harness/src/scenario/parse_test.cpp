#include "scenario/scenario.h"
#include "scenario/test_support.h"

#include <catch2/catch.hpp>

#include <fstream>

#include <unistd.h>

namespace bench::scenario {

using namespace std::chrono_literals;
using testing::kMinimal;
using testing::source_dir;

namespace {

// Every key of the schema, as docs/scenario.md shows it.
constexpr std::string_view kFull = R"(
name: seed-article
description: "FastAPI raw vs ORM"
database:
  dsn: postgresql://bench:secret@127.0.0.1:5432/hello_world
  seed: true
servers:
  fastapi-raw:
    build: "make"
    command: "/usr/bin/python3 app.py"
    cwd: ../harness
    env: {BENCH_VARIANT: raw, WORKERS: 4}
    port: 8081
    ready: {path: /json, timeout: 45s}
    tests: [json, queries, plaintext]
  elsewhere:
    url: http://127.0.0.1:8080/
    tests: [json]
tests:
  json: /json
  db: /db
  queries: {path: "/queries?queries=", levels: [1, 5, 10, 20]}
  fortunes: /fortunes
  updates: {path: "/updates?queries=", levels: [1, 5], connections: 32}
  plaintext: {path: /plaintext, connections: [256, 1024], pipeline: 16}
load:
  connections: [16, 64]
  threads: 2
  duration: 15s
  warmup: 2500ms
  rate: 1000.5
  timeout: 3s
  repeat: 3
)";

}  // namespace

TEST_CASE("every key of the schema is read") {
  const auto file = source_dir() / "scenarios" / "full.yaml";
  const Scenario s = parse_string(kFull, file);
  CHECK(s.name == "seed-article");
  CHECK(s.description == "FastAPI raw vs ORM");
  CHECK(s.file == std::filesystem::absolute(file).lexically_normal());
  CHECK(s.database.mode == DatabaseSpec::Mode::dsn);
  CHECK(s.database.dsn == "postgresql://bench:secret@127.0.0.1:5432/hello_world");
  CHECK(s.database.seed);

  REQUIRE(s.servers.size() == 2);
  const ServerSpec& raw = s.servers[0];
  CHECK(raw.name == "fastapi-raw");
  CHECK(raw.build == "make");
  CHECK(raw.command == "/usr/bin/python3 app.py");
  CHECK(raw.cwd == (std::filesystem::absolute(source_dir()) / "harness").lexically_normal());
  CHECK(raw.env == std::map<std::string, std::string>{{"BENCH_VARIANT", "raw"}, {"WORKERS", "4"}});
  CHECK(raw.port == 8081);
  CHECK(raw.ready.path == "/json");
  CHECK(raw.ready.timeout == 45s);
  CHECK(raw.tests == std::vector<TestType>{TestType::json, TestType::queries, TestType::plaintext});
  CHECK_FALSE(raw.external());
  CHECK(raw.where.line == 8);
  CHECK(raw.where.column == 3);

  const ServerSpec& elsewhere = s.servers[1];
  CHECK(elsewhere.external());
  CHECK(elsewhere.url == "http://127.0.0.1:8080");
  CHECK(elsewhere.command.empty());
  CHECK(elsewhere.tests == std::vector<TestType>{TestType::json});

  REQUIRE(s.tests.size() == 6);
  CHECK(s.tests[2].type == TestType::queries);
  CHECK(s.tests[2].path == "/queries?queries=");
  CHECK(s.tests[2].levels == std::vector<int>{1, 5, 10, 20});
  CHECK(s.tests[4].connections == std::vector<int>{32});
  CHECK(s.tests[5].connections == std::vector<int>{256, 1024});
  CHECK(s.tests[5].pipeline == 16);
  CHECK(s.tests[0].pipeline == 1);  // the default: no pipelining
  CHECK(s.tests[0].levels.empty());

  CHECK(s.load.connections == std::vector<int>{16, 64});
  CHECK(s.load.threads == 2);
  CHECK(s.load.duration == 15s);
  CHECK(s.load.warmup == 2500ms);
  CHECK(s.load.rate == 1000.5);
  CHECK(s.load.timeout == 3s);
  CHECK(s.load.repeat == 3);
  // raw: json 2 + queries 4 + plaintext 2; elsewhere: json 2; three repeats.
  CHECK(cell_count(s) == (8 + 2) * 3);
}

TEST_CASE("defaults fill everything left out") {
  const Scenario s = parse_string(kMinimal, "/some/where/my-scenario.yaml");
  CHECK(s.name == "my-scenario");
  CHECK(s.description.empty());
  CHECK(s.database.mode == DatabaseSpec::Mode::embedded);
  CHECK(s.database.seed);
  REQUIRE(s.servers.size() == 1);
  const ServerSpec& a = s.servers[0];
  CHECK(a.cwd == "/some/where");
  CHECK_FALSE(a.build);
  CHECK_FALSE(a.port);
  CHECK(a.env.empty());
  CHECK(a.ready.path == "/json");
  CHECK(a.ready.timeout == 30s);
  CHECK(a.tests == std::vector<TestType>{TestType::json});
  CHECK(s.load.connections == std::vector<int>{50});
  CHECK(s.load.threads == 0);
  CHECK(s.load.duration == 10s);
  CHECK(s.load.warmup == 5s);
  CHECK(s.load.rate == 0);
  CHECK(s.load.timeout == 8s);
  CHECK(s.load.repeat == 1);
}

TEST_CASE("an empty load section keeps every default") {
  const Scenario s = parse_string(std::string(kMinimal) + "load:\n  # connections: 8\n", "/x/t.yaml");
  CHECK(s.load.connections == std::vector<int>{50});
  CHECK(s.load.duration == 10s);
}

TEST_CASE("short forms: plain paths, auto, scalars for lists, none, dsn without seed") {
  const Scenario s = parse_string(R"(
database: none
servers:
  b: {command: ./b, port: auto, ready: /plaintext}
  a: {command: ./a}
tests:
  plaintext: /plaintext
  json: /json
load: {connections: 8, threads: auto, warmup: 0}
)",
                                  "/x/t.yaml");
  CHECK(s.database.mode == DatabaseSpec::Mode::none);
  CHECK_FALSE(s.database.seed);
  REQUIRE(s.servers.size() == 2);
  CHECK(s.servers[0].name == "b");  // file order, not sorted
  CHECK_FALSE(s.servers[0].port);
  CHECK(s.servers[0].ready.path == "/plaintext");
  CHECK(s.servers[1].tests == std::vector<TestType>{TestType::plaintext, TestType::json});
  CHECK(s.servers[1].ready.path == "/plaintext");
  CHECK(s.load.connections == std::vector<int>{8});
  CHECK(s.load.threads == 0);
  CHECK(s.load.warmup == 0s);

  const Scenario dsn = parse_string(R"(
database: {dsn: "host=127.0.0.1 port=5432 dbname=hello_world user=bench password=x"}
servers: {a: {command: ./a}}
tests: {queries: "/queries?n="}
)",
                                    "/x/t.yaml");
  CHECK(dsn.database.mode == DatabaseSpec::Mode::dsn);
  CHECK_FALSE(dsn.database.seed);  // an existing database is seeded only when asked
  CHECK(dsn.tests[0].levels == std::vector<int>{1, 5, 10, 15, 20});  // TechEmpower's levels by default
  CHECK(dsn.servers[0].ready.path == "/queries?n=1");
}

TEST_CASE("to_json stores the resolved scenario, in order, without the password") {
  const Scenario s = parse_string(kFull, source_dir() / "scenarios" / "full.yaml");
  const nlohmann::json j = to_json(s);
  CHECK(j["name"] == "seed-article");
  CHECK(j["database"]["mode"] == "dsn");
  CHECK(j["database"]["dsn"] == "postgresql://bench:***@127.0.0.1:5432/hello_world");
  CHECK(j["database"]["seed"] == true);
  REQUIRE(j["servers"].size() == 2);
  CHECK(j["servers"][0]["name"] == "fastapi-raw");
  CHECK(j["servers"][0]["port"] == 8081);
  CHECK(j["servers"][0]["ready"]["timeout"] == "45s");
  CHECK(j["servers"][0]["tests"] == nlohmann::json::array({"json", "queries", "plaintext"}));
  CHECK(j["servers"][1]["url"] == "http://127.0.0.1:8080");
  CHECK_FALSE(j["servers"][1].contains("command"));
  CHECK(j["tests"][2]["type"] == "queries");
  CHECK(j["tests"][2]["levels"] == nlohmann::json::array({1, 5, 10, 20}));
  CHECK(j["load"]["warmup"] == "2500ms");
  CHECK(j["load"]["threads"] == 2);
  CHECK(j["cells"] == 30);

  const nlohmann::json defaults = to_json(parse_string(kMinimal, "/x/t.yaml"));
  CHECK(defaults["database"] == nlohmann::json({{"mode", "embedded"}, {"seed", true}}));
  CHECK(defaults["servers"][0]["port"] == "auto");
  CHECK(defaults["servers"][0]["build"] == nullptr);
  CHECK(defaults["load"]["threads"] == "auto");
  CHECK(defaults["load"]["duration"] == "10s");

  const nlohmann::json keyword = to_json(parse_string(
      "database: {dsn: \"host=h password=s3cret user=u\"}\nservers: {a: {command: x}}\ntests: {db: /db}\n", "/x/t.yaml"));
  CHECK(keyword["database"]["dsn"] == "host=h password=*** user=u");
}

TEST_CASE("parse_file reads a real file and names it in errors") {
  const auto dir = std::filesystem::temp_directory_path() / ("bench-scenario-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto good = dir / "good.yaml";
  std::ofstream(good) << kMinimal;
  const Scenario s = parse_file(good);
  CHECK(s.name == "good");
  CHECK(s.servers.at(0).cwd == dir);

  const auto bad = dir / "bad.yaml";
  std::ofstream(bad) << "servers:\n  a:\n    comand: ./a\ntests: {json: /json}\n";
  CHECK_THROWS_WITH(parse_file(bad), Catch::StartsWith(bad.string() + ":3:5: servers.a.comand: unknown key; did you "
                                                                      "mean 'command'?"));
  CHECK_THROWS_WITH(parse_file(dir / "missing.yaml"), (dir / "missing.yaml").string() + ": no such file");
  CHECK_THROWS_WITH(parse_file(dir), dir.string() + ": is a folder; expected a scenario file");
  std::filesystem::remove_all(dir);
}


TEST_CASE("a variant's meta and versions command are read and kept in to_json") {
  const Scenario s = parse_string(
      "servers:\n"
      "  a:\n"
      "    command: ./a\n"
      "    meta: {language: go, framework: net/http, access: micro, rung: \"+ sqlx\"}\n"
      "    versions: ./a --versions\n"
      "  b:\n"
      "    command: ./b\n"
      "tests:\n"
      "  json: /json\n",
      "/x/t.yaml");
  REQUIRE(s.servers.size() == 2);
  CHECK(s.servers[0].meta.language == "go");
  CHECK(s.servers[0].meta.framework == "net/http");
  CHECK(s.servers[0].meta.access == "micro");
  CHECK(s.servers[0].meta.rung == "+ sqlx");
  CHECK(s.servers[0].versions == std::optional<std::string>("./a --versions"));
  CHECK(s.servers[1].meta.empty());
  CHECK_FALSE(s.servers[1].versions);
  const auto j = to_json(s);
  CHECK(j["servers"][0]["meta"]["access"] == "micro");
  CHECK(j["servers"][0]["versions"] == "./a --versions");
  CHECK_FALSE(j["servers"][1].contains("meta"));
  CHECK(testing::error_of("servers:\n  a:\n    command: ./a\n    meta: {access: orm}\ntests:\n  json: /json\n") ==
        "t.yaml:4:20: servers.a.meta.access: unknown data-access class 'orm' (expected one of: none, raw, micro, full)");
  CHECK(testing::error_of("servers:\n  a:\n    command: ./a\n    meta: {lang: go}\ntests:\n  json: /json\n")
            .find("t.yaml:4:12:") == 0);
}

TEST_CASE("meta's ladder names the ladder a variant is a rung of, a ladder needs two rungs") {
  const Scenario s = parse_string(
      "servers:\n"
      "  a: {command: ./a, meta: {ladder: go-nethttp, rung: pgx}}\n"
      "  b: {command: ./b, meta: {ladder: go-nethttp, rung: \"+ sqlx\"}}\n"
      "  c: {command: ./c, meta: {language: go}}\n"
      "tests:\n"
      "  json: /json\n",
      "/x/t.yaml");
  CHECK(s.servers[0].meta.ladder == "go-nethttp");
  CHECK(s.servers[1].meta.ladder == "go-nethttp");
  CHECK(s.servers[2].meta.ladder.empty());
  VariantMeta only_ladder;
  only_ladder.ladder = "x";
  CHECK_FALSE(only_ladder.empty());
  const auto j = to_json(s);
  CHECK(j["servers"][0]["meta"]["ladder"] == "go-nethttp");
  CHECK_FALSE(j["servers"][2]["meta"].contains("ladder"));
  // One variant alone on a ladder: a typo of another ladder's name, or a ladder with nothing to difference.
  CHECK(testing::error_of("servers:\n"
                          "  a: {command: ./a, meta: {ladder: go-nethttp}}\n"
                          "  b: {command: ./b, meta: {ladder: go-nethttp}}\n"
                          "  c: {command: ./c, meta: {ladder: go-nethtp}}\n"
                          "tests:\n  json: /json\n") ==
        "t.yaml:4:36: servers.c.meta.ladder: no other variant is on ladder 'go-nethtp'; a ladder needs at least two "
        "rungs (did you mean 'go-nethttp'?)");
  CHECK_THAT(testing::error_of("servers:\n  a: {command: ./a, meta: {ladder: solo}}\ntests:\n  json: /json\n"),
             Catch::Contains("t.yaml:2:36: servers.a.meta.ladder: no other variant is on ladder 'solo'"));
  CHECK_THAT(testing::error_of("servers:\n  a: {command: ./a, meta: {ladder: \"\"}}\ntests:\n  json: /json\n"),
             Catch::StartsWith("t.yaml:2:"));
}

}  // namespace bench::scenario

namespace bench::scenario {

TEST_CASE("the default name from the file's stem keeps only safe characters") {
  CHECK(parse_string(testing::kMinimal, "dir/ok name \xC3\xBC;$(touch x).yaml").name == "ok-name-touch-x");
  CHECK(parse_string(testing::kMinimal, "dir/plain-name_1.2.yaml").name == "plain-name_1.2");
  CHECK(parse_string(testing::kMinimal, "dir/\xC3\xBC\xC3\xBC.yaml").name == "scenario");
  CHECK(parse_string(testing::kMinimal, "dir/" + std::string(300, 'a') + ".yaml").name.size() == 64);
}

TEST_CASE("a scenario with bytes that are not UTF-8 is refused at the first bad byte") {
  CHECK(testing::error_of("servers:\n  a: {command: \"\xC3\xA9\xFF\"}\n") ==
        "t.yaml:2:18: invalid UTF-8 (byte 0xFF); scenario files must be UTF-8 text");
  CHECK(testing::error_of("\x80") == "t.yaml:1:1: invalid UTF-8 (byte 0x80); scenario files must be UTF-8 text");
}

}  // namespace bench::scenario

namespace bench::scenario {

TEST_CASE("a server's stop_grace defaults to 30s and is bounded") {
  CHECK(parse_string(testing::kMinimal, "t.yaml").servers.front().stop_grace == std::chrono::seconds(30));
  const auto s = parse_string("servers:\n  a: {command: ./a, stop_grace: 2s}\ntests:\n  json: /json\n", "t.yaml");
  CHECK(s.servers.front().stop_grace == std::chrono::seconds(2));
  CHECK(to_json(s)["servers"][0]["stop_grace"] == "2s");
  CHECK(testing::error_of("servers:\n  a: {command: ./a, stop_grace: 11m}\ntests:\n  json: /json\n") ==
        "t.yaml:2:33: servers.a.stop_grace: at most 10m");
}

}  // namespace bench::scenario

namespace bench::scenario {

TEST_CASE("listen: one IP address of this machine, loopback when not written") {
  const auto plain = parse_string(testing::kMinimal, "t.yaml");
  CHECK(plain.listen.address.text == "127.0.0.1");
  CHECK_FALSE(plain.listen.written());
  CHECK_FALSE(to_json(plain).contains("listen"));  // unchanged results for scenarios that do not say

  const auto v4 = parse_string("listen: 10.0.0.5\n" + std::string(testing::kMinimal), "t.yaml");
  CHECK(v4.listen.address.text == "10.0.0.5");
  CHECK(v4.listen.where.line == 1);
  CHECK(to_json(v4)["listen"] == "10.0.0.5");
  CHECK(parse_string("listen: 'fd00:0::5'\n" + std::string(testing::kMinimal), "t.yaml").listen.address.url_host() ==
        "[fd00::5]");

  CHECK(testing::error_of("listen: db.example\n" + std::string(testing::kMinimal)) ==
        "t.yaml:1:9: listen: expected an IP address of this machine (e.g. 10.0.0.5 or fd00::5), got 'db.example'; "
        "host names are not resolved");
  CHECK(testing::error_of("listen: 0.0.0.0\n" + std::string(testing::kMinimal)) ==
        "t.yaml:1:9: listen: '0.0.0.0' listens on every interface; give the one address other hosts reach this "
        "machine on (e.g. 10.0.0.5)");
  CHECK(testing::error_of("servers:\n  a: {command: ./a, env: {BENCH_HOST: x}}\ntests:\n  json: /json\n") ==
        "t.yaml:2:27: servers.a.env.BENCH_HOST: set the scenario's 'listen' instead");
}

}  // namespace bench::scenario

namespace bench::scenario {

TEST_CASE("load.rate reads counts as bench load -R does: SI suffixes, one parser", "[parse]") {
  const auto rate_of = [](const std::string& text) {
    return parse_string(std::string(testing::kMinimal) + "load:\n  rate: " + text + "\n", "t.yaml").load.rate;
  };
  CHECK(rate_of("20k") == 20000);
  CHECK(rate_of("1.5M") == 1.5e6);
  CHECK(rate_of("1e8") == 1e8);
  CHECK(rate_of("0") == 0);
  CHECK(testing::error_of(std::string(testing::kMinimal) + "load:\n  rate: 1G\n") ==
        "t.yaml:7:9: load.rate: rate '1G' is above the most the load engine schedules, 100M requests/s (1e8)");
}

}  // namespace bench::scenario
