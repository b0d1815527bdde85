"""The target-vs-actual chart of one indicator, drawn on the server as inline SVG geometry (no script, no library,
no outside request): the template draws the rectangles and labels computed here. The same numbers go into a text
summary and a data table, so a screen reader (or anyone) gets them without the picture."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 16, 44
TICKS = 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: Decimal
    label_y: float


@dataclass
class Group:
    period: object
    label_x: float
    target: Bar
    actual: Bar | None


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    groups: list[Group] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (y, label)
    baseline_y: float | None = None
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM
    summary: str = ""


def _nice_top(value: Decimal) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above `value` (so the ticks read well)."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        top = step.scaleb(exponent)
        if top >= value:
            return top
    return Decimal(10).scaleb(exponent)


def _fmt(value: Decimal) -> str:
    value = Decimal(value)
    return number_format(value.normalize() if value == value.to_integral() else value, force_grouping=True)


def indicator_chart(indicator, periods) -> Chart:
    periods = list(periods)
    chart = Chart()
    values = [indicator.baseline_value, *(p.target_value for p in periods),
              *(p.actual_value for p in periods if p.actual_value is not None)]
    top = _nice_top(max(Decimal(v) for v in values))
    plot_height = chart.plot_bottom - TOP
    plot_width = chart.plot_right - chart.plot_left

    def y_of(value) -> float:
        return round(chart.plot_bottom - float(Decimal(max(value, 0)) / top) * plot_height, 1)

    chart.ticks = [(y_of(top * i / TICKS), _fmt(top * i / TICKS)) for i in range(TICKS + 1)]
    chart.baseline_y = y_of(indicator.baseline_value)
    slot = plot_width / max(len(periods), 1)
    bar = min(slot * 0.32, 48)
    for index, period in enumerate(periods):
        left = chart.plot_left + index * slot + (slot - 2 * bar) / 2

        def make(value, x):
            y = y_of(value)
            return Bar(x=round(x, 1), y=y, width=round(bar, 1), height=round(chart.plot_bottom - y, 1), value=value,
                       label_y=max(y - 4, TOP - 2))

        chart.groups.append(Group(
            period=period, label_x=round(chart.plot_left + index * slot + slot / 2, 1),
            target=make(period.target_value, left),
            actual=make(period.actual_value, left + bar) if period.actual_value is not None else None,
        ))
    chart.summary = chart_summary(indicator, periods)
    return chart


def chart_summary(indicator, periods) -> str:
    """One or two sentences saying what the chart shows."""
    unit = indicator.unit
    parts = [_("Baseline %(value)s %(unit)s on %(date)s.") % {
        "value": _fmt(indicator.baseline_value), "unit": unit, "date": indicator.baseline_date.isoformat()}]
    measured = [p for p in periods if p.actual_value is not None]
    if not periods:
        parts.append(_("No targets set yet."))
    elif not measured:
        parts.append(_("%(count)s periods with targets; no actual recorded yet.") % {"count": len(periods)})
    else:
        last = measured[-1]
        met = sum(1 for p in measured if (p.actual_value >= p.target_value) == indicator.ascending
                  or p.actual_value == p.target_value)
        parts.append(_("Latest actual %(actual)s %(unit)s against a target of %(target)s (%(start)s to %(end)s); "
                       "target met in %(met)s of %(count)s measured periods.") % {
            "actual": _fmt(last.actual_value), "target": _fmt(last.target_value), "unit": unit,
            "start": last.period_start.isoformat(), "end": last.period_end.isoformat(), "met": met,
            "count": len(measured)})
    return " ".join(parts)
