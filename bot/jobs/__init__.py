"""What runs on the clock: reminders for idle drafts, and the retention purge."""
