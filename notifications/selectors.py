"""Reading notices as their reader sees them now: in the language they have at this moment (the text notify()
rendered for it), else as written (title and body, in the notice's `language`)."""

from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, Left

from core.compiled import CompiledCount
from core.translated import active_language
from notifications.models import Notice

# Every signed-in page's bell: compiled once, answered from the partial index notice_user_unread alone.
_UNREAD = CompiledCount(Notice, lambda viewer: Notice.objects.filter(user_id=viewer, read_at__isnull=True))


def unread_count(*, user) -> int:
    """How many of the person's notices they have not read yet."""
    return _UNREAD(user.pk)


def notices_shown(*, user, excerpt: int) -> QuerySet[Notice]:
    """The person's notices newest first (index notice_user_newest), each with `shown_title`, `excerpt` (the first
    `excerpt` + 1 characters of the text, so truncatechars can still mark a cut) and `shown_language` (the
    language of those two; "" when not known), in the active language where the notice has it. Only these
    columns are read: a notice's texts may run to 20,000 characters in each language."""
    language = active_language()
    return (
        Notice.objects.filter(user=user)
        .only("title", "language", "url", "created_at", "read_at")
        .annotate(
            shown_title=Coalesce(KT(f"texts__{language}__title"), F("title"), output_field=CharField()),
            excerpt=Left(Coalesce(KT(f"texts__{language}__body"), F("body"), output_field=CharField()), excerpt + 1),
            shown_language=Case(
                When(texts__has_key=language, then=Value(language)), default=F("language"), output_field=CharField()
            ),
        )
        .order_by("-created_at", "-id")
    )
