"""The roles park companies post in the demo, by theme, and the text their postings use.

Pure reference data, drawn from the park's recruitment drives: the "AI in Action" career
day (software, data analytics and large-model algorithms), the themed drives planned after
it (microelectronics, life and health tech, fintech), and the Top Talent Pass recruitment
of non-local talent. Every skill named here is one of the demo's skill tags.
"""

from __future__ import annotations

from dataclasses import dataclass

from foundry.postings.models import PostingKind
from foundry.taxonomy import Cluster, ParkLocation, Theme


@dataclass(frozen=True)
class RoleSeed:
    field: str  # "Machine Learning": the subject of the title
    job: str  # "Engineer": what a graduate in the role is called
    theme: Theme
    skills: tuple[str, ...]
    duties: tuple[str, ...]
    requirements: tuple[str, ...]


R = RoleSeed
T = Theme

# fmt: off
ROLES: tuple[RoleSeed, ...] = (
    # AI & data: the "AI in Action" career day's software, analytics and large-model roles
    R("Machine Learning", "Engineer", T.AI_DATA,
      ("python", "pytorch", "machine learning", "docker"),
      ("Train and evaluate models on real customer data", "Turn notebooks into services "
       "other teams call", "Measure what a model gets wrong and fix the data behind it"),
      ("Solid Python and one deep-learning framework", "Linear algebra and probability "
       "you can explain")),
    R("Large Model Algorithm", "Engineer", T.AI_DATA,
      ("python", "large language models", "hugging face transformers", "pytorch"),
      ("Fine-tune and evaluate large language models for Cantonese, English and Mandarin",
       "Build retrieval pipelines that keep answers grounded in documents",
       "Write evaluation sets with the product team"),
      ("Experience with transformers or LLM APIs", "Care for evaluation, not only demos")),
    R("Data Analytics", "Analyst", T.AI_DATA,
      ("sql", "python", "pandas", "tableau"),
      ("Build dashboards the operations team uses every morning",
       "Answer product questions with SQL and clear charts",
       "Clean and document the data sets behind our reports"),
      ("SQL and one of Python or R", "Clear writing in English; Chinese a plus")),
    R("Computer Vision", "Engineer", T.AI_DATA,
      ("python", "computer vision", "opencv", "pytorch"),
      ("Train detection and segmentation models for edge devices",
       "Label, curate and augment image data sets", "Profile models on embedded GPUs"),
      ("Python and OpenCV or PyTorch", "A project with images or video you can show us")),
    R("Software Development", "Engineer", T.AI_DATA,
      ("python", "typescript", "react", "postgresql", "docker"),
      ("Build features end to end, from database to browser",
       "Review code and write tests that catch real bugs",
       "Ship to production with the team every week"),
      ("One backend language and some JavaScript or TypeScript", "Git and a habit of tests")),
    R("Data Platform", "Engineer", T.AI_DATA,
      ("python", "apache spark", "airflow", "sql", "aws"),
      ("Build batch and streaming pipelines", "Keep data quality checks green",
       "Automate infrastructure with code"),
      ("Python and SQL", "Curiosity about distributed systems")),
    # Robotics
    R("Robotics Software", "Engineer", T.ROBOTICS,
      ("ros", "c++", "python", "linux"),
      ("Write ROS 2 nodes for perception, planning and control",
       "Test on real robots in our Science Park lab", "Improve simulation and CI for robots"),
      ("C++ or Python on Linux", "Any robotics project: a competition team counts")),
    R("Embedded Systems", "Engineer", T.ROBOTICS,
      ("embedded c", "rtos", "arm cortex-m", "pcb design"),
      ("Write firmware for motor controllers and sensors", "Bring up new boards",
       "Debug with a scope and a logic analyser"),
      ("C on microcontrollers", "Reading schematics and datasheets")),
    R("Motion Planning", "Engineer", T.ROBOTICS,
      ("c++", "python", "reinforcement learning", "control systems"),
      ("Prototype planners for fleets of mobile robots", "Benchmark them in simulation",
       "Work with the hardware team on field trials"),
      ("Algorithms and C++ or Python", "Control or optimisation coursework")),
    R("Mechatronics", "Engineer", T.ROBOTICS,
      ("solidworks", "control systems", "3d printing", "matlab"),
      ("Design mechanisms and print prototypes", "Tune controllers for actuators",
       "Document designs for manufacturing"),
      ("CAD (SolidWorks or similar)", "Hands-on workshop experience")),
    # Microelectronics: the drive planned after AI in Action
    R("IC Design", "Engineer", T.MICROELECTRONICS,
      ("verilog", "systemverilog", "computer architecture", "fpga"),
      ("Write RTL for blocks of our next chip", "Run lint, synthesis and timing checks",
       "Work with verification on coverage"),
      ("Digital design coursework with Verilog or VHDL", "Interest in computer architecture")),
    R("Analog Circuit Design", "Engineer", T.MICROELECTRONICS,
      ("analog ic design", "cadence virtuoso", "spice", "matlab"),
      ("Design and simulate amplifiers, references and data converters",
       "Draw layouts with the physical design team", "Characterise silicon in the lab"),
      ("Analog circuits coursework", "Cadence or SPICE simulation")),
    R("Design Verification", "Engineer", T.MICROELECTRONICS,
      ("systemverilog", "verilog", "python", "linux"),
      ("Write UVM testbenches and coverage models", "Automate regressions with Python",
       "Find bugs before tape-out"),
      ("SystemVerilog or Verilog", "Scripting on Linux")),
    R("FPGA", "Engineer", T.MICROELECTRONICS,
      ("fpga", "vhdl", "verilog", "signal processing"),
      ("Implement signal-processing pipelines on FPGAs", "Close timing and debug on hardware",
       "Write drivers with the software team"),
      ("Verilog or VHDL", "Signals and systems")),
    R("RF and Hardware", "Engineer", T.MICROELECTRONICS,
      ("rf design", "pcb design", "altium designer", "signal processing"),
      ("Design RF front ends and antennas", "Lay out boards in Altium",
       "Measure with spectrum and network analysers"),
      ("Electromagnetics and circuits coursework", "PCB layout experience")),
    # Life & health tech
    R("Biomedical", "Engineer", T.LIFE_HEALTH_TECH,
      ("matlab", "signal processing", "biomechanics", "solidworks"),
      ("Develop and test wearable medical devices", "Analyse physiological signals",
       "Prepare design history files"),
      ("Biomedical or electronic engineering studies", "MATLAB or Python")),
    R("Medical Imaging AI", "Engineer", T.LIFE_HEALTH_TECH,
      ("python", "medical imaging", "pytorch", "computer vision"),
      ("Train models on de-identified scans with clinicians",
       "Build tools radiologists use to review results", "Validate models on new hospitals"),
      ("Python and deep learning", "Respect for patient data")),
    R("Regulatory Affairs", "Associate", T.LIFE_HEALTH_TECH,
      ("iso 13485", "technical writing", "project management"),
      ("Prepare submissions for medical-device registration",
       "Keep the quality system's records in order", "Track standards across markets"),
      ("Science or engineering degree", "Precise writing in English and Chinese")),
    R("Lab Automation", "Engineer", T.LIFE_HEALTH_TECH,
      ("python", "microfluidics", "labview", "3d printing"),
      ("Automate assays with liquid-handling robots", "Design microfluidic chips",
       "Write software that logs every run"),
      ("Lab experience and some programming", "Patience with experiments")),
    # Fintech
    R("Quantitative", "Developer", T.FINTECH,
      ("python", "quantitative analysis", "pandas", "statistics"),
      ("Research and back-test trading signals", "Build risk reports for the desk",
       "Speed up pricing code"),
      ("Strong mathematics and Python", "Interest in markets")),
    R("Payments Backend", "Engineer", T.FINTECH,
      ("java", "sql", "kubernetes", "postgresql"),
      ("Build APIs that move money safely", "Design idempotent, audited services",
       "Be on the team that answers when something breaks"),
      ("Java, Go or Python", "SQL and transactions")),
    R("RegTech", "Analyst", T.FINTECH,
      ("python", "sql", "risk modelling", "excel vba"),
      ("Automate compliance checks for banks", "Map regulations to data",
       "Explain results to compliance officers"),
      ("Finance, engineering or computing studies", "Care for detail")),
    R("Blockchain", "Engineer", T.FINTECH,
      ("solidity", "blockchain", "typescript", "node.js"),
      ("Write and audit smart contracts", "Build tokenisation tools for institutions",
       "Test against real attack patterns"),
      ("Programming in any language", "Understanding of public-key cryptography")),
    R("Risk Data", "Scientist", T.FINTECH,
      ("python", "machine learning", "risk modelling", "sql"),
      ("Build credit and fraud models", "Monitor model drift", "Explain models to regulators"),
      ("Statistics and Python", "Interest in financial risk")),
    # Smart city
    R("IoT", "Engineer", T.SMART_CITY,
      ("iot", "embedded c", "python", "aws"),
      ("Deploy sensors across buildings and streets", "Build the pipeline from device to cloud",
       "Keep a fleet of devices updated"),
      ("Embedded or networking coursework", "Python")),
    R("GIS Data", "Analyst", T.SMART_CITY,
      ("gis", "python", "sql", "tableau"),
      ("Map mobility and building data", "Build analyses planners can read",
       "Clean open government data sets"),
      ("GIS software or spatial Python", "Clear maps and writing")),
    R("Digital Twin", "Engineer", T.SMART_CITY,
      ("bim", "revit", "python", "iot"),
      ("Connect BIM models to live sensor data", "Build dashboards for facility managers",
       "Automate model checks"),
      ("Civil, building or computing studies", "Revit or BIM experience a plus")),
    # New materials
    R("Materials Characterisation", "Engineer", T.NEW_MATERIALS,
      ("matlab", "finite element analysis", "technical writing"),
      ("Run SEM, XRD and mechanical tests", "Analyse results and write reports",
       "Keep the lab safe and tidy"),
      ("Materials, chemistry or mechanical studies", "Careful lab practice")),
    R("Battery Materials", "Scientist", T.NEW_MATERIALS,
      ("python", "matlab", "statistics"),
      ("Synthesise and test electrode materials", "Automate data analysis of cycling tests",
       "Scale up promising recipes"),
      ("Chemistry or materials background", "Data analysis in Python or MATLAB")),
    R("Process Development", "Engineer", T.NEW_MATERIALS,
      ("ansys", "solidworks", "cnc machining", "project management"),
      ("Scale new materials from lab to pilot line", "Design experiments on the line",
       "Work with suppliers on equipment"),
      ("Mechanical, chemical or materials studies", "Hands-on attitude")),
    # Sustainability
    R("Energy Data", "Analyst", T.SUSTAINABILITY,
      ("python", "pandas", "power bi", "statistics"),
      ("Analyse building energy data to find savings", "Build reports for clients",
       "Forecast demand with simple models"),
      ("Python or R and statistics", "Interest in climate and energy")),
    R("Carbon Accounting Software", "Engineer", T.SUSTAINABILITY,
      ("python", "django", "react", "postgresql"),
      ("Build the platform companies use to report emissions", "Model emission factors",
       "Work with sustainability consultants"),
      ("Web development experience", "Interest in ESG reporting")),
    R("Power Electronics", "Engineer", T.SUSTAINABILITY,
      ("simulink", "control systems", "pcb design", "embedded c"),
      ("Design converters for solar and storage", "Simulate and test control loops",
       "Certify products for the grid"),
      ("Power electronics or control coursework", "MATLAB/Simulink")),
)
# fmt: on

