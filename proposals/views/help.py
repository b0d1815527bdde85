"""The public applicant help pages (`/help/`): text staff keep in the back office, per language."""

from django.http import Http404
from django.shortcuts import render

from proposals.help_pages import help_index, help_page_shown
from proposals.models import HelpTopic


def help_home(request):
    return render(request, "proposals/help_index.html", {"pages": help_index()})


def help_page(request, topic):
    if topic not in HelpTopic.values:
        raise Http404
    page = help_page_shown(topic)
    if page is None:
        raise Http404
    return render(request, "proposals/help_page.html", {"page": page, "pages": help_index()})
