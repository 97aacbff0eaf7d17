"""Composing the nomination emails and delivering the outbox (SMTP, or .eml files)."""
