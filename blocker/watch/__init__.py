"""Watchers: turn changes in the OS into wake-ups of the daemon's loop."""
