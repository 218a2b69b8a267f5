"""The FastAPI app: TechEmpower's six endpoints over whichever store BENCH_VARIANT selects.

Responses are built explicitly (JSONResponse runs json.dumps per request, a real serializer), as
TechEmpower's FastAPI entry does, so no variant pays for FastAPI's response_model validation.
"""

import os
import sys
from typing import Optional

import jinja2
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse

# servers/python-shared (also for uvicorn's workers, which import this module by name).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python-shared"))

from benchshared import rules  # noqa: E402
from benchshared import settings as settings_module  # noqa: E402
from benchshared.date_header import DateHeader  # noqa: E402
from stores import VARIANTS, make_store  # noqa: E402

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("benchshared", "templates"),
    autoescape=True,  # escapes <script> and quotes in fortune messages
    trim_blocks=True, lstrip_blocks=True)


def create_app(settings: settings_module.Settings) -> FastAPI:
    """An app serving /json and /plaintext, and for database variants /db, /queries, /fortunes, /updates."""
    app = FastAPI(title=f"bench fastapi-{settings.variant}", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(DateHeader)  # run.py turns uvicorn's own Date off (see date_header.py)
    _add_plain_routes(app)
    store = make_store(settings)
    if store is not None:
        app.add_event_handler("startup", store.start)
        app.add_event_handler("shutdown", store.stop)
        _add_database_routes(app, store)
    return app


def _add_plain_routes(app: FastAPI) -> None:
    @app.get("/json")
    async def json_endpoint():
        return JSONResponse({"message": "Hello, World!"})

    @app.get("/plaintext")
    async def plaintext():
        return PlainTextResponse(b"Hello, World!")


def _add_database_routes(app: FastAPI, store) -> None:
    fortunes_template = _templates.get_template("fortunes.html")

    @app.get("/db")
    async def single_query():
        return JSONResponse(await store.world(rules.random_id()))

    @app.get("/queries")
    async def multiple_queries(queries: Optional[str] = None):
        return JSONResponse(await store.worlds(rules.random_ids(rules.query_count(queries))))

    @app.get("/fortunes")
    async def fortunes():
        rows = rules.with_extra_fortune(await store.fortunes())
        return HTMLResponse(fortunes_template.render(fortunes=rows))

    @app.get("/updates")
    async def updates(queries: Optional[str] = None):
        return JSONResponse(await store.update_worlds(rules.random_ids(rules.query_count(queries))))


app = create_app(settings_module.load(VARIANTS))
