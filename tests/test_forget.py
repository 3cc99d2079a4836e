"""/mydata and /forget end to end: a delegate (also an organiser) who used everything gets all of it as a file,
then erases it, after which no table of the schema names them."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.storage import calendar_feeds, outbox
from bot.storage.db import open_database
from bot.views import callback_data as cb
from bot.views.settings import LEAD
from tests.conftest import BotHarness
from tests.support.organisers import organiser_harness, sent
from tests.support.outbox import get_by_key, message

NOW = datetime.fromisoformat("2024-06-25T09:40:00+02:00")
PERSON = 987_654_321  # distinctive: no count, id or time in the database reads like it
OTHER = 555_000_111
NAME = "Delegate"  # what the fake Bot API calls everyone; also checked as a whole value below


async def _everything(h: BotHarness) -> None:
    """The person starts, bookmarks, changes a setting, gets messages, acts as organiser, leaves a dialogue open."""
    for who in (PERSON, OTHER):
        await h.say("/start", user_id=who)
    session = h.services.programme.sessions[3]
    (card,) = sent(await h.say(f"/search {session.title}", user_id=PERSON))
    await h.press(card, cb.bookmark(session.key, True, "c"), user_id=PERSON)
    await h.press(card, cb.bookmark(session.key, True, "c"), user_id=OTHER)
    await h.press(card, cb.setting(LEAD, 15), user_id=PERSON)
    await calendar_feeds.issue(h.services.database, PERSON, NOW)  # a live calendar feed
    db = h.services.database
    await outbox.enqueue(db, [message(f"reminder:{PERSON}:x", PERSON, NOW), message("for-other", OTHER, NOW)], NOW)
    await db.execute(
        "INSERT INTO change_alerts (user_id, outbox_key, base_version, session_ids, opened_at)"
        " SELECT ?, 'alert', max(id), '[]', ? FROM programme_versions",
        (PERSON, NOW.isoformat()),
    )
    await db.commit()
    await h.say("/stats", user_id=PERSON)  # an organiser action, audited
    await h.say("/broadcast", user_id=PERSON)  # a dialogue left waiting for its text
    await asyncio.sleep(1.3)  # the dialogue's step is saved within a second


def card_of(h: BotHarness) -> dict[str, Any]:
    """The last message the bot sent the person (any message with buttons will do for a press)."""
    return h.last_message(PERSON)


async def _mentions(path: Path) -> list[str]:
    """Every place in every table of the schema where the person's id (or a text holding it) appears."""
    db = await open_database(path)
    found: list[str] = []
    try:
        tables = [r["name"] for r in await db.execute_fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert {"users", "bookmarks", "outbox", "dialogues", "audit_log", "change_alerts"} <= set(tables)
        for table in tables:
            for row in await db.execute_fetchall(f"SELECT * FROM {table}"):  # table names from the schema itself
                for column, value in zip(row.keys(), tuple(row), strict=True):
                    if _names_person(value):
                        found.append(f"{table}.{column} = {value!r}")
    finally:
        await db.close()
    return found


def _names_person(value: Any) -> bool:
    if isinstance(value, int):
        return value == PERSON
    if isinstance(value, str):
        return re.search(rf"(?<!\d){PERSON}(?!\d)", value) is not None
    return False


async def test_forget_erases_every_row_that_names_the_person_and_keeps_others(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, now=NOW, admin_ids=frozenset({PERSON})) as h:
        await _everything(h)
        path = Path(h.services.settings.database_path)
        before = await _mentions(path)
        assert any(m.startswith("users.") for m in before) and any(m.startswith("dialogues.") for m in before)
        assert any(m.startswith("audit_log.") for m in before) and any(m.startswith("bookmarks.") for m in before)
        assert any(m.startswith("user_settings.") for m in before) and any(m.startswith("outbox.") for m in before)
        assert any(m.startswith("calendar_feeds.") for m in before)

        # Picked by its text: a message the outbox sends the person meanwhile may arrive in the same moment.
        ask = next(c for c in sent(await h.say("/forget", user_id=PERSON)) if "cannot be undone" in c.text)
        assert [b["callback_data"] for row in ask.buttons for b in row] == [cb.forget(True), cb.forget(False)]
        calls = await h.press(ask, cb.forget(True), user_id=PERSON)
        assert any("everything this bot kept about you is deleted" in c.text for c in calls if c.text)
        await asyncio.sleep(1.3)  # the dialogue persistence's next hand-over

        assert await _mentions(path) == []
        await h.press(card_of(h), cb.DAYS, user_id=PERSON)  # an old button pressed afterwards: still forgotten
        assert await _mentions(path) == []
        db = h.services.database
        kept = await db.execute_fetchall("SELECT count(*) AS n FROM audit_log WHERE action = 'stats.view'")
        assert kept[0]["n"] == 1  # the organiser's action stays in the record, without them
        other = await db.execute_fetchall("SELECT count(*) AS n FROM bookmarks WHERE user_id = ?", (OTHER,))
        assert other[0]["n"] == 1
        assert await get_by_key(db, "for-other") is not None


async def test_keeping_deletes_nothing_and_a_forged_answer_is_refused(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, now=NOW) as h:
        await h.say("/start", user_id=PERSON)
        ask = next(c for c in sent(await h.say("/forget", user_id=PERSON)) if "cannot be undone" in c.text)
        calls = await h.press(ask, cb.forget(False), user_id=PERSON)
        assert any(c.text == "Nothing was deleted." for c in calls if c.text)
        await h.press(ask, "fg|maybe", user_id=PERSON)
        path = Path(h.services.settings.database_path)
        assert any(m.startswith("users.") for m in await _mentions(path))


async def test_mydata_sends_everything_kept_as_json_and_a_summary(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, now=NOW, admin_ids=frozenset({PERSON})) as h:
        await _everything(h)
        calls = await h.say("/mydata", user_id=PERSON)
        summary = next(c for c in sent(calls) if "Everything this bot keeps about you" in c.text)
        assert "1 bookmark" in summary.text
        (doc,) = [c for c in calls if c.method == "sendDocument" and not c.error]
        assert doc.result["document"]["file_name"].startswith("my-data-")
        (_name, content, _mime) = next(iter(doc.files.values()))
        data = json.loads(content)
        assert data["profile"]["user_id"] == PERSON and data["profile"]["first_name"] == NAME
        assert data["settings"]["reminder_minutes"] == 15
        (bookmark,) = data["bookmarks"]
        assert bookmark["title"] == h.services.programme.sessions[3].title
        assert any(m["text"] == f"Message <b>reminder:{PERSON}:x</b>" for m in data["messages"])
        assert data["change_alerts"][0]["outbox_key"] == "alert"
        assert any(d["scope"].startswith("conversation:") for d in data["dialogues"])
        assert [a["action"] for a in data["as_organiser"]["audit_log"]] == ["stats.view"]
        assert str(OTHER) not in content.decode()  # nobody else's data


async def test_the_retention_job_purges_everyone_after_retention_days_keeping_counts(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, now=NOW, admin_ids=frozenset({PERSON}), retention_days=30) as h:
        await _everything(h)
        path = Path(h.services.settings.database_path)
        await h.run_job("retention")  # during the conference: nothing is due
        assert any(m.startswith("users.") for m in await _mentions(path))
        h.clock.set(datetime.fromisoformat("2024-07-26T23:59:00+02:00"))  # the last day (26 June) + 30 days
        await h.run_job("retention")
        assert any(m.startswith("users.") for m in await _mentions(path))
        h.clock.set(datetime.fromisoformat("2024-07-27T00:00:00+02:00"))
        await h.run_job("retention")
        await asyncio.sleep(1.3)  # the dialogue persistence's next hand-over
        assert await _mentions(path) == []
        db = h.services.database
        (purge,) = await db.execute_fetchall("SELECT figures FROM purges")
        figures = json.loads(purge["figures"])
        assert figures["delegates"] == 2 and figures["languages"] == {"en": 2}
        assert sum(figures["bookmarks_per_session"].values()) == 2
        kept = await db.execute_fetchall("SELECT count(*) AS n FROM audit_log WHERE organiser_id < 0")
        assert kept[0]["n"] >= 1  # the organiser's actions, under a pseudonym
        await h.run_job("retention")  # nothing left: no second purge recorded
        assert len(await db.execute_fetchall("SELECT id FROM purges")) == 1


def test_purge_by_hand_dry_run_counts_and_changes_nothing(tmp_path: Path, capsys: Any) -> None:
    db_path = tmp_path / "bot.sqlite3"

    async def seed() -> None:
        db = await open_database(db_path)
        await db.execute(
            "INSERT INTO users (user_id, first_name, language, first_seen, last_seen) VALUES (?, 'Ana', 'es', ?, ?)",
            (PERSON, NOW.isoformat(), NOW.isoformat()),
        )
        await db.commit()
        await db.close()

    asyncio.run(seed())
    env = {"DATABASE_PATH": str(db_path)}
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        assert main(["purge", "--dry-run"]) == 0
        out = capsys.readouterr().out
        assert "due for deletion from 2024-07-27 00:00" in out
        assert "users: 1 row would be deleted" in out and "Dry run: nothing was changed." in out
        assert asyncio.run(_mentions(db_path))  # still there
        assert main(["purge"]) == 0
        assert "users: 1 row was deleted" in capsys.readouterr().out
        assert asyncio.run(_mentions(db_path)) == []
