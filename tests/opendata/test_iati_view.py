"""/open-data/iati-activities.xml as a visitor downloads it, the documents it links to, and `manage.py export_iati`."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree

from opendata.iati import document_url
from opendata.iati_schema import validate
from tests.factories import PDF_BYTES
from tests.factories.cooperation import ProjectFactory
from tests.opendata.iati_helpers import activity_of, document, draft_report_document, full_project, released_project

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_iati_view_serves_valid_xml_to_download_with_the_licence(client, settings):
    settings.SITE_URL = "https://kcity.example.org"
    project = full_project()

    response = client.get(reverse("opendata:iati-activities"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kcity-iati-activities-20')
    assert response["Content-Disposition"].endswith('.xml"')
    assert response["Link"] == '<https://www.kogl.or.kr/info/licenseTypeEn.do>; rel="license"'
    data = _body(response)
    root = etree.fromstring(data)
    validate(root)
    assert b"Korea Open Government Licence Type 1" in data.split(b"<iati-activities")[0]  # the comment
    assert activity_of(root, project) is not None
    assert reverse("opendata:iati-activities") == "/open-data/iati-activities.xml"


def test_iati_view_refuses_a_post(client):
    response = client.post(reverse("opendata:iati-activities"))

    assert response.status_code == 405


def test_iati_document_links_download_the_public_file(client, settings):
    settings.SITE_URL = "https://kcity.example.org"
    project = full_project()
    root = etree.fromstring(_body(client.get(reverse("opendata:iati-activities"))))
    urls = activity_of(root, project).xpath("document-link/@url")

    responses = [client.get(url.removeprefix("https://kcity.example.org")) for url in urls]

    assert [r.status_code for r in responses] == [200, 200]
    assert [b"".join(r.streaming_content) for r in responses] == [PDF_BYTES, PDF_BYTES]
    assert responses[0]["Content-Disposition"] == 'attachment; filename="file.pdf"'


def test_iati_document_download_refuses_private_draft_and_unreleased_documents(client):
    public = released_project()
    private = document(public, title="Private", public=False)
    draft = draft_report_document(public, title="Draft photo")
    unreleased = document(ProjectFactory(), title="Public, decision not released", public=True)

    responses = [client.get(document_url(doc, "")) for doc in (private, draft, unreleased)]

    assert [r.status_code for r in responses] == [404, 404, 404]


def test_export_iati_writes_the_same_file_the_page_serves(tmp_path, settings):
    settings.SITE_URL = "https://kcity.example.org"
    project = full_project()
    (tmp_path / "export").mkdir()
    target = tmp_path / "export" / "iati-activities.xml"
    err = io.StringIO()

    call_command("export_iati", "--output", str(target), "--validate", stderr=err)

    root = etree.parse(str(target)).getroot()
    validate(root)
    assert activity_of(root, project).find("document-link").get("url").startswith("https://kcity.example.org/")
    assert f"Wrote {target} (valid IATI 2.03)" in err.getvalue()
    assert [p.name for p in target.parent.iterdir()] == ["iati-activities.xml"]  # no temporary file left behind


def test_export_iati_writes_to_standard_output_with_another_base_url():
    project = released_project()
    document(project, title="Plan", public=True)
    out = io.StringIO()

    call_command("export_iati", "--base-url", "https://mirror.example.org", stdout=out)

    root = etree.fromstring(out.getvalue().encode())
    validate(root)
    assert activity_of(root, project).find("document-link").get("url").startswith("https://mirror.example.org/")


def test_export_iati_refuses_a_bad_base_url_and_a_missing_directory(tmp_path):
    with pytest.raises(CommandError, match="--base-url must start with https:// or http://"):
        call_command("export_iati", "--base-url", "kcity.example.org", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No such directory"):
        call_command("export_iati", "--output", str(tmp_path / "missing" / "file.xml"), stderr=io.StringIO())


def test_export_iati_validate_writes_nothing_when_the_file_is_not_valid(tmp_path):
    ProjectFactory()  # no public project: IATI requires at least one activity
    target = tmp_path / "iati-activities.xml"

    with pytest.raises(CommandError, match=r"not valid IATI 2\.03; nothing was written"):
        call_command("export_iati", "--output", str(target), "--validate", stderr=io.StringIO())

    assert not target.exists()
