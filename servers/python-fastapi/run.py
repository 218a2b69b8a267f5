"""Starts the app on uvicorn with uvloop and httptools on $BENCH_HOST:$PORT (default 127.0.0.1): one process and one event loop, or
$WORKERS processes sharing the socket, as TechEmpower runs Python (each worker opens its own full pool: the
kernel spreads connections unevenly across workers, and a worker short of connections would queue requests).

uvicorn's own Date header is off: it freezes per keep-alive connection in 0.17, and app.py adds a current one
(date_header.py). Start the app through this file, not `uvicorn app:app`, or responses carry two Date headers.

Usage: BENCH_VARIANT=raw DATABASE_URL=postgresql://... PORT=8080 /usr/bin/python3 run.py
"""

import os
import sys

import uvicorn

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(os.path.dirname(here), "python-shared"))  # benchshared

from benchshared import settings  # noqa: E402  (after the path is set)
from benchshared.versions import print_versions  # noqa: E402
from stores import VARIANTS  # noqa: E402

# What `--versions` reports (a scenario's `versions` command): framework, HTTP server, driver, ORM.
COMPONENTS = ("fastapi", "starlette", "uvicorn", "asyncpg", "sqlalchemy", "uvloop", "httptools", "jinja2")


def main() -> int:
    if "--versions" in sys.argv[1:]:
        return print_versions(COMPONENTS)
    try:
        config = settings.load(VARIANTS)  # checked here too, so a bad variant is one clear line, not a traceback
    except settings.ConfigError as error:
        print(f"fastapi server: {error}", file=sys.stderr)
        return 2
    host = os.environ.get("BENCH_HOST", "127.0.0.1")  # the address to listen on
    uvicorn.run("app:app", host=host, port=config.port, loop="uvloop", http="httptools",
                access_log=False, log_level="warning", server_header=True, date_header=False,
                workers=config.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
