"""Numbers about incidents: metrics for Prometheus and aggregates for the dashboard."""
