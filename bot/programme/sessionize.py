"""Sessionize "All" JSON (`/api/v2/<id>/view/All`): sessions, speakers, categories and rooms.

Sessionize stores local wall-clock times and no time zone (some clients append a bogus "Z"), so times are
read as local to EVENT_TIMEZONE / --timezone, and the import refuses to guess when neither is set. The
payload has no conference name either: the file name stands in until the organiser's own file replaces it.
Sessions without a time (accepted but not yet scheduled) are not on the programme and are skipped.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from bot.programme.errors import Problem, ProgrammeError
from bot.programme.importing import (
    VALUE_ERRORS,
    YEARS,
    ZoneChoice,
    cancelled_by_title,
    conference_day,
    default_zone,
    fallback_id,
    load_json,
    plain_text,
    require_sessions,
    unreadable,
)
from bot.programme.model import Programme, Room, Session, SessionStatus, Speaker, Venue

logger = logging.getLogger(__name__)

FORMAT = "sessionize"
_CANCELLED = {"cancelled", "canceled", "declined", "withdrawn"}
_TYPE_GROUPS = ("format", "type", "session format", "session type")


def sniff(data: bytes, source: str) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b'"sessions"' in head and b'"startsAt"' in data


def parse(data: bytes, source: str, default_tz: str | None = None) -> Programme:
    raw = load_json(data, source)
    if not isinstance(raw, dict) or not isinstance(raw.get("sessions"), list):
        raise ProgrammeError.single(source, "sessions", "missing: this is not a Sessionize 'All' export")
    choice = default_zone(source, default_tz, "sessions[].startsAt", "Sessionize exports carry no time zone")
    rooms = {str(r.get("id")): _room(r) for r in _dicts(raw, "rooms")}
    speakers = {str(s.get("id")): _speaker(s) for s in _dicts(raw, "speakers")}
    categories = _categories(raw)
    sessions: list[Session] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    skipped = 0
    for index, item in enumerate(raw["sessions"]):
        item = item if isinstance(item, dict) else {}
        where = f"sessions[{index}]"
        title = str(item.get("title") or "").strip()
        try:
            start, end = _local(item.get("startsAt"), choice), _local(item.get("endsAt"), choice)
        except VALUE_ERRORS as exc:
            problems.append(unreadable(source, where, exc))
            continue
        if start is None and not item.get("startsAt"):
            skipped += 1
            continue
        if start is None or end is None or end <= start:
            problems.append(Problem(source, where, f"{title[:40]!r}: startsAt/endsAt missing, unreadable or reversed"))
            continue
        ident = str(item.get("id") or "").strip() or fallback_id(title, start)
        if ident in seen:
            problems.append(
                Problem(source, where + ".id", f"duplicate id {ident!r} (first at sessions[{seen[ident]}])")
            )
            continue
        seen[ident] = index
        room = rooms.get(str(item.get("roomId")))
        if room is None and item.get("room"):
            room = Room(id=str(item["room"]).strip(), name=str(item["room"]).strip())
            rooms[room.id] = room
        kind, track = _kind_and_track(item, categories)
        status = str(item.get("status") or "").lower()
        cancelled = status in _CANCELLED or cancelled_by_title(title)
        sessions.append(
            Session(
                id=ident,
                title=title or "(untitled)",
                start=start,
                end=end,
                room_id=room.id if room else "",
                day=conference_day(start),
                type=kind or ("service" if item.get("isServiceSession") else ""),
                track=track,
                speaker_ids=tuple(speakers[str(s)].id for s in item.get("speakers") or [] if str(s) in speakers),
                description=plain_text(str(item.get("description") or "")),
                status=SessionStatus.CANCELLED if cancelled else SessionStatus.CONFIRMED,
                url=str(item.get("liveUrl") or ""),
            )
        )
    if problems:
        raise ProgrammeError(problems)
    require_sessions(source, len(sessions), "sessions")
    name = PurePosixPath(source).stem
    extra = {"time_zone_source": choice.source, "metadata": "none"}
    if skipped:
        extra["skipped"] = f"{skipped} sessions without a time"
    return Programme(
        name=name,
        timezone=choice.zone,
        days=tuple(sorted({s.day for s in sessions})),
        venue=Venue(name=name),
        rooms=tuple({r.id: r for r in rooms.values()}.values()),
        speakers=tuple(speakers.values()),
        sessions=tuple(sessions),
        source=source,
        format=FORMAT,
        extra=extra,
    )


def _local(value: Any, choice: ZoneChoice) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        wall = datetime.fromisoformat(value.strip().removesuffix("Z")[:19])
    except ValueError:
        return None
    return wall.replace(tzinfo=choice.zone) if wall.year in YEARS else None


def _room(raw: dict[str, Any]) -> Room:
    name = str(raw.get("name") or raw.get("id") or "").strip()
    return Room(id=name, name=name)


def _speaker(raw: dict[str, Any]) -> Speaker:
    name = str(raw.get("fullName") or f"{raw.get('firstName') or ''} {raw.get('lastName') or ''}").strip()
    return Speaker(
        id="p:" + str(raw.get("id")),
        name=name or "?",
        role=str(raw.get("tagLine") or ""),
        bio=str(raw.get("bio") or ""),
    )


def _categories(raw: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Category item id → (group title, item name)."""
    found: dict[str, tuple[str, str]] = {}
    for group in _dicts(raw, "categories"):
        title = str(group.get("title") or "").strip()
        for item in group.get("items") or []:
            if isinstance(item, dict):
                found[str(item.get("id"))] = (title, str(item.get("name") or "").strip())
    return found


def _kind_and_track(item: dict[str, Any], categories: dict[str, tuple[str, str]]) -> tuple[str, str]:
    kind = track = other = ""
    for cid in item.get("categoryItems") or []:
        group, name = categories.get(str(cid), ("", ""))
        if group.lower() in _TYPE_GROUPS:
            kind = kind or name
        elif "track" in group.lower():
            track = track or name
        else:
            other = other or name
    return kind, track or other


def _dicts(raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = raw.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
