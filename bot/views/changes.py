"""Programme updates as people see them: the organisers' summary of a new version, and delegates' change alerts."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from babel.dates import format_date

from bot.i18n import N_, Lang
from bot.programme.diff import Change, Field, Kind, ProgrammeDiff
from bot.programme.model import Programme, Session
from bot.views import callback_data as cb
from bot.views.agenda import session_row
from bot.views.format import MAX_TEXT, clip, day_label, esc, hhmm, room_name, speaker_names, zone_label
from bot.views.reply import Button, Reply

if TYPE_CHECKING:  # the update service renders with these views; a runtime import would be circular
    from bot.programme_updates.apply import Prepared

SUMMARY_LINES = 5  # per kind of change in the organisers' summary
ALERT_BUDGET = MAX_TEXT - 400  # room for the footer and the "…and N more" line
MAX_ALTERNATIVE_ROWS = 9
FIELD_NAMES = {Field.TIME: N_("time"), Field.ROOM: N_("room"), Field.TITLE: N_("title"), Field.SPEAKERS: N_("speakers")}
STATE_NAMES = {"applied": N_("applied"), "discarded": N_("discarded"), "unknown": N_("never stored")}


# --- delegates ------------------------------------------------------------------------------------------------
def _date(session: Session, programme: Programme, lang: Lang) -> str:
    return _day(programme.local(session.start).date(), lang)


@lru_cache(maxsize=2048)
def _day(day: date, lang: Lang) -> str:
    # Babel's formatting is the costliest step of an alert; thousands of alerts name the same few days.
    return day_label(day, lang)


def _time(session: Session, programme: Programme, with_end: bool) -> str:
    start = hhmm(session.start, programme)
    return f"{start}–{hhmm(session.end, programme)}" if with_end else start


def where_and_when(session: Session, programme: Programme, lang: Lang) -> str:
    """'Wed 26 June 11:30 Sala Iturbi'."""
    return f"{_date(session, programme, lang)} {_time(session, programme, False)} {room_name(session, programme)}"


def old_to_new(change: Change, base: Programme, new: Programme, lang: Lang) -> str:
    """'Wed 26 June 11:30 Sala Iturbi → 12:00 Sala Rodrigo': the new side names only what differs."""
    old, cur = change.old, change.new
    assert old is not None and cur is not None
    only_end = Field.TIME in change.fields and old.start == cur.start
    before = [_date(old, base, lang), _time(old, base, only_end), room_name(old, base)]
    after = []
    if _date(old, base, lang) != _date(cur, new, lang):
        after.append(_date(cur, new, lang))
    if Field.TIME in change.fields:
        after.append(_time(cur, new, only_end))
    if Field.ROOM in change.fields:
        after.append(room_name(cur, new))
    text = esc(" ".join(before))
    return text + " → <b>" + esc(" ".join(after)) + "</b>" if after else text


def _entry(change: Change, base: Programme, new: Programme, lang: Lang, alternatives: Sequence[Session]) -> str:
    _ = lang._
    session = change.current
    title = f"<b>{esc(clip(session.title, 120))}</b>"
    if change.kind is Kind.CANCELLED:
        lines = ["❌ " + _("Cancelled: %(title)s") % {"title": title}, esc(where_and_when(session, new, lang))]
    elif change.kind is Kind.REMOVED:
        lines = ["🗑 " + _("No longer in the programme: %(title)s") % {"title": title}]
        lines.append(_("(was %(when)s)") % {"when": esc(where_and_when(session, base, lang))})
    elif change.kind is Kind.RESTORED:
        lines = ["✅ " + _("Back in the programme: %(title)s") % {"title": title}]
        moved = change.old is not None and ({Field.TIME, Field.ROOM} & change.fields)
        lines.append(old_to_new(change, base, new, lang) if moved else esc(where_and_when(session, new, lang)))
    else:
        lines = ["🔁 " + title, old_to_new(change, base, new, lang)]
    if change.old is not None and Field.TITLE in change.fields:
        lines.append(_("(was “%(title)s”)") % {"title": esc(clip(change.old.title, 120))})
    if change.old is not None and change.new is not None and Field.SPEAKERS in change.fields:
        now = speaker_names(change.new, new) or _("none")
        was = speaker_names(change.old, base) or _("none")
        lines.append("🎤 " + _("%(now)s (was: %(was)s)") % {"now": esc(clip(now, 150)), "was": esc(clip(was, 150))})
    if alternatives:
        lines.append(_("At the same time instead:"))
        lines += [
            f"• {esc(_time(s, new, False))} {esc(clip(s.title, 80))} · {esc(room_name(s, new))}" for s in alternatives
        ]
    return "\n".join(lines)


def change_alert(
    changes: Sequence[Change],
    base: Programme,
    new: Programme,
    lang: Lang,
    alternatives: Mapping[str, Sequence[Session]],
    bookmarked: Collection[str],
) -> Reply:
    """One message for one delegate and one import (or several quick ones): their sessions that changed."""
    _ = lang._
    head = "📣 <b>" + _("Programme change for your agenda") + "</b>"
    parts: list[str] = []
    rows: list[tuple[Button, ...]] = []
    used = len(head)
    for shown, change in enumerate(changes):
        options = alternatives.get(change.session_id, ())
        entry = _entry(change, base, new, lang, options)
        if used + len(entry) > ALERT_BUDGET:
            rest = len(changes) - shown
            parts.append(
                lang.n_("…and %(n)d more change: see /my.", "…and %(n)d more changes: see /my.", rest) % {"n": rest}
            )
            break
        parts.append(entry)
        used += len(entry) + 2
        for option in options:
            if len(rows) < MAX_ALTERNATIVE_ROWS:
                rows.append(session_row(option, new, lang, bookmarked))
    footer = _("Times in %(zone)s. Your reminders follow the new times; switch these alerts off in /settings.") % {
        "zone": esc(zone_label(new, changes[0].current.start if changes else None))
    }
    rows.append((Button("📅 " + _("My agenda"), cb.MY),))
    text = "\n\n".join([head, *parts, "<i>" + footer + "</i>"])
    return Reply(text[:MAX_TEXT], tuple(rows))


# --- organisers -----------------------------------------------------------------------------------------------
def _summary_line(change: Change, base: Programme, new: Programme, lang: Lang) -> str:
    session = change.current
    title = esc(clip(session.title, 70))
    if change.kind in (Kind.CHANGED, Kind.RESTORED) and change.old is not None and change.fields:
        names = ", ".join(lang._(FIELD_NAMES[f]) for f in Field if f in change.fields)
        return f"• {title}: {old_to_new(change, base, new, lang)}" + (f" ({esc(names)})" if names else "")
    programme = base if change.kind is Kind.REMOVED else new
    mark = " " + lang._("(cancelled)") if change.kind is Kind.ADDED and session.is_cancelled else ""
    return f"• {title} — {esc(where_and_when(session, programme, lang))}{mark}"


def update_summary(
    base: Programme,
    new: Programme,
    diff: ProgrammeDiff,
    lang: Lang,
    *,
    followers: int,
    version_id: int | None = None,
    removes_too_many: bool = False,
    other_conference: bool = False,
    note: str = "",
) -> Reply:
    """What a new version would change, for organisers; Apply / Discard buttons when `version_id` is given.

    `note` (plain text) ends the message: why the version waits, or that it was applied automatically.
    """
    _ = lang._
    labels = {
        Kind.ADDED: "➕ " + _("Added"),
        Kind.REMOVED: "🗑 " + _("Removed"),
        Kind.CANCELLED: "❌ " + _("Cancelled"),
        Kind.RESTORED: "✅ " + _("Restored"),
        Kind.CHANGED: "🔁 " + _("Changed"),
    }
    lines = [
        "📋 <b>" + _("Programme update") + "</b> · " + esc(clip(new.source, 120)),
        _("%(format)s · time zone %(zone)s") % {"format": esc(new.format), "zone": esc(str(new.timezone))}
        + (f" ({esc(new.extra['time_zone_source'])})" if new.extra.get("time_zone_source") else ""),
        " · ".join(
            (
                lang.n_("%(n)d session", "%(n)d sessions", len(new.sessions)) % {"n": len(new.sessions)},
                lang.n_("%(n)d room", "%(n)d rooms", len(new.rooms)) % {"n": len(new.rooms)},
                lang.n_("%(n)d day", "%(n)d days", len(new.days)) % {"n": len(new.days)},
            )
        ),
        "",
    ]
    counts = diff.counts()
    lines.append(", ".join(f"{labels[k]}: {counts[k]}" for k in Kind))
    if other_conference:
        lines += ["", "⚠️ <b>" + another_conference(base, new, lang) + "</b>"]
    elif removes_too_many:
        lines += ["", "⚠️ <b>" + _removed_warning(counts[Kind.REMOVED], len(base.sessions), lang) + "</b>"]
    if diff.other_edits:
        lines.append(
            lang.n_(
                "%(n)d other edit (descriptions, tracks…)",
                "%(n)d other edits (descriptions, tracks…)",
                diff.other_edits,
            )
            % {"n": diff.other_edits}
        )
    tail = [
        "",
        lang.n_(
            "%(n)d delegate follows the affected sessions and will be told.",
            "%(n)d delegates follow the affected sessions and will be told.",
            followers,
        )
        % {"n": followers},
    ]
    if note:
        tail += ["", esc(note)]
    # Fewer examples per kind until the message fits: clipping HTML could cut a tag in two.
    for shown in (SUMMARY_LINES, 2, 0):
        text = "\n".join([*lines, *_examples(diff, base, new, lang, labels, shown), *tail])
        if len(text) <= MAX_TEXT:
            break
    buttons: tuple[tuple[Button, ...], ...] = ()
    if version_id is not None:
        buttons = (
            (
                Button("✅ " + _("Apply"), cb.update_apply(version_id)),
                Button("✖ " + _("Discard"), cb.update_discard(version_id)),
            ),
        )
    return Reply(text[:MAX_TEXT], buttons)


def conference(programme: Programme, lang: Lang) -> str:
    """“Name” (first day – last day), with the year: what tells two conferences apart (HTML)."""
    name = esc(clip(programme.name, 120)) or lang._("an unnamed programme")
    if not programme.days:
        return f"“{name}”"
    first, last = (format_date(d, "medium", locale=lang.locale) for d in (min(programme.days), max(programme.days)))
    return f"“{name}” ({first} – {last})" if first != last else f"“{name}” ({first})"


def another_conference(base: Programme, new: Programme, lang: Lang) -> str:
    """Why a version is not an update of the conference in force (HTML)."""
    return lang._(
        "This is a different conference: %(new)s, not %(base)s. Applying it replaces the whole conference."
    ) % {"new": conference(new, lang), "base": conference(base, lang)}


def confirm_replace(version_id: int, base: Programme, new: Programme, lang: Lang) -> Reply:
    """The extra step before another conference replaces the one in force."""
    _ = lang._
    text = (
        "⚠️ <b>"
        + _("Replace the conference in force?")
        + "</b>\n\n"
        + another_conference(base, new, lang)
        + "\n"
        + _(
            "Bookmarks of sessions that are not in the new programme stop working. To try another programme, run "
            "a second bot with its own DATABASE_PATH instead."
        )
    )
    return Reply(
        text,
        (
            (
                Button("⚠️ " + _("Replace the conference"), cb.update_replace(version_id)),
                Button("✖ " + _("Discard"), cb.update_discard(version_id)),
            ),
        ),
    )


def held_back_other_conference(lang: Lang) -> str:
    """Why another conference's file waits for an organiser instead of being applied on its own."""
    return lang._("Not applied automatically: it is a different conference. The programme in force stays.")


