"""Live updates: incident changes announced by PostgreSQL, streamed to browsers as server-sent events."""
