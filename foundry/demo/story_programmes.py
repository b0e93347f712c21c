"""The park's programmes in the demo, from its announcements (../shared/seeds/): the yearly
"AI in Action" career day with its job-search and personal-branding workshops and its
industry insight sessions, the Top Talent Pass recruitment fair for non-local talent, the
landing programme's Cantonese classes and cultural workshop, the themed drives announced
for microelectronics, life and health tech and fintech, and what companies and faculties
run themselves. Organisers create, publish and (once) cancel them; students register, some
give their seat up and the waitlist moves up; all through the services, at the moments
they happen, so past editions have their history and this year's are open now.
"""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from foundry.accounts.models import User
from foundry.demo import reference as ref
from foundry.demo import story_fairs, story_feedback
from foundry.demo.agenda import Agenda, at_hong_kong, days
from foundry.demo.story_applications import Applicant
from foundry.errors import DomainError
from foundry.programmes.content import ProgrammeData, SessionData
from foundry.programmes.models import ProgrammeFormat as F
from foundry.programmes.models import ProgrammeKind as K
from foundry.programmes.models import Registration
from foundry.programmes.registration import cancel_registration, register
from foundry.programmes.services import (
    add_session,
    cancel_programme,
    create_programme,
    publish_programme,
)
from foundry.taxonomy import Theme

PARK_VENUE = "Hong Kong Science Park, Pak Shek Kok, Shatin (Charles K. Kao Auditorium)"
PARK_ROOM = "Hong Kong Science Park, Building 19W, Training Room 2"
JOIN_LINK = "https://meet.hkstp.example.org/talent-foundry/{slug}"
CANCELLED_MESSAGE = (
    "The site at Kai Tak is closed for safety works that week. We are sorry: we will "
    "announce a new date on the portal and you will be the first to know."
)


@dataclass(frozen=True)
class Sitting:
    """A session: its day, its Hong Kong start time, how long, how many seats."""

    day: date
    hour: int
    hours: float
    capacity: int
    label: str | None = None
    waitlist: bool = True


@dataclass(frozen=True)
class Plan:
    """A programme as its organiser announces it, and who turns up for it."""

    slug: str
    # A company's slug, a faculty as (university, code), or None: the park.
    organiser: str | tuple[str, str] | None
    kind: K
    form: F
    title_en: str
    title_zh: str
    description_en: str
    description_zh: str
    sittings: tuple[Sitting, ...]
    announced: date
    theme: Theme | None = None
    venue: str | None = PARK_VENUE
    # The share of eligible students who register, and who among them (non-local only).
    turnout: float = 0.3
    non_local_only: bool = False
    cancelled_on: date | None = None
    levels: list = field(default_factory=list)


@dataclass
class Organisers:
    """Who acts for each organiser: the park admin, a member of each company, a faculty's
    placement officer."""

    park_admin: User
    company_members: dict[str, User]
    faculty_staff: dict[tuple[str, str], User]


def _in_year(year: int, month: int, day: int) -> date:
    """A day of academic year `year` (September to August)."""
    return date(year if month >= 9 else year + 1, month, day)


