"""Playwright driving Debian's Chromium against the app on 127.0.0.1 (pytest-django's live
server), with axe-core checking every page and screenshots at phone and desktop sizes."""

import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; our own DB calls stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SMALL_PHONE = {"width": 360, "height": 740}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
# One primary action per page; the others are secondary or destructive.
PRIMARY = (
    "main .button:not(.button-secondary):not(.button-danger):not(.button-danger-solid):visible"
)
# Controls a finger must hit: 24 px everywhere (WCAG 2.5.8), 44 px on the quiz's own controls.
TAP_TARGETS = """() => {
  const small = [];
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width && r.height
    && getComputedStyle(el).visibility !== "hidden"; };
  const check = (selector, least) => document.querySelectorAll(selector).forEach((el) => {
    if (!visible(el)) return;
    const r = el.getBoundingClientRect();
    if (r.width < least || r.height < least) small.push(
      `${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${r.width}x${r.height} < ${least}`);
  });
  check("main button, main .button, main select, main summary, .site-nav a, .site-nav button",
    24);
  check(".nav-question, .ordering-handle, .ordering-step, .flag-toggle label, .choices label, "
    + ".quiz-header summary, #attempt-form .button", 44);
  return small;
}"""
# On a phone (issue 30): 44 px tall for everything a finger taps outside running text.
FINGER_TARGETS = """() => {
  const small = [];
  if (document.querySelector("#site-name")) return small;  // the Django admin, used at a desk
  document.querySelectorAll(".brand, main button, main .button, main select, main summary, "
    + "main table a, main .filter-row a, main .card-actions a, main .button-row a, main nav a, "
    + "main p > a:only-child, main li > a:only-child, .site-nav a, .site-nav button"
  ).forEach((el) => {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === "hidden") return;
    if (el.closest("[hidden], details:not([open]) > :not(summary)")) return;
    const size = `${Math.round(r.width)}x${Math.round(r.height)}`;
    if (r.height < 44 || r.width < 24) small.push(
      `${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${size}`);
  });
  return small;
}"""
SERIOUS = {"serious", "critical"}
# Tables wider than their box with no cue (the faded edge and the shown hint site.js adds).
CUT_TABLES = """() => Array.from(document.querySelectorAll("table")).filter((table) => {
  const box = table.closest(".table-scroll");
  if (!box) return table.getBoundingClientRect().right > document.documentElement.clientWidth;
  return box.scrollWidth - box.clientWidth > 1 && !box.classList.contains("is-wide");
}).map((table) => (table.querySelector("caption, th") || table).textContent.trim().slice(0, 40))"""


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: `make e2e` installs Debian's chromium")
    if not AXE.exists():
        pytest.fail(f"{AXE} not found: `make e2e` runs npm ci")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


class Visit:
    """A person at a browser: every page they reach is checked with axe and photographed."""

    def __init__(self, browser, base_url, name, size=PHONE, **options):
        # bypass_csp: axe is injected by the test; the site itself allows no inline script.
        self.size = size
        # Without JavaScript axe cannot run in the page; the same pages are checked with it on.
        self.runs_axe = options.get("java_script_enabled", True)
        self.context = browser.new_context(
            viewport=size, bypass_csp=True, accept_downloads=True, **options
        )
        self.page = self.context.new_page()
        self.base_url = base_url
        self.name = name
        self.checked = []

    def goto(self, path):
        self.page.goto(self.base_url + path)
        return self.page

    def log_in(self, username, password):
        self.goto("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        self.check(f"after-login-{username}")

    def check(self, label):
        """axe (no serious or critical violation), no sideways scroll on a phone, screenshots."""
        page = self.page
        page.wait_for_load_state("networkidle")
        slug = re.sub(r"[^a-z0-9]+", "-", f"{self.name}-{len(self.checked):02d}-{label}".lower())
        if self.runs_axe:
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => await axe.run(document)")
            bad = [
                {
                    "id": v["id"],
                    "impact": v["impact"],
                    "nodes": [n["target"] for n in v["nodes"]][:3],
                }
                for v in result["violations"]
                if v["impact"] in SERIOUS
            ]
            assert not bad, f"{label} ({page.url}): {json.dumps(bad, indent=1)}"
        page.set_viewport_size(SMALL_PHONE)
        header = page.evaluate(  # the admin has its own header
            "(document.querySelector('.site-header') || {offsetHeight: 0}).offsetHeight"
        )
        assert header <= 120, f"{label} ({page.url}): the header takes {header}px at 360px"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{label} ({page.url}) scrolls sideways by {overflow}px at 360px"
        primaries = page.locator(PRIMARY).all_inner_texts()
        assert len(primaries) <= 1, f"{label} ({page.url}) has several primary actions: {primaries}"
        page.set_viewport_size(PHONE)
        small = page.evaluate(TAP_TARGETS) + page.evaluate(FINGER_TARGETS)
        assert not small, f"{label} ({page.url}) has small tap targets: {small}"
        page.screenshot(path=str(SCREENSHOTS / f"{slug}-phone.png"), full_page=True)
        page.set_viewport_size(DESKTOP)
        if self.runs_axe:  # site.js marks tables cut at this width; without it, nothing can
            page.wait_for_timeout(150)  # the resize handler runs
            cut = page.evaluate(CUT_TABLES)
            assert not cut, f"{label} ({page.url}) cuts tables with no cue at 1280px: {cut}"
        page.screenshot(path=str(SCREENSHOTS / f"{slug}-desktop.png"), full_page=True)
        page.set_viewport_size(self.size)
        self.checked.append(page.url)

    def close(self):
        self.context.close()


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """The live server needs committed rows, so each test empties the tables, including the
    Coach and Trainee groups a data migration made; make them again."""
    from django.apps import apps

    from training.roles import sync_role_groups

    sync_role_groups(apps)


@pytest.fixture
def visit(browser, live_server):
    visits = []

    def open_visit(name, size=PHONE, **options):
        opened = Visit(browser, live_server.url, name, size, **options)
        visits.append(opened)
        return opened

    yield open_visit
    for opened in visits:
        opened.close()
