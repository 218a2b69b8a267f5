"""The same endpoints on bare Starlette: FastAPI minus request validation, dependency injection and OpenAPI
(the layer the article blamed for Sanic beating FastAPI; Sanic is not packaged here). The data access is
the asyncpg store FastAPI's `raw` rung uses (servers/python-shared), so the difference to fastapi-raw is FastAPI
itself.

Variants (BENCH_VARIANT): json (no database), raw (asyncpg, json.dumps), ujson (asyncpg, every JSON body
serialised by ujson: the article's "fast JSON" tip; orjson is not packaged here, python3-ujson is).
"""

import json
import os
import sys

import jinja2
import ujson
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

# servers/python-shared (also for uvicorn's workers, which import this module by name).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python-shared"))

from benchshared import rules, settings  # noqa: E402
from benchshared.asyncpg_store import AsyncpgStore  # noqa: E402
from benchshared.date_header import DateHeader  # noqa: E402

VARIANTS = ("json", "raw", "ujson")  # run.py's


class StdJSONResponse(Response):
    media_type = "application/json"

    def render(self, content) -> bytes:
        return json.dumps(content, separators=(",", ":")).encode()


class UJSONResponse(Response):
    media_type = "application/json"

    def render(self, content) -> bytes:
        return ujson.dumps(content).encode()


_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("benchshared", "templates"),
    autoescape=True, trim_blocks=True, lstrip_blocks=True)


def create_app(variant: str, config) -> Starlette:
    JSONResponse = UJSONResponse if variant == "ujson" else StdJSONResponse

    async def json_endpoint(request):
        return JSONResponse({"message": "Hello, World!"})

    async def plaintext(request):
        return PlainTextResponse(b"Hello, World!")

    routes = [Route("/json", json_endpoint), Route("/plaintext", plaintext)]
    on_startup, on_shutdown = [], []
    if variant != "json":
        store = AsyncpgStore(config.dsn, config.pool_size)
        on_startup.append(store.start)
        on_shutdown.append(store.stop)
        fortunes_template = _templates.get_template("fortunes.html")

        async def single_query(request):
            return JSONResponse(await store.world(rules.random_id()))

        async def multiple_queries(request):
            n = rules.query_count(request.query_params.get("queries"))
            return JSONResponse(await store.worlds(rules.random_ids(n)))

        async def updates(request):
            n = rules.query_count(request.query_params.get("queries"))
            return JSONResponse(await store.update_worlds(rules.random_ids(n)))

        async def fortunes(request):
            rows = rules.with_extra_fortune(await store.fortunes())
            return HTMLResponse(fortunes_template.render(fortunes=rows))

        routes += [Route("/db", single_query), Route("/queries", multiple_queries),
                   Route("/updates", updates), Route("/fortunes", fortunes)]
    app = Starlette(routes=routes, on_startup=on_startup, on_shutdown=on_shutdown)
    app.add_middleware(DateHeader)
    return app


_settings = settings.load(VARIANTS)
app = create_app(_settings.variant, _settings)
