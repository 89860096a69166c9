"""Heartbeat monitors (dead man's switches): `/api/v1/heartbeats`.

`repository` holds the SQL, `monitor` records pings and opens the alert of an overdue monitor (the due-work
job `heartbeat-check`), `schemas` and `api` are the REST resource. An overdue monitor's alert goes the way
of every alert (dedup key `heartbeat:<id>`, source `heartbeat`); the next ping resolves it.
"""
