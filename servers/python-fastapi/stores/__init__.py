"""One store per database variant; each answers the same four questions with a different stack.

Every store has: start() and stop(); world(id) -> dict; worlds(ids) -> list of dicts, one query per id;
fortunes() -> list of (id, message) in table order; update_worlds(ids) -> the rows with their new values.
All of them run in autocommit (no BEGIN/ROLLBACK around reads), as asyncpg and gino do by default, so every
rung of the ladder sends the same statements over the same number of round trips and differs only in the
Python layers between the handler and the socket.
"""

# Every variant this app serves, in ladder order (cheapest layer first). `json` has no database.
VARIANTS = ("json", "raw", "text", "core", "baked", "orm")


def make_store(settings):
    """The store for settings.variant, or None for the json variant (no database)."""
    if settings.variant == "json":
        return None
    if settings.variant == "raw":
        from benchshared.asyncpg_store import AsyncpgStore
        return AsyncpgStore(settings.dsn, settings.pool_size)
    if settings.variant == "text":
        from stores.text_store import TextStore
        return TextStore(settings.dsn, settings.pool_size)
    if settings.variant == "core":
        from stores.core_store import CoreStore
        return CoreStore(settings.dsn, settings.pool_size)
    if settings.variant in ("baked", "orm"):
        from stores.orm_store import OrmStore
        return OrmStore(settings.dsn, settings.pool_size, baked=settings.variant == "baked")
    raise ValueError(f"no store for variant {settings.variant!r}")
