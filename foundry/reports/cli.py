"""`flask reports rebuild-summaries` and `flask reports check-summaries`: the report
summaries filled again from the raw data, or compared with it (see
foundry.reports.summaries).

A command is not a request: each is its own unit of work and commits once, at its end
(or rolls back and changes nothing when it refuses)."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup
from tqdm import tqdm

from foundry.extensions import db
from foundry.reports.cache import mark_stale
from foundry.reports.summaries.maintenance import differences, rebuild, tidy_after_rebuild
from foundry.reports.summaries.models import ALL_TABLES


def register_reports_cli(app: Flask) -> None:
    group = AppGroup("reports", help="Placement reports: their summary tables.")

    @group.command("rebuild-summaries")
    @click.option("--quiet", is_flag=True, help="No progress bar.")
    def rebuild_summaries_command(quiet: bool) -> None:
        """Fill the report summaries again from the applications, placements and sign-ins
        (after data was changed with plain SQL). One transaction; writers wait meanwhile;
        on PostgreSQL the tables are vacuumed and analysed afterwards."""
        with tqdm(
            total=len(ALL_TABLES), desc="Summaries", unit="table", file=sys.stderr, disable=quiet
        ) as bar:

            def done(table: str, rows: int) -> None:
                bar.update()
                bar.set_postfix_str(f"{table}: {rows:,} rows")

            written = rebuild(db.session.connection(), done)
        mark_stale(db.session)  # the cached dashboards were counted from the old rows
        db.session.commit()
        tidy_after_rebuild(db.engine)
        for table, rows in written.items():
            click.echo(f"{table}: {rows:,} rows")

    @group.command("check-summaries")
    def check_summaries_command() -> None:
        """Compare the report summaries with the raw data; exit 1 when they differ."""
        found = differences(db.session.connection())
        db.session.rollback()
        wrong = False
        for table, (missing, extra) in found.items():
            if missing or extra:
                wrong = True
                click.echo(f"{table}: {missing:,} rows missing or wrong, {extra:,} rows extra")
            else:
                click.echo(f"{table}: as the raw data says")
        if wrong:
            click.echo("Run `flask reports rebuild-summaries` to fill them again.", err=True)
            raise click.exceptions.Exit(1)

    app.cli.add_command(group)
