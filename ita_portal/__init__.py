# Loaded with Django, so that tasks started from a request use the portal's Celery settings.
from .celery import app as celery_app

__all__ = ["celery_app"]
