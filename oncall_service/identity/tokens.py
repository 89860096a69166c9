"""API tokens: made for a user (shown once), with the user's role or a lower one, revocable.

Each function runs inside the caller's transaction (it takes the cursor).
"""

from oncall_service.identity import access_repository, credentials, people
from servicekit.auth.principal import rank
from servicekit.errors import Forbidden, Invalid, NotFound


def _owner_of_new_token(cur, caller, user_id):
    """The user a new token is for: the caller, or (admins) the one named."""
    if user_id is None:
        if caller.user_id is None:
            message = "Name the user the token is for: the caller is not a user."
            raise Invalid(message, errors={"json": {"user_id": [message]}})
        user_id = caller.user_id
    if str(user_id) != caller.user_id and not caller.may("admin"):
        raise Forbidden("only admins make tokens for other users")
    return people.get_user(cur, user_id)


def create_token(cur, caller, request, now):
    """The token's row and, once, its value."""
    user = _owner_of_new_token(cur, caller, request.get("user_id"))
    if not user["active"]:
        raise Invalid("the user is deactivated", errors={"json": {"user_id": ["The user is deactivated."]}})
    if request.get("expires_at") is not None and request["expires_at"] <= now:
        message = "Must be in the future."
        raise Invalid("the token would expire in the past", errors={"json": {"expires_at": [message]}})
    role = request.get("role") or user["role"]
    if rank(role) > rank(user["role"]):
        message = f"A token has at most its user's role ({user['role']})."
        raise Invalid(message, errors={"json": {"role": [message]}})
    value = credentials.new_api_token()
    row = access_repository.insert_token(
        cur,
        {
            "user_id": user["id"],
            "name": request["name"],
            "token_hash": credentials.digest(value),
            "prefix": credentials.display_prefix(value),
            "role": role,
            "source": "api",
            "expires_at": request.get("expires_at"),
        },
    )
    return {**row, "token": value}


def visible_user(caller, user_id):
    """Whose tokens the caller lists: anyone's (admins; None: everyone's), else only their own."""
    if caller.may("admin"):
        return user_id
    if user_id is not None and str(user_id) != caller.user_id:
        raise Forbidden("only admins see other users' tokens")
    return caller.user_id


def get_token(cur, caller, token_id):
    token = access_repository.get_token(cur, token_id)
    if token is None or (not caller.may("admin") and str(token["user_id"]) != caller.user_id):
        raise NotFound(f"token {token_id} not found")
    return token


def revoke_token(cur, caller, token_id):
    get_token(cur, caller, token_id)
    return access_repository.revoke_token(cur, token_id)
