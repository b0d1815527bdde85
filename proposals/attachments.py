"""Checking an uploaded document by its content, never by its name."""

import hashlib
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# What the portal accepts, keyed by the type found in the file's bytes.
ALLOWED = {
    "application/pdf": ("PDF", ".pdf"),
    "image/png": ("PNG", ".png"),
    "image/jpeg": ("JPEG", ".jpg"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("Word (DOCX)", ".docx"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("Excel (XLSX)", ".xlsx"),
}
ALLOWED_LABEL = "PDF, DOCX, XLSX, PNG, JPEG"


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def _office_type(upload) -> str | None:
    """DOCX and XLSX are ZIP files; look inside for the part that makes them what they are."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def detect_type(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime == "application/zip" or (mime is None and head[:2] == b"PK") or (mime or "").startswith(
        "application/vnd.openxmlformats"
    ):
        return _office_type(upload)
    return mime


def inspect_upload(upload) -> CheckedUpload:
    """Refuse what is empty, too large or not really one of the accepted types; say why."""
    name = (upload.name or "document").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    mime = detect_type(upload)
    if mime not in ALLOWED:
        raise ValidationError(
            _("“%(name)s” is not a %(allowed)s file (its content is not what its name says). Accepted: %(allowed)s.")
            % {"name": name, "allowed": ALLOWED_LABEL},
            code="type",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(name=name, content_type=mime, size=upload.size, sha256=digest.hexdigest())
