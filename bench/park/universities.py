"""The six universities, their faculties and study programmes (with the Chinese names
the model has), their students' e-mail domains, and the skills students and postings
share (bench/park/vocabulary.py)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from bench.park import HISTORY_STARTS, vocabulary
from bench.park.build import Build

# code, English name, Chinese name, e-mail domain, approval of postings required,
# faculties: (code, English name, Chinese name, programmes)
UNIVERSITIES = [
    (
        "CUHK",
        "The Chinese University of Hong Kong",
        "香港中文大學",
        "link.cuhk.edu.hk",
        False,
        [
            ("ENG", "Faculty of Engineering", "工程學院", 7),
            ("SCI", "Faculty of Science", "理學院", 5),
        ],
    ),
    (
        "CITYU",
        "City University of Hong Kong",
        "香港城市大學",
        "my.cityu.edu.hk",
        False,
        [("ENG", "College of Engineering", "工學院", 6)],
    ),
    (
        "HKBU",
        "Hong Kong Baptist University",
        "香港浸會大學",
        "life.hkbu.edu.hk",
        True,
        [("SCI", "Faculty of Science", "理學院", 4)],
    ),
    (
        "POLYU",
        "The Hong Kong Polytechnic University",
        "香港理工大學",
        "connect.polyu.hk",
        False,
        [
            ("FENG", "Faculty of Engineering", "工程學院", 6),
            ("FCMS", "Faculty of Computer and Mathematical Sciences", "電腦及數學科學學院", 5),
        ],
    ),
    (
        "HKUST",
        "The Hong Kong University of Science and Technology",
        "香港科技大學",
        "connect.ust.hk",
        False,
        [("SENG", "School of Engineering", "工學院", 7)],
    ),
    (
        "HKU",
        "The University of Hong Kong",
        "香港大學",
        "connect.hku.hk",
        False,
        [
            ("ENG", "Faculty of Engineering", "工程學院", 6),
            ("CDS", "School of Computing and Data Science", "計算與數據科學學院", 4),
        ],
    ),
]
SUBJECTS = [
    ("Computer Science", "電腦科學"),
    ("Computer Engineering", "電腦工程"),
    ("Electronic Engineering", "電子工程"),
    ("Mechanical Engineering", "機械工程"),
    ("Civil Engineering", "土木工程"),
    ("Data Science", "數據科學"),
    ("Artificial Intelligence", "人工智能"),
    ("Biomedical Engineering", "生物醫學工程"),
    ("Information Engineering", "訊息工程"),
    ("Financial Technology", "金融科技"),
    ("Materials Science", "材料科學"),
    ("Environmental Engineering", "環境工程"),
]
LEVELS = ["ug", "ug", "ug", "pg", "ug", "phd", "ug", "pg"]
DEGREE = {"ug": ("BEng", "工學士"), "pg": ("MSc", "理學碩士"), "phd": ("PhD", "哲學博士")}
THEMES = [
    "ai_data",
    "microelectronics",
    "life_health_tech",
    "fintech",
    "smart_city",
    "robotics",
    "new_materials",
    "sustainability",
]


def fill(build: Build, people: SimpleNamespace) -> None:
    """Universities, faculties, programmes and skills; the first three into `people`."""
    rows = SimpleNamespace(universities=[], domains=[], faculties=[], programmes=[])
    created = HISTORY_STARTS - timedelta(days=30)
    for university_id, (code, name, name_zh, domain, approval, faculties) in enumerate(
        UNIVERSITIES, start=1
    ):
        people.universities[code] = SimpleNamespace(
            id=university_id, code=code, domain=domain, approval=approval, faculties={}
        )
        rows.universities.append(
            (university_id, code, name, name_zh, True, created, created, approval)
        )
        rows.domains.append((university_id, university_id, domain))
        for faculty_code, faculty_name, faculty_zh, programmes in faculties:
            faculty_id = build.ids("faculties", 1)[0]
            faculty = SimpleNamespace(
                id=faculty_id, university_id=university_id, university=code, code=faculty_code
            )
            people.faculties.append(faculty)
            people.universities[code].faculties[faculty_code] = faculty
            rows.faculties.append(
                (
                    faculty_id,
                    university_id,
                    faculty_code,
                    faculty_name,
                    faculty_zh,
                    created,
                    created,
                )
            )
            for index in range(programmes):
                programme_id = build.ids("study_programmes", 1)[0]
                level = LEVELS[(programme_id + index) % len(LEVELS)]
                subject, subject_zh = SUBJECTS[(programme_id * 5 + index) % len(SUBJECTS)]
                degree, degree_zh = DEGREE[level]
                rows.programmes.append(
                    (
                        programme_id,
                        faculty_id,
                        f"P{programme_id:03d}",
                        f"{degree} {subject}",
                        f"{subject_zh}{degree_zh}",
                        level,
                        created,
                        created,
                    )
                )
                # Undergraduate programmes are bigger; some faculties much bigger.
                weight = (8 if level == "ug" else 3 if level == "pg" else 1) * (
                    1 + (faculty_id * 7) % 4
                )
                people.programmes.append(
                    SimpleNamespace(
                        id=programme_id,
                        faculty=faculty,
                        level=level,
                        subject=subject,
                        weight=weight,
                    )
                )
    build.copy(
        "universities",
        (
            "id",
            "code",
            "name_en",
            "name_zh",
            "enabled",
            "created_at",
            "updated_at",
            "posting_approval_required",
        ),
        rows.universities,
    )
    build.copy("university_domains", ("id", "university_id", "domain"), rows.domains)
    build.copy(
        "faculties",
        ("id", "university_id", "code", "name_en", "name_zh", "created_at", "updated_at"),
        rows.faculties,
    )
    build.copy(
        "study_programmes",
        ("id", "faculty_id", "code", "name_en", "name_zh", "level", "created_at", "updated_at"),
        rows.programmes,
    )
    build.copy("skills", ("id", "name"), enumerate(vocabulary.SKILLS, start=1))
    # Their ids were given here, not by build.ids: taken now, so that set_sequences() sets
    # these tables' sequences after them too.
    build.ids("skills", len(vocabulary.SKILLS))
    build.ids("university_domains", len(UNIVERSITIES))
    build.ids("universities", len(UNIVERSITIES))
