"""Reference data for the demo's past academic years: when roles are advertised, how each
faculty fares, the employers and schools graduates go to outside the park, and what
supervisors and staff write.

Pure data. The employers are real Hong Kong organisations named only as a graduate's
destination; nothing is claimed about them.
"""

from __future__ import annotations

from dataclasses import dataclass

from foundry.companies.models import CompanySize
from foundry.placements.models import Outcome
from foundry.postings.models import PostingKind

K = PostingKind

# How many roles a company advertised in a past academic year, by its size. The park grew:
# in the later year each company has a further chance of one more role.
PAST_POSTINGS_PER_COMPANY = {
    CompanySize.MICRO: 1,
    CompanySize.SMALL: 2,
    CompanySize.MEDIUM: 3,
    CompanySize.LARGE: 5,
    CompanySize.ENTERPRISE: 7,
}
GROWTH_EXTRA_POSTING = 0.2

# When each kind of role is advertised, by month from September to August: summer
# internships in the autumn (with a second round in February), graduate roles in the
# autumn and again in February and March, hardly anything over the summer.
PUBLICATION_MONTHS: dict[PostingKind, tuple[int, ...]] = {
    #                         Sep Oct Nov Dec Jan Feb Mar Apr May Jun Jul Aug
    K.SUMMER_INTERNSHIP:     ( 8, 30, 24,  6, 10, 14,  6,  2,  0,  0,  0,  0),
    K.GRADUATE_ROLE:         (10, 24, 16,  4,  6, 18, 14,  6,  3,  3,  3,  2),
    K.YEAR_LONG_PLACEMENT:   ( 4, 16, 18,  8, 14, 20, 12,  6,  2,  0,  0,  0),
    K.PART_TIME_INTERNSHIP:  (12, 10,  6,  3, 10, 14, 10,  6,  6,  6,  6,  6),
    K.RESEARCH_ASSISTANT:    ( 4,  6,  8,  4, 10, 16, 14, 10,  8,  6,  4,  3),
}  # fmt: skip

# Relative chance of an application reaching a shortlist (and of an interview turning into
# an offer), by (university, faculty): the differences a dean compares.
FACULTY_STRENGTH: dict[tuple[str, str], float] = {
    ("HKUST", "SENG"): 1.25,
    ("HKU", "CDS"): 1.2,
    ("CUHK", "ENGG"): 1.1,
    ("HKU", "ENG"): 1.05,
    ("PolyU", "FCMS"): 1.0,
    ("CityU", "CCOMP"): 1.0,
    ("PolyU", "FENG"): 0.9,
    ("CityU", "CENG"): 0.85,
    ("HKBU", "SCI-COMP"): 0.8,
}


@dataclass(frozen=True)
class Employer:
    """An employer outside the park: its name, a graduate job and an internship there."""

    name: str
    graduate_title: str
    intern_title: str


OUTSIDE_EMPLOYERS: tuple[Employer, ...] = (
    Employer("HSBC", "Technology Graduate, Software Engineering", "Technology Summer Intern"),
    Employer("MTR Corporation", "Graduate Engineer (Railway Systems)", "Engineering Summer Intern"),
    Employer("Hong Kong Observatory", "Scientific Officer (Data)", "Summer Intern, Weather Data"),
    Employer("CLP Power Hong Kong", "Graduate Engineer, Smart Grid", "Summer Intern, Smart Grid"),
    Employer(
        "Airport Authority Hong Kong",
        "Graduate Trainee, Airport Technology",
        "Summer Intern, Airport Operations Technology",
    ),
    Employer("The Hong Kong Jockey Club", "Graduate Data Analyst", "Technology Summer Intern"),
    Employer("Cathay Pacific", "Digital and IT Graduate Trainee", "IT Summer Intern"),
    Employer("HKT", "Network Engineering Graduate", "Summer Intern, 5G Networks"),
    Employer("ASM Pacific Technology", "Graduate R&D Engineer", "R&D Summer Intern"),
    Employer("Arup", "Graduate Engineer, Digital", "Summer Intern, Digital Engineering"),
    Employer(
        "Electrical and Mechanical Services Department",
        "Assistant Electronics Engineer",
        "Summer Intern, Smart Facilities",
    ),
    Employer("Hospital Authority", "IT Graduate Trainee", "Health Informatics Summer Intern"),
    Employer("Deloitte", "Technology Consulting Analyst", "Technology Consulting Summer Intern"),
    Employer("Towngas", "Graduate Engineer", "Engineering Summer Intern"),
)

