"""Paging: who hears about an incident, queued in its transaction and delivered by jobs."""
