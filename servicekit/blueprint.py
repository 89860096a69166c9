"""flask-smorest's Blueprint, with request schemas built once instead of on every request."""

import flask_smorest


class Blueprint(flask_smorest.Blueprint):
    def arguments(self, schema, *args, **kwargs):
        # webargs instantiates a schema class for every request it parses (deep-copying its
        # fields); an instance made here is reused, which is safe: loading keeps no state.
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)
