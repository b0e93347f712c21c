"""Park companies for the demo: SenseTime and Fano Labs, plus fictional startups.

Pure reference data. Every website uses an example domain; apart from the two real companies
named in HKSTP's announcements, all names and descriptions are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from foundry.companies.models import CompanySize, VerificationStatus
from foundry.taxonomy import Cluster, ParkLocation


@dataclass(frozen=True)
class CompanySeed:
    slug: str
    name: str
    name_zh: str | None
    cluster: Cluster
    location: ParkLocation
    size: CompanySize
    founded_year: int
    status: VerificationStatus
    description: str

    @property
    def domain(self) -> str:
        return f"{self.slug}.example.hk"

    @property
    def website(self) -> str:
        return f"https://{self.domain}"

    @property
    def has_members(self) -> bool:
        """Only companies that have applied (pending) or passed verification have users."""
        return self.status in (VerificationStatus.VERIFIED, VerificationStatus.PENDING)


C = CompanySeed
AI, HEALTH, FIN = Cluster.AI_ROBOTICS, Cluster.HEALTH_TECH, Cluster.FINTECH
CITY, CHIPS = Cluster.SMART_CITY, Cluster.MICROELECTRONICS
MATERIALS, GREEN = Cluster.NEW_MATERIALS, Cluster.SUSTAINABILITY
SP, IC, SZ = ParkLocation.SCIENCE_PARK, ParkLocation.INNOCENTRE, ParkLocation.SHENZHEN_BRANCH
TKO, TP, YL = ParkLocation.INNOPARK_TKO, ParkLocation.INNOPARK_TP, ParkLocation.INNOPARK_YL
XS, S, M = CompanySize.MICRO, CompanySize.SMALL, CompanySize.MEDIUM
L, XL = CompanySize.LARGE, CompanySize.ENTERPRISE
OK, WAIT = VerificationStatus.VERIFIED, VerificationStatus.PENDING
NEW, NO = VerificationStatus.UNVERIFIED, VerificationStatus.REJECTED

# The startup whose company admin is also a PhD student (see data_people.FOUNDER).
FOUNDER_COMPANY_SLUG = "harbourline-robotics"

# fmt: off
COMPANIES: tuple[CompanySeed, ...] = (
    # AI & robotics
    C("sensetime", "SenseTime", "商湯科技", AI, SP, XL, 2014, OK,
      "An AI software company whose computing infrastructure and foundation models power "
      "computer vision, large language models and smart-city, automotive and healthcare "
      "products. Its Science Park teams hire in deep learning, systems and product engineering."),
    C("fano-labs", "Fano Labs", None, AI, SP, M, 2014, OK,
      "A Hong Kong AI company specialising in speech recognition and language processing for "
      "Cantonese, English, Mandarin and code-mixed speech, serving banks, public bodies and "
      "contact centres. It looks for NLP engineers, data specialists and full-stack developers."),
    C(FOUNDER_COMPANY_SLUG, "Harbourline Robotics", "港灣線機械人", AI, SP, XS, 2023, OK,
      "A student-founded startup building low-cost autonomous inspection robots for plant rooms "
      "and cable tunnels. A small team with hands-on work across ROS 2, perception and "
      "embedded control; interns ship to real sites within weeks."),
    C("tidalmind-ai", "TidalMind AI", "潮思智能", AI, SP, S, 2019, OK,
      "Builds retrieval-augmented assistants for Hong Kong enterprises that answer in Cantonese, "
      "English and Mandarin, with evaluation tooling that keeps answers grounded in the "
      "customer's own documents."),
    C("kowloon-vision-labs", "Kowloon Vision Labs", "九龍視覺實驗室", AI, SP, S, 2018, OK,
      "Computer-vision analytics for retail: shelf monitoring, queue detection and footfall "
      "heat maps that run on in-store edge devices and never keep identifiable images."),
    C("lion-rock-autonomy", "Lion Rock Autonomy", "獅子山自動化", AI, TKO, M, 2017, OK,
      "Designs and operates fleets of autonomous mobile robots for warehouses and cold-chain "
      "logistics, with a fleet manager that plans routes for hundreds of robots at once."),
    C("pearl-delta-robotics", "Pearl Delta Robotics", "珠三角機械人", AI, SZ, M, 2016, OK,
      "Collaborative robot arms and vision-guided grippers for electronics assembly lines "
      "across the Greater Bay Area, engineered in Hong Kong and built in Shenzhen."),
    C("saikung-aerial", "Sai Kung Aerial", "西貢航拍科技", AI, TKO, S, 2020, OK,
      "Drone inspection of building facades, slopes and bridges, turning thousands of photos "
      "into defect maps that engineers can sign off."),
    C("lantern-data-lab", "Lantern Data Lab", None, AI, IC, XS, 2022, OK,
      "An MLOps platform that lets small data teams version data sets, track experiments and "
      "deploy models to on-premises GPUs with one command."),
    C("cedarbyte", "Cedarbyte", None, AI, SP, S, 2021, WAIT,
      "Generates labelled synthetic images and 3D scenes to train perception models for "
      "robots and autonomous vehicles where real data is scarce."),
    C("octave-speech", "Octave Speech", "八度語音", AI, SP, XS, 2022, OK,
      "Voice agents for clinics and property managers that book appointments and answer "
      "routine calls in natural Cantonese."),
    C("neon-harbour-ai", "Neon Harbour AI", "霓虹港智能", AI, SP, S, 2020, OK,
      "Document AI for insurers and law firms: reads policies, contracts and claim forms in "
      "English and Chinese and extracts the clauses that matter."),
    C("kaito-robotics", "Kaito Robotics", "海途機械人", AI, TP, M, 2015, OK,
      "Food-handling robots for central kitchens and airline catering, from dumpling folding "
      "to tray assembly, built to food-safety standards."),
    C("shatin-sense", "Shatin Sense", None, AI, SP, XS, 2024, NEW,
      "An early-stage team prototyping a low-power edge-AI camera for elderly homes."),
    # Health tech
    C("helix-harbour-bio", "Helix Harbour Bio", "螺旋港生物", HEALTH, SP, S, 2018, OK,
      "AI-assisted digital pathology that helps hospital laboratories grade tumour samples "
      "faster, with models validated on local patient cohorts."),
    C("careloop-health", "CareLoop Health", "關愛循環健康", HEALTH, SP, S, 2019, OK,
      "Remote monitoring for residential care homes: bed sensors, fall detection and a nurse "
      "dashboard that flags residents who need attention tonight."),
    C("strideworks-medical", "StrideWorks Medical", "步行者醫療", HEALTH, SP, S, 2017, OK,
      "Lower-limb rehabilitation exoskeletons for stroke patients, co-developed with "
      "physiotherapists and used in public hospitals."),
    C("jade-genomics", "Jade Genomics", "翠玉基因", HEALTH, SP, M, 2016, OK,
      "Clinical genomic sequencing and bioinformatics pipelines for hereditary cancer and "
      "rare-disease testing across Asia."),
    C("oculumen", "OcuLumen", None, HEALTH, SP, XS, 2021, OK,
      "Retinal-imaging AI that screens for diabetic eye disease in community clinics using "
      "a portable camera and a phone."),
    C("medsynth-devices", "MedSynth Devices", "醫合器械", HEALTH, TP, M, 2015, OK,
      "Designs and manufactures single-use medical devices in a clean-room facility at "
      "InnoPark Tai Po, from catheters to microfluidic test cartridges."),
    C("pulse-atlas", "Pulse Atlas", None, HEALTH, IC, XS, 2022, WAIT,
      "A wearable ECG patch with on-device arrhythmia detection and a cardiologist portal."),
    C("bauhinia-biologics", "Bauhinia Biologics", "紫荊生物製劑", HEALTH, SZ, S, 2020, OK,
      "Machine-learning-guided antibody discovery, with wet labs at the Shenzhen Branch and "
      "a computational team in Hong Kong."),
    C("sonicure", "SoniCure", None, HEALTH, SP, XS, 2023, NEW,
      "Focused-ultrasound research prototypes for non-invasive pain treatment."),
    # Fintech
    C("ledgerleaf", "Ledgerleaf", "賬葉科技", FIN, SP, S, 2018, OK,
      "RegTech for banks and payment firms: real-time transaction monitoring and anti-money "
      "laundering case management with explainable risk scores."),
    C("harbour-pay", "Harbour Pay", "港付", FIN, IC, M, 2016, OK,
      "Payments for small merchants: QR and FPS acceptance, invoicing and same-day settlement, "
      "used by thousands of shops and restaurants."),
    C("quantfold", "Quantfold", None, FIN, SP, S, 2019, OK,
      "A research platform for quantitative investment teams: clean market data, backtesting "
      "at scale and portfolio risk analytics."),
    C("insurmesh", "InsurMesh", "保網科技", FIN, SP, S, 2020, OK,
      "Insurtech that automates claims for health and travel insurers, from document intake "
      "to fraud checks and payout."),
    C("tokenbridge-labs", "Tokenbridge Labs", None, FIN, SP, S, 2021, OK,
      "Infrastructure for tokenised deposits and digital-asset custody, built for licensed "
      "banks and asset managers."),
    C("creditspring", "CreditSpring", "信泉金融科技", FIN, IC, S, 2019, OK,
      "Alternative credit scoring for SMEs using cash-flow and trade data, helping lenders "
      "approve working-capital loans in days instead of weeks."),
    C("wealthkite", "WealthKite", "智富鳶", FIN, SP, XS, 2022, OK,
      "A robo-advisor for young professionals with goal-based portfolios and plain-language "
      "explanations in English and Chinese."),
    C("regpilot", "RegPilot", None, FIN, SP, XS, 2023, WAIT,
      "Compliance workflows for licensed corporations: filings, attestations and policy "
      "change tracking in one place."),
    C("moonshot-yield", "Moonshot Yield", None, FIN, SP, XS, 2024, NO,
      "A decentralised-finance yield platform. Its verification was declined because it "
      "could not show a registered office or licence."),
    # Smart city
    C("urbanpulse-analytics", "UrbanPulse Analytics", "城脈分析", CITY, SP, M, 2016, OK,
      "Traffic and pedestrian-flow analytics from roadside sensors and open data, used to "
      "plan junctions, bus routes and crowd management."),
    C("tramline-iot", "Tramline IoT", "電車線物聯網", CITY, SP, S, 2018, OK,
      "LoRaWAN sensors and a building-management platform that cut energy use and catch "
      "water leaks in older commercial buildings."),
    C("kai-tak-mobility", "Kai Tak Mobility", "啟德出行", CITY, IC, S, 2019, OK,
      "Smart EV-charging management for car parks, balancing load across hundreds of "
      "chargers without upgrading the building's supply."),
    C("bimcraft", "BIMcraft", "建模工坊", CITY, SP, S, 2017, OK,
      "Digital twins for construction and Modular Integrated Construction projects, linking "
      "BIM models to site progress captured by 360-degree cameras."),
    C("safesite-ai", "SafeSite AI", "安全工地智能", CITY, TKO, S, 2020, OK,
      "Computer vision on construction-site CCTV that spots missing helmets, unsafe lifting "
      "and intrusions into danger zones in real time."),
    C("lampost-labs", "Lampost Labs", None, CITY, SP, XS, 2021, OK,
      "Smart street-lighting controllers with environmental sensing, piloted on public "
      "roads and housing estates."),
    C("parkpilot", "ParkPilot", None, CITY, IC, XS, 2022, NEW,
      "A parking app that shows free spaces in real time across private car parks."),
    C("waterline-sensing", "Waterline Sensing", "水線感測", CITY, YL, S, 2018, OK,
      "Acoustic sensors and machine learning that locate leaks in underground water mains "
      "before they burst."),
    # Microelectronics
    C("silicon-harbour", "Silicon Harbour Semiconductor", "矽港半導體", CHIPS, SP, M, 2015, OK,
      "Mixed-signal and power-management ICs for wearables and IoT devices, designed in "
      "Science Park and shipped by the millions."),
    C("photonix-hk", "Photonix HK", "光子香港", CHIPS, SP, S, 2018, OK,
      "Silicon-photonics transceivers for data-centre interconnects, from chip design to "
      "optical packaging and test."),
    C("riscwave", "RISCwave", None, CHIPS, SP, S, 2020, OK,
      "RISC-V processor cores and neural-network accelerators for low-power edge devices, "
      "licensed as IP and taped out on advanced nodes."),
    C("gallium-bay", "Gallium Bay", "鎵灣科技", CHIPS, YL, M, 2017, OK,
      "Gallium-nitride power devices for fast chargers and data-centre power supplies, with "
      "a pilot packaging line at InnoPark Yuen Long."),
    C("microled-vista", "MicroLED Vista", "微視顯示", CHIPS, TKO, M, 2016, OK,
      "MicroLED display modules for AR glasses and automotive dashboards, with mass-transfer "
      "equipment developed in-house."),
    C("nanocore-eda", "Nanocore EDA", None, CHIPS, SP, XS, 2021, OK,
      "Verification IP and AI-assisted EDA tools that shorten the path from RTL to sign-off."),
    C("qubit-harbour", "Qubit Harbour", None, CHIPS, SP, XS, 2022, WAIT,
      "Cryogenic control electronics for superconducting quantum computers."),
    C("meridian-packaging", "Meridian Advanced Packaging", "子午先進封裝", CHIPS, TP, L, 2012,
      OK, "Advanced semiconductor packaging and test services, including system-in-package "
      "and fan-out wafer-level packaging, for chip companies across the region."),
    # New materials
    C("graphene-bay", "Graphene Bay Materials", "石墨烯灣材料", MATERIALS, SP, S, 2017, OK,
      "Graphene conductive inks and coatings for printed electronics, heaters and "
      "electromagnetic shielding."),
    C("ceramix-labs", "Ceramix Labs", None, MATERIALS, TP, S, 2019, OK,
      "3D-printed technical ceramics for semiconductor equipment, dental and aerospace parts."),
    C("fibrecraft", "Fibrecraft Composites", "纖藝複合材料", MATERIALS, YL, M, 2014, OK,
      "Lightweight carbon-fibre composite panels for aircraft interiors and rail cars, "
      "manufactured at InnoPark Yuen Long."),
    C("smartcoat-nano", "SmartCoat Nano", "智塗納米", MATERIALS, SP, XS, 2021, OK,
      "Long-lasting antimicrobial and self-cleaning nano-coatings for lifts, handrails and "
      "hospital surfaces."),
    C("polymer-loop", "Polymer Loop", "聚環材料", MATERIALS, SZ, S, 2020, OK,
      "Bio-based and recyclable polymers for packaging and consumer electronics housings."),
    # Sustainability
    C("verdant-cells", "Verdant Cells", "綠源電池", GREEN, SP, S, 2019, OK,
      "Sodium-ion battery cells and packs for energy storage, free of lithium and cobalt."),
    C("carbonlens", "CarbonLens", "碳鏡", GREEN, SP, S, 2020, OK,
      "Carbon accounting and ESG reporting software that traces Scope 3 emissions through "
      "supplier data for listed companies."),
    C("aquaharvest", "AquaHarvest", "水耕收成", GREEN, IC, XS, 2021, OK,
      "Indoor vertical farms in converted industrial buildings, with climate control tuned by "
      "machine learning."),
    C("coolroof-tech", "CoolRoof Tech", "涼頂科技", GREEN, TKO, S, 2018, OK,
      "Radiative-cooling films and paints that keep rooftops and containers below ambient "
      "temperature without electricity."),
    C("recircuit", "ReCircuit", "再生電路", GREEN, YL, S, 2017, OK,
      "Recovers gold, copper and rare metals from electronic waste with a low-emission "
      "hydrometallurgical process."),
    C("kelpwise", "Kelpwise", None, GREEN, SP, XS, 2023, NEW,
      "Seaweed-based, home-compostable packaging for takeaway food."),
    C("greengrid-energy", "GreenGrid Energy", "綠網能源", GREEN, SP, M, 2015, OK,
      "AI control of building chillers and air-conditioning that cuts energy use by a fifth "
      "in offices, malls and hospitals."),
)
# fmt: on
