"""/api/v1/cooperation/: reports."""


def register(router) -> None:
    """Add this concept's viewsets to the API router."""
