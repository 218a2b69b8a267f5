"""What the harness tells the server through the environment (docs/servers.md lists every variable)."""

import os
from dataclasses import dataclass

DEFAULT_POOL_SIZE = 64  # the harness passes BENCH_DB_POOL_SIZE, larger than its largest connection level


class ConfigError(Exception):
    """A setting is missing or wrong; run.py prints it and exits with status 2."""


@dataclass(frozen=True)
class Settings:
    variant: str    # one of the server's variants
    port: int       # where uvicorn listens, on $BENCH_HOST (run.py)
    dsn: str        # postgresql://user:password@host:port/dbname ("" for the json variant)
    pool_size: int  # database connections per process, all opened at startup
    workers: int    # uvicorn worker processes (WORKERS, default 1); each opens its own pool of pool_size


def load(variants) -> Settings:
    """Reads BENCH_VARIANT (one of `variants`, the server's in ladder order; `json` has no database), PORT,
    DATABASE_URL (or libpq's PG* names), BENCH_DB_POOL_SIZE and WORKERS."""
    variant = os.environ.get("BENCH_VARIANT", "")
    if variant not in variants:
        raise ConfigError(f"BENCH_VARIANT={variant!r} is not a variant of this server; expected one of {', '.join(variants)}")
    return Settings(variant=variant,
                    port=_int_env("PORT", 8080),
                    dsn="" if variant == "json" else _dsn(),
                    pool_size=_int_env("BENCH_DB_POOL_SIZE", DEFAULT_POOL_SIZE),
                    workers=_int_env("WORKERS", 1))


def _int_env(name: str, default: int) -> int:
    text = os.environ.get(name, "")
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{name}={text!r} is not an integer") from None
    if value <= 0:
        raise ConfigError(f"{name}={text!r} must be positive")
    return value


def _dsn() -> str:
    """DATABASE_URL, or a URL built from PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE."""
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return url
    if not os.environ.get("PGHOST"):
        raise ConfigError("DATABASE_URL (or PGHOST etc.) is required by every variant but json")
    from urllib.parse import quote
    user = quote(os.environ.get("PGUSER", "postgres"), safe="")
    password = os.environ.get("PGPASSWORD", "")
    auth = f"{user}:{quote(password, safe='')}" if password else user
    host = os.environ["PGHOST"]
    port = os.environ.get("PGPORT", "5432")
    database = quote(os.environ.get("PGDATABASE", "hello_world"), safe="")
    return f"postgresql://{auth}@{host}:{port}/{database}"