def _career_day(year: int) -> list[Plan]:
    """The AI in Action career day of academic year `year` (a Friday in late February), its
    two workshops and three insight sessions the same day."""
    day = _in_year(year, 2, 21)
    day -= timedelta(days=(day.weekday() - 4) % 7)  # the Friday on or before
    announced = day - timedelta(days=90)
    edition = day.year
    plans = [
        Plan(
            f"ai-in-action-{edition}",
            None,
            K.CAREER_DAY,
            F.HYBRID,
            f"AI in Action Career Day {edition}",
            f"「AI in Action」職業日 {edition}",
            "The park's AI recruitment day: 150+ AI companies and 1,000+ roles in software "
            "development, data analytics and large-model algorithms. Meet hiring teams at the "
            "venue, or browse the roles and apply online through the Talent Pool.",
            "科學園以人工智能為主題的招聘日：超過150間人工智能公司、1,000多個職位，涵蓋軟件開發、"
            "數據分析及大模型算法。可親臨會場與招聘團隊會面，或透過人才庫網上瀏覽職位並申請。",
            (
                Sitting(day, 10, 3, 1500, "Morning"),
                Sitting(day, 14, 4, 1500, "Afternoon"),
            ),
            announced,
            Theme.AI_DATA,
            turnout=0.55,
        ),
        Plan(
            f"job-search-workshop-{edition}",
            None,
            K.WORKSHOP,
            F.IN_PERSON,
            "Workshop: job search techniques",
            "工作坊：求職技巧",
            "Read a job advert the way a recruiter writes it, shape your CV to it, and prepare "
            "for a first interview. Bring your CV: you will leave with a better one.",
            "學習以招聘者的角度閱讀招聘廣告，按職位要求修改履歷，並為首次面試作好準備。"
            "請帶備履歷，離開時會有一份更好的。",
            (Sitting(day, 11, 1.5, 60),),
            announced,
            venue=PARK_ROOM,
            turnout=0.25,
        ),
        Plan(
            f"personal-brand-workshop-{edition}",
            None,
            K.WORKSHOP,
            F.IN_PERSON,
            "Workshop: building your personal brand",
            "工作坊：建立個人品牌",
            "Your profile, your portfolio and your story in two minutes: how hiring teams at "
            "AI startups find and remember candidates.",
            "個人檔案、作品集及兩分鐘自我介紹：人工智能初創企業的招聘團隊如何發掘並記住求職者。",
            (Sitting(day, 15, 1.5, 30),),
            announced,
            venue=PARK_ROOM,
            turnout=0.3,
        ),
    ]
    for slug, speaker, topic_en, topic_zh in (
        ("nvidia", "NVIDIA", "accelerated computing careers", "加速運算的職涯發展"),
        ("deloitte", "Deloitte AI Institute", "AI in the enterprise", "企業中的人工智能"),
        ("madhead", "Madhead", "AI in game development", "人工智能與遊戲開發"),
    ):
        plans.append(
            Plan(
                f"insight-{slug}-{edition}",
                None,
                K.INSIGHT_SESSION,
                F.HYBRID,
                f"Industry insight: {speaker} on {topic_en}",
                f"業界分享：{speaker}談{topic_zh}",
                f"Experts from {speaker} on where the field is going, the skills its teams look "
                "for, and questions from the floor.",
                f"{speaker}專家分享行業趨勢、團隊所需技能，並設答問環節。",
                (Sitting(day, 13, 1, 120),),
                announced,
                Theme.AI_DATA,
                turnout=0.12,
            )
        )
    return plans


def _year_plans(year: int) -> list[Plan]:
    """Everything of academic year `year` that repeats yearly."""
    fair_day = _in_year(year, 11, 18)
    cultural_day = _in_year(year, 10, 17)
    return [
        *_career_day(year),
        Plan(
            f"top-talent-pass-fair-{fair_day.year}",
            None,
            K.CAREER_DAY,
            F.IN_PERSON,
            f"Top Talent Pass Recruitment Fair {fair_day.year}",
            f"高端人才通行證招聘會 {fair_day.year}",
            "With the Hong Kong Top Talent Services Association: 40+ park companies in "
            "microelectronics, AI and data, and biomedical science meet non-local talent. "
            "Bring your CV: over half of last year's participants interviewed on the day. "
            "With the Top Talent Show and a panel of industry leaders.",
            "與香港高端人才服務協會合辦：40多間微電子、人工智能及數據、生物醫藥領域的園區公司與"
            "非本地人才會面。請帶備履歷：去年超過一半參加者即日獲面試。另設「高端人才秀」及業界領袖座談。",
            (Sitting(fair_day, 13, 5, 300),),
            fair_day - timedelta(days=40),
            turnout=0.8,
            non_local_only=True,
        ),
        Plan(
            f"cultural-workshop-{cultural_day.year}",
            None,
            K.LANDING_ACTIVITY,
            F.IN_PERSON,
            "Landing programme: Sham Shui Po walk and dim sum",
            "人才落戶計劃：深水埗漫步及飲茶",
            "A cultural workshop for talent new to Hong Kong: the markets of Sham Shui Po with "
            "a local guide, then dim sum together.",
            "為初來香港的人才而設的文化體驗工作坊：由本地導賞員帶領遊覽深水埗街市，之後一同飲茶。",
            (Sitting(cultural_day, 10, 3, 30),),
            cultural_day - timedelta(days=30),
            venue="Meet at Sham Shui Po MTR station, exit A2",
            turnout=0.5,
            non_local_only=True,
        ),
    ]


