"""/api/v1/cooperation/: finance."""


def register(router) -> None:
    """Add this concept's viewsets to the API router."""
