"""Collaborations with industry, acted out through the services after the hiring years are
played: each faculty's dean records work with the park's companies over the years, across
the kinds and statuses universities report; and the issue's story, at the School of
Engineering of HKUST: the dean records a sponsored capstone with the company that
interviewed most of the faculty's students, adds three of them, shares it with the
company and links the role the company opened for them; the company's admin proposes an
update; the dean accepts; the hiring link shows whom the company interviewed and hired.
Records that went ahead carry their signed agreement (a small generated PDF); the capstone
also has its budget (kept for the faculty), the company's own upload and an interim report
with a Chinese name.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta

import sqlalchemy as sa
import xlsxwriter

from foundry import clock
from foundry.accounts.models import Role, User
from foundry.applications.models import Application
from foundry.collaborations import attachments, links, proposals, services
from foundry.collaborations.attachment_models import AttachmentAudience
from foundry.collaborations.attachments import Upload
from foundry.collaborations.models import (
    AgreementType,
    CollaborationKind,
    CollaborationStatus,
    MilestoneStatus,
    OutcomeKind,
    PartyRole,
    PersonRole,
    Visibility,
)
from foundry.collaborations.services import CollaborationDetails
from foundry.demo.agenda import year_start
from foundry.demo.pdf import minimal_pdf
from foundry.extensions import db
from foundry.placements.models import Placement
from foundry.reports.periods import start_of_day
from foundry.students.models import StudentProfile

TOPICS = {
    CollaborationKind.COLLABORATIVE_RESEARCH: "Joint research on {theme}",
    CollaborationKind.CONTRACT_RESEARCH: "Contract study: {theme}",
    CollaborationKind.CONSULTANCY: "Consultancy on {theme}",
    CollaborationKind.SPONSORED_PROJECT: "Sponsored capstone: {theme}",
    CollaborationKind.INTERNSHIP_PARTNERSHIP: "Internship partnership in {theme}",
    CollaborationKind.CPD: "CPD course: {theme}",
    CollaborationKind.GUEST_LECTURE: "Guest lecture: {theme}",
    CollaborationKind.ADVISORY_ROLE: "Industry advisory panel on {theme}",
    CollaborationKind.DONATION: "Donated lab equipment for {theme}",
    CollaborationKind.LICENSING: "Licence of a patent in {theme}",
    CollaborationKind.EQUIPMENT_USE: "Use of the faculty's lab for {theme}",
}
THEMES = [
    "warehouse robotics",
    "medical imaging",
    "fraud detection",
    "smart-grid forecasting",
    "chip verification",
    "battery materials",
    "computer vision for construction",
    "large language models in Cantonese",
]
SCHEMES = ["ITF", "UGC", "Company-funded", "HKSTP", ""]
# What each status's records say the collaboration reached, in the order they happen.
STATUS_PATH = {
    CollaborationStatus.PROPOSED: [],
    CollaborationStatus.NEGOTIATING: [CollaborationStatus.NEGOTIATING],
    CollaborationStatus.ACTIVE: [CollaborationStatus.ACTIVE],
    CollaborationStatus.COMPLETED: [CollaborationStatus.ACTIVE, CollaborationStatus.COMPLETED],
    CollaborationStatus.TERMINATED: [CollaborationStatus.TERMINATED],
}


def collaborations(posts: dict, members: dict[int, list[User]], places, years) -> int:
    """Play the faculties' collaborations; returns how many were recorded."""
    rng = random.Random("collaborations")
    companies = [c for c in places.companies.values() if c.id in members]
    made = 0
    for (role, university, faculty_code), dean in sorted(
        posts.items(), key=lambda item: (item[0][1] or "", item[0][2] or "")
    ):
        if role is not Role.DEAN:
            continue
        faculty = places.faculties[(university, faculty_code)]
        for year in years:
            for _ in range(4):
                made += _one(rng, dean, faculty, rng.choice(companies), year)
    made += _capstone_story(posts, members, places, years)
    return made


