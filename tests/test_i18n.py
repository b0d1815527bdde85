"""The Korean translation: complete, compiled from the committed .po files, and used by pages and e-mails.

The .po files are read with a small parser below (no gettext tools or polib needed on CI machines).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from accounts.models import OrganisationKind
from notifications.models import Notice
from notifications.services import render_for
from proposals.models import StatusChange
from proposals.services import proposal_transition
from proposals.workflow import Status
from tests.factories import ProgrammeFactory, ProposalFactory, StaffFactory, TrackFactory, applicant

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "ko" / "LC_MESSAGES"
PO_FILES = ["django.po", "djangojs.po"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|</?\w[^>]*>")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def translations(self) -> list[str]:
        return list(self.msgstr_plural.values()) if self.msgid_plural is not None else [self.msgstr]


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    body = text.strip()
    assert body.startswith('"') and body.endswith('"'), f"not a PO string: {text!r}"
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body[1:-1])


def parse_po(path: Path) -> tuple[dict[str, str], list[Entry], set[str]]:
    """Header fields, live entries (obsolete `#~` ones left out) and header flags of a .po file."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int | None] | None = None

    def finish():
        nonlocal current, target
        if target is not None:
            entries.append(current)
        current, target = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#,"):
            if target is not None and target[0] in ("msgstr", "msgstr_plural"):
                finish()
            current.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            name, index = target
            if name == "msgstr_plural":
                current.msgstr_plural[index] += _unquote(line)
            else:
                setattr(current, name, getattr(current, name) + _unquote(line))
            continue
        if keyword in ("msgctxt", "msgid") and target is not None and target[0] in ("msgstr", "msgstr_plural"):
            finish()
        plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if plural:
            target = ("msgstr_plural", int(plural.group(1)))
            current.msgstr_plural[target[1]] = _unquote(rest)
        elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            target = (keyword, None)
            setattr(current, keyword, _unquote(rest))
        else:
            raise AssertionError(f"{path.name}: unexpected line {raw!r}")
    finish()

    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    fields = dict(
        line.split(": ", 1) for line in header.msgstr.splitlines() if ": " in line
    )
    return fields, [e for e in entries if e is not header], header.flags


@pytest.fixture(scope="module", params=PO_FILES)
def po(request):
    return request.param, *parse_po(LOCALE_DIR / request.param)


def test_po_header_declares_korean_with_one_plural_form(po):
    _name, header, _entries, header_flags = po

    assert header["Language"] == "ko"
    assert header["Plural-Forms"] == "nplurals=1; plural=0;"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert "fuzzy" not in header_flags


def test_po_has_no_untranslated_or_fuzzy_entries(po):
    name, _header, entries, _flags = po

    untranslated = [e.msgid for e in entries if not all(text.strip() for text in e.translations)]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    plural_shapes = [e.msgid for e in entries if e.msgid_plural is not None and set(e.msgstr_plural) != {0}]

    assert entries, f"{name} has no entries"
    assert untranslated == []
    assert fuzzy == []
    assert plural_shapes == []


def test_po_translations_keep_placeholders_and_markup(po):
    _name, _header, entries, _flags = po
    mismatched = []
    for e in entries:
        if e.msgid_plural is None:
            expected = sorted(PLACEHOLDER.findall(e.msgid))
            if sorted(PLACEHOLDER.findall(e.msgstr)) != expected:
                mismatched.append(e.msgid)
        else:
            # One Korean form serves every count, so it carries the plural's placeholders.
            allowed = set(PLACEHOLDER.findall(e.msgid)) | set(PLACEHOLDER.findall(e.msgid_plural))
            used = set(PLACEHOLDER.findall(e.msgstr_plural[0]))
            if not set(PLACEHOLDER.findall(e.msgid_plural)) <= used <= allowed:
                mismatched.append(e.msgid)

    assert mismatched == []


def test_po_translations_are_korean(po):
    _name, _header, entries, _flags = po
    # Names, codes and bare placeholders may stay as they are; everything else is written in Hangul.
    latin_only = [
        e.msgid for e in entries
        if not any(HANGUL.search(text) for text in e.translations)
        and e.msgid != "K-City Network"
        and re.search(r"[A-Za-z]", PLACEHOLDER.sub("", e.msgid))
    ]

    assert latin_only == []


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_mo_files_are_compiled_from_the_committed_po_files(domain):
    """Every msgid translates, under Korean, to the .po's msgstr: a stale .mo fails this."""
    _header, entries, _flags = parse_po(LOCALE_DIR / f"{domain}.po")
    catalog = trans_real.DjangoTranslation("ko", domain=domain)
    differing = []
    for e in entries:
        if e.msgid_plural is not None:
            got = catalog.ngettext(e.msgid, e.msgid_plural, 2)
            want = e.msgstr_plural[0]
        elif e.msgctxt is not None:
            got = catalog.pgettext(e.msgctxt, e.msgid)
            want = e.msgstr
        else:
            got, want = catalog.gettext(e.msgid), e.msgstr
        if got != want:
            differing.append(e.msgid)

    assert differing == []


