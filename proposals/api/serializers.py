"""What the proposals API reads and writes: serializers only validate and present (proposals.services writes)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api import OrganisationSerializer
from accounts.models import User
from accounts.rules import is_staff_member
from core.api import FieldsBuiltOnce, datetime_text
from core.compiled import CompiledRows
from core.filters import ID_MAX
from core.translated import InReadersLanguage
from proposals import triage
from proposals.hooks import facets
from proposals.models import (
    Attachment,
    AttachmentKind,
    ContactPerson,
    CooperationCentre,
    HistoryKind,
    JurisdictionLevel,
    Message,
    Proposal,
    ServiceLevel,
    SolutionCategory,
    StatusChange,
    Track,
)
from proposals.services.drafting import EDITABLE_FIELDS
from proposals.workflow import (
    DECIDED_BY_COMMITTEE,
    NoteVisibility,
    Status,
    moves_for,
    note_visibility_error,
    offers,
    status_label_for,
)

# Each status's next step in the reader's language, else English (as ServiceLevel.next_step reads): a dict, so no
# ORDER BY.
_NEXT_STEPS = CompiledRows(ServiceLevel, lambda: ServiceLevel.objects.order_by().annotate(
    shown=InReadersLanguage("next_step")).values("status", "shown"))


def next_steps() -> dict[str, str]:
    """The applicant-facing next step per status: one query, shared by every row of a list, its SQL compiled once
    per language (its building cost ten times its answer)."""
    return {row["status"]: row["shown"] or "" for row in _NEXT_STEPS()}


# A key no row has; reverse() checks it against the URL's converter like a real id (as core.paging.row_url).
_ANY_KEY = 2147483647
_KIND_LABELS = dict(AttachmentKind.choices)  # get_kind_display's labels (lazy: translated when shown)


def _reader_zone(serializer):
    """The reader's time zone, read once per serializer (the one child of a list serves every row)."""
    zone = serializer.__dict__.get("_zone")
    if zone is None:
        zone = serializer._zone = timezone.get_current_timezone()
    return zone


class ContactSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = ContactPerson
        fields = ["name", "position", "email", "phone"]


class AttachmentSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.get_full_name", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id", "kind", "kind_display", "original_name", "content_type", "size", "sha256", "uploaded_by",
            "uploaded_at", "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, attachment) -> str:
        # Reversed (and made absolute) once per proposal, then each document's id put in: reverse() and
        # build_absolute_uri() cost more than the rest of a row.
        urls = self.__dict__.setdefault("_download_urls", {})
        head_tail = urls.get(attachment.proposal_id)
        if head_tail is None:
            url = reverse(
                "proposal-attachment-download", kwargs={"proposal_pk": attachment.proposal_id, "pk": _ANY_KEY}
            )
            request = self.context.get("request")
            url = request.build_absolute_uri(url) if request else url
            head, _key, tail = url.rpartition(str(_ANY_KEY))
            head_tail = urls[attachment.proposal_id] = (head, tail)
        return f"{head_tail[0]}{int(attachment.pk)}{head_tail[1]}"

    def to_representation(self, attachment):
        # Built by hand, field for field what the fields above answer (they stay declared for the schema).
        return {
            "id": attachment.pk, "kind": attachment.kind,
            "kind_display": str(_KIND_LABELS.get(attachment.kind, attachment.kind)),
            "original_name": attachment.original_name, "content_type": attachment.content_type,
            "size": attachment.size, "sha256": attachment.sha256,
            "uploaded_by": attachment.uploaded_by.get_full_name(),
            "uploaded_at": datetime_text(attachment.uploaded_at, _reader_zone(self)),
            "download_url": self.get_download_url(attachment),
        }


class AttachmentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AttachmentKind.choices, label=_("Document type"))
    # Empty files and every other refusal are judged by services.attachment_add, which says why.
    file = serializers.FileField(label=_("File"), allow_empty_file=True)


