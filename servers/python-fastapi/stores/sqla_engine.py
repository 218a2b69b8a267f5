"""The SQLAlchemy async engine that text, core, baked and orm share (same driver, pool and settings)."""

import asyncio

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def make_engine(dsn: str, pool_size: int, compiled_cache: bool) -> AsyncEngine:
    """An engine over asyncpg with a fixed pool of pool_size connections, in autocommit.

    compiled_cache=False sets query_cache_size=0: SQLAlchemy then compiles every statement to SQL on every
    execution, as an ORM without baked queries does (the `orm` variant). Otherwise the default LRU cache of
    compiled statements is on.
    """
    url = make_url(dsn).set(drivername="postgresql+asyncpg")
    options = {} if compiled_cache else {"query_cache_size": 0}
    return create_async_engine(url, pool_size=pool_size, max_overflow=0, pool_timeout=30,
                               isolation_level="AUTOCOMMIT", **options)


async def open_pool(engine: AsyncEngine, pool_size: int) -> None:
    """Opens every pooled connection now, so none is opened while measuring."""
    connections = await asyncio.gather(*(engine.connect().start() for _ in range(pool_size)))
    await asyncio.gather(*(connection.close() for connection in connections))
