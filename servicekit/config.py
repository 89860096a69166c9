"""Settings from the environment, with a clear failure at start-up when one is missing."""

import os


class ConfigError(RuntimeError):
    """A required setting is missing or malformed."""


def require(name):
    """Return the environment variable `name`, or fail start-up saying which one is missing."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigError(f"missing required setting {name}: set it in the environment (see .env.example)")
    return value


def load_settings(app, defaults):
    """Overlay `defaults` with same-named environment variables, converted to the default's type."""
    for name, default in defaults.items():
        raw = os.environ.get(name)
        app.config[name] = default if raw is None else _convert(name, raw, default)


def check_required(app, required):
    """After test overrides, make sure every required setting has a value."""
    missing = [name for name in required if not app.config.get(name)]
    if missing:
        raise ConfigError(f"missing required setting {', '.join(missing)}: set it in the environment")


def _convert(name, raw, default):
    if isinstance(default, bool):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"setting {name} must be true or false, got {raw!r}")
    if isinstance(default, (int, float)):
        try:
            return type(default)(raw)
        except ValueError:
            raise ConfigError(f"setting {name} must be a number, got {raw!r}") from None
    return raw