def _one(rng: random.Random, dean: User, faculty, company, year: int) -> int:
    kind = rng.choice(list(CollaborationKind))
    status = rng.choice(list(CollaborationStatus))
    starts = year_start(year) + timedelta(days=rng.randint(0, 200))
    with clock.frozen_at(starts - timedelta(days=20)):
        record = services.record_collaboration(
            dean,
            faculty,
            CollaborationDetails(
                kind=kind,
                title=TOPICS[kind].format(theme=rng.choice(THEMES)),
                summary=f"{faculty.name_en} and {company.name} work together.",
                status=CollaborationStatus.PROPOSED,
                visibility=rng.choice(list(Visibility)),
                start_date=starts.date(),
                end_date=starts.date() + timedelta(days=rng.choice([90, 180, 365, 540])),
                cash_hkd=rng.choice([0, 20_000, 80_000, 150_000, 400_000, 1_200_000]),
                in_kind_hkd=rng.choice([0, 0, 10_000, 50_000]),
                funding_scheme=rng.choice(SCHEMES),
            ),
            company_id=company.id,
            company_role=rng.choice([PartyRole.PARTNER, PartyRole.FUNDER, PartyRole.CONTRACTOR]),
            lead_id=dean.id,
        )
        if status in (CollaborationStatus.ACTIVE, CollaborationStatus.COMPLETED):
            _attach_agreement(dean, record, company.name)
        for step in STATUS_PATH[status]:
            services.change_status(dean, record, step)
        if status is CollaborationStatus.COMPLETED and kind in (
            CollaborationKind.COLLABORATIVE_RESEARCH,
            CollaborationKind.CONTRACT_RESEARCH,
            CollaborationKind.LICENSING,
        ):
            outcome = rng.choice([OutcomeKind.PUBLICATION, OutcomeKind.PATENT_FILED])
            services.add_outcome(dean, record, outcome, f"{record.title}: results", None)
    return 1


def _attach_agreement(dean: User, record, company_name: str) -> None:
    """The signed agreement, as the faculty's office scans it: a PDF for the parties."""
    reference = record.agreement_reference or f"{record.faculty.code}-{record.id:04d}"
    content = minimal_pdf(
        [
            f"Collaboration agreement {reference}",
            record.title,
            f"Between {record.faculty.name_en} and {company_name}",
            f"From {record.start_date.isoformat()}",
            "Signed by both parties.",
        ]
    )
    attachments.add_attachment(
        dean,
        record,
        Upload(f"Agreement {reference}.pdf", content),
        description="Signed agreement",
    )


