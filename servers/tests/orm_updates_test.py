"""The ORM variants write every row on /updates, even when the new random number equals the old one.

SQLAlchemy's unit of work leaves an object whose attribute was set to its current value out of the flush, so
without flag_modified a row that drew its own number again (1 in 10,000) got no UPDATE, and TechEmpower's
strict query count failed fastapi-baked and fastapi-orm. This test forces that case for every row: it sets the
rows to a known number, makes the random draw return that same number, and counts the UPDATE parameter sets
the engine sends.

Usage (needs a seeded database; with_postgres.sh makes one):
  servers/tests/with_postgres.sh /usr/bin/python3 servers/tests/orm_updates_test.py
Exit 0 if both variants wrote every row, 1 otherwise.
"""

import asyncio
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(here), "python-fastapi"))
sys.path.insert(0, os.path.join(os.path.dirname(here), "python-shared"))

from sqlalchemy import event, text  # noqa: E402

from benchshared import rules, settings  # noqa: E402
from stores.orm_store import OrmStore  # noqa: E402

IDS = [11, 22, 33, 44, 55]
SAME = 4242


async def updates_sent(baked: bool) -> int:
    store = OrmStore(settings._dsn(), 2, baked=baked)
    await store.start()
    sent = 0

    def count(conn, cursor, statement, parameters, context, executemany):
        nonlocal sent
        if statement.lstrip().upper().startswith("UPDATE"):
            sent += len(parameters) if executemany else 1

    event.listen(store._engine.sync_engine, "before_cursor_execute", count)
    try:
        async with store._engine.begin() as conn:
            await conn.execute(text("UPDATE world SET randomnumber = :n WHERE id = ANY(:ids)"), {"n": SAME, "ids": IDS})
        sent = 0
        original = rules.random_number
        rules.random_number = lambda: SAME  # every row draws the number it already has
        try:
            rows = await store.update_worlds(IDS)
        finally:
            rules.random_number = original
        if [r["randomNumber"] for r in rows] != [SAME] * len(IDS):
            print(f"unexpected rows: {rows}", file=sys.stderr)
            return -1
        return sent
    finally:
        await store.stop()


def main() -> int:
    failures = 0
    for baked in (True, False):
        name = "fastapi-baked" if baked else "fastapi-orm"
        sent = asyncio.run(updates_sent(baked))
        if sent != len(IDS):
            print(f"FAIL {name}: {sent} UPDATE(s) sent for {len(IDS)} rows whose number did not change", file=sys.stderr)
            failures += 1
        else:
            print(f"ok {name}: {sent} UPDATEs for {len(IDS)} unchanged rows")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
