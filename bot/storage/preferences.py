"""Per-user settings: reminder lead, reminders on/off, mute for a day, digest, run-up and change-alert switches.

A user without a row has the defaults below. Later features read their switch with `get_preferences` (one
user) or `opted_out` (everyone who switched it off) and never write here except through `update_preferences`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

import aiosqlite

from bot.storage.db import fetch_one, to_db, transaction

REMINDER_CHOICES = (5, 10, 15, 30)  # minutes before a session; "off" is `reminders = False`
DEFAULT_REMINDER_MINUTES = 10

Switch = Literal["reminders", "digest", "runup", "change_alerts"]


@dataclass(frozen=True)
class Preferences:
    user_id: int
    reminder_minutes: int = DEFAULT_REMINDER_MINUTES
    reminders: bool = True
    muted_day: date | None = None
    digest: bool = True
    runup: bool = True
    change_alerts: bool = True

    @property
    def reminder_lead(self) -> timedelta | None:
        """How long before a session its reminder is due, or None when reminders are off."""
        return timedelta(minutes=self.reminder_minutes) if self.reminders else None

    def muted_on(self, day: date) -> bool:
        return self.muted_day == day


def _preferences(row: aiosqlite.Row) -> Preferences:
    return Preferences(
        user_id=row["user_id"],
        reminder_minutes=row["reminder_minutes"],
        reminders=bool(row["reminders"]),
        muted_day=date.fromisoformat(row["muted_day"]) if row["muted_day"] else None,
        digest=bool(row["digest"]),
        runup=bool(row["runup"]),
        change_alerts=bool(row["change_alerts"]),
    )


async def get_preferences(db: aiosqlite.Connection, user_id: int) -> Preferences:
    row = await fetch_one(db, "SELECT * FROM user_settings WHERE user_id = ?", (user_id,))
    return _preferences(row) if row else Preferences(user_id)


async def preferences_of(db: aiosqlite.Connection, user_ids: Iterable[int]) -> dict[int, Preferences]:
    """Preferences of many users at once, defaults included for those without a row."""
    wanted = sorted(set(user_ids))
    rows = await db.execute_fetchall(
        "SELECT * FROM user_settings WHERE user_id IN (SELECT value FROM json_each(?))", (json.dumps(wanted),)
    )
    found = {row["user_id"]: _preferences(row) for row in rows}
    return {uid: found.get(uid) or Preferences(uid) for uid in wanted}


async def update_preferences(
    db: aiosqlite.Connection,
    user_id: int,
    now: datetime,
    *,
    reminder_minutes: int | None = None,
    reminders: bool | None = None,
    muted_day: date | Literal["clear"] | None = None,
    digest: bool | None = None,
    runup: bool | None = None,
    change_alerts: bool | None = None,
) -> Preferences:
    """Change the given settings (others keep their value) and return the result."""
    if reminder_minutes is not None and reminder_minutes not in REMINDER_CHOICES:
        raise ValueError(f"reminder lead must be one of {REMINDER_CHOICES}, not {reminder_minutes}")
    async with transaction(db):
        current = await get_preferences(db, user_id)
        muted = current.muted_day if muted_day is None else (None if muted_day == "clear" else muted_day)

        def pick(new: bool | None, old: bool) -> int:
            return int(old if new is None else new)

        await db.execute(
            """
            INSERT INTO user_settings
                (user_id, reminder_minutes, reminders, muted_day, digest, runup, change_alerts, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET
                reminder_minutes = excluded.reminder_minutes, reminders = excluded.reminders,
                muted_day = excluded.muted_day, digest = excluded.digest, runup = excluded.runup,
                change_alerts = excluded.change_alerts, updated_at = excluded.updated_at
            """,
            (
                user_id,
                current.reminder_minutes if reminder_minutes is None else reminder_minutes,
                pick(reminders, current.reminders),
                muted.isoformat() if muted else None,
                pick(digest, current.digest),
                pick(runup, current.runup),
                pick(change_alerts, current.change_alerts),
                to_db(now),
            ),
        )
    return await get_preferences(db, user_id)


async def opted_out(db: aiosqlite.Connection, switch: Switch) -> set[int]:
    """Users who switched `switch` off (everyone else, with or without a row, has it on)."""
    column = {"reminders": "reminders", "digest": "digest", "runup": "runup", "change_alerts": "change_alerts"}[switch]
    # The column name comes from the fixed table above, never from input.
    rows = await db.execute_fetchall(f"SELECT user_id FROM user_settings WHERE {column} = 0")
    return {row[0] for row in rows}
