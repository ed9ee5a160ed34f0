"""gunicorn's configuration for the platform (gunicorn -c deploy/gunicorn.conf.py config.wsgi).

Every value can be changed through the environment (README: Production)."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the requests are short (no PDF, no bulk work on the request path: the worker does
# them), and sync workers served the bare view faster than gthread on 2 cores (benchmarks/bench_lookup.py).
# One worker per core: each needs a core for the password hash of a sign-in.
workers = int(os.environ.get("GUNICORN_WORKERS", str(os.cpu_count() or 2)))
worker_class = "sync"
# A request longer than this is killed and logged; the longest legitimate ones (an upload of a
# national list, a large export) stay well under it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with a jitter so that they do not all restart
# together): memory held by a large export is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Load the application before forking: a configuration error stops gunicorn at once, and the
# workers share the loaded code's memory.
preload_app = True
# Behind a reverse proxy on the same host: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs on the standard output/error (the service manager keeps them). The access log is one
# key=value line per request, with the request id the platform returns in X-Request-ID (the same
# id is on the application's log lines); the query string is not written (document numbers).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    'time="%(t)s" request_id=%({x-request-id}o)s remote=%(h)s method=%(m)s path="%(U)s" '
    "status=%(s)s bytes=%(B)s duration_ms=%(M)s"
)


def pre_fork(server, worker):
    """No database connection is shared between workers: one opened while loading the application
    (preload_app) is closed in the master before each fork; each worker opens its own."""
    from django.db import connections

    connections.close_all()
