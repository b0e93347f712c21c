"""The demo acts through the services: no paused report summaries, no bulk statements, and
the only rows it adds itself are the reference data and the accounts provisioning makes."""

from __future__ import annotations

import re
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "foundry" / "demo"
BYPASSES = re.compile(r"paused|rebuild|sa\.insert\(|sa\.update\(|sa\.delete\(|bulk_")
DIRECT_WRITERS = {"reference.py", "cast.py"}  # reference data; accounts as provisioned


def _sources():
    return {path.name: path.read_text(encoding="utf-8") for path in DEMO.glob("*.py")}


def test_the_demo_never_pauses_the_summaries_or_writes_in_bulk():
    offenders = {name for name, text in _sources().items() if BYPASSES.search(text)}

    assert offenders == set()


def test_only_reference_data_and_accounts_are_added_directly():
    adders = {name for name, text in _sources().items() if "session.add(" in text}

    assert adders <= DIRECT_WRITERS
