"""Integration keys: the credentials alert sources send, naming the source and the service/team of its alerts.

`tokens` makes and digests keys, `repository` stores them, `verification` checks the
`Authorization` header of an ingestion request (with a short cache), `routing` applies
a key's service and team to the alerts it sends, `api` is the admin REST resource.
"""
