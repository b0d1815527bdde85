"""Cooperation pages: reports."""

urlpatterns: list = []
