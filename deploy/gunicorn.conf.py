"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py ita_portal.wsgi`.

Each value can be overridden from the environment, so several app servers behind a load
balancer can share this file.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# A PDF of a long plan takes seconds (WeasyPrint, about 0.1 s a page): give it room.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
# WeasyPrint's memory creeps up by ~0.35 MB per render in one process; recycle workers.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 500))
max_requests_jitter = 50
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
