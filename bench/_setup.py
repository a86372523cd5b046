"""Shared by the report benchmarks: Django on a throwaway database, peak memory in MB."""

import os
import resource
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_on_scratch_database(name):
    """Set Django up on a fresh SQLite file under /tmp (or on DATABASE_URL when it is set)."""
    sys.path.insert(0, str(ROOT))
    path = Path(tempfile.gettempdir()) / f"ita-bench-{name}.sqlite3"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{path}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    return path


def peak_mb():
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
