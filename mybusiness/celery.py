"""The Celery application: tasks autodiscovered from every installed app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mybusiness.settings")

app = Celery("mybusiness")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
