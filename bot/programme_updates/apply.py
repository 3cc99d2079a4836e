"""Reading a new programme version, and applying it: stored, put in force, reminders moved, delegates told.

The newest applied version in the database is the programme in force, for the running bot and for the
command line alike: the bot starts from it (else from PROGRAMME_PATH; see start_up.py) and picks up one
applied elsewhere (`sync_from_database`). A refused import changes nothing: no version, no alert, the
programme in force stays.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, replace
from datetime import timedelta

from bot.programme.diff import Field, Kind, ProgrammeDiff, diff_programmes
from bot.programme.errors import ProgrammeError
from bot.programme.model import Programme
from bot.programme.timezones import zone
from bot.programme_updates import fetch
from bot.programme_updates.alerts import AlertReport, render_change_alerts, save_change_alerts
from bot.programme_updates.fetch import ReadLimits
from bot.reminders.queue import tick
from bot.services import Services
from bot.storage import bookmarks, preferences
from bot.storage import programme_versions as versions
from bot.storage.db import transaction
from bot.storage.reminders import drop_pending_reminders

logger = logging.getLogger(__name__)

VERSION_KEY = "programme_version"  # Programme.extra: the stored version a programme in force came from
BASED_ON = "based_on"  # a pending version's summary: the version in force when it was read
_ATTEMPTS = 3  # apply without check_base: how often a version is compared again when others are applied meanwhile


class UpdateError(Exception):
    """An update was refused; `problems` say why, one line each, naming the file or URL."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class StaleUpdate(UpdateError):
    """Another version was applied after this one was read: its summary no longer describes the change."""


@dataclass(frozen=True)
class Prepared:
    """A version read and compared with the programme in force; stored as pending unless unchanged or a dry run."""

    version_id: int | None
    programme: Programme
    base: Programme
    diff: ProgrammeDiff
    followers: int  # delegates who follow an affected session and have change alerts on
    removes_too_many: bool = False  # never applied without an organiser's Apply (PROGRAMME_MAX_REMOVED_SHARE)
    other_conference: bool = False  # never applied without an explicit "replace the conference"

    @property
    def unchanged(self) -> bool:
        return self.diff.is_empty and not self.diff.other_edits

    @property
    def needs_organiser(self) -> bool:
        """Never applied on its own (start-up, polling): an organiser decides."""
        return self.removes_too_many or self.other_conference


@dataclass(frozen=True)
class Applied:
    version_id: int
    diff: ProgrammeDiff
    alerts: AlertReport
    reminders_dropped: int


def version_of(programme: Programme) -> int | None:
    value = programme.extra.get(VERSION_KEY)
    return int(value) if value else None


def _stamped(programme: Programme, version_id: int) -> Programme:
    return replace(programme, extra={**programme.extra, VERSION_KEY: str(version_id)})


async def read_location(location: str, limits: ReadLimits, *, until: float | None = None) -> bytes:
    """The bytes of a path or an http(s) URL, within `limits` (see bot.programme_updates.fetch)."""
    try:
        return await fetch.read_location(location, limits, until=until)
    except ProgrammeError as exc:
        raise UpdateError([str(p) for p in exc.problems]) from exc


async def prepare(
    services: Services,
    data: bytes,
    source: str,
    *,
    timezone: str | None,
    created_by: str,
    store: bool = True,
    until: float | None = None,
) -> Prepared:
    """Parse `data` (by `until`), compare it with the programme in force, and store it as pending if it differs."""
    tz = timezone or services.settings.event_timezone
    if tz and zone(tz) is None:
        raise UpdateError([f"unknown time zone {tz!r} (--timezone / EVENT_TIMEZONE)"])
    try:
        programme = await fetch.parse(data, source, tz, ReadLimits.of(services.settings), until=until)
    except ProgrammeError as exc:
        raise UpdateError([str(p) for p in exc.problems]) from exc
    return await compare(services, programme, created_by=created_by, store=store)


