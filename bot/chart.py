"""The usage chart of /thongke and `vankien stats --chart`: questions per day for 30 days,
stacked by tier, and the documents quoted most. A PNG drawn with matplotlib's Agg canvas on a
`Figure` of its own (no pyplot state), so it may run in a worker thread."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot import texts
from index.logbook import Logbook, Usage

DAYS = 30
UTC_OFFSET_HOURS = 7  # days are counted in Vietnam's time, as /thongke counts them
COLOURS = {"answer": "#2e7d32", "related": "#f9a825", "none": "#9e9e9e"}
FONT = "DejaVu Sans"  # ships with matplotlib and has every Vietnamese letter


def local_today(now: datetime | None = None) -> date:
    """Today in Vietnam's time."""
    return ((now or datetime.now(UTC)) + timedelta(hours=UTC_OFFSET_HOURS)).date()


def per_day(usage: Usage, today: date, days: int = DAYS) -> tuple[list[date], dict[str, list[int]]]:
    """The last `days` days (oldest first) and each tier's count on each, 0 on quiet days."""
    span = [today - timedelta(days=days - 1 - i) for i in range(days)]
    seen = {d.day: d for d in usage.days}
    counts: dict[str, list[int]] = {tier: [] for tier in COLOURS}
    for day in span:
        found = seen.get(day.isoformat())
        counts["answer"].append(found.answered if found else 0)
        counts["related"].append(found.related if found else 0)
        counts["none"].append(found.nothing if found else 0)
    return span, counts


def usage_png(usage: Usage, cited: list[tuple[str, int]], today: date) -> bytes:
    """The chart as PNG bytes (about 1000 × 1100 pixels: legible on a phone)."""
    fig = Figure(figsize=(8.4, 9.2), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1, height_ratios=(3, 2))
    draw_days(top, *per_day(usage, today))
    draw_cited(bottom, cited)
    fig.suptitle(texts.CHART_TITLE.format(asked=usage.asked, answered=usage.answered),
                 fontsize=15, fontweight="bold", fontfamily=FONT)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def draw_days(ax: Axes, span: list[date], counts: dict[str, list[int]]) -> None:
    """Stacked bars: questions per day, split by tier."""
    x = list(range(len(span)))
    base = [0] * len(span)
    for tier, colour in COLOURS.items():
        ax.bar(x, counts[tier], bottom=base, color=colour, width=0.8, label=texts.CHART_TIERS[tier])
        base = [b + c for b, c in zip(base, counts[tier], strict=True)]
    ax.set_title(texts.CHART_DAYS_TITLE.format(days=len(span)), fontsize=13, fontfamily=FONT, loc="left")
    ticks = x[::-5][::-1]  # every fifth day, ending today
    ax.set_xticks(ticks, [span[i].strftime("%d/%m") for i in ticks], fontsize=11, fontfamily=FONT)
    ax.set_ylabel(texts.CHART_QUESTIONS, fontsize=11, fontfamily=FONT)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncols=3, frameon=False,
              prop={"family": FONT, "size": 11})


def draw_cited(ax: Axes, cited: list[tuple[str, int]]) -> None:
    """Horizontal bars: the documents quoted first most often, the most on top."""
    ax.set_title(texts.CHART_CITED_TITLE, fontsize=13, fontfamily=FONT, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    if not cited:
        ax.set_axis_off()
        ax.text(0.0, 0.5, texts.CHART_NOTHING_CITED, fontsize=12, fontfamily=FONT, transform=ax.transAxes)
        return
    values = [n for _, n in reversed(cited)]
    bars = ax.barh(range(len(cited)), values, color="#1565c0", height=0.42)
    ax.bar_label(bars, padding=3, fontsize=11)
    for y, (name, _) in enumerate(reversed(cited)):  # the name above its bar: the full width
        ax.text(0, y + 0.26, short(name), fontsize=11, fontfamily=FONT, va="bottom")
    ax.set_yticks([])
    ax.set_ylim(-0.5, len(cited) - 0.1)
    ax.set_xlim(0, max(values) * 1.1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(texts.CHART_TIMES, fontsize=11, fontfamily=FONT)


def short(name: str, width: int = 70) -> str:
    """A document's name cut to fit beside its bar.

    >>> short("Quy định thi hành Điều lệ Đảng về công tác kiểm tra, giám sát và kỷ luật", 30)
    'Quy định thi hành Điều lệ Đản…'
    """
    return name if len(name) <= width else name[: width - 1].rstrip() + "…"


def chart_png(book: Logbook, days: int = DAYS, now: datetime | None = None) -> bytes:
    """The /thongke chart from the query log (blocking: call it in a thread)."""
    usage = book.usage(days, now=now, utc_offset_hours=UTC_OFFSET_HOURS)
    return usage_png(usage, book.most_cited(days, now=now), local_today(now))
