#!/usr/bin/python3
"""A small TechEmpower-style server for bench run's integration tests (stdlib only).

Serves /json and /plaintext correctly on 127.0.0.1:$PORT, with knobs for the failures the harness must handle:
  --bad-json        /json answers {"message": "Goodbye"}      (verification must fail)
  --die-after N     exits (code 3) after N requests            (a server that crashes mid-run)
  --slow-start S    waits S seconds before listening           (readiness must poll, not sleep)
Any extra arguments are ignored, so tests can tag the command line with a unique token.
"""
import argparse
import http.server
import json
import os
import sys
import threading
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bad-json", action="store_true")
    parser.add_argument("--die-after", type=int, default=0)
    parser.add_argument("--slow-start", type=float, default=0.0)
    args, _ = parser.parse_known_args()

    lock = threading.Lock()
    served = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as every load generator expects
        disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms delayed-ACK stalls

        def do_GET(self):
            if self.path == "/json":
                message = "Goodbye" if args.bad_json else "Hello, World!"
                body, ctype = json.dumps({"message": message}).encode(), "application/json"
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

        def log_message(self, *_):
            pass

    if args.slow_start:
        time.sleep(args.slow_start)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler)
    server.daemon_threads = True
    print(f"tiny_server: listening on {os.environ['PORT']}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
