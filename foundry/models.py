"""Imports every domain's models so that SQLAlchemy and Alembic see the whole schema."""

from foundry.accounts.models import AccountToken, Role, RoleMembership, Scope, TokenPurpose, User
from foundry.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    ApplicationStatus,
    InterviewSlot,
    Offer,
)
from foundry.audit.models import AuditEvent
from foundry.companies.models import Company, CompanySize, VerificationStatus
from foundry.notifications.models import EmailStatus, Notification, OutboxEmail
from foundry.placements.models import (
    EvaluationStage,
    GraduateOutcome,
    Outcome,
    Placement,
    PlacementCompletion,
    PlacementEvaluation,
    PlacementSource,
)
from foundry.postings import search_index  # noqa: F401  (FTS5 DDL on SQLite)
from foundry.postings.models import (
    ApprovalStatus,
    PayPeriod,
    Posting,
    PostingApproval,
    PostingKind,
    PostingLevel,
    PostingStatus,
    PostingTheme,
    SavedPosting,
    SavedSearch,
    ScreeningQuestion,
    WorkMode,
)
from foundry.reports.summaries.models import (
    CompanyYear,
    FacultyCompanyYear,
    KindYear,
    MonthCounts,
    SignInYear,
    StudentYear,
)
from foundry.sso.models import SsoConnection, UserIdentity
from foundry.students.models import (
    CVDocument,
    Proficiency,
    Skill,
    StudentLanguage,
    StudentProfile,
    StudentTheme,
)
from foundry.talent_pool.models import TalentPoolInvitation
from foundry.universities.models import (
    Faculty,
    StudyLevel,
    StudyProgramme,
    University,
    UniversityDomain,
)

__all__ = [
    "CompanyYear",
    "FacultyCompanyYear",
    "KindYear",
    "MonthCounts",
    "SignInYear",
    "StudentYear",
    "EvaluationStage",
    "GraduateOutcome",
    "Outcome",
    "PlacementCompletion",
    "PlacementEvaluation",
    "PlacementSource",
    "AccountToken",
    "SsoConnection",
    "TokenPurpose",
    "UserIdentity",
    "Application",
    "ApplicationEvent",
    "ApplicationNote",
    "ApplicationStatus",
    "ApprovalStatus",
    "EmailStatus",
    "InterviewSlot",
    "Notification",
    "Offer",
    "OutboxEmail",
    "PayPeriod",
    "Placement",
    "Posting",
    "PostingApproval",
    "PostingKind",
    "PostingLevel",
    "PostingStatus",
    "PostingTheme",
    "SavedPosting",
    "SavedSearch",
    "ScreeningQuestion",
    "TalentPoolInvitation",
    "WorkMode",
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
