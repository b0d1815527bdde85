"""Cooperation pages: projects."""

urlpatterns: list = []
