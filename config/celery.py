"""The Celery application. Workers and beat are started with ``celery -A config worker|beat``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("disputes")
# All Celery settings live in Django settings under the CELERY_ prefix.
# https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html
app.config_from_object("django.conf:settings", namespace="CELERY")
# The tasks live in disputes/reminders/tasks.py and disputes/imports/tasks.py.
app.autodiscover_tasks(["disputes.reminders", "disputes.imports"])
