#!/usr/bin/python3
"""A small TechEmpower-style server for bench run's integration tests (stdlib only).

Serves /json and /plaintext correctly on $BENCH_HOST:$PORT (default 127.0.0.1), with knobs for the failures the harness must handle:
  --bad-json        /json answers {"message": "Goodbye"}      (verification must fail)
  --die-after N     exits (code 3) after N requests            (a server that crashes mid-run)
  --slow-start S    waits S seconds before listening           (readiness must poll, not sleep)
  --cut-json        /json answers Japanese JSON cut mid-character (bytes that are not valid UTF-8)
  --binary-plaintext  /plaintext answers all 256 byte values
  --bad-date        the Date header is bytes that are not UTF-8
  --log-garbage     writes a log line with \xff before listening
  --freeze-after N  stops itself (SIGSTOP) after N requests       (a wedged server mid-measurement)
  --ignore-term     ignores SIGTERM                              (only SIGKILL stops it)
  --versions        prints its components' versions as one JSON object and exits (a scenario's `versions:`)
  --delay-ms MS     waits MS milliseconds before each answer        (a slower revision of the same server)
Any extra arguments are ignored, so tests can tag the command line with a unique token.
"""
import argparse
import http.server
import json
import os
import signal
import sys
import threading
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bad-json", action="store_true")
    parser.add_argument("--die-after", type=int, default=0)
    parser.add_argument("--slow-start", type=float, default=0.0)
    parser.add_argument("--cut-json", action="store_true")
    parser.add_argument("--binary-plaintext", action="store_true")
    parser.add_argument("--bad-date", action="store_true")
    parser.add_argument("--log-garbage", action="store_true")
    parser.add_argument("--freeze-after", type=int, default=0)
    parser.add_argument("--ignore-term", action="store_true")
    parser.add_argument("--versions", action="store_true")
    parser.add_argument("--delay-ms", type=float, default=0.0)
    args, _ = parser.parse_known_args()
    if args.versions:
        import platform
        print(json.dumps({"python": platform.python_version()}))  # http.server is part of Python
        return

    lock = threading.Lock()
    served = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as every load generator expects
        disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms delayed-ACK stalls

        def do_GET(self):
            if args.delay_ms:
                time.sleep(args.delay_ms / 1000)
            if self.path == "/json" and args.cut_json:
                whole = json.dumps({"message": "こんにちは、世界"}, ensure_ascii=False)
                body, ctype = whole.encode()[:20], "application/json"  # 20 bytes end inside a 3-byte character
            elif self.path == "/json":
                message = "Goodbye" if args.bad_json else "Hello, World!"
                body, ctype = json.dumps({"message": message}).encode(), "application/json"
            elif self.path == "/plaintext" and args.binary_plaintext:
                body, ctype = bytes(range(256)), "text/plain"
            elif self.path == "/plaintext":
                body, ctype = b"Hello, World!", "text/plain"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            with lock:
                served[0] += 1
                if args.die_after and served[0] >= args.die_after:
                    print(f"tiny_server: dying after {served[0]} requests", flush=True)
                    os._exit(3)
                if args.freeze_after and served[0] == args.freeze_after:
                    os.kill(os.getpid(), signal.SIGSTOP)

        def log_message(self, *_):
            pass

        def date_time_string(self, timestamp=None):
            if args.bad_date:
                return "\xff\xfe\x80 not a date"  # sent as latin-1: bytes FF FE 80, not UTF-8
            return super().date_time_string(timestamp)

    if args.ignore_term:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if args.log_garbage:
        sys.stdout.buffer.write(b"tiny_server: garbage \xff\xfe in the log\n")
        sys.stdout.flush()
    if args.slow_start:
        time.sleep(args.slow_start)
    server = http.server.ThreadingHTTPServer((os.environ.get("BENCH_HOST", "127.0.0.1"), int(os.environ["PORT"])), Handler)
    server.daemon_threads = True
    print(f"tiny_server: listening on {os.environ['PORT']}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
