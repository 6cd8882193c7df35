"""gunicorn's settings for production: `gunicorn -c gunicorn.conf.py iomeu.wsgi`.

Everything that depends on the machine comes from the environment."""

import multiprocessing
import os

# Only a reverse proxy on this machine reaches the application unless told otherwise:
# the logins trust X-Forwarded-For from it alone (LOGINS_TRUSTED_PROXIES), and nothing else should
# reach gunicorn past the cache.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers per core is gunicorn's rule of thumb for a mostly-I/O Django app.
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a worker stuck this long is restarted
graceful_timeout = 30
keepalive = 5
# The application is loaded once in the master and each worker forked from it: a worker that
# gunicorn replaces is ready at once instead of spending a second importing Django and Wagtail.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() == "true"
# No recycling of workers by request count unless asked for (GUNICORN_MAX_REQUESTS, e.g. if a
# leak appears): served from the page cache, a worker answers thousands of requests a second, and
# the 2,000 set before recycled each worker every second or two under load (make bench: p99
# latencies above one second, from that alone).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
accesslog = "-"  # stdout: the platform collects it
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
