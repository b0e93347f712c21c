"""gunicorn settings, each overridable from the environment.

PORT                  port to listen on (default 8000, on all interfaces)
GUNICORN_BIND         full bind address instead, e.g. unix:/run/foundry.sock
WEB_CONCURRENCY       worker processes (default 2 * cores + 1)
GUNICORN_THREADS      threads per worker (default 1)
GUNICORN_TIMEOUT      seconds before a silent worker is restarted (default 30)
FORWARDED_ALLOW_IPS   proxies trusted for X-Forwarded-* headers (default 127.0.0.1,::1;
                      "*" only when the app servers are reachable solely through the proxy)
GUNICORN_LOG_LEVEL    debug, info (default), warning, error
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never takes a server down.
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