def _removed_warning(removed: int, total: int, lang: Lang) -> str:
    return lang.n_(
        "This removes %(removed)d of the %(total)d session in force: check that the file is complete.",
        "This removes %(removed)d of the %(total)d sessions in force: check that the file is complete.",
        total,
    ) % {"removed": removed, "total": total}


def _examples(
    diff: ProgrammeDiff, base: Programme, new: Programme, lang: Lang, labels: Mapping[Kind, str], limit: int
) -> list[str]:
    lines: list[str] = []
    for kind in Kind:
        found = diff.of(kind)
        if not found or not limit:
            continue
        lines += ["", f"<b>{labels[kind]}</b>"]
        lines += [_summary_line(c, base, new, lang) for c in found[:limit]]
        if len(found) > limit:
            lines.append(lang._("…and %(n)d more") % {"n": len(found) - limit})
    return lines


def no_changes(programme: Programme, lang: Lang) -> Reply:
    return Reply(
        "✅ "
        + lang._("No changes: %(source)s has the same sessions, times, rooms and speakers as the programme in force.")
        % {"source": esc(clip(programme.source, 120))}
    )


def file_too_large(name: str, limit_bytes: int, lang: Lang) -> str:
    return lang._("%(name)s: larger than %(mb)d MB") % {"name": name, "mb": limit_bytes // 2**20}


def download_failed(name: str, lang: Lang) -> str:
    return lang._("%(name)s: the file could not be downloaded from Telegram; please send it again.") % {"name": name}


def prepared_summary(prepared: Prepared, lang: Lang, note: str = "") -> Reply:
    """What a version read for an update would change, with Apply/Discard; or that it changes nothing."""
    if prepared.unchanged or prepared.version_id is None:
        return no_changes(prepared.programme, lang)
    return update_summary(
        prepared.base,
        prepared.programme,
        prepared.diff,
        lang,
        followers=prepared.followers,
        version_id=prepared.version_id,
        removes_too_many=prepared.removes_too_many,
        other_conference=prepared.other_conference,
        note=note,
    )


def update_failed(problem: str, lang: Lang) -> Reply:
    """The import was refused: why, and the reassurance that nothing changed."""
    return Reply(
        "⚠️ <b>"
        + lang._("The programme was not updated.")
        + "</b>\n\n"
        + esc(clip(problem, 3000))
        + "\n\n"
        + lang._("The programme in force and all bookmarks are unchanged; no delegate was told anything.")
    )


def update_recovered(url: str, lang: Lang) -> Reply:
    """The URL that was reported broken or unreachable can be read again, and holds the programme in force."""
    return Reply(
        "✅ "
        + lang._("%(url)s can be read again. It holds the programme in force: nothing changed.")
        % {"url": esc(clip(url, 300))}
    )


def applied(version_id: int, diff: ProgrammeDiff, alerted: int, debounce_minutes: float, lang: Lang) -> Reply:
    _ = lang._
    text = "✅ " + _("Applied: programme version %(version)d is now in force.") % {"version": version_id}
    if alerted:
        text += "\n" + lang.n_(
            "%(n)d delegate will get one message about their sessions (within %(minutes)g min).",
            "%(n)d delegates will get one message about their sessions (within %(minutes)g min).",
            alerted,
        ) % {"n": alerted, "minutes": debounce_minutes}
    elif not diff.affected_ids:
        text += "\n" + _("No bookmarked session was affected, so no delegate is told anything.")
    return Reply(text)


def discarded(lang: Lang) -> Reply:
    return Reply(lang._("Discarded. The programme in force is unchanged."))


def not_pending(state: str, lang: Lang) -> str:
    return lang._("This update is no longer waiting (it was %(state)s).") % {
        "state": lang._(STATE_NAMES.get(state, state))
    }


def stale_update(lang: Lang) -> str:
    return lang._("The programme changed since this summary was made; here is the difference now.")


def applied_automatically(lang: Lang) -> str:
    return lang._("Applied automatically (PROGRAMME_AUTO_APPLY is on).")


def held_back(share: float, lang: Lang) -> str:
    """Why a version that would have been applied on its own waits for an organiser."""
    return lang._(
        "Not applied automatically: it removes more than %(share)s of the sessions in force"
        " (PROGRAMME_MAX_REMOVED_SHARE). The programme in force stays until you apply it."
    ) % {"share": f"{share:.0%}"}
