"""gunicorn settings shared by every service: `gunicorn -c servicekit/gunicorn_conf.py 'pkg:create_app()'`.

Everything can be overridden from the environment (BIND, WEB_CONCURRENCY, GUNICORN_THREADS).
"""

import os
import shutil

from prometheus_client import multiprocess

from servicekit import background

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 10
keepalive = 5
# gunicorn's control socket has one default path per user: several stacks and replicas would fight over it.
control_socket_disable = True
accesslog = "-" if os.environ.get("ACCESS_LOG", "").lower() in ("1", "true", "yes") else None


def on_starting(server):
    """Start from an empty metrics directory: samples of a previous run's workers are stale."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path, exist_ok=True)


def post_worker_init(worker):
    """Each worker runs the app's background jobs; database locks keep them from doubling up."""
    background.start(worker.wsgi)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
