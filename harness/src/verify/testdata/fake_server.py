#!/usr/bin/python3
"""A fake TechEmpower server for the verifier's tests (stdlib only; run with Debian's /usr/bin/python3).

Serves /json, /db, /queries?queries=, /fortunes, /updates?queries=, /plaintext from an in-memory World table and
counts its "statements" the way pg_stat_statements would, so a test's FakeDbProbe can read the same data:
  /_world   the World table as {"id": randomNumber, ...}
  /_counts  cumulative counters {select_world_calls, select_world_rows, update_world_calls, ...}
--mode picks good behaviour or one specific fault (see MODES). The first stdout line is the port it listens on
(--port 0 picks a free one); the line is printed after the socket listens, so it is a readiness signal.
"""

import argparse
import html
import json
import random
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MODES = {
    "good": "behaves as TechEmpower requires",
    "wrong_content_type": "JSON served as text/plain",
    "no_server_header": "no Server header",
    "no_length": "neither Content-Length nor Transfer-Encoding (closes the connection instead)",
    "status_500": "every endpoint answers 500",
    "stale_date": "the Date header never changes",
    "date_per_connection": "the Date header is fixed when a connection opens (as uvicorn 0.17 with httptools)",
    "json_wrong_message": "/json says Goodbye",
    "json_extra_key": "/json has an extra key",
    "db_array": "/db answers a one-element array",
    "db_out_of_range": "/db answers randomNumber 20000",
    "queries_not_clamped": "queries=0 gives 0 rows and queries=501 gives 501",
    "cached_queries": "/db and /queries answer from a cache: no statements run",
    "extra_queries": "each World row is selected twice",
    "fortunes_unescaped": "fortunes not HTML-escaped",
    "fortunes_missing_extra": "fortunes without the row added at request time",
    "fortunes_unsorted": "fortunes in id order",
    "fortunes_no_charset": "fortunes Content-Type without charset",
    "fortunes_entity_forms": "fortunes escaped with numeric references and pretty-printed (valid)",
    "updates_no_write": "/updates returns new numbers but never writes them",
    "updates_partial": "/updates writes only 85% of the rows",
    "updates_batched": "/updates writes each request's rows with one batched statement (valid)",
    "plaintext_extra": "/plaintext adds a newline",
}

FORTUNES = [
    (1, "fortune: No such file or directory"),
    (2, "A computer scientist is someone who fixes things that aren't broken."),
    (3, "After enough decimal places, nobody gives a damn."),
    (4, "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1"),
    (5, "A computer program does what you tell it to do, not what you want it to do."),
    (6, "Emacs is a nice operating system, but I prefer UNIX. \u2014 Tom Christaensen"),
    (7, "Any program that runs right is obsolete."),
    (8, "A list is only as strong as its weakest link. \u2014 Donald Knuth"),
    (9, "Feature: A bug with seniority."),
    (10, "Computers make very fast, very accurate mistakes."),
    (11, '<script>alert("This should not be displayed in a browser alert box.");</script>'),
    (12, "\u30d5\u30ec\u30fc\u30e0\u30ef\u30fc\u30af\u306e\u30d9\u30f3\u30c1\u30de\u30fc\u30af"),
]

STALE_DATE = "Sun, 06 Nov 1994 08:49:37 GMT"


class Database:
    """The World table and statement counters, shared by all handler threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.world = {i: random.randint(1, 10000) for i in range(1, 10001)}
        self.counts = dict.fromkeys(
            ["select_world_calls", "select_world_rows", "update_world_calls", "update_world_rows",
             "select_fortune_calls", "select_fortune_rows"], 0)

    def select_worlds(self, ids, times=1):
        with self.lock:
            self.counts["select_world_calls"] += len(ids) * times
            self.counts["select_world_rows"] += len(ids) * times
            return [{"id": i, "randomNumber": self.world[i]} for i in ids]

    def update_worlds(self, rows, batched):
        with self.lock:
            self.counts["update_world_calls"] += 1 if batched else len(rows)
            self.counts["update_world_rows"] += len(rows)
            for row in rows:
                self.world[row["id"]] = row["randomNumber"]

    def select_fortunes(self):
        with self.lock:
            self.counts["select_fortune_calls"] += 1
            self.counts["select_fortune_rows"] += len(FORTUNES)
        return list(FORTUNES)


def query_count(params, clamp=True):
    """TechEmpower's rule: missing, non-integer or < 1 gives 1; more than 500 gives 500."""
    try:
        n = int(params.get("queries", ["1"])[0])
    except ValueError:
        n = 1
    return max(1, min(500, n)) if clamp else n


