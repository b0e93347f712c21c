"""Shared vocabularies: park clusters and locations, themes, languages.

Labels are marked for translation with lazy_gettext so they follow the user's language.
"""

from __future__ import annotations

import enum

from foundry.i18n import lazy_gettext as _l


class Cluster(enum.Enum):
    AI_ROBOTICS = "ai_robotics"
    HEALTH_TECH = "health_tech"
    FINTECH = "fintech"
    SMART_CITY = "smart_city"
    MICROELECTRONICS = "microelectronics"
    NEW_MATERIALS = "new_materials"
    SUSTAINABILITY = "sustainability"


class ParkLocation(enum.Enum):
    SCIENCE_PARK = "science_park"
    INNOCENTRE = "innocentre"
    INNOPARK_TKO = "innopark_tko"
    INNOPARK_TP = "innopark_tp"
    INNOPARK_YL = "innopark_yl"
    SHENZHEN_BRANCH = "shenzhen_branch"


class Theme(enum.Enum):
    AI_DATA = "ai_data"
    MICROELECTRONICS = "microelectronics"
    LIFE_HEALTH_TECH = "life_health_tech"
    FINTECH = "fintech"
    SMART_CITY = "smart_city"
    ROBOTICS = "robotics"
    NEW_MATERIALS = "new_materials"
    SUSTAINABILITY = "sustainability"


CLUSTER_LABELS = {
    Cluster.AI_ROBOTICS: _l("AI & robotics"),
    Cluster.HEALTH_TECH: _l("Health tech"),
    Cluster.FINTECH: _l("Fintech"),
    Cluster.SMART_CITY: _l("Smart city"),
    Cluster.MICROELECTRONICS: _l("Microelectronics"),
    Cluster.NEW_MATERIALS: _l("New materials"),
    Cluster.SUSTAINABILITY: _l("Sustainability"),
}

PARK_LOCATION_LABELS = {
    ParkLocation.SCIENCE_PARK: _l("Hong Kong Science Park"),
    ParkLocation.INNOCENTRE: _l("InnoCentre"),
    ParkLocation.INNOPARK_TKO: _l("InnoPark Tseung Kwan O"),
    ParkLocation.INNOPARK_TP: _l("InnoPark Tai Po"),
    ParkLocation.INNOPARK_YL: _l("InnoPark Yuen Long"),
    ParkLocation.SHENZHEN_BRANCH: _l("Shenzhen Branch"),
}

THEME_LABELS = {
    Theme.AI_DATA: _l("AI & data"),
    Theme.MICROELECTRONICS: _l("Microelectronics"),
    Theme.LIFE_HEALTH_TECH: _l("Life & health tech"),
    Theme.FINTECH: _l("Fintech"),
    Theme.SMART_CITY: _l("Smart city"),
    Theme.ROBOTICS: _l("Robotics"),
    Theme.NEW_MATERIALS: _l("New materials"),
    Theme.SUSTAINABILITY: _l("Sustainability"),
}

# ISO 639-1 codes offered on the profile form.
LANGUAGE_LABELS = {
    "en": _l("English"),
    "yue": _l("Cantonese"),
    "zh": _l("Mandarin"),
    "fr": _l("French"),
    "de": _l("German"),
    "ja": _l("Japanese"),
    "ko": _l("Korean"),
    "es": _l("Spanish"),
    "hi": _l("Hindi"),
    "id": _l("Indonesian"),
    "ms": _l("Malay"),
    "vi": _l("Vietnamese"),
    "th": _l("Thai"),
    "ar": _l("Arabic"),
}
