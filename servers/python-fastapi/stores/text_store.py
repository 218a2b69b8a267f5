"""`text`: hand-written SQL through SQLAlchemy's async engine with text() (the seed's "raw SQL": gino ran its
raw SQL through the same engine and pool as its ORM). Adds the engine layer to `raw`: pool checkout,
parameter conversion from :name to $n, result rows."""

from sqlalchemy import text

from benchshared import rules
from stores.sqla_engine import make_engine, open_pool

SELECT_WORLD = text("SELECT id, randomnumber FROM world WHERE id = :id")
SELECT_FORTUNES = text("SELECT id, message FROM fortune")
UPDATE_WORLD = text("UPDATE world SET randomnumber = :randomnumber WHERE id = :id")


class TextStore:
    def __init__(self, dsn: str, pool_size: int):
        self._engine = make_engine(dsn, pool_size, compiled_cache=True)
        self._pool_size = pool_size

    async def start(self):
        await open_pool(self._engine, self._pool_size)

    async def stop(self):
        await self._engine.dispose()

    async def world(self, id_: int) -> dict:
        async with self._engine.connect() as conn:
            row = (await conn.execute(SELECT_WORLD, {"id": id_})).one()
        return rules.world(row[0], row[1])

    async def worlds(self, ids) -> list:
        async with self._engine.connect() as conn:
            return [rules.world(*(await conn.execute(SELECT_WORLD, {"id": id_})).one()) for id_ in ids]

    async def fortunes(self) -> list:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(SELECT_FORTUNES)).all()
        return [(row[0], row[1]) for row in rows]

    async def update_worlds(self, ids) -> list:
        async with self._engine.connect() as conn:
            updated = []
            for id_ in ids:
                row = (await conn.execute(SELECT_WORLD, {"id": id_})).one()
                updated.append((row[0], rules.random_number()))
            updated.sort()  # id order: concurrent requests lock rows in the same order
            # A list of parameter sets is one executemany: N executions of the same prepared UPDATE.
            await conn.execute(UPDATE_WORLD, [{"id": id_, "randomnumber": n} for id_, n in updated])
        return [rules.world(id_, number) for id_, number in updated]