def _this_year_plans(year: int) -> list[Plan]:
    """What only the current academic year has: the themed drives, the Cantonese course,
    and programmes run by companies and faculties."""
    cantonese_start = _in_year(year, 1, 12)  # Tuesday evenings from January
    cantonese_start += timedelta(days=(1 - cantonese_start.weekday()) % 7)
    drives = []
    for theme, month, slug, title_en, title_zh, announced in (
        (Theme.MICROELECTRONICS, 3, "microelectronics", "Microelectronics", "微電子", (11, 25)),
        (Theme.LIFE_HEALTH_TECH, 4, "life-health", "Life & Health Tech", "生命健康科技", (11, 30)),
        (Theme.FINTECH, 5, "fintech", "Fintech", "金融科技", (12, 20)),
    ):
        day = _in_year(year, month, 19)
        drives.append(
            Plan(
                f"{slug}-drive",
                None,
                K.THEMED_DRIVE,
                F.HYBRID,
                f"{title_en} Talent Drive",
                f"{title_zh}人才招聘計劃",
                f"A themed recruitment drive: park companies in {title_en.lower()} open their "
                "roles, run talks and meet students over one day at the park and online.",
                f"主題招聘計劃：{title_zh}領域的園區公司開放職位、舉辦講座，"
                "並於科學園及網上與學生會面一整天。",
                (Sitting(day, 10, 7, 400),),
                _in_year(year, *announced),
                theme,
                turnout=0.2,
            )
        )
    return [
        *drives,
        Plan(
            "cantonese-for-newcomers",
            None,
            K.LANDING_ACTIVITY,
            F.IN_PERSON,
            "Landing programme: Cantonese for newcomers",
            "人才落戶計劃：初學廣東話",
            "Eight evenings of everyday Cantonese for non-local talent: ordering, travelling, "
            "small talk at work. One class a week; register for the ones you can come to.",
            "為非本地人才而設的八節日常廣東話課程：點餐、出行、職場閒談。每週一課，可按時間報名。",
            tuple(
                Sitting(cantonese_start + timedelta(weeks=w), 19, 1.5, 25, f"Class {w + 1}")
                for w in range(8)
            ),
            _in_year(year, 11, 20),
            venue=PARK_ROOM,
            turnout=0.6,
            non_local_only=True,
        ),
        Plan(
            "sensetime-open-lab",
            "sensetime",
            K.INSIGHT_SESSION,
            F.IN_PERSON,
            "SenseTime open lab: training foundation models",
            "商湯開放實驗室：訓練基礎模型",
            "Our research engineers show how a foundation model is trained and evaluated, and "
            "what our interns worked on last summer. Small group: questions welcome.",
            "我們的研究工程師示範如何訓練及評估基礎模型，並分享去年暑期實習生的工作。小組形式，歡迎提問。",
            (Sitting(_in_year(year, 1, 22), 16, 2, 12, waitlist=True),),
            _in_year(year, 11, 24),
            Theme.AI_DATA,
            venue="SenseTime, Building 12W, Hong Kong Science Park",
            turnout=0.15,
        ),
        Plan(
            "fano-labs-speech-workshop",
            "fano-labs",
            K.WORKSHOP,
            F.VIRTUAL,
            "Cantonese speech recognition, hands on",
            "粵語語音識別實作",
            "A two-hour online workshop: build a small Cantonese speech recogniser with open "
            "data and learn how code-mixed speech is handled in production.",
            "兩小時網上工作坊：以公開數據建立簡單的粵語語音識別器，並了解實際產品如何處理中英夾雜的語音。",
            (Sitting(_in_year(year, 1, 14), 19, 2, 80),),
            _in_year(year, 11, 28),
            Theme.AI_DATA,
            venue=None,
            turnout=0.1,
        ),
        Plan(
            "hkust-cv-clinic",
            ("HKUST", "SENG"),
            K.MENTORING,
            F.IN_PERSON,
            "CV clinic with the placement office",
            "履歷診所（就業輔導處）",
            "Twenty-minute one-to-one reviews of your CV before the spring internship season.",
            "春季實習招聘前，二十分鐘一對一履歷檢視。",
            tuple(Sitting(_in_year(year, 1, 19 + d), 14, 3, 9, f"Day {d + 1}") for d in range(3)),
            _in_year(year, 12, 1),
            venue="HKUST Academic Building, Room 2407",
            turnout=0.5,
        ),
        Plan(
            "kai-tak-site-visit",
            "kai-tak-mobility",
            K.INSIGHT_SESSION,
            F.IN_PERSON,
            "Smart city site visit: Kai Tak",
            "智慧城市實地考察：啟德",
            "See our traffic sensors and the data platform behind them on a working site.",
            "實地參觀我們的交通感應器及其背後的數據平台。",
            (Sitting(_in_year(year, 12, 18), 10, 3, 20),),
            _in_year(year, 11, 10),
            Theme.SMART_CITY,
            venue="Kai Tak Sports Park, Gate 3",
            turnout=0.15,
            cancelled_on=_in_year(year, 12, 2),
        ),
    ]


