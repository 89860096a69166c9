"""Schemas that dump quickly: for answers of many rows (the dashboard's list asks for 50 incidents of 25 fields).

marshmallow's generic dump pulls every value through accessor functions and hooks; for dict rows that is most
of a list answer's CPU time. `CompiledDump` builds, once per schema class, a function from the schema's own
fields that does what `Schema.dump` does: the fast plain types convert the value as their `_serialize` would,
nested schemas recurse, and every other field (Function, Dict, ...) or a key the row lacks goes through the
field's own `serialize`. The schema stays the one source of truth, for the OpenAPI document and the answer;
tests/servicekit/test_dumping.py compares both dumps.
"""

import marshmallow as ma
from marshmallow import fields, utils

_TEXT = {fields.String: utils.ensure_text_type, fields.UUID: str}
_NUMBERS = (fields.Integer, fields.Float)


class CompiledDump:
    """Mixin for a marshmallow Schema without dump hooks: `dump` runs a function compiled from its fields."""

    _compiled = None

    def dump(self, obj, *, many=None):
        if self.only or self.exclude or self._hooks[ma.decorators.PRE_DUMP] or self._hooks[ma.decorators.POST_DUMP]:
            return super().dump(obj, many=many)
        cls = type(self)
        if cls.__dict__.get("_compiled") is None:
            cls._compiled = _compile(cls())
        many = self.many if many is None else many
        return [cls._compiled(item) for item in obj] if many else cls._compiled(obj)


def _compile(schema):
    """The dump of one object by `schema` as a function of that object."""
    plan = [(name, field.data_key or name, field.attribute or name, _converter(field, name, schema))
            for name, field in schema.dump_fields.items()]  # fmt: skip

    def dump(obj):
        result = {}
        for name, key, attribute, convert in plan:
            if isinstance(obj, dict) and attribute in obj:
                value = convert(obj[attribute], obj)
            else:  # an object, a dotted attribute or an absent key: marshmallow's own rules (defaults, missing)
                value = schema.dump_fields[name].serialize(name, obj, accessor=schema.get_attribute)
                if value is ma.missing:
                    continue
            result[key] = value
        return result

    return dump


def _converter(field, name, schema):
    """convert(value, obj) giving what `field` gives for a value present in the row."""
    kind = type(field)
    if kind in _TEXT:
        to_text = _TEXT[kind]
        return lambda value, obj: None if value is None else to_text(value)
    if kind in _NUMBERS and not field.as_string:
        return lambda value, obj: None if value is None else field._format_num(value)
    nested = _nested_schema(field.inner if kind is fields.List else field)
    if nested is not None and kind is fields.List:
        return lambda value, obj: None if value is None else [nested(item) for item in value]
    if nested is not None:
        return lambda value, obj: None if value is None else nested(value)
    return lambda value, obj: field._serialize(value, name, obj)


def _nested_schema(field):
    """The compiled dump of a Nested field's schema (one object each), or None when it cannot be compiled."""
    if type(field) is not fields.Nested or field.only or field.exclude or field.many:
        return None
    schema = field.schema
    if schema.only or schema.exclude or schema._hooks[ma.decorators.PRE_DUMP] or schema._hooks[ma.decorators.POST_DUMP]:
        return None
    return _compile(schema)