class StatusChangeSerializer(serializers.ModelSerializer):
    """One row of selectors.timeline_for: what this caller may read (an unreleased decision, internal notes)."""

    from_status_display = serializers.SerializerMethodField()
    to_status = serializers.ChoiceField(choices=Status.choices, source="shown_to_status", read_only=True)
    to_status_display = serializers.CharField(source="shown_label", read_only=True)
    note = serializers.CharField(source="shown_note", read_only=True)
    note_internal = serializers.BooleanField(
        source="shown_note_internal", read_only=True, help_text=_("Staff only; never sent to applicants.")
    )
    by = serializers.SerializerMethodField()
    from_status = serializers.ChoiceField(choices=Status.choices, allow_blank=True, read_only=True)
    kind = serializers.ChoiceField(
        choices=HistoryKind.choices, read_only=True,
        help_text=_("`deferral`: the committee deferred the proposal to the next cycle (its status stays)."),
    )

    class Meta:
        model = StatusChange
        fields = ["id", "kind", "from_status", "from_status_display", "to_status", "to_status_display", "by", "at",
                  "note", "note_internal"]
        read_only_fields = fields

    def get_by(self, change) -> str:
        return change.by.get_full_name() if change.by_id else ""

    def get_from_status_display(self, change) -> str:
        # The label straight from Status: the model's get_from_status_display hashes every lazily translated
        # choice (a gettext each) on every row. The first row's from_status is blank.
        return status_label_for(change.from_status) if change.from_status else ""

    def to_representation(self, change):
        # Built by hand, field for field what the fields above answer (they stay declared for the schema).
        return {
            "id": change.pk, "kind": change.kind, "from_status": change.from_status,
            "from_status_display": self.get_from_status_display(change), "to_status": change.shown_to_status,
            "to_status_display": str(change.shown_label), "by": self.get_by(change),
            "at": datetime_text(change.at, _reader_zone(self)), "note": str(change.shown_note),
            "note_internal": bool(change.shown_note_internal),
        }


class MessageSerializer(serializers.ModelSerializer):
    # A method, not source="author.get_full_name": DRF inspects a callable source's signature on every row.
    author = serializers.SerializerMethodField()
    from_staff = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "author", "from_staff", "body", "internal", "created_at"]
        read_only_fields = fields

    def get_author(self, message) -> str:
        return message.author.get_full_name()

    def get_from_staff(self, message) -> bool:
        return bool(is_staff_member(message.author))

    def to_representation(self, message):
        # Built by hand, field for field what the fields above answer (they stay declared for the schema), from a
        # message or from a row of the thread's list (a dict of its values with its `author`).
        if isinstance(message, Message):
            message = {"id": message.pk, "author": message.author, "body": message.body,
                       "internal": message.internal, "created_at": message.created_at}
        author = message["author"]
        return {
            "id": message["id"], "author": author.get_full_name(), "from_staff": bool(is_staff_member(author)),
            "body": str(message["body"]), "internal": bool(message["internal"]),
            "created_at": datetime_text(message["created_at"], _reader_zone(self)),
        }


class MessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField(label=_("Message"), max_length=Message._meta.get_field("body").max_length)
    internal = serializers.BooleanField(label=_("Internal note (staff only)"), default=False)


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    step = serializers.CharField()


class ChecklistSerializer(serializers.Serializer):
    ready = serializers.BooleanField()
    problems = ProblemSerializer(many=True)


class SubmitRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    # Only when the checklist is not met; a proposal that is not a draft is refused with `detail` alone.
    problems = ProblemSerializer(many=True, required=False)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    current_version = serializers.IntegerField()


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("Reason"), max_length=5000)


class ResubmitSerializer(serializers.Serializer):
    note = serializers.CharField(label=_("Note to the secretariat"), max_length=10000, required=False, allow_blank=True)


class ChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["field", "contacts", "document_added", "document_removed"])
    label = serializers.CharField()


class ResubmissionPreviewSerializer(serializers.Serializer):
    request = serializers.CharField(help_text=_("The secretariat's last information request."))
    changes = ChangeSerializer(many=True)


