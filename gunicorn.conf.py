"""gunicorn settings for production (`gunicorn wsgi:app` reads this file from the repo root).

Every value can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = 30
graceful_timeout = 20
max_requests = 2000
max_requests_jitter = 200
# The access log leaves out the client address, user agent and query string (privacy).
accesslog = os.environ.get("ACCESS_LOG") or None
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def post_worker_init(worker):
    """Load the text-analysis models before the first family's answer arrives."""
    from engagement.themes.pipeline import warm_up

    warm_up()
