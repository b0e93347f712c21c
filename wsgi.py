"""WSGI entry point for production: `gunicorn -c gunicorn.conf.py wsgi:app`.

The production configuration reads SECRET_KEY, DATABASE_URL and REDIS_URL from the
environment and refuses to start when any is missing or unsafe.
"""

from foundry import create_app

app = create_app("production")
