"""Cooperation pages: finance."""

urlpatterns: list = []
