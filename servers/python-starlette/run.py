"""Starts the Starlette app on uvicorn (uvloop, httptools) on $BENCH_HOST:$PORT (default 127.0.0.1) with $WORKERS processes
(default 1), exactly as python-fastapi/run.py starts FastAPI, so the two differ by the framework alone.

Usage: BENCH_VARIANT=raw DATABASE_URL=postgresql://... PORT=8080 /usr/bin/python3 run.py
       /usr/bin/python3 run.py --versions     (components and versions as JSON)
"""

import os
import sys

import uvicorn

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(os.path.dirname(here), "python-shared"))  # benchshared

from benchshared import settings  # noqa: E402  (after the path is set)
from benchshared.versions import print_versions  # noqa: E402

VARIANTS = ("json", "raw", "ujson")  # app.py's
# What `--versions` reports (a scenario's `versions` command): framework, HTTP server, driver, JSON encoder.
COMPONENTS = ("starlette", "uvicorn", "asyncpg", "ujson", "uvloop", "httptools", "jinja2")


def main() -> int:
    if "--versions" in sys.argv[1:]:
        return print_versions(COMPONENTS)
    try:
        config = settings.load(VARIANTS)  # checked here too, so a bad variant is one clear line, not a traceback
    except settings.ConfigError as error:
        print(f"starlette server: {error}", file=sys.stderr)
        return 2
    host = os.environ.get("BENCH_HOST", "127.0.0.1")  # the address to listen on
    uvicorn.run("app:app", host=host, port=config.port, loop="uvloop", http="httptools",
                access_log=False, log_level="warning", server_header=True, date_header=False,
                workers=config.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
