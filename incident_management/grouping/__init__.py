"""Opt-in grouping per service (a key from alert fields, an optional threshold) and moving alerts by hand."""
