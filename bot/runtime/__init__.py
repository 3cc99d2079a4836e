"""Telegram-facing runtime: building the Application, the outbox sender, unfinished dialogues."""
