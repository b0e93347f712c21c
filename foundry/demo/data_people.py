"""Names, languages, skills, themes and interests the demo draws its people from.

Pure reference data. Names mix Cantonese romanisations (the majority), Mainland pinyin and
a share of South Asian, Southeast Asian, East Asian and European names, as on campus.
"""

from __future__ import annotations

from dataclasses import dataclass

from foundry.accounts.models import Role
from foundry.students.models import Proficiency
from foundry.taxonomy import Theme


@dataclass(frozen=True)
class NameOrigin:
    """Where a name comes from, how likely a student of that origin is local, and their
    first language (a code from foundry.taxonomy.LANGUAGE_LABELS)."""

    key: str
    weight: float
    local_share: float
    native_language: str
    family_names: tuple[str, ...]
    given_names: tuple[str, ...]
    family_name_first: bool = False


HK_ENGLISH_GIVEN_NAMES: tuple[str, ...] = (
    "Jason", "Karen", "Kelvin", "Winnie", "Ivan", "Queenie", "Marco", "Cherry", "Kenneth",
    "Vivian", "Brian", "Fiona", "Alvin", "Joyce", "Derek", "Mandy", "Eric", "Hazel", "Terence",
    "Crystal", "Ryan", "Chloe", "Matthew", "Natalie", "Samuel", "Janice", "Dickson", "Yoyo",
    "Hugo", "Tiffany", "Raymond", "Bonnie", "Calvin", "Michelle", "Anson", "Jasmine",
)  # fmt: skip

ORIGINS: tuple[NameOrigin, ...] = (
    NameOrigin(
        "hong_kong", 0.74, 1.0, "yue",
        ("Chan", "Wong", "Lee", "Cheung", "Lau", "Ho", "Ng", "Leung", "Lam", "Tsang", "Yip",
         "Chow", "Tang", "Fung", "Kwok", "Mak", "Yeung", "Lo", "Cheng", "Siu", "Tse", "Choi",
         "Poon", "Kwan", "Chu", "Law", "Hui", "Mok", "Tam", "Au", "Sze", "Chung"),
        ("Ka Ming", "Wing Yan", "Hoi Ying", "Tsz Hin", "Chun Kit", "Pui Shan", "Ka Yan",
         "Wai Lun", "Sze Wing", "Man Ho", "Hiu Tung", "Chi Fung", "Lok Yi", "Yat Long",
         "Ching Yee", "Kin Wai", "Tsz Ching", "Ho Yin", "Cheuk Lam", "Pak Hei"),
        family_name_first=True,
    ),
    NameOrigin(
        "mainland", 0.14, 0.15, "zh",
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu",
         "Sun", "Zhu", "Ma", "Hu", "Guo", "Lin", "He", "Gao", "Luo", "Song", "Xie"),
        ("Yuxuan", "Zihan", "Haoran", "Yiming", "Xinyi", "Jiahui", "Ruoxi", "Zhiwei", "Mingze",
         "Siyu", "Tianyu", "Wenjing", "Jun", "Lei", "Yue", "Shuang", "Kaiwen", "Yutong"),
    ),
    NameOrigin(
        "south_asia", 0.04, 0.5, "hi",
        ("Sharma", "Patel", "Nair", "Gupta", "Iyer", "Singh", "Reddy", "Mehta", "Khan"),
        ("Arjun", "Priya", "Rahul", "Ananya", "Vikram", "Aisha", "Rohan", "Kavya", "Sanjay"),
    ),
    NameOrigin(
        "indonesia", 0.01, 0.05, "id",
        ("Wijaya", "Santoso", "Halim", "Kusuma", "Pratama"),
        ("Putri", "Budi", "Kevin", "Dewi", "Rizky", "Ayu"),
    ),
    NameOrigin(
        "malaysia", 0.01, 0.05, "ms",
        ("Rahman", "Ismail", "Abdullah", "Tan", "Lim", "Ong"),
        ("Aisyah", "Hafiz", "Nurul", "Wei Jie", "Mei Ling", "Amir"),
    ),
    NameOrigin(
        "vietnam", 0.01, 0.05, "vi",
        ("Nguyen", "Tran", "Le", "Pham", "Vo"),
        ("Minh Anh", "Duc", "Thu Trang", "Quang", "Linh", "Bao"),
    ),
    NameOrigin(
        "korea", 0.01, 0.05, "ko",
        ("Kim", "Park", "Choi", "Jung", "Kang"),
        ("Minjun", "Seoyeon", "Jiho", "Hayoon", "Dohyun"),
    ),
    NameOrigin(
        "japan", 0.01, 0.05, "ja",
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe"),
        ("Haruto", "Yui", "Sota", "Hina", "Ren", "Aoi"),
    ),
    NameOrigin(
        "france", 0.01, 0.05, "fr",
        ("Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Lefèvre"),
        ("Louis", "Chloé", "Hugo", "Camille", "Léa", "Antoine"),
    ),
    NameOrigin(
        "germany", 0.01, 0.05, "de",
        ("Müller", "Schmidt", "Fischer", "Weber", "Wagner", "Becker"),
        ("Lukas", "Anna", "Jonas", "Lena", "Felix", "Sophie"),
    ),
    NameOrigin(
        "spain", 0.005, 0.05, "es",
        ("García", "Martínez", "López", "Sánchez", "Romero"),
        ("Pablo", "Lucía", "Javier", "Elena", "Diego"),
    ),
    NameOrigin(
        "united_kingdom", 0.005, 0.3, "en",
        ("Smith", "Taylor", "Brown", "Wilson", "Evans", "Clarke"),
        ("Oliver", "Amelia", "Harry", "Isla", "George", "Emily"),
    ),
)  # fmt: skip

