"""Companies: see routes.py for the pages and services.py for the rules."""
