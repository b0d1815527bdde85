"""core.admin_rows writes a change list's rows as Django's items_for_result does, byte for byte, core.admin_filters
its filters as Django's admin_list_filter does, and the portal's admin site builds the sidebar's app list only where
a page shows it."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import admin_list_filter, results
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core import admin_filters, admin_rows
from core.admin_site import PortalAdminSite
from proposals.models import Proposal
from tests.factories import CooperationCentreFactory, StaffFactory, TrackFactory
from tests.proposals.staff_helpers import proposal_in, submitted_proposal

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:proposals_proposal_changelist")


def _django_rows(cl) -> list[str]:
    return ["".join(str(item) for item in row) for row in results(cl)]


def _our_rows(cl) -> list[str]:
    return ["".join(str(item) for item in row) for row in admin_rows.rows(cl)]


def _changelist(client, path, language="en"):
    """The page's ChangeList, with the language and the viewer's time zone it was rendered in active again."""
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.context["cl"], response.wsgi_request.user


@pytest.fixture
def root(client):
    user = StaffFactory(is_superuser=True, language="")
    client.force_login(user)
    return user


@pytest.fixture
def proposals(root):
    """Rows that take each path of a cell: a centre and none, a reference and none, overdue and not, a date
    due and none, a choice label, a country and none."""
    centre = CooperationCentreFactory(name="Centre <&> \"quoted\"")
    track = TrackFactory(name="Track & <b>bold</b>")
    one = submitted_proposal(track=track)
    Proposal.objects.filter(pk=one.pk).update(
        cooperation_centre=centre, due_at=timezone.now() - datetime.timedelta(days=2),
        status_changed_at=timezone.now() - datetime.timedelta(days=1234), title="A <title> & more",
    )
    two = proposal_in("screening", staff=root, track=track)
    Proposal.objects.filter(pk=two.pk).update(cooperation_centre=None, due_at=None, country="", reference=None)
    return [one, two]


@pytest.mark.parametrize("language", ["en", "ko", "ar"])
@pytest.mark.parametrize("query", ["", "?status__exact=screening", "?o=-6.2&q=a", "?country=ID&o=3"])
def test_proposal_rows_are_djangos_markup(client, root, proposals, language, query):
    cl, user = _changelist(client, CHANGELIST + query, language)

    with translation.override(language), timezone.override(user.time_zone):
        ours, django = _our_rows(cl), _django_rows(cl)

    assert admin_rows._columns(cl) is not None  # built here, not left to Django
    assert ours == django
    assert len(ours) == len(cl.result_list) == (2 if query in ("", "?o=-6.2&q=a") else 1)


@pytest.mark.parametrize("language", ["en", "ko", "ar"])
@pytest.mark.parametrize("query", ["", "?o=-6.2&q=a", "?o=3", "?o=2.-4.5", "?q=nothing-matches"])
def test_proposal_table_is_djangos_template(client, root, proposals, language, query):
    cl, user = _changelist(client, CHANGELIST + query, language)

    with translation.override(language), timezone.override(user.time_zone):
        ours = admin_rows.results_table(cl)
        django = render_to_string("admin/change_list_results.html", admin_rows.result_list(cl))

    assert ours == django
    assert ('id="result_list"' in ours) == (query != "?q=nothing-matches")


def test_proposal_list_writes_the_table_itself(client, root, proposals):
    """The page's table is results_table's, where the template found is Django's own file."""
    response = client.get(CHANGELIST)
    cl = response.context["cl"]

    with translation.override("en"), timezone.override(root.time_zone or "UTC"):
        assert str(admin_rows.results_table(cl)) in response.content.decode()
    assert "admin/change_list_results.html" not in [t.name for t in response.templates]


@pytest.mark.parametrize("language", ["en", "ko", "ar"])
@pytest.mark.parametrize("query", ["", "?status__exact=screening&mine=yes", "?_facets=True&country=ID", "?q=a%26b"])
def test_proposal_filters_are_djangos_markup(client, root, proposals, language, query):
    cl, user = _changelist(client, CHANGELIST + query, language)

    with translation.override(language), timezone.override(user.time_zone):
        for spec in cl.filter_specs:
            assert spec.template == admin_filters.DJANGO_FILTER_TEMPLATE
            assert admin_filters.list_filter(cl, spec) == admin_list_filter(cl, spec), spec.title
    assert len(cl.filter_specs) >= 7  # the filters with more than one choice here


