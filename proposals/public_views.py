from django.shortcuts import render

from proposals.models import CooperationCentre, Programme


def home(request):
    programmes = Programme.objects.filter(is_active=True).prefetch_related("tracks")
    centres = CooperationCentre.objects.all()
    return render(request, "home.html", {"programmes": programmes, "centres": centres})


def stats(request):
    return render(request, "stats.html", {})
