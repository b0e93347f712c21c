"""Rules for students' own records: profile updates and CV documents."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import lazyload

from foundry.accounts.models import Role, User
from foundry.accounts.session import profile_read_with_session
from foundry.audit.services import record
from foundry.db import utcnow
from foundry.documents import PdfUnpacksTooFar, is_pdf, read_pdf
from foundry.errors import InvalidInput
from foundry.extensions import db
from foundry.students.models import (
    CVDocument,
    Proficiency,
    Skill,
    StudentLanguage,
    StudentProfile,
    StudentTheme,
)
from foundry.students.queries import ProfileLists
from foundry.taxonomy import Theme
from foundry.universities.models import Faculty, StudyLevel, StudyProgramme

MAX_SKILLS = 30
MAX_SKILL_LENGTH = 50


@dataclass
class ProfileChanges:
    display_name: str
    faculty_id: int
    programme_id: int | None
    study_level: StudyLevel
    graduation_year: int
    headline: str | None
    about: str | None
    skills: list[str]
    languages: dict[str, Proficiency]
    themes: list[Theme]
    linkedin_url: str | None
    github_url: str | None
    website_url: str | None
    non_local: bool
    talent_pool_opt_in: bool


def profile_for(user: User) -> StudentProfile | None:
    """The user's student profile. Its user is `user`, found in the session rather than
    joined again (which would load their role memberships a second time); its skills,
    languages and themes are loaded when first read, as most pages read none of them.
    In a request, the profile read with the session row is the one (load_user)."""
    return profile_read_with_session(user) or db.session.scalar(
        _profile_query(), {"user_id": user.id}
    )


@cache
def _profile_query() -> sa.Select:
    """profile_for's statement, built once per process: most of a student's pages read
    their profile, and building a select with loader options costs about as much Python
    as running it (SQLAlchemy caches the compiled SQL, not the building)."""
    return (
        sa.select(StudentProfile)
        .where(StudentProfile.user_id == sa.bindparam("user_id"))
        .options(
            lazyload(StudentProfile.user),
            lazyload(StudentProfile.skills),
            lazyload(StudentProfile.languages),
            lazyload(StudentProfile.themes),
        )
    )


def normalise_skills(raw: list[str]) -> list[str]:
    """Lower-case, trimmed, de-duplicated skill names in the order given."""
    seen: dict[str, None] = {}
    for name in raw:
        cleaned = " ".join(name.split()).lower()
        if not cleaned:
            continue
        if len(cleaned) > MAX_SKILL_LENGTH:
            raise InvalidInput(_("Each skill can be at most %(n)d characters.", n=MAX_SKILL_LENGTH))
        seen[cleaned] = None
    if len(seen) > MAX_SKILLS:
        raise InvalidInput(_("List at most %(n)d skills.", n=MAX_SKILLS))
    return list(seen)


def skills_named(names: list[str]) -> list[Skill]:
    """The Skill rows for normalised `names`, creating those not seen before."""
    if not names:
        return []
    existing = {
        s.name: s for s in db.session.scalars(sa.select(Skill).where(Skill.name.in_(names)))
    }
    for name in names:
        if name not in existing:
            existing[name] = Skill(name=name)
            db.session.add(existing[name])
    return [existing[name] for name in names]


def _check_faculty_and_programme(profile: StudentProfile, changes: ProfileChanges) -> None:
    faculty = db.session.get(Faculty, changes.faculty_id)
    if faculty is None or faculty.university_id != profile.university_id:
        raise InvalidInput(_("Choose a faculty of your own university."))
    if changes.programme_id is not None:
        programme = db.session.get(StudyProgramme, changes.programme_id)
        if programme is None or programme.faculty_id != faculty.id:
            raise InvalidInput(_("Choose a programme of the faculty you selected."))


def update_profile(actor: User, profile: StudentProfile, changes: ProfileChanges) -> None:
    """Apply `changes` to the student's profile after checking they are consistent."""
    _check_faculty_and_programme(profile, changes)
    skills = skills_named(normalise_skills(changes.skills))
    profile.user.display_name = changes.display_name
    profile.faculty_id = changes.faculty_id
    profile.programme_id = changes.programme_id
    profile.study_level = changes.study_level
    profile.graduation_year = changes.graduation_year
    profile.headline = changes.headline
    profile.about = changes.about
    profile.linkedin_url = changes.linkedin_url
    profile.github_url = changes.github_url
    profile.website_url = changes.website_url
    profile.non_local = changes.non_local
    if changes.talent_pool_opt_in and not profile.talent_pool_opt_in:
        profile.talent_pool_opted_in_at = utcnow()
    profile.talent_pool_opt_in = changes.talent_pool_opt_in
    profile.skills = skills
    _replace_languages(profile, changes.languages)
    _replace_themes(profile, changes.themes)
    _move_student_membership(profile)
    db.session.flush()
    record(actor, "student.profile_updated", profile)


