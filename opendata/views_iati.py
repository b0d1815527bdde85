"""/open-data/iati-activities.xml: the IATI 2.03 activity file of every public project, streamed as it is built.
Its document links lead to the register's public download (opendata:document)."""

from django.conf import settings
from django.http import StreamingHttpResponse
from django.views.decorators.http import require_safe

from opendata.iati import iati_chunks
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
