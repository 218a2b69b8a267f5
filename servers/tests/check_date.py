"""Checks that the Date header moves on over one kept-alive connection (TechEmpower's cached-Date check).

Usage: check_date.py HOST PORT. Two GET /json on one connection, 1.1 s apart: the Dates must differ. Exit 1 if not.
"""

import http.client
import sys
import time


def date_of(connection) -> str:
    connection.request("GET", "/json")
    response = connection.getresponse()
    response.read()
    return response.getheader("date") or ""


def main() -> int:
    connection = http.client.HTTPConnection(sys.argv[1], int(sys.argv[2]), timeout=10)
    first = date_of(connection)
    time.sleep(1.1)  # the header has a resolution of one second: wait for the clock, not for the server
    second = date_of(connection)
    if not first or first == second:
        print(f"Date did not change on a kept-alive connection: {first!r} then {second!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