async def compare(services: Services, programme: Programme, *, created_by: str, store: bool = True) -> Prepared:
    """Compare a programme read for an update with the one in force; store it as pending if it differs."""
    await sync_from_database(services)
    base = services.programme
    programme = _keep_metadata(programme, base)
    db = services.database
    seen = await versions.seen_session_ids(db) | {s.id for s in base.sessions}
    diff = diff_programmes(base, programme, seen)
    followers = await _followers(services, diff)
    too_many = removes_too_many(diff, base, services.settings.programme_max_removed_share)
    other = another_conference(base, programme)
    if (diff.is_empty and not diff.other_edits) or not store:
        return Prepared(None, programme, base, diff, followers, too_many, other)
    # The programme in force is stored first (once), so that it stays older than the version read now.
    based_on = {BASED_ON: await ensure_baseline(services)}
    stored = await versions.add_version(db, programme, services.clock.now(), created_by, summary=based_on)
    logger.info("Programme version %d read from %s (%s): %s", stored.id, programme.source, created_by, _counts(diff))
    return Prepared(stored.id, _stamped(programme, stored.id), base, diff, followers, too_many, other)


def removes_too_many(diff: ProgrammeDiff, base: Programme, share: float) -> bool:
    """Whether `diff` removes more than `share` of the sessions in force: a cut file, not a programme change."""
    return len(diff.of(Kind.REMOVED)) > share * len(base.sessions)


def another_conference(base: Programme, new: Programme) -> bool:
    """Whether `new` is another conference than `base` (another name, or no day in common), not a new version."""
    if not base.days or not new.days:
        return False
    if _name(base) and _name(new) and _name(base) != _name(new):
        return True
    return max(new.days) < min(base.days) or max(base.days) < min(new.days)


def _name(programme: Programme) -> str:
    return " ".join(programme.name.split()).casefold()


def _keep_metadata(programme: Programme, base: Programme) -> Programme:
    """Sessionize and a CSV without names carry no conference name or venue: keep those of the programme in force."""
    if programme.extra.get("metadata") != "none":
        return programme
    return replace(
        programme,
        name=base.name,
        acronym=base.acronym,
        description=base.description,
        url=base.url,
        organiser=base.organiser,
        venue=base.venue,
    )


async def _followers(services: Services, diff: ProgrammeDiff) -> int:
    if not diff.affected_ids:
        return 0
    found = {f.user_id for f in await bookmarks.followers(services.database, sorted(diff.affected_ids))}
    return len(found - await preferences.opted_out(services.database, "change_alerts"))


def _counts(diff: ProgrammeDiff) -> dict[str, int]:
    counts = {str(kind): n for kind, n in diff.counts().items()}
    counts["other_edits"] = diff.other_edits
    return counts


async def apply(services: Services, version_id: int, *, check_base: bool = False) -> Applied:
    """Put a pending version in force; with `check_base`, refuse (StaleUpdate) if another was applied since it was read.

    Without the check (the command line, automatic polling, start-up) the version is compared with whatever is
    in force, again if another version was applied while its alerts were being rendered.
    """
    for _ in range(0 if check_base else _ATTEMPTS - 1):
        with contextlib.suppress(StaleUpdate):
            return await _apply(services, version_id, check_base=check_base)
    return await _apply(services, version_id, check_base=check_base)


