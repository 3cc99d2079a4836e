"""Applying versions without Telegram: versions stored, the outbox rows of change alerts, debounce windows,
preferences, alternatives, and the snapshot round trip."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import aiosqlite
import pytest

from bot.clock import Clock
from bot.programme import snapshot
from bot.programme.diff import Change, Kind
from bot.programme.loader import load_programme
from bot.programme.model import SessionStatus
from bot.programme_updates import apply as updates
from bot.programme_updates.alerts import alternatives, send_at
from bot.programme_updates.start_up import start_up
from bot.services import Services, build_services
from bot.storage import bookmarks, change_alerts, preferences, users
from bot.storage import programme_versions as versions
from bot.storage.db import open_database
from tests.conftest import FIXTURES, make_settings, shared_schedule
from tests.support.outbox import get_by_key

RELOAD = FIXTURES / "import" / "reload.yaml"
NOW = datetime.fromisoformat("2024-06-01T10:00:00+02:00")
MOVED = RELOAD.read_text(encoding="utf-8").replace(
    'start: "2024-06-26T11:30", end: "2024-06-26T12:30", room: iturbi',
    'start: "2024-06-26T12:00", end: "2024-06-26T13:00", room: rodrigo',
)


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    built = build_services(make_settings(tmp_path, programme_path=RELOAD), clock=Clock.frozen_at(NOW))
    built.db = await open_database(tmp_path / "bot.sqlite3")
    try:
        yield built
    finally:
        await built.database.close()


async def _follow(services: Services, user_id: int, *session_ids: str, language: str = "en") -> None:
    await users.record_contact(services.database, user_id, "D", language, NOW)
    for sid in session_ids:
        await bookmarks.add_bookmark(services.database, user_id, sid, NOW)


async def _pending_alerts(db: aiosqlite.Connection) -> dict[int, str]:
    """Delegate → outbox key of every change alert not sent yet (the open debounce windows)."""
    return {user_id: window.outbox_key for user_id, window in (await change_alerts.open_windows(db)).items()}


async def _import(services: Services, text: str) -> updates.Applied:
    prepared = await updates.prepare(services, text.encode(), "next.yaml", timezone=None, created_by="test")
    assert prepared.version_id is not None
    return await updates.apply(services, prepared.version_id)


def test_snapshot_round_trip_keeps_every_field() -> None:
    programme = load_programme(shared_schedule("38c3-frab.xml"))
    again = snapshot.load(snapshot.dump(programme))
    assert again == programme and again.sessions == programme.sessions
    assert again.sessions[0].start.tzinfo == programme.timezone
    assert again.extra == programme.extra


async def test_first_update_stores_the_start_up_programme_then_the_new_version(services: Services) -> None:
    await _follow(services, 101, "s-panel")
    done = await _import(services, MOVED)
    assert done.version_id == 2
    latest = await versions.latest_applied(services.database)
    assert latest is not None and latest.id == 2 and latest.summary["changed"] == 1
    first = await versions.get_version(services.database, 1)
    assert first is not None and first.created_by == "start-up" and first.state == "applied"
    assert updates.version_of(services.programme) == 2
    row = await get_by_key(services.database, "change_alert:101:2")
    assert row is not None and row.not_before == NOW + timedelta(minutes=10) and row.batch == "programme:2"
    assert "Wed 26 June 11:30 Sala Iturbi → <b>12:00 Sala Rodrigo</b>" in row.payload["text"]


async def test_alerts_respect_the_switch_and_the_users_language(services: Services) -> None:
    await _follow(services, 101, "s-panel")
    await _follow(services, 102, "s-panel")
    await preferences.update_preferences(services.database, 102, NOW, change_alerts=False)
    done = await _import(services, MOVED)
    assert (done.alerts.queued, done.alerts.opted_out) == (1, 1)
    assert set(await _pending_alerts(services.database)) == {101}


async def test_a_second_import_rewrites_the_pending_alert_and_an_undo_withdraws_it(services: Services) -> None:
    await _follow(services, 101, "s-panel", "s-late")
    await _import(services, MOVED)
    services.clock.freeze(NOW + timedelta(minutes=4))
    late = MOVED.replace(
        'start: "2024-06-25T16:00", end: "2024-06-25T17:00"', 'start: "2024-06-25T16:30", end: "2024-06-25T17:30"'
    )
    second = await _import(services, late)
    assert second.alerts.queued == 1
    assert await _pending_alerts(services.database) == {101: "change_alert:101:2"}  # the same row, rewritten
    row = await get_by_key(services.database, "change_alert:101:2")
    assert row is not None and "Late session" in row.payload["text"] and "Governance panel" in row.payload["text"]
    assert row.not_before == NOW + timedelta(minutes=10), "the window keeps its end"
    undo = await _import(services, RELOAD.read_text(encoding="utf-8"))
    assert undo.alerts.dropped == 1
    assert await _pending_alerts(services.database) == {}
    row = await get_by_key(services.database, "change_alert:101:2")
    assert row is not None and row.state == "dropped"


async def test_unaffected_and_blocked_delegates_get_no_row(services: Services) -> None:
    await _follow(services, 101, "s-close")
    await _follow(services, 102, "s-panel")
    await users.mark_blocked(services.database, 102)
    done = await _import(services, MOVED)
    assert done.alerts.queued == 0 and await _pending_alerts(services.database) == {}
    assert {c.session_id for c in done.diff.changes} == {"s-panel"}


async def test_an_import_that_breaks_changes_nothing(services: Services) -> None:
    await _follow(services, 101, "s-panel")
    before = services.programme
    with pytest.raises(updates.UpdateError) as info:
        await updates.prepare(services, MOVED.encode()[:200], "next.yaml", timezone=None, created_by="test")
    assert info.value.problems and info.value.problems[0].startswith("next.yaml")
    assert services.programme is before
    assert await versions.latest_applied(services.database) is None
    assert await bookmarks.bookmarked_ids(services.database, 101) == {"s-panel"}


async def test_confirming_a_summary_after_another_version_was_applied_is_stale(services: Services) -> None:
    first = await updates.prepare(services, MOVED.encode(), "a.yaml", timezone=None, created_by="test")
    other = MOVED.replace("title: Closing,", "title: Closing words,")
    second = await updates.prepare(services, other.encode(), "b.yaml", timezone=None, created_by="test")
    assert first.version_id and second.version_id
    await updates.apply(services, first.version_id, check_base=True)
    with pytest.raises(updates.StaleUpdate):
        await updates.apply(services, second.version_id, check_base=True)
    programme = await updates.pending_programme(services, second.version_id)
    assert programme is not None
    again = await updates.compare(services, programme, created_by="test")
    assert [(c.kind, c.session_id) for c in again.diff.changes] == [(Kind.CHANGED, "s-close")]


class ProcessDied(BaseException):
    """The process dies here: nothing after this point runs, and only what was committed survives."""


async def test_a_crash_while_alerts_are_queued_applies_nothing_and_a_retry_queues_each_once(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for user in (101, 102, 103):
        await _follow(services, user, "s-panel")
    prepared = await updates.prepare(services, MOVED.encode(), "next.yaml", timezone=None, created_by="test")
    assert prepared.version_id is not None

    async def die(*args: object, **kwargs: object) -> int:
        raise ProcessDied

    # The kill lands after the version is marked applied and before its alerts are written.
    monkeypatch.setattr(change_alerts, "save", die)
    with pytest.raises(ProcessDied):
        await updates.apply(services, prepared.version_id)
    await services.database.close()  # the process is gone: whatever was not committed is gone with it
    monkeypatch.undo()

    restarted = build_services(make_settings(tmp_path, programme_path=RELOAD), clock=Clock.frozen_at(NOW))
    restarted.db = await open_database(tmp_path / "bot.sqlite3")
    try:
        await start_up(restarted)
        stored = await versions.get_version(restarted.database, prepared.version_id)
        assert stored is not None and stored.state == versions.PENDING, "applied without its alerts"
        panel = restarted.programme.session("s-panel")
        assert panel is not None and panel.room_id == "iturbi", "the old programme stays in force"
        assert await _pending_alerts(restarted.database) == {}
        done = await updates.apply(restarted, prepared.version_id)  # the organiser presses Apply again
        assert done.alerts.queued == 3
        rows = await restarted.database.execute_fetchall(
            "SELECT chat_id, COUNT(*) FROM outbox WHERE kind = 'change_alert' GROUP BY chat_id"
        )
        assert sorted((row[0], row[1]) for row in rows) == [(101, 1), (102, 1), (103, 1)]
    finally:
        await restarted.database.close()


@pytest.mark.parametrize("check_base", [False, True])
async def test_a_version_applied_while_another_renders_its_alerts_is_not_overwritten_blindly(
    services: Services, monkeypatch: pytest.MonkeyPatch, check_base: bool
) -> None:
    await _follow(services, 101, "s-panel")
    first = await updates.prepare(services, MOVED.encode(), "a.yaml", timezone=None, created_by="test")
    other = MOVED.replace("title: Closing,", "title: Closing words,")
    second = await updates.prepare(services, other.encode(), "b.yaml", timezone=None, created_by="test")
    assert first.version_id and second.version_id
    render = updates.render_change_alerts

    async def meanwhile(*args: object, **kwargs: object) -> object:
        monkeypatch.setattr(updates, "render_change_alerts", render)
        await updates.apply(services, first.version_id)  # type: ignore[arg-type]  # e.g. the command line
        return await render(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(updates, "render_change_alerts", meanwhile)
    if check_base:  # an organiser's Apply under a summary that no longer describes the change
        with pytest.raises(updates.StaleUpdate):
            await updates.apply(services, second.version_id, check_base=True)
        assert await updates.version_state(services, second.version_id) == versions.PENDING
        assert updates.version_of(services.programme) == first.version_id
        return
    done = await updates.apply(services, second.version_id)  # compared again, with the version now in force
    assert [(c.kind, c.session_id) for c in done.diff.changes] == [(Kind.CHANGED, "s-close")]
    assert updates.version_of(services.programme) == second.version_id
    assert await _pending_alerts(services.database) == {101: f"change_alert:101:{first.version_id}"}


def test_alternatives_are_in_the_same_slot_nearest_first() -> None:
    programme = load_programme(RELOAD)
    workshop = programme.session("s-work")
    assert workshop is not None
    found = alternatives(programme, workshop, ())
    assert [s.id for s in found] == ["s-panel", "s-side"]
    cancelled_side = replace(
        programme,
        sessions=tuple(
            replace(s, status=SessionStatus.CANCELLED) if s.id == "s-side" else s for s in programme.sessions
        ),
    )
    assert [s.id for s in alternatives(cancelled_side, workshop, ())] == ["s-panel"]


def test_an_alert_about_a_session_starting_soon_is_not_debounced() -> None:
    programme = load_programme(RELOAD)
    panel = programme.session("s-panel")
    assert panel is not None
    change = Change(Kind.CANCELLED, panel, replace(panel, status=SessionStatus.CANCELLED))
    debounce = timedelta(minutes=10)
    assert send_at([change], panel.start - timedelta(minutes=30), debounce) == panel.start - timedelta(minutes=30)
    far = panel.start - timedelta(days=1)
    assert send_at([change], far, debounce) == far + debounce


def test_summaries_and_alerts_of_huge_changes_stay_valid_telegram_messages() -> None:
    from bot import i18n
    from bot.console.api import visible_text
    from bot.programme.diff import diff_programmes
    from bot.views.changes import change_alert, update_summary

    old = load_programme(shared_schedule("38c3-frab.xml"))
    new = replace(
        old,
        sessions=tuple(
            replace(s, start=s.start + timedelta(hours=1), end=s.end + timedelta(hours=1)) for s in old.sessions
        ),
    )
    diff = diff_programmes(old, new)
    lang = i18n.lang("en")
    summary = update_summary(old, new, diff, lang, followers=5000, version_id=7)
    assert len(visible_text(summary.text, "HTML")) <= 4096  # raises if a tag were cut
    assert "…and 1002 more" in summary.text
    alert = change_alert(list(diff.changes), old, new, lang, {}, ())
    shown = visible_text(alert.text, "HTML")
    assert len(shown) <= 4096 and "more changes: see /my." in shown
