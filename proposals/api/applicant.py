"""`/api/v1/proposals/`: the applicant's operations, through the same selectors, rules and services as the pages.

Serializers only validate and present; every write is a call to proposals.services. What a caller may see comes
from selectors.proposals_visible_to, so another organisation's proposal (and its documents, messages and
history) answers 404, exactly like the pages do.
"""

from django import forms
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import User
from accounts.rules import is_staff_member
from core.api import ErrorSerializer, PortalViewSet
from core.errors import Conflict
from core.filters import IdFilter, StrictFilterSet
from proposals import rules, selectors, services
from proposals.api.permissions import ProposalRulePermission
from proposals.api.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    ChecklistSerializer,
    ConflictSerializer,
    MessageCreateSerializer,
    MessageSerializer,
    ProblemSerializer,
    ProposalCreateSerializer,
    ProposalDetailSerializer,
    ProposalListSerializer,
    ProposalUpdateSerializer,
    ResubmissionPreviewSerializer,
    ResubmitSerializer,
    StatusChangeSerializer,
    SubmitRefusedSerializer,
    WithdrawSerializer,
    next_steps,
)
from proposals.attachments import ALLOWED as ALLOWED_UPLOAD_TYPES
from proposals.eligibility import ChecklistIncomplete, eligible_tracks, proposal_checklist, track_refusals
from proposals.models import Attachment, Message, Proposal, StatusChange
from proposals.resubmission import changes_since_info_request, last_info_request
from proposals.services.drafting import known_rows
from proposals.workflow import Status

