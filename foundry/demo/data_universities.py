"""The six partner universities, their engineering and computing faculties and programmes.

Pure reference data for the demo seed. Names follow each university's own English and
Traditional Chinese usage; programme lists are a representative selection, not complete.
"""

from __future__ import annotations

from dataclasses import dataclass

from foundry.universities.models import StudyLevel

UG, PG, PHD = StudyLevel.UG, StudyLevel.PG, StudyLevel.PHD


@dataclass(frozen=True)
class ProgrammeSeed:
    code: str
    degree: str  # short degree, e.g. "BEng"
    subject: str  # e.g. "Computer Engineering"
    name_zh: str
    level: StudyLevel
    field: str  # key into data_people.FIELD_SKILLS / FIELD_THEMES / FIELD_INTERESTS

    @property
    def name_en(self) -> str:
        return f"{self.degree} in {self.subject}"


@dataclass(frozen=True)
class FacultySeed:
    code: str
    name_en: str
    name_zh: str
    programmes: tuple[ProgrammeSeed, ...]


@dataclass(frozen=True)
class StudentNumberRule:
    """How a university's student numbers look: prefix, zero-padded serial, suffix."""

    prefix: str
    digits: int
    suffix: str = ""

    def format(self, serial: int) -> str:
        return f"{self.prefix}{serial:0{self.digits}d}{self.suffix}"


@dataclass(frozen=True)
class UniversitySeed:
    code: str
    name_en: str
    name_zh: str
    staff_domain: str
    student_domain: str
    student_numbers: StudentNumberRule
    faculties: tuple[FacultySeed, ...]

    @property
    def domains(self) -> tuple[str, str]:
        return (self.staff_domain, self.student_domain)


P = ProgrammeSeed

# fmt: off
CUHK_ENGINEERING = FacultySeed("ENGG", "Faculty of Engineering", "工程學院", (
    P("BENG-CENG", "BEng", "Computer Engineering", "計算機工程學工學士", UG, "computer_eng"),
    P("BSC-CSCI", "BSc", "Computer Science", "計算機科學理學士", UG, "software"),
    P("BENG-AIST", "BEng", "Artificial Intelligence: Systems and Technologies",
      "人工智能：系統與技術工學士", UG, "ai"),
    P("BENG-EE", "BEng", "Electronic Engineering", "電子工程學工學士", UG, "electronic"),
    P("BENG-FTEC", "BEng", "Financial Technology", "金融科技工學士", UG, "fintech"),
    P("MSC-CSCI", "MSc", "Computer Science", "計算機科學理學碩士", PG, "software"),
    P("PHD-CSE", "PhD", "Computer Science and Engineering", "計算機科學與工程學哲學博士", PHD,
      "ai"),
))

CITYU_ENGINEERING = FacultySeed("CENG", "College of Engineering", "工學院", (
    P("BENG-EE", "BEng", "Electrical Engineering", "電機工程學工學士", UG, "electronic"),
    P("BENG-ME", "BEng", "Mechanical Engineering", "機械工程學工學士", UG, "mechanical"),
    P("BENG-BME", "BEng", "Biomedical Engineering", "生物醫學工程學工學士", UG, "biomedical"),
    P("MSC-EIE", "MSc", "Electronic Information Engineering", "電子信息工程理學碩士", PG,
      "electronic"),
    P("PHD-EE", "PhD", "Electrical Engineering", "電機工程學哲學博士", PHD, "electronic"),
))

CITYU_COMPUTING = FacultySeed("CCOMP", "College of Computing", "計算學院", (
    P("BSC-CS", "BSc", "Computer Science", "計算機科學理學士", UG, "software"),
    P("BSC-DS", "BSc", "Data Science", "數據科學理學士", UG, "data"),
    P("MSC-AI", "MSc", "Artificial Intelligence", "人工智能理學碩士", PG, "ai"),
    P("MSC-CS", "MSc", "Computer Science", "計算機科學理學碩士", PG, "software"),
    P("PHD-CS", "PhD", "Computer Science", "計算機科學哲學博士", PHD, "ai"),
))

HKBU_SCIENCE = FacultySeed(
    "SCI-COMP", "Faculty of Science (Department of Computer Science)", "理學院（計算機科學系）", (
    P("BSC-CS", "BSc", "Computer Science", "計算機科學理學士", UG, "software"),
    P("BSC-BCDA", "BSc", "Business Computing and Data Analytics", "商業計算與數據分析理學士", UG,
      "data"),
    P("MSC-AIDM", "MSc", "Artificial Intelligence and Digital Media", "人工智能與數碼媒體理學碩士",
      PG, "ai"),
    P("MSC-ITM", "MSc", "IT Management", "資訊科技管理理學碩士", PG, "software"),
    P("PHD-CS", "PhD", "Computer Science", "計算機科學哲學博士", PHD, "ai"),
))