class ProposalListSerializer(serializers.ModelSerializer):
    # The status as this caller sees it (selectors.with_viewer_status): an unreleased committee decision is
    # still committee review, "Decision being prepared", for everyone but staff.
    status = serializers.ChoiceField(choices=Status.choices, source="shown_status", read_only=True)
    status_display = serializers.CharField(source="shown_status_label", read_only=True)
    # Annotations of selectors.api_proposal_rows, so a row of the list is one row, not four.
    track_name = serializers.CharField(read_only=True)
    organisation_name = serializers.CharField(read_only=True)
    # The ISO code; a plain string because DRF's ChoiceField hands back the Country object itself when blank.
    country = serializers.CharField(source="country.code", read_only=True, help_text=_("ISO 3166 country code"))
    cycle_year = serializers.IntegerField(read_only=True, allow_null=True)
    next_step = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id", "reference", "title", "status", "status_display", "track", "track_name", "organisation_name",
            "country", "cycle_year", "submitted_at", "updated_at", "due_at", "next_step", "version",
        ]
        read_only_fields = fields

    def to_representation(self, proposal):
        # A row of the list (a dict of selectors.api_proposal_rows) built by hand, field for field what DRF's fields
        # above answer (they stay declared: the schema reads them): DRF's generic walk over 15 fields was half of a
        # 50-row page's cost. The detail serializer adds fields of its own and goes DRF's way, from a proposal.
        if type(self) is not ProposalListSerializer:
            return super().to_representation(proposal)
        row, tz = proposal, _reader_zone(self)
        status = row["viewer_status"]
        return {
            "id": row["id"], "reference": row["reference"], "title": row["title"], "status": status,
            "status_display": self._status_label(status, row["status"], row["decision_released_at"]),
            "track": row["track_id"], "track_name": row["track_name"], "organisation_name": row["organisation_name"],
            "country": row["country"], "cycle_year": row["cycle_year"],
            "submitted_at": datetime_text(row["submitted_at"], tz), "updated_at": datetime_text(row["updated_at"], tz),
            "due_at": datetime_text(row["due_at"], tz), "next_step": self._next_step(status),
            "version": row["version"],
        }

    def get_next_step(self, proposal) -> str:
        return self._next_step(proposal.shown_status)

    def _next_step(self, status: str) -> str:
        steps = self.context.get("next_steps")
        if steps is None:
            steps = self.context["next_steps"] = next_steps()
        return steps.get(status, "")

    def _status_label(self, shown: str, status: str, released) -> str:
        """Proposal.shown_status_label for a row's values, translated once per label for the whole list (the one
        child of a list serves every row)."""
        undisclosed = status in DECIDED_BY_COMMITTEE and released is None  # Proposal.decision_undisclosed
        labels = self.__dict__.setdefault("_labels", {})
        label = labels.get((shown, undisclosed))
        if label is None:
            label = labels[(shown, undisclosed)] = str(status_label_for(shown, undisclosed=undisclosed))
        return label


class ProposalDetailSerializer(FieldsBuiltOnce, ProposalListSerializer):
    # One proposal comes with its related rows (selectors.proposal_list): read the shown values from them.
    track_name = serializers.CharField(source="track.name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    cycle_year = serializers.IntegerField(source="cycle.year", read_only=True, allow_null=True)
    organisation = OrganisationSerializer(read_only=True)
    owner = serializers.CharField(source="owner.get_full_name", read_only=True)
    solution_categories = serializers.ListField(child=serializers.CharField(), read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    can_edit = serializers.SerializerMethodField()
    can_submit = serializers.SerializerMethodField()
    can_withdraw = serializers.SerializerMethodField()
    can_resubmit = serializers.SerializerMethodField()
    # Declared because DRF drops allow_blank from read-only fields, and the schema must admit "" (not given yet).
    jurisdiction_level = serializers.ChoiceField(choices=JurisdictionLevel.choices, allow_blank=True, read_only=True)

    class Meta(ProposalListSerializer.Meta):
        fields = [
            *ProposalListSerializer.Meta.fields, "organisation", "owner",
            *(f for f in EDITABLE_FIELDS if f not in ProposalListSerializer.Meta.fields),
            "created_at", "status_changed_at", "contacts", "attachments", "can_edit", "can_submit", "can_withdraw",
            "can_resubmit",
        ]
        read_only_fields = fields

    def _user(self):
        return self.context["request"].user

    def _moves(self, proposal):
        """What the caller may do now (proposals.workflow.moves_for), once per proposal serialised."""
        moves = self.context.setdefault("moves", {})
        if proposal.pk not in moves:
            moves[proposal.pk] = moves_for(self._user(), proposal)
        return moves[proposal.pk]

    def get_can_edit(self, proposal) -> bool:
        return self._user().has_perm("proposals.change_proposal", proposal)

    def get_can_submit(self, proposal) -> bool:
        return offers(self._moves(proposal), "submit")

    def get_can_withdraw(self, proposal) -> bool:
        return offers(self._moves(proposal), "withdraw")

    def get_can_resubmit(self, proposal) -> bool:
        return offers(self._moves(proposal), "resubmit")


def _open_tracks():
    return Track.objects.filter(is_active=True, programme__is_active=True).select_related("programme")


class ProposalCreateSerializer(serializers.Serializer):
    track = serializers.PrimaryKeyRelatedField(queryset=_open_tracks(), label=_("Track"))
    title = serializers.CharField(label=_("Project title"), max_length=200)


class ProposalUpdateSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """What an applicant may change; `version` is the one they last read (optimistic locking)."""

    version = serializers.IntegerField(
        min_value=1, help_text=_("The version you last read; a newer one on the server means someone else saved.")
    )
    track = serializers.PrimaryKeyRelatedField(queryset=_open_tracks(), label=_("Track"))
    solution_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=SolutionCategory.choices), required=False,
        max_length=len(SolutionCategory.choices),
    )
    contacts = ContactSerializer(many=True, required=False, max_length=20)

    class Meta:
        model = Proposal
        fields = ["version", *EDITABLE_FIELDS, "contacts"]
        extra_kwargs = {"area_km2": {"min_value": 0}}


