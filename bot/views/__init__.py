"""What the user sees, as plain data: texts (HTML) and buttons. No Telegram imports here."""
