"""Which programme is in force at start-up: the newest applied version, or PROGRAMME_PATH when it changed.

The newest applied version stays in force, unless the file at PROGRAMME_PATH now holds content that was never
applied — an organiser edited it, or pointed PROGRAMME_PATH at another programme. That content is then applied
like any update (diff, reminders moved, affected delegates told), so editing the file and restarting is enough,
with two exceptions, as safe as /reload:

- content that removes more than PROGRAMME_MAX_REMOVED_SHARE of the sessions in force (a truncated copy, the
  wrong file) is stored as pending and sent to the organisers with Apply / Discard; the stored version serves;
- a file that cannot be read leaves the stored version in force (`start_services` in bot/services.py) and the
  organisers are told why.

Either way the organisers hear once per content of the file, not at every restart: what start-up made of the
file is recorded like a polled URL's outcome (programme_sources, keyed by the path).
"""

from __future__ import annotations

import logging

from bot.i18n import Lang
from bot.programme import snapshot
from bot.programme.diff import Kind
from bot.programme_updates.apply import Prepared, apply, compare, ensure_baseline, restore_latest
from bot.programme_updates.poll import tell_organisers
from bot.services import Services
from bot.storage import programme_versions as versions
from bot.views import changes as views
from bot.views.reply import Reply

logger = logging.getLogger(__name__)


async def start_up(services: Services) -> None:
    """Choose the programme in force at start-up, and tell the organisers what needs them."""
    location = str(services.settings.programme_path)
    if services.file_problems:
        await restore_latest(services)
        await _report_problem(services, location, "\n".join(services.file_problems))
        return
    from_file = services.programme
    if await restore_latest(services) is None:
        await ensure_baseline(services)  # recorded now, so that a later edit of the file has a base to diff
        return
    db = services.database
    digest = versions.digest_of(snapshot.dump(from_file))
    last = await versions.get_source(db, location)
    if last is not None and last.digest == digest:
        logger.info("PROGRAMME_PATH %s is as at the last start (%s)", location, last.outcome)
        return
    if await versions.was_applied(db, digest):
        await _record(services, location, "in force", digest)
        return
    prepared = await compare(services, from_file, created_by="start-up: PROGRAMME_PATH changed")
    if prepared.version_id is None:
        await _record(services, location, "unchanged", digest)
    elif prepared.needs_organiser:
        await _ask(services, location, prepared)
        await _record(services, location, f"version {prepared.version_id} waits for an organiser", digest)
    else:
        applied = await apply(services, prepared.version_id)
        logger.info(
            "PROGRAMME_PATH %s changed since it was last applied: version %d in force (%d changes)",
            location,
            applied.version_id,
            len(applied.diff.changes),
        )
        await _record(services, location, f"version {applied.version_id} applied", digest)


async def _ask(services: Services, location: str, prepared: Prepared) -> None:
    """Offer a version that removes too many sessions to the organisers, as /reload would."""
    version_id = prepared.version_id
    assert version_id is not None  # stored as pending
    share = services.settings.programme_max_removed_share
    if prepared.other_conference:
        logger.warning(
            "PROGRAMME_PATH %s holds another conference (%r) than the one in force (%r): not applied, the "
            "stored programme serves. To try another programme, give it its own DATABASE_PATH; to replace the "
            "conference, press Apply in the message sent to ADMIN_IDS, or run `python -m bot import %s "
            "--replace-conference`",
            location,
            prepared.programme.name,
            prepared.base.name,
            location,
        )
    else:
        logger.warning(
            "PROGRAMME_PATH %s removes %d of the %d sessions in force: not applied. Version %d waits for an "
            "organiser's Apply (sent to ADMIN_IDS), or apply it with `python -m bot import %s`",
            location,
            len(prepared.diff.of(Kind.REMOVED)),
            len(prepared.base.sessions),
            version_id,
            location,
        )

    def ask(lang: Lang) -> Reply:
        note = views.held_back_other_conference(lang) if prepared.other_conference else views.held_back(share, lang)
        return views.prepared_summary(prepared, lang, note)

    await tell_organisers(services, f"ask:{version_id}", ask)


async def _report_problem(services: Services, location: str, problem: str) -> None:
    """Tell the organisers why PROGRAMME_PATH was not read, unless the last start already did."""
    outcome = "error: " + problem
    last = await versions.get_source(services.database, location)
    # The digest is cleared: once the file reads again, its content is looked at afresh.
    await _record(services, location, outcome, "")
    if last is not None and last.outcome == outcome:
        return
    topic = "error:" + versions.digest_of(problem.encode())[:12]
    await tell_organisers(services, topic, lambda lang: views.update_failed(problem, lang))


async def _record(services: Services, location: str, outcome: str, digest: str) -> None:
    await versions.record_source(services.database, location, services.clock.now(), outcome, digest=digest)
