"""`core`: SQLAlchemy Core select()/update() on the same engine as `text`, compiled-statement cache on, no
Session. Adds the SQL expression layer to `text`: the statement's cache key, the cache lookup and the
typed result processing. The statements are built once with bindparam(), as a Core user writes a query
that runs often; `orm` is the rung that builds and compiles per request."""

from sqlalchemy import bindparam, select, update

from benchshared import rules
from stores.models import Fortune, World
from stores.sqla_engine import make_engine, open_pool

world_table = World.__table__
fortune_table = Fortune.__table__

SELECT_WORLD = select(world_table.c.id, world_table.c.randomnumber).where(world_table.c.id == bindparam("id"))
SELECT_FORTUNES = select(fortune_table.c.id, fortune_table.c.message)
UPDATE_WORLD = (update(world_table).where(world_table.c.id == bindparam("w_id"))
                .values(randomnumber=bindparam("w_randomnumber")))


class CoreStore:
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
        return rules.world(row.id, row.randomnumber)

    async def worlds(self, ids) -> list:
        async with self._engine.connect() as conn:
            result = []
            for id_ in ids:
                row = (await conn.execute(SELECT_WORLD, {"id": id_})).one()
                result.append(rules.world(row.id, row.randomnumber))
            return result

    async def fortunes(self) -> list:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(SELECT_FORTUNES)).all()
        return [(row.id, row.message) for row in rows]

    async def update_worlds(self, ids) -> list:
        async with self._engine.connect() as conn:
            updated = []
            for id_ in ids:
                row = (await conn.execute(SELECT_WORLD, {"id": id_})).one()
                updated.append((row.id, rules.random_number()))
            updated.sort()  # id order: concurrent requests lock rows in the same order
            await conn.execute(UPDATE_WORLD, [{"w_id": id_, "w_randomnumber": n} for id_, n in updated])
        return [rules.world(id_, number) for id_, number in updated]
