"""gunicorn's settings (docker-compose.yml, the Dockerfile and bench/pages.py start it with
``-c config/gunicorn.conf.py``). Each value can be overridden from the environment.

https://docs.gunicorn.org/en/stable/settings.html
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Two per core plus one is gunicorn's advice. Threaded workers: an export of the whole record streams for longer
# than any page takes, and a sync worker would be killed by the timeout in the middle of it (seen at 200,000
# events); with threads the worker's heartbeat goes on while a thread streams.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A worker that stops answering for this long is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Recycle each worker after this many requests (with jitter, so they do not all restart at once); this bounds
# the memory a worker can accumulate.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# No request line, path or query: feed and calendar addresses carry secret tokens (/t/<token>/...). Django's
# own request log (with tokens masked) says which address failed.
access_log_format = '%(h)s %(t)s "%(m)s" %(s)s %(b)s %(M)sms "%(a)s"'
