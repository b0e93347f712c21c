"""Tests of the TOTP second factor."""
