"""The public register's pages: /projects/ (every public project, filtered and paged), /projects/<id>/ (one
project's summary, milestones and public documents, with their downloads) and /open-data/ (what the files hold
and under which licence). Anyone may read them; what is public is opendata.selectors' answer alone."""

from itertools import groupby
from urllib.parse import urlencode

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cooperation.models import OrganisationRole
from core.paging import page_of
from opendata import selectors
from opendata.forms import register_filters
from opendata.licence import LICENCE
from opendata.records import FIELDS


def _url_or_none(name: str) -> str | None:
    """The IATI file's address where the IATI export is installed (it is built beside the register)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def project_register(request):
    choices = selectors.register_choices()
    form, filters, errors = register_filters(request.GET, choices=choices)
    page = page_of(request, selectors.filtered(selectors.public_projects(), filters))
    # The downloads take the filters that were accepted (a refused one would make the file a 400).
    query = urlencode({name: value for name, value in vars(filters).items() if value is not None})
    return render(
        request,
        "opendata/register.html",
        {
            "form": form,
            "errors": errors,
            "page": page,
            "projects": page.object_list,
            "filtered": filters != selectors.RegisterFilters(),
            "download_query": f"?{query}" if query else "",
        },
        status=400 if errors else 200,
    )


def project_page(request, pk: int):
    project = selectors.public_project(pk)
    if project is None:
        raise Http404(_("There is no public project with this number."))
    participants = selectors.public_participants(project)
    roles = [(OrganisationRole(role).label, list(group)) for role, group in groupby(participants, key=lambda p: p.role)]
    return render(
        request,
        "opendata/project.html",
        {
            "project": project,
            "roles": roles,
            "milestones": selectors.public_milestones(project),
            "documents": list(selectors.public_documents(project)),
            "iati_url": _url_or_none("opendata:iati-activities"),
        },
    )


def document_download(request, pk: int, document_pk: int):
    """A public document of a public project; anything else (private, a draft report's, another project's) is a
    404, the same answer as a number that does not exist."""
    project = selectors.public_project(pk)
    document = selectors.public_document(project, document_pk) if project is not None else None
    if document is None:
        raise Http404(_("There is no public document with this number."))
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Staff may take a document back: a cache must ask again before serving it.
    response["Cache-Control"] = "no-cache"
    return response


def open_data(request):
    with translation.override("en"):
        licence_name = str(LICENCE.name)
    return render(
        request,
        "opendata/open_data.html",
        {
            "licence": LICENCE,
            "licence_name_en": licence_name,
            "fields": FIELDS,
            "iati_url": _url_or_none("opendata:iati-activities"),
            "api_url": reverse("open-data-project-list"),
        },
    )
