"""The Celery application: `celery -A ita_portal worker` runs the portal's jobs (see jobs/).

Configured from Django's settings (every CELERY_* name); tasks are found in each app's tasks.py.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")

app = Celery("ita_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
