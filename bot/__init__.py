"""Front ends (Telegram, terminal), configuration and the entry point."""
