"""/forget: what erasing means, the confirmation, and what was done."""

from __future__ import annotations

from bot.i18n import Lang
from bot.views import callback_data as cb
from bot.views.reply import Button, Reply


def confirm(lang: Lang) -> Reply:
    """Ask before erasing: what goes, what stays, and that it cannot be undone."""
    _ = lang._
    text = "\n\n".join(
        (
            "🗑 <b>" + _("Delete everything this bot keeps about you?") + "</b>",
            _(
                "Your name and language, your bookmarks and settings, the reminders and messages queued or sent "
                "to you, and any unfinished step with the bot are deleted at once. It cannot be undone."
            ),
            _(
                "If you are an organiser, what you did (broadcasts, edits) stays in the organisers' record, "
                "without your name or id."
            ),
        )
    )
    yes = Button("🗑 " + _("Yes, delete everything"), cb.forget(True))
    return Reply(text, ((yes,), (Button(_("No, keep it"), cb.forget(False)),)))


def erased(lang: Lang) -> Reply:
    """The last message the bot sends the person, unless they write again."""
    _ = lang._
    return Reply(
        "✅ "
        + _("Done: everything this bot kept about you is deleted. It will not write to you again.")
        + "\n\n"
        + _("If you write to it later, it starts afresh, as with someone new.")
    )


def kept(lang: Lang) -> Reply:
    return Reply(lang._("Nothing was deleted."))
