"""What the parties exchange on a project: documents (checked by their content, the same inspection as a
proposal's attachments; staff decide which are public) and the shared message thread (the other parties told)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from cooperation.models import DocumentCategory, Project, ProjectDocument, ProjectMessage
from cooperation.rules import require
from cooperation.selectors_project import parties_of
from cooperation.timeline import declare, event_record
from notifications.services import notify
from proposals.attachments import inspect_upload

MESSAGE_MAX_CHARS = ProjectMessage._meta.get_field("body").max_length


def document_add(*, project: Project, by, title: str, upload, category: str = DocumentCategory.GENERAL
                 ) -> ProjectDocument:
    """Keep an uploaded file on the project, after proposals.attachments.inspect_upload found it to be what it
    claims and safe to open (refused with the reason otherwise). Deliverable versions are the work plan's."""
    title = (title or "").strip()
    if category not in DocumentCategory.values:
        raise ValidationError({"category": _("Choose one of the document categories.")})
    checked = inspect_upload(upload)  # ValidationError with the reason
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        require(by, "cooperation.take_part", current)
        document = ProjectDocument(project=current, category=category, title=title or checked.name,
                                   original_name=checked.name, content_type=checked.content_type, size=checked.size,
                                   sha256=checked.sha256, uploaded_by=by)
        document.full_clean(exclude=["file"])
        document.file.save(checked.name, upload, save=False)
        document.save()
        audit_record(actor=by, action="project.document_add", target=current,
                     data={"document": document.pk, "sha256": checked.sha256, "size": checked.size})
        event_record(project=current, by=by, kind="project.document_added", params={"title": document.title})
    return document


def document_publish(*, document: ProjectDocument, public: bool, by) -> ProjectDocument:
    """Staff mark a document for the public register and open data (or take it back)."""
    require(by, "cooperation.manage_project", document.project)
    with transaction.atomic():
        current = ProjectDocument.objects.select_for_update().get(pk=document.pk)
        if current.public != bool(public):
            current.public = bool(public)
            current.save(update_fields=["public"])
            audit_record(actor=by, action="project.document_public", target=current.project,
                         data={"document": current.pk, "public": current.public})
            event_record(project=current.project, by=by,
                         kind="project.document_published" if current.public else "project.document_unpublished",
                         params={"title": current.title})
    return current


def message_post(*, project: Project, by, body: str) -> ProjectMessage:
    """Write in the project's thread; every other party is told (in-app and by e-mail, in their language)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    if len(body) > MESSAGE_MAX_CHARS:
        raise ValidationError({"body": _("A message holds at most %(max)s characters.") % {"max": MESSAGE_MAX_CHARS}})
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        require(by, "cooperation.take_part", current)
        message = ProjectMessage.objects.create(project=current, author=by, body=body)
        audit_record(actor=by, action="project.message", target=current, data={"message": message.pk})
        event_record(project=current, by=by, kind="project.message_posted",
                     params={"name": by.full_name or by.email}, link=f"/cooperation/projects/{current.pk}/messages/")
        others = [user for user in parties_of(current) if user.pk != by.pk]
        notify(event="project_message", recipients=others,
               context={"project": current, "author": by, "message": message},
               url=f"/cooperation/projects/{current.pk}/messages/")
    return message


declare({
    "project.document_added": gettext_lazy("Document added: %(title)s."),
    "project.document_published": gettext_lazy("Document made public: %(title)s."),
    "project.document_unpublished": gettext_lazy("Document no longer public: %(title)s."),
    "project.message_posted": gettext_lazy("%(name)s wrote in the thread."),
})
