"""The pages `bench/run` times: one line per page, so every new capability adds its own.

A page's `path` and `expect` hold {placeholders} filled from the data set's targets()
(bench.park.personas.targets: posting_id, common_word, filters...). `role` is the persona
signed in for it (None: anonymous); "applicant" means the pool of applicants, each request
from another one (only the apply action needs that). `target` is the least throughput
allowed as a share of the bare stack's `list` in the same round (issue 12, item 4);
`target_p95_ms` a ceiling on the 95th percentile instead.

`expect` is a regular expression the page's HTML must match in the one-client check made
before each load, so that a wrong session or an empty result is never timed as "fast".
"""

from __future__ import annotations

import re
from dataclasses import KW_ONLY, dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Page:
    name: str
    role: str | None
    path: str
    _: KW_ONLY
    target: float | None = None
    target_p95_ms: float | None = None
    expect: str = ""
    method: str = "GET"

    @property
    def slug(self) -> str:
        """The page's name as a file or option name: "search, rare word" -> search-rare-word."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


# At least one posting listed: the heading reads "1234 postings" (never "0 postings").
RESULTS = r'id="results-heading"[^>]*>\s*[1-9]'
# The results' heading, whatever the count: a rare word may match no open posting (at 10k,
# "lidar" matches two postings, both past their deadline), and the page is then no less
# the whole search.
RESULTS_HEADING = 'id="results-heading"'
PLACEMENTS = "Placements</h1>"
FACULTY_HOME = "/faculty/{faculty_id}/students"  # its link to the faculty's student list
UNIVERSITY_HOME = r"/universities/\w+/staff"  # its link to the university's staff roles
# A portfolio with records listed shows its knowledge-transfer table.
KT = 'id="kt-title"'
COLLABORATION_SEARCH = "/universities/{university_id}/collaborations?q=robotics&status=active"

PAGES = (
    Page("search, no words", "student", "/postings", target=0.5, expect=RESULTS),
    Page(
        "search, rare word",
        "student",
        "/postings?q={rare_word}",
        target=0.35,
        expect=RESULTS_HEADING,
    ),
    Page(
        "search, common word", "student", "/postings?q={common_word}", target=0.35, expect=RESULTS
    ),
    Page(
        "search, Chinese word", "student", "/postings?q={chinese_word}", target=0.35, expect=RESULTS
    ),
    Page("search, two filters", "student", "/postings?{filters}", target=0.5, expect=RESULTS),
    Page(
        "posting page", "student", "/postings/{posting_id}", target=0.6, expect='id="posting-title"'
    ),
    Page("student dashboard", "student", "/me", target=0.5, expect='id="applications-title"'),
    Page(
        "my applications", "student", "/me/applications", target=0.5, expect="My applications</h1>"
    ),
    Page(
        "pipeline, 500 applicants",
        "recruiter",
        "/company/{pipeline_company_slug}/postings/{pipeline_posting_id}/pipeline",
        target=0.4,
        expect='id="board-help"',
    ),
    Page("dean: faculty home", "dean", "/faculty/{faculty_id}", target=0.4, expect=FACULTY_HOME),
    Page("dean: placements", "dean", "/reports/placements", target=0.4, expect=PLACEMENTS),
    Page(
        "coordinator: university home",
        "coordinator",
        "/university/{university_id}",
        target=0.4,
        expect=UNIVERSITY_HOME,
    ),
    Page(
        "coordinator: placements",
        "coordinator",
        "/reports/placements",
        target=0.4,
        expect=PLACEMENTS,
    ),
    Page("park admin home", "park_admin", "/admin", target=0.4, expect="Park admin</h1>"),
    Page("Atom feed", None, "/postings/feed.atom", expect="<entry>"),
    # Issue 13: programmes at park scale (5,000 programmes, 200,000 registrations).
    Page("programme list", "student", "/programmes", target=0.5, expect="tf-programme-card"),
    Page(
        "programme page",
        "student",
        "/programmes/{programme_id}",
        target=0.5,
        expect='id="sessions-heading"',
    ),
    Page(
        "career day page",
        "student",
        "/programmes/{career_day_id}",
        target=0.5,
        expect='id="sessions-heading"',
    ),
    # "Who's coming": the career day's exhibitors with their featured roles (150 at 1m and
    # with --programmes-at 1m; fewer in the 10k and 100k sets, which --growth also times).
    Page(
        "fair page",
        "student",
        "/programmes/{career_day_id}/fair",
        target=0.5,
        expect='id="who">[1-9][0-9]* companies',
    ),
    Page("my programmes", "student", "/me/programmes", target=0.5, expect='id="upcoming-heading"'),
    # Issue 14: collaborations at park scale (10,000 records, bench/park/collaborations.py).
    Page("collaborations: search", "coordinator", COLLABORATION_SEARCH, target=0.4, expect=KT),
    Page(
        "collaborations: faculty",
        "dean",
        "/faculties/{faculty_id}/collaborations",
        target=0.4,
        expect=KT,
    ),
    Page(
        "collaborations: company",
        "recruiter",
        "/companies/{pipeline_company_slug}/collaborations",
        target=0.4,
        expect=KT,
    ),
    # {fresh_posting_id} differs per request: the runner fills it from its rotation file.
    Page(
        "apply", "applicant", "/postings/{fresh_posting_id}/apply", target_p95_ms=150, method="POST"
    ),
)

# Placeholders that are already a query string, put in the URL as they are.
RAW_PLACEHOLDERS = frozenset({"filters"})


def fill(template: str, targets: dict) -> str:
    """`template` with its {placeholders} from `targets`, each value escaped for a URL."""
    values = {
        key: value if key in RAW_PLACEHOLDERS else quote(str(value), safe="")
        for key, value in targets.items()
        if not isinstance(value, list | tuple | dict)
    }
    return template.format_map(values)


def selected(pattern: str | None) -> tuple[Page, ...]:
    """The pages whose name matches `pattern` (all of them without one)."""
    if not pattern:
        return PAGES
    wanted = re.compile(pattern, re.IGNORECASE)
    return tuple(page for page in PAGES if wanted.search(page.name) or wanted.search(page.slug))
