"""Grafana unified alerting's webhook contact point, `POST /api/v1/alerts/grafana` (payload version 1).

`schemas` is Grafana's payload, `mapping` turns one of its alerts into a platform alert (pure rules), `api` is
the receiver. Grafana's alerting is Alertmanager's underneath, so the rules are Alertmanager's plus Grafana's
own links (dashboard, panel, image) and values; the HMAC signature is checked for every keyed intake
(`keys.signature`).
"""
