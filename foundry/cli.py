"""Command-line tools: `flask --app foundry seed-demo` and friends."""

from __future__ import annotations

import click
from flask import Flask


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--students", default=500, show_default=True, help="How many students.")
    @click.option("--quiet", is_flag=True, help="No progress bar.")
    def seed_demo_command(students: int, quiet: bool) -> None:
        """Build the deterministic demo data set; running it again changes nothing."""
        from foundry.demo.seed import seed_demo

        summary = seed_demo(student_count=students, progress=not quiet)
        click.echo(summary.describe())