# --- the staff back office's API ------------------------------------------------------------------------


class StaffProposalSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    country_name = serializers.SerializerMethodField()
    track_name = serializers.CharField(source="track.name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    cycle_year = serializers.IntegerField(source="cycle.year", read_only=True, allow_null=True, default=None)
    cooperation_centre_name = serializers.SerializerMethodField()
    assigned_to_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id", "reference", "title", "status", "status_label", "country", "country_name", "track", "track_name",
            "organisation", "organisation_name", "cycle", "cycle_year", "cooperation_centre",
            "cooperation_centre_name", "assigned_to", "assigned_to_name", "submitted_at", "status_changed_at",
            "due_at", "overdue", "updated_at",
        ]
        read_only_fields = fields

    def get_country_name(self, obj) -> str:
        return str(obj.country.name) if obj.country else ""

    def get_cooperation_centre_name(self, obj) -> str:
        return obj.cooperation_centre.name if obj.cooperation_centre_id else ""

    def get_assigned_to_name(self, obj) -> str:
        return obj.assigned_to.get_full_name() if obj.assigned_to_id else ""

    def get_overdue(self, obj) -> bool:
        return triage.is_overdue(obj)


class StaffProposalFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False, allow_blank=True)
    track = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    country = serializers.CharField(required=False, allow_blank=True, max_length=2)
    cycle = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    cooperation_centre = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    mine = serializers.BooleanField(required=False, default=False)
    search = serializers.CharField(required=False, allow_blank=True, max_length=100)

    def get_fields(self):
        # The other apps' yes/no filters (proposals.hooks.staff_list_facets), e.g. consulting's `has_report`.
        fields = super().get_fields()
        for facet in facets().values():
            fields[facet.name] = serializers.BooleanField(
                required=False, allow_null=True, default=None, help_text=facet.label
            )
        return fields


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)  # StatusChange.note
    note_visibility = serializers.ChoiceField(
        choices=NoteVisibility.choices, required=False, allow_blank=True, default="",
        help_text=_("Who reads the note: `applicant` (their history and e-mail) or `internal` (staff only). "
                    "Required with a note, except for an information request, which always goes to the applicant."),
    )

    def validate(self, attrs):
        problem = note_visibility_error(target=attrs["to"], note=attrs["note"], visibility=attrs["note_visibility"])
        if problem:
            raise serializers.ValidationError({"note_visibility": [problem]})
        return attrs


class AssignSerializer(serializers.Serializer):
    assigned_to = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    cooperation_centre = serializers.PrimaryKeyRelatedField(
        queryset=CooperationCentre.objects.all(), allow_null=True, required=False
    )


class StaffMessageSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.get_full_name", read_only=True)

    class Meta:
        model = Message
        fields = ["id", "author", "author_name", "body", "internal", "created_at"]
        read_only_fields = ["id", "author", "author_name", "created_at"]