POLYU_ENGINEERING = FacultySeed("FENG", "Faculty of Engineering", "工程學院", (
    P("BENG-EE", "BEng", "Electrical Engineering", "電機工程學工學士", UG, "electronic"),
    P("BENG-EIE", "BEng", "Electronic and Information Engineering", "電子及資訊工程學工學士", UG,
      "computer_eng"),
    P("BENG-ME", "BEng", "Mechanical Engineering", "機械工程學工學士", UG, "mechanical"),
    P("BENG-AVE", "BEng", "Aviation Engineering", "航空工程學工學士", UG, "mechanical"),
    P("MSC-EE", "MSc", "Electrical Engineering", "電機工程學理學碩士", PG, "electronic"),
    P("PHD-EIE", "PhD", "Electronic and Information Engineering", "電子及資訊工程學哲學博士", PHD,
      "computer_eng"),
))

POLYU_COMPUTING = FacultySeed(
    "FCMS", "Faculty of Computer and Mathematical Sciences", "電腦及數學科學學院", (
    P("BSC-COMP", "BSc", "Computing", "電子計算學理學士", UG, "software"),
    P("BSC-DSA", "BSc", "Data Science and Analytics", "數據科學及分析理學士", UG, "data"),
    P("MSC-IT", "MSc", "Information Technology", "資訊科技理學碩士", PG, "software"),
    P("MSC-FINT", "MSc", "FinTech and Financial Analytics", "金融科技及金融分析理學碩士", PG,
      "fintech"),
    P("PHD-COMP", "PhD", "Computing", "電子計算學哲學博士", PHD, "ai"),
))

HKUST_ENGINEERING = FacultySeed("SENG", "School of Engineering", "工學院", (
    P("BENG-COMP", "BEng", "Computer Science", "計算機科學工學士", UG, "software"),
    P("BENG-CPEG", "BEng", "Computer Engineering", "計算機工程學工學士", UG, "computer_eng"),
    P("BENG-ELEC", "BEng", "Electronic Engineering", "電子工程學工學士", UG, "electronic"),
    P("BENG-MECH", "BEng", "Mechanical Engineering", "機械工程學工學士", UG, "mechanical"),
    P("MSC-BDT", "MSc", "Big Data Technology", "大數據科技理學碩士", PG, "data"),
    P("MSC-ICDE", "MSc", "IC Design Engineering", "集成電路設計工程理學碩士", PG, "electronic"),
    P("PHD-ECE", "PhD", "Electronic and Computer Engineering", "電子及計算機工程學哲學博士", PHD,
      "computer_eng"),
))

HKU_ENGINEERING = FacultySeed("ENG", "Faculty of Engineering", "工程學院", (
    P("BENG-EE", "BEng", "Electrical Engineering", "電機工程學工學士", UG, "electronic"),
    P("BENG-ME", "BEng", "Mechanical Engineering", "機械工程學工學士", UG, "mechanical"),
    P("BENG-CIVE", "BEng", "Civil Engineering", "土木工程學工學士", UG, "civil"),
    P("MSC-EEE", "MSc(Eng)", "Electrical and Electronic Engineering", "工學碩士（電機電子工程）",
      PG, "electronic"),
    P("PHD-EEE", "PhD", "Electrical and Electronic Engineering", "電機電子工程學哲學博士", PHD,
      "electronic"),
))

HKU_COMPUTING = FacultySeed(
    "CDS", "School of Computing and Data Science", "計算與數據科學學院", (
    P("BENG-CS", "BEng", "Computer Science", "計算機科學工學士", UG, "software"),
    P("BASC-FINTECH", "BASc", "Financial Technology", "文理學士（金融科技）", UG, "fintech"),
    P("MSC-CS", "MSc", "Computer Science", "計算機科學理學碩士", PG, "software"),
    P("MDASC", "MDS", "Data Science", "數據科學碩士", PG, "data"),
    P("PHD-CS", "PhD", "Computer Science", "計算機科學哲學博士", PHD, "ai"),
))

UNIVERSITIES: tuple[UniversitySeed, ...] = (
    UniversitySeed("CUHK", "The Chinese University of Hong Kong", "香港中文大學",
                   "cuhk.edu.hk", "link.cuhk.edu.hk", StudentNumberRule("1155", 6),
                   (CUHK_ENGINEERING,)),
    UniversitySeed("CityU", "City University of Hong Kong", "香港城市大學",
                   "cityu.edu.hk", "my.cityu.edu.hk", StudentNumberRule("5", 7),
                   (CITYU_ENGINEERING, CITYU_COMPUTING)),
    UniversitySeed("HKBU", "Hong Kong Baptist University", "香港浸會大學",
                   "hkbu.edu.hk", "life.hkbu.edu.hk", StudentNumberRule("2", 7),
                   (HKBU_SCIENCE,)),
    UniversitySeed("PolyU", "The Hong Kong Polytechnic University", "香港理工大學",
                   "polyu.edu.hk", "connect.polyu.hk", StudentNumberRule("2", 7, "d"),
                   (POLYU_ENGINEERING, POLYU_COMPUTING)),
    UniversitySeed("HKUST", "The Hong Kong University of Science and Technology", "香港科技大學",
                   "ust.hk", "connect.ust.hk", StudentNumberRule("20", 6),
                   (HKUST_ENGINEERING,)),
    UniversitySeed("HKU", "The University of Hong Kong", "香港大學",
                   "hku.hk", "connect.hku.hk", StudentNumberRule("3035", 6),
                   (HKU_ENGINEERING, HKU_COMPUTING)),
)
# fmt: on
