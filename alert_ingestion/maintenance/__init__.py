"""Maintenance windows: `/api/v1/maintenance-windows`. Alerts in a window are stored as suppressed, paged to nobody.

`windows` says when a window is on (pure rules, time passed in), `repository` holds the SQL, `suppression`
decides for each alert from a per-worker cache of the windows (no database round trip per alert), `api` is
the REST resource.
"""
