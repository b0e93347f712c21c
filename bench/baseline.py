"""The yardstick of bench/run: the bare stack (Flask, SQLAlchemy, psycopg, gunicorn with
the same settings, the same database) doing the least a page can do, so every page of
the portal is reported as a share of what this machine gives at that moment.

    /hello    JSON, no database
    /list     the 20 newest open postings of one cluster (BENCH_CLUSTER, default
              ai_robotics) through one indexed query, in a tiny template
    /healthz  for the runner's start-up wait

The cluster is the company's (companies.cluster), and no index holds it together with a
posting's status and date, so PostgreSQL combines the portal's own indexes: at 10k it walks
ix_postings_open_newest backwards (newest open first) and keeps the postings whose
company (pk_companies) is of the cluster until it has 20 (0.2 ms); at 1m it reads the
3,000 open postings through ix_postings_status_deadline and hash-joins the cluster's
companies, then keeps the 20 newest (6-10 ms on this machine; migration 0014 left this
plan as it was, EXPLAIN ANALYZE on a copy of the 1m postings). An index on the cluster
would need it on the posting (denormalised); the bench adds none: the yardstick runs on the
portal's schema as it is.

    gunicorn -c bench/runner/gunicorn_settings.py bench.baseline:app   (DATABASE_URL set)
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, jsonify, render_template_string

app = Flask(__name__)
engine = sa.create_engine(
    os.environ["DATABASE_URL"],
    # As the portal's engine (config.BaseConfig.SQLALCHEMY_ENGINE_OPTIONS).
    pool_pre_ping=True,
)
CLUSTER = os.environ.get("BENCH_CLUSTER", "ai_robotics")

NEWEST_OPEN_OF_CLUSTER = sa.text(
    """
    SELECT postings.id, postings.title, postings.published_at, companies.name AS company
    FROM postings JOIN companies ON companies.id = postings.company_id
    -- deadline holds naive UTC (foundry.db.UTCDateTime), as the portal compares it.
    WHERE postings.status = 'published' AND postings.deadline > (now() AT TIME ZONE 'UTC')
      AND companies.cluster = :cluster
    ORDER BY postings.published_at DESC
    LIMIT 20
    """
)

LIST_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Newest postings</title></head>
<body><h1>Newest postings</h1><ol>
{% for posting in postings %}<li><a href="/postings/{{ posting.id }}">{{ posting.title }}</a>
 · {{ posting.company }} · {{ posting.published_at.strftime('%d %b %Y') }}</li>
{% endfor %}</ol></body></html>"""


@app.get("/hello")
def hello():
    return jsonify(hello="world")


@app.get("/list")
def newest_postings():
    with engine.connect() as connection:
        postings = connection.execute(NEWEST_OPEN_OF_CLUSTER, {"cluster": CLUSTER}).all()
    return render_template_string(LIST_TEMPLATE, postings=postings)


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")
