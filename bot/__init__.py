"""Conference companion bot: domain, storage and services (Telegram glue: handlers/, bot/runtime/, bot/console/)."""
