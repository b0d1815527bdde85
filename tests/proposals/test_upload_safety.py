"""Hostile uploads are refused with a reason, through the form and the API, and nothing of them is stored:
zip bombs and macros in Office files, scripts and launch actions in PDFs, one document too many; long names keep
their extension."""

import functools
import io
import struct
import time
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fpdf import FPDF
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from audit.models import AuditEntry
from proposals.attachments import inspect_upload
from proposals.models import Attachment
from proposals.services import attachment_add
from tests.factories import PDF_BYTES, ProposalFactory

pytestmark = pytest.mark.django_db

GIB = 1024**3
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCUMENT = (
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Concept note</w:t></w:r></w:p></w:body></w:document>"
)
BOMB_MESSAGE = (
    "“{name}” would expand to {size} when opened (the limit is 200.0\xa0MB, and no part may grow more than 100 "
    "times). It looks like a “zip bomb”; it was not stored."
)
MACRO_MESSAGE = (
    "“{name}” contains macros, which the portal does not accept. Save it as a plain .docx or .xlsx file "
    "(without macros) and upload it again."
)
PDF_ACTIVE_MESSAGE = (
    "“{name}” contains scripts, embedded files or actions that start programs ({found}), which the portal does "
    "not accept. Print it to a new PDF (or export it without them) and upload it again."
)


# --- building hostile files in memory -------------------------------------------------------------------------


def _deflated_zeros(size: int) -> tuple[bytes, int]:
    """Raw deflate data for `size` zero bytes, and its CRC, without compressing `size` bytes: after a full
    flush deflate forgets its history, so one compressed 16 MiB block can be repeated."""
    block = 16 * 1024 * 1024
    assert size % block == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = compressor.compress(bytes(block)) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc, zeros = 0, bytes(block)
    for _ in range(size // block):
        crc = zlib.crc32(zeros, crc)
    return piece * (size // block) + compressor.flush(), crc


@functools.cache
def _zip_with_bomb(member: str, size: int) -> bytes:
    """A DOCX whose `member` inflates to `size` zero bytes. The big member is written by hand (zipfile would
    have to compress all of it); zipfile then appends the real parts and rewrites the directory."""
    data, crc = _deflated_zeros(size)
    name = member.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0) + name
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0, 0, 0, 0, 0, 0
    ) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    buffer = io.BytesIO(local + data + central + end)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", DOCUMENT)
    return buffer.getvalue()


