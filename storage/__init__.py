"""The only memory: nominations, their answers and position, and the email outbox, in SQLite."""
