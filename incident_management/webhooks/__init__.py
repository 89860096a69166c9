"""Outgoing webhooks: `/api/v1/webhook-subscriptions`, and deliveries of incident events to them.

A trigger on the timeline (db/migrations/0230_webhook_subscriptions.sql) writes each event to the
`webhook_events` outbox in the transaction that changed the incident. `worker` fans events out to the
team's subscriptions and delivers them as due work; `rules` signs and spaces the attempts (pure, time
passed in); `repository` holds the SQL; `api` is the REST resource.
"""
