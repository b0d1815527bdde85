"""Every offered language's catalogues (Django and JavaScript): complete, compiled, and used by pages and e-mails.

Parametrized over settings.LANGUAGES: adding Thai or Polish later is a catalogue (locale/<code>/LC_MESSAGES) and
its line in settings, nothing here. A language offered without a catalogue fails with a message naming the file.
The .po files are read with a small parser below (no gettext tools or polib needed on CI machines).
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import trans_real

from accounts.models import OrganisationKind
from notifications.models import Notice
from notifications.services import render_for
from proposals.models import StatusChange
from proposals.services import proposal_transition
from proposals.workflow import Status
from tests.factories import ProgrammeFactory, ProposalFactory, StaffFactory, TrackFactory, applicant

LOCALE_ROOT = Path(settings.BASE_DIR) / "locale"
LOCALE_DIR = LOCALE_ROOT / "ko" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]
# Every language but the source language (English) needs catalogues.
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# CLDR's plural categories: Korean, Indonesian and Thai one form; Spanish and French two; Polish three
# (one, few, many); Arabic six (zero, one, two, few, many, other).
NPLURALS = {"ko": 1, "id": 1, "th": 1, "ja": 1, "zh-hans": 1, "vi": 1, "es": 2, "fr": 2, "pt": 2, "de": 2,
            "pl": 3, "ru": 3, "uk": 3, "ar": 6}
# Languages whose translations must be written in their own script (names and codes aside).
SCRIPTS = {"ko": re.compile(r"[\uac00-\ud7a3]"), "ar": re.compile(r"[\u0600-\u06ff]"),
           "th": re.compile(r"[\u0e00-\u0e7f]")}
# Strings of the home page (base.html) checked in every language's rendering.
HOME_MSGIDS = ["Statistics", "Skip to content", "Sign in", "Help"]
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


def catalogue(code: str, domain: str) -> Path:
    path = LOCALE_ROOT / code / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        pytest.fail(f"{code} is offered in settings.LANGUAGES but {path.relative_to(settings.BASE_DIR)} does not "
                    f"exist: run `make messages` and translate it (Django and JavaScript catalogues both)")
    return path


@pytest.fixture(scope="module", params=[(code, domain) for code in TRANSLATED for domain in DOMAINS],
                ids=lambda p: f"{p[0]}-{p[1]}")
def po(request):
    code, domain = request.param
    return code, domain, *parse_po(catalogue(code, domain))


def test_po_header_declares_the_language_and_its_plural_forms(po):
    code, domain, header, _entries, header_flags = po

    assert header.get("Language") == code, f"{code}/{domain}.po: Language header is {header.get('Language')!r}"
    plural_forms = header.get("Plural-Forms", "")
    found = re.search(r"nplurals\s*=\s*(\d+)", plural_forms)
    assert found, f"{code}/{domain}.po has no Plural-Forms header"
    if code in NPLURALS:
        assert int(found.group(1)) == NPLURALS[code], (
            f"{code}/{domain}.po: Plural-Forms {plural_forms!r}, expected nplurals={NPLURALS[code]}")
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert "fuzzy" not in header_flags, f"{code}/{domain}.po: the header is marked fuzzy"


def _nplurals(header: dict[str, str]) -> int:
    return int(re.search(r"nplurals\s*=\s*(\d+)", header["Plural-Forms"]).group(1))


def test_po_has_no_untranslated_or_fuzzy_entries(po):
    code, domain, header, entries, _flags = po
    forms = set(range(_nplurals(header)))

    untranslated = [e.msgid for e in entries if not all(text.strip() for text in e.translations)]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    plural_shapes = [e.msgid for e in entries if e.msgid_plural is not None and set(e.msgstr_plural) != forms]

    assert entries, f"{code}/{domain}.po has no entries"
    assert untranslated == [], f"{code}/{domain}.po: untranslated entries"
    assert fuzzy == [], f"{code}/{domain}.po: fuzzy entries"
    assert plural_shapes == [], f"{code}/{domain}.po: plural entries without exactly {len(forms)} forms"


def test_po_translations_keep_placeholders_and_markup(po):
    code, domain, _header, entries, _flags = po
    mismatched = []
    for e in entries:
        if e.msgid_plural is None:
            if sorted(PLACEHOLDER.findall(e.msgstr)) != sorted(PLACEHOLDER.findall(e.msgid)):
                mismatched.append(e.msgid)
            continue
        # A form may leave the count out ("one session", Arabic's zero form), never bring in a foreign one; the
        # last form (CLDR's "other", the only one in Korean) carries every placeholder of the plural.
        allowed = set(PLACEHOLDER.findall(e.msgid)) | set(PLACEHOLDER.findall(e.msgid_plural))
        last = e.msgstr_plural[max(e.msgstr_plural)]
        keeps_plural = set(PLACEHOLDER.findall(e.msgid_plural)) <= set(PLACEHOLDER.findall(last))
        nothing_foreign = all(set(PLACEHOLDER.findall(text)) <= allowed for text in e.msgstr_plural.values())
        if not (keeps_plural and nothing_foreign):
            mismatched.append(e.msgid)

    assert mismatched == [], f"{code}/{domain}.po: placeholders or HTML tags changed"


def test_po_translations_are_in_the_language_s_script(po):
    code, domain, _header, entries, _flags = po
    script = SCRIPTS.get(code)
    if script is None:
        return  # Latin-script languages: nothing to tell a translation from a copied msgid by its letters
    # Names, acronyms and codes (MOLIT, KOICA, "KRW %(amount)s": no lower-case letter) and bare placeholders may
    # stay as they are; everything else is written in the script.
    foreign = [
        e.msgid for e in entries
        if not any(script.search(text) for text in e.translations)
        and e.msgid != "K-City Network"
        and re.search(r"[a-z]", PLACEHOLDER.sub("", e.msgid))
    ]

    assert foreign == [], f"{code}/{domain}.po: translations not written in the language's script"


@pytest.mark.parametrize("code", TRANSLATED)
@pytest.mark.parametrize("domain", DOMAINS)
def test_mo_files_are_compiled_from_the_committed_po_files(code, domain):
    """Every msgid translates to the .po's msgstr: a stale or missing .mo fails this."""
    path = catalogue(code, domain)
    assert path.with_suffix(".mo").exists(), f"{path.with_suffix('.mo')} is missing: run compilemessages"
    _header, entries, _flags = parse_po(path)
    catalog = trans_real.DjangoTranslation(code, domain=domain)
    differing = []
    for e in entries:
        if e.msgid_plural is not None:
            # Count 2 picks a form by the catalogue's own plural rule (Arabic's "two", Korean's only form).
            index = catalog.plural(2)
            got = catalog.ngettext(e.msgid, e.msgid_plural, 2)
            want = e.msgstr_plural.get(index, e.msgstr_plural[max(e.msgstr_plural)])
        elif e.msgctxt is not None:
            got = catalog.pgettext(e.msgctxt, e.msgid)
            want = e.msgstr
        else:
            got, want = catalog.gettext(e.msgid), e.msgstr
        if got != want:
            differing.append(e.msgid)

    assert differing == [], f"{code}/{domain}.mo differs from the .po: run compilemessages"


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
    assert '<html lang="ko" dir="ltr">' in html
    assert "K-City Network(케이시티 네트워크)는 2020년부터" in html
    assert "제안서 상시 접수" in html
    assert "신청 자격" in html
    assert "Proposals are welcome any day" not in html


