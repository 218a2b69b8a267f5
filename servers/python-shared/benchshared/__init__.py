"""What the Python servers share (python-fastapi, python-starlette, python-django): TechEmpower's rules, the
harness's environment (settings), the Date header middleware, the asyncpg store (the raw rung of FastAPI and
Starlette), the fortunes template and the versions report.

Debian's modules, no packaging: each server puts servers/python-shared on sys.path (two lines in each
server's entry modules, since they must run before this package can be imported).
"""
