"""The applicant help pages: staff's text per language (English when a language has none yet), cut into
headings and paragraphs, with the live parts that come from data (track eligibility, cooperation centres) and
from other apps through proposals.hooks.help_sections (the committee's scoring criteria)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import get_language, gettext

from core.translated import fallback_language
from proposals.eligibility import open_tracks, track_rules
from proposals.hooks import HelpItem, HelpSection, help_sections
from proposals.models import CooperationCentre, HelpPage, HelpTopic

FALLBACK_LANGUAGE = "en"


@dataclass
class ShownHelpPage:
    topic: str
    title: str
    blocks: list[tuple[str, str]]  # ("h", heading) or ("p", paragraph)
    language: str  # the language the text is written in (a fallback differs from the page's)
    is_fallback: bool
    updated_at: object = None
    sections: list[HelpSection] = field(default_factory=list)


def text_blocks(body: str) -> list[tuple[str, str]]:
    """A blank line starts a paragraph; a line starting with "## " is a heading."""
    blocks, lines = [], []

    def flush():
        if lines:
            blocks.append(("p", "\n".join(lines)))
            lines.clear()

    for line in body.replace("\r\n", "\n").split("\n"):
        if line.startswith("## "):
            flush()
            blocks.append(("h", line[3:].strip()))
        elif not line.strip():
            flush()
        else:
            lines.append(line.rstrip())
    flush()
    return blocks


def _live_sections(topic: str) -> list[HelpSection]:
    sections: list[HelpSection] = []
    if topic == HelpTopic.ELIGIBILITY:
        by_programme: dict = {}
        for track in open_tracks():
            by_programme.setdefault(track.programme, []).append(
                HelpItem(name=track.name, text=" ".join(track_rules(track)),
                         name_lang=fallback_language(track, "name"))
            )
        sections += [HelpSection(title=gettext("Tracks of %(programme)s") % {"programme": programme.name},
                                 items=tuple(items)) for programme, items in by_programme.items()]
    if topic == HelpTopic.CONTACTS:
        centres = CooperationCentre.objects.all()
        sections.append(HelpSection(title=gettext("Cooperation centres"), items=tuple(
            HelpItem(name=str(c), text=" · ".join(x for x in (c.email, c.phone) if x),
                     name_lang=fallback_language(c, "name")) for c in centres
        )))
    for answer in help_sections.collect(topic=topic):
        sections += [answer] if isinstance(answer, HelpSection) else list(answer or ())
    return sections


def help_page_shown(topic: str, *, language: str | None = None) -> ShownHelpPage | None:
    """The page in `language` (the active one by default), else in English; None when neither exists."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    rows = {p.language: p for p in HelpPage.objects.filter(topic=topic, language__in={language, FALLBACK_LANGUAGE})}
    page = rows.get(language) or rows.get(FALLBACK_LANGUAGE)
    if page is None:
        return None
    return ShownHelpPage(
        topic=topic, title=page.title, blocks=text_blocks(page.body), language=page.language,
        is_fallback=page.language != language, updated_at=page.updated_at, sections=_live_sections(topic),
    )


def help_index(*, language: str | None = None) -> list[dict]:
    """Every topic that has a page, in the topics' order, with its title in the reader's language if written."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    titles: dict[str, dict[str, str]] = {}
    for topic, lang, title in HelpPage.objects.values_list("topic", "language", "title"):
        titles.setdefault(topic, {})[lang] = title
    index = []
    for value, label in HelpTopic.choices:
        if value not in titles:
            continue
        own = titles[value].get(language)
        english = titles[value].get(FALLBACK_LANGUAGE)
        # "lang": the English title shown for want of the reader's, marked so it is read out as English.
        index.append({"topic": value, "title": own or english or str(label),
                      "lang": FALLBACK_LANGUAGE if not own and english and language != FALLBACK_LANGUAGE else ""})
    return index
