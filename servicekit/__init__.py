"""Plumbing shared by every service: config, database, errors, health, metrics, HTTP."""

from servicekit.app import create_service_app

__all__ = ["create_service_app"]
