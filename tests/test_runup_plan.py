"""The run-up plan file: validation with clear errors, instants in the event time zone, placeholders."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from babel.dates import format_skeleton

from bot import i18n
from bot.programme.loader import load_programme
from bot.programme.model import Programme
from bot.runup import (
    LANGUAGES,
    PlaceholderProblem,
    RunupError,
    RunupHolder,
    load_plan,
    parse_plan,
    placeholder_problem,
    render,
)
from bot.views.format import weekday_date
from bot.views.scheduled import runup_message
from tests.conftest import BUNDLED, ROOT

RUNUP = ROOT / "data" / "runup.yaml"
TEXTS = "\n".join(f"      {code}: 'hello {{days_to_go}}'" for code in LANGUAGES)
NO_BOOKMARKS = "\n".join(f"  {code}: none" for code in LANGUAGES)


def plan_yaml(entries: str) -> bytes:
    return f"no_bookmarks:\n{NO_BOOKMARKS}\nentries:\n{entries}".encode()


@pytest.fixture(scope="module")
def programme() -> Programme:
    return load_programme(BUNDLED)


def test_bundled_plan_is_valid_and_scheduled_in_the_event_zone(programme: Programme) -> None:
    plan = load_plan(RUNUP)
    entries = {e.id: e for e in plan.schedule(programme)}
    assert list(entries) == ["d14", "d7", "eve", "morning-0625", "morning-0626", "after"]
    assert entries["d14"].at == datetime.fromisoformat("2024-06-11T10:00:00+02:00")
    assert entries["eve"].at == datetime.fromisoformat("2024-06-24T19:00:00+02:00")
    assert entries["morning-0626"].at == datetime.fromisoformat("2024-06-26T08:00:00+02:00")  # DIGEST_TIME
    assert entries["morning-0626"].morning and not entries["eve"].morning
    assert entries["morning-0626"].day == programme.days[1]
    assert entries["after"].at == datetime.fromisoformat("2024-06-27T10:00:00+02:00")
    assert all(set(e.texts) == set(LANGUAGES) for e in entries.values())


def test_placeholders_are_filled_and_file_text_escaped(programme: Programme) -> None:
    now = datetime.fromisoformat("2024-06-11T10:00:00+02:00")
    text = render(
        "{conference} <in> {days_to_go} days at {venue}:\n{bookmarks}",
        escape=True,
        programme=programme,
        now=now,
        bookmarks="• <b>09:30</b> Opening",
        day_label="Tue 25 June",
    )
    assert text == (
        "Cities Mission Conference 2024 &lt;in&gt; 14 days at Palau de la Música de València:\n• <b>09:30</b> Opening"
    )


@pytest.mark.parametrize(
    ("entries", "where", "reason"),
    [
        ("  - {id: a, days_before: 3, at: '10:00', text: {en: hi}}\n", "entries[0].text", "missing text for es"),
        (
            f"  - id: a\n    days_before: 3\n    at: '10:00'\n    text:\n{TEXTS.replace('days_to_go', 'when')}\n",
            "entries[0].text",
            "unknown placeholder {when}",
        ),
        (f"  - id: a\n    at: '10:00'\n    text:\n{TEXTS}\n", "entries[0]", "exactly one of days_before"),
        (f"  - id: a\n    days_before: 2\n    at: '25:00'\n    text:\n{TEXTS}\n", "entries[0].at", "time"),
        (f"  - id: A b\n    days_after: 1\n    at: '10:00'\n    text:\n{TEXTS}\n", "entries[0].id", "pattern"),
        (
            f"  - id: a\n    days_before: 2\n    at: '10:00'\n    text:\n{TEXTS}\n"
            f"  - id: a\n    days_after: 2\n    at: '10:00'\n    text:\n{TEXTS}\n",
            "entries",
            "used twice",
        ),
        (f"  - id: a\n    days_before: 2\n    at: '10:00'\n    colour: red\n    text:\n{TEXTS}\n", "colour", "unknown"),
        (
            f"  - id: a\n    days_after: 1\n    at: '10:00'\n    text:\n{TEXTS.replace('{days_to_go}', '{day}')}\n",
            "entries[0]",
            "{day} name a conference day: use them with days_before or each_day",
        ),
        (f"  - id: a\n    each_day: true\n    text:\n{TEXTS}\n", "entries[0]", "at: required"),
        (f"  - id: a\n    days_before: 1\n    morning: true\n    text:\n{TEXTS}\n", "entries[0]", "needs each_day"),
        (
            f"  - id: a\n    each_day: true\n    morning: true\n    at: '07:30'\n    text:\n{TEXTS}\n",
            "entries[0]",
            "goes out at DIGEST_TIME",
        ),
        (
            "  - id: a\n    each_day: true\n    morning: true\n    text:\n"
            + TEXTS.replace("days_to_go", "bookmarks")
            + "\n",
            "entries[0]",
            "cannot use {bookmarks}",
        ),
        (
            f"  - id: a\n    each_day: true\n    morning: true\n    text:\n{TEXTS}\n"
            f"  - id: b\n    each_day: true\n    morning: true\n    text:\n{TEXTS}\n",
            "entries",
            "only one entry can be the morning entry",
        ),
    ],
)
def test_malformed_entries_are_named_with_file_and_place(entries: str, where: str, reason: str) -> None:
    with pytest.raises(RunupError) as caught:
        parse_plan(plan_yaml(entries), "data/runup.yaml")
    message = str(caught.value)
    assert message.startswith("data/runup.yaml: ")
    assert where in message and reason in message


@pytest.mark.parametrize("field", ["conference:>30000000", "venue!r", "day:{conference}", "days_to_go:,"])
def test_only_plain_placeholders_are_accepted(field: str) -> None:
    text = f"Welcome to {{{field}}}!"
    assert placeholder_problem(text) == PlaceholderProblem(field)  # what the organiser's edit is told
    entries = f"  - id: a\n    days_before: 3\n    at: '10:00'\n    text:\n{TEXTS.replace('{days_to_go}', text)}\n"
    with pytest.raises(RunupError) as caught:
        parse_plan(plan_yaml(entries), "data/runup.yaml")
    assert "entries[0].text" in str(caught.value) and f"unknown placeholder {{{field}}}" in str(caught.value)


def test_a_format_spec_that_got_in_is_never_applied(programme: Programme) -> None:
    now = datetime.fromisoformat("2024-06-11T10:00:00+02:00")
    text = render(
        "{conference:>30000000} {days_to_go!r:^9}",
        escape=True,
        programme=programme,
        now=now,
        bookmarks="",
        day_label="",
    )
    assert text == "Cities Mission Conference 2024 14"


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(RunupError, match=r"data/runup.yaml: line \d+, column \d+: YAML syntax error"):
        parse_plan(b"entries:\n  - id: [oops\n", "data/runup.yaml")


def test_holder_keeps_the_previous_plan_when_the_file_breaks(tmp_path: Path) -> None:
    path = tmp_path / "runup.yaml"
    path.write_bytes(RUNUP.read_bytes())
    holder = RunupHolder(path)
    assert holder.refresh() is True
    good = holder.plan
    assert len(good.entries) == 5 and holder.problems == []

    path.write_text(RUNUP.read_text().replace("days_before: 14", "days_before: -3"))
    os.utime(path, (1, 1))  # a different mtime, whatever the file system's resolution
    assert holder.refresh() is False
    assert holder.plan is good
    assert "entries[0].days_before" in str(holder.problems[0])

    path.write_bytes(RUNUP.read_bytes())
    os.utime(path, (2, 2))
    assert holder.refresh() is True and holder.problems == []
    assert holder.refresh() is False  # unchanged file: not re-read


def test_a_missing_file_means_no_plan(tmp_path: Path) -> None:
    holder = RunupHolder(tmp_path / "absent.yaml")
    assert holder.refresh() is False
    assert holder.plan.entries == () and "cannot read" in str(holder.problems[0])


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "Tuesday 25 June"),
        ("es", "martes, 25 de junio"),
        ("fr", "mardi 25 juin"),
        ("de", "Dienstag, 25. Juni"),
        ("it", "martedì 25 giugno"),
    ],
)
def test_a_day_is_written_as_each_language_writes_it(programme: Programme, code: str, expected: str) -> None:
    assert weekday_date(programme.start_date, i18n.lang(code)) == expected


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_runup_text_renders_with_babels_date_and_no_placeholder_left(programme: Programme, code: str) -> None:
    plan = load_plan(RUNUP)
    locale = i18n.lang(code).locale
    inaugural = programme.session("cmc24-d1-inaugural")
    assert inaugural is not None
    dated = 0
    for entry in plan.schedule(programme):
        for bookmarks in ([], [inaugural]):
            text = runup_message(entry, code, plan, programme, bookmarks, entry.at, {})
            assert "{" not in text and "}" not in text, (entry.id, text)
            if "{venue}" in entry.text(code):
                assert programme.venue.name in text
                # After a label ("Sede: Palau…"), never after a preposition that fits one venue only ("à Palau").
                assert code == "en" or f": {programme.venue.name}" in text, (entry.id, text)
            if "{bookmarks}" in entry.text(code):
                assert (inaugural.title if bookmarks else plan.no_bookmarks_text(code)) in text
            if "{day}" not in entry.text(code):
                continue
            assert entry.day is not None
            # Babel's own CLDR form for the locale, its short weekday written out in full.
            weekday = entry.day.weekday()
            expected = format_skeleton("MMMMEd", entry.day, locale=locale).replace(
                locale.days["format"]["abbreviated"][weekday], locale.days["format"]["wide"][weekday], 1
            )
            assert expected in text, (entry.id, expected, text)
            dated += 1
    assert dated >= 2 * 4  # d7, eve and both mornings, each with and without bookmarks
