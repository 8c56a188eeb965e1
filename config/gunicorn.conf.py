"""gunicorn's settings (docker-compose.yml and the Dockerfile start it with ``-c config/gunicorn.conf.py``).

https://docs.gunicorn.org/en/stable/settings.html
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
accesslog = "-"
# No request line, path or query: feed and calendar addresses carry secret tokens (/t/<token>/...). Django's
# own request log (with tokens masked) says which address failed.
access_log_format = '%(h)s %(t)s "%(m)s" %(s)s %(b)s %(M)sms "%(a)s"'
