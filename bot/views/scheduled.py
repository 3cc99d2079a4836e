"""/scheduled: scheduled broadcasts and the run-up plan, and the run-up messages delegates receive."""

from __future__ import annotations

from datetime import datetime

from bot import i18n
from bot.i18n import Lang
from bot.programme.errors import Problem
from bot.programme.model import Programme, Session
from bot.runup import (
    LANGUAGES,
    PLACEHOLDERS,
    PlaceholderProblem,
    RunupEntry,
    RunupPlan,
    is_urgent,
    placeholders_of,
    render,
)
from bot.storage.broadcasts import Broadcast
from bot.storage.runup import EXPIRED, EntryState
from bot.views import callback_data as cb
from bot.views.callback_data import ScheduledAction as Act
from bot.views.format import MAX_TEXT, clip, day_label, esc, hhmm, room_name, span, weekday_date, zone_line
from bot.views.reply import Button, Reply


def _bookmark_lines(sessions: list[Session], programme: Programme, language: str) -> str:
    lines = [f"• {span(s, programme)} {esc(clip(s.title, 90))} · {esc(room_name(s, programme))}" for s in sessions]
    return "\n".join([*lines, zone_line(programme, i18n.lang(language), sessions[0].start)])


def runup_message(
    entry: RunupEntry,
    language: str,
    plan: RunupPlan,
    programme: Programme,
    bookmarks: list[Session],
    now: datetime,
    edits: dict[tuple[str, str], str],
) -> str:
    """One delegate's run-up message in their language (English when the plan has none for it)."""
    code = language if language in LANGUAGES else "en"
    edited = edits.get((entry.id, code))
    listing = _bookmark_lines(bookmarks, programme, code) if bookmarks else esc(plan.no_bookmarks_text(code))
    day = weekday_date(entry.day, i18n.lang(code)) if entry.day else ""
    text = render(
        edited if edited is not None else entry.text(code),
        escape=edited is None,  # organisers' edits arrive as Telegram HTML already
        programme=programme,
        now=now,
        bookmarks=listing,
        day_label=esc(day),
    )
    return clip(text, MAX_TEXT)


def _when(instant: datetime, programme: Programme, lang: Lang) -> str:
    return f"{day_label(programme.local(instant).date(), lang)} {hhmm(instant, programme)}"


def _entry_status(entry: RunupEntry, state: EntryState | None, now: datetime, lang: Lang) -> str:
    _ = lang._
    if state is not None and state.outcome == EXPIRED:
        return "⌛ " + _("missed while the bot was down")
    if state is not None and state.outcome:
        return "✅ " + lang.n_("sent to %(n)d delegate", "sent to %(n)d delegates", state.recipients) % {
            "n": state.recipients
        }
    if state is not None and state.skipped:
        return "⏭ " + _("skipped")
    return "⏳ " + _("due") if entry.at <= now else "🕒 " + _("planned")