def _budget_workbook(lines: list[tuple[str, int]]) -> bytes:
    """A small Excel budget, written as the exports write workbooks."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Budget")
    sheet.write_row(0, 0, ["Item", "HKD"])
    for row, (item, amount) in enumerate(lines, start=1):
        sheet.write_row(row, 0, [item, amount])
    workbook.close()
    return buffer.getvalue()


def _capstone_story(posts: dict, members: dict[int, list[User]], places, years) -> int:
    """The issue's story at HKUST's School of Engineering (see the module's docstring)."""
    dean = posts.get((Role.DEAN, "HKUST", "SENG"))
    if dean is None:
        return 0
    faculty = places.faculties[("HKUST", "SENG")]
    year = years[-2]  # last academic year: the company has interviewed and hired since
    starts = year_start(year)
    # The company that hired most of the faculty's students since, then interviewed most:
    # the story's hiring link has a hire to show.
    hired = (
        sa.select(sa.func.count(sa.distinct(Placement.profile_id)))
        .join(StudentProfile, StudentProfile.id == Placement.profile_id)
        .where(
            StudentProfile.faculty_id == faculty.id,
            Placement.company_id == Application.company_id,
            Placement.placed_at >= starts,
        )
        .scalar_subquery()
    )
    interviewed = (
        sa.select(Application.company_id, sa.func.count(sa.distinct(Application.profile_id)))
        .join(StudentProfile, StudentProfile.id == Application.profile_id)
        .where(
            StudentProfile.faculty_id == faculty.id,
            Application.interviewed_at >= starts,
            Application.company_id.in_(sorted(members)),
        )
        .group_by(Application.company_id)
        .order_by(
            hired.desc(),
            sa.func.count(sa.distinct(Application.profile_id)).desc(),
            Application.company_id,
        )
    )
    found = db.session.execute(interviewed.limit(1)).first()
    if found is None:
        return 0
    company_id = found[0]
    company_admin = members[company_id][0]
    participants = list(
        db.session.scalars(
            sa.select(Application.profile_id)
            .join(StudentProfile, StudentProfile.id == Application.profile_id)
            .where(StudentProfile.faculty_id == faculty.id, Application.company_id == company_id)
            .group_by(Application.profile_id)
            .order_by(
                sa.func.max(Application.offered_at).is_(None),
                sa.func.max(Application.interviewed_at).is_(None),
                Application.profile_id,
            )
            .limit(3)
        )
    )
    # Three students take part: those the company saw first, then others of the faculty.
    participants += list(
        db.session.scalars(
            sa.select(StudentProfile.id)
            .where(StudentProfile.faculty_id == faculty.id, StudentProfile.id.not_in(participants))
            .order_by(StudentProfile.id)
            .limit(3 - len(participants))
        )
    )
    with clock.frozen_at(starts - timedelta(days=14)):
        record = services.record_collaboration(
            dean,
            faculty,
            CollaborationDetails(
                kind=CollaborationKind.SPONSORED_PROJECT,
                title="Sponsored capstone: autonomous inspection robots",
                summary=(
                    "Final-year students design and build an inspection robot with the "
                    "company's engineers, who mentor them every fortnight."
                ),
                status=CollaborationStatus.ACTIVE,
                visibility=Visibility.SHARED,
                start_date=starts.date(),
                end_date=date(year + 1, 6, 30),
                cash_hkd=180_000,
                in_kind_hkd=60_000,
                funding_scheme="Company-funded",
                agreement_type=AgreementType.SPONSORED_RESEARCH,
                agreement_reference=f"SENG-SR-{year}-017",
                agreement_signed_on=starts.date() - timedelta(days=20),
                agreement_ends_on=date(year + 1, 8, 31),
            ),
            company_id=company_id,
            lead_id=dean.id,
        )
        services.add_person(dean, record, company_admin.id, PersonRole.COMPANY_CONTACT)
        if participants:
            services.add_students(dean, record, participants)
        # The role the company opened for the capstone's students: what the record produced.
        posting_id = db.session.scalar(
            sa.select(Application.posting_id)
            .where(Application.company_id == company_id)
            .where(Application.profile_id.in_(participants))
            .group_by(Application.posting_id)
            .order_by(sa.func.count().desc(), Application.posting_id)
            .limit(1)
        )
        if posting_id is not None:
            links.link_posting(dean, record, posting_id)
        demo_day = services.add_milestone(
            dean, record, "Prototype demo at the Science Park", date(year + 1, 3, 20)
        )
        services.add_milestone(dean, record, "Final report and handover", date(year + 1, 6, 15))
        _attach_agreement(dean, record, places_company(places, company_id).name)
        attachments.add_attachment(
            dean,
            record,
            Upload(
                "Capstone budget.xlsx",
                _budget_workbook([("Robot kits", 90_000), ("Sensors", 60_000), ("Travel", 30_000)]),
            ),
            description="Internal budget: for the faculty only",
            audience=AttachmentAudience.FACULTIES,
        )
    with clock.frozen_at(start_of_day(date(year + 1, 1, 10))):
        proposal = proposals.propose_update(
            company_admin,
            record,
            places_company(places, company_id),
            {"cash_hkd": 240_000},
            "We would like to add a sensor budget for the second term.",
        )
        attachments.add_attachment(
            company_admin,
            record,
            Upload(
                "Sensor budget proposal.pdf",
                minimal_pdf(["Sensor budget for the second term", "Lidar and IMU kits: HK$60,000"]),
            ),
            description="The company's quotation for the sensors",
        )
    with clock.frozen_at(start_of_day(date(year + 1, 1, 12))):
        proposals.accept_proposal(dean, proposal)
    with clock.frozen_at(start_of_day(date(year + 1, 3, 21))):
        services.set_milestone_status(dean, record, demo_day.id, MilestoneStatus.DONE)
        attachments.add_attachment(
            dean,
            record,
            Upload("期中報告（原型示範）.pdf", minimal_pdf(["Interim report", "Prototype demo"])),
            description="Interim report after the prototype demo",
        )
    return 1


def places_company(places, company_id: int):
    return next(c for c in places.companies.values() if c.id == company_id)
