"""The one Telegram bot object: token, Bot API URL, Defaults, pacer and HTTP boundary, for every sender.

The running bot and the command line's own delivery build it here, so the same message is the same request
whichever process sends it.
"""

from __future__ import annotations

import logging
from datetime import tzinfo
from typing import Any

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, ReplyKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Defaults, ExtBot
from telegram.request import BaseRequest

from bot.metrics import Metrics
from bot.outbox_plan import Pacing
from bot.runtime.aiohttp_request import AiohttpRequest
from bot.runtime.pacer import SendPacer
from bot.runtime.token_watch import TokenWatch
from bot.settings import Settings

logger = logging.getLogger(__name__)

# Any syntactically valid token works against a local Bot API; it is never sent anywhere else.
LOCAL_TOKEN = "1000000:LOCAL-CONSOLE-TOKEN"


def defaults(timezone: tzinfo) -> Defaults:
    """HTML everywhere (all user and programme text is escaped), no link previews, times in the event's zone."""
    return Defaults(
        parse_mode=ParseMode.HTML,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        tzinfo=timezone,
    )


def build_pacer(settings: Settings, metrics: Metrics | None = None) -> SendPacer:
    """The one throttle of every message the bot sends (replies and the outbox); see bot/runtime/pacer.py."""
    return SendPacer(Pacing(rate_per_second=settings.send_rate_per_second), metrics=metrics)


ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup

# Methods whose result is the message just sent or edited.
_ECHOING = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup", "editMessageCaption"})


class ConferenceBot(ExtBot[bool]):
    """PTB's bot, whose long polling rides out a brief refusal of the token and stops on a lasting one."""

    def __init__(self, *args: Any, token_watch: TokenWatch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._token_watch = token_watch
        options: dict[str, Any] = {}
        if self.defaults is not None:
            if self.defaults.parse_mode:
                options["parse_mode"] = self.defaults.parse_mode
            if self.defaults.link_preview_options is not None:
                options["link_preview_options"] = self.defaults.link_preview_options.to_dict()
        self._text_options = options

    async def send_text(self, chat_id: int, text: str, reply_markup: ReplyMarkup | None = None) -> int:
        """sendMessage with the Defaults, for a handler's reply: returns the new message's id and no more.

        PTB's send_message serialises some twenty parameters and parses Telegram's answer into a Message with
        its sender, chat and keyboard; a reply reads none of that, and under a crowd it was a tenth of the CPU.
        Both go through `_post`, so the pacer, the timeouts and the errors are the same.
        """
        data: dict[str, Any] = {"chat_id": chat_id, "text": text, **self._text_options}
        if reply_markup is not None:
            data["reply_markup"] = reply_markup
        result = await self._post("sendMessage", data)
        return int(result["message_id"])

    async def edit_text(
        self, chat_id: int, message_id: int, text: str, reply_markup: InlineKeyboardMarkup | None = None
    ) -> None:
        """editMessageText with the Defaults, for a handler's reply (see `send_text`)."""
        data: dict[str, Any] = {"chat_id": chat_id, "message_id": message_id, "text": text, **self._text_options}
        if reply_markup is not None:
            data["reply_markup"] = reply_markup
        await self._post("editMessageText", data)

    @property
    def token_watch(self) -> TokenWatch:
        return self._token_watch

    async def _post(self, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, *args, **kwargs)
        if endpoint in _ECHOING and isinstance(result, dict):
            # Telegram echoes the keyboard and the formatting the bot has just sent; turning them back into
            # objects was a tenth of the bot's work under a crowd, and nothing reads them from a sent message.
            result.pop("reply_markup", None)
            result.pop("entities", None)
        return result

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        try:
            updates = await super().get_updates(*args, **kwargs)
        except InvalidToken as exc:
            # PTB's polling loop gives up for good on InvalidToken, while the process runs on deaf; a
            # NetworkError it retries with backoff (1 s, growing to 30 s) until the watch calls it revoked.
            watch = self._token_watch
            if not watch.refusing:
                logger.warning(
                    "The Bot API refuses the token (%s): polling again with backoff; the bot stops if this lasts %g s",
                    exc.message,
                    watch.grace,
                )
            watch.refused(exc.message)
            raise NetworkError(f"The Bot API refuses the token ({exc.message})") from exc
        if self._token_watch.refusing:
            logger.warning("The Bot API accepts the token again")
        self._token_watch.accepted()
        return updates


def build_bot(
    settings: Settings, timezone: tzinfo, pacer: SendPacer, request: BaseRequest | None = None
) -> ConferenceBot:
    """The bot object; `request` swaps the HTTP boundary (the console and tests answer it in process)."""
    return ConferenceBot(
        settings.token or LOCAL_TOKEN,
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.telegram_file_base_url,  # organisers' files come from the same server
        defaults=defaults(timezone),
        rate_limiter=pacer,
        request=request or AiohttpRequest(),
        # As PTB's ApplicationBuilder does: one connection is all that long polling ever uses.
        get_updates_request=request or AiohttpRequest(connection_pool_size=1),
        token_watch=TokenWatch(settings.telegram_token_refused_seconds),
    )
