"""Numbered schema migrations, applied in order at start-up and recorded in `_migrations`.

Append-only: once a migration has run anywhere, never edit or remove it; add the next number instead.
They run in the order of this file, which must be the order of their numbers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiosqlite

Migration = Callable[[aiosqlite.Connection], Awaitable[None]]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
async def m001_users(db: aiosqlite.Connection) -> None:
    await db.execute(
        """
        CREATE TABLE users (
            user_id     INTEGER PRIMARY KEY,  -- the Telegram user id (private chat id is the same)
            first_name  TEXT NOT NULL DEFAULT '',
            language    TEXT NOT NULL DEFAULT 'en',
            first_seen  TEXT NOT NULL,        -- ISO 8601 UTC
            last_seen   TEXT NOT NULL,
            status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked'))
        )
        """
    )


@migration
async def m002_outbox(db: aiosqlite.Connection) -> None:
    # One row per message to one chat that the bot sends on its own initiative (reminders, digests,
    # broadcasts, run-up messages, change alerts). The idempotency key makes enqueuing twice a no-op.
    await db.execute(
        """
        CREATE TABLE outbox (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            key         TEXT NOT NULL UNIQUE,
            chat_id     INTEGER NOT NULL,
            kind        TEXT NOT NULL,
            payload     TEXT NOT NULL,            -- JSON: {"text": html, "buttons": [[{"label","data"|"url"}]]}
            not_before  TEXT NOT NULL,            -- ISO 8601 UTC: never sent earlier
            deadline    TEXT,                     -- should have arrived by then (bursts start early enough)
            expires_at  TEXT,                     -- never sent after this; dropped as expired
            state       TEXT NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'parked', 'dropped', 'expired')),
            attempts    INTEGER NOT NULL DEFAULT 0,
            last_error  TEXT NOT NULL DEFAULT '',
            batch       TEXT NOT NULL DEFAULT '', -- groups one broadcast/import for progress reports
            created_at  TEXT NOT NULL,
            sent_at     TEXT,
            message_id  INTEGER
        )
        """
    )
    await db.execute("CREATE INDEX outbox_due ON outbox (state, not_before)")
    await db.execute("CREATE INDEX outbox_chat ON outbox (chat_id, state, id)")
    await db.execute("CREATE INDEX outbox_batch ON outbox (batch, state)")


@migration
async def m003_outbox_dispatch(db: aiosqlite.Connection) -> None:
    # A row found in 'sending' after a crash may or may not have reached Telegram; it is sent again, and
    # `resends` counts those possible duplicates. The index serves the dispatcher's burst plan.
    await db.execute("ALTER TABLE outbox ADD COLUMN resends INTEGER NOT NULL DEFAULT 0")
    await db.execute("CREATE INDEX outbox_deadline ON outbox (state, deadline)")


@migration
async def m004_dispatch_lease(db: aiosqlite.Connection) -> None:
    # One dispatcher per database at a time (the bot, or a command line delivering while no bot runs).
    # `expires_at` is SQLite's julianday('now') clock: liveness is about real processes, not conference time.
    await db.execute(
        """
        CREATE TABLE dispatch_lease (
            name        TEXT PRIMARY KEY,
            holder      TEXT NOT NULL,            -- host:pid:token of the dispatching process
            expires_at  REAL NOT NULL             -- julianday; the holder renews it while alive
        )
        """
    )


@migration
async def m005_bookmarks(db: aiosqlite.Connection) -> None:
    # Keyed on the programme's stable session id, not on a row of a sessions table: a bookmark outlives a
    # re-import that drops its session for a while, and comes back with it.
    await db.execute(
        """
        CREATE TABLE bookmarks (
            user_id     INTEGER NOT NULL,
            session_id  TEXT NOT NULL,
            created_at  TEXT NOT NULL,        -- ISO 8601 UTC, on the bot's clock
            PRIMARY KEY (user_id, session_id)
        ) WITHOUT ROWID
        """
    )
    await db.execute("CREATE INDEX bookmarks_session ON bookmarks (session_id)")


@migration
async def m006_user_settings(db: aiosqlite.Connection) -> None:
    # A user without a row has every default; switches of later features default to on.
    await db.execute(
        """
        CREATE TABLE user_settings (
            user_id           INTEGER PRIMARY KEY,
            reminder_minutes  INTEGER NOT NULL DEFAULT 10 CHECK (reminder_minutes IN (5, 10, 15, 30)),
            reminders         INTEGER NOT NULL DEFAULT 1,  -- 0: off (/settings or "stop reminders")
            muted_day         TEXT,                        -- YYYY-MM-DD in event time: no reminders that day
            digest            INTEGER NOT NULL DEFAULT 1,  -- the morning digest
            runup             INTEGER NOT NULL DEFAULT 1,  -- organisers' run-up messages
            change_alerts     INTEGER NOT NULL DEFAULT 1,  -- messages about changes to bookmarked sessions
            updated_at        TEXT NOT NULL
        )
        """
    )


@migration
async def m008_programme_versions(db: aiosqlite.Connection) -> None:
    # Every programme read for an update: 'pending' until an organiser confirms it, then 'applied'. The
    # newest applied one is the programme in force, for the bot and the command line alike.
    await db.execute(
        """
        CREATE TABLE programme_versions (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'applied', 'discarded')),
            source      TEXT NOT NULL,            -- path, URL, or the name of a document sent to the bot
            format      TEXT NOT NULL,
            zone_source TEXT NOT NULL DEFAULT '', -- which time zone the import used, and why
            digest      TEXT NOT NULL,            -- sha256 of the snapshot: the same programme is not new
            snapshot    BLOB NOT NULL,            -- bot/programme/snapshot.py
            sessions    INTEGER NOT NULL,
            summary     TEXT NOT NULL DEFAULT '{}', -- JSON counts of the diff against the version replaced
            created_at  TEXT NOT NULL,
            created_by  TEXT NOT NULL DEFAULT '',   -- 'cli', 'poll', 'start-up', 'telegram:<user id>'
            applied_at  TEXT,
            applied_seq INTEGER UNIQUE                -- order of applying (a version read earlier may be applied later)
        )
        """
    )
    await db.execute("CREATE INDEX programme_versions_state ON programme_versions (state, created_by)")
    # Ids of every session any applied version held: one that comes back is 'restored', not 'added'.
    await db.execute("CREATE TABLE programme_seen_sessions (session_id TEXT PRIMARY KEY, version_id INTEGER)")


@migration
async def m009_programme_sources(db: aiosqlite.Connection) -> None:
    # What the last fetch of PROGRAMME_URL answered, for conditional GETs and for /reload to report.
    await db.execute(
        """
        CREATE TABLE programme_sources (
            url           TEXT PRIMARY KEY,
            etag          TEXT NOT NULL DEFAULT '',
            last_modified TEXT NOT NULL DEFAULT '',
            digest        TEXT NOT NULL DEFAULT '',  -- of the body last read: an unchanged body is skipped
            checked_at    TEXT NOT NULL,
            outcome       TEXT NOT NULL DEFAULT ''   -- 'not modified', 'unchanged', 'version <id>', or the error
        )
        """
    )


@migration
async def m010_change_alerts(db: aiosqlite.Connection) -> None:
    # One open debounce window per delegate: the pending outbox row that will tell them, the version their
    # changes are measured from, and the sessions concerned so far. Later imports re-render that row.
    await db.execute(
        """
        CREATE TABLE change_alerts (
            user_id      INTEGER NOT NULL,
            outbox_key   TEXT NOT NULL UNIQUE,
            base_version INTEGER NOT NULL REFERENCES programme_versions (id),
            session_ids  TEXT NOT NULL,  -- JSON list
            opened_at    TEXT NOT NULL,
            PRIMARY KEY (user_id, outbox_key)
        )
        """
    )


@migration
async def m013_broadcasts(db: aiosqlite.Connection) -> None:
    # One organiser broadcast from draft to delivery report; its outbox rows carry batch 'broadcast:<id>'.
    await db.execute(
        """
        CREATE TABLE broadcasts (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            organiser_id    INTEGER NOT NULL,            -- 0: the command line
            state           TEXT NOT NULL DEFAULT 'draft'
                            CHECK (state IN ('draft', 'scheduled', 'sending', 'done', 'stopped', 'cancelled')),
            text            TEXT NOT NULL DEFAULT '',    -- Telegram HTML, as the organiser formatted it
            media_kind      TEXT NOT NULL DEFAULT '' CHECK (media_kind IN ('', 'photo', 'document')),
            media_id        TEXT NOT NULL DEFAULT '',    -- Telegram file_id, re-sent without re-uploading
            audience        TEXT NOT NULL DEFAULT '',    -- all | s:<session> | l:<lang> | r:<room>:<YYYYMMDD>
            urgent          INTEGER NOT NULL DEFAULT 0,
            recipients      INTEGER NOT NULL DEFAULT 0,
            scheduled_at    TEXT,                        -- ISO 8601 UTC
            created_at      TEXT NOT NULL,
            started_at      TEXT,
            finished_at     TEXT,
            report_chat     INTEGER,                     -- the organiser's message that previews, then reports
            report_message  INTEGER
        )
        """
    )
    await db.execute("CREATE INDEX broadcasts_state ON broadcasts (state, scheduled_at)")


@migration
async def m014_audit(db: aiosqlite.Connection) -> None:
    # Every organiser action: who, what, when, to whom, how many.
    await db.execute(
        """
        CREATE TABLE audit_log (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            at            TEXT NOT NULL,
            organiser_id  INTEGER NOT NULL,
            action        TEXT NOT NULL,
            audience      TEXT NOT NULL DEFAULT '',
            count         INTEGER,
            detail        TEXT NOT NULL DEFAULT ''
        )
        """
    )


@migration
async def m015_runup(db: aiosqlite.Connection) -> None:
    # The run-up plan itself lives in data/; here is only what happened to each entry and organisers' changes.
    await db.execute(
        """
        CREATE TABLE runup_entries (
            entry_id    TEXT PRIMARY KEY,
            skipped     INTEGER NOT NULL DEFAULT 0,
            urgent      INTEGER,                 -- NULL: as the file says
            outcome     TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'enqueued', 'expired')),
            recipients  INTEGER NOT NULL DEFAULT 0,
            done_at     TEXT
        )
        """
    )
    await db.execute(
        """
        CREATE TABLE runup_edits (
            entry_id    TEXT NOT NULL,
            language    TEXT NOT NULL,
            text        TEXT NOT NULL,
            edited_by   INTEGER NOT NULL,
            edited_at   TEXT NOT NULL,
            PRIMARY KEY (entry_id, language)
        )
        """
    )


@migration
async def m016_dialogues(db: aiosqlite.Connection) -> None:
    # Where an organiser's unfinished dialogue stands (its step, its draft): a restart must not drop it.
    await db.execute(
        """
        CREATE TABLE dialogues (
            scope       TEXT NOT NULL,   -- 'conversation:<name>' or 'user'
            key         TEXT NOT NULL,   -- JSON: the conversation key, or the user id
            value       TEXT NOT NULL,   -- JSON
            saved_at    TEXT NOT NULL,   -- ISO 8601, the bot's clock
            PRIMARY KEY (scope, key)
        )
        """
    )


@migration
async def m017_audience_text(db: aiosqlite.Connection) -> None:
    # Audiences take the one textual form of bot/audience.py, which the command line and buttons use too:
    # s:<id> → session:<id>, l:<code> → lang:<code>, r:<room>:<YYYYMMDD> → room:<room>:<YYYY-MM-DD>.
    for table in ("broadcasts", "audit_log"):
        await db.execute(f"UPDATE {table} SET audience = 'session:' || substr(audience, 3) WHERE audience LIKE 's:%'")
        await db.execute(f"UPDATE {table} SET audience = 'lang:' || substr(audience, 3) WHERE audience LIKE 'l:%'")
        await db.execute(
            f"""
            UPDATE {table}
            SET audience = 'room:' || substr(audience, 3, length(audience) - 11) || ':'
                || substr(audience, -8, 4) || '-' || substr(audience, -4, 2) || '-' || substr(audience, -2, 2)
            WHERE audience LIKE 'r:%'
            """
        )


@migration
async def m018_outbox_lease(db: aiosqlite.Connection) -> None:
    # One word for one thing: the code calls it the outbox lease, so does the table.
    await db.execute("ALTER TABLE dispatch_lease RENAME TO outbox_lease")


@migration
async def m019_purges(db: aiosqlite.Connection) -> None:
    # What is left of the delegates once the retention period has passed: counts only, one row per purge.
    await db.execute(
        """
        CREATE TABLE purges (
            id       INTEGER PRIMARY KEY AUTOINCREMENT,
            at       TEXT NOT NULL,   -- ISO 8601, the bot's clock
            figures  TEXT NOT NULL    -- JSON: delegates, languages, bookmarks per session, messages per kind
        )
        """
    )


@migration
async def m020_calendar_feeds(db: aiosqlite.Connection) -> None:
    # A delegate's live calendar feed (/cal/<token>.ics): only the token's SHA-256 is kept, so a copy of the
    # database gives nobody a working feed URL. One feed per delegate; a new token replaces the old one.
    await db.execute(
        """
        CREATE TABLE calendar_feeds (
            user_id     INTEGER PRIMARY KEY,
            token_hash  TEXT NOT NULL UNIQUE,     -- hex SHA-256 of the token in the URL
            created_at  TEXT NOT NULL,            -- ISO 8601 UTC
            etag        TEXT NOT NULL DEFAULT '', -- of the feed last served, and since when it has been that
            changed_at  TEXT
        )
        """
    )


async def migrate(db: aiosqlite.Connection) -> list[str]:
    """Apply every migration not yet applied; return the names applied now."""
    await db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row[0] for row in await db.execute_fetchall("SELECT name FROM _migrations")}
    applied: list[str] = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        await db.execute("BEGIN")
        try:
            await fn(db)
            await db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, datetime('now'))", (name,))
            await db.commit()
        except BaseException:
            await db.rollback()
            raise
        applied.append(name)
    return applied
