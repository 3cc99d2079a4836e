"""The one Telegram bot object: token, Bot API URL, Defaults, pacer and HTTP boundary, for every sender.

The running bot and the command line's own delivery build it here, so the same message is the same request
whichever process sends it.
"""

from __future__ import annotations

from datetime import tzinfo

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Defaults, ExtBot
from telegram.request import BaseRequest, HTTPXRequest

from bot.outbox_plan import Pacing
from bot.runtime.pacer import SendPacer
from bot.settings import Settings

# Any syntactically valid token works against a local Bot API; it is never sent anywhere else.
LOCAL_TOKEN = "1000000:LOCAL-CONSOLE-TOKEN"


def defaults(timezone: tzinfo) -> Defaults:
    """HTML everywhere (all user and programme text is escaped), no link previews, times in the event's zone."""
    return Defaults(
        parse_mode=ParseMode.HTML,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        tzinfo=timezone,
    )


def build_pacer(settings: Settings) -> SendPacer:
    """The one throttle of every message the bot sends (replies and the outbox); see bot/runtime/pacer.py."""
    return SendPacer(Pacing(rate_per_second=settings.send_rate_per_second))


def build_bot(
    settings: Settings, timezone: tzinfo, pacer: SendPacer, request: BaseRequest | None = None
) -> ExtBot[bool]:
    """The bot object; `request` swaps the HTTP boundary (the console and tests answer it in process)."""
    return ExtBot(
        settings.token or LOCAL_TOKEN,
        base_url=settings.telegram_api_base_url,
        defaults=defaults(timezone),
        rate_limiter=pacer,
        request=request or HTTPXRequest(),
        # As PTB's ApplicationBuilder does: one connection is all that long polling ever uses.
        get_updates_request=request or HTTPXRequest(connection_pool_size=1),
    )
