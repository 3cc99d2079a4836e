"""The context every handler and job receives: typed access to the services instead of string keys."""

from __future__ import annotations

from telegram.ext import CallbackContext, ExtBot

from bot.runtime.outbox_sender import OutboxSender
from bot.services import Services


class BotContext(CallbackContext[ExtBot[None], dict, dict, dict]):
    """The handler context, with typed access to the services instead of string keys."""

    @property
    def services(self) -> Services:
        services: Services = self.application.bot_data["services"]
        return services

    @property
    def outbox(self) -> OutboxSender:
        """The outbox sender: `wake()` it after enqueuing so the rows go out without waiting for a poll."""
        sender: OutboxSender = self.application.bot_data["outbox"]
        return sender
