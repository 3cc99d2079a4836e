"""/mydata: everything the bot keeps about the delegate, as a JSON file and a few readable lines."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.i18n import Lang
from bot.programme.model import Programme
from bot.views.reply import Reply


def document(data: dict[str, Any], programme: Programme, now: datetime) -> bytes:
    """The JSON file: the stored rows as they are, each bookmark with the title it has in today's programme."""
    for bookmark in data["bookmarks"]:
        session = programme.session(bookmark["session_id"])
        bookmark["title"] = session.title if session else None  # a session since removed from the programme
    exported = {"exported_at": now.isoformat(), "conference": programme.name, **data}
    return json.dumps(exported, ensure_ascii=False, indent=2, default=str).encode()


def filename(now: datetime) -> str:
    return f"my-data-{now:%Y%m%d-%H%M}.json"


def summary(data: dict[str, Any], lang: Lang) -> Reply:
    """What the file holds, counted, and where to go from here."""
    _ = lang._
    messages = data["messages"]
    organiser = data["as_organiser"]
    lines = [
        "📄 <b>" + _("Everything this bot keeps about you is in the file below.") + "</b>",
        "",
        "• " + lang.n_("%(n)d bookmark", "%(n)d bookmarks", len(data["bookmarks"])) % {"n": len(data["bookmarks"])},
        "• "
        + lang.n_("%(n)d message queued or sent to you", "%(n)d messages queued or sent to you", len(messages))
        % {"n": len(messages)},
        "• "
        + (_("your settings") if data["settings"] else _("your settings: the defaults (nothing stored)"))
        + " · "
        + _("your name and language"),
    ]
    actions = len(organiser["audit_log"])
    if actions:
        lines.append(
            "• " + lang.n_("%(n)d action as an organiser", "%(n)d actions as an organiser", actions) % {"n": actions}
        )
    lines += ["", _("/forget deletes all of it.")]
    return Reply("\n".join(lines))
