"""/stats: delegates, demand per session against room capacity, and delivery of recent broadcasts."""

from __future__ import annotations

from bot.i18n import Lang
from bot.programme.model import Programme
from bot.stats import ChartLabels, Demand
from bot.storage.broadcasts import Broadcast, Delivery
from bot.views.broadcast import language_name
from bot.views.format import MAX_TEXT, clip, day_label, esc, hhmm
from bot.views.reply import Reply

TOP = 5


def chart_labels(programme: Programme, lang: Lang) -> ChartLabels:
    _ = lang._
    return ChartLabels(
        title=_("%(conference)s — most bookmarked sessions") % {"conference": programme.name},
        axis=_("delegates who bookmarked it (grey: seats in the room)"),
        bookmarks=_("bookmarks"),
        capacity=_("room capacity"),
        over=_("more bookmarks than seats"),
        empty=_("No bookmarks yet"),
    )


def stats_view(
    programme: Programme,
    users: dict[str, int],
    languages: dict[str, int],
    rows: list[Demand],
    recent: list[tuple[Broadcast, Delivery, str]],
    lang: Lang,
) -> Reply:
    """The figures as text; the chart and the CSV follow as files."""
    _ = lang._
    active, blocked = users.get("active", 0), users.get("blocked", 0)
    lines = [
        "📊 <b>" + _("Demand figures for %(conference)s") % {"conference": esc(programme.name)} + "</b>",
        "",
        "👥 " + _("Delegates: %(active)d active, %(blocked)d blocked the bot") % {"active": active, "blocked": blocked},
    ]
    if languages:
        lines.append("🌐 " + ", ".join(f"{esc(language_name(code, lang))} {n}" for code, n in languages.items()))
    wanted = [d for d in rows if d.bookmarks]
    lines += ["", "🔖 <b>" + _("Most bookmarked") + "</b>"]
    if not wanted:
        lines.append(_("No bookmarks yet."))
    for d in wanted[:TOP]:
        seats = f" / {d.capacity}" if d.capacity else ""
        warn = " ⚠️ " + _("over capacity") if d.over_capacity else ""
        lines.append(f"{d.bookmarks}{seats} · {esc(clip(d.session.title, 70))} ({esc(d.room.name)}){warn}")
    over = sum(d.over_capacity for d in rows)
    if over:
        lines.append(
            lang.n_(
                "%(n)d session has more bookmarks than seats.", "%(n)d sessions have more bookmarks than seats.", over
            )
            % {"n": over}
        )
    lines += ["", "📣 <b>" + _("Recent broadcasts") + "</b>"]
    if not recent:
        lines.append(_("None yet."))
    for b, delivery, who in recent:
        when = b.started_at or b.created_at
        lines.append(
            f"#{b.id} · {esc(day_label(programme.local(when).date(), lang))} {hhmm(when, programme)} · {who}: "
            + _("%(sent)d sent, %(failed)d failed, %(blocked)d blocked, %(remaining)d remaining of %(total)d")
            % {
                "sent": delivery.sent,
                "failed": delivery.failed,
                "blocked": delivery.blocked,
                "remaining": delivery.remaining,
                "total": delivery.total,
            }
            + (" (" + _("stopped") + ")" if b.state == "stopped" else "")
        )
    return Reply(clip("\n".join(lines), MAX_TEXT))


def chart_caption(lang: Lang) -> str:
    return lang._("Bookmarks per session against room capacity; red: more bookmarks than seats.")


def csv_caption(lang: Lang) -> str:
    return lang._("Every session with its bookmarks and room capacity (CSV).")
