"""Telegram-facing runtime: building the Application, the outbox dispatcher, unfinished dialogues."""
