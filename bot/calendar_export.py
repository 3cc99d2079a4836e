"""A delegate's agenda as an iCalendar file that phones import: one VEVENT per bookmark, in the event's zone.

Times carry the programme's TZID with a matching VTIMEZONE, so a phone in another zone shows them right; the
UID comes from the session id, so importing an updated file replaces the events instead of duplicating them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from icalendar import Alarm, Calendar, Event

from bot.programme.model import Programme, Session

PRODID = "-//conference-companion-bot//agenda//EN"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "conference"


def calendar_filename(programme: Programme) -> str:
    return f"{_slug(programme.acronym or programme.name)}-my-agenda.ics"


def event_uid(programme: Programme, session: Session) -> str:
    return f"{session.id}@{_slug(programme.acronym or programme.name)}.conference-companion"


def _location(programme: Programme, session: Session) -> str:
    venue = programme.venue
    parts = [programme.room(session.room_id).name, venue.name, venue.address]
    return ", ".join(p for p in parts if p)


def _description(programme: Programme, session: Session) -> str:
    parts: list[str] = []
    if session.subtitle:
        parts.append(session.subtitle)
    speakers = programme.speakers_of(session)
    if speakers:
        parts.append(
            "\n".join(
                sp.name
                + (f" ({', '.join(p for p in (sp.role, sp.organisation) if p)})" if sp.role or sp.organisation else "")
                for sp in speakers
            )
        )
    if session.description:
        parts.append(session.description)
    if session.note:
        parts.append(session.note)
    if session.url:
        parts.append(session.url)
    return "\n\n".join(parts)


def _status(session: Session) -> str:
    if session.is_cancelled:
        return "CANCELLED"
    return "TENTATIVE" if session.is_provisional else "CONFIRMED"


def _alarm(title: str, lead: timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", -lead)
    return alarm


def agenda_calendar(
    programme: Programme,
    sessions: Iterable[Session],
    now: datetime,
    *,
    alarm: timedelta | None = None,
    sequence: int | None = None,
    name: str | None = None,
) -> bytes:
    """The .ics bytes for `sessions` (cancelled ones are exported as STATUS:CANCELLED so phones update them).

    A live feed passes the programme version's number as `sequence` and the instant it was applied as `now`
    (DTSTAMP and LAST-MODIFIED), so the same programme gives the same bytes and a new version is newer to a
    calendar app; `alarm` adds a VALARM that long before each session.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name or programme.name)
    cal.add("x-wr-timezone", str(programme.timezone))
    ordered = sorted(sessions, key=lambda s: (s.start, s.room_id))
    for session in ordered:
        event = Event()
        event.add("uid", event_uid(programme, session))
        event.add("dtstamp", now)
        event.add("dtstart", programme.local(session.start))
        event.add("dtend", programme.local(session.end))
        event.add("summary", session.title)
        event.add("location", _location(programme, session))
        description = _description(programme, session)
        if description:
            event.add("description", description)
        if session.url:
            event.add("url", session.url)
        categories = [c for c in (session.type, session.track) if c]
        if categories:
            event.add("categories", categories)
        event.add("status", _status(session))
        if sequence is not None:
            event.add("sequence", sequence)
            event.add("last-modified", now)
        if alarm is not None and not session.is_cancelled:
            event.add_component(_alarm(session.title, alarm))
        cal.add_component(event)
    if ordered:
        # VTIMEZONE rules for a year either side (both standard and summer time), so importers need no zone data.
        cal.add_missing_timezones(
            first_date=(ordered[0].start - timedelta(days=366)).date(),
            last_date=(ordered[-1].end + timedelta(days=366)).date(),
        )
    return cal.to_ical()
