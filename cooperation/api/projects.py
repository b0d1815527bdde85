"""/api/v1/cooperation/: projects."""


def register(router) -> None:
    """Add this concept's viewsets to the API router."""
