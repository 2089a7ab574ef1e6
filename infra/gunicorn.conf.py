"""Gunicorn settings for production web processes: `gunicorn -c infra/gunicorn.conf.py`.

Read through `saas.config`, like every other setting: a value that cannot be parsed stops
gunicorn at start, naming the variable.
"""

import gc
import multiprocessing
import sys
from pathlib import Path

# Run from a checkout as well as from an installed package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from saas.config import load_settings

_settings = load_settings()

bind = _settings.bind
workers = _settings.web_workers or multiprocessing.cpu_count() * 2 + 1
threads = _settings.web_threads
worker_class = "gthread"
timeout = 30
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
# X-Forwarded-Proto from these peers only; the app itself reads X-Forwarded-For the same way.
forwarded_allow_ips = ",".join(_settings.forwarded_allow_ips)
wsgi_app = "saas.wsgi:app"


def post_worker_init(_worker):
    """Once the app is loaded: its objects live as long as the process, so the collector's full
    sweeps skip them (a sweep of the whole loaded app took a tenth of a second)."""
    gc.collect()
    gc.freeze()
