"""The front door: landing page, per-role home redirect, language switch, health check."""
