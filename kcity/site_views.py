"""The public home page: what the programme is and how to take part (the statistics are opendata.views_stats).

It lives in the composition root because it reads several apps at once (programmes and tracks, the workflow's
steps and service levels, the cooperation centres, the track record); kcity may import every app, none imports it.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.selectors import has_membership
from proposals import track_record
from proposals.cycles import SEOUL, cycle_years_for
from proposals.models import CooperationCentre, Cycle, Programme, ServiceLevel, Track
from proposals.workflow import Status


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    status: str = ""  # the workflow status whose service-level target applies, if any


# From a first draft to the cooperation project, as ARCHITECTURE.md's transition table runs it.
STEPS = (
    Step(_("Draft"), _("Prepare the proposal online with your colleagues. Every step is saved as a draft."),
         Status.DRAFT),
    Step(_("Submission"), _("Send it on any day of the year. You receive a reference and an acknowledgment e-mail."),
         Status.SUBMITTED),
    Step(_("Screening"), _("The secretariat checks eligibility and completeness and may ask you for information."),
         Status.SCREENING),
    Step(_("Pre-consulting"), _("Korean experts and the cooperation centre refine the proposal with you."),
         Status.PRE_CONSULTING),
    Step(_("Committee review"), _("Committee members review and score the proposals of the cycle."),
         Status.COMMITTEE_REVIEW),
    Step(_("Decision"), _("The committee approves or declines; you are told the reasons either way.")),
    Step(_("Cooperation project"), _("Korean contractors deliver the planning, training and consulting with you, "
                                     "and progress is shared through joint committees.")),
)


@dataclass(frozen=True)
class CycleRule:
    year: int
    cutoff: datetime.date

    @property
    def next_year(self) -> int:
        return self.year + 1

    @property
    def cutoff_display(self) -> str:
        # "30 April 2027", "2027년 4월 30일", "30 de abril de 2027": each language's DATE_FORMAT (kcity/formats).
        return date_format(self.cutoff, "DATE_FORMAT")


def _start_url(user) -> str:
    """Where "Start a proposal" leads: sign-up for a visitor, the organisation form, then the proposal form."""
    if not user.is_authenticated:
        return reverse("account_signup")
    if user.role == Role.APPLICANT and not has_membership(user):
        return reverse("accounts:organisation-create")
    try:
        return reverse("proposals:start")
    except NoReverseMatch:
        return reverse("proposals:workspace")


# The home page's middle (tracks, cycle rules, steps, centres) is the same for everyone: kept rendered per language
# and script prefix, for the Korean calendar day it was rendered on (the cycle rule turns at a cut-off). Saving or
# deleting any row it shows forgets it at once and again at commit (kcity.apps); the time limit bounds what
# another process's own memory keeps where there is no Redis, and a render that raced a commit.
CATALOGUE_KEY = "kcity:home-catalogue:v1"
CATALOGUE_SECONDS = 60
CATALOGUE_MODELS = (Programme, Track, Cycle, ServiceLevel, CooperationCentre)


def _catalogue_key(language: str | None) -> str:
    return f"{CATALOGUE_KEY}:{language}:{get_script_prefix()}"


def home_catalogue_drop() -> None:
    """Drop the kept renderings in every language."""
    cache.delete_many([_catalogue_key(code) for code, _name in settings.LANGUAGES])


def home_catalogue_forget(**_kwargs) -> None:
    """The receiver of CATALOGUE_MODELS' saves and deletes: drop now, and again once the change is committed, or a
    page rendered meanwhile from the rows as they were would be kept."""
    home_catalogue_drop()
    transaction.on_commit(home_catalogue_drop)


def _catalogue_context(today: datetime.date) -> dict:
    tracks = Track.objects.filter(is_active=True).order_by("order", "name")
    programmes = sorted(
        Programme.objects.filter(is_active=True).prefetch_related(Prefetch("tracks", queryset=tracks)),
        # K-City Network first; any other programme hosted here (the regulatory sandbox) after it.
        key=lambda p: (p.reference_prefix != track_record.PROGRAMME_PREFIX, p.name),
    )
    cycles = cycle_years_for(programmes=programmes, day=today)  # one query for every programme
    sections = [
        {
            "programme": programme,
            "cycle": CycleRule(*cycles[programme.pk]),
            "tracks": [{"track": t, "cap": track_record.krw_words(t.support_cap_krw)} for t in programme.tracks.all()],
        }
        for programme in programmes
    ]
    targets = {level.status: level for level in ServiceLevel.objects.all()}
    steps = [{"step": step, "target": targets.get(step.status)} for step in STEPS]
    return {
        "sections": sections,
        "steps": steps,
        "centres": CooperationCentre.objects.all(),
        "official_total": track_record.krw_words(track_record.OFFICIAL_TOTAL_KRW),
        "official_projects": sum(y.projects for y in track_record.OFFICIAL_YEARS),
        "official_countries": track_record.OFFICIAL_COUNTRIES,
    }


def home_catalogue() -> str:
    """The home page's middle in the active language, rendered or kept."""
    today = timezone.now().astimezone(SEOUL).date()  # cut-offs are Korean calendar dates
    key = _catalogue_key(get_language())
    kept = cache.get(key)
    if kept is not None and kept[0] == today:
        return mark_safe(kept[1])  # our own template's output, escaped when it was rendered
    html = render_to_string("home_catalogue.html", _catalogue_context(today))
    cache.set(key, (today, str(html)), CATALOGUE_SECONDS)
    return html


def home(request):
    return render(request, "home.html", {"catalogue": home_catalogue(), "start_url": _start_url(request.user)})
