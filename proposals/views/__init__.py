"""The applicant's pages. Thin: load through selectors, ask rules, call services, show their refusals as messages.

Split by page: the workspace, the multi-step form, submission, the proposal page. proposals.urls names them.
"""

from proposals.views.page import (
    attachment_download,
    detail,
    invitation_accept,
    invite,
    message_create,
    proposal_pdf_download,
    resubmit,
    withdraw,
)
from proposals.views.steps import attachment_delete, autosave, edit, field_display
from proposals.views.submission import receipt, submit
from proposals.views.workspace import proposal_start, workspace

__all__ = [
    "attachment_delete", "attachment_download", "autosave", "detail", "edit", "field_display", "invitation_accept",
    "invite", "message_create", "proposal_pdf_download", "proposal_start", "receipt", "resubmit", "submit", "withdraw",
    "workspace",
]
