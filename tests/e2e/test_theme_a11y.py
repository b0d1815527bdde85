"""The theme and page structure against the GOV.UK design system's bar, measured in Chromium on real pages over
seed_demo's data:

- contrast that axe cannot see: the navigation links against every stop of the bar's gradient, the focus ring
  against the colours beside it, form-field edges, hovered and focused slot buttons, the home page's hero;
- reflow: every page a person of each role reaches fits 320 CSS px without sideways scrolling and with nothing
  pushed off the screen (wide tables scroll inside their own region), and a few at 200 % zoom;
- the keyboard: the skip link first, then the navigation, then the main content, then the footer, and a visible
  focus indicator on every stop;
- axe-core (no serious or critical finding) on the pages this work touched, in English and Korean, and a
  screenshot of each at 320 px and at desktop width (also copied to /work/wt/shots/reach-theme/ when it exists).
"""

import io
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import loader
from django.test import Client
from django.utils import translation

from accounts.models import User
from committee.models import Meeting
from consulting.models import Consultant
from tests.e2e.site_pages import reachable_pages
from tests.e2e.test_accessibility import _serious_findings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/wt/shots/reach-theme")

# A demo person of every role, and a visitor.
PEOPLE = [
    "applicant.id@example.org", "staff@example.org", "consultant@example.org", "member@example.org",
    "centre@example.org", "contractor@example.org", None,
]
STARTS = [
    "/", "/proposals/", "/proposals/staff/dashboard/", "/proposals/staff/inbox/", "/consulting/",
    "/consulting/consultant/", "/consulting/consultant/availability/", "/committee/", "/cooperation/", "/notices/",
    "/accounts/settings/",
]

# Contrast from computed colours, as WCAG defines it (relative luminance of sRGB); a colour with alpha is laid
# over the colour behind it first.
CONTRAST_JS = """
window.kcityContrast = (() => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (fg, bg) => [0, 1, 2].map(i => fg[i] * fg[3] + bg[i] * (1 - fg[3])).concat([1]);
  const lum = (c) => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  // The background behind an element: the first ancestor with an opaque colour, or the stops of a gradient.
  const backgrounds = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage && s.backgroundImage.includes("gradient")) {
        return s.backgroundImage.match(/rgba?\\([^)]+\\)/g).map(parse);
      }
      const c = parse(s.backgroundColor);
      if (c && c[3] > 0) return [c[3] < 1 ? over(c, [255, 255, 255, 1]) : c];
    }
    return [[255, 255, 255, 1]];
  };
  const text = (el) => { const bgs = backgrounds(el); const fg = parse(getComputedStyle(el).color);
    return Math.min(...bgs.map(bg => ratio(fg[3] < 1 ? over(fg, bg) : fg, bg))); };
  const outline = (el) => { const s = getComputedStyle(el);
    if (s.outlineStyle === "none" || parseFloat(s.outlineWidth) < 2) return 0;
    const ring = parse(s.outlineColor);
    const beside = el.parentElement ? backgrounds(el.parentElement) : [[255, 255, 255, 1]];
    return Math.min(...beside.map(bg => ratio(ring[3] < 1 ? over(ring, bg) : ring, bg))); };
  const border = (el) => { const s = getComputedStyle(el); const edge = parse(s.borderTopColor);
    const inside = parse(s.backgroundColor); const outside = backgrounds(el.parentElement);
    // What tells the field from the page: its edge, or its own fill (a ticked checkbox is filled).
    const fill = inside[3] ? inside : outside[0];
    return Math.min(...outside.map(bg => Math.max(ratio(edge, bg), ratio(fill, bg)))); };
  return {text, outline, border, backgrounds};
})();
"""


@pytest.fixture
def demo_site(settings):
    settings.DEBUG = True  # seed_demo refuses otherwise
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