# The themes whose roles each cluster's companies post, the first most often.
CLUSTER_THEMES: dict[Cluster, tuple[Theme, ...]] = {
    Cluster.AI_ROBOTICS: (T.AI_DATA, T.ROBOTICS),
    Cluster.HEALTH_TECH: (T.LIFE_HEALTH_TECH, T.AI_DATA),
    Cluster.FINTECH: (T.FINTECH, T.AI_DATA),
    Cluster.SMART_CITY: (T.SMART_CITY, T.AI_DATA),
    Cluster.MICROELECTRONICS: (T.MICROELECTRONICS, T.ROBOTICS),
    Cluster.NEW_MATERIALS: (T.NEW_MATERIALS, T.SUSTAINABILITY),
    Cluster.SUSTAINABILITY: (T.SUSTAINABILITY, T.SMART_CITY),
}

# How a role's title reads for each kind of posting (titles name postings in the demo,
# so they never depend on the date).
KIND_TITLES: dict[PostingKind, str] = {
    PostingKind.SUMMER_INTERNSHIP: "{field} {job} Summer Intern",
    PostingKind.PART_TIME_INTERNSHIP: "Part-time {field} Intern",
    PostingKind.YEAR_LONG_PLACEMENT: "{field} {job} – Year-long Placement",
    PostingKind.GRADUATE_ROLE: "Graduate {field} {job}",
    PostingKind.RESEARCH_ASSISTANT: "Research Assistant – {field}",
}