def test_proposal_list_shows_the_filters_it_builds(client, root, proposals):
    html = client.get(CHANGELIST + "?country=ID").content.decode()

    assert '<li class="selected">\n    <a href="?country=ID">Indonesia</a></li>' in html
    assert 'data-filter-title="cycle"' in html


def test_filter_with_a_template_of_its_own_is_left_to_django(client, root, proposals):
    cl, _user = _changelist(client, CHANGELIST)
    spec = cl.filter_specs[0]
    spec.template = "admin/filter.html#own"  # not Django's name: rendered by Django's tag, which loads it
    called = []
    original = admin_filters.admin_list_filter
    admin_filters.admin_list_filter = lambda cl, spec: called.append(spec) or "django's"
    try:
        assert admin_filters.list_filter(cl, spec) == "django's"
    finally:
        admin_filters.admin_list_filter = original
    assert called == [spec]


def test_every_admin_list_has_djangos_rows(client, root, proposals):
    """The builder is generic: on every registered list it writes Django's rows or leaves them to Django."""
    checked = 0
    for model, model_admin in admin.site._registry.items():
        path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(path)
        if response.status_code != 200 or "cl" not in (response.context or {}):
            continue
        cl = response.context["cl"]
        with translation.override("en"), timezone.override(root.time_zone or "UTC"):
            assert _our_rows(cl) == _django_rows(cl), model_admin
        checked += 1
    assert checked > 10


def test_popup_list_is_left_to_django(client, root, proposals):
    cl, user = _changelist(client, CHANGELIST + "?_popup=1")

    assert cl.is_popup
    with timezone.override(user.time_zone):
        assert _our_rows(cl) == _django_rows(cl)


def test_app_list_is_built_only_where_a_page_shows_it(rf, root):
    site = PortalAdminSite()
    request = rf.get("/admin/")
    request.user = root
    calls = []
    site.get_app_list = lambda request, app_label=None: calls.append(app_label) or []

    context = site.each_context(request)

    assert calls == []
    assert list(context["available_apps"]) == []
    assert calls == [None]


def test_sidebar_still_lists_the_apps(client, root):
    html = client.get(reverse("admin:proposals_track_changelist")).content.decode()

    assert 'id="nav-sidebar"' in html
    assert f'href="{CHANGELIST}"' in html
    assert admin.site.__class__ is PortalAdminSite


def test_proposal_rows_without_the_name_filters_read_track_and_centre_themselves(client, root, proposals, monkeypatch):
    """The rows take the track and centre the filters read; without those filters, the list joins them again."""
    from proposals.admin import ProposalAdmin

    monkeypatch.setattr(ProposalAdmin, "get_list_filter", lambda self, request: ["status"])
    cl, user = _changelist(client, CHANGELIST)

    with translation.override("en"), timezone.override(user.time_zone):
        ours = _our_rows(cl)
        assert ours == _django_rows(cl)
    assert "Track &amp; &lt;b&gt;bold&lt;/b&gt;" in "".join(ours)
    assert "Centre &lt;&amp;&gt; &quot;quoted&quot;" in "".join(ours)


@pytest.mark.parametrize("query", ["", "?status__exact=screening&mine=yes", "?_facets=True&country=ID&o=-6.2",
                                   "?q=a%26b+%C3%A9%3D", "?track__id__exact=1&track__id__exact=2&p=2"])
def test_proposal_list_links_are_djangos_query_strings(client, root, proposals, query):
    """The list's links (core.admin_filters.QuotedOnce) as Django's ChangeList.get_query_string writes them,
    for each change and removal its filters, headers and pages ask."""
    from django.contrib.admin.views.main import ChangeList

    cl, _user = _changelist(client, CHANGELIST + query)
    assert isinstance(cl, admin_filters.QuotedOnce)
    asks = [({}, None), ({"o": "2.-1"}, None), ({"p": 3}, None), ({"status__exact": "screening"}, ["status__"]),
            ({"country": None}, None), ({"q": "x y&z=é"}, ["q", "o"]), ({"track__id__exact": [4, "5"]}, []),
            ({"mine": "yes", "_facets": None}, ["country", "track"]), ({"country": b"K\xc3\xa9"}, None)]
    for new_params, remove in asks * 2:  # the second time from what the first quoted
        assert cl.get_query_string(new_params, remove) == ChangeList.get_query_string(cl, new_params, remove)