def _client_for(email: str | None) -> Client:
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def _open_as(browser, live_server, email: str | None, *, width: int, height: int = 900, language: str = "en",
             scale: float = 1):
    # Reduced motion: Bootstrap then drops its colour transitions, so a colour is measured as it ends, not midway.
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale,
                                  locale="en-US" if language == "en" else language, base_url=live_server.url,
                                  reduced_motion="reduce")
    context.set_default_timeout(15_000)
    if email:
        user = User.objects.get(email=email)
        user.language = language
        user.save(update_fields=["language"])
        client = _client_for(email)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                              "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    return context, context.new_page()  # a visitor's language: the browser's (its locale's Accept-Language)


def _measure(page, js: str, *args):
    page.evaluate(CONTRAST_JS + "\n;0")
    return page.evaluate(js, *args)


def test_theme_colours_meet_the_contrast_axe_cannot_measure(browser, live_server, demo_site):
    context, page = _open_as(browser, live_server, "applicant.id@example.org", width=1280)
    consultant = Consultant.objects.first()
    found = {}

    # The navigation bar: every link and the brand against every stop of the gradient, and the focus ring.
    page.goto("/proposals/")
    found["nav links (min)"] = _measure(page, """() => Math.min(...[...document.querySelectorAll(
        '.navbar.bg-kcity .nav-link, .navbar.bg-kcity .navbar-brand')].map(kcityContrast.text))""")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")  # the first navigation link
    found["nav focus ring"] = _measure(page, "() => kcityContrast.outline(document.activeElement)")
    found["nav focus is a nav link"] = page.evaluate("() => !!document.activeElement.closest('.navbar')")
    # A focus ring in the page's content, against the white page.
    page.locator("main a").first.focus()
    found["content focus ring"] = _measure(page, "() => kcityContrast.outline(document.activeElement)")

    # Form-field edges: text fields, selects, checkboxes (the account settings form has all three kinds).
    page.goto("/accounts/settings/")
    found["field borders (min)"] = _measure(page, """() => Math.min(...[...document.querySelectorAll(
        'main .form-control, main .form-select, main .form-check-input')].map(kcityContrast.border))""")

    # Slot buttons at rest, hovered and focused: their text against their own background.
    page.goto(consultant.get_absolute_url())
    slot = page.locator("#slot-picker .slot-button").first
    found["slot at rest"] = _measure(page, "(el) => kcityContrast.text(el)", slot.element_handle())
    slot.hover()
    found["slot hovered"] = _measure(page, "(el) => kcityContrast.text(el)", slot.element_handle())
    page.mouse.move(0, 0)
    slot.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focused from the keyboard, so :focus-visible applies
    found["slot focused"] = _measure(page, "(el) => kcityContrast.text(el)", slot.element_handle())
    found["slot focus ring"] = _measure(page, "(el) => kcityContrast.outline(el)", slot.element_handle())

    # The home page's hero: its text and links on the light blue.
    page.goto("/")
    found["hero text (min)"] = _measure(page, """() => Math.min(...[...document.querySelectorAll(
        '.hero p, .hero h1, .hero a, .hero li')].map(kcityContrast.text))""")
    context.close()

    checks = {
        "nav links (min)": 4.5, "nav focus ring": 3, "content focus ring": 3, "field borders (min)": 3,
        "slot at rest": 4.5, "slot hovered": 4.5, "slot focused": 4.5, "slot focus ring": 3, "hero text (min)": 4.5,
    }
    assert found["nav focus is a nav link"] is True
    assert {name: round(found[name], 2) for name in checks if found[name] < checks[name]} == {}