NOT_FOUND = OpenApiResponse(ErrorSerializer, description=_("Not found, or not visible to you."))
FORBIDDEN = OpenApiResponse(ErrorSerializer, description=_("You may not do this to this proposal now."))
INVALID = OpenApiResponse(OpenApiTypes.OBJECT, description=_("Invalid input: messages per field."))
# A 400 is either a refusal (`detail`, `code`) or invalid input (messages per field): an object either way.
REFUSED_OR_INVALID = OpenApiResponse(
    OpenApiTypes.OBJECT, description=_("Refused (the reason is in `detail`) or invalid input (messages per field).")
)
PROPOSAL_PK = OpenApiParameter("proposal_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("Proposal id"))


# --- filters --------------------------------------------------------------------------------------------


class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class ProposalFilter(StrictFilterSet):
    status = filters.ChoiceFilter(choices=Status.choices, field_name="viewer_status")  # as the caller sees it
    track = IdFilter(field_name="track_id", help_text=_("Track id"))
    cycle = IdFilter(field_name="cycle_id", help_text=_("Selection cycle id"))
    cycle_year = YearFilter(field_name="cycle__year", min_value=2000, max_value=2200,
                            help_text=_("Selection cycle year"))
    cycle_year = extend_schema_field({"type": "integer", "minimum": 2000, "maximum": 2200})(cycle_year)

    class Meta:
        model = Proposal
        fields = ["status", "track", "cycle", "cycle_year"]


# --- views ----------------------------------------------------------------------------------------------


PROPOSAL_NOT_FOUND = _("Proposal not found.")
# What a message's row reads of its author: the name (get_full_name) and whether staff (is_staff_member).
AUTHOR_COLUMNS = (*selectors.PERSON_COLUMNS, "role", "is_superuser", "is_active")


def _unshown_of_person(relation: str) -> list[str]:
    """Every column of the person `relation` names but the name a row shows (selectors.PERSON_COLUMNS)."""
    return [f"{relation}__{field.name}" for field in User._meta.concrete_fields
            if not field.primary_key and field.name not in selectors.PERSON_COLUMNS]


def _with_authors(rows: list[dict]) -> list[dict]:
    """Rows of a thread (ProposalMessageViewSet's values) each with its `author`, a person of the columns read:
    one per person, as a thread has a few authors on many rows. MessageSerializer reads them as a message."""
    authors: dict[int, User] = {}
    for row in rows:
        author = authors.get(row["author_id"])
        if author is None:
            author = authors[row["author_id"]] = User(
                pk=row["author_id"], **{column: row[f"author__{column}"] for column in AUTHOR_COLUMNS}
            )
        row["author"] = author
    return rows


WRITE_ACTIONS = frozenset({"update", "partial_update", "submit", "withdraw", "resubmit"})
DOCUMENT_NOT_FOUND = _("Document not found.")


def _visible_proposal(request, pk) -> Proposal:
    """The proposal if this caller may see it; otherwise 404 (never 403, which would confirm it exists)."""
    proposal = selectors.proposal_list(user=request.user).filter(pk=pk).first()
    if proposal is None:
        raise NotFound(PROPOSAL_NOT_FOUND)
    return proposal


def _visible_proposal_pk(request, pk) -> int:
    """The id of the proposal if this caller may see it, otherwise 404 as _visible_proposal: for the lists under a
    proposal, which need no more of it than its id to filter their rows by (one lookup, not the proposal's row
    with its related ones)."""
    if selectors.visible_proposal(user=request.user, pk=int(pk)) is None:
        raise NotFound(PROPOSAL_NOT_FOUND)
    return int(pk)


class PagedTimeline:
    """selectors.timeline_for one page at a time, for the API's paginator (Django's Paginator takes any sequence
    with count() and slicing): it counts the proposal's history rows when asked, and fetches only the page's rows,
    labelled for this caller (selectors.timeline_labelled)."""

    def __init__(self, *, user, proposal: Proposal):
        self.user, self.proposal = user, proposal

    def count(self) -> int:
        return StatusChange.objects.filter(proposal_id=self.proposal.pk).count()

    def __getitem__(self, window: slice) -> list[StatusChange]:
        rows = list(
            StatusChange.objects.filter(proposal_id=self.proposal.pk).select_related("by").order_by("at", "id")
            # Of who made each move, only the name shown (a whole person costs its time zone's lookup, per row).
            .defer(*_unshown_of_person("by"))[window]
        )
        return selectors.timeline_labelled(user=self.user, proposal=self.proposal, changes=rows)


class NotFoundMessageMixin:
    # Django's own 404 text names the model in English ("No Proposal matches the given query."); say it plainly.
    not_found_message = PROPOSAL_NOT_FOUND

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(self.not_found_message) from exc


@extend_schema_view(
    list=extend_schema(summary=_("Your organisation's proposals")),
    retrieve=extend_schema(
        summary=_("One proposal in full"), responses={200: ProposalDetailSerializer, 404: NOT_FOUND}
    ),
)
class ProposalViewSet(NotFoundMessageMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    """Proposals of your organisation: drafts you edit and submit, and submitted ones you follow to a decision."""

    filterset_class = ProposalFilter
    permission_classes = [IsAuthenticated, ProposalRulePermission]
    # The history asks selectors.visible_proposal (proposals_visible_to's answer), which is what view_proposal
    # allows: asking the rule again would only repeat the lookup.
    rule_object_permissions = {
        "retrieve": "proposals.view_proposal",
        "checklist": "proposals.view_proposal", "changes": "proposals.view_proposal",
        "update": "proposals.change_proposal", "partial_update": "proposals.change_proposal",
        "submit": "proposals.submit_proposal", "withdraw": "proposals.withdraw_proposal",
        "resubmit": "proposals.resubmit_proposal",
    }

    def get_object(self):
        # A write by the proposal's own team (its owner, a collaborator): one lookup by id, then the permission.
        # Anyone else, or a request that filters, goes the whole way (proposals_visible_to: 404 when not visible).
        pk = str(self.kwargs.get("pk", ""))
        if self.action in WRITE_ACTIONS and not self.request.query_params and pk.isdigit():
            proposal = selectors.team_proposal(user=self.request.user, pk=int(pk))
            if proposal is not None:
                self.check_object_permissions(self.request, proposal)
                return proposal
        return super().get_object()

    def get_queryset(self):
        if self.action == "list":
            return selectors.api_proposal_rows(user=self.request.user)
        if self.action in WRITE_ACTIONS:
            # The permission asks who owns the proposal and where it stands: its own row, none of the related ones
            # (the service reads it again under its lock, and the answer is read after the write).
            return selectors.with_viewer_status(selectors.proposals_visible_to(self.request.user), self.request.user)
        qs = selectors.proposal_list(user=self.request.user)
        return qs.prefetch_related(
            "contacts", Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by"))
        )

    def filter_queryset(self, queryset):
        # No filter asked (a page number at most): django-filter would build and validate its form to filter
        # nothing.
        if self.action == "list" and set(self.request.query_params) <= {"page"}:
            # Staff's list, unfiltered: its page and count by compiled SQL (selectors.StaffApiRows).
            return selectors.StaffApiRows(queryset) if selectors.sees_all_api_rows(self.request.user) else queryset
        return super().filter_queryset(queryset)

    def get_serializer_class(self):
        return ProposalListSerializer if self.action == "list" else ProposalDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["next_steps"] = next_steps() if self.action == "list" else None
        return context

    def _detail_response(self, pk, status_code=status.HTTP_200_OK):
        """A write's answer: the proposal in full as it is now. The caller just wrote to it as its owner or
        collaborator, who always see it (proposals_visible_to need not be asked again), and the answer shows only
        the track, organisation, owner and cycle of its related rows."""
        proposal = (
            selectors.with_viewer_status(Proposal.objects.all(), self.request.user)
            .select_related("track", "organisation", "owner", "cycle")
            .prefetch_related(
                "contacts", Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by"))
            )
            .get(pk=pk)
        )
        return Response(ProposalDetailSerializer(proposal, context=self.get_serializer_context()).data,
                        status=status_code)

    def _written_response(self, proposal: Proposal, status_code=status.HTTP_200_OK):
        """A write's answer from the proposal as the service left it (its row as written, with the track,
        organisation, owner and cycle it holds): only the contacts and documents it does not hold are read. As
        _detail_response answers, without reading the row again; when a related row is missing, that way."""
        if not all(Proposal._meta.get_field(name).is_cached(proposal) for name in ("track", "organisation", "owner")) \
                or (proposal.cycle_id is not None and not Proposal._meta.get_field("cycle").is_cached(proposal)):
            return self._detail_response(proposal.pk, status_code)
        known = getattr(proposal, "_prefetched_objects_cache", {})
        prefetch_related_objects([proposal], *(
            lookup for name, lookup in (
                ("contacts", "contacts"),
                ("attachments", Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by"))),
            ) if name not in known
        ))
        # selectors.with_viewer_status's answer for this caller, from the row in hand.
        proposal.__dict__.pop("viewer_status", None)
        staff = selectors.sees_undisclosed_decisions(self.request.user)
        proposal.viewer_status = proposal.status if staff else proposal.shown_status
        return Response(ProposalDetailSerializer(proposal, context=self.get_serializer_context()).data,
                        status=status_code)

    @extend_schema(
        summary=_("Start a proposal"), request=ProposalCreateSerializer,
        description=_("Refused with `code` `ineligible`, the `reasons` and the ids of the `eligible_tracks` when "
                      "your organisation may not use the track (see `GET /api/v1/tracks/`)."),
        responses={201: ProposalDetailSerializer, 400: REFUSED_OR_INVALID, 403: FORBIDDEN},
    )
    def create(self, request):
        serializer = ProposalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        track = serializer.validated_data["track"]
        organisation = request.user.organisation
        refusals = track_refusals(track, organisation=organisation) if organisation is not None else []
        if refusals:  # the service refuses too; here the answer also names the tracks this caller may use
            return Response({
                "detail": str(_("Your organisation cannot apply to this track.")), "code": "ineligible",
                "reasons": [str(p.message) for p in refusals],
                "eligible_tracks": [t.pk for t in eligible_tracks(organisation, exclude=track)],
            }, status=status.HTTP_400_BAD_REQUEST)
        proposal = services.proposal_create(by=request.user, track=track, title=serializer.validated_data["title"])
        known_rows(proposal, "contacts", [])  # just made: nothing is attached to it yet
        known_rows(proposal, "attachments", [])
        return self._written_response(proposal, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Replace a draft's content"), request=ProposalUpdateSerializer,
        responses={200: ProposalDetailSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND,
                   409: ConflictSerializer},
    )
    def update(self, request, pk=None):
        return self._save(request, partial=False)

    @extend_schema(
        summary=_("Change some fields of a draft"), request=ProposalUpdateSerializer,
        responses={200: ProposalDetailSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND,
                   409: ConflictSerializer},
    )
    def partial_update(self, request, pk=None):
        return self._save(request, partial=True)

    def _save(self, request, *, partial):
        proposal = self.get_object()  # ProposalRulePermission: may this person edit it now
        serializer = ProposalUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:  # partial updates skip "required", but the version is never optional
            raise ValidationError({"version": [_("Send the version of the proposal you last read.")]})
        contacts = data.pop("contacts", None)
        try:
            services.proposal_update(
                proposal=proposal, by=request.user, data=data, expected_version=version,
                contacts=None if contacts is None else [dict(c) for c in contacts],
            )
        except Conflict as exc:
            current = Proposal.objects.values_list("version", flat=True).get(pk=proposal.pk)
            return Response(
                {"detail": str(exc.message), "code": exc.code, "current_version": current},
                status=status.HTTP_409_CONFLICT,
            )
        return self._written_response(proposal)

    @extend_schema(
        summary=_("Submit a draft"), request=None,
        responses={200: ProposalDetailSerializer, 400: SubmitRefusedSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        proposal = self.get_object()  # who may (403) before in what state (400), then the checklist
        try:
            services.proposal_submit(proposal=proposal, by=request.user)
        except ChecklistIncomplete as exc:  # judged once, by the service under its locks
            return Response(
                {"detail": str(_("This proposal cannot be submitted yet: see the problems listed.")),
                 "code": "incomplete", "problems": ProblemSerializer(exc.problems, many=True).data},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return self._written_response(proposal)

    @extend_schema(
        summary=_("Withdraw a proposal"), request=WithdrawSerializer,
        responses={200: ProposalDetailSerializer, 400: REFUSED_OR_INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        proposal = self.get_object()  # before the body is read
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.proposal_withdraw(proposal=proposal, by=request.user, reason=serializer.validated_data["reason"])
        return self._detail_response(proposal.pk)

    @extend_schema(
        summary=_("Resubmit after an information request"), request=ResubmitSerializer,
        description=_("Needs an answer: a `note`, or fields or documents changed since the request (see `changes`); "
                      "otherwise 400."),
        responses={200: ProposalDetailSerializer, 400: REFUSED_OR_INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        proposal = self.get_object()  # before the body is read
        serializer = ResubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.proposal_resubmit(
            proposal=proposal, by=request.user, note=serializer.validated_data.get("note", "")
        )
        return self._detail_response(proposal.pk)

    @extend_schema(summary=_("What changed since the last information request (to confirm a resubmission)"),
                   responses={200: ResubmissionPreviewSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def changes(self, request, pk=None):
        proposal = self.get_object()
        info_request = last_info_request(proposal)
        return Response({
            "request": info_request.note if info_request else "",
            "changes": [{"kind": c.kind, "label": c.label} for c in changes_since_info_request(proposal)],
        })

    @extend_schema(summary=_("Timeline of status changes, oldest first, a page at a time"),
                   responses={200: StatusChangeSerializer(many=True), 404: NOT_FOUND})
    @action(detail=True, methods=["get"], filterset_class=None)
    def history(self, request, pk=None):
        # The timeline reads whether a decision is still undisclosed, nothing else of the proposal: its row by id,
        # then who may see it (selectors.visible_proposal), not the whole visibility rule's query.
        if not str(pk).isdigit():
            raise NotFound(PROPOSAL_NOT_FOUND)
        proposal = selectors.visible_proposal(user=request.user, pk=int(pk), fields=("decision_released_at",))
        if proposal is None:
            raise NotFound(PROPOSAL_NOT_FOUND)
        page = self.paginate_queryset(PagedTimeline(user=request.user, proposal=proposal))
        return self.get_paginated_response(StatusChangeSerializer(page, many=True).data)

    @extend_schema(summary=_("What is still missing before submission"),
                   responses={200: ChecklistSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def checklist(self, request, pk=None):
        proposal = self.get_object()
        problems = proposal_checklist(proposal)
        return Response({"ready": not problems, "problems": ProblemSerializer(problems, many=True).data})


@extend_schema(parameters=[PROPOSAL_PK])
@extend_schema_view(
    list=extend_schema(summary=_("Messages with the secretariat"), responses={200: MessageSerializer(many=True),
                                                                            404: NOT_FOUND}),
)
class ProposalMessageViewSet(mixins.ListModelMixin, PortalViewSet):
    """The thread on one proposal, oldest first, a page at a time. Applicants never see the secretariat's internal
    notes."""

    serializer_class = MessageSerializer
    filterset_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        proposal_pk = _visible_proposal_pk(self.request, self.kwargs["proposal_pk"])
        # Values, not messages with their authors (two model instances a row), and of each author only what the row
        # shows (the name, whether staff): see list.
        qs = (
            Message.objects.filter(proposal_id=proposal_pk).order_by("created_at", "id")
            .values("id", "body", "internal", "created_at", "author_id", *(f"author__{c}" for c in AUTHOR_COLUMNS))
        )
        if not is_staff_member(self.request.user):
            qs = qs.filter(internal=False)
        return qs

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(MessageSerializer(_with_authors(page), many=True).data)

    @extend_schema(
        summary=_("Write a message"), request=MessageCreateSerializer,
        responses={201: MessageSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def create(self, request, proposal_pk=None):
        proposal = _visible_proposal(request, proposal_pk)
        serializer = MessageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.message_post(proposal=proposal, by=request.user, **serializer.validated_data)
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[PROPOSAL_PK])
@extend_schema_view(
    list=extend_schema(summary=_("Documents of a proposal"), responses={200: AttachmentSerializer(many=True),
                                                                       404: NOT_FOUND}),
    retrieve=extend_schema(summary=_("One document's details"), responses={200: AttachmentSerializer,
                                                                          404: NOT_FOUND}),
)
class ProposalAttachmentViewSet(NotFoundMessageMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    """Documents of a proposal: PDF, DOCX, XLSX, PNG or JPEG, recognised by content, within the size limit."""

    not_found_message = DOCUMENT_NOT_FOUND
    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser, FormParser]
    filterset_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Attachment.objects.none()
        proposal_pk = _visible_proposal_pk(self.request, self.kwargs["proposal_pk"])
        # By kind as Meta orders them, then to the id: pages never repeat or skip a document.
        qs = (
            Attachment.objects.filter(proposal_id=proposal_pk).select_related("uploaded_by")
            .order_by("kind", "uploaded_at", "id")
        )
        if self.action == "list":  # of the uploader, only the name the row shows (not the time zone, per row)
            qs = qs.defer(*_unshown_of_person("uploaded_by"))
        return qs

    @extend_schema(
        summary=_("Upload a document"), request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, 400: REFUSED_OR_INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def create(self, request, proposal_pk=None):
        # Its own row is all the rule reads (who may edit, where it stands); the service locks it again. Its team
        # is found by id; anyone else is asked proposals_visible_to (404 when not visible).
        proposal = None
        if str(proposal_pk).isdigit():
            proposal = selectors.team_proposal(user=request.user, pk=int(proposal_pk))
        if proposal is None:
            proposal = selectors.proposals_visible_to(request.user).filter(pk=proposal_pk).first()
        if proposal is None:
            raise NotFound(PROPOSAL_NOT_FOUND)
        if not request.user.has_perm("proposals.change_proposal", proposal):  # before the body is read
            raise PermissionDenied(rules.DOCUMENT_ADD_REFUSED)  # the service's words, whatever the reason
        serializer = AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            proposal=proposal, by=request.user, kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
        )
        # As saved, with its uploader (the person asking): nothing to read again.
        return Response(self.get_serializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Remove a document"), responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND})
    def destroy(self, request, proposal_pk=None, pk=None):
        services.attachment_remove(attachment=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Download a document"),
        # Served with the type found in the file's bytes at upload, one of the accepted kinds.
        responses={**{(200, content_type): OpenApiTypes.BINARY for content_type in ALLOWED_UPLOAD_TYPES},
                   404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, proposal_pk=None, pk=None):
        attachment = self.get_object()
        response = FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
