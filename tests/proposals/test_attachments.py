"""Attachments are recognised by their bytes, not their names; refusals say why; files land under MEDIA_ROOT."""

import hashlib
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from audit.models import AuditEntry
from proposals.attachments import inspect_upload
from proposals.models import Attachment
from proposals.services import attachment_add
from proposals.workflow import Status
from tests.factories import PDF_BYTES, PNG_BYTES, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFUSED_TYPE = "“{name}” is not a PDF, DOCX, XLSX, PNG, JPEG file (its content is not what its name says). " \
    "Accepted: PDF, DOCX, XLSX, PNG, JPEG."


def _jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Official request letter</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def _xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Item", "KRW"])
    workbook.active.append(["Feasibility study", 300_000_000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ACCEPTED = [
    ("letter.pdf", lambda: PDF_BYTES, "application/pdf"),
    ("site.png", lambda: PNG_BYTES, "image/png"),
    ("photo.jpg", _jpeg_bytes, "image/jpeg"),
    ("concept.docx", _docx_bytes, DOCX),
    ("budget.xlsx", _xlsx_bytes, XLSX),
    # Recognised by content, whatever the name says.
    ("scan", lambda: PDF_BYTES, "application/pdf"),
    ("budget.pdf", _xlsx_bytes, XLSX),
]


@pytest.mark.parametrize(("name", "make", "content_type"), ACCEPTED)
def test_inspect_upload_accepts_real_documents_by_content(name, make, content_type):
    content = make()
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")

    checked = inspect_upload(upload)

    assert (checked.name, checked.content_type, checked.size, checked.sha256) == (
        name, content_type, len(content), hashlib.sha256(content).hexdigest()
    )
    assert upload.tell() == 0  # the caller can still store it from the start


def _zip_without_office_parts() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a Word document")
    return buffer.getvalue()


def _zip_with_content_types_only() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("payload.js", "alert(1)")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("letter.pdf", b"This is only text pretending to be a PDF.\n"),
        ("plan.docx", _zip_without_office_parts()),
        ("plan.docx", _zip_with_content_types_only()),
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200),
        ("page.pdf", b"<!DOCTYPE html><html><body>hello</body></html>"),
        ("broken.xlsx", b"PK\x03\x04 truncated archive"),
    ],
    ids=["text-as-pdf", "zip-as-docx", "zip-with-content-types-as-docx", "exe-as-pdf", "html-as-pdf", "broken-zip"],
)
def test_inspect_upload_refuses_disguised_types(name, content):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")

    with pytest.raises(ValidationError) as refused:
        inspect_upload(upload)

    assert (refused.value.code, refused.value.messages) == ("type", [REFUSED_TYPE.format(name=name)])


def test_inspect_upload_refuses_empty_file():
    with pytest.raises(ValidationError) as refused:
        inspect_upload(SimpleUploadedFile("empty.pdf", b""))

    assert (refused.value.code, refused.value.messages) == ("empty", ["“empty.pdf” is empty."])


def test_inspect_upload_refuses_file_over_the_limit(settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    content = PDF_BYTES[:-6] + b" " * (201 - len(PDF_BYTES)) + b"%%EOF\n"

    with pytest.raises(ValidationError) as refused:
        inspect_upload(SimpleUploadedFile("big.pdf", content))

    assert (refused.value.code, refused.value.messages) == (
        "too_large", ["“big.pdf” is 201\xa0bytes; the limit is 100\xa0bytes."]
    )


def test_inspect_upload_file_exactly_at_the_limit_is_accepted(settings):
    settings.ATTACHMENT_MAX_BYTES = len(PDF_BYTES)

    assert inspect_upload(SimpleUploadedFile("exact.pdf", PDF_BYTES)).size == len(PDF_BYTES)


def test_inspect_upload_default_limit_is_20_megabytes(settings):
    assert settings.ATTACHMENT_MAX_BYTES == 20 * 1024 * 1024


def test_inspect_upload_keeps_only_the_base_name():
    checked = inspect_upload(SimpleUploadedFile("C:\\Users\\siti\\letter.pdf", PDF_BYTES))

    assert checked.name == "letter.pdf"


# --- attachment_add --------------------------------------------------------------------------------------


def test_attachment_add_stores_file_privately_under_a_random_name(settings):
    proposal = ProposalFactory()
    content = _docx_bytes()

    attachment = attachment_add(
        proposal=proposal, by=proposal.owner, kind="concept_note",
        upload=SimpleUploadedFile("Concept note.docx", content),
    )

    stored = Attachment.objects.get()
    assert stored == attachment
    assert (stored.kind, stored.original_name, stored.content_type, stored.size, stored.sha256) == (
        "concept_note", "Concept note.docx", DOCX, len(content), hashlib.sha256(content).hexdigest()
    )
    assert re.fullmatch(rf"attachments/{proposal.pk}/[0-9a-f]{{32}}", stored.file.name)
    on_disk = Path(settings.MEDIA_ROOT) / stored.file.name
    assert on_disk.read_bytes() == content
    assert AuditEntry.objects.get().data == {
        "attachment": stored.pk, "kind": "concept_note", "sha256": stored.sha256, "size": len(content)
    }


def test_attachment_add_same_name_twice_gets_two_different_files():
    proposal = ProposalFactory()

    first = attachment_add(proposal=proposal, by=proposal.owner, kind="other",
                           upload=SimpleUploadedFile("a.png", PNG_BYTES))
    second = attachment_add(proposal=proposal, by=proposal.owner, kind="other",
                            upload=SimpleUploadedFile("a.png", PNG_BYTES))

    assert first.file.name != second.file.name
    assert first.original_name == second.original_name == "a.png"


def test_attachment_add_refused_type_writes_nothing(settings):
    proposal = ProposalFactory()

    with pytest.raises(ValidationError) as refused:
        attachment_add(proposal=proposal, by=proposal.owner, kind="official_letter",
                       upload=SimpleUploadedFile("setup.pdf", b"MZ" + b"\x00" * 300))

    assert refused.value.messages == [REFUSED_TYPE.format(name="setup.pdf")]
    assert (Attachment.objects.count(), AuditEntry.objects.count()) == (0, 0)
    assert not (Path(settings.MEDIA_ROOT) / "attachments").exists()


def test_attachment_add_to_submitted_proposal_refused():
    proposal = ProposalFactory(status=Status.SUBMITTED)

    with pytest.raises(PermissionDenied) as refused:
        attachment_add(
            proposal=proposal, by=proposal.owner, kind="other", upload=SimpleUploadedFile("a.pdf", PDF_BYTES)
        )

    assert str(refused.value) == "You cannot add documents to this proposal now."
    assert Attachment.objects.count() == 0


def test_attachment_add_by_outsider_refused():
    proposal = ProposalFactory()

    with pytest.raises(PermissionDenied):
        attachment_add(proposal=proposal, by=UserFactory(), kind="other", upload=SimpleUploadedFile("a.pdf", PDF_BYTES))

    assert Attachment.objects.count() == 0