_OFFSCREEN_JS = """(width) => {
  // Elements pushed beyond the viewport's sides: not the visually-hidden ones (clipped on purpose), not what
  // scrolls inside a region of its own, not what a closed menu or disclosure holds.
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right <= width + 1 && r.left >= -1) continue;
    // Inside a drawing, a shape beyond the drawing's edge is clipped by the SVG itself (the map's Pacific).
    if (el.ownerSVGElement) continue;
    if (el.closest(".visually-hidden, .visually-hidden-focusable, [role=region], .table-scroll, "
                   + ".collapse:not(.show), .dropdown-menu:not(.show), template")) continue;
    const s = getComputedStyle(el);
    if (s.visibility === "hidden" || s.position === "absolute" && s.clip !== "auto") continue;
    let scroller = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ps = getComputedStyle(p);
      if (["auto", "scroll"].includes(ps.overflowX)) { scroller = true; break; }
    }
    if (scroller) continue;
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
    out.push(name + " " + Math.round(r.left) + ".." + Math.round(r.right));
    if (out.length >= 3) break;
  }
  return out;
}"""


def _reflow_problems(page, width: int) -> list[str]:
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    offscreen = page.evaluate(_OFFSCREEN_JS, width)
    return ([f"scrollWidth {scroll_width}"] if scroll_width > width else []) + offscreen


def test_every_page_of_every_role_reflows_at_320_px(browser, live_server, demo_site):
    problems, counts = {}, {}
    for email in PEOPLE:
        paths = list(reachable_pages(_client_for(email), STARTS, limit=45))
        counts[email] = len(paths)
        context, page = _open_as(browser, live_server, email, width=320, height=640)
        for path in paths:
            page.goto(path)
            if found := _reflow_problems(page, 320):
                problems[(email, path)] = found
        context.close()

    assert problems == {}
    assert all(count >= 5 for count in counts.values()), counts  # the crawl found each person's pages


def test_pages_reflow_at_200_percent_zoom(browser, live_server, demo_site):
    # 200 % zoom of a 1280 px window: 640 CSS px at two device pixels each.
    meeting = Meeting.objects.order_by("pk").first()
    pages = {
        "staff@example.org": ["/proposals/staff/dashboard/", meeting.get_absolute_url(), "/stats/"],
        "consultant@example.org": ["/consulting/consultant/availability/"],
        "applicant.id@example.org": ["/proposals/", Consultant.objects.first().get_absolute_url()],
    }
    problems = {}
    for email, paths in pages.items():
        context, page = _open_as(browser, live_server, email, width=640, height=450, scale=2)
        for path in paths:
            page.goto(path)
            if found := _reflow_problems(page, 640):
                problems[(email, path)] = found
        context.close()

    assert problems == {}


def _focus_stop(page) -> dict:
    return page.evaluate("""() => {
      const el = document.activeElement;
      const s = getComputedStyle(el);
      const where = el.closest("main") ? "main" : el.closest("footer") ? "footer" : el.closest("nav.navbar") ? "nav"
        : el.matches('a[href="#main"]') ? "skip" : "other";
      const r = el.getBoundingClientRect();
      return {where, tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || "").trim().slice(0, 30),
              ring: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 || s.boxShadow !== "none",
              inView: r.width > 0 && r.height > 0};
    }""")


ORDER = {"skip": 0, "nav": 1, "main": 2, "footer": 3}


