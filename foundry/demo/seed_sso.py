"""The demo's university sign-in: HKUST and HKU connected to the local OpenID providers that
`make idp` serves on 127.0.0.1:5556 (tests/oidc_provider/demo/config.json holds the same
client ids and secrets, and the accounts that can sign in).

HKUST's IdP sends the study level and graduation year, so its students land on their
dashboard at once; HKU's does not, so its students are asked once, after their first
sign-in. Both name staff roles in the `foundry_role` claim.

A connection that exists is left as it is (an admin may have changed it), so running the
seed again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from foundry.sso.services import configure_connection, connection_of
from foundry.universities.models import University

DEMO_IDP = "http://127.0.0.1:5556"


@dataclass(frozen=True)
class DemoConnection:
    university_code: str
    idp_path: str
    client_id: str
    client_secret: str
    sends_study_details: bool


DEMO_CONNECTIONS = (
    DemoConnection("HKUST", "hkust", "talent-foundry-hkust", "demo-hkust-client-secret", True),
    DemoConnection("HKU", "hku", "talent-foundry-hku", "demo-hku-client-secret", False),
)


def demo_claims(demo: DemoConnection) -> dict[str, str | None]:
    study = demo.sends_study_details
    return {
        "email": "email",
        "name": "name",
        "student_number": "student_number",
        "faculty": "faculty",
        "affiliation": "eduPersonAffiliation",
        "staff_role": "foundry_role",
        "study_level": "study_level" if study else None,
        "graduation_year": "graduation_year" if study else None,
    }


def seed_sso_connections(universities: dict[str, University], actor) -> None:
    """Connect the demo universities to the local IdPs, unless already connected."""
    for demo in DEMO_CONNECTIONS:
        university = universities[demo.university_code]
        if connection_of(university) is not None:
            continue
        configure_connection(
            university,
            actor=actor,
            issuer=f"{DEMO_IDP}/{demo.idp_path}",
            client_id=demo.client_id,
            client_secret=demo.client_secret,
            claims=demo_claims(demo),
        )
