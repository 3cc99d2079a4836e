"""The floor for bench/crowd.py --floor: a PTB bot that answers every text with "ok" and does nothing else.

Same HTTP client, same chat-ordered concurrency and same Bot API as the real bot, none of its work: what
one Python process running PTB can answer on this machine at all. Run as `python -m tests.support.floor_bot`
with TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL set (bench/crowd.py does).
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.runtime.aiohttp_request import AiohttpRequest
from bot.runtime.chat_order import ChatOrderedUpdates


async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """One short message back, whatever was asked."""
    if update.effective_chat is not None:
        await update.effective_chat.send_message("ok")


def main() -> None:
    app = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_BASE_URL"])
        .request(AiohttpRequest())
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
        .concurrent_updates(ChatOrderedUpdates(64))
        .build()
    )
    app.add_handler(MessageHandler(filters.ALL, reply))
    app.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
