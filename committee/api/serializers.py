"""The committee API's serializers: what goes in and out of `/api/v1/committee/...`."""

from rest_framework import serializers

from committee.models import (
    AgendaItem,
    Assignment,
    CommitteeMember,
    ConflictDeclaration,
    Decision,
    DecisionRule,
    Meeting,
    Outcome,
    Review,
    Score,
    Vote,
    VoteChoice,
)
from committee.selectors import default_rule, rule_for
from core.dates import BoundedDateTimeField
from proposals.models import Attachment, Proposal


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = CommitteeMember
        fields = ["id", "name", "kind", "affiliation", "is_co_chair", "term_start", "term_end", "expertise",
                  "country", "is_active"]
        read_only_fields = fields


class AgendaItemSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="proposal.reference", read_only=True)
    title = serializers.CharField(source="proposal.title", read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "proposal", "order", "reference", "title"]
        read_only_fields = ["id", "order", "reference", "title"]


class DecisionRuleSerializer(serializers.ModelSerializer):
    description = serializers.CharField(source="describe", read_only=True)

    class Meta:
        model = DecisionRule
        fields = ["id", "name", "basis", "threshold_votes", "quorum_fraction", "require_co_chair", "is_default",
                  "description"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    video_link = serializers.URLField(required=False, allow_blank=True)
    starts_at = BoundedDateTimeField()
    rule = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "programme", "cycle", "title", "starts_at", "place", "video_link", "status",
                  "decision_rule", "voting_mode", "rule", "opened_at", "closed_at", "agenda"]
        read_only_fields = ["id", "status", "rule", "opened_at", "closed_at", "agenda"]

    def get_rule(self, meeting) -> str:
        """The rule the meeting decides by, in words (its own or the default: looked up once per response, so a
        list of meetings costs no query per row)."""
        if meeting.decision_rule_id is None and not hasattr(meeting, "_decision_rule"):
            if "default_rule" not in self.context:
                self.context["default_rule"] = default_rule()
            meeting._decision_rule = self.context["default_rule"]
        return rule_for(meeting).describe()


class AttendanceSerializer(serializers.Serializer):
    present = serializers.PrimaryKeyRelatedField(queryset=CommitteeMember.objects.all(), many=True)


class AssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assignment
        fields = ["id", "member", "proposal", "assigned_at"]
        read_only_fields = ["id", "assigned_at"]


class DeclarationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConflictDeclaration
        fields = ["id", "member", "proposal", "has_conflict", "reason", "declared_at"]
        read_only_fields = ["id", "member", "declared_at"]


class ScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Score
        fields = ["criterion", "value", "comment"]


class ReviewSerializer(serializers.ModelSerializer):
    scores = ScoreSerializer(many=True)

    class Meta:
        model = Review
        fields = ["id", "proposal", "comment", "scores", "weighted_total", "submitted_at"]
        read_only_fields = ["id", "weighted_total", "submitted_at"]
        # One review per member and proposal: a second POST updates it, so no unique-together check here.
        validators = []


class VoteSerializer(serializers.ModelSerializer):
    choice = serializers.ChoiceField(choices=VoteChoice.choices)

    class Meta:
        model = Vote
        fields = ["id", "agenda_item", "choice", "cast_at"]
        read_only_fields = ["id", "cast_at"]
        validators = []


class DecisionSerializer(serializers.ModelSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)

    class Meta:
        model = Decision
        fields = ["id", "meeting", "proposal", "outcome", "support_amount_krw", "conditions", "reasons",
                  "votes_for", "votes_against", "votes_abstain", "members_present", "quorum_required",
                  "co_chair_present", "recused", "votes_needed", "rule_text", "voting_mode", "recorded_at"]
        read_only_fields = ["id", "members_present", "quorum_required", "co_chair_present", "recused", "votes_needed",
                            "rule_text", "voting_mode", "recorded_at"]
        # The counts are the staff's count in the room (an in-room meeting needs them; an online meeting refuses
        # them and takes the members' own votes): the service says which, with the same words as the page.
        extra_kwargs = {"votes_for": {"required": False, "default": None},
                        "votes_against": {"required": False, "default": None},
                        "votes_abstain": {"required": False, "default": None}}
        validators = []


class AttachmentLinkSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "kind", "original_name", "url"]


class CommitteeFileSerializer(serializers.ModelSerializer):
    """A proposal as the committee reads it (members: only after declaring no conflict)."""

    attachments = AttachmentLinkSerializer(many=True, read_only=True)
    track = serializers.CharField(source="track.name")
    organisation = serializers.CharField(source="organisation.name")
    support_cap_krw = serializers.IntegerField(source="track.support_cap_krw")

    class Meta:
        model = Proposal
        fields = ["id", "reference", "title", "status", "track", "organisation", "country", "region_city",
                  "population", "city_context", "problem_statement", "solution_categories", "proposed_solutions",
                  "objectives", "expected_outcomes", "duration_months", "requested_support_krw", "support_cap_krw",
                  "co_financing_krw", "national_plan_fit", "partner_organisations", "attachments"]
        read_only_fields = fields


class SpreadRowSerializer(serializers.Serializer):
    criterion = serializers.CharField(source="criterion.name")
    minimum = serializers.IntegerField()
    median = serializers.DecimalField(max_digits=4, decimal_places=2)
    maximum = serializers.IntegerField()
    count = serializers.IntegerField()


class SpreadSerializer(serializers.Serializer):
    reviews = serializers.IntegerField()
    criteria = SpreadRowSerializer(many=True)
    total_min = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    total_median = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    total_max = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)


