"""The bare view: what Django itself costs here (middleware, one small query, a JSON answer), the yardstick the
bench divides every page's throughput by."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from proposals.models import Programme


@never_cache
def bare(request):
    programme = Programme.objects.order_by("pk").values("pk", "slug").first()
    return JsonResponse({"ok": True, "programme": programme})
