"""Authentication and authorisation of every service's views (AUTH_REQUIRED, roles, service credential).

Views carry `@auth.public`, `@auth.internal` or `@auth.role("viewer"|"responder"|"admin")`; the check runs
before each request. `principal()` is who is calling, `actor(fallback)` the name to record for a change.
Credentials, in this order: a service token (X-Service-Token), `Authorization: Bearer` (a user's API token
`ipt_...`, or an integration key `ipk_...` when the service has a key verifier), the `ip_session` cookie
(with `X-CSRF-Token` on state-changing requests).
"""

from servicekit.auth.policy import MissingPolicy, check_policies, internal, public, role
from servicekit.auth.principal import ANONYMOUS_ADMIN, ROLES, Principal
from servicekit.auth.request import actor, init_app, principal, set_key_verifier, set_verifier

__all__ = [
    "ANONYMOUS_ADMIN",
    "ROLES",
    "MissingPolicy",
    "Principal",
    "actor",
    "check_policies",
    "init_app",
    "internal",
    "principal",
    "public",
    "role",
    "set_key_verifier",
    "set_verifier",
]
