"""Calendar feeds (iCalendar, RFC 5545) of schedules and of users, behind a revocable token in the URL."""
