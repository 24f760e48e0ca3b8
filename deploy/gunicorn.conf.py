"""gunicorn in production, behind one reverse proxy (README.md, "Production"):

    gunicorn -c deploy/gunicorn.conf.py againsthate.wsgi:app

Every value can be changed from the environment without editing this file.
"""
import multiprocessing
import os

# Only the proxy on the same machine talks to gunicorn; never expose this port.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request has a whole process, so a slow one cannot stall others in
# it, and the database pool needs one connection a worker. (2 x cores) + 1 is
# gunicorn's own advice for requests that wait on a database.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30  # a restart lets requests under way finish (a referral being sent)
# A worker is replaced after this many requests (jittered so they do not all go at
# once): a slow leak in any library can never grow without bound.
max_requests = 5000
max_requests_jitter = 500
# The app is loaded once in the master, before the workers are forked: a wrong setting
# or a database whose schema is behind stops gunicorn with its message, at once.
preload_app = True
# No access log from gunicorn: its format carries the client's address and the query
# string. The app writes one structured line a request itself, without them.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The proxy's X-Forwarded-* headers are read by the app (ProxyFix, TRUSTED_PROXIES).
forwarded_allow_ips = "127.0.0.1"


def post_fork(_server, _worker):
    """Each worker opens its own database connections: none made in the master (the
    schema check) may be shared across the fork."""
    from againsthate.wsgi import app
    from againsthate.db import KEY

    app.extensions[KEY][0].dispose(close=False)
