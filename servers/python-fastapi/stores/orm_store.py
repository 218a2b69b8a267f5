"""`orm` and `baked`: SQLAlchemy 1.4's async ORM (AsyncSession, mapped World and Fortune objects) on the same
engine settings as `text` and `core`.

`orm` builds each select() per request on an engine whose compiled cache is off (query_cache_size=0), so
every execution compiles its SQL, as gino did without baked queries, and as any ORM does without a cache.

`baked` is the equivalent of gino's baked queries. gino's @db.bake builds a query once with bindparam()
and compiles it once; each call only binds the new values and runs the cached SQL on asyncpg's prepared
statement. Here the statements are likewise built once with bindparam() (module constants below) and the
engine's compiled cache is on, so SQLAlchemy compiles each statement once, then per execution only finds it
in the cache by its cache key and binds the parameters. (SQLAlchemy's own `baked` extension is legacy in
1.4; lambda_stmt() would also skip building the statement, which the constants here already do.)
The ORM work itself is identical in both: Session, identity map, object loading, unit-of-work flush.
"""

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.attributes import flag_modified

from benchshared import rules
from stores.models import Fortune, World
from stores.sqla_engine import make_engine, open_pool

BAKED_SELECT_WORLD = select(World).where(World.id == bindparam("id"))
BAKED_SELECT_FORTUNES = select(Fortune)


class OrmStore:
    def __init__(self, dsn: str, pool_size: int, baked: bool):
        self._engine = make_engine(dsn, pool_size, compiled_cache=baked)
        self._pool_size = pool_size
        self._baked = baked
        self._sessions = sessionmaker(self._engine, class_=AsyncSession, expire_on_commit=False)

    async def start(self):
        await open_pool(self._engine, self._pool_size)

    async def stop(self):
        await self._engine.dispose()

    async def _load_world(self, session, id_: int) -> World:
        """One SELECT through the session (execute, not session.get: get may answer from the identity map)."""
        if self._baked:
            result = await session.execute(BAKED_SELECT_WORLD, {"id": id_})
        else:
            result = await session.execute(select(World).where(World.id == id_))
        return result.scalar_one()

    async def world(self, id_: int) -> dict:
        async with self._sessions() as session:
            w = await self._load_world(session, id_)
            return rules.world(w.id, w.randomnumber)

    async def worlds(self, ids) -> list:
        async with self._sessions() as session:
            result = []
            for id_ in ids:
                w = await self._load_world(session, id_)
                result.append(rules.world(w.id, w.randomnumber))
            return result

    async def fortunes(self) -> list:
        statement = BAKED_SELECT_FORTUNES if self._baked else select(Fortune)
        async with self._sessions() as session:
            fortunes = (await session.execute(statement)).scalars().all()
            return [(f.id, f.message) for f in fortunes]

    async def update_worlds(self, ids) -> list:
        async with self._sessions() as session:
            worlds = [await self._load_world(session, id_) for id_ in ids]
            for w in worlds:
                w.randomnumber = rules.random_number()
                # A new number equal to the old one (1 in 10,000 per row) is no change to the unit of work,
                # which would then skip that row's UPDATE; TechEmpower's strict count expects one per row.
                flag_modified(w, "randomnumber")
            # The flush emits one UPDATE per changed object, as an executemany in primary-key order
            # (SQLAlchemy sorts persistent objects by key), so concurrent requests cannot deadlock.
            await session.commit()
            return [rules.world(w.id, w.randomnumber) for w in worlds]
