"""TechEmpower's rules that every variant shares (docs/techempower-rules.md)."""

import random
from typing import List, Optional, Tuple

WORLD_ROWS = 10_000     # World ids are 1..10000
MAX_QUERIES = 500       # queries/updates clamp N to 1..500
EXTRA_FORTUNE = (0, "Additional fortune added at request time.")


def query_count(text: Optional[str]) -> int:
    """The `queries` parameter clamped to 1..500; missing, empty, 0, negative or not an integer -> 1."""
    try:
        n = int(text)
    except (TypeError, ValueError):
        return 1
    return min(max(n, 1), MAX_QUERIES)


def random_id() -> int:
    """A World id to read; no cache: every request asks the database."""
    return random.randint(1, WORLD_ROWS)


def random_ids(n: int) -> List[int]:
    """n distinct World ids. Distinct, so an ORM's identity map can never answer a read without a query
    and no row is updated twice in one request (query counts stay exactly N)."""
    return random.sample(range(1, WORLD_ROWS + 1), n)


def random_number() -> int:
    """A new randomNumber for the updates test."""
    return random.randint(1, WORLD_ROWS)


def world(id_: int, random_number_: int) -> dict:
    """The JSON shape of one row: keys "id" and "randomNumber"."""
    return {"id": id_, "randomNumber": random_number_}


def with_extra_fortune(rows: List[Tuple[int, str]]) -> List[Tuple[int, str]]:
    """All fortunes plus the one added at request time, sorted by message (the SQL has no ORDER BY)."""
    rows = list(rows)
    rows.append(EXTRA_FORTUNE)
    rows.sort(key=lambda row: row[1])
    return rows
