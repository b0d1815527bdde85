"""Bar charts as SVG geometry for the statistics page: the template draws the rectangles and labels, so the page
needs no script. Coordinates are user units of the chart's viewBox; the SVG scales to its container.

Each chart on the page is paired with a sentence that says what it shows and a table with its numbers, which
are what a screen reader reads (the SVG is one role="img" with a name).
"""

from core import amounts
from proposals import track_record

# The support-by-year chart (vertical bars).
YEAR_WIDTH, YEAR_HEIGHT, YEAR_TOP, YEAR_BOTTOM, YEAR_LEFT = 560, 300, 30, 40, 10


def year_chart(years: list[track_record.YearFigures]) -> dict:
    if not years:
        return {"bars": [], "width": YEAR_WIDTH, "height": YEAR_HEIGHT, "unit": amounts.chart_scale()[1]}
    highest = max(y.support_krw for y in years) or 1
    plot_height = YEAR_HEIGHT - YEAR_TOP - YEAR_BOTTOM
    slot = (YEAR_WIDTH - 2 * YEAR_LEFT) / len(years)
    bar_width = min(70.0, slot * 0.6)
    bars = []
    for index, figures in enumerate(years):
        height = round(plot_height * figures.support_krw / highest, 1)
        x = round(YEAR_LEFT + index * slot + (slot - bar_width) / 2, 1)
        y = round(YEAR_TOP + plot_height - height, 1)
        bars.append(
            {
                "figures": figures,
                "x": x,
                "y": y,
                "width": round(bar_width, 1),
                "height": height,
                "centre": round(x + bar_width / 2, 1),
                "label_y": round(y - 8, 1),
                "count_y": round(y + 22, 1),
                # A number in the chart's unit (KRW billion, or 억 원 in Korean) keeps the labels narrow enough for
                # many years side by side, and says what the table's krw_words says.
                "label": amounts.chart_label(figures.support_krw),
                "words": track_record.krw_words(figures.support_krw),
            }
        )
    return {
        "bars": bars,
        "width": YEAR_WIDTH,
        "height": YEAR_HEIGHT,
        "baseline": YEAR_HEIGHT - YEAR_BOTTOM,
        "year_y": YEAR_HEIGHT - YEAR_BOTTOM + 22,
        "unit": amounts.chart_scale()[1],
    }


# Horizontal bars (one per country or track) and stacked bars (the pipeline): a label column, then the plot.
ROW, GAP, LABEL_WIDTH, PLOT_WIDTH, VALUE_ROOM = 26, 10, 240, 200, 150  # 24 characters fit the label column
WIDTH = LABEL_WIDTH + PLOT_WIDTH + VALUE_ROOM


def _truncate(text: str, limit: int = 24) -> str:
    # The full label is in the bar's <title> and in the table; the SVG keeps its width.
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(items: list[tuple[str, int, str]]) -> dict:
    """Horizontal bars for [(label, value, value as words)], longest first as given."""
    highest = max((value for _label, value, _words in items), default=0) or 1
    bars = []
    for index, (label, value, words) in enumerate(items):
        y = GAP + index * (ROW + GAP)
        width = round(PLOT_WIDTH * value / highest, 1)
        bars.append(
            {
                "label": _truncate(label),
                "full_label": label,
                "words": words,
                "y": y,
                "width": width,
                "x": LABEL_WIDTH,
                "text_y": y + ROW * 0.68,
                "value_x": round(LABEL_WIDTH + width + 6, 1),
                "label_x": LABEL_WIDTH - 8,
            }
        )
    return {"bars": bars, "width": WIDTH, "height": GAP + len(items) * (ROW + GAP), "row": ROW}


def stacked_chart(rows: list[tuple[str, list[tuple[str, int]]]]) -> dict:
    """One bar per row, its segments side by side: rows are [(label, [(segment class, value), ...])]."""
    highest = max((sum(v for _c, v in segments) for _label, segments in rows), default=0) or 1
    bars = []
    for index, (label, segments) in enumerate(rows):
        y = GAP + index * (ROW + GAP)
        x = float(LABEL_WIDTH)
        parts = []
        for css, value in segments:
            width = round(PLOT_WIDTH * value / highest, 1)
            if value:
                parts.append(
                    {
                        "css": css,
                        "x": round(x, 1),
                        "width": width,
                        "value": value,
                        "centre": round(x + width / 2, 1),
                        "labelled": width >= 22,
                    }
                )
            x += width
        total = sum(v for _c, v in segments)
        bars.append(
            {
                "label": label,
                "y": y,
                "parts": parts,
                "text_y": y + ROW * 0.68,
                "total": total,
                "total_x": round(x + 6, 1),
                "label_x": LABEL_WIDTH - 8,
            }
        )
    return {"bars": bars, "width": WIDTH, "height": GAP + len(rows) * (ROW + GAP), "row": ROW}
