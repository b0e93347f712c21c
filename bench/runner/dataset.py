"""The park-scale data set a run times: built by bench.park (its own module) when the
database is missing, and what bench.park.personas says about it (who signs in, with what,
and which rows the pages look at)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

import sqlalchemy as sa

from bench import park
from bench.park import database, personas
from bench.runner.servers import ROOT

SCALES = ("10k", "100k", "1m")


@dataclass
class DataSet:
    scale: str
    url: str
    engine: sa.Engine
    targets: dict

    def count(self, sql: str, **params) -> int:
        with self.engine.connect() as connection:
            return connection.execute(sa.text(sql), params).scalar_one()


def prepare(scale: str, log=print, programmes_at: str | None = None) -> DataSet:
    """The data set of `scale` (its programmes sized as at `programmes_at` when given),
    built first unless bench.park marked it complete."""
    url = park.database_url(scale)
    marker = database.marker(park.marker_scale(scale, programmes_at), park.SEED)
    if not database.is_complete(url, marker):
        command = [sys.executable, "-m", "bench.park", "--scale", scale]
        command += ["--programmes-at", programmes_at] if programmes_at else []
        log(f"building the {scale} data set ({' '.join(command[1:])})")
        subprocess.run(command, cwd=ROOT, check=True)
    engine = sa.create_engine(url)
    # The driver's own connection: through SQLAlchemy's exec_driver_sql, psycopg would take
    # the % of the LIKE pattern in targets() for a parameter.
    raw = engine.raw_connection()
    try:
        targets = personas.targets(raw.driver_connection)
    finally:
        raw.close()
    return DataSet(scale, url, engine, targets)
