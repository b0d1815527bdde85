"""Keep django.contrib.sites' row true to settings (SITE_NAME, SITE_URL), so nothing that reads it, allauth
included, says "example.com". Run after every migrate: a deploy that changes SITE_URL updates it."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site


def site_sync(**kwargs) -> None:
    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME})