def _replace_languages(profile: StudentProfile, languages: dict[str, Proficiency]) -> None:
    current = {lang.language: lang for lang in profile.languages}
    for code, lang in current.items():
        if code not in languages:
            profile.languages.remove(lang)
    for code, proficiency in languages.items():
        if code in current:
            current[code].proficiency = proficiency
        else:
            profile.languages.append(StudentLanguage(language=code, proficiency=proficiency))


def _replace_themes(profile: StudentProfile, themes: list[Theme]) -> None:
    wanted = set(themes)
    for item in list(profile.themes):
        if item.theme not in wanted:
            profile.themes.remove(item)
    have = {item.theme for item in profile.themes}
    for theme in themes:
        if theme not in have:
            profile.themes.append(StudentTheme(theme=theme))


def _move_student_membership(profile: StudentProfile) -> None:
    """The student role's faculty scope follows the profile's faculty."""
    for membership in profile.user.memberships_for(Role.STUDENT):
        if membership.university_id == profile.university_id:
            membership.faculty_id = profile.faculty_id


# --- CVs ---------------------------------------------------------------------------------


def pdf_page_count(content: bytes) -> int:
    """Pages of a real PDF; InvalidInput when `content` is not one, whatever its name."""
    if not content:
        raise InvalidInput(_("The file is empty. Choose your CV as a PDF file."))
    if not is_pdf(content):
        raise InvalidInput(_("This file is not a PDF. Save your CV as PDF and upload that."))
    try:
        facts = read_pdf(content)
    except PdfUnpacksTooFar:
        raise InvalidInput(
            _("This PDF unpacks to far more than a CV needs. Export it again and retry.")
        ) from None
    if facts.pages < 1:
        raise InvalidInput(_("This PDF is damaged or has no pages. Export it again and retry."))
    if facts.active:
        raise InvalidInput(
            _(
                "This PDF contains scripts or embedded files. Print it to a plain PDF and "
                "upload that."
            )
        )
    return facts.pages


def identical_cv(profile: StudentProfile, content: bytes) -> CVDocument | None:
    """The student's CV with exactly these bytes, if they uploaded them already."""
    return db.session.scalar(
        sa.select(CVDocument)
        .where(
            CVDocument.profile_id == profile.id,
            CVDocument.sha256 == hashlib.sha256(content).hexdigest(),
        )
        .order_by(CVDocument.id)
        .limit(1)
    )


def add_cv(actor: User, profile: StudentProfile, title: str, filename: str, content: bytes):
    """Store a new CV for the student after checking it is a real PDF within limits."""
    limit = current_app.config["CV_MAX_BYTES"]
    if len(content) > limit:
        raise InvalidInput(
            _("The file is larger than %(mb)d MB. Make it smaller and retry.", mb=limit // 2**20)
        )
    # The cheap check first: a file already stored was parsed when it came the first time.
    same = identical_cv(profile, content)
    if same is not None:
        raise InvalidInput(
            _(
                "You already have this file as your CV “%(title)s”: nothing was added.",
                title=same.title,
            )
        )
    pages = pdf_page_count(content)
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(CVDocument)
        .where(CVDocument.profile_id == profile.id)
    )
    if count >= current_app.config["CV_MAX_PER_STUDENT"]:
        raise InvalidInput(
            _(
                "You can keep at most %(n)d CVs. Delete one first.",
                n=current_app.config["CV_MAX_PER_STUDENT"],
            )
        )
    cv = CVDocument(
        profile_id=profile.id,
        title=title.strip(),
        original_filename=(filename or "cv.pdf")[-255:],
        size_bytes=len(content),
        page_count=pages,
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )
    db.session.add(cv)
    db.session.flush()
    record(actor, "cv.uploaded", cv, {"title": cv.title}, pages=pages)
    return cv


def delete_cv(actor: User, cv: CVDocument) -> None:
    record(actor, "cv.deleted", cv, {"title": cv.title})
    db.session.delete(cv)
    db.session.flush()


def profile_completeness(
    profile: StudentProfile, lists: ProfileLists | None = None
) -> list[tuple[str, bool]]:
    """The checklist shown on the student's dashboard, in the order to do it. `lists`:
    the profile's list counts when read already (students.queries.profile_lists), else
    they are read from the profile's lists."""
    if lists is None:
        lists = ProfileLists(len(profile.skills), bool(profile.languages), bool(profile.cvs))
    return [
        (_("Add a headline"), bool(profile.headline)),
        (_("Choose your programme"), profile.programme_id is not None),
        (_("List at least three skills"), lists.skills >= 3),
        (_("Add the languages you speak"), lists.has_languages),
        (_("Pick the themes that interest you"), bool(profile.themes)),
        (_("Upload a CV"), lists.has_cvs),
        (_("Join the Talent Pool so verified companies can find you"), profile.talent_pool_opt_in),
    ]
