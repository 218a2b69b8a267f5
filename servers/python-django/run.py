"""Starts gunicorn with gunicorn.conf.py, or prints the components' versions as JSON (--versions).

Usage: BENCH_VARIANT=orm DATABASE_URL=postgresql://... PORT=8080 /usr/bin/python3 run.py
The settings are checked before gunicorn forks, so a bad variant or a missing database exits 2 with one line.
"""

import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(os.path.dirname(here), "python-shared"))  # benchshared
os.chdir(here)

from benchshared.versions import print_versions  # noqa: E402

# What `--versions` reports (a scenario's `versions` command): framework and ORM, HTTP server, driver.
COMPONENTS = ("django", "gunicorn", "psycopg2")


def main() -> int:
    if "--versions" in sys.argv[1:]:
        return print_versions(COMPONENTS)
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
