"""After a programme change: one message per delegate who follows an affected session, through the outbox.

Several imports within CHANGE_ALERT_DEBOUNCE_MINUTES merge: a delegate's alert waits in the outbox until the
window closes, and a later import re-renders it from the version the window started at, so a change and its
undoing cancel out and a session changed twice shows its first and last state. A change that touches a
session starting soon is sent at once rather than after the debounce.

Rendering (`render_change_alerts`) only reads, so that the thousands of messages of a large change are
made before the write lock is taken; `save_change_alerts` then writes them inside the caller's transaction,
the one that puts the version in force.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from bot import i18n
from bot.programme.diff import Change, Kind, ProgrammeDiff, diff_programmes
from bot.programme.model import Programme, Session
from bot.storage import bookmarks, change_alerts, preferences
from bot.storage.change_alerts import KIND, Rendered, Window
from bot.storage.outbox import OutgoingMessage
from bot.views.changes import change_alert

logger = logging.getLogger(__name__)

ALTERNATIVES = 3
URGENT = timedelta(minutes=30)  # a change this close to a session's start (plus the debounce) goes out at once

LoadVersion = Callable[[int], Awaitable[Programme | None]]


@dataclass(frozen=True)
class AlertPlan:
    """Every concerned delegate's alert for one import, rendered but not written yet."""

    new_version: int
    decisions: tuple[Rendered, ...]
    windows: dict[int, Window]  # the debounce windows open when the alerts were rendered
    opted_out: int


@dataclass(frozen=True)
class AlertReport:
    queued: int  # delegates who will get (or already wait for) one message about this import
    dropped: int  # pending alerts withdrawn because a later import undid their changes
    opted_out: int  # followers of affected sessions who switched change alerts off


def alternatives(
    programme: Programme, gone: Session, exclude: Collection[str], limit: int = ALTERNATIVES
) -> list[Session]:
    """Up to `limit` sessions running in the same time slot as a cancelled or removed one, nearest start first."""
    found = [
        s
        for s in programme.sessions
        if s.start < gone.end and s.end > gone.start and not s.is_cancelled and s.id != gone.id and s.id not in exclude
    ]
    found.sort(key=lambda s: (abs((s.start - gone.start).total_seconds()), s.start, s.room_id, s.title))
    return found[:limit]


def send_at(changes: Collection[Change], now: datetime, debounce: timedelta) -> datetime:
    """When the alert may go: after the debounce, unless a session concerned starts soon."""
    starts = [s.start for c in changes for s in (c.old, c.new) if s is not None and s.start > now]
    if starts and min(starts) - now < debounce + URGENT:
        return now
    return now + debounce


class _Diffs:
    """The diff from each window's base version to the new programme, computed once per base."""

    def __init__(self, new: Programme, seen: Collection[str], load: LoadVersion) -> None:
        self.new, self.seen, self.load = new, seen, load
        self._found: dict[int, tuple[Programme, ProgrammeDiff] | None] = {}

    def know(self, version: int, base: Programme, diff: ProgrammeDiff) -> None:
        self._found[version] = (base, diff)

    async def get(self, version: int) -> tuple[Programme, ProgrammeDiff] | None:
        if version not in self._found:
            base = await self.load(version)
            self._found[version] = (base, diff_programmes(base, self.new, self.seen)) if base else None
        return self._found[version]


@dataclass
class _Import:
    """What every delegate's decision of one import shares."""

    base_version: int
    new: Programme
    new_version: int
    diffs: _Diffs
    options: dict[str, list[Session]]
    now: datetime
    debounce: timedelta