# Paragraphs that tie a posting to the park's recruitment drives.
DRIVES: dict[Theme, str] = {
    T.AI_DATA: "Listed for the park's **AI in Action** drive, which brought 150 AI companies "
    "and more than 1,000 roles in software development, data analytics and large-model "
    "algorithms to one career day.",
    T.MICROELECTRONICS: "Part of the park's **microelectronics** recruitment drive: from "
    "chip design at Science Park to advanced manufacturing at the InnoParks.",
    T.LIFE_HEALTH_TECH: "Part of the park's **life and health tech** recruitment drive, "
    "connecting students with medtech and biotech startups.",
    T.FINTECH: "Part of the park's **fintech** recruitment drive, with startups building "
    "for Hong Kong's banks, insurers and regulators.",
    T.ROBOTICS: "Our robots are built and tested in the park, close to the logistics and "
    "robotics research centres of InnoHK.",
    T.SMART_CITY: "Our projects run in Hong Kong's streets, buildings and public transport, "
    "with the city as our test bed.",
    T.NEW_MATERIALS: "We scale new materials from the lab to the pilot lines of the park's "
    "InnoParks.",
    T.SUSTAINABILITY: "We help Hong Kong companies measure and cut their emissions on the "
    "way to carbon neutrality.",
}

NON_LOCAL_WELCOME = (
    "**Non-local talent welcome.** Top Talent Pass holders and non-local graduates are "
    "encouraged to apply: the park's International I&T Talent Landing Programme offers "
    "Cantonese classes, cultural workshops and help for families settling in Hong Kong."
)

