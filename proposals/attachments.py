"""Checking an uploaded document by its content, never by its name.

The one place every upload is judged (the web form and the API both reach it through services.attachment_add).
Besides "is it really what it claims to be", it refuses documents that would hurt the person who opens them:

- Word/Excel files are ZIP packages. We read only the ZIP's central directory (names and the sizes it declares),
  never inflate the parts, so a 2 MB file claiming 2 GiB costs nothing to refuse: too many parts, too much in
  total, or a part that inflates implausibly (a ratio no real document reaches) is a zip bomb. Macros are
  refused by part name (vbaProject.bin, vbaData.xml) and by declared content type (macroEnabled, macrosheet,
  vbaProject): the one part we do read, [Content_Types].xml, is small and read with a byte cap.
- PDFs are scanned, by a small lexer rather than a full parser, for the names that make a reader act:
  /JavaScript, /JS, /Launch, /EmbeddedFile(s), /RichMedia. The lexer reads the file as a reader does: strings
  are emptied (a title saying "Design/Launch" is text, not a name), comments dropped, and stream bodies skipped
  by their /Length (direct or indirect; "endstream" only as a fallback), so neither visible text nor binary
  image and font data can look like a name, and a "stream" spelt inside a string cannot hide what follows it.
  Names are compared after #xx escapes are decoded (/J#61vaScript is /JavaScript). Compressed object streams
  (/ObjStm, where PDF 1.5+ writers keep most dictionaries) are inflated and read the same way. An object stream
  we cannot decode (encrypted, damaged, an unusual filter), a string that never ends, or object streams that
  inflate past PDF_MAX_INFLATED_BYTES make the file refused rather than waved through: we cannot say it is safe.
"""

