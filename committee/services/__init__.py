"""Committee writes, by concept: one transaction each, with its audit row and its notices.

The modules import each other's concrete names (never this package), so callers outside keep
`from committee.services import ...` and nothing here is imported in a cycle.
"""

from committee.services.assignments import (
    assignment_create,
    assignment_remove,
    assignment_suggest,
    conflict_declare,
    suggested_reviewers_assign,
)
from committee.services.decisions import (
    CHOOSE_A_VOTE,
    QuorumNotMet,
    RuleNotMet,
    decision_record,
    letter_approve,
    letter_update,
    vote_cast,
)
from committee.services.meetings import (
    agenda_item_add,
    agenda_item_remove,
    attendance_record,
    decision_rule_save,
    meeting_close,
    meeting_create,
    meeting_open,
    meeting_opens_on_refusal,
    meeting_update,
)
from committee.services.members import member_save
from committee.services.minutes import minutes_finalise, minutes_generate, minutes_text, minutes_update
from committee.services.reviews import criterion_delete, criterion_save, review_submit, rubric_save, weighted_total

__all__ = [
    "CHOOSE_A_VOTE",
    "QuorumNotMet",
    "RuleNotMet",
    "agenda_item_add",
    "agenda_item_remove",
    "assignment_create",
    "assignment_remove",
    "assignment_suggest",
    "attendance_record",
    "conflict_declare",
    "criterion_delete",
    "criterion_save",
    "decision_record",
    "decision_rule_save",
    "letter_approve",
    "letter_update",
    "meeting_close",
    "meeting_create",
    "meeting_open",
    "meeting_opens_on_refusal",
    "meeting_update",
    "member_save",
    "minutes_finalise",
    "minutes_generate",
    "minutes_text",
    "minutes_update",
    "review_submit",
    "rubric_save",
    "suggested_reviewers_assign",
    "vote_cast",
    "weighted_total",
]