# Skill tags by field of study; every pool has at least eight entries.
FIELD_SKILLS: dict[str, tuple[str, ...]] = {
    "software": ("python", "java", "c++", "typescript", "react", "node.js", "sql", "postgresql",
                 "docker", "kubernetes", "linux", "go", "rust", "aws", "flask", "django"),
    "ai": ("python", "pytorch", "tensorflow", "scikit-learn", "computer vision", "nlp",
           "large language models", "opencv", "cuda", "hugging face transformers", "numpy",
           "reinforcement learning", "pandas"),
    "data": ("python", "r", "sql", "pandas", "apache spark", "tableau", "power bi",
             "statistics", "machine learning", "airflow", "dbt", "scikit-learn"),
    "computer_eng": ("c", "c++", "verilog", "fpga", "embedded c", "arm cortex-m", "rtos",
                     "linux", "python", "pcb design", "risc-v", "computer architecture"),
    "electronic": ("verilog", "systemverilog", "vhdl", "fpga", "pcb design", "altium designer",
                   "cadence virtuoso", "spice", "matlab", "signal processing", "rf design",
                   "analog ic design", "embedded c"),
    "mechanical": ("solidworks", "autocad", "ansys", "matlab", "simulink", "ros",
                   "finite element analysis", "control systems", "3d printing", "labview",
                   "python", "cnc machining"),
    "biomedical": ("matlab", "python", "medical imaging", "signal processing", "biomechanics",
                   "labview", "iso 13485", "solidworks", "microfluidics"),
    "civil": ("autocad", "revit", "bim", "gis", "python", "iot", "matlab",
              "structural analysis", "primavera p6"),
    "fintech": ("python", "sql", "blockchain", "solidity", "quantitative analysis",
                "risk modelling", "java", "pandas", "machine learning", "excel vba"),
}  # fmt: skip

COMMON_SKILLS: tuple[str, ...] = ("git", "technical writing", "project management", "figma")

FIELD_THEMES: dict[str, tuple[Theme, ...]] = {
    "software": (Theme.AI_DATA, Theme.FINTECH, Theme.SMART_CITY),
    "ai": (Theme.AI_DATA, Theme.ROBOTICS, Theme.LIFE_HEALTH_TECH, Theme.SMART_CITY),
    "data": (Theme.AI_DATA, Theme.FINTECH, Theme.SMART_CITY),
    "computer_eng": (Theme.MICROELECTRONICS, Theme.AI_DATA, Theme.ROBOTICS),
    "electronic": (Theme.MICROELECTRONICS, Theme.SMART_CITY, Theme.ROBOTICS),
    "mechanical": (Theme.ROBOTICS, Theme.NEW_MATERIALS, Theme.SUSTAINABILITY),
    "biomedical": (Theme.LIFE_HEALTH_TECH, Theme.AI_DATA, Theme.NEW_MATERIALS),
    "civil": (Theme.SMART_CITY, Theme.SUSTAINABILITY, Theme.NEW_MATERIALS),
    "fintech": (Theme.FINTECH, Theme.AI_DATA, Theme.SMART_CITY),
}

FIELD_INTERESTS: dict[str, tuple[str, ...]] = {
    "software": ("backend systems at scale", "developer tools", "cloud-native services",
                 "web apps people enjoy using", "distributed systems"),
    "ai": ("multimodal foundation models", "Cantonese speech and language AI",
           "trustworthy machine learning", "robot learning", "medical image analysis"),
    "data": ("analytics that change decisions", "data engineering pipelines",
             "urban data and mobility", "experimentation and causal inference"),
    "computer_eng": ("FPGA acceleration", "embedded systems", "RISC-V processors",
                     "edge AI hardware"),
    "electronic": ("analog and mixed-signal IC design", "power electronics", "RF and antennas",
                   "chip verification", "sensor systems"),
    "mechanical": ("autonomous robots", "drones", "sustainable manufacturing",
                   "mechatronics", "aircraft maintenance technology"),
    "biomedical": ("rehabilitation devices", "wearable health sensors", "medical imaging"),
    "civil": ("digital twins for construction", "smart infrastructure", "low-carbon buildings"),
    "fintech": ("payments and digital banking", "quantitative trading", "RegTech",
                "tokenisation"),
}  # fmt: skip


@dataclass(frozen=True)
class FounderSeed:
    """The one PhD student who is also a startup's company admin (two roles, one user)."""

    given: str
    family: str
    email: str
    university_code: str
    faculty_code: str
    programme_code: str
    student_number: str
    graduation_year: int
    headline: str
    skills: tuple[str, ...]
    languages: tuple[tuple[str, Proficiency], ...]
    themes: tuple[Theme, ...]


FOUNDER = FounderSeed(
    given="Karen",
    family="Lau",
    email="karen.lau@connect.ust.hk",
    university_code="HKUST",
    faculty_code="SENG",
    programme_code="PHD-ECE",
    student_number="20000000",
    graduation_year=2027,
    headline="PhD candidate in ECE · founder of Harbourline Robotics · inspection robots",
    skills=("ros", "python", "c++", "computer vision", "embedded c", "pcb design"),
    languages=(
        ("yue", Proficiency.NATIVE),
        ("en", Proficiency.FLUENT),
        ("zh", Proficiency.WORKING),
    ),
    themes=(Theme.ROBOTICS, Theme.AI_DATA, Theme.SMART_CITY),
)

PARK_ADMIN_EMAIL = "talent@hkstp.example.org"
PARK_ADMIN_NAME = "Fanny Wong (HKSTP Talent)"

STAFF_TITLES: dict[Role, str] = {
    Role.DEAN: "Prof.",
    Role.ASSOCIATE_DEAN: "Prof.",
    Role.UNIVERSITY_COORDINATOR: "Dr",
}
