"""The park's companies, English and Chinese names, and their members: an admin and a few
recruiters each. The first company is the pipeline company of the personas."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from bench.park import HISTORY_STARTS, personas
from bench.park.accounts import GIVEN, MEMBERSHIP_COLUMNS, SURNAMES, USER_COLUMNS, user_row
from bench.park.build import Build, log

PREFIXES = [
    ("Harbour", "港灣"),
    ("Jade", "翠玉"),
    ("Lion Rock", "獅子山"),
    ("Victoria", "維港"),
    ("Kowloon", "九龍"),
    ("Peak", "山頂"),
    ("Tsing Ma", "青馬"),
    ("Pearl", "明珠"),
    ("Sampan", "舢舨"),
    ("Dragon", "飛龍"),
    ("Lantau", "大嶼"),
    ("Bauhinia", "紫荊"),
    ("Sai Kung", "西貢"),
    ("Neon", "霓虹"),
    ("Tai Po", "大埔"),
    ("Shatin", "沙田"),
    ("Octave", "八度"),
    ("Silverstrand", "銀線灣"),
    ("Clearwater", "清水灣"),
    ("Ma On", "馬鞍"),
    ("Kai Tak", "啟德"),
    ("Cyber", "數碼"),
    ("Nova", "新星"),
    ("Orbit", "軌道"),
    ("Quantum", "量子"),
    ("Lumen", "流明"),
    ("Vertex", "頂點"),
    ("Tidal", "潮汐"),
    ("Junk Bay", "將軍澳"),
    ("Tolo", "吐露"),
    ("Aberdeen", "香港仔"),
    ("Stanley", "赤柱"),
    ("Mui Wo", "梅窩"),
    ("Fanling", "粉嶺"),
    ("Lamma", "南丫"),
    ("Peng Chau", "坪洲"),
    ("Ap Lei", "鴨脷"),
    ("Cheung Chau", "長洲"),
    ("Tai Mo", "大帽"),
    ("Kam Tin", "錦田"),
]
FIELDS = [
    ("Robotics", "機械人", "ai_robotics"),
    ("AI", "人工智能", "ai_robotics"),
    ("Vision", "視覺", "ai_robotics"),
    ("Health", "健康", "health_tech"),
    ("Medical", "醫療", "health_tech"),
    ("Bio", "生物", "health_tech"),
    ("Pay", "支付", "fintech"),
    ("Capital Tech", "資本科技", "fintech"),
    ("Ledger", "賬本", "fintech"),
    ("City Labs", "城市實驗室", "smart_city"),
    ("Mobility", "出行", "smart_city"),
    ("Semiconductor", "半導體", "microelectronics"),
    ("Chips", "晶片", "microelectronics"),
    ("Sensors", "感應器", "microelectronics"),
    ("Materials", "材料", "new_materials"),
    ("Graphene", "石墨烯", "new_materials"),
    ("Energy", "能源", "sustainability"),
    ("Green Tech", "綠色科技", "sustainability"),
    ("Water", "水務", "sustainability"),
    ("Data", "數據", "ai_robotics"),
]
SUFFIXES = [
    ("Limited", "有限公司"),
    ("Technologies", "科技有限公司"),
    ("Labs", "實驗室"),
    ("Holdings", "控股有限公司"),
]
LOCATIONS = ["science_park"] * 5 + [
    "innocentre",
    "innopark_tko",
    "innopark_tp",
    "innopark_yl",
    "shenzhen_branch",
]
SIZES = ["1-10", "1-10", "11-50", "11-50", "11-50", "51-200", "51-200", "201-1000", "1000+"]


def names(count: int, rng) -> list[tuple[str, str, str]]:
    """`count` different names: (English, Chinese, cluster)."""
    combos = [(p, f, s) for p in PREFIXES for f in FIELDS for s in SUFFIXES]
    rng.shuffle(combos)
    if count > len(combos):
        raise ValueError(f"{count} companies, but only {len(combos)} different names")
    return [(f"{p[0]} {f[0]} {s[0]}", f"{p[1]}{f[1]}{s[1]}", f[2]) for p, f, s in combos[:count]]


def fill(build: Build) -> None:
    rng = build.rng("companies")
    rows, users, memberships, companies = [], [], [], []
    for rank, (name, name_zh, cluster) in enumerate(names(build.scale.companies, rng), start=1):
        company_id = build.ids("companies", 1)[0]
        created = HISTORY_STARTS - timedelta(days=rng.randint(30, 2000))
        # Most are verified; a few wait for the park's check (they cannot publish).
        status = (
            "verified"
            if rank <= 2 or rng.random() < 0.97
            else rng.choice(["pending", "unverified"])
        )
        slug = name.lower().replace(" ", "-")
        rows.append(
            (
                company_id,
                slug,
                name,
                name_zh if rng.random() < 0.85 else None,
                cluster,
                rng.choice(LOCATIONS),
                rng.choice(SIZES),
                f"https://{slug}.example",
                f"{name} builds {cluster.replace('_', ' ')} products in Hong Kong.",
                rng.randint(2008, 2025),
                status,
                created + timedelta(days=5) if status == "verified" else None,
                created,
                created,
            )
        )
        member_ids = []
        members = 1 + rng.choice([0, 1, 1, 2, 2, 3])
        for k in range(max(members, 3) if rank == 1 else members):
            user_id = build.ids("users", 1)[0]
            email = (
                personas.RECRUITER
                if rank == 1 and k == 1
                else f"{'admin' if k == 0 else f'recruiter{k}'}@{slug}.example"
            )
            person = f"{GIVEN[(user_id * 7) % 16]} {SURNAMES[user_id % 16]}"
            users.append(user_row(user_id, email, person, created + timedelta(days=6)))
            memberships.append(
                (
                    build.ids("role_memberships", 1)[0],
                    user_id,
                    "company_admin" if k == 0 else "recruiter",
                    None,
                    None,
                    company_id,
                    created,
                    created,
                )
            )
            member_ids.append(user_id)
        companies.append(
            SimpleNamespace(
                id=company_id,
                slug=slug,
                name=rows[-1][2],
                name_zh=rows[-1][3],
                cluster=cluster,
                members=member_ids,
                verified=status == "verified",
                # A few companies post most of the roles (weight falls with rank).
                weight=1 / rank**0.8,
            )
        )
    build.copy(
        "companies",
        (
            "id",
            "slug",
            "name",
            "name_zh",
            "cluster",
            "park_location",
            "size",
            "website",
            "description",
            "founded_year",
            "verification_status",
            "verified_at",
            "created_at",
            "updated_at",
        ),
        rows,
    )
    build.copy("users", USER_COLUMNS, users)
    build.copy("role_memberships", MEMBERSHIP_COLUMNS, memberships)
    build.made.companies = companies
    log(f"  {len(companies):,} companies, {len(users):,} members")
