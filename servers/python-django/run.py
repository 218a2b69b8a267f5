"""Starts gunicorn with gunicorn.conf.py, or prints the components' versions as JSON (--versions).

Usage: BENCH_VARIANT=orm DATABASE_URL=postgresql://... PORT=8080 /usr/bin/python3 run.py
The settings are checked before gunicorn forks, so a bad variant or a missing database exits 2 with one line.
"""

import json
import os
import platform
import sys
from importlib import metadata

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
os.chdir(here)


def print_versions() -> int:
    out = {"python": platform.python_version()}
    for name in ("django", "gunicorn", "psycopg2"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = __import__(name).__version__.split()[0]
    print(json.dumps(out))
    return 0


def main() -> int:
    if "--versions" in sys.argv[1:]:
        return print_versions()
    try:
        import bench_settings  # noqa: F401  (exits 2 with a message on a bad setting)
    except SystemExit as stop:
        print(stop.code, file=sys.stderr)
        return 2
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    from gunicorn.app.wsgiapp import run
    sys.argv = ["gunicorn", "--config", os.path.join(here, "gunicorn.conf.py")]
    return run()


if __name__ == "__main__":
    sys.exit(main())
