"""The cooperation platform's data, one module per concept."""

from cooperation.models.finance import (  # noqa: F401
    ODA_MOVES,
    BudgetRevision,
    OdaFollowUp,
    OdaPartner,
    OdaStage,
    PlannedDisbursement,
    RelatedProject,
    RelationKind,
    Transaction,
    TransactionKind,
)
from cooperation.models.meetings import (  # noqa: F401
    ActionItem,
    ActionStatus,
    AgendaItem,
    CooperationMeeting,
    CooperationMinutes,
    Delegate,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    OutcomeKind,
)
from cooperation.models.projects import (  # noqa: F401
    ActivityStatus,
    DocumentCategory,
    OrganisationRole,
    Participant,
    Project,
    ProjectDocument,
    ProjectEvent,
    ProjectMember,
    ProjectMessage,
    ReportFrequency,
    Side,
)
from cooperation.models.reports import (  # noqa: F401
    ContributionReport,
    IndicatorProgress,
    MilestoneProgress,
    ProgressReport,
    Rating,
    ReportAttachment,
    ReportingPeriod,
    ReportRisk,
    ReportStatus,
    RiskRating,
    RiskState,
)
from cooperation.models.results import Indicator, IndicatorPeriod, Objective  # noqa: F401
from cooperation.models.workplan import (  # noqa: F401
    REVISION_MOVES,
    WORK_MOVES,
    Deliverable,
    DeliverableVersion,
    DueDateRevision,
    Milestone,
    RevisionState,
    WorkStatus,
)
