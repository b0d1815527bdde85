"""The project's documents, messages and timeline tabs. Files are served only through `document_download`, after
the same visibility check as the page (never a public URL of the storage)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperation import selectors_project as reads
from cooperation.forms_project import DocumentForm, MessageForm
from cooperation.rules import REFUSALS
from cooperation.selectors import project_for
from cooperation.services import document_add, document_publish, message_post
from cooperation.timeline import event_text
from core.errors import DomainError
from core.paging import page_of
from proposals.views.common import add_form_errors


def project_or_404(request, pk):
    """The project if the viewer may see it (`cooperation.see_project`), else 404 (never 403)."""
    project = project_for(request.user, pk)
    if not request.user.has_perm("cooperation.see_project", project):
        raise Http404
    return project


def project_context(request, project, tab: str, **extra) -> dict:
    """What project_base.html needs: the project, the tab, and whether the viewer manages it / takes part."""
    user = request.user
    return {"project": project, "tab": tab,
            "can_manage": user.has_perm("cooperation.manage_project", project),
            "can_take_part": user.has_perm("cooperation.take_part", project), **extra}


@login_required
def documents(request, pk):
    project = project_or_404(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not request.user.has_perm("cooperation.take_part", project):
            raise PermissionDenied(REFUSALS["cooperation.take_part"])
        if form.is_valid():
            try:
                document_add(project=project, by=request.user, title=form.cleaned_data["title"],
                             category=form.cleaned_data["category"], upload=form.cleaned_data["file"])
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, _("The document is on the project."))
                return redirect("cooperation:documents", project.pk)
    page = page_of(request, reads.documents_of(project, user=request.user))
    return render(request, "cooperation/project/documents.html",
                  project_context(request, project, "documents", page=page, documents=page.object_list, form=form),
                  status=400 if form.errors else 200)


@login_required
def document_download(request, pk, document_pk):
    project = project_or_404(request, pk)
    document = reads.document_for(project, document_pk, user=request.user)
    if document is None:
        raise Http404
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name,
                            content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_public(request, pk, document_pk):
    project = project_or_404(request, pk)
    document = reads.document_for(project, document_pk, user=request.user)
    if document is None:
        raise Http404
    try:
        document = document_publish(document=document, public=request.POST.get("public") == "1", by=request.user)
    except (PermissionDenied, DomainError) as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, _("“%(title)s” is public now.") % {"title": document.title} if document.public
                     else _("“%(title)s” is no longer public.") % {"title": document.title})
    return redirect("cooperation:documents", project.pk)


@login_required
def thread(request, pk):
    project = project_or_404(request, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("cooperation.take_part", project):
            raise PermissionDenied(REFUSALS["cooperation.take_part"])
        if form.is_valid():
            try:
                message_post(project=project, by=request.user, body=form.cleaned_data["body"])
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, _("Your message is in the thread; the other parties are told."))
                return redirect(reverse("cooperation:messages", args=[project.pk]))
    page = page_of(request, reads.messages_of(project))
    return render(request, "cooperation/project/messages.html",
                  project_context(request, project, "messages", page=page, thread=page.object_list, form=form),
                  status=400 if form.errors else 200)


@login_required
def timeline(request, pk):
    project = project_or_404(request, pk)
    page = page_of(request, reads.events_of(project))
    lines = [(event, event_text(event)) for event in page.object_list]
    return render(request, "cooperation/project/timeline.html",
                  project_context(request, project, "timeline", page=page, lines=lines))


urlpatterns = [
    path("projects/<int:pk>/documents/", documents, name="documents"),
    path("projects/<int:pk>/documents/<int:document_pk>/", document_download, name="document-download"),
    path("projects/<int:pk>/documents/<int:document_pk>/public/", document_public, name="document-public"),
    path("projects/<int:pk>/messages/", thread, name="messages"),
    path("projects/<int:pk>/timeline/", timeline, name="timeline"),
]
