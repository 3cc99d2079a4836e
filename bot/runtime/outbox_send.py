"""What an outbox row becomes on Telegram: a text, or a photo or document by file id with the text as caption."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Message
from telegram.error import BadRequest
from telegram.ext import ExtBot

from bot.runtime.markup import markup
from bot.storage.outbox import QueuedMessage
from bot.views.reply import Reply


async def send_row(bot: ExtBot[bool], row: QueuedMessage) -> Message:
    """Send one outbox row as queued; the caller took its pacer turn (`rate_limit_args=True`)."""
    reply = Reply.from_payload(row.payload)
    keyboard = markup(reply)
    silent = bool(row.payload.get("silent"))
    media = row.payload.get("media") or {}
    kind, file_id, caption = media.get("kind"), str(media.get("file_id") or ""), reply.text or None
    senders: dict[str, Callable[..., Awaitable[Message]]] = {"photo": bot.send_photo, "document": bot.send_document}
    if kind in senders:
        return await senders[kind](
            row.chat_id,
            file_id,
            caption=caption,
            reply_markup=keyboard,
            disable_notification=silent,
            rate_limit_args=True,
        )
    if kind:
        raise BadRequest(f"unsupported media kind {kind!r} in the outbox payload")
    return await bot.send_message(
        row.chat_id, reply.text, reply_markup=keyboard, disable_notification=silent, rate_limit_args=True
    )
