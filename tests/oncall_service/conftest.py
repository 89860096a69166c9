"""Fixtures of the on-call service's tests."""

import pytest

from servicekit import db


@pytest.fixture
def make_app(make_app):
    """The shared factory, with every app's connection pool closed after the test (servers share PostgreSQL)."""
    made = []

    def make(create_app, **config):
        app = make_app(create_app, **config)
        made.append(app)
        return app

    yield make
    for app in made:
        db.get_db(app).close()
