"""Polling PROGRAMME_URL: a conditional GET every PROGRAMME_POLL_MINUTES, then apply or ask the organisers.

Organisers hear about a poll only when something happens: a new version (applied, or waiting for their
confirmation), a new problem (the same broken file or dead server is reported once, not every poll; a
different one is reported again), or the end of a problem when the URL again holds the programme in force.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

from bot import i18n
from bot.i18n import Lang
from bot.programme_updates.apply import Prepared, UpdateError, apply, prepare
from bot.programme_updates.fetch import FetchError, ReadLimits, fetch, shown_url
from bot.services import Services
from bot.storage import programme_versions as versions
from bot.storage import users
from bot.storage.outbox import OutgoingMessage, enqueue
from bot.views import changes as views
from bot.views.reply import Reply

Render = Callable[[Lang], Reply]

logger = logging.getLogger(__name__)

KIND = "programme_update"  # outbox kind of messages to organisers about updates
ERROR = "error: "  # the recorded outcome of a poll that found a problem starts so


@dataclass(frozen=True)
class PollOutcome:
    text: str  # recorded in programme_sources.outcome
    version_id: int | None = None
    applied: bool = False
    told_organisers: int = 0


async def poll(services: Services) -> PollOutcome | None:
    """One poll of PROGRAMME_URL; None when no URL is configured."""
    settings = services.settings
    url = settings.programme_url
    if not url:
        return None
    shown = shown_url(url)  # also the key of its row: credentials stay in the settings
    limits = ReadLimits.of(settings)
    until = limits.deadline()  # one deadline for the download and the parsing
    db = services.database
    last = await versions.get_source(db, shown)
    previous = last.outcome if last else ""
    now = services.clock.now()
    try:
        fetched = await fetch(
            url,
            limits,
            until=until,
            etag=last.etag if last else "",
            last_modified=last.last_modified if last else "",
        )
    except FetchError as exc:
        # Forget the validators: once the server answers again, what it holds is read and judged afresh.
        await versions.record_source(db, shown, now, ERROR + str(exc), etag="", last_modified="", digest="")
        return await _problem(services, shown, str(exc), previous)
    if fetched.body is None:
        await versions.record_source(db, shown, now, previous)  # the same content, judged as before
        return PollOutcome("not modified")
    # The time zone is part of what was read: fixing EVENT_TIMEZONE makes the same body worth reading again.
    digest = versions.digest_of(fetched.body + (settings.event_timezone or "").encode())
    validators = {"etag": fetched.etag, "last_modified": fetched.last_modified, "digest": digest}
    if last is not None and last.digest == digest:
        await versions.record_source(db, shown, now, previous, **validators)
        return PollOutcome(previous)
    try:
        prepared = await prepare(services, fetched.body, shown, timezone=None, created_by="poll", until=until)
    except UpdateError as exc:
        problem = "\n".join(exc.problems)
        await versions.record_source(db, shown, now, ERROR + problem, **validators)
        return await _problem(services, shown, problem, previous)
    outcome = await _new_version(services, prepared)
    if outcome.version_id is None and previous.startswith(ERROR):
        # A new version's summary says enough; an unchanged one would otherwise leave the problem unanswered.
        told = await tell_organisers(
            services, f"recovered:{digest[:12]}", lambda lang: views.update_recovered(shown, lang)
        )
        outcome = replace(outcome, told_organisers=told)
    await versions.record_source(db, shown, now, outcome.text, **validators)
    return outcome


async def _new_version(services: Services, prepared: Prepared) -> PollOutcome:
    if prepared.version_id is None:
        return PollOutcome("unchanged")
    settings = services.settings
    if settings.programme_auto_apply and not prepared.needs_organiser:
        done = await apply(services, prepared.version_id)

        def summary(lang: Lang) -> Reply:
            text = views.update_summary(
                prepared.base, prepared.programme, done.diff, lang, followers=done.alerts.queued
            )
            return Reply(text.text + "\n\n" + views.applied_automatically(lang))

        told = await tell_organisers(services, f"applied:{done.version_id}", summary)
        return PollOutcome(f"version {done.version_id} applied", done.version_id, True, told)
    version_id = prepared.version_id
    await _discard_older_polls(services, version_id)

    def ask(lang: Lang) -> Reply:
        held_back = settings.programme_auto_apply  # it would have been applied, but for what it removes
        if held_back and prepared.other_conference:
            return views.prepared_summary(prepared, lang, note=views.held_back_other_conference(lang))
        note = views.held_back(settings.programme_max_removed_share, lang) if held_back else ""
        return views.prepared_summary(prepared, lang, note=note)

    told = await tell_organisers(services, f"ask:{version_id}", ask)
    return PollOutcome(f"version {version_id} waits for an organiser", version_id, False, told)


async def _discard_older_polls(services: Services, keep: int) -> None:
    """A newer poll replaces a version nobody confirmed yet: confirming the old one would be confusing."""
    for version in await versions.pending_versions(services.database, created_by="poll"):
        if version.id != keep:
            await versions.discard(services.database, version.id)


async def _problem(services: Services, shown: str, problem: str, previous: str) -> PollOutcome:
    """Tell the organisers about a problem once: not again at every poll, but again when it changes."""
    outcome = PollOutcome(ERROR + problem)
    if outcome.text == previous:
        logger.info("Programme poll of %s: still %s", shown, problem)
        return outcome  # already reported
    logger.warning("Programme poll of %s: %s", shown, problem)
    topic = "error:" + versions.digest_of(problem.encode())[:12]
    told = await tell_organisers(services, topic, lambda lang: views.update_failed(problem, lang))
    return PollOutcome(outcome.text, told_organisers=told)


async def tell_organisers(services: Services, topic: str, render: Render) -> int:
    """Queue a message for every organiser (ADMIN_IDS), each in their own language."""
    admins = sorted(services.settings.admin_ids)
    if not admins:
        logger.warning("No ADMIN_IDS: nobody can be told about the programme update (%s)", topic)
        return 0
    now = services.clock.now()
    messages = []
    for admin in admins:
        known = await users.get_user(services.database, admin)
        reply = render(i18n.lang(known.language if known else None))
        messages.append(
            OutgoingMessage(
                key=f"{KIND}:{admin}:{topic}:{now:%Y%m%dT%H%M%S}",
                chat_id=admin,
                kind=KIND,
                payload=reply.to_payload(),
                not_before=now,
                expires_at=now + timedelta(days=2),
            )
        )
    return await enqueue(services.database, messages, now)
