"""Telegram glue: parse an update, call the domain in `bot/`, render its Reply; composed in application.py."""
