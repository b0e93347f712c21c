"""Demo data for development and the browser tests."""