def test_tabbing_goes_skip_link_then_navigation_then_main_with_focus_always_visible(browser, live_server,
                                                                                    demo_site):
    context, page = _open_as(browser, live_server, "staff@example.org", width=1280)
    page.goto("/proposals/staff/dashboard/")

    stops = []
    for _ in range(80):
        page.keyboard.press("Tab")
        stop = _focus_stop(page)
        if stop["tag"] == "body" or (stops and stop == stops[0]):
            break
        stops.append(stop)
    regions = [stop["where"] for stop in stops]

    assert regions[0] == "skip"
    assert "other" not in regions, stops
    assert [ORDER[r] for r in regions] == sorted(ORDER[r] for r in regions), regions  # never back up the page
    assert {"nav", "main", "footer"} <= set(regions)
    assert [s for s in stops if not (s["ring"] and s["inView"])] == []

    # The skip link, once followed, puts the reader at the start of the main content.
    page.goto("/proposals/staff/dashboard/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert _focus_stop(page)["where"] == "main"
    context.close()


def test_the_bell_slots_and_dashboard_chart_name_what_they_show(browser, live_server, demo_site):
    from playwright.sync_api import expect

    from notifications.models import Notice

    applicant = User.objects.get(email="applicant.id@example.org")
    unread = Notice.objects.filter(user=applicant, read_at__isnull=True).count()
    context, page = _open_as(browser, live_server, applicant.email, width=1280)
    page.goto("/proposals/")
    expect(page.locator("#notice-bell")).to_have_accessible_name(
        f"Notices, {unread} unread" if unread else "Notices")

    # A slot's name: the day and date, the time in the viewer's zone, then the consultant's time, in words.
    page.goto(Consultant.objects.first().get_absolute_url())
    first_day = page.locator("#slot-picker .slot-day").first
    day_heading = first_day.get_by_role("heading", level=3).inner_text()
    slot = first_day.locator(".slot-button").first
    local = slot.locator(".slot-local").inner_text()
    expect(slot).to_have_accessible_name(
        re.compile(rf"^{re.escape(day_heading)}, {local} your time, \w+ \d\d:\d\d consultant's time$"))
    # One week at a time, with a way to the next.
    assert page.locator("#week-label").count() == 1 and page.locator("#week-next").count() == 1
    context.close()

    # The staff dashboard's chart: a picture for the eye, its numbers in a table for everyone.
    context, page = _open_as(browser, live_server, "staff@example.org", width=1280)
    page.goto("/proposals/staff/dashboard/")
    assert page.locator("#submissions-chart").get_attribute("aria-hidden") == "true"
    table = page.locator("#submissions-table")
    assert table.locator("caption").count() == 1
    assert table.locator("thead th[scope=col]").count() == 2
    assert table.locator("tbody th[scope=row]").count() == page.locator("#submissions-chart rect").count() > 0
    context.close()


def _shoot(page, shoot, name: str) -> None:
    path = shoot(page, name)
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(path, SHOTS / f"{name}.png")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_touched_pages_have_no_serious_axe_findings(browser, live_server, shoot, demo_site, language):
    meeting = Meeting.objects.order_by("pk").first()
    consultant = Consultant.objects.first()
    pages = [
        ("applicant.id@example.org", "/proposals/", "workspace"),
        (None, "/stats/", "stats"),
        ("consultant@example.org", "/consulting/consultant/availability/", "availability"),
        ("staff@example.org", meeting.get_absolute_url(), "committee-meeting"),
        ("staff@example.org", "/proposals/staff/dashboard/", "staff-dashboard"),
        ("applicant.id@example.org", consultant.get_absolute_url(), "slot-picker"),
        (None, "/", "home"),
        (None, "/no-such-page/", "error-404"),
        ("applicant.id@example.org", "/proposals/staff/dashboard/", "error-403"),
    ]
    findings = {}
    for width in (1280, 320):
        for email, path, name in pages:
            context, page = _open_as(browser, live_server, email, width=width, language=language)
            page.goto(path)
            assert (name, page.locator("html").get_attribute("lang")) == (name, language)
            findings[(name, width)] = _serious_findings(page)
            _shoot(page, shoot, f"{name}-{language}-{width}")
            context.close()
        # The 500 page, rendered as the handler renders it (no request context), shown at the portal's address.
        context, page = _open_as(browser, live_server, None, width=width, language=language)
        page.goto("/help/")
        with translation.override(language):
            page.set_content(loader.get_template("500.html").render({"back_url": ""}))
        assert page.locator("html").get_attribute("lang") == language
        findings[("error-500", width)] = _serious_findings(page)
        _shoot(page, shoot, f"error-500-{language}-{width}")
        context.close()

    assert {key: value for key, value in findings.items() if value} == {}
