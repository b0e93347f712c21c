"""How long a programme's texts may be, how many seats a session may offer and how far
ahead a cut-off may lie: checked by the services and, where it is a shape of the data, by
the database's check constraints too."""

from __future__ import annotations

from foundry.programmes.models import MAX_CANCELLATION_CUTOFF_HOURS, MAX_CAPACITY

TITLE_MAX = 160
DESCRIPTION_MAX = 20_000
VENUE_MAX = 300
JOIN_LINK_MAX = 500
SESSION_LABEL_MAX = 120
CANCELLATION_MESSAGE_MAX = 1_000
# A session longer than three days is a typing mistake too (a drive is several sessions).
MAX_SESSION_HOURS = 72
MAX_SESSIONS = 100

__all__ = [
    "CANCELLATION_MESSAGE_MAX",
    "DESCRIPTION_MAX",
    "JOIN_LINK_MAX",
    "MAX_CANCELLATION_CUTOFF_HOURS",
    "MAX_CAPACITY",
    "MAX_SESSIONS",
    "MAX_SESSION_HOURS",
    "SESSION_LABEL_MAX",
    "TITLE_MAX",
    "VENUE_MAX",
]
