"""Faculty–industry collaboration records, linked to the people the partner companies hire."""