import hashlib
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from defusedxml import ElementTree
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# What the portal accepts, keyed by the type found in the file's bytes.
ALLOWED = {
    "application/pdf": ("PDF", ".pdf"),
    "image/png": ("PNG", ".png"),
    "image/jpeg": ("JPEG", ".jpg"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("Word (DOCX)", ".docx"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("Excel (XLSX)", ".xlsx"),
}
ALLOWED_LABEL = "PDF, DOCX, XLSX, PNG, JPEG"
OFFICE_TYPES = {m for m in ALLOWED if m.startswith("application/vnd.openxmlformats")}

NAME_MAX_CHARS = 200  # Attachment.original_name holds 255; leave room for storage suffixes
EXTENSION_MAX_CHARS = 16  # longer than this after the last dot is not an extension worth keeping

# Zip directory limits. Real DOCX/XLSX parts are XML that deflates 5-30x; a large sheet of repeated values
# can reach ~60x. Zero-filled bomb members reach ~1000x. Small parts may compress very well without harm, so the
# ratio is judged only for parts past OFFICE_RATIO_FROM_BYTES.
OFFICE_MAX_PARTS = 5_000
OFFICE_MAX_DIRECTORY_BYTES = 4 * 1024 * 1024  # 5,000 entries with long names fit well within this
OFFICE_MAX_RATIO = 100
OFFICE_RATIO_FROM_BYTES = 1024 * 1024
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
MACRO_PART_NAMES = {"vbaproject.bin", "vbaprojectsignature.bin", "vbaprojectsignatureagile.bin", "vbadata.xml"}
MACRO_TYPE_MARKERS = ("macro", "vba")  # macroEnabled.main+xml, macrosheet+xml, vbaProject, vbaData

# PDF names that make a reader act: run code, open other programs, carry files inside the document.
PDF_ACTIVE_NAMES = {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia"}
PDF_MAX_INFLATED_BYTES = 256 * 1024 * 1024  # what all object streams may inflate to before we give up
_PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# What changes the meaning of the bytes after it: a string, a comment, or the keyword that starts a stream body
# (which follows its dictionary's ">>", perhaps after white space).
_PDF_SYNTAX = re.compile(rb"\(|%|(?<=[>\x00\t\n\x0c\r ])stream(?:\r\n|\n|\r)")
_PDF_IN_STRING = re.compile(rb"\\.|[()]", re.DOTALL)
_PDF_EOL = re.compile(rb"\r\n|\n|\r")
_PDF_LENGTH = re.compile(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R)?")
_PDF_ENDSTREAM = re.compile(rb"\s*endstream")
_PDF_NUMBER_OBJECT = re.compile(rb"(?<!\d)(\d+)\s+(\d+)\s+obj\s*(\d+)\s*endobj")


class _PdfUnreadable(Exception):
    pass


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def short_name(raw: str | None) -> str:
    """The base name only, at most NAME_MAX_CHARS long, keeping its extension when it has to be shortened."""
    name = (raw or "document").rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "document"
    if len(name) <= NAME_MAX_CHARS:
        return name
    suffix = PurePath(name).suffix
    if not suffix or len(suffix) > EXTENSION_MAX_CHARS:
        return name[:NAME_MAX_CHARS]
    return name[: NAME_MAX_CHARS - len(suffix)] + suffix


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


def _not_a_package(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is not a valid Word or Excel file (its package is damaged). Save it again and upload it.")
        % {"name": name},
        code="package",
    )


def _declared_zip_directory(upload) -> tuple[int, int] | None:
    """The number of entries and the directory size a ZIP's end record declares, read from its last bytes (zip64
    too), so a directory of a million entries is refused before zipfile builds an object for each (zipfile reads
    as many as the directory's size holds, whatever the count says). None when there is no end record."""
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(max(0, size - (65_535 + 22)))  # the end record, and a comment of at most 64 KiB
    tail = upload.read()
    upload.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    entries, directory_size = struct.unpack_from("<HI", tail, at + 10)
    locator = at - 20
    if locator >= 0 and tail[locator:locator + 4] == b"PK\x06\x07":
        upload.seek(struct.unpack_from("<Q", tail, locator + 8)[0])
        record = upload.read(56)
        upload.seek(0)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            entries, directory_size = struct.unpack_from("<QQ", record, 32)
    return entries, directory_size


def _too_many_parts(name: str, count: int) -> ValidationError:
    return ValidationError(
        _("“%(name)s” has %(count)s parts inside; a document may have at most %(limit)s.")
        % {"name": name, "count": count, "limit": OFFICE_MAX_PARTS},
        code="zip_bomb",
    )


def _check_office(upload, name: str) -> None:
    """Judge the package from its ZIP directory; read only [Content_Types].xml, with a byte cap."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > OFFICE_MAX_PARTS:
                raise _too_many_parts(name, len(members))
            total = sum(m.file_size for m in members)
            limit = settings.ATTACHMENT_OFFICE_MAX_UNCOMPRESSED_BYTES
            swollen = [
                m for m in members
                if m.file_size > OFFICE_RATIO_FROM_BYTES and m.file_size > OFFICE_MAX_RATIO * max(m.compress_size, 1)
            ]
            if total > limit or swollen:
                raise ValidationError(
                    _(
                        "“%(name)s” would expand to %(size)s when opened (the limit is %(limit)s, and no part may "
                        "grow more than %(ratio)s times). It looks like a “zip bomb”; it was not stored."
                    )
                    % {"name": name, "size": filesizeformat(total), "limit": filesizeformat(limit),
                       "ratio": OFFICE_MAX_RATIO},
                    code="zip_bomb",
                )
            macro_parts = [m.filename for m in members if PurePath(m.filename).name.lower() in MACRO_PART_NAMES]
            types_entry = archive.getinfo("[Content_Types].xml")
            if types_entry.file_size > CONTENT_TYPES_MAX_BYTES:
                raise _not_a_package(name)
            with archive.open(types_entry) as handle:
                types_xml = handle.read(CONTENT_TYPES_MAX_BYTES + 1)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, zlib.error, NotImplementedError) as exc:
        raise _not_a_package(name) from exc
    finally:
        upload.seek(0)
    try:
        root = ElementTree.fromstring(types_xml)
    except Exception as exc:  # defusedxml raises several kinds (ParseError, EntitiesForbidden, DTDForbidden)
        raise _not_a_package(name) from exc
    if not root.tag.endswith("Types"):
        raise _not_a_package(name)
    declared = [(el.get("ContentType") or "").lower() for el in root.iter() if el.get("ContentType")]
    if macro_parts or any(marker in ct for ct in declared for marker in MACRO_TYPE_MARKERS):
        raise ValidationError(
            _("“%(name)s” contains macros, which the portal does not accept. Save it as a plain .docx or .xlsx "
              "file (without macros) and upload it again.") % {"name": name},
            code="macros",
        )


def _pdf_names(data: bytes) -> set[bytes]:
    return {_PDF_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), n) for n in _PDF_NAME.findall(data)}


def _pdf_string_end(data: bytes, pos: int) -> int:
    depth = 1
    for found in _PDF_IN_STRING.finditer(data, pos):
        token = found.group()
        if token == b"(":
            depth += 1
        elif token == b")":
            depth -= 1
            if depth == 0:
                return found.end()
    raise _PdfUnreadable  # a string that never ends: damaged, or made to hide what follows


def _pdf_number_objects(data: bytes) -> dict[tuple[bytes, bytes], int]:
    """Objects that are one number ("12 0 obj 3456 endobj"), found in one pass: where indirect /Lengths point."""
    return {(m.group(1), m.group(2)): int(m.group(3)) for m in _PDF_NUMBER_OBJECT.finditer(data)}


def _pdf_stream_end(data: bytes, start: int, dictionary: bytes, numbers) -> int:
    """Where a stream body ends: by its /Length (direct, or the object it refers to), else at "endstream"."""
    length = _PDF_LENGTH.search(dictionary)
    size = None
    if length and length.group(2) is None:
        size = int(length.group(1))
    elif length:
        size = numbers().get((length.group(1), length.group(2)))
    if size is not None and _PDF_ENDSTREAM.match(data, start + size):
        return start + size
    fallback = data.find(b"endstream", start)
    return len(data) if fallback < 0 else fallback


def _pdf_syntax(data: bytes) -> tuple[bytes, list[tuple[bytes, memoryview]]]:
    """The file as a reader parses it, with strings emptied and comments and stream bodies left out (names in
    visible text or in binary data are not names), and each stream as (its dictionary, its body)."""
    view = memoryview(data)
    kept, streams, pos, since_stream = [], [], 0, 0
    found_numbers: list[dict] = []

    def numbers() -> dict[tuple[bytes, bytes], int]:
        if not found_numbers:
            found_numbers.append(_pdf_number_objects(data))
        return found_numbers[0]

    while (found := _PDF_SYNTAX.search(data, pos)) is not None:
        kept.append(data[pos:found.start()])
        token = found.group()
        if token == b"(":
            pos = _pdf_string_end(data, found.end())
            kept.append(b"()")
        elif token == b"%":
            eol = _PDF_EOL.search(data, found.end())
            pos = eol.end() if eol else len(data)
            kept.append(b" ")
        else:
            recent = b"".join(kept[since_stream:])
            dictionary = recent[recent.rfind(b"obj") + 3:] if b"obj" in recent else recent
            end = _pdf_stream_end(data, found.end(), dictionary, numbers)
            streams.append((dictionary, view[found.end():end]))
            pos = end
            kept.append(b" ")
            since_stream = len(kept)
    kept.append(data[pos:])
    return b"".join(kept), streams


def _check_pdf(upload, name: str) -> None:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    unreadable = ValidationError(
        _("“%(name)s” could not be checked (it is encrypted, damaged or too complex). Save it again without a "
          "password (for example with “Print to PDF”) and upload it.") % {"name": name},
        code="pdf_unreadable",
    )
    try:
        syntax, streams = _pdf_syntax(data)
        names = _pdf_names(syntax)
        budget = PDF_MAX_INFLATED_BYTES
        for dictionary, body in streams:
            keys = _pdf_names(dictionary)
            if not keys & {b"ObjStm", b"First"}:  # /First: readers need it to find objects, /Type they may not
                continue  # page content, images, fonts: they carry no actions
            if b"Filter" not in keys:
                inflated = bytes(body)
            elif keys & {b"FlateDecode", b"Fl"} and b"DecodeParms" not in keys:
                inflater = zlib.decompressobj()
                inflated = inflater.decompress(body, budget)
                if inflater.unconsumed_tail:
                    raise _PdfUnreadable
            else:
                raise _PdfUnreadable  # a filter we do not decode
            budget -= len(inflated)
            if budget <= 0:
                raise _PdfUnreadable
            names |= _pdf_names(_pdf_syntax(inflated)[0])
    except (_PdfUnreadable, zlib.error) as exc:
        raise unreadable from exc
    active = sorted(n.decode("latin-1") for n in names & PDF_ACTIVE_NAMES)
    if active:
        raise ValidationError(
            _("“%(name)s” contains scripts, embedded files or actions that start programs (%(found)s), which the "
              "portal does not accept. Print it to a new PDF (or export it without them) and upload it again.")
            % {"name": name, "found": ", ".join(f"/{n}" for n in active)},
            code="pdf_active",
        )


def check_room_for_another(proposal) -> None:
    """Refuse one attachment past ATTACHMENT_MAX_PER_PROPOSAL. Call with the proposal's row locked."""
    limit = settings.ATTACHMENT_MAX_PER_PROPOSAL
    if proposal.attachments.count() >= limit:
        raise ValidationError(
            ngettext(
                "This proposal already has %(limit)s document, the most it can have. Remove one you no longer "
                "need before adding another.",
                "This proposal already has %(limit)s documents, the most it can have. Remove one you no longer "
                "need before adding another.",
                limit,
            ) % {"limit": limit},
            code="too_many",
        )


def inspect_upload(upload) -> CheckedUpload:
    """Refuse what is empty, too large, not really one of the accepted types, or dangerous to open; say why."""
    name = short_name(upload.name)
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    if upload.read(2) == b"PK":
        declared = _declared_zip_directory(upload)
        if declared is not None and (declared[0] > OFFICE_MAX_PARTS or declared[1] > OFFICE_MAX_DIRECTORY_BYTES):
            # A count that understates its directory is a lie; then say how many the directory could hold
            # (46 bytes: the smallest entry).
            raise _too_many_parts(name, declared[0] if declared[0] > OFFICE_MAX_PARTS else declared[1] // 46)
    upload.seek(0)
    mime = detect_type(upload)
    if mime not in ALLOWED:
        raise ValidationError(
            _("“%(name)s” is not a %(allowed)s file (its content is not what its name says). Accepted: %(allowed)s.")
            % {"name": name, "allowed": ALLOWED_LABEL},
            code="type",
        )
    if mime in OFFICE_TYPES:
        _check_office(upload, name)
    elif mime == "application/pdf":
        _check_pdf(upload, name)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(name=name, content_type=mime, size=upload.size, sha256=digest.hexdigest())
