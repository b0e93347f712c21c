"""Layout guards for every role: the navigation bar keeps to one row at 1280 px (English and
Chinese), no main page scrolls sideways on a 375 px phone, and every control there is a touch
target of at least 24 x 24 CSS px (WCAG 2.5.8, with its inline and spacing exceptions).

Each page is loaded once and measured with one `evaluate`: the walk of a role's pages stays
fast, and one failing test lists every page and every control at fault."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot_path, sign_in_as
from tests.browser.language import choose_language
from tests.browser.measure import horizontal_overflow

MIN_TARGET = 24


def sign_in_found(page: Page, query: str, role: str) -> str:
    """Sign in as the first demo user of `role` that the sign-in page's search finds for
    `query`; the user's name."""
    page.goto(f"/demo/sign-in?q={query}")
    button = page.locator(f'button.tf-persona-button[data-role="{role}"]').first
    name = button.locator(".fw-semibold").inner_text().strip()
    button.click()
    page.wait_for_url(lambda url: "/demo/sign-in" not in url)
    expect(page.locator(".tf-flashes .alert", has_text=f"Signed in as {name}")).to_be_visible()
    return name


@dataclass(frozen=True)
class Persona:
    """Who to sign in as: one of each role (the sign-in page's first of that role), or the
    first of `role` that a search for `query` finds."""

    role: str
    query: str = ""

    def sign_in(self, page: Page) -> None:
        if self.query:
            sign_in_found(page, self.query, self.role)
        else:
            sign_in_as(page, self.role)


PERSONAS = {
    # The demo's founder, Karen Lau: a student who also runs Harbourline Robotics.
    "student-and-company-admin": Persona("student"),
    # A student and nothing else (the founder is the first student, not the only one).
    "student": Persona("student", "PolyU"),
    "dean": Persona("dean"),
    "associate-dean": Persona("associate_dean"),
    "placement-officer": Persona("placement_officer"),
    "coordinator": Persona("university_coordinator"),
    "company-admin": Persona("company_admin", "SenseTime"),
    "recruiter": Persona("recruiter"),
    "park-admin": Persona("park_admin"),
}

# --- one row of navigation at 1280 px ----------------------------------------------------

NAVBAR_ROWS = """() => {
  const nav = document.querySelector('nav.tf-navbar');
  const brand = nav.querySelector('.navbar-brand').getBoundingClientRect();
  const middle = brand.top + brand.height / 2;
  const items = [...nav.querySelectorAll('.navbar-nav > li, .tf-nav-tools > *')];
  const off = items
    .map(e => [e.innerText.trim().replace(/\\s+/g, ' '), e.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && Math.abs(r.top + r.height / 2 - middle) > 2)
    .map(([text, r]) => `${text} (top ${Math.round(r.top)})`);
  return {height: nav.getBoundingClientRect().height, items: items.length, off};
}"""


def one_row_height(page: Page) -> float:
    """The bar's height when it holds only the brand and the tools of a visitor."""
    page.goto("/companies")
    return page.evaluate(NAVBAR_ROWS)["height"]


def assert_one_row(page: Page, row_height: float, where: str) -> None:
    # After a redirect the DOM can be there before its style sheets: measure once loaded.
    page.wait_for_load_state("load")
    measured = page.evaluate(NAVBAR_ROWS)
    assert measured["items"] >= 3, f"{where}: the bar has lost its items"
    assert not measured["off"], f"{where}: items off the brand's row: {measured['off']}"
    assert measured["height"] == row_height, (
        f"{where}: the bar is {measured['height']} px tall, one row is {row_height} px"
    )


@pytest.mark.parametrize("who", PERSONAS)
def test_navbar_is_one_row_at_1280_in_english_and_chinese(page: Page, request, who):
    def header_screenshot(page: Page, language: str) -> None:
        box = page.locator("header").bounding_box()
        clip = {"x": 0, "y": 0, "width": box["width"], "height": box["height"]}
        page.screenshot(path=screenshot_path(request.node.name, language), clip=clip)

    row_height = one_row_height(page)
    PERSONAS[who].sign_in(page)
    assert_one_row(page, row_height, f"{who} in English")
    header_screenshot(page, "en")
    choose_language(page, "zh_Hant")
    try:
        assert_one_row(page, row_height, f"{who} in Chinese")
        header_screenshot(page, "zh")
    finally:  # the choice is kept on the account: give the other tests their English back
        choose_language(page, "en")


