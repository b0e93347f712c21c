"""Imports every domain's models so that SQLAlchemy and Alembic see the whole schema."""

from foundry.accounts.models import Role, RoleMembership, Scope, User
from foundry.audit.models import AuditEvent
from foundry.companies.models import Company, CompanySize, VerificationStatus
from foundry.students.models import (
    CVDocument,
    Proficiency,
    Skill,
    StudentLanguage,
    StudentProfile,
    StudentTheme,
)
from foundry.universities.models import (
    Faculty,
    StudyLevel,
    StudyProgramme,
    University,
    UniversityDomain,
)

__all__ = [
    "AuditEvent",
    "CVDocument",
    "Company",
    "CompanySize",
    "Faculty",
    "Proficiency",
    "Role",
    "RoleMembership",
    "Scope",
    "Skill",
    "StudentLanguage",
    "StudentProfile",
    "StudentTheme",
    "StudyLevel",
    "StudyProgramme",
    "University",
    "UniversityDomain",
    "User",
    "VerificationStatus",
]