def _docx(extra: dict[str, bytes | str] | None = None, content_types: str = CONTENT_TYPES) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", DOCUMENT)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _xlsm(*, with_vba_part: bool = True, macro_content_type: bool = True) -> bytes:
    """An openpyxl workbook turned into what Excel saves as .xlsm: a vbaProject.bin part and its content types."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["Item", "KRW"])
    plain = io.BytesIO()
    workbook.save(plain)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "[Content_Types].xml" and macro_content_type:
                content = content.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                                       b"</Types>")
            archive.writestr(item, content)
        if with_vba_part:
            archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    return buffer.getvalue()


def _pdf(catalog_extra: bytes = b"", objects: bytes = b"") -> bytes:
    return (
        b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R" + catalog_extra + b">>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" + objects + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _pdf_with_object_stream(hidden: bytes, *, fake_stream_before: bool = False) -> bytes:
    """A PDF 1.5 file whose action dictionary sits inside a compressed object stream, as modern writers do."""
    body = b"3 0 " + hidden
    compressed = zlib.compress(body)
    decoy = b"4 0 obj(upstream\n)endobj\n" if fake_stream_before else b""
    objstm = (
        b"5 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length " + str(len(compressed)).encode() + b">>stream\n"
        + compressed + b"\nendstream endobj\n"
    )
    return _pdf(b"/OpenAction 3 0 R", decoy + objstm)


def _fpdf_document() -> bytes:
    """A real PDF from a real writer (compressed page content, an embedded font, an image)."""
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="Feasibility study for the JavaScript-free city data platform /JS /Launch")
    png = io.BytesIO()
    from PIL import Image

    Image.frombytes("RGB", (64, 64), bytes(range(256)) * 48).save(png, format="PNG")
    document.image(png, x=10, y=30, w=40)
    return bytes(document.output())


def _refusal(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        inspect_upload(SimpleUploadedFile(name, content))
    return refused.value


# --- Office files -----------------------------------------------------------------------------------------------


def test_docx_zip_bomb_of_2_gib_refused_from_its_directory_alone():
    content = _zip_with_bomb("word/media/image1.bin", 2 * GIB)
    assert len(content) < 3 * 1024 * 1024  # a 2 MB file ...
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sum(i.file_size for i in archive.infolist()) > 2 * GIB  # ... that says it opens to 2 GiB

    started = time.monotonic()
    refused = _refusal("concept.docx", content)

    assert time.monotonic() - started < 2  # nothing was inflated
    assert (refused.code, refused.messages) == (
        "zip_bomb", [BOMB_MESSAGE.format(name="concept.docx", size="2.0\xa0GB")]
    )


def test_docx_with_one_part_inflating_far_past_the_ratio_refused_even_under_the_total(settings):
    content = _zip_with_bomb("word/media/image1.bin", 32 * 1024 * 1024)  # 32 MiB from ~32 KB: 1000x

    refused = _refusal("small-bomb.docx", content)

    assert refused.code == "zip_bomb"


def test_docx_declaring_more_than_the_total_limit_refused(settings):
    settings.ATTACHMENT_OFFICE_MAX_UNCOMPRESSED_BYTES = 1000
    content = _docx({"word/media/picture.bin": bytes(range(256)) * 8})  # 2 KB that does not compress

    refused = _refusal("big.docx", content)

    assert refused.code == "zip_bomb"
    assert "(the limit is 1000\xa0bytes," in refused.messages[0]


def test_docx_with_a_huge_directory_refused_before_it_is_read():
    # 6,000 empty parts: the end record says so, and that is all that is read.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", DOCUMENT)
        for n in range(6000):
            archive.writestr(f"word/media/{n}.bin", b"")

    refused = _refusal("many.docx", buffer.getvalue())

    assert (refused.code, refused.messages) == (
        "zip_bomb", ["“many.docx” has 6002 parts inside; a document may have at most 5000."]
    )


def test_zip_whose_end_record_understates_a_huge_directory_refused_quickly():
    # 100,000 directory entries (4.6 MB) behind an end record that claims one: refused by the directory's size.
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x21, 0, 0, 0, 0, 0)
    entry = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0x21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    directory = entry * 100_000
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), len(local), 0)

    started = time.monotonic()
    refused = _refusal("many.docx", local + directory + end)

    assert time.monotonic() - started < 2
    assert (refused.code, refused.messages) == (
        "zip_bomb", ["“many.docx” has 100000 parts inside; a document may have at most 5000."]
    )


def test_real_docx_and_xlsx_still_accepted():
    workbook = openpyxl.Workbook()
    for row in range(2000):  # a large, repetitive sheet compresses well but far below the ratio limit
        workbook.active.append(["Feasibility study", 300_000_000, row])
    xlsx = io.BytesIO()
    workbook.save(xlsx)

    assert inspect_upload(SimpleUploadedFile("budget.xlsx", xlsx.getvalue())).content_type == XLSX
    assert inspect_upload(SimpleUploadedFile("concept.docx", _docx())).content_type == DOCX


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("budget.xlsm", lambda: _xlsm()),
        ("budget.xlsx", lambda: _xlsm(macro_content_type=False)),  # the macro part alone, under a plain name
        ("budget.xlsx", lambda: _xlsm(with_vba_part=False)),  # a macro-enabled workbook type alone
        ("letter.docx", lambda: _docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(100)})),
        ("letter.docx", lambda: _docx(content_types=CONTENT_TYPES.replace(
            "wordprocessingml.document.main+xml", "wordprocessingml.document.main+xml\"/><Override "
            "PartName=\"/xl/macrosheets/sheet1.xml\" ContentType=\"application/vnd.ms-excel.macrosheet+xml"))),
    ],
    ids=["xlsm", "vba-part-only", "macro-type-only", "docx-vba", "excel4-macro-sheet"],
)
def test_office_file_with_macros_refused(name, make):
    refused = _refusal(name, make())

    assert (refused.code, refused.messages) == ("macros", [MACRO_MESSAGE.format(name=name)])


@pytest.mark.parametrize(
    "content_types",
    ["not xml at all <", '<!DOCTYPE Types [<!ENTITY a "b">]><Types>&a;</Types>', "<Relationships/>"],
    ids=["not-xml", "entities", "wrong-root"],
)
def test_office_file_whose_content_types_are_not_a_package_refused(content_types):
    refused = _refusal("plan.docx", _docx(content_types=content_types))

    assert (refused.code, refused.messages) == ("package", [
        "“plan.docx” is not a valid Word or Excel file (its package is damaged). Save it again and upload it."
    ])


# --- PDFs ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (_pdf(b"/OpenAction<</S/JavaScript/JS(app.alert\\(1\\))>>"), "/JS, /JavaScript"),
        (_pdf(b"/OpenAction 3 0 R", b"3 0 obj<</S/Launch/F(cmd.exe)>>endobj\n"), "/Launch"),
        (_pdf(b"/Names<</JavaScript 3 0 R>>", b"3 0 obj<</Names[(a) 4 0 R]>>endobj\n"), "/JavaScript"),
        (_pdf(b"/Names<</EmbeddedFiles 3 0 R>>"), "/EmbeddedFiles"),
        (_pdf(b"/OpenAction<</S/J#61vaScript/J#53(x)>>"), "/JS, /JavaScript"),  # hex escapes in names
        (_pdf(b"/AA<</O<</JS(app.alert\\(1\\))>>>>"), "/JS"),  # a page action given as /JS alone
        (_pdf_with_object_stream(b"<</S/JavaScript/JS(app.alert\\(1\\))>>"), "/JS, /JavaScript"),
        (_pdf_with_object_stream(b"<</JS(x)>>", fake_stream_before=True), "/JS"),
    ],
    ids=["open-action-js", "launch", "document-js", "embedded-file", "hex-escaped", "page-action-js",
         "in-object-stream", "object-stream-behind-a-fake-stream"],
)
def test_pdf_with_scripts_or_launch_actions_refused(content, found):
    refused = _refusal("letter.pdf", content)

    assert (refused.code, refused.messages) == ("pdf_active", [PDF_ACTIVE_MESSAGE.format(name="letter.pdf",
                                                                                        found=found)])


def test_pdf_whose_object_stream_cannot_be_inflated_refused():
    garbage = b"\x78\x9c" + bytes(range(7, 250))
    content = _pdf(b"", b"5 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode>>stream\n" + garbage
                   + b"\nendstream endobj\n")

    refused = _refusal("sealed.pdf", content)

    assert refused.code == "pdf_unreadable"


def test_pdf_with_a_string_that_never_ends_refused():
    refused = _refusal("cut.pdf", _pdf(b"/Title(Plan", b"3 0 obj<</S/JavaScript>>endobj\n"))

    assert (refused.code, refused.messages) == ("pdf_unreadable", [
        "“cut.pdf” could not be checked (it is encrypted, damaged or too complex). Save it again without a "
        "password (for example with “Print to PDF”) and upload it."
    ])


def test_pdf_comment_or_string_spelling_stream_does_not_hide_an_action():
    hidden = b"3 0 obj<</S/JavaScript/JS(x)>>endobj\n"
    for decoy in (b"4 0 obj(>>stream\n)endobj\n", b"%>> stream\n\n"):
        refused = _refusal("letter.pdf", _pdf(b"/OpenAction 3 0 R", decoy + hidden + b"5 0 obj(endstream)endobj\n"))
        assert refused.code == "pdf_active"


def test_binary_stream_body_skipped_by_its_length():
    # Image bytes that happen to spell "/JS" are not a name: the body is skipped by its (indirect) /Length.
    body = b"\x89/JS /Launch\x00" * 10
    content = _pdf(b"", b"3 0 obj<</Subtype/Image/Length 4 0 R>>stream\n" + body + b"\nendstream endobj\n"
                   b"4 0 obj " + str(len(body)).encode() + b" endobj\n")

    assert inspect_upload(SimpleUploadedFile("scan.pdf", content)).content_type == "application/pdf"


def test_plain_and_real_world_pdfs_still_accepted():
    # "/JS" and "/Launch" in visible text and in the title are strings, not names.
    for content in (
        PDF_BYTES, _fpdf_document(), _pdf_with_object_stream(b"<</Type/Annot/Subtype/Link>>"),
        _pdf(b"/Title(Design/Launch phase \\(see /JS\\) \\\\)", b"3 0 obj(nested (/JavaScript) text)endobj\n"),
    ):
        assert inspect_upload(SimpleUploadedFile("letter.pdf", content)).content_type == "application/pdf"


# --- names and counts ------------------------------------------------------------------------------------------


def test_long_file_name_shortened_keeps_its_extension():
    checked = inspect_upload(SimpleUploadedFile("Feasibility study " * 20 + ".pdf", PDF_BYTES))

    assert len(checked.name) == 200
    assert checked.name == ("Feasibility study " * 20)[:196] + ".pdf"


def test_default_attachment_limit_is_30(settings):
    assert settings.ATTACHMENT_MAX_PER_PROPOSAL == 30


def test_one_attachment_past_the_limit_refused(settings):
    settings.ATTACHMENT_MAX_PER_PROPOSAL = 2
    proposal = ProposalFactory()
    for n in range(2):
        attachment_add(proposal=proposal, by=proposal.owner, kind="other",
                       upload=SimpleUploadedFile(f"{n}.pdf", PDF_BYTES))

    with pytest.raises(ValidationError) as refused:
        attachment_add(proposal=proposal, by=proposal.owner, kind="other",
                       upload=SimpleUploadedFile("3.pdf", PDF_BYTES))

    assert (refused.value.code, refused.value.messages) == ("too_many", [
        "This proposal already has 2 documents, the most it can have. Remove one you no longer need before adding "
        "another."
    ])
    assert proposal.attachments.count() == 2


# --- through the form and the API: a message on the field / a 400, nothing stored --------------------------------


HOSTILE = [
    ("bomb.docx", lambda: _zip_with_bomb("word/media/image1.bin", 2 * GIB), "would expand to 2.0\xa0GB"),
    ("budget.xlsm", _xlsm, "contains macros"),
    ("letter.pdf", lambda: _pdf(b"/OpenAction<</S/JavaScript/JS(app.alert\\(1\\))>>"), "contains scripts"),
]


def _nothing_stored(settings, proposal):
    assert proposal.attachments.count() == 0
    assert not AuditEntry.objects.filter(action="attachment.add").exists()
    assert not (Path(settings.MEDIA_ROOT) / "attachments").exists()


@pytest.mark.parametrize(("name", "make", "says"), HOSTILE, ids=["zip-bomb", "macros", "pdf-js"])
def test_documents_form_refuses_hostile_file_on_the_field(client, settings, name, make, says):
    proposal = ProposalFactory()
    client.force_login(proposal.owner)

    response = client.post(reverse("proposals:edit", args=[proposal.pk, "documents"]),
                           {"kind": "other", "file": SimpleUploadedFile(name, make())})

    assert response.status_code == 400
    [error] = response.context["form"].errors["file"]
    assert error.startswith(f"“{name}” ") and says in error
    _nothing_stored(settings, proposal)


@pytest.mark.parametrize(("name", "make", "says"), HOSTILE, ids=["zip-bomb", "macros", "pdf-js"])
def test_api_refuses_hostile_file_with_400(settings, name, make, says):
    proposal = ProposalFactory()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=proposal.owner).key}")

    response = api.post(f"/api/v1/proposals/{proposal.pk}/attachments/",
                        {"kind": "other", "file": SimpleUploadedFile(name, make())}, format="multipart")

    assert response.status_code == 400
    [error] = response.json()["detail"]
    assert error.startswith(f"“{name}” ") and says in error
    _nothing_stored(settings, proposal)


def test_form_and_api_refuse_one_document_past_the_limit(client, settings):
    settings.ATTACHMENT_MAX_PER_PROPOSAL = 1
    proposal = ProposalFactory()
    attachment_add(proposal=proposal, by=proposal.owner, kind="other", upload=SimpleUploadedFile("1.pdf", PDF_BYTES))
    client.force_login(proposal.owner)
    api = APIClient()
    api.force_authenticate(proposal.owner)
    message = ("This proposal already has 1 document, the most it can have. Remove one you no longer need before "
               "adding another.")

    form = client.post(reverse("proposals:edit", args=[proposal.pk, "documents"]),
                       {"kind": "other", "file": SimpleUploadedFile("2.pdf", PDF_BYTES)})
    answer = api.post(f"/api/v1/proposals/{proposal.pk}/attachments/",
                      {"kind": "other", "file": SimpleUploadedFile("2.pdf", PDF_BYTES)}, format="multipart")

    assert (form.status_code, form.context["form"].errors["file"]) == (400, [message])
    assert (answer.status_code, answer.json()) == (400, {"detail": [message]})
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["1.pdf"]


def test_refusals_are_in_the_persons_language():
    from django.utils import translation

    with translation.override("ko"):
        macros = _refusal("budget.xlsm", _xlsm())
        script = _refusal("letter.pdf", _pdf(b"/OpenAction<</S/Launch/F(cmd.exe)>>"))

    assert macros.messages == [
        "“budget.xlsm” 파일에 매크로가 들어 있어 포털에서 받을 수 없습니다. "
        "매크로 없이 일반 .docx 또는 .xlsx 파일로 저장한 뒤 다시 업로드해 주십시오."
    ]
    assert script.messages[0].startswith(
        "“letter.pdf” 파일에 스크립트, 포함된 파일 또는 프로그램을 실행하는 동작(/Launch)"
    )


def test_documents_step_says_how_many_documents_a_proposal_may_have(client, settings):
    settings.ATTACHMENT_MAX_PER_PROPOSAL = 12
    proposal = ProposalFactory()
    client.force_login(proposal.owner)

    page = client.get(reverse("proposals:edit", args=[proposal.pk, "documents"])).content.decode()

    assert "Accepted: PDF, DOCX, XLSX, PNG, JPEG. At most 12 documents per proposal." in page
