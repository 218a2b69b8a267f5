"""A current Date header on every response (TechEmpower requires one that changes over time).

uvicorn 0.17 copies its default headers, Date included, when a connection opens (httptools_impl.py keeps
server_state.default_headers per connection), so on a keep-alive connection every response repeats the Date of
the connection's first second. run.py therefore turns uvicorn's Date off and this middleware adds the current
one, formatted at most once per second. Hand-written: a few lines, no package does just this.
"""

import time
from email.utils import formatdate


class DateHeader:
    """Pure ASGI middleware: appends `date: <now>` to every HTTP response start."""

    def __init__(self, app):
        self.app = app
        self._second = -1
        self._value = b""

    def _now(self) -> bytes:
        second = int(time.time())
        if second != self._second:
            self._second = second
            self._value = formatdate(second, usegmt=True).encode("ascii")
        return self._value

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_date(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), (b"date", self._now())]
            await send(message)

        await self.app(scope, receive, send_with_date)
