"""`raw`: hand-written SQL on an asyncpg pool, the fastest rung (driver only, no SQLAlchemy).

asyncpg prepares each statement once per connection and keeps it in the connection's statement cache, so
after the first request on a connection every query is a bind+execute of a server-side prepared statement.
"""

import asyncpg

from benchshared import rules

SELECT_WORLD = "SELECT id, randomnumber FROM world WHERE id = $1"
SELECT_FORTUNES = "SELECT id, message FROM fortune"
UPDATE_WORLD = "UPDATE world SET randomnumber = $2 WHERE id = $1"


class SessionlessConnection(asyncpg.Connection):
    """A connection whose return to the pool costs no round trip.

    asyncpg's Pool resets every connection it takes back with one more query (pg_advisory_unlock_all, CLOSE ALL,
    UNLISTEN *, RESET ALL): an extra round trip per request that the SQLAlchemy variants do not make (their pool
    only rolls back an open transaction, and in autocommit there is none). These connections never hold session
    state (no LISTEN, advisory locks, cursors or SET), so only an open transaction needs undoing. asyncpg 0.29
    made this a pool option (reset=); 0.27 is Debian's, so the public reset() is overridden instead.
    """

    async def reset(self, *, timeout=None):
        if self.is_in_transaction():
            await self.execute("ROLLBACK", timeout=timeout)


class AsyncpgStore:
    def __init__(self, dsn: str, pool_size: int):
        self._dsn = dsn
        self._pool_size = pool_size
        self._pool = None

    async def start(self):
        # min_size = max_size: every connection opens at startup, none while measuring; idle ones never close.
        self._pool = await asyncpg.create_pool(self._dsn, min_size=self._pool_size, max_size=self._pool_size,
                                               max_inactive_connection_lifetime=0,
                                               connection_class=SessionlessConnection)

    async def stop(self):
        await self._pool.close()

    async def world(self, id_: int) -> dict:
        async with self._pool.acquire() as conn:
            row = await conn.fetchrow(SELECT_WORLD, id_)
        return rules.world(row[0], row[1])

    async def worlds(self, ids) -> list:
        async with self._pool.acquire() as conn:
            # fetchrow, not prepare(): prepare() bypasses the statement cache and would parse every time.
            return [rules.world(*(await conn.fetchrow(SELECT_WORLD, id_))) for id_ in ids]

    async def fortunes(self) -> list:
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(SELECT_FORTUNES)
        return [(row[0], row[1]) for row in rows]

    async def update_worlds(self, ids) -> list:
        async with self._pool.acquire() as conn:
            updated = []
            for id_ in ids:
                row = await conn.fetchrow(SELECT_WORLD, id_)
                updated.append((row[0], rules.random_number()))
            # One executemany (atomic, pipelined): N executions of the prepared UPDATE, in id order so that
            # concurrent requests lock rows in the same order and cannot deadlock.
            updated.sort()
            await conn.executemany(UPDATE_WORLD, updated)
        return [rules.world(id_, number) for id_, number in updated]
