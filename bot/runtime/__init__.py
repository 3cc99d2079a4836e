"""Telegram-facing runtime: building the Application, the local Bot API stand-in, the console."""