async def render_change_alerts(
    db: aiosqlite.Connection,
    diff: ProgrammeDiff,
    *,
    base: Programme,
    base_version: int,
    new: Programme,
    new_version: int,
    now: datetime,
    debounce: timedelta,
    seen: Collection[str],
    load_version: LoadVersion,
) -> AlertPlan:
    """Render (or re-render) the change alert of every delegate concerned by `diff` (base → new); writes nothing."""
    followers = await bookmarks.followers(db, sorted(diff.affected_ids)) if diff.affected_ids else []
    followed: dict[int, set[str]] = defaultdict(set)
    language: dict[int, str] = {}
    for f in followers:
        followed[f.user_id].add(f.session_id)
        language[f.user_id] = f.language
    windows = await change_alerts.open_windows(db)
    concerned = set(followed) | {u for u, w in windows.items() if w.session_ids & diff.affected_ids}
    off = await preferences.opted_out(db, "change_alerts")
    diffs = _Diffs(new, seen, load_version)
    diffs.know(base_version, base, diff)
    ctx = _Import(base_version, new, new_version, diffs, _options(diff, windows.values(), new), now, debounce)
    option_ids = sorted({o.id for found in ctx.options.values() for o in found})
    has: dict[int, set[str]] = defaultdict(set)
    for f in await bookmarks.followers(db, option_ids) if option_ids else []:
        has[f.user_id].add(f.session_id)
    decisions = []
    for user in sorted(concerned - off):
        window = windows.get(user)
        lang = language.get(user) or (window.language if window else i18n.DEFAULT_LANGUAGE)
        decision = await _decide(ctx, user, window, followed.get(user, set()), has[user], lang)
        if decision is not None:
            decisions.append(decision)
    return AlertPlan(new_version, tuple(decisions), windows, len(concerned & off))


async def save_change_alerts(db: aiosqlite.Connection, plan: AlertPlan, now: datetime) -> AlertReport:
    """Queue, rewrite or withdraw the rendered alerts in the outbox (joining the caller's transaction)."""
    queued = await change_alerts.save(db, plan.decisions, plan.windows, now)
    dropped = sum(1 for d in plan.decisions if d.message is None)
    report = AlertReport(queued, dropped, plan.opted_out)
    logger.info("Change alerts for version %d: %s", plan.new_version, report)
    return report


def _options(diff: ProgrammeDiff, windows: Collection[Window], new: Programme) -> dict[str, list[Session]]:
    """Alternatives for every cancelled or removed session a message may mention."""
    gone = {c.session_id: c.current for c in diff.changes if c.kind in (Kind.CANCELLED, Kind.REMOVED)}
    for window in windows:
        for sid in window.session_ids - gone.keys():
            session = new.session(sid)
            if session is not None and session.is_cancelled:
                gone[sid] = session
    # Twice as many as shown, so that skipping those a delegate already follows still leaves three.
    return {sid: alternatives(new, session, (), 2 * ALTERNATIVES) for sid, session in gone.items()}


async def _decide(
    ctx: _Import, user: int, window: Window | None, followed: set[str], has: set[str], language: str
) -> Rendered | None:
    start_version = window.base_version if window else ctx.base_version
    ids = followed | (window.session_ids if window else frozenset())
    found = await ctx.diffs.get(start_version)
    if found is None:
        logger.warning("Programme version %d is gone; alerting user %d from the previous one", start_version, user)
        found = await ctx.diffs.get(ctx.base_version)
        assert found is not None  # known from the start
    base, diff = found
    changes = sorted(diff.affecting(ids), key=lambda c: (c.current.start, c.current.title))
    if not changes:
        # Undone by this import: withdraw the pending alert (nothing to do when none was pending).
        return Rendered(user, start_version, frozenset(ids), None) if window else None
    picked = {
        c.session_id: [o for o in ctx.options.get(c.session_id, []) if o.id not in has][:ALTERNATIVES] for c in changes
    }
    reply = change_alert(changes, base, ctx.new, i18n.lang(language), picked, has)
    message = OutgoingMessage(
        key=f"{KIND}:{user}:{ctx.new_version}",
        chat_id=user,
        kind=KIND,
        payload=reply.to_payload(),
        not_before=send_at(changes, ctx.now, ctx.debounce),
        # Old news is noise: once every session concerned is over, an alert that could not be sent is dropped.
        expires_at=max(max(c.current.end for c in changes), ctx.now + ctx.debounce + timedelta(hours=1)),
        batch=f"programme:{ctx.new_version}",
    )
    return Rendered(user, start_version, frozenset(ids), message)
