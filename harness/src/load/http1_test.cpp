#include "load/http1.h"

#include <catch2/catch.hpp>

#include <string>

namespace {

using bench::load::ResponseReader;
using Outcome = ResponseReader::Outcome;

const std::string kOk = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

// Feeds bytes that hold at most one response: complete only when it ends exactly at the last byte.
Outcome feed(ResponseReader& reader, const std::string& bytes) {
  size_t used = 0;
  const auto outcome = reader.feed(bytes.data(), bytes.size(), used);
  if (outcome == Outcome::complete) REQUIRE(used == bytes.size());
  return outcome;
}

}  // namespace

TEST_CASE("format_request writes the request line, Host and the user's headers") {
  bench::load::Request request;
  request.url = "http://127.0.0.1:8080/db?queries=20";
  request.headers = {"Accept: application/json", "X-Test: yes"};
  REQUIRE(bench::load::format_request(request) ==
          "GET /db?queries=20 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: application/json\r\nX-Test: yes\r\n\r\n");
}

TEST_CASE("format_request: a body gets Content-Length, user headers replace or remove the defaults") {
  bench::load::Request request;
  request.url = "http://example.test";
  request.method = "POST";
  request.body = R"({"a":1})";
  REQUIRE(bench::load::format_request(request) ==
          "POST / HTTP/1.1\r\nHost: example.test\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
  request.headers = {"host: other", "Content-Length:"};
  REQUIRE(bench::load::format_request(request) == "POST / HTTP/1.1\r\nhost: other\r\n\r\n{\"a\":1}");
  request.url = "not a url";
  REQUIRE_THROWS_AS(bench::load::format_request(request), std::invalid_argument);
}

TEST_CASE("direct exchange is for plain http and HTTP/1.1 only") {
  bench::load::Options options;
  options.request.url = "http://127.0.0.1/";
  REQUIRE(bench::load::direct_exchange_possible(options));
  options.libcurl_exchange = true;
  REQUIRE_FALSE(bench::load::direct_exchange_possible(options));
  options.libcurl_exchange = false;
  options.request.http2 = true;
  REQUIRE_FALSE(bench::load::direct_exchange_possible(options));
  options.request.http2 = false;
  options.request.url = "https://127.0.0.1/";
  REQUIRE_FALSE(bench::load::direct_exchange_possible(options));
  options.request.url = "http://user:secret@127.0.0.1/";
  REQUIRE_FALSE(bench::load::direct_exchange_possible(options));
  options.request.url = "HTTP://127.0.0.1:8080/x";
  REQUIRE(bench::load::direct_exchange_possible(options));
}

TEST_CASE("a response split anywhere completes once, at its last byte") {
  for (size_t cut = 1; cut < kOk.size(); ++cut) {
    ResponseReader reader;
    REQUIRE(feed(reader, kOk.substr(0, cut)) == Outcome::partial);
    REQUIRE(feed(reader, kOk.substr(cut)) == Outcome::complete);
    REQUIRE(reader.status() == 200);
    REQUIRE(reader.keep_alive());
  }
}

TEST_CASE("responses follow each other on one connection") {
  ResponseReader reader;
  REQUIRE(feed(reader, kOk) == Outcome::complete);
  REQUIRE(feed(reader, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n") == Outcome::complete);
  REQUIRE(reader.status() == 404);
  REQUIRE(feed(reader, kOk) == Outcome::complete);
  REQUIRE(reader.status() == 200);
}

TEST_CASE("chunked bodies are read to their last chunk") {
  ResponseReader reader;
  REQUIRE(feed(reader, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n") == Outcome::partial);
  REQUIRE(feed(reader, "0\r\n\r\n") == Outcome::complete);
  REQUIRE(feed(reader, kOk) == Outcome::complete);
}

TEST_CASE("Connection: close and HTTP/1.0 say the connection is done") {
  ResponseReader reader;
  REQUIRE(feed(reader, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n") == Outcome::complete);
  REQUIRE_FALSE(reader.keep_alive());
  reader.reset();
  REQUIRE(feed(reader, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n") == Outcome::complete);
  REQUIRE_FALSE(reader.keep_alive());
}

TEST_CASE("a body delimited by the close completes when the peer closes") {
  ResponseReader reader;
  REQUIRE(feed(reader, "HTTP/1.1 200 OK\r\n\r\nsome body") == Outcome::partial);
  REQUIRE(reader.closed() == Outcome::complete);
  REQUIRE(reader.status() == 200);
  REQUIRE_FALSE(reader.keep_alive());
}

TEST_CASE("a close between responses is clean, one inside a response is an error") {
  ResponseReader reader;
  REQUIRE(reader.closed() == Outcome::partial);
  REQUIRE(feed(reader, kOk.substr(0, 20)) == Outcome::partial);
  REQUIRE(reader.closed() == Outcome::error);
}

TEST_CASE("HEAD responses have no body whatever Content-Length says") {
  ResponseReader reader(true);
  REQUIRE(feed(reader, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n") == Outcome::complete);
}

TEST_CASE("100 Continue is not the answer") {
  ResponseReader reader;
  REQUIRE(feed(reader, "HTTP/1.1 100 Continue\r\n\r\n") == Outcome::partial);
  REQUIRE(feed(reader, kOk) == Outcome::complete);
  REQUIRE(reader.status() == 200);
}

TEST_CASE("garbage is an error") {
  ResponseReader reader;
  REQUIRE(feed(reader, "SSH-2.0-OpenSSH\r\n") == Outcome::error);
}

TEST_CASE("pipelined responses in one read come out one at a time") {
  ResponseReader reader;
  const std::string bytes = kOk + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nhi" + kOk.substr(0, 10);
  size_t used = 0;
  REQUIRE(reader.feed(bytes.data(), bytes.size(), used) == Outcome::complete);
  REQUIRE(used == kOk.size());
  REQUIRE(reader.status() == 200);
  size_t offset = used;
  REQUIRE(reader.feed(bytes.data() + offset, bytes.size() - offset, used) == Outcome::complete);
  REQUIRE(reader.status() == 201);
  offset += used;
  REQUIRE(bytes.size() - offset == 10);
  REQUIRE(reader.feed(bytes.data() + offset, bytes.size() - offset, used) == Outcome::partial);
  REQUIRE(feed(reader, kOk.substr(10)) == Outcome::complete);
}