@pytest.mark.django_db
def test_home_page_in_korean_with_language_cookie(client, programme):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"

    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert '<html lang="ko" dir="ltr">' in html
    assert "협력센터" in html
    assert "제안서 상시 접수" in html


@pytest.mark.django_db
def test_home_page_stays_english_without_a_korean_choice(client, programme):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert '<html lang="en" dir="ltr">' in html
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


@pytest.mark.django_db
@pytest.mark.parametrize("code", TRANSLATED)
def test_home_page_renders_translated_in_each_language(client, programme, code):
    _header, entries, _flags = parse_po(catalogue(code, "django"))
    translated = {e.msgid: e.msgstr for e in entries if e.msgid in HOME_MSGIDS and e.msgctxt is None}
    assert sorted(translated) == sorted(HOME_MSGIDS), f"{code}/django.po lacks some of {HOME_MSGIDS}"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code

    html = client.get(reverse("home")).content.decode()

    direction = "rtl" if translation.get_language_info(code)["bidi"] else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in html
    missing = [msgstr for msgstr in translated.values() if escape(msgstr) not in html]
    assert missing == [], f"the home page in {code} does not show these translations"


@pytest.mark.django_db
@pytest.mark.parametrize("code", TRANSLATED)
def test_javascript_catalog_serves_each_language(client, code):
    _header, entries, _flags = parse_po(catalogue(code, "djangojs"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code

    body = client.get(reverse("javascript-catalog")).content.decode()

    missing = [e.msgid for e in entries if e.msgid_plural is None and json.dumps(e.msgstr) not in body]
    assert missing == [], f"the JavaScript catalogue in {code} lacks these translations"
