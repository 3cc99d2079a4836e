"""Reminders before bookmarked sessions and the morning digest: what is due (due.py), kept queued (queue.py)."""
