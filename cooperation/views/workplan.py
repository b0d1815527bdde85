"""Cooperation pages: workplan."""

urlpatterns: list = []
