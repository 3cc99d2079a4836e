"""The live progress report of a broadcast being sent, and its final delivery report."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.i18n import Lang
from bot.programme.model import Programme
from bot.storage.broadcasts import Broadcast, Delivery
from bot.views import callback_data as cb
from bot.views.callback_data import BroadcastAction as Act
from bot.views.format import hhmm
from bot.views.reply import Button, Reply

BAR_WIDTH = 10


def bar(done: int, total: int) -> str:
    filled = BAR_WIDTH if total == 0 else round(BAR_WIDTH * done / total)
    percent = 100 if total == 0 else int(100 * done / total)
    return "▓" * filled + "░" * (BAR_WIDTH - filled) + f" {percent}%"


def _figures(delivery: Delivery, lang: Lang) -> str:
    _ = lang._
    return _("Sent %(sent)d · failed %(failed)d · blocked %(blocked)d · remaining %(remaining)d of %(total)d") % {
        "sent": delivery.sent,
        "failed": delivery.failed,
        "blocked": delivery.blocked,
        "remaining": delivery.remaining,
        "total": delivery.total,
    }


def progress(
    broadcast: Broadcast, delivery: Delivery, who: str, finish: datetime | None, programme: Programme, lang: Lang
) -> Reply:
    """The live report that replaces the preview controls while the outbox sends."""
    _ = lang._
    lines = [
        "📤 " + _("<b>Sending broadcast #%(id)d</b> to %(who)s") % {"id": broadcast.id, "who": who},
        bar(delivery.handled, delivery.total),
        _figures(delivery, lang),
    ]
    if finish is not None:
        lines.append(_("Estimated finish: %(time)s") % {"time": _clock_time(finish, programme)})
    return Reply("\n".join(lines), ((Button("⏹ " + _("Stop"), cb.broadcast(Act.STOP, broadcast.id)),),))


def report(broadcast: Broadcast, delivery: Delivery, who: str, lang: Lang) -> Reply:
    """The final delivery report."""
    _ = lang._
    if broadcast.state == "stopped":
        head = "⏹ " + _("<b>Broadcast #%(id)d stopped</b> (%(who)s).") % {"id": broadcast.id, "who": who}
        tail = [
            lang.n_("%(n)d message was not sent.", "%(n)d messages were not sent.", delivery.dropped)
            % {"n": delivery.dropped}
        ]
    else:
        head = "✅ " + _("<b>Broadcast #%(id)d delivered</b> (%(who)s).") % {"id": broadcast.id, "who": who}
        tail = []
    if delivery.resent:  # honest about the one thing a crash can cost
        tail.append(
            lang.n_(
                "%(n)d message may have arrived twice: the bot restarted while it was on its way.",
                "%(n)d messages may have arrived twice: the bot restarted while they were on their way.",
                delivery.resent,
            )
            % {"n": delivery.resent}
        )
    return Reply("\n".join([head, bar(delivery.handled, delivery.total), _figures(delivery, lang), *tail]))


def _clock_time(instant: datetime, programme: Programme) -> str:
    local = programme.local(instant)
    return f"{hhmm(instant, programme)}:{local:%S}"


def estimated_finish(delivery: Delivery, started: datetime | None, now: datetime, rate: float) -> datetime | None:
    """When the rest will be out, from the pace so far (or the configured rate before the first send)."""
    if delivery.remaining == 0:
        return None
    elapsed = (now - started).total_seconds() if started else 0.0
    pace = delivery.handled / elapsed if elapsed > 1 and delivery.handled else rate
    return now + timedelta(seconds=delivery.remaining / max(pace, 0.1))


def queued_behind(others: int, lang: Lang) -> str:
    return lang.n_(
        "Another broadcast is being sent right now; yours goes out alongside it at the shared rate.",
        "%(n)d other broadcasts are being sent right now; yours goes out alongside them at the shared rate.",
        others,
    ) % {"n": others}