def test_mo_plural_entry_uses_the_one_korean_form_for_any_count():
    with translation.override("ko"):
        one = translation.ngettext("%(counter)s session", "%(counter)s sessions", 1) % {"counter": 1}
        many = translation.ngettext("%(counter)s session", "%(counter)s sessions", 5) % {"counter": 5}

    assert one == "세션 1건"
    assert many == "세션 5건"


@pytest.fixture
def programme():
    kcn = ProgrammeFactory()
    TrackFactory(
        programme=kcn, name="Smart Urban planning", slug="urban", order=1, support_cap_krw=700_000_000,
        eligible_organisation_kinds=[OrganisationKind.NATIONAL, OrganisationKind.CITY],
    )
    return kcn


@pytest.mark.django_db
def test_home_page_in_korean_with_accept_language(client, programme):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ko")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ko">' in html
    assert "K-City Network(케이시티 네트워크)는 2020년부터" in html
    assert "제안서 상시 접수" in html
    assert "신청 자격" in html
    assert "Proposals are welcome any day" not in html


@pytest.mark.django_db
def test_home_page_in_korean_with_language_cookie(client, programme):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"

    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert "협력센터" in html
    assert "제안서 상시 접수" in html


@pytest.mark.django_db
def test_home_page_stays_english_without_a_korean_choice(client, programme):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Proposals are welcome any day" in html
    assert HANGUL.search(html.replace("한국어", "")) is None


@pytest.mark.django_db
def test_javascript_catalog_serves_korean_autosave_strings(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"

    response = client.get(reverse("javascript-catalog"))

    body = response.content.decode()
    assert response.status_code == 200
    assert '"Unsaved changes": "\\uc800\\uc7a5\\ub418\\uc9c0 \\uc54a\\uc740 \\ubcc0\\uacbd \\uc0ac\\ud56d"' in body


@pytest.mark.django_db
def test_status_change_email_is_rendered_in_korean_for_a_korean_user():
    user = applicant(language="ko", full_name="Kim Minji")
    proposal = ProposalFactory(owner=user, title="Smart mobility master plan for Surabaya")
    change = StatusChange(proposal=proposal, from_status=Status.SCREENING, to_status=Status.INFO_REQUESTED,
                          note="Please attach the budget sheet.")
    context = {"proposal": proposal, "change": change, "source_label": Status.SCREENING.label,
               "target_label": Status.INFO_REQUESTED.label}

    subject, body = render_for(user, "proposal_status_changed", context)

    assert subject == "Smart mobility master plan for Surabaya: 추가 정보 요청"
    assert body.startswith("Kim Minji 님께,\n")
    assert "제안서 “Smart mobility master plan for Surabaya”의 상태가" in body
    assert "“접수 검토”에서 “추가 정보 요청”(으)로 변경되었습니다." in body
    assert "메시지:\nPlease attach the budget sheet." in body
    assert "자세한 내용은 업무 공간에서 확인하십시오." in body


@pytest.mark.django_db
def test_status_change_email_stays_english_for_an_english_user():
    user = applicant(language="en", full_name="Siti Rahma")
    proposal = ProposalFactory(owner=user, title="Flood sensors for Semarang")
    change = StatusChange(proposal=proposal, from_status=Status.SCREENING, to_status=Status.INFO_REQUESTED)
    context = {"proposal": proposal, "change": change, "source_label": Status.SCREENING.label,
               "target_label": Status.INFO_REQUESTED.label}

    subject, body = render_for(user, "proposal_status_changed", context)

    assert subject == "Flood sensors for Semarang: Information requested"
    assert "“Screening” to “Information requested”" in body
    assert HANGUL.search(subject + body) is None


@pytest.mark.django_db
def test_transition_notice_reaches_a_korean_owner_in_korean():
    owner = applicant(language="ko")
    proposal = ProposalFactory(owner=owner, status=Status.SUBMITTED)

    proposal_transition(proposal=proposal, to=Status.SCREENING, by=StaffFactory())

    notice = Notice.objects.get(user=owner, event="proposal_status_changed")
    assert notice.title.endswith(": 접수 검토")
    assert "“제출 완료”에서 “접수 검토”(으)로 변경되었습니다." in notice.body
