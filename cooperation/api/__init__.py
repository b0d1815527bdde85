"""/api/v1/cooperation/: the same rules as the pages (cooperation.rules, selectors.projects_visible_to)."""

from cooperation.api import finance, meetings, projects, reports, results, workplan


def register(router) -> None:
    for concept in (projects, workplan, results, reports, meetings, finance):
        concept.register(router)
