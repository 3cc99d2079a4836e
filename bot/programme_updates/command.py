"""`python -m bot import PATH_OR_URL [--timezone ZONE] [--dry-run]`: show the difference, then apply it."""

from __future__ import annotations

import html
import re
from typing import TextIO

from bot import i18n
from bot.programme.errors import ProgrammeError
from bot.programme_updates.apply import UpdateError, apply, discard, prepare, read_location, restore_latest
from bot.programme_updates.fetch import ReadLimits, shown_url
from bot.services import start_services
from bot.settings import Settings
from bot.storage.db import open_database
from bot.views import changes as views

_TAG = re.compile(r"<[^>]+>")


def plain(text_html: str) -> str:
    """A view's HTML as terminal text."""
    return html.unescape(_TAG.sub("", text_html))


REFUSED_OTHER_CONFERENCE = """
Not applied: {location} is not a new version of the conference in force.
To replace the whole conference with it, run the command again with --replace-conference.
To try another programme, give it a database of its own: DATABASE_PATH=data/other.sqlite3"""


async def import_command(
    settings: Settings,
    location: str,
    timezone: str | None,
    dry_run: bool,
    out: TextIO,
    *,
    replace_conference: bool = False,
) -> int:
    """Print the summary of what `location` would change; apply it unless `dry_run`. 0 = success.

    Another conference (name, or no day in common) is applied only with `replace_conference`.
    """
    lang = i18n.lang(None)
    try:
        services = await start_services(settings)
    except ProgrammeError as exc:
        problems = "\n".join(f"  - {p}" for p in exc.problems)
        print(f"The programme in PROGRAMME_PATH ({settings.programme_path}) is invalid:\n{problems}", file=out)
        return 1
    services.db = await open_database(settings.database_path)
    try:
        await restore_latest(services)
        limits = ReadLimits.of(settings)
        until = limits.deadline()
        data = await read_location(location, limits, until=until)
        source = shown_url(location)
        prepared = await prepare(
            services, data, source, timezone=timezone, created_by="cli", store=not dry_run, until=until
        )
        if prepared.unchanged:
            print(plain(views.no_changes(prepared.programme, lang).text), file=out)
            return 0
        summary = views.update_summary(
            prepared.base,
            prepared.programme,
            prepared.diff,
            lang,
            followers=prepared.followers,
            other_conference=prepared.other_conference,
        )
        print(plain(summary.text), file=out)
        if dry_run or prepared.version_id is None:
            print("\nDry run: nothing was applied.", file=out)
            return 0
        if prepared.other_conference and not replace_conference:
            await discard(services, prepared.version_id)
            print(REFUSED_OTHER_CONFERENCE.format(location=source), file=out)
            return 1
        done = await apply(services, prepared.version_id)
        debounce = settings.change_alert_debounce_minutes
        print(
            "\n" + plain(views.applied(done.version_id, done.diff, done.alerts.queued, debounce, lang).text), file=out
        )
        if done.alerts.queued:
            print("The running bot sends the messages (they wait in the outbox until it runs).", file=out)
        return 0
    except UpdateError as exc:
        print(plain(views.update_failed("\n".join(exc.problems), lang).text), file=out)
        return 1
    finally:
        await services.database.close()
        services.db = None
