"""Test data, one module per app (factory_boy factories, and helpers that reach later states through the real
services). `from tests.factories import X` keeps working for every name; new code may import the app module."""

from tests.factories.accounts import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
    applicant,
)
from tests.factories.dates import aware
from tests.factories.proposals import (
    PDF_BYTES,
    PNG_BYTES,
    AttachmentFactory,
    ContactPersonFactory,
    CooperationCentreFactory,
    ProgrammeFactory,
    ProposalFactory,
    TrackFactory,
    complete_proposal,
    pdf_upload,
    proposal_in,
    service_levels,
    submitted_proposal,
)

__all__ = [
    "PASSWORD",
    "PDF_BYTES",
    "PNG_BYTES",
    "AttachmentFactory",
    "ContactPersonFactory",
    "CooperationCentreFactory",
    "MembershipFactory",
    "OrganisationFactory",
    "ProgrammeFactory",
    "ProposalFactory",
    "StaffFactory",
    "TrackFactory",
    "UserFactory",
    "applicant",
    "aware",
    "complete_proposal",
    "pdf_upload",
    "proposal_in",
    "service_levels",
    "submitted_proposal",
]
