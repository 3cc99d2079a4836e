"""The organisers' CSV: the documented template, semicolons, durations, late sessions, aliases."""

from __future__ import annotations

from datetime import date

from bot.programme.csv_sheet import COLUMNS
from bot.programme.loader import load_programme, parse_programme
from bot.settings import ROOT
from tests.conftest import FIXTURES

TEMPLATE = ROOT / "data" / "programme-template.csv"


def test_template_imports_with_its_own_time_zone_and_metadata() -> None:
    p = load_programme(TEMPLATE)
    assert p.format == "csv"
    assert (p.name, p.venue.name, str(p.timezone)) == (
        "Example Conference 2030",
        "Example Congress Centre",
        "Europe/Madrid",
    )
    assert p.extra["time_zone_source"] == "the sheet's timezone column"
    assert len(p.sessions) == 6 and len(p.rooms) == 4 and p.days == (date(2030, 5, 14), date(2030, 5, 15))
    social = p.session("ex-late-social")
    assert social is not None
    assert p.local(social.end).isoformat() == "2030-05-15T01:00:00+02:00"  # end before start = past midnight
    assert social.day == date(2030, 5, 14)
    panel = p.session("ex-panel")
    assert panel is not None and [sp.name for sp in p.speakers_of(panel)] == ["Ada Lovelace", "Katherine Johnson"]
    assert p.session("ex-cancelled") is not None and p.session("ex-cancelled").is_cancelled  # type: ignore[union-attr]
    assert p.session("ex-workshop-a").is_provisional  # type: ignore[union-attr]


def test_template_header_is_exactly_the_documented_columns() -> None:
    header = TEMPLATE.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert set(header) <= set(COLUMNS)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"`{column}`" in readme, f"column {column} is not documented in the README"


def test_semicolons_bom_aliases_durations_and_title_cancellations() -> None:
    p = load_programme(FIXTURES / "import" / "programme.csv", "Europe/Madrid")
    assert "EVENT_TIMEZONE" in p.extra["time_zone_source"] and p.extra["metadata"] == "none"
    assert [s.id for s in p.sessions] == ["a1", "a2", "a3", "a4"]
    opening, workshop, night, panel = p.sessions
    assert opening.duration.total_seconds() == 45 * 60 and workshop.duration.total_seconds() == 90 * 60
    assert workshop.title == "Workshop; hands-on" and workshop.is_provisional
    assert p.room(opening.room_id).name == "Sala Iturbi"  # "Location" is an alias of room
    assert [sp.name for sp in p.speakers_of(opening)] == ["Ada Lovelace", "Grace Hopper"]
    assert night.day == date(2024, 6, 25) and p.local(night.end).strftime("%d %H:%M") == "26 00:30"
    assert panel.is_cancelled


def test_doubled_quotes_inside_a_quoted_value_are_one_quote() -> None:
    """RFC 4180 escapes a quote by doubling it; the header names no quote, so the sniffer must not decide this."""
    for sep in (",", ";", "\t"):
        header = sep.join(["id", "title", "start", "end", "room", "description"])
        row = sep.join(["q1", '"Say ""hi"", then go"', "2024-06-25 09:00", "10:00", '"Sala ""A"""', '""""'])
        data = f"{header}\n{row}\n".encode()
        p = parse_programme(data, "quotes.csv", "Europe/Madrid")
        (session,) = p.sessions
        assert session.title == 'Say "hi", then go', sep
        assert p.room(session.room_id).name == 'Sala "A"'
        assert session.description == '"'
