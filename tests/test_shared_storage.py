"""Uploads on storage that is not a local folder (S3 in production, kcity/settings.py): upload and download go
through the portal's views with the file's bytes only (open(), chunks), never a filesystem path. Django's
InMemoryStorage stands in for the bucket; like S3 it has no .path."""

from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage, default_storage
from django.db.models.fields.files import FieldFile
from django.test import override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from proposals.models import Attachment
from tests.factories import PDF_BYTES, ProposalFactory
from tests.factories.proposals import pdf_upload

pytestmark = pytest.mark.django_db

IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture
def bucket(settings, tmp_path, monkeypatch):
    """InMemoryStorage as the default storage, MEDIA_ROOT pointing at a folder that must never appear, and a
    stored file's .path refused as S3Storage refuses it (InMemoryStorage would answer one, for its own tree)."""
    settings.MEDIA_ROOT = tmp_path / "must-not-exist"

    def no_path(self):
        raise NotImplementedError("This backend doesn't support absolute paths.")

    monkeypatch.setattr(FieldFile, "path", property(no_path))
    with override_settings(STORAGES=IN_MEMORY):
        storage = Attachment.file.field.storage  # default_storage, rebuilt from the overridden STORAGES
        assert storage is default_storage and isinstance(storage, InMemoryStorage)
        yield storage
    assert not Path(settings.MEDIA_ROOT).exists()


def _bytes_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_upload_and_download_through_the_pages_use_the_shared_storage_not_a_path(client, bucket):
    proposal = ProposalFactory()
    client.force_login(proposal.owner)

    response = client.post(reverse("proposals:edit", args=[proposal.pk, "documents"]),
                           {"kind": "official_letter", "file": pdf_upload("request-letter.pdf")})
    attachment = proposal.attachments.get()
    download = client.get(reverse("proposals:attachment-download", args=[proposal.pk, attachment.pk]))

    assert response.status_code == 302
    assert bucket.exists(attachment.file.name)
    assert download.status_code == 200
    assert _bytes_of(download) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="request-letter.pdf"' in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"


def test_upload_and_download_through_the_api_use_the_shared_storage(bucket):
    proposal = ProposalFactory()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=proposal.owner).key}")

    created = api.post(f"/api/v1/proposals/{proposal.pk}/attachments/",
                       {"kind": "other", "file": pdf_upload("annex.pdf")}, format="multipart")
    download = api.get(f"/api/v1/proposals/{proposal.pk}/attachments/{created.json()['id']}/download/")

    assert created.status_code == 201
    assert bucket.exists(Attachment.objects.get().file.name)
    assert download.status_code == 200
    assert _bytes_of(download) == PDF_BYTES


def test_a_stranger_still_cannot_download_from_the_shared_storage(client, bucket):
    proposal = ProposalFactory()
    client.force_login(proposal.owner)
    client.post(reverse("proposals:edit", args=[proposal.pk, "documents"]),
                {"kind": "official_letter", "file": pdf_upload()})
    attachment = proposal.attachments.get()
    client.force_login(ProposalFactory().owner)

    response = client.get(reverse("proposals:attachment-download", args=[proposal.pk, attachment.pk]))

    assert response.status_code == 404


def test_removing_a_document_deletes_it_from_the_shared_storage(client, bucket, django_capture_on_commit_callbacks):
    proposal = ProposalFactory()
    client.force_login(proposal.owner)
    client.post(reverse("proposals:edit", args=[proposal.pk, "documents"]),
                {"kind": "official_letter", "file": pdf_upload()})
    attachment = proposal.attachments.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("proposals:attachment-delete", args=[proposal.pk, attachment.pk]))

    assert response.status_code == 302
    assert not bucket.exists(attachment.file.name)
