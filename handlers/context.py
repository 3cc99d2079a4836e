"""The context every handler and job receives: typed access to the services instead of string keys."""

from __future__ import annotations

from telegram.ext import CallbackContext, ExtBot

from bot.runtime.dispatcher import Dispatcher
from bot.services import Services


class BotContext(CallbackContext[ExtBot[None], dict, dict, dict]):
    """The handler context, with typed access to the services instead of string keys."""

    @property
    def services(self) -> Services:
        services: Services = self.application.bot_data["services"]
        return services

    @property
    def dispatcher(self) -> Dispatcher:
        """The outbox dispatcher: `wake()` it after enqueuing so the rows go out without waiting for a poll."""
        dispatcher: Dispatcher = self.application.bot_data["dispatcher"]
        return dispatcher
