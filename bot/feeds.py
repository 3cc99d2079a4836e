"""Live calendar feeds: a delegate's bookmarks, or the whole programme, as the calendar app fetches them.

The feed is made anew at each request from the programme in force, so a moved session moves in the delegate's
calendar (same UID, higher SEQUENCE), a cancelled one shows as cancelled and a removed one disappears. The same
programme, bookmarks and reminder lead give the same bytes, so the ETag (their hash) tells a calendar app
whether anything changed; Last-Modified is when a delegate's feed last changed, recorded when it was served.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import aiosqlite

from bot.agenda import agenda_sessions
from bot.calendar_export import agenda_calendar
from bot.programme.model import Programme
from bot.storage import bookmarks, calendar_feeds, preferences
from bot.storage import programme_versions as versions

FEED_PATH = "/cal/{token}.ics"
PROGRAMME_FEED_PATH = "/cal/programme.ics"

# A programme that was never stored as a version (tests, a fresh database) still gives stable bytes.
_NO_VERSION = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedBody:
    """A feed as served: the calendar, its ETag, and since when it has been this (None: not known)."""

    body: bytes
    etag: str
    last_modified: datetime | None


def feed_url(base: str, token: str) -> str:
    """A delegate's feed on the bot's web server at `base` (PUBLIC_URL, or WEBHOOK_URL's origin)."""
    return base + FEED_PATH.format(token=token)


def webcal_url(url: str) -> str:
    """The same feed for a calendar app's subscription (webcal:// is http(s):// by another name)."""
    return "webcal://" + url.split("://", 1)[1]


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


async def _version(db: aiosqlite.Connection) -> tuple[int, datetime]:
    """The programme version in force, as a calendar's SEQUENCE, and when it was applied."""
    latest = await versions.latest_applied(db)
    if latest is None:
        return 0, _NO_VERSION
    return latest.id, latest.applied_at or latest.created_at


class ProgrammeFeed:
    """The public feed of every session, made once per programme version: FOSDEM's 943 take ~0.3 s to render,
    which is done in a worker thread so the bot's event loop goes on meanwhile."""

    def __init__(self) -> None:
        self._made_for: tuple[Programme, int] | None = None
        self._feed: FeedBody | None = None

    async def get(self, db: aiosqlite.Connection, programme: Programme) -> FeedBody:
        sequence, applied = await _version(db)
        made_for = self._made_for
        if self._feed is None or made_for is None or made_for[0] is not programme or made_for[1] != sequence:
            body = await asyncio.to_thread(agenda_calendar, programme, programme.sessions, applied, sequence=sequence)
            self._feed, self._made_for = FeedBody(body, etag_of(body), applied), (programme, sequence)
        return self._feed


async def personal_feed(db: aiosqlite.Connection, programme: Programme, token: str, now: datetime) -> FeedBody | None:
    """The feed a token opens: its delegate's bookmarked sessions, with a VALARM at their reminder lead.

    None for an unknown or revoked token.
    """
    feed = await calendar_feeds.feed_by_token(db, token)
    if feed is None:
        return None
    sequence, applied = await _version(db)
    sessions = agenda_sessions(programme, await bookmarks.bookmarked_ids(db, feed.user_id))
    prefs = await preferences.get_preferences(db, feed.user_id)
    name = f"{programme.acronym or programme.name} ★"
    body = agenda_calendar(programme, sessions, applied, alarm=prefs.reminder_lead, sequence=sequence, name=name)
    etag = etag_of(body)
    changed_at = feed.changed_at
    if etag != feed.etag or changed_at is None:
        # One write when the content changed since it was last served, none on the calendar app's usual poll.
        await calendar_feeds.note_served(db, feed.user_id, etag, now)
        changed_at = now
    return FeedBody(body, etag, changed_at)