def fortunes_page(mode, fortunes):
    rows = list(fortunes)
    if mode != "fortunes_missing_extra":
        rows.append((0, "Additional fortune added at request time."))
    rows.sort(key=(lambda r: r[0]) if mode == "fortunes_unsorted" else (lambda r: r[1]))
    if mode == "fortunes_unescaped":
        escape = str
    elif mode == "fortunes_entity_forms":
        escape = lambda s: s.replace("&", "&#38;").replace("<", "&#x3C;").replace(">", "&#62;").replace(
            '"', "&#34;").replace("'", "&#x27;")
    else:
        escape = html.escape
    sep = "\n  " if mode == "fortunes_entity_forms" else ""
    body = "".join(f"{sep}<tr><td>{i}</td><td>{escape(m)}</td></tr>" for i, m in rows)
    doctype = "<!DOCTYPE html>" if mode == "fortunes_entity_forms" else "<!doctype html>"
    return (f"{doctype}<html><head><title>Fortunes</title></head><body><table>{sep}"
            f"<tr><th>id</th><th>message</th></tr>{body}{sep}</table></body></html>")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes: avoid 40 ms delayed-ACK stalls
    server_version = "FakeTFB/1.0"
    sys_version = ""

    def log_message(self, format, *args):  # quiet: the tests read only the port line
        pass

    def setup(self):  # once per connection
        super().setup()
        self.connection_date = self.date_time_string()

    def send_response(self, code, message=None):
        mode = self.server.mode
        self.send_response_only(code, message)
        if mode != "no_server_header":
            self.send_header("Server", self.version_string())
        date = {"stale_date": STALE_DATE, "date_per_connection": self.connection_date}.get(mode)
        self.send_header("Date", date or self.date_time_string())

    def reply(self, content_type, body, status=200):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if self.server.mode == "no_length":
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def reply_json(self, value):
        ctype = "text/plain" if self.server.mode == "wrong_content_type" else "application/json"
        self.reply(ctype, json.dumps(value))

    def do_GET(self):
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        mode, db = self.server.mode, self.server.db
        if url.path == "/_world":
            with db.lock:
                return self.reply("application/json", json.dumps(db.world))
        if url.path == "/_counts":
            with db.lock:
                return self.reply("application/json", json.dumps(db.counts))
        if mode == "status_500":
            return self.reply("text/plain", "internal error", status=500)
        handler = {"/json": self.json, "/plaintext": self.plaintext, "/db": self.db, "/queries": self.queries,
                   "/fortunes": self.fortunes, "/updates": self.updates}.get(url.path)
        if handler is None:
            return self.reply("text/plain", "not found", status=404)
        handler(mode, db, params)

    def json(self, mode, db, params):
        message = {"message": "Goodbye, World!" if mode == "json_wrong_message" else "Hello, World!"}
        if mode == "json_extra_key":
            message["extra"] = 1
        self.reply_json(message)

    def plaintext(self, mode, db, params):
        self.reply("text/plain", "Hello, World!\n" if mode == "plaintext_extra" else "Hello, World!")

    def read_rows(self, mode, db, n):
        ids = random.sample(range(1, 10001), n)
        if mode == "cached_queries":
            with db.lock:
                return [{"id": i, "randomNumber": db.world[i]} for i in ids]
        return db.select_worlds(ids, times=2 if mode == "extra_queries" else 1)

    def db(self, mode, db, params):
        row = self.read_rows(mode, db, 1)[0]
        if mode == "db_out_of_range":
            row["randomNumber"] = 20000
        self.reply_json([row] if mode == "db_array" else row)

    def queries(self, mode, db, params):
        self.reply_json(self.read_rows(mode, db, query_count(params, clamp=mode != "queries_not_clamped")))

    def fortunes(self, mode, db, params):
        ctype = "text/html" if mode == "fortunes_no_charset" else "text/html; charset=utf-8"
        self.reply(ctype, fortunes_page(mode, db.select_fortunes()))

    def updates(self, mode, db, params):
        rows = self.read_rows(mode, db, query_count(params))
        for row in rows:  # a new value, uniformly among those that differ from the old one
            new = random.randint(1, 9999)
            row["randomNumber"] = new + 1 if new >= row["randomNumber"] else new
        if mode == "updates_partial":
            db.update_worlds(rows[: len(rows) * 85 // 100], batched=False)
        elif mode != "updates_no_write":
            db.update_worlds(rows, batched=mode == "updates_batched")
        self.reply_json(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mode", choices=sorted(MODES), default="good")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.mode = args.mode
    server.db = Database()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
