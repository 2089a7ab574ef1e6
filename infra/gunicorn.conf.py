"""Gunicorn settings for production web processes: `gunicorn -c infra/gunicorn.conf.py`."""

import multiprocessing
import os

bind = os.environ.get("SAAS_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("SAAS_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("SAAS_WEB_THREADS", "4"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("SAAS_FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "saas.wsgi:app"