async def _apply(services: Services, version_id: int, *, check_base: bool) -> Applied:
    db = services.database
    await sync_from_database(services)
    stored = await versions.get_version(db, version_id)
    if stored is None or stored.state != versions.PENDING:
        raise UpdateError([f"programme version {version_id} is {stored.state if stored else 'unknown'}, not pending"])
    if check_base and version_of(services.programme) != stored.summary.get(BASED_ON):
        raise StaleUpdate(["the programme in force changed since this version was read"])
    new = await versions.load_snapshot(db, version_id)
    assert new is not None  # pending versions keep their snapshot
    base = services.programme
    base_version = await ensure_baseline(services)
    seen = await versions.seen_session_ids(db)
    diff = diff_programmes(base, new, seen)
    now = services.clock.now()
    # Rendered before the transaction: thousands of alerts take a while, and the write lock waits for nobody.
    plan = await render_change_alerts(
        db,
        diff,
        base=base,
        base_version=base_version,
        new=new,
        new_version=version_id,
        now=now,
        debounce=timedelta(minutes=services.settings.change_alert_debounce_minutes),
        seen=seen,
        load_version=lambda v: versions.load_snapshot(db, v),
    )
    # One transaction puts the version in force and queues its alerts: a crash leaves both or neither, never a
    # version in force whose followers were not told.
    async with transaction(db):
        latest = await versions.latest_applied(db)
        if latest is None or latest.id != base_version:
            raise StaleUpdate(["another programme version was applied while this one was being applied"])
        if not await versions.mark_applied(db, version_id, now, _counts(diff), [s.id for s in new.sessions]):
            raise UpdateError([f"programme version {version_id} was applied or discarded meanwhile"])
        dropped = await _drop_stale_reminders(services, diff)
        report = await save_change_alerts(db, plan, now)
    services.programmes.replace(_stamped(new, version_id))
    await _queue_reminders(services)
    logger.info("Programme version %d applied: %s; %s", version_id, _counts(diff), report)
    return Applied(version_id, diff, report, dropped)


async def version_state(services: Services, version_id: int) -> str:
    """'pending', 'applied', 'discarded', or 'unknown'."""
    stored = await versions.get_version(services.database, version_id)
    return stored.state if stored else "unknown"


async def pending_programme(services: Services, version_id: int) -> Programme | None:
    stored = await versions.get_version(services.database, version_id)
    if stored is None or stored.state != versions.PENDING:
        return None
    return await versions.load_snapshot(services.database, version_id)


async def discard(services: Services, version_id: int) -> bool:
    return await versions.discard(services.database, version_id)


async def discard_pending_of(services: Services, created_by: str) -> int:
    """Discard the versions one organiser was shown and has neither applied nor discarded; how many."""
    pending = await versions.pending_versions(services.database, created_by)
    return sum([await versions.discard(services.database, v.id) for v in pending])


async def ensure_baseline(services: Services) -> int:
    """The stored version of the programme in force; the first update stores the start-up programme as version 1."""
    current = version_of(services.programme)
    if current is not None:
        return current
    db = services.database
    stored = await versions.add_version(
        db, services.programme, services.clock.now(), "start-up", state=versions.APPLIED
    )
    await versions.mark_seen(db, stored.id, [s.id for s in services.programme.sessions])
    services.programmes.replace(_stamped(services.programme, stored.id))
    return stored.id


async def restore_latest(services: Services) -> versions.StoredVersion | None:
    """At start-up: put the newest applied version in force instead of PROGRAMME_PATH, if there is one."""
    latest = await versions.latest_applied(services.database)
    if latest is None:
        return None
    programme = await versions.load_snapshot(services.database, latest.id)
    if programme is None:
        return None
    services.programmes.replace(_stamped(programme, latest.id))
    logger.info(
        "Programme in force: version %d from %s (applied %s); PROGRAMME_PATH is used only before the first update",
        latest.id,
        latest.source,
        latest.applied_at,
    )
    return latest


async def sync_from_database(services: Services) -> bool:
    """Pick up a version applied by another process (the command line); True when the programme changed."""
    latest = await versions.latest_applied(services.database)
    if latest is None or latest.id == version_of(services.programme):
        return False
    return await restore_latest(services) is not None


async def _drop_stale_reminders(services: Services, diff: ProgrammeDiff) -> int:
    """Reminders queued for an old time, or for a session that will not happen, must not go out."""
    dropped = 0
    for change in diff.changes:
        if change.kind in (Kind.CANCELLED, Kind.REMOVED):
            dropped += await drop_pending_reminders(services.database, change.session_id)
        elif change.new is not None and Field.TIME in change.fields:
            dropped += await drop_pending_reminders(services.database, change.session_id, keep_start=change.new.start)
    return dropped


async def _queue_reminders(services: Services) -> None:
    """Queue reminders at the new times now rather than at the next tick."""
    await tick(services)
