"""How long an application's texts may be and how many interview times a recruiter
proposes at once: checked by the forms and, again, by the services."""

from __future__ import annotations

MAX_COVER_LETTER = 10_000
MAX_ANSWER = 2_000
MAX_MESSAGE = 2_000
MAX_NOTE = 5_000
MAX_SLOTS = 5
MAX_GAP_MINUTES = 240
