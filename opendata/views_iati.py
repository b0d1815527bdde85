"""/open-data/iati-activities.xml: the IATI 2.03 activity file of every public project, streamed as it is built;
and the public download of a document the file links to."""

from django.conf import settings
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.views.decorators.http import require_safe

from opendata.iati import iati_chunks
from opendata.iati_public import public_documents, public_projects
from opendata.licence import LICENCE, generated_at


@require_safe
def iati_activities(request):
    at = generated_at()
    response = StreamingHttpResponse(
        iati_chunks(base_url=settings.SITE_URL, at=at), content_type="application/xml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="kcity-iati-activities-{at:%Y-%m-%d}.xml"'
    response["Link"] = f'<{LICENCE.url}>; rel="license"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def public_document(request, pk):
    """A public document of a public project (the file's document-link); anything else is not found."""
    document = (
        public_documents()
        .filter(pk=pk, project__in=public_projects().values("pk"))
        .only("id", "project_id", "file", "original_name", "content_type")
        .first()
    )
    if document is None:
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Link"] = f'<{LICENCE.url}>; rel="license"'
    return response