LOCAL_ONLY_NOTE = (
    "This role works on a public-sector contract, so it is open to students with the right "
    "to work in Hong Kong without a visa."
)

KIND_LEARNING: dict[PostingKind, str] = {
    PostingKind.SUMMER_INTERNSHIP: "A summer project of your own with a mentor, a demo to "
    "the whole company at the end, and lunch with the founders.",
    PostingKind.PART_TIME_INTERNSHIP: "Two or three days a week that fit around your "
    "timetable, with a mentor and real tickets from day one.",
    PostingKind.YEAR_LONG_PLACEMENT: "A year inside the team, with a placement project that "
    "counts towards your degree and a review with your faculty every term.",
    PostingKind.GRADUATE_ROLE: "A structured first year with rotations, a training budget "
    "and a mentor, and a permanent contract from day one.",
    PostingKind.RESEARCH_ASSISTANT: "Work with our R&D lead on a project that may become a "
    "paper or a patent, with time for your own studies.",
}

LOCATIONS: dict[ParkLocation, str] = {
    ParkLocation.SCIENCE_PARK: "Hong Kong Science Park, Sha Tin",
    ParkLocation.INNOCENTRE: "InnoCentre, Kowloon Tong",
    ParkLocation.INNOPARK_TKO: "InnoPark, Tseung Kwan O",
    ParkLocation.INNOPARK_TP: "InnoPark, Tai Po",
    ParkLocation.INNOPARK_YL: "InnoPark, Yuen Long",
    ParkLocation.SHENZHEN_BRANCH: "Hong Kong Science Park Shenzhen Branch, Futian",
}

SCREENING_QUESTIONS: tuple[str, ...] = (
    "Which project are you proudest of? Link to it if you can (GitHub, portfolio, paper).",
    "When could you start, and for how many weeks are you available?",
    "Do you have the right to work in Hong Kong, or will you need a visa?",
    "Why this role at our company, in two or three sentences?",
    "Which of the listed skills have you used in a real project, and how?",
)

COVER_LETTER_OPENINGS: tuple[str, ...] = (
    "I am writing to apply for the {title} role at {company}.",
    "I would love to join {company} as {title}.",
    "Your posting for {title} caught my eye at the career day.",
)

COVER_LETTER_BODIES: tuple[str, ...] = (
    "In my final-year project I built something close to what your team does, and I want "
    "to learn how it is done in production.",
    "I have used several of the skills you list in coursework and a hackathon, and I am "
    "keen to use them on real problems.",
    "I enjoy turning messy data and hardware into things people rely on, and your products "
    "do exactly that.",
)

ANSWERS: tuple[str, ...] = (
    "My capstone project: https://github.com/example/capstone",
    "I can start in June and stay for twelve weeks.",
    "I am a permanent resident of Hong Kong.",
    "Your work matches what I studied and want to do next.",
    "I used Python and SQL in my internship last summer to automate weekly reports.",
)
