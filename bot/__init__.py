"""Conference companion bot: domain, storage and services (Telegram glue lives in handlers/ and bot/runtime/)."""
