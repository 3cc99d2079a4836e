"""The broadcast life cycle in the domain: each step writes its state, outbox rows and audit row together."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import broadcast as lifecycle
from bot.audience import ALL, LANGUAGE, ROOM, SESSION, Audience
from bot.clock import Clock
from bot.services import Services, build_services
from bot.storage import audit, users
from bot.storage import broadcasts as store
from bot.storage.db import transaction
from tests.conftest import make_settings
from tests.support.outbox import state_counts

NOW = datetime.fromisoformat("2024-06-20T10:00:00+02:00")


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    services = build_services(make_settings(tmp_path), clock=Clock.frozen_at(NOW))
    db = await services.open_database()
    for uid, language in ((11, "en"), (12, "es")):
        await users.record_contact(db, uid, "D", language, datetime(2024, 6, 1, tzinfo=UTC))
    yield services
    await db.close()


async def _fail_on_insert(services: Services, table: str) -> None:
    await services.database.execute(
        f"CREATE TEMP TRIGGER fail_{table} BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )


@pytest.mark.parametrize("failing", ["outbox", "audit_log"])
async def test_send_now_is_all_or_nothing(services: Services, failing: str) -> None:
    draft = await lifecycle.create_draft(services, 7, "Hello", audience=(Audience(ALL), 2))
    await _fail_on_insert(services, failing)
    with pytest.raises(sqlite3.IntegrityError):
        await lifecycle.send_now(services, draft, 7)
    after = await store.get(services.database, draft.id)
    assert after is not None and after.state == store.DRAFT
    assert await state_counts(services.database, draft.batch) == {}
    assert [a.action for a in await audit.entries(services.database)] == []
    # Once the fault is gone, the same step goes through completely.
    await services.database.execute(f"DROP TRIGGER fail_{failing}")
    assert await lifecycle.send_now(services, draft, 7) == lifecycle.Sent(2)
    assert await state_counts(services.database, draft.batch) == {"pending": 2}
    assert [a.action for a in await audit.entries(services.database)] == ["broadcast.send"]


async def test_stop_is_all_or_nothing(services: Services) -> None:
    draft = await lifecycle.create_draft(services, 7, "Hello", audience=(Audience(ALL), 2))
    await lifecycle.send_now(services, draft, 7)
    sending = await store.get(services.database, draft.id)
    assert sending is not None
    await _fail_on_insert(services, "audit_log")
    with pytest.raises(sqlite3.IntegrityError):
        await lifecycle.stop(services, sending, 7)
    after = await store.get(services.database, draft.id)
    assert after is not None and after.state == store.SENDING
    assert await state_counts(services.database, draft.batch) == {"pending": 2}


async def test_a_second_send_or_an_empty_audience_changes_nothing(services: Services) -> None:
    nobody = await lifecycle.create_draft(services, 7, "Hola", audience=(Audience(LANGUAGE, language="it"), 0))
    assert await lifecycle.send_now(services, nobody, 7) == lifecycle.Sent(0)
    still = await store.get(services.database, nobody.id)
    assert still is not None and still.state == store.DRAFT
    draft = await lifecycle.create_draft(services, 7, "Hello", audience=(Audience(ALL), 2))
    assert await lifecycle.send_now(services, draft, 7) == lifecycle.Sent(2)
    assert await lifecycle.send_now(services, draft, 8) == lifecycle.Sent(0, gone=True)
    assert await lifecycle.cancel(services, draft, 7) is False
    assert await state_counts(services.database, draft.batch) == {"pending": 2}


async def test_nested_transactions_commit_once_at_the_outermost(services: Services) -> None:
    db = services.database

    async def action() -> None:
        async with transaction(db):
            await users.record_contact(db, 99, "X", "en", NOW)  # opens its own block: joins this one
            raise RuntimeError("the action fails after its first write")

    with pytest.raises(RuntimeError):
        await action()
    assert await users.get_user(db, 99) is None


def test_one_textual_form_for_every_audience(services: Services) -> None:
    programme = services.programme
    session = programme.sessions[0]
    day = programme.days[0]
    room = next(s.room_id for s in programme.sessions if s.day == day)
    cases = [
        Audience(ALL),
        Audience(SESSION, session_id=session.id),
        Audience(LANGUAGE, language="es"),
        Audience(ROOM, room_id=room, day=day),
    ]
    for audience in cases:
        assert Audience.parse(audience.spec, programme) == audience
        assert len(f"bc|a|999999999999|{audience.spec}".encode()) <= 64  # fits a button's callback data
    assert Audience(LANGUAGE, language="es").spec == "lang:es"
    assert Audience(ROOM, room_id=room, day=day).spec == f"room:{room}:{day.isoformat()}"
    with pytest.raises(ValueError, match="no session with id 'nope'"):
        Audience.parse("session:nope", programme)
    # A stored audience whose session has left the programme is still read.
    assert Audience.parse("session:nope", programme, known_only=False) == Audience(SESSION, session_id="nope")


async def test_tasks_sharing_a_connection_take_turns(services: Services) -> None:
    db = services.database
    inside = asyncio.Event()

    async def failing_action() -> None:
        async with transaction(db):
            await users.record_contact(db, 98, "A", "en", NOW)
            inside.set()
            await asyncio.sleep(0.05)  # another task writes meanwhile
            raise RuntimeError("rolled back")

    async def other_action() -> None:
        await inside.wait()
        await users.record_contact(db, 97, "B", "en", NOW)

    results = await asyncio.gather(failing_action(), other_action(), return_exceptions=True)
    assert isinstance(results[0], RuntimeError) and results[1] is None
    # The other task's write neither went down with the failed action nor was committed inside it.
    assert await users.get_user(db, 98) is None
    assert await users.get_user(db, 97) is not None


async def test_stop_once_every_message_was_handled_finishes_it_as_done(services: Services) -> None:
    draft = await lifecycle.create_draft(services, 7, "Hello", audience=(Audience(ALL), 2))
    await lifecycle.send_now(services, draft, 7)
    sending = await store.get(services.database, draft.id)
    assert sending is not None
    # Both messages went out; the report has not yet marked the broadcast done.
    await services.database.execute("UPDATE outbox SET state = 'sent' WHERE batch = ?", (draft.batch,))
    await services.database.commit()
    assert await lifecycle.stop(services, sending, 8) is None
    after = await store.get(services.database, draft.id)
    assert after is not None and after.state == store.DONE
    assert sorted(a.action for a in await audit.entries(services.database)) == ["broadcast.done", "broadcast.send"]
