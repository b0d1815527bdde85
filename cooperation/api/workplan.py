"""/api/v1/cooperation/: workplan."""


def register(router) -> None:
    """Add this concept's viewsets to the API router."""
