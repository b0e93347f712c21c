"""Tests of placement records, graduate outcomes and supervisors' evaluations."""
