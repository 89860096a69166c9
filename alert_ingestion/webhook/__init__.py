"""The generic webhook, `POST /api/v1/alerts/webhook`: any JSON body, mapped onto an alert by its key's mapping.

For tools with no native format (Datadog, Zabbix, a home-grown checker): the integration key carries a
`mapping` (`mapping` checks and applies it, pure rules), `api` is the endpoint. Without a mapping the body is
read as the platform's own alert.
"""
