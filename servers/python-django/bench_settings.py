"""Django settings from the harness's environment (docs/servers.md): BENCH_VARIANT, DATABASE_URL or PG*.

Bare Django, as TechEmpower's entry runs it: no middleware, no sessions, no auth, DEBUG off. Connections
are persistent (CONN_MAX_AGE None): each gunicorn thread opens one at its first request and keeps it, since
Django has no pool. psycopg2 interpolates parameters on the client (no server-side prepared statements).
"""

import os
import sys
from urllib.parse import unquote, urlsplit

VARIANTS = ("json", "raw", "orm")  # ladder order: no database, cursor with hand-written SQL, the ORM

BENCH_VARIANT = os.environ.get("BENCH_VARIANT", "")
if BENCH_VARIANT not in VARIANTS:
    sys.exit(f"django server: BENCH_VARIANT={BENCH_VARIANT!r} is not a variant of this server; "
             f"expected one of {', '.join(VARIANTS)}")


def _database():
    """DATABASE_URL, or libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE."""
    url = os.environ.get("DATABASE_URL", "")
    if url:
        parts = urlsplit(url)
        return {"HOST": parts.hostname or "", "PORT": str(parts.port or 5432),
                "USER": unquote(parts.username or ""), "PASSWORD": unquote(parts.password or ""),
                "NAME": unquote(parts.path.lstrip("/"))}
    if not os.environ.get("PGHOST"):
        sys.exit("django server: DATABASE_URL (or PGHOST etc.) is required by every variant but json")
    return {"HOST": os.environ["PGHOST"], "PORT": os.environ.get("PGPORT", "5432"),
            "USER": os.environ.get("PGUSER", "postgres"), "PASSWORD": os.environ.get("PGPASSWORD", ""),
            "NAME": os.environ.get("PGDATABASE", "hello_world")}


DEBUG = False
SECRET_KEY = "bench-django-not-secret"  # nothing is signed: no sessions, no CSRF
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "urls"
WSGI_APPLICATION = "wsgi.application"
INSTALLED_APPS = ["world"]
MIDDLEWARE = []
USE_TZ = False
USE_I18N = False
DATABASES = {}
if BENCH_VARIANT != "json":
    DATABASES["default"] = {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": None,
                            "AUTOCOMMIT": True, **_database()}
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
              "OPTIONS": {"autoescape": True}}]
LOGGING_CONFIG = None
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
