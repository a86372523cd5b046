"""A real Celery worker for the job tests: a subprocess on pytest-django's test database and Redis.

Tests marked `worker` use the `worker` fixture: jobs they start go through Redis to a worker
process (prefork, one child) that reads and writes the test database, so those tests must
commit their data (`django_db(transaction=True)` or `live_server`). Each run has its own queue
name, so parallel runs on one machine never take each other's jobs. Every other test runs jobs
eagerly, in-process, and never publishes anything.

Where the worker cannot run (no Redis at JOBS_TEST_BROKER_URL, or the test database is SQLite,
which lives in pytest's memory where no other process can reach it), the `worker` tests are
skipped with a message that says so, unless REQUIRE_JOB_TESTS is set (as .ci/run sets it), in
which case they fail.
"""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

BROKER = os.environ.get("JOBS_TEST_BROKER_URL", "redis://127.0.0.1:6379/0")
BASE_DIR = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 60


def worker_missing_reason():
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return ("the worker process needs the test database on PostgreSQL (set DATABASE_URL, as .ci/run "
                "does): SQLite's test database lives in pytest's memory")
    import redis

    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"Redis does not answer at {BROKER} ({error}); start it or set JOBS_TEST_BROKER_URL"
    return None


def _database_url(db):
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, process, media_root, queue, log):
        self.process, self.media_root, self.queue, self.log = process, media_root, queue, log

    def log_tail(self, lines=40):
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, tmp_path_factory):
    """One worker process for the whole run, on the test database (created by django_db_setup)."""
    from django.db import connection

    from ita_portal.celery import app

    queue = f"ita-test-{os.getpid()}-{secrets.token_hex(4)}"
    media_root = tmp_path_factory.mktemp("worker-media")
    log = tmp_path_factory.mktemp("worker-log") / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_QUEUE": queue,
        "MEDIA_ROOT": str(media_root),
        "DEBUG": "true",
    }
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "ita_portal", "worker", "--queues", queue,
             "--pool", "prefork", "--concurrency", "1", "--hostname", f"{queue}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"],
            cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    worker = Worker(process, media_root, queue, log)
    deadline = time.monotonic() + STARTUP_SECONDS
    while b" ready." not in log.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the Celery worker did not start:\n{worker.log_tail()}")
        time.sleep(0.1)
    saved = {name: app.conf[name] for name in ("broker_url", "task_default_queue")}
    send_through(app, broker_url=BROKER, task_default_queue=queue)
    yield worker
    send_through(app, **saved)
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    import redis

    # The run's queue and its exchange's bindings (kombu's Redis transport keeps them by name).
    redis.Redis.from_url(BROKER).delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def send_through(app, **conf):
    """Send the app's tasks with `conf`, whatever was sent before. Celery builds its broker
    connections and its routes (the default queue) on first use and keeps them: an earlier test
    that published anything (eager tests run first under pytest-xdist) would otherwise have
    bound them to the old broker and queue, and the worker would never see a job."""
    from kombu import pools

    app.conf.update(conf)
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    # kombu keeps producer pools per broker address for the whole process, each holding the
    # connection pool it was made with: one made before holds a pool closed just above.
    pools.reset()
    app.__dict__.pop("amqp", None)  # a cached property: built again from the new conf


@pytest.fixture
def worker(celery_worker, settings):
    """The session's worker, with jobs sent to it (not run eagerly) and downloads read from the
    media folder it writes into."""
    from ita_portal.celery import app

    settings.MEDIA_ROOT = celery_worker.media_root
    app.conf.task_always_eager = False
    yield celery_worker
    app.conf.task_always_eager = True


@pytest.fixture(autouse=True, scope="session")
def jobs_run_eagerly():
    """Outside the `worker` tests, jobs run in-process whatever the environment says."""
    from ita_portal.celery import app

    app.conf.task_always_eager = True


def wait_for_job(job, timeout=60, until=None):
    """Poll the job until it has ended (or `until(job)` holds); returns every (state, done,
    total) seen, in order, so a test can tell that progress moved."""
    seen = []
    deadline = time.monotonic() + timeout
    while True:
        job.refresh_from_db()
        if not seen or seen[-1] != (job.state, job.done, job.total):
            seen.append((job.state, job.done, job.total))
        if (until(job) if until else job.is_finished):
            return seen
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job.pk} still {job.state} after {timeout} s: {seen}")
        time.sleep(0.05)