def programmes(
    agenda: Agenda,
    organisers: Organisers,
    places: ref.Places,
    applicants: list[Applicant],
    years: range,
    hiring: story_fairs.Hiring | None = None,
) -> None:
    """Put every programme of the demo's years on the agenda (`hiring`: the market, for the
    students who apply to a company they met at a fair)."""
    rng = random.Random("programmes")
    plans = [plan for year in years for plan in _year_plans(year)]
    plans += _this_year_plans(years[-1])
    for plan in plans:
        agenda.at(
            at_hong_kong(plan.announced, 10),
            lambda plan=plan: _announce(agenda, organisers, places, applicants, plan, rng, hiring),
        )


def _organiser(organisers: Organisers, places: ref.Places, plan: Plan):
    if plan.organiser is None:
        return organisers.park_admin, None
    if isinstance(plan.organiser, tuple):
        return organisers.faculty_staff[plan.organiser], places.faculties[plan.organiser]
    return organisers.company_members[plan.organiser], places.companies[plan.organiser]


def _announce(agenda, organisers, places, applicants, plan: Plan, rng, hiring=None) -> None:
    """The organiser writes the programme, adds its sessions and publishes it; students
    then register over the weeks until registration closes."""
    actor, organiser = _organiser(organisers, places, plan)
    first = min(s.day for s in plan.sittings)
    opens = at_hong_kong(plan.announced, 10)
    closes = at_hong_kong(first, 0) - days(1)
    data = ProgrammeData(
        kind=plan.kind,
        title_en=plan.title_en,
        title_zh=plan.title_zh,
        description_en=plan.description_en,
        description_zh=plan.description_zh,
        format=plan.form,
        theme=plan.theme,
        venue=plan.venue if plan.form is not F.VIRTUAL else None,
        join_link=JOIN_LINK.format(slug=plan.slug) if plan.form is not F.IN_PERSON else None,
        registration_opens_at=opens,
        registration_closes_at=closes,
        cancellation_cutoff_hours=24,
    )
    programme = create_programme(actor, organiser, data)
    for sitting in plan.sittings:
        starts = at_hong_kong(sitting.day, sitting.hour)
        add_session(
            actor,
            programme,
            SessionData(
                starts_at=starts,
                ends_at=starts + timedelta(hours=sitting.hours),
                capacity=sitting.capacity,
                waitlist_enabled=sitting.waitlist,
                label=sitting.label,
            ),
        )
    publish_programme(actor, programme)
    if plan.kind is K.CAREER_DAY and plan.cancelled_on is None:
        story_fairs.fair(agenda, organisers, programme, opens, rng, hiring)
    if plan.cancelled_on is None:
        story_fairs.attendance(agenda, actor, programme, rng)
        story_feedback.feedback(agenda, programme)
    window = (closes - opens).total_seconds() / 86400
    for applicant in applicants:
        if plan.non_local_only and not applicant.student.non_local:
            continue
        if rng.random() >= plan.turnout:
            continue
        sessions = programme.sessions
        # One sitting of a day's event; a course's classes, as many as the student can come to.
        chosen = (
            rng.sample(sessions, rng.randint(1, len(sessions)))
            if len(sessions) > 2
            else [rng.choice(sessions)]
        )
        for session in chosen:
            moment = opens + days(rng.uniform(0.05, 0.9) * window)
            agenda.at(moment, lambda a=applicant, s=session: _register(agenda, a, s, rng))
    if plan.cancelled_on is not None:
        agenda.at(
            at_hong_kong(plan.cancelled_on, 17),
            lambda: cancel_programme(actor, programme, CANCELLED_MESSAGE),
        )


def _register(agenda: Agenda, applicant: Applicant, session, rng) -> None:
    """A student registers; one in eight later gives the place up (a seat goes to the
    first on the waitlist)."""
    try:
        registration = register(applicant.user, applicant.profile, session)
    except DomainError:  # not eligible, closed, cancelled, full: the student moves on
        return
    if rng.random() < 0.125:
        agenda.after(rng.uniform(1, 10), lambda: _give_up(applicant, registration))


def _give_up(applicant: Applicant, registration: Registration) -> None:
    with contextlib.suppress(DomainError):  # past the cut-off, or the programme cancelled
        cancel_registration(applicant.user, registration)
