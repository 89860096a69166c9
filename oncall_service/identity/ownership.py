"""The SELF policy: users act on their own record (profile, contact methods), admins on anyone's."""

import functools

from oncall_service.identity import people
from servicekit import auth


def own_or_admin(view):
    """Checked before the body is read, so another user's record answers 403 whatever is sent."""

    @functools.wraps(view)
    def check(*args, user_id, **kwargs):
        people.require_self_or_admin(auth.principal(), user_id)
        return view(*args, user_id=user_id, **kwargs)

    return check
