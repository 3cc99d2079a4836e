"""Demand figures for organisers: bookmarks per session against room capacity, as a chart and a CSV."""

from __future__ import annotations

import csv
import io
import textwrap
from dataclasses import dataclass

from bot.programme.model import Programme, Room, Session

CHART_SESSIONS = 15
OVER = "#d62728"
UNDER = "#1f77b4"
CAPACITY = "#dddddd"
# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Demand:
    session: Session
    room: Room
    bookmarks: int

    @property
    def capacity(self) -> int | None:
        return self.room.capacity

    @property
    def over_capacity(self) -> bool:
        return self.capacity is not None and self.bookmarks > self.capacity

    @property
    def fill(self) -> float | None:
        """Bookmarks per seat (1.0 = full), when the room's capacity is known."""
        return self.bookmarks / self.capacity if self.capacity else None


def demand(programme: Programme, counts: dict[str, int]) -> list[Demand]:
    """Every session that is not cancelled, most bookmarked first (then in time order)."""
    rows = [Demand(s, programme.room(s.room_id), counts.get(s.id, 0)) for s in programme.sessions if not s.is_cancelled]
    return sorted(rows, key=lambda d: (-d.bookmarks, d.session.start, d.session.title))


def text_cell(value: str) -> str:
    """Programme text as a spreadsheet cell: one that would start a formula gets a leading quote (OWASP)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def demand_csv(rows: list[Demand], programme: Programme) -> bytes:
    """One line per session; opens in any spreadsheet (UTF-8 with BOM for Excel), programme text never as a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["session_id", "title", "day", "start", "end", "room", "capacity", "bookmarks", "fill_percent", "over_capacity"]
    )
    for d in rows:
        s = d.session
        writer.writerow(
            [
                text_cell(s.id),
                text_cell(s.title),
                s.day.isoformat(),
                programme.local(s.start).strftime("%H:%M"),
                programme.local(s.end).strftime("%H:%M"),
                text_cell(d.room.name),
                "" if d.capacity is None else d.capacity,
                d.bookmarks,
                "" if d.fill is None else f"{100 * d.fill:.1f}",
                "yes" if d.over_capacity else "no",
            ]
        )
    return out.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class ChartLabels:
    title: str
    axis: str
    bookmarks: str
    capacity: str
    over: str
    empty: str


def demand_chart(rows: list[Demand], labels: ChartLabels, limit: int = CHART_SESSIONS) -> bytes:
    """A horizontal bar chart of the most-wanted sessions, over-capacity ones in red, as PNG bytes."""
    # Imported here: matplotlib takes a third of a second to load, and only /stats draws charts.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    top = [d for d in rows if d.bookmarks > 0][:limit]
    fig = Figure(figsize=(10, 1.6 + 0.45 * max(len(top), 3)), dpi=100)
    FigureCanvasAgg(fig)  # the Agg canvas: no display, safe in a server thread
    ax = fig.add_subplot()
    ax.set_title(labels.title)
    if not top:
        ax.text(0.5, 0.5, labels.empty, ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    else:
        names = [textwrap.shorten(d.session.title, 55, placeholder="…") for d in reversed(top)]
        places = range(len(top))
        caps = [d.capacity or 0 for d in reversed(top)]
        ax.barh(places, caps, color=CAPACITY, height=0.8)
        ax.barh(
            places,
            [d.bookmarks for d in reversed(top)],
            color=[OVER if d.over_capacity else UNDER for d in reversed(top)],
            height=0.5,
        )
        for y, d in zip(places, reversed(top), strict=True):
            mark = f"  {d.bookmarks}" + (f" / {d.capacity}" if d.capacity else "") + ("  !" if d.over_capacity else "")
            ax.text(d.bookmarks, y, mark, va="center", fontsize=8, color=OVER if d.over_capacity else "black")
        ax.set_yticks(list(places), names, fontsize=8)
        ax.set_xlabel(labels.axis)
        # Rooms far bigger than the demand would squash every bar; let their capacity run off the edge.
        most = max(d.bookmarks for d in top)
        near = [c for c in caps if c <= 3 * most]
        ax.set_xlim(0, max(most * 1.3, max(near, default=0) * 1.05, 1))
        handles = [Patch(color=CAPACITY, label=labels.capacity), Patch(color=UNDER, label=labels.bookmarks)]
        if any(d.over_capacity for d in top):
            handles.append(Patch(color=OVER, label=labels.over))
        ax.legend(handles=handles, loc="lower right", fontsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
