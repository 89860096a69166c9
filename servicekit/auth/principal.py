"""Who is calling: the principal a request acts as, and how roles compare."""

import dataclasses

ROLES = ("viewer", "responder", "admin")  # each can do what the ones before it can
KINDS = ("user", "token", "key", "service", "anonymous")


def rank(role):
    """0 for viewer ... 2 for admin; -1 for anything else (it may do nothing)."""
    return ROLES.index(role) if role in ROLES else -1


def lower_role(first, second):
    """The lower of two roles (a token never does more than its user)."""
    return first if rank(first) <= rank(second) else second


@dataclasses.dataclass(frozen=True)
class Principal:
    kind: str
    id: str | None
    name: str
    email: str | None
    role: str
    # The user behind a token or a session (None for keys, services and anonymous callers).
    user_id: str | None = None
    # The session a user signed in with (None for tokens, keys, services).
    session_id: str | None = None
    # A session's CSRF token: state-changing requests made with the cookie must echo it.
    csrf_token: str | None = dataclasses.field(default=None, repr=False, compare=False)

    def may(self, role):
        return rank(self.role) >= rank(role)

    def public(self):
        """What a caller may see of itself: {kind, id, name, email, role}."""
        return {"kind": self.kind, "id": self.id, "name": self.name, "email": self.email, "role": self.role}


# AUTH_REQUIRED=false: every request acts as this one.
ANONYMOUS_ADMIN = Principal(kind="anonymous", id=None, name="anonymous", email=None, role="admin")
# A public operation called without a credential while auth is on.
ANONYMOUS = Principal(kind="anonymous", id=None, name="anonymous", email=None, role="none")


def from_dict(data):
    """A principal from a verifier's answer (the internal verify endpoint's JSON)."""
    fields = {field.name for field in dataclasses.fields(Principal)}
    return Principal(**{key: value for key, value in data.items() if key in fields})