def test_account_menu_opens_with_the_keyboard_and_signs_out(page: Page):
    sign_in_as(page, "student")
    nav = page.locator("nav.tf-navbar")
    expect(nav.get_by_role("link", name="Dashboard", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    account = nav.get_by_role("button", name="Account")
    account.focus()
    page.keyboard.press("Enter")
    expect(account).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(nav.get_by_role("link", name="Account security")).to_be_focused()
    page.keyboard.press("ArrowDown")
    sign_out = nav.get_by_role("button", name="Sign out", exact=True)
    expect(sign_out).to_be_focused()
    page.keyboard.press("Escape")
    expect(account).to_have_attribute("aria-expanded", "false")
    account.click()
    sign_out.click()
    expect(page.locator(".tf-flashes .alert", has_text="You have signed out")).to_be_visible()


# --- phones: no sideways scrolling, touch targets of 24 x 24 -----------------------------

# Measured once per page: the page's width, the controls smaller than 24 x 24 that no
# exception covers, and the page's own links (where the walk goes next).
MEASURE_PAGE = """(minimum) => {
  const selector = 'a, button, input[type=checkbox], input[type=radio], select, summary';
  const visible = el => {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;  // not shown, or visually hidden
    // inside a closed <details>, or a control drawn by its label (.btn-check)
    if (!el.checkVisibility({visibilityProperty: true})) return false;
    return getComputedStyle(el).pointerEvents !== 'none';
  };
  const targets = [...document.querySelectorAll(selector)].filter(visible)
    .filter(el => !el.parentElement.closest(selector));  // a control's own parts are the control
  // WCAG 2.5.8's inline exception: a link in a sentence (its parent has other text).
  const inline = el => {
    const parent = el.parentElement;
    if (el.tagName !== 'A' || !['P', 'LI', 'TD', 'DD'].includes(parent.tagName)) return false;
    return parent.textContent.replace(el.textContent, '').trim().length > 0;
  };
  const boxes = targets.map(el => el.getBoundingClientRect());
  const small = boxes.map(r => r.width < minimum - 0.5 || r.height < minimum - 0.5);
  const centre = r => [r.left + r.width / 2, r.top + r.height / 2];
  const distanceToBox = ([x, y], r) => Math.hypot(
    Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
  // ... and its spacing exception: a 24 px circle on the target's centre meets no other
  // target, nor the circle of another small target.
  const spaced = i => boxes.every((other, j) => {
    if (i === j) return true;
    const c = centre(boxes[i]);
    if (small[j]) {
      const d = centre(other);
      return Math.hypot(c[0] - d[0], c[1] - d[1]) >= minimum;
    }
    return distanceToBox(c, other) >= minimum / 2;
  });
  const describe = (el, r) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 40);
    const cls = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    const size = `${Math.round(r.width)}x${Math.round(r.height)}`;
    return `<${el.tagName.toLowerCase()}${cls}> "${text}" ${size}`;
  };
  const tooSmall = targets
    .map((el, i) => ({el, i}))
    .filter(({el, i}) => small[i] && !inline(el) && !spaced(i))
    .map(({el, i}) => describe(el, boxes[i]));
  const links = [...document.querySelectorAll('a[href]')]
    .filter(a => a.origin === location.origin)
    .map(a => a.pathname + a.search);
  return {tooSmall, links};
}"""


@dataclass(frozen=True)
class Step:
    """A page of the walk: a fixed path, or the first link seen so far that matches `link`
    (and, when `leads_to` is given, whose page links to a page matching it)."""

    name: str
    path: str = ""
    link: str = ""
    leads_to: str = ""


STUDENT_PAGES = [
    Step("dashboard", "/me"),
    Step("find roles", "/postings"),
    Step("a posting", link=r"^/postings/\d+$"),
    Step("my applications", "/me/applications"),
    Step("an application", link=r"^/me/applications/\d+$"),
    Step("profile", "/me/profile"),
    Step("notifications", "/notifications"),
    Step("account", "/account/security"),
]
COMPANY_PAGES = [
    Step("workspace", link=r"^/company/[\w-]+$"),
    Step("postings", link=r"^/company/[\w-]+/postings$"),
    Step(
        "a pipeline",
        link=r"^/company/[\w-]+/postings/\d+/pipeline$",
        leads_to=r"^/pipeline/applications/\d+$",
    ),
    Step("an applicant", link=r"^/pipeline/applications/\d+$"),
    Step("members", link=r"^/company/[\w-]+/members$"),
    Step("talent pool", link=r"^/company/[\w-]+/talent-pool$"),
    Step("edit company", link=r"^/company/[\w-]+/edit$"),
]
DEAN_PAGES = [
    Step("faculty home", link=r"^/faculty/\d+$"),
    Step("students", link=r"^/faculty/\d+/students$"),
    Step("a student", link=r"^/students/\d+$"),
    Step("placements dashboard", "/reports/placements"),
    Step("a drill-down list", link=r"^/reports/placements/list\?"),
]
COORDINATOR_PAGES = [
    Step("university home", link=r"^/university/\d+$"),
    Step("staff", link=r"^/universities/\w+/staff$"),
]
PARK_ADMIN_PAGES = [
    Step("admin home", "/admin"),
    Step("companies", "/admin/companies"),
    Step("postings queue", "/admin/postings"),
    Step("universities", "/admin/universities"),
    Step("audit log", "/admin/audit"),
]
WALKS = {
    "student": ("student-and-company-admin", STUDENT_PAGES),
    "company-admin": ("company-admin", COMPANY_PAGES),
    "dean": ("dean", DEAN_PAGES),
    "coordinator": ("coordinator", COORDINATOR_PAGES),
    "park-admin": ("park-admin", PARK_ADMIN_PAGES),
}


def walk(page: Page, steps: list[Step]) -> list[str]:
    """Visit each step (once, unless it must try several links); the problems found."""
    problems: list[str] = []
    page.goto("/")
    seen_links = ["/", *page.evaluate(MEASURE_PAGE, MIN_TARGET)["links"]]
    for step in steps:
        if step.path:
            candidates = [step.path]
        else:
            candidates = list(dict.fromkeys(u for u in seen_links if re.search(step.link, u)))
        assert candidates, f"no link to {step.name} ({step.link}) on the pages before it"
        for path in candidates:
            response = page.goto(path)
            assert response.status == 200, f"{step.name} ({path}) answered {response.status}"
            measured = page.evaluate(MEASURE_PAGE, MIN_TARGET)
            if not step.leads_to or any(re.search(step.leads_to, u) for u in measured["links"]):
                break
        else:
            raise AssertionError(f"no {step.name} links to {step.leads_to}: {candidates}")
        seen_links += measured["links"]
        if (overflow := horizontal_overflow(page)) > 0:
            problems.append(f"{step.name} ({path}) is {overflow} px wider than the phone")
        problems += [f"{step.name} ({path}): {t} is under 24x24" for t in measured["tooSmall"]]
    return problems


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("walk_name", WALKS)
def test_phone_pages_fit_and_their_targets_are_24_px(phone_page: Page, walk_name, language):
    who, steps = WALKS[walk_name]
    PERSONAS[who].sign_in(phone_page)
    if language == "en":
        problems = walk(phone_page, steps)
    else:
        choose_language(phone_page, "zh_Hant")
        try:
            problems = walk(phone_page, steps)
        finally:  # the choice is kept on the account: give the other tests their English back
            phone_page.goto("/")
            choose_language(phone_page, "en")
    assert not problems, "\n".join(problems)


LONG_ADDRESS = "recruitment.coordinator.greater-bay-area@talent-acquisition.sensetime.example.hk"


def test_members_page_with_a_long_address_fits_a_phone_in_both_languages(
    phone_page: Page, screenshot
):
    page = phone_page
    PERSONAS["company-admin"].sign_in(page)
    workspace = page.locator('nav.tf-navbar a[href^="/company/"]').first.get_attribute("href")
    page.goto(f"{workspace}/members")
    page.get_by_label("E-mail address").fill(LONG_ADDRESS)
    page.get_by_role("button", name="Send invitation").click()
    invitation = page.locator("li.list-group-item", has_text=LONG_ADDRESS)
    expect(invitation).to_be_visible()
    try:
        assert horizontal_overflow(page) <= 0
        screenshot(page, "en")
        choose_language(page, "zh_Hant")
        assert horizontal_overflow(page) <= 0
        screenshot(page, "zh")
        page.goto(workspace)  # the workspace lists the team beside their roles too
        assert horizontal_overflow(page) <= 0
    finally:  # leave the demo data and the account's language as they were
        page.goto("/")
        if page.locator("html").get_attribute("lang").startswith("zh"):
            choose_language(page, "en")
        page.goto(f"{workspace}/members")
        invitation.get_by_role("button", name="Withdraw").click()
        page.get_by_role("button", name="Withdraw the invitation").click()
        expect(invitation).to_have_count(0)
