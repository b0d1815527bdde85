"""Amounts of money as each language writes them: the one place a KRW amount becomes text.

Every page, e-mail, PDF, export and notice that shows an amount calls `krw` (exact: "KRW 650,000,000",
"6억 5천만 원") or `krw_words` (rounded for a figure: "KRW 16.3 billion", "163억 원"); templates use the
`krw` and `krw_words` filters of `portal_i18n`. A chart's labels come from `chart_scale`, in the same unit as
`krw_words`, so a bar's label and the table beside it say the same number.

Korean counts large sums in 억 (10^8) and 만 (10^4), not in thousands; every other language groups digits in
threes with its own separator (Django's locale formats, overridden in kcity/formats where needed).
"""

from django.utils import formats, translation
from django.utils.translation import gettext as _

EOK = 100_000_000  # 억
MAN = 10_000  # 만
JO = 1_000_000_000_000  # 조


def _korean() -> bool:
    return (translation.get_language() or "").split("-")[0] == "ko"


def grouped(amount: int) -> str:
    """An integer with the active language's digit grouping: 650,000,000 · 650 000 000 · 650.000.000."""
    return formats.number_format(int(amount), force_grouping=True)


def _decimal(value: float) -> str:
    """One decimal in the active language's decimal separator, without a trailing zero: 16.3, 16,3, 7."""
    text = formats.number_format(round(value, 1), decimal_pos=1, force_grouping=True)
    separator = formats.get_format("DECIMAL_SEPARATOR")
    return text.removesuffix(f"{separator}0")


def _korean_group(value: int) -> str:
    # 5000 → 5천, 2345 → 2,345: a round thousand reads as a word, as in "6억 5천만 원".
    if value % 1000 == 0:
        return f"{value // 1000}천"
    return f"{value:,}"


def _korean_exact(amount: int) -> str:
    parts = []
    rest = amount
    for unit, word in ((JO, "조"), (EOK, "억"), (MAN, "만")):
        count, rest = divmod(rest, unit)
        if count:
            parts.append(_korean_group(count) + word)
    if rest and rest % 1000 == 0:
        parts.append(f"{rest // 1000}천 원")
    elif rest:
        parts.append(f"{rest:,}원")
    elif parts:
        parts.append("원")
    else:
        return "0원"
    return " ".join(parts)


def krw(amount: int | None) -> str:
    """The exact amount: "KRW 650,000,000" (digits grouped as the language does), "6억 5천만 원" in Korean.

    None (an amount not given) gives an empty string, so a template can fall back with `|default`.
    """
    if amount is None or amount == "":
        return ""
    amount = int(amount)
    sign, amount = ("-", -amount) if amount < 0 else ("", amount)
    if _korean():
        return sign + _korean_exact(amount)
    return _("KRW %(amount)s") % {"amount": sign + grouped(amount)}


def krw_words(amount: int) -> str:
    """Rounded for a figure: "KRW 16.3 billion", "KRW 700 million"; "163억 원", "7억 원" in Korean."""
    amount = int(amount)
    if _korean():
        if amount >= EOK:
            return f"{_decimal(amount / EOK)}억 원"
        if amount >= MAN:
            return f"{_decimal(amount / MAN)}만 원"
        return f"{grouped(amount)}원"
    if amount >= 1_000_000_000:
        return _("KRW %(amount)s billion") % {"amount": _decimal(amount / 1_000_000_000)}
    if amount >= 1_000_000:
        return _("KRW %(amount)s million") % {"amount": _decimal(amount / 1_000_000)}
    return _("KRW %(amount)s") % {"amount": grouped(amount)}


def chart_scale() -> tuple[int, str]:
    """The unit a chart of large amounts counts in, and its name: 10^9 "KRW billion", or 10^8 "억 원" in Korean.

    The same unit as `krw_words` gives for such amounts, so a bar labelled 4.8 stands beside "KRW 4.8 billion"
    and one labelled 48 beside "48억 원".
    """
    if _korean():
        return EOK, "억 원"
    return 1_000_000_000, _("KRW billion")


def chart_label(amount: int) -> str:
    """A bar's label in the chart's unit: "4.8" (KRW billion), "48" (억 원)."""
    divisor, _unit = chart_scale()
    return _decimal(int(amount) / divisor)
