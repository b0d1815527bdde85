"""Cooperation pages: results."""

urlpatterns: list = []
