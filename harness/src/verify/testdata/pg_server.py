#!/usr/bin/python3
"""A small TechEmpower server over a real PostgreSQL, for the strict query-count tests (asyncpg; run with Debian's
/usr/bin/python3). Serves /db, /queries?queries=N and /updates?queries=N on 127.0.0.1:--port, reading the database
from DATABASE_URL. --mode picks correct behaviour or one fault a real framework has shown:

  good            one statement per row, connections from a plain queue (nothing sent on release)
  pool_reset      connections from asyncpg's Pool, whose release sends its reset query
                  (SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL;) after every request
  skip_unchanged  /updates skips a row's UPDATE when the new random value equals the old one, as an ORM's dirty
                  tracking does; the draw gives the old value 1 time in 20 (instead of 1 in 10,000) so that a short
                  test sees it
"""

import argparse
import asyncio
import json
import os
import random
import sys
from email.utils import formatdate
from urllib.parse import parse_qs, urlsplit

import asyncpg

SELECT = "SELECT id, randomnumber FROM world WHERE id = $1"
UPDATE = "UPDATE world SET randomnumber = $1 WHERE id = $2"


class Connections:
    """Either asyncpg's Pool (pool_reset) or a queue of plain connections (nothing sent on release)."""

    def __init__(self, mode):
        self.mode = mode

    async def open(self, dsn, size):
        if self.mode == "pool_reset":
            self.pool = await asyncpg.create_pool(dsn, min_size=size, max_size=size)
        else:
            self.queue = asyncio.Queue()
            for _ in range(size):
                self.queue.put_nowait(await asyncpg.connect(dsn))

    async def run(self, work):
        if self.mode == "pool_reset":
            async with self.pool.acquire() as conn:
                return await work(conn)
        conn = await self.queue.get()
        try:
            return await work(conn)
        finally:
            self.queue.put_nowait(conn)


def query_count(params):
    try:
        n = int(params.get("queries", ["1"])[0])
    except ValueError:
        return 1
    return min(max(n, 1), 500)


async def read_rows(conn, n):
    rows = []
    for _ in range(n):
        row = await conn.fetchrow(SELECT, random.randint(1, 10000))
        rows.append({"id": row["id"], "randomNumber": row["randomnumber"]})
    return rows


async def update_rows(conn, n, mode):
    rows = await read_rows(conn, n)
    for row in rows:
        old = row["randomNumber"]
        new = old if mode == "skip_unchanged" and random.random() < 0.05 else random.randint(1, 10000)
        row["randomNumber"] = new
        if mode == "skip_unchanged" and new == old:
            continue  # the ORM sees no change and sends nothing
        await conn.execute(UPDATE, new, row["id"])
    return rows


async def answer(connections, mode, target):
    url = urlsplit(target)
    params = parse_qs(url.query, keep_blank_values=True)
    if url.path == "/db":
        return 200, (await connections.run(lambda c: read_rows(c, 1)))[0]
    if url.path == "/queries":
        return 200, await connections.run(lambda c: read_rows(c, query_count(params)))
    if url.path == "/updates":
        return 200, await connections.run(lambda c: update_rows(c, query_count(params), mode))
    return 404, {"error": "not found"}


async def serve_connection(reader, writer, connections, mode):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode()
            status, value = await answer(connections, mode, target)
            body = json.dumps(value).encode()
            writer.write(b"HTTP/1.1 %d %s\r\nServer: pg_server\r\nDate: %s\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n" % (status, b"OK" if status == 200 else b"Not Found",
                                                          formatdate(usegmt=True).encode(), len(body)) + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["good", "pool_reset", "skip_unchanged"], default="good")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    connections = Connections(args.mode)
    await connections.open(os.environ["DATABASE_URL"], 4)
    server = await asyncio.start_server(lambda r, w: serve_connection(r, w, connections, args.mode),
                                        "127.0.0.1", args.port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
