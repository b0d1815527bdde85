"""/api/v1/cooperation/: results."""


def register(router) -> None:
    """Add this concept's viewsets to the API router."""
