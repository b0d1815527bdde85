"""The public statistics page with its world map, in English and Korean, at desktop width and at 320 px: no
serious or critical axe-core finding, no sideways scroll of the page (the map scales, the tables scroll in their
own region), and screenshots to look at."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.e2e.test_accessibility import _serious_findings
from tests.opendata.stats_data import stats_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/wt/shots/od-stats")


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("width", [1280, 320])
def test_stats_page_with_the_map_is_accessible(page, live_server, shoot, language, width):
    stats_world()
    page.set_viewport_size({"width": width, "height": 900})
    # A visitor who chose the language in the footer's switcher (the browser itself says en-US).
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])

    page.goto("/stats/")

    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#world-map path.supported").count() == 2
    assert page.locator("#world-map").get_attribute("role") == "img"
    map_box = page.locator("#world-map").bounding_box()
    assert map_box["width"] <= width and map_box["height"] > 0
    findings = _serious_findings(page)
    shoot(page, f"stats-{language}-{width}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"stats-{language}-{width}.png"), full_page=True)
    page.locator("#by-country").scroll_into_view_if_needed()
    page.locator("#by-country").locator("..").screenshot(path=str(SHOTS / f"stats-map-{language}-{width}.png"))

    assert findings == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
