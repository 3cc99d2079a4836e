"""The offline Telegram: an in-process Bot API stand-in, and the terminal chat that runs the bot on it."""
