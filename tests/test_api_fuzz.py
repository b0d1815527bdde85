"""Schemathesis against the API's own OpenAPI schema, in process (WSGI): no input may cause a server error.

A demo applicant (token-authenticated) owns, for each operation, a fresh complete draft with a contact, a
document and a staff message. Generated proposal, attachment and track ids, and the optimistic-locking
`version`, are steered to that draft, so requests reach the serializers and services instead of stopping at a
404 or 409; values schemathesis makes deliberately invalid (strings for ids, wrong types, missing fields) are
sent as generated. Each operation gets schema-conforming (positive) and schema-violating (negative) examples.
Every operation in the schema is run, the other apps' too (for them the applicant mostly gets 403 or 404).

Schemathesis' own pytest integration (`@schema.parametrize()`) is not used: loading the schema at import would
make collecting this module depend on the whole URLconf, and its lazy fixture loader does not work with the
installed pytest 9 (it reads `request.node._nodeid`, which pytest 9 no longer has). So the test walks the
operations itself and runs a bounded Hypothesis search on each, with the operation's own strategy.
"""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from werkzeug import Client

from kcity.wsgi import application
from proposals.models import Message, Proposal
from tests.factories import StaffFactory, applicant, complete_proposal, service_levels

EXAMPLES_PER_MODE = {"positive": 25, "negative": 10}
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
APPLICANT_OPERATIONS = {
    "POST /api/v1/auth/token/",
    "GET /api/v1/proposals/",
    "POST /api/v1/proposals/",
    "GET /api/v1/proposals/{id}/",
    "PUT /api/v1/proposals/{id}/",
    "PATCH /api/v1/proposals/{id}/",
    "POST /api/v1/proposals/{id}/submit/",
    "POST /api/v1/proposals/{id}/withdraw/",
    "POST /api/v1/proposals/{id}/resubmit/",
    "GET /api/v1/proposals/{id}/history/",
    "GET /api/v1/proposals/{id}/checklist/",
    "GET /api/v1/proposals/{proposal_pk}/messages/",
    "POST /api/v1/proposals/{proposal_pk}/messages/",
    "GET /api/v1/proposals/{proposal_pk}/attachments/",
    "POST /api/v1/proposals/{proposal_pk}/attachments/",
    "GET /api/v1/proposals/{proposal_pk}/attachments/{id}/",
    "DELETE /api/v1/proposals/{proposal_pk}/attachments/{id}/",
    "GET /api/v1/proposals/{proposal_pk}/attachments/{id}/download/",
}


class BufferedClient(Client):
    """Reads each response whole and closes it, as a WSGI server does.

    Schemathesis' own WSGI client reads the body but never closes the response, so a download's FileResponse
    would leave its file open (a ResourceWarning, an error in this suite).
    """

    def open(self, *args, **kwargs):
        kwargs["buffered"] = True
        return super().open(*args, **kwargs)


@pytest.fixture
def keep_test_transaction_open():
    """Requests go through Django's real WSGI handler, whose request signals close "unusable" connections, and
    the connection inside the test's transaction looks unusable to them (PostgreSQL would lose the test's data).
    Django's own test client disconnects the same handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def demo(db, settings, keep_test_transaction_open):
    """The demo applicant's token, and a fresh draft of theirs per operation."""
    # A fast hasher: the token endpoint checks a password on every example, and the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    service_levels()
    owner = applicant(email="applicant.id@example.org", full_name="Demo Applicant")
    staff = StaffFactory()

    def draft_for(label):
        draft = complete_proposal(owner=owner, title=f"Demo draft for {label}"[:200])
        Message.objects.create(proposal=draft, author=staff, body="Welcome to the programme.")
        return {"proposal": draft.pk, "attachment": draft.attachments.get().pk, "track": draft.track_id}

    return {"token": Token.objects.create(user=owner).key, "draft_for": draft_for}


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _steer_ids(case, ids):
    """Point generated integer ids at the operation's draft, and a generated `version` at its current one."""
    if not case.operation.path.startswith("/api/v1/proposals/"):
        return
    nested = "{proposal_pk}" in case.operation.path
    for name, value in list((case.path_parameters or {}).items()):
        if not _is_int(value):
            continue
        if name == "proposal_pk" or (name == "id" and not nested):
            case.path_parameters[name] = ids["proposal"]
        elif name == "id":
            case.path_parameters[name] = ids["attachment"]
    if isinstance(case.body, dict):
        if _is_int(case.body.get("track")):
            case.body["track"] = ids["track"]
        if _is_int(case.body.get("version")) and case.body["version"] >= 1:
            case.body["version"] = Proposal.objects.values_list("version", flat=True).get(pk=ids["proposal"])


def _fuzz(operation, mode, ids, token):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_MODE[mode],
        deadline=None,
        database=None,  # no example database written into the working tree
        derandomize=True,  # the same examples on every run, so a failure in CI reproduces locally
        # One operation's examples share its draft on purpose (a draft one example withdraws is what the next
        # example edits); requests run in process through the whole stack, which Hypothesis finds slow.
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    def run(case):
        _steer_ids(case, ids)
        case.call_and_validate(
            session=BufferedClient(application), headers={"Authorization": f"Token {token}"},
            checks=[not_a_server_error],
        )

    run()


def test_api_never_answers_with_a_server_error(demo):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    failures = []

    for operation in operations:
        ids = demo["draft_for"](operation.label)
        for mode in MODES:
            try:
                _fuzz(operation, mode, ids, demo["token"])
            except Unsatisfiable:
                # Negative mode on an operation with no parameters or body: there is nothing to make invalid.
                assert mode == schemathesis.GenerationMode.NEGATIVE, operation.label
            except Exception as exc:  # collect every operation's failure, not just the first
                failures.append(f"{operation.label} ({mode}): {exc}")

    assert {operation.label for operation in operations} >= APPLICANT_OPERATIONS
    assert failures == []


def test_api_schema_validates_without_warnings(tmp_path):
    # drf-spectacular reports an undocumented or ambiguous view as a warning, not an error; here it fails.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))

    assert "/api/v1/proposals/{id}/submit/" in (tmp_path / "schema.yml").read_text()