# Where graduates go on to study: (institution, programme).
FURTHER_STUDY: tuple[tuple[str, str], ...] = (
    ("HKUST", "MPhil in Computer Science and Engineering"),
    ("HKUST", "MPhil in Electronic and Computer Engineering"),
    ("HKU", "MSc in Computer Science"),
    ("CUHK", "MPhil in Computer Science and Engineering"),
    ("PolyU", "MSc in Data Science and Analytics"),
    ("CityU", "PhD in Biomedical Engineering"),
    ("ETH Zurich", "MSc in Robotics, Systems and Control"),
    ("University of Cambridge", "MPhil in Advanced Computer Science"),
    ("Carnegie Mellon University", "MS in Machine Learning"),
    ("Tsinghua University", "Master of Engineering in Electronic Engineering"),
)

PART_TIME_JOBS: tuple[tuple[str, str], ...] = (
    ("The Hong Kong Jockey Club", "Part-time Data Analyst"),
    ("HKUST", "Part-time Research Assistant"),
    ("Hong Kong Observatory", "Part-time Project Assistant"),
    ("A secondary school in Sha Tin", "Part-time STEM Tutor"),
)
POSTGRAD_INTERNSHIPS: tuple[tuple[str, str], ...] = (
    ("Hospital Authority", "Graduate Intern, Health Informatics"),
    ("Hong Kong Observatory", "Graduate Research Intern"),
    ("Cyberport", "Graduate Intern, Digital Tech"),
)
SELF_EMPLOYED: tuple[tuple[str, str], ...] = (
    ("Own startup (HKSTP Incubation Programme)", "Co-founder"),
    ("Own startup (Cyberport Incubation Programme)", "Co-founder and CTO"),
    ("Freelance", "Freelance mobile app developer"),
)
NOT_SEEKING_NOTES = (
    "Taking a gap year to travel.",
    "Family commitments; not looking for work this year.",
    "Preparing to relocate overseas with family.",
)
SEEKING_NOTES = (
    "Still looking; came to the AI in Action career day.",
    "Interviewing with park companies; followed up by the placement office.",
    "Looking for graduate roles; CV reviewed at the placement office.",
)

# A graduate's first destination as staff learn it, with how often each is the source.
FOUND_VIA = {"graduate survey": 60, "LinkedIn": 20, "employer": 14, "placement office": 6}

# The NACE mix of the graduates whose destination is known but not from the portal.
RECORDED_OUTCOME_WEIGHTS = {
    Outcome.EMPLOYED_FULL_TIME: 48,
    Outcome.EMPLOYED_PART_TIME: 5,
    Outcome.SELF_EMPLOYED: 3,
    Outcome.POSTGRAD_INTERNSHIP: 4,
    Outcome.CONTINUING_EDUCATION: 24,
    Outcome.SEEKING: 11,
    Outcome.NOT_SEEKING: 5,
}

RECORDED_PLACEMENT_NOTES = (
    "Reported by the student in the end-of-year placement survey.",
    "Confirmed by the employer's HR team by e-mail.",
    "Found on the student's LinkedIn profile; the student confirmed it.",
    "Arranged through the department's industry partnership scheme.",
)

EVALUATION_STRENGTHS = (
    "Picked up our codebase quickly and shipped a feature to production in the third week.",
    "Careful and methodical in the lab; her test reports were the clearest we have had.",
    "Asked good questions and wrote everything down; the team relied on his notes.",
    "Strong in Python and data analysis; built the dashboard our sales team now uses.",
    "Calm under pressure during the pilot with our hospital partner.",
    "Took ownership of the sensor calibration work and saw it through.",
)
EVALUATION_IMPROVEMENTS = (
    "Could speak up earlier when blocked rather than waiting for the weekly meeting.",
    "Presentations to clients would benefit from more practice.",
    "Should estimate tasks more carefully; a few deadlines slipped.",
    "More attention to documentation and code review comments.",
    "",
)
