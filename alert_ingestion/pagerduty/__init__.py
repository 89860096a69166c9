"""PagerDuty Events API v2, `POST /v2/enqueue`: tools that speak PagerDuty send their events here.

`schemas` is PagerDuty's event, `events` maps it onto a platform alert (pure rules), `answers` are
PagerDuty's own response bodies, `acknowledgement` tells incident management, `api` is the endpoint.
The routing key is one of our integration keys.
"""
