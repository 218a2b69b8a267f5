"""Starts the Starlette app on uvicorn (uvloop, httptools) on $BENCH_HOST:$PORT (default 127.0.0.1) with $WORKERS processes
(default 1), exactly as python-fastapi/run.py starts FastAPI, so the two differ by the framework alone.

Usage: BENCH_VARIANT=raw DATABASE_URL=postgresql://... PORT=8080 /usr/bin/python3 run.py
       /usr/bin/python3 run.py --versions     (components and versions as JSON)
"""

import json
import os
import platform
import sys
from importlib import metadata

import uvicorn

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.append(os.path.join(os.path.dirname(here), "python-fastapi"))

import settings  # noqa: E402  (python-fastapi's: ConfigError)


def print_versions() -> int:
    out = {"python": platform.python_version()}
    for name in ("starlette", "uvicorn", "asyncpg", "ujson", "uvloop", "httptools", "jinja2"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    print(json.dumps(out))
    return 0


def main() -> int:
    if "--versions" in sys.argv[1:]:
        return print_versions()
    try:
        from app import load_settings  # noqa: E402
        _, config = load_settings()
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
