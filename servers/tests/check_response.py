"""Checks one response body against the endpoint contract (docs/servers.md). Used by smoke.sh.

Usage: check_response.py KIND EXPECTED_ROWS BODY_FILE
KIND: json | plaintext | db | queries | updates | fortunes. Exits 1 and says why on a mismatch.
"""

import json
import sys
from html.parser import HTMLParser

FORTUNES = [
    (0, "Additional fortune added at request time."),
    (1, "fortune: No such file or directory"),
    (2, "A computer scientist is someone who fixes things that aren't broken."),
    (3, "After enough decimal places, nobody gives a damn."),
    (4, "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1"),
    (5, "A computer program does what you tell it to do, not what you want it to do."),
    (6, "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen"),
    (7, "Any program that runs right is obsolete."),
    (8, "A list is only as strong as its weakest link. — Donald Knuth"),
    (9, "Feature: A bug with seniority."),
    (10, "Computers make very fast, very accurate mistakes."),
    (11, '<script>alert("This should not be displayed in a browser alert box.");</script>'),
    (12, "フレームワークのベンチマーク"),
]


def fail(message: str) -> None:
    print(message, file=sys.stderr)
    sys.exit(1)


def check_world(row) -> None:
    if not isinstance(row, dict) or set(row) != {"id", "randomNumber"}:
        fail(f"not a World object with keys id and randomNumber: {row!r}")
    for key in ("id", "randomNumber"):
        if not isinstance(row[key], int) or not 1 <= row[key] <= 10000:
            fail(f"{key} is not an integer in 1..10000: {row!r}")


def check_worlds(body: str, expected_rows: int) -> None:
    rows = json.loads(body)
    if not isinstance(rows, list) or len(rows) != expected_rows:
        fail(f"expected a list of {expected_rows} rows, got {body[:200]}")
    for row in rows:
        check_world(row)
    if len({row["id"] for row in rows}) != len(rows):
        fail("the same id appears twice")


class Cells(HTMLParser):
    """The text of every <td>, with character references decoded (so &#34; == &quot; == ")."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells, self._in_td = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "td":
            self._in_td, self.cells = True, self.cells + [""]

    def handle_endtag(self, tag):
        if tag == "td":
            self._in_td = False

    def handle_data(self, data):
        if self._in_td:
            self.cells[-1] += data


def check_fortunes(body: str) -> None:
    if "<script>" in body:
        fail("the <script> fortune is not escaped")
    parser = Cells()
    parser.feed(body)
    cells = parser.cells
    rows = [(int(cells[i]), cells[i + 1]) for i in range(0, len(cells) - 1, 2)]
    expected = sorted(FORTUNES, key=lambda row: row[1])
    if rows != expected:
        fail("fortunes table differs:\n" + "\n".join(f"got {g!r}\nwant {w!r}" for g, w in zip(rows, expected) if g != w)
             + f"\n({len(rows)} rows, want {len(expected)})")


def main() -> None:
    kind, expected_rows, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    body = open(path, encoding="utf-8").read()
    if kind == "json":
        if json.loads(body) != {"message": "Hello, World!"}:
            fail(f"unexpected json body {body!r}")
    elif kind == "plaintext":
        if body != "Hello, World!":
            fail(f"unexpected plaintext body {body!r}")
    elif kind == "db":
        check_world(json.loads(body))
    elif kind in ("queries", "updates"):
        check_worlds(body, expected_rows)
    elif kind == "fortunes":
        check_fortunes(body)
    else:
        fail(f"unknown kind {kind}")


if __name__ == "__main__":
    main()
