// Every rejected input is reported at the offending node, 1-based, with what was expected.
#include "scenario/scenario.h"
#include "scenario/test_support.h"

#include <catch2/catch.hpp>

#include <string>

namespace bench::scenario {

using testing::error_of;
using testing::kMinimal;

namespace {

// kMinimal plus a load section (its lines start at line 6).
std::string with_load(const std::string& load) { return std::string(kMinimal) + "load:\n" + load; }

}  // namespace

TEST_CASE("YAML syntax errors keep yaml-cpp's place, made 1-based") {
  CHECK(error_of("servers: [a, b\ntests: {}\n") == "t.yaml:2:6: YAML syntax error: end of sequence flow not found");
  CHECK(error_of("servers:\n  a: 1\n b: 2\n") == "t.yaml:3:2: YAML syntax error: end of map not found");
}

TEST_CASE("misspelt keys are caught and the right one suggested") {
  CHECK(error_of(with_load("  conections: 5\n")) ==
        "t.yaml:7:3: load.conections: unknown key; did you mean 'connections'? (expected one of: connections, "
        "threads, duration, warmup, rate, timeout, repeat, ranks, hosts, launcher)");
  CHECK(error_of(std::string(kMinimal) + "loda: {}\n") ==
        "t.yaml:6:1: loda: unknown key; did you mean 'load'? (expected one of: name, description, database, servers, "
        "tests, load, placement, listen, thresholds)");
  CHECK(error_of("servers:\n  a:\n    command: x\n    redy: /json\ntests: {json: /json}\n") ==
        "t.yaml:4:5: servers.a.redy: unknown key; did you mean 'ready'? (expected one of: build, command, cwd, env, "
        "port, ready, stop_grace, tests, url, meta, versions)");
  CHECK(error_of("servers: {a: {command: x}}\ntests:\n  jsno: /json\n") ==
        "t.yaml:3:3: tests.jsno: unknown test type; did you mean 'json'? (expected one of: json, db, queries, "
        "fortunes, updates, plaintext)");
  CHECK(error_of("servers: {a: {command: x}}\ntests:\n  json: {path: /json, level: [1]}\n") ==
        "t.yaml:3:23: tests.json.level: unknown key; did you mean 'levels'? (expected one of: path, levels, "
        "connections, pipeline)");
  // Nothing close: no suggestion, just the list.
  CHECK(error_of(with_load("  banana: 1\n")) ==
        "t.yaml:7:3: load.banana: unknown key (expected one of: connections, threads, duration, warmup, rate, "
        "timeout, repeat, ranks, hosts, launcher)");
}

TEST_CASE("wrong types say what was expected and what was found") {
  CHECK(error_of(with_load("  connections: {a: 1}\n")) ==
        "t.yaml:7:16: load.connections: expected an integer from 1 to 100000, got a mapping");
  CHECK(error_of(with_load("  connections: many\n")) ==
        "t.yaml:7:16: load.connections: expected an integer from 1 to 100000, got 'many'");
  CHECK(error_of(with_load("  repeat: [1]\n")) == "t.yaml:7:11: load.repeat: expected an integer from 1 to 1000, got a list");
  CHECK(error_of("servers: [a, b]\ntests: {json: /json}\n") ==
        "t.yaml:1:10: servers: expected a mapping, got a list");
  CHECK(error_of("servers:\n  a: ./a\ntests: {json: /json}\n") ==
        "t.yaml:2:6: servers.a: expected a mapping with command (or url) and optional keys, got './a'");
  CHECK(error_of("servers: {a: {command: x, env: {A: [1]}}}\ntests: {json: /json}\n") ==
        "t.yaml:1:36: servers.a.env.A: expected a string, got a list");
  CHECK(error_of("database: {dsn: postgresql://h/db, seed: maybe}\n" + std::string(kMinimal)) ==
        "t.yaml:1:42: database.seed: expected true or false, got 'maybe'");
  CHECK(error_of("- a\n- b\n") == "t.yaml:1:1: scenario: expected a mapping with 'servers' and 'tests', got a list");
}

TEST_CASE("bad values are rejected at the value") {
  CHECK(error_of(with_load("  connections: [16, -4]\n")) ==
        "t.yaml:7:21: load.connections[1]: expected an integer from 1 to 100000, got '-4'");
  CHECK(error_of(with_load("  connections: 0\n")) ==
        "t.yaml:7:16: load.connections: expected an integer from 1 to 100000, got '0'");
  CHECK(error_of(with_load("  connections: [8, 8]\n")) == "t.yaml:7:20: load.connections[1]: 8 is listed twice");
  CHECK(error_of(with_load("  connections: []\n")) ==
        "t.yaml:7:16: load.connections: expected an integer from 1 to 100000 or a non-empty list of them");
  CHECK(error_of(with_load("  duration: 0s\n")) ==
        "t.yaml:7:13: load.duration: expected a positive duration (10s, 2m, 250ms), got '0s'");
  CHECK(error_of(with_load("  duration: 10 seconds\n")) ==
        "t.yaml:7:13: load.duration: invalid duration '10 seconds': unknown unit ' seconds' (expected a number with a "
        "unit: 10s, 2m, 1h, 250ms, 800us)");
  CHECK(error_of(with_load("  warmup: -1s\n")) ==
        "t.yaml:7:11: load.warmup: invalid duration '-1s': negative (expected a number with a unit: 10s, 2m, 1h, "
        "250ms, 800us)");
  CHECK(error_of(with_load("  repeat: 0\n")) == "t.yaml:7:11: load.repeat: expected an integer from 1 to 1000, got '0'");
  CHECK(error_of(with_load("  rate: -5\n")) ==
        "t.yaml:7:9: load.rate: invalid number '-5': negative (expected a number >= 0 with an optional k, M or G: "
        "1000, 20k, 1.5M)");
  // Issue 25: a rate the engine cannot schedule is refused here, with the limit, not hung on at run time.
  CHECK(error_of(with_load("  rate: 1e18\n")) ==
        "t.yaml:7:9: load.rate: rate '1e18' is above the most the load engine schedules, 100M requests/s (1e8)");
  CHECK(error_of(with_load("  rate: [1]\n")) == "t.yaml:7:9: load.rate: expected a rate in requests/s (0, 500, 20k, "
                                                 "1.5M), got a list");
  CHECK(error_of(with_load("  timeout: 0\n")) ==
        "t.yaml:7:12: load.timeout: expected a positive duration (10s, 2m, 250ms), got '0'");
  CHECK(error_of("servers: {a: {command: x, port: 70000}}\ntests: {json: /json}\n") ==
        "t.yaml:1:33: servers.a.port: expected 'auto' or an integer from 1 to 65535, got '70000'");
  CHECK(error_of("servers: {a: {command: x, ready: {timeout: 0s}}}\ntests: {json: /json}\n") ==
        "t.yaml:1:44: servers.a.ready.timeout: expected a positive duration (10s, 2m, 250ms), got '0s'");
  CHECK(error_of("servers: {a: {command: x}}\ntests:\n  json: json\n") ==
        "t.yaml:3:9: tests.json: expected a path starting with '/', got 'json'");
  CHECK(error_of("servers: {a: {url: 127.0.0.1:8080}}\ntests: {json: /json}\n") ==
        "t.yaml:1:20: servers.a.url: expected an http:// or https:// URL with a host (http://127.0.0.1:8080), got "
        "'127.0.0.1:8080'");
  CHECK(error_of("servers: {a: {command: x, cwd: no-such-folder}}\ntests: {json: /json}\n")
            .starts_with("t.yaml:1:32: servers.a.cwd: no such folder: /"));
  CHECK(error_of("database: embeded\n" + std::string(kMinimal)) ==
        "t.yaml:1:11: database: expected 'embedded', 'none' or a mapping with dsn (and seed), got 'embeded'; did you "
        "mean 'embedded'?");
  CHECK(error_of("database: {dsn: \"host=h bogus=1\"}\n" + std::string(kMinimal))
            .starts_with("t.yaml:1:17: database.dsn: not a valid connection string: invalid connection option"));
  CHECK(error_of("name: my scenario\n" + std::string(kMinimal)) ==
        "t.yaml:1:7: name: use only letters, digits, '.', '_' and '-'");
  CHECK(error_of("servers: {a: {command: x, env: {PORT: 1}}}\ntests: {json: /json}\n") ==
        "t.yaml:1:33: servers.a.env.PORT: set the server's 'port' instead");
}

TEST_CASE("query levels must lie in 1..500 and belong to queries or updates") {
  const std::string head = "servers: {a: {command: x}}\ntests:\n";
  CHECK(error_of(head + "  queries: {path: \"/q?n=\", levels: [1, 501]}\n") ==
        "t.yaml:3:40: tests.queries.levels[1]: expected an integer from 1 to 500, got '501'");
  CHECK(error_of(head + "  updates: {path: \"/u?n=\", levels: 0}\n") ==
        "t.yaml:3:36: tests.updates.levels: expected an integer from 1 to 500, got '0'");
  CHECK(error_of(head + "  db: {path: /db, levels: [1]}\n") ==
        "t.yaml:3:27: tests.db.levels: levels apply only to queries and updates");
}

TEST_CASE("pipeline depth lies in 1..256 and needs http:// servers") {
  CHECK(error_of("servers: {a: {command: x}}\ntests:\n  plaintext: {path: /p, pipeline: 0}\n") ==
        "t.yaml:3:35: tests.plaintext.pipeline: expected an integer from 1 to 256, got '0'");
  CHECK(error_of("servers: {a: {url: \"https://h:1\"}}\ntests:\n  plaintext: {path: /p, pipeline: 16}\n") ==
        "t.yaml:1:20: servers.a.url: plaintext is pipelined (pipeline: 16), which needs an http:// server");
  CHECK(error_of("servers: {a: {url: \"http://h:1\"}}\ntests:\n  plaintext: {path: /p, pipeline: 16}\n") ==
        "no error");
}

TEST_CASE("threads may not exceed any connection level in use") {
  CHECK(error_of(with_load("  connections: [4, 64]\n  threads: 8\n")) ==
        "t.yaml:8:12: load.threads: 8 threads is more than 4 connections (used by json); each thread needs at least "
        "one connection");
  CHECK(error_of("servers: {a: {command: x}}\ntests:\n  json: {path: /json, connections: 2}\nload: {threads: 4}\n") ==
        "t.yaml:4:17: load.threads: 4 threads is more than 2 connections (used by json); each thread needs at least "
        "one connection");
  CHECK(error_of(with_load("  threads: 0\n")) == "t.yaml:7:12: load.threads: expected 'auto' or an integer from 1 to 1024, got '0'");
  CHECK(error_of(with_load("  connections: [4, 64]\n  threads: 4\n")) == "no error");
}

TEST_CASE("servers: command or url, never both, tests they serve must exist") {
  CHECK(error_of("servers:\n  a:\n    port: 8080\ntests: {json: /json}\n") ==
        "t.yaml:2:3: servers.a: missing 'command' (or 'url' for a server that runs elsewhere)");
  CHECK(error_of("servers:\n  a:\n    url: http://h:1\n    command: x\ntests: {json: /json}\n") ==
        "t.yaml:4:5: servers.a.command: not allowed together with url (a server that runs elsewhere is only measured)");
  CHECK(error_of("servers:\n  a: {url: http://h:1, port: 1}\ntests: {json: /json}\n") ==
        "t.yaml:2:24: servers.a.port: not allowed together with url (a server that runs elsewhere is only measured)");
  CHECK(error_of("servers:\n  a: {build: make, url: http://h:1}\ntests: {json: /json}\n") ==
        "t.yaml:2:7: servers.a.build: not allowed together with url (a server that runs elsewhere is only measured)");
  CHECK(error_of("servers:\n  a: {command: x, tests: [json, plaintxt]}\ntests: {json: /json}\n") ==
        "t.yaml:2:33: servers.a.tests[1]: unknown test type 'plaintxt'; did you mean 'plaintext'? (expected one of: "
        "json, db, queries, fortunes, updates, plaintext)");
  CHECK(error_of("servers:\n  a: {command: x, tests: [json, db]}\ntests: {json: /json}\n") ==
        "t.yaml:2:33: servers.a.tests[1]: test 'db' is not defined under tests (defined: json)");
  CHECK(error_of("servers:\n  a: {command: x, tests: [json, json]}\ntests: {json: /json}\n") ==
        "t.yaml:2:33: servers.a.tests[1]: 'json' is listed twice");
  CHECK(error_of("servers:\n  a: {command: x, tests: []}\ntests: {json: /json}\n") ==
        "t.yaml:2:26: servers.a.tests: expected at least one test");
  CHECK(error_of("database: none\nservers: {a: {command: x}}\ntests:\n  json: /json\n  db: /db\n") ==
        "t.yaml:5:3: tests.db: needs a database, but database is 'none'");
  CHECK(error_of("servers:\n  a b: {command: x}\ntests: {json: /json}\n") ==
        "t.yaml:2:3: servers.a b: use only letters, digits, '.', '_' and '-' in server names");
}

TEST_CASE("duplicate names and empty sections") {
  CHECK(error_of("servers:\n  a: {command: x}\n  a: {command: y}\ntests: {json: /json}\n") ==
        "t.yaml:3:3: servers.a: duplicate key");
  CHECK(error_of("servers: {a: {command: x}}\ntests:\n  json: /json\n  json: /j2\n") == "t.yaml:4:3: tests.json: duplicate key");
  CHECK(error_of(with_load("  duration: 1s\n  duration: 2s\n")) == "t.yaml:8:3: load.duration: duplicate key");
  CHECK(error_of("servers: {}\ntests: {json: /json}\n") == "t.yaml:1:10: servers: expected at least one server");
  CHECK(error_of("servers:\ntests: {json: /json}\n") == "t.yaml:1:1: servers: expected a mapping, got nothing");
  CHECK(error_of("servers: {a: {command: x}}\ntests: {}\n") ==
        "t.yaml:2:8: tests: expected at least one test (json: /json, ...)");
}

TEST_CASE("missing fields are reported at the mapping that lacks them") {
  CHECK(error_of("tests: {json: /json}\n") == "t.yaml:1:1: missing 'servers' (the server variants to measure)");
  CHECK(error_of("servers: {a: {command: x}}\n") == "t.yaml:1:1: missing 'tests' (the TechEmpower tests and their paths)");
  CHECK(error_of("") == "t.yaml:1:1: empty scenario; expected a mapping with 'servers' and 'tests'");
  CHECK(error_of("# only a comment\n") == "t.yaml:1:1: empty scenario; expected a mapping with 'servers' and 'tests'");
  CHECK(error_of("database:\n  seed: true\n" + std::string(kMinimal)) ==
        "t.yaml:2:3: database: missing 'dsn' (postgresql://user:password@host:port/dbname)");
  CHECK(error_of("servers: {a: {command: x}}\ntests:\n  queries: {levels: [1]}\n") ==
        "t.yaml:3:12: tests.queries: missing 'path'");
  CHECK(error_of("servers: {a: {command: \"\"}}\ntests: {json: /json}\n") ==
        "t.yaml:1:24: servers.a.command: must not be empty");
  CHECK(error_of("servers: {a: {command: }}\ntests: {json: /json}\n") ==
        "t.yaml:1:15: servers.a.command: expected a string, got nothing");
}

}  // namespace bench::scenario
