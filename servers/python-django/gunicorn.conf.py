"""gunicorn for the Django app: $WORKERS processes (default 2, one per core) of threaded workers ($THREADS,
default 8), keep-alive on (the sync worker closes every connection), bound to $BENCH_HOST:$PORT (default 127.0.0.1), no access log.
Each thread keeps one persistent database connection: at most WORKERS x THREADS connections."""

import os

_host = os.environ.get("BENCH_HOST", "127.0.0.1")  # the address to listen on
bind = f"[{_host}]:{os.environ.get('PORT', '8080')}" if ":" in _host else f"{_host}:{os.environ.get('PORT', '8080')}"
workers = int(os.environ.get("WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "8"))
keepalive = 120
accesslog = None
loglevel = "warning"
wsgi_app = "wsgi:application"
graceful_timeout = 5  # the harness sends SIGKILL after its own grace period