def scheduled_view(
    programme: Programme,
    pending: list[Broadcast],
    entries: list[RunupEntry],
    states: dict[str, EntryState],
    problems: list[Problem],
    now: datetime,
    labels: dict[int, str],
    lang: Lang,
) -> Reply:
    """Everything that will go out on its own, with buttons to change it."""
    _ = lang._
    lines = ["🗓 <b>" + _("Scheduled broadcasts") + "</b>"]
    rows: list[tuple[Button, ...]] = []
    if not pending:
        lines.append(_("None."))
    for b in pending:
        assert b.scheduled_at is not None
        lines.append(
            f"#{b.id} · {esc(_when(b.scheduled_at, programme, lang))} · {labels.get(b.id, '')}\n"
            f"    {esc(clip(b.text or b.media_kind, 80))}"
        )
        rows.append(
            (
                Button(
                    "▶ " + _("Send #%(id)d now") % {"id": b.id},
                    cb.scheduled(Act.SEND_BROADCAST, str(b.id)),
                ),
                Button(
                    "✖ " + _("Cancel #%(id)d") % {"id": b.id},
                    cb.scheduled(Act.CANCEL_BROADCAST, str(b.id)),
                ),
            )
        )
    lines += [
        "",
        "📅 <b>" + _("Run-up plan") + "</b> " + _("(times in %(zone)s)") % {"zone": esc(str(programme.timezone))},
    ]
    if problems:
        lines.append("⚠️ " + _("The run-up file has problems, so the previous plan stays in force:"))
        lines += [f"  • {esc(str(p))}" for p in problems[:5]]
    if not entries:
        lines.append(_("No run-up messages are planned."))
    for entry in entries:
        state = states.get(entry.id)
        urgent = " 🚨" if is_urgent(entry, state) else ""
        lines.append(
            f"<b>{esc(entry.id)}</b> · {esc(_when(entry.at, programme, lang))}{urgent} · "
            f"{_entry_status(entry, state, now, lang)}\n    {esc(clip(entry.text('en'), 70))}"
        )
        if state is None or not state.outcome:
            skipped = state is not None and state.skipped
            rows.append(
                (
                    Button(
                        ("↩ " + _("Unskip %(id)s") if skipped else "⏭ " + _("Skip %(id)s")) % {"id": entry.id},
                        cb.scheduled(Act.SKIP_ENTRY, entry.id),
                    ),
                    Button(
                        "✏ " + _("Edit %(id)s") % {"id": entry.id},
                        cb.scheduled(Act.EDIT_ENTRY, entry.id),
                    ),
                    Button(
                        ("🔕 " if is_urgent(entry, state) else "🚨 ") + _("Urgent"),
                        cb.scheduled(Act.URGENT_ENTRY, entry.id),
                    ),
                )
            )
    lines += ["", _("Urgent run-up messages reach even delegates who turned run-up messages off.")]
    return Reply(clip("\n".join(lines), MAX_TEXT), tuple(rows))


def choose_edit_language(entry: RunupEntry, lang: Lang) -> Reply:
    rows = tuple((Button(code, cb.scheduled(Act.EDIT_LANGUAGE, f"{entry.id}:{code}")),) for code in LANGUAGES)
    back = (Button("⬅ " + lang._("Back"), cb.scheduled(Act.LIST)),)
    return Reply(lang._("Edit %(id)s: which language?") % {"id": esc(entry.id)}, (*rows, back))


def ask_for_entry_text(entry: RunupEntry, code: str, current: str, lang: Lang) -> Reply:
    _ = lang._
    names = ", ".join("{" + p + "}" for p in sorted(placeholders_of(entry)))
    return Reply(
        "✏ "
        + _("Send the new %(language)s text of <b>%(id)s</b>. Placeholders: %(names)s. /cancel keeps it.")
        % {"language": code, "id": esc(entry.id), "names": names}
        + "\n\n"
        + _("Now:")
        + "\n"
        + esc(current)
    )


def entry_saved(entry_id: str, code: str, preview: str, lang: Lang) -> Reply:
    return Reply(
        "✅ "
        + lang._("Saved %(id)s (%(language)s). A delegate will see:") % {"id": esc(entry_id), "language": code}
        + "\n\n"
        + preview
    )


def bad_placeholder(problem: PlaceholderProblem, lang: Lang, usable: frozenset[str] = PLACEHOLDERS) -> str:
    allowed = ", ".join("{" + name + "}" for name in sorted(usable))
    if problem.needs_day:
        reason = lang._("{%(name)s} needs a conference day, and this message is not about one; use %(allowed)s") % {
            "name": problem.unknown,
            "allowed": allowed,
        }
    elif problem.unknown:
        reason = lang._("unknown placeholder {%(name)s}; use %(allowed)s") % {
            "name": problem.unknown,
            "allowed": allowed,
        }
    else:
        reason = lang._("a { or } without its pair (write {{ or }} for a brace)")
    return lang._("That text cannot be used: %(reason)s. Send it again, or /cancel.") % {"reason": esc(reason)}


def unknown_entry(lang: Lang) -> str:
    return lang._("That run-up entry is no longer in the plan.")


def entry_done(lang: Lang) -> str:
    return lang._("That run-up message has already gone out.")
