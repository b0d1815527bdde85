"""/api/v1/cooperation/: meetings."""


def register(router) -> None:
    """Add this concept's viewsets to the API router."""
