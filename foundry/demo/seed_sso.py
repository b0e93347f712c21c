"""The demo's university sign-in: HKUST and HKU connected to the local OpenID providers that
`make idp` serves on 127.0.0.1:5556 (tests/oidc_provider/demo/config.json holds the same
client ids and secrets, named after the university, and the accounts that can sign in).

HKUST's IdP sends the study level and graduation year, so its students land on their
dashboard at once; HKU's does not, so its students are asked once, after their first
sign-in. Both name staff roles in the `foundry_role` claim.

A connection that exists is left as it is (an admin may have changed it), so running the
seed again changes nothing.
"""

from __future__ import annotations

from foundry.sso.services import configure_connection, connection_of
from foundry.universities.models import University

DEMO_IDP = "http://127.0.0.1:5556"
SENDS_STUDY_DETAILS = {"HKUST": True, "HKU": False}


def seed_sso_connections(universities: dict[str, University], actor) -> None:
    """Connect the demo universities to the local IdPs, unless already connected."""
    for code, study in SENDS_STUDY_DETAILS.items():
        university, name = universities[code], code.lower()
        if connection_of(university) is not None:
            continue
        # The other claims (email, name, student_number, faculty, eduPersonAffiliation)
        # are the connection's defaults.
        claims = {"staff_role": "foundry_role"}
        if study:
            claims |= {"study_level": "study_level", "graduation_year": "graduation_year"}
        configure_connection(
            university,
            actor=actor,
            issuer=f"{DEMO_IDP}/{name}",
            client_id=f"talent-foundry-{name}",
            client_secret=f"demo-{name}-client-secret",
            claims=claims,
        )
