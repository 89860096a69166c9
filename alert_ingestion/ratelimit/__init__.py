"""Rate limits of alert ingestion, per integration key and per client address (fixed windows in PostgreSQL).

The client's address comes from servicekit.client_address (X-Forwarded-For only from TRUSTED_PROXIES);
`repository` counts requests, `limiter` decides and refuses with 429 and Retry-After.
"""
