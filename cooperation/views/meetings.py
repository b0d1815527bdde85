"""Cooperation pages: meetings."""

urlpatterns: list = []
