"""How the roles read on a page: the navbar, the members' lists, the invitation e-mails."""

from __future__ import annotations

from foundry.accounts.models import Role
from foundry.i18n import lazy_gettext as _l

ROLE_LABELS = {
    Role.STUDENT: _l("Student"),
    Role.DEAN: _l("Dean"),
    Role.ASSOCIATE_DEAN: _l("Associate dean"),
    Role.PLACEMENT_OFFICER: _l("Placement officer"),
    Role.UNIVERSITY_COORDINATOR: _l("University coordinator"),
    Role.COMPANY_ADMIN: _l("Company admin"),
    Role.RECRUITER: _l("Recruiter"),
    Role.PARK_ADMIN: _l("Park admin"),
}
